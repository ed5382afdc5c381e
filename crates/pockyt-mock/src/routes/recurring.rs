//! Recurring payments (group `recurring`). An auto-debit agreement is created by `consult` and
//! must be authorized by the shopper (its `authUrl` page, or
//! [`crate::MockGateway::authorize_auto_debit`]) before a token can be applied for or a payment
//! made; a revoked agreement takes no more payments (the ledger's rules). PayPal plans and
//! recurring updates answer their documented shapes.

use super::prelude::*;
use crate::ledger::AgreementTerms;
use crate::state::Agreement;

/// This group's handler for `path`, if it has one.
pub(super) fn handler(path: &str) -> Option<Handler> {
    let handler: Handler = match path {
        UpdateRecurringRequest::PATH => |c| run(c, "update success", update_recurring),
        PaypalCreatePlanRequest::PATH => |c| run(c, "success", paypal_create_plan),
        AutoDebitConsultRequest::PATH => |c| run(c, "consult success", consult),
        AutoDebitApplyTokenRequest::PATH => |c| run(c, "apply success", apply_token),
        AutoDebitPayRequest::PATH => |c| run(c, "pay success", auto_debit_pay),
        AutoDebitRevokeRequest::PATH => |c| run(c, "revoke success", revoke),
        _ => return None,
    };
    Some(handler)
}

fn update_recurring(_: &Ctx<'_>, r: UpdateRecurringRequest) -> Result<Payload, GatewayError> {
    let mut payload = Payload::new();
    if let Some(schedule) = r.schedule_no {
        payload.insert("scheduleNo".into(), json!(schedule));
    }
    if let Some(count) = r.payment_count {
        payload.insert("paymentCount".into(), json!(count));
    }
    if let Some(status) = r.status {
        payload.insert("status".into(), json!(status.as_str()));
    }
    Ok(payload)
}

fn paypal_create_plan(c: &Ctx<'_>, _: PaypalCreatePlanRequest) -> Result<Payload, GatewayError> {
    let number = c.ledger().new_number();
    Ok(fields([
        ("productId", format!("PROD-{number}")),
        ("planId", format!("P-{number}")),
    ]))
}

fn consult(c: &Ctx<'_>, r: AutoDebitConsultRequest) -> Result<Payload, GatewayError> {
    let terms = AgreementTerms {
        auto_reference: r.auto_reference,
        vendor: r.vendor,
        redirect_url: r.auto_redirect_url,
        auto_ipn_url: r.auto_ipn_url,
        note: r.note,
    };
    let agreement = c.ledger().consult(c.merchant, terms)?;
    // The page the payer authorizes on; docs.yuansfer also names it `normalUrl` (a web page) and
    // `applinkUrl` (the wallet app's link), which the simulator has only one of.
    let page = format!(
        "{}/auto-debit/authorize/{}",
        c.sim.base_url(),
        agreement.auto_debit_no
    );
    Ok(fields([
        ("authUrl", page.clone()),
        ("normalUrl", page.clone()),
        ("applinkUrl", page),
        ("autoDebitNo", agreement.auto_debit_no),
        ("autoReference", agreement.auto_reference),
        ("vendor", agreement.vendor.to_string()),
    ]))
}

/// An agreement as its answers show it.
fn agreement_payload(agreement: Agreement) -> Payload {
    fields([
        ("autoDebitNo", agreement.auto_debit_no),
        ("autoReference", agreement.auto_reference),
        ("vendor", agreement.vendor.to_string()),
    ])
}

fn apply_token(c: &Ctx<'_>, r: AutoDebitApplyTokenRequest) -> Result<Payload, GatewayError> {
    let agreement = c.ledger().agreement(c.merchant, &r.auto_debit_no, true)?;
    let mut payload = agreement_payload(agreement);
    payload.insert(
        "accessTokenExpiryTime".into(),
        json!("2099-12-31T00:00:00Z"),
    );
    payload.insert(
        "refreshTokenExpiryTime".into(),
        json!("2099-12-31T00:00:00Z"),
    );
    Ok(payload)
}

fn auto_debit_pay(c: &Ctx<'_>, r: AutoDebitPayRequest) -> Result<Payload, GatewayError> {
    let store_admin_no = c.store_admin_no();
    let (agreement, payment) = c
        .ledger()
        .debit(c.merchant, &r.auto_debit_no, |agreement| {
            NewPayment::new(
                r.reference,
                r.amount,
                r.currency,
                r.settle_currency,
                agreement.vendor.clone(),
                "auto_debit_pay",
            )
            .urls(r.ipn_url, None)
            .store_admin(store_admin_no)
        })?;
    let mut payload = payment_payload(&payment);
    payload.insert("autoDebitNo".into(), json!(agreement.auto_debit_no));
    Ok(payload)
}

fn revoke(c: &Ctx<'_>, r: AutoDebitRevokeRequest) -> Result<Payload, GatewayError> {
    let agreement = c.ledger().revoke(c.merchant, &r.auto_debit_no)?;
    Ok(agreement_payload(agreement))
}
