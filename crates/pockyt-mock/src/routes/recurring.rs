//! Recurring payments. An auto-debit agreement is created by `consult` (its `autoReference`
//! unique per store of a merchant) and must be authorized by the shopper (its `authUrl` page, or
//! [`crate::MockGateway::authorize_auto_debit`]) before a token can be applied for or a payment
//! made; a revoked agreement takes no more payments. The first authorization notifies the
//! merchant's `autoIpnUrl`. PayPal plans and recurring updates answer their documented shapes.

use super::prelude::*;

/// This group's handler for `path`, if it has one.
pub(super) fn route(ctx: &Ctx<'_>, path: &str) -> Option<Result<Value, GatewayError>> {
    Some(match path {
        UpdateRecurringRequest::PATH => {
            run(ctx, "update success", |_, r: UpdateRecurringRequest| {
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
            })
        }
        PaypalCreatePlanRequest::PATH => run(ctx, "success", |c, _: PaypalCreatePlanRequest| {
            let number = c.sim.store.lock().next_number();
            Ok(fields([
                ("productId", format!("PROD-{number}")),
                ("planId", format!("P-{number}")),
            ]))
        }),
        AutoDebitConsultRequest::PATH => run(ctx, "consult success", auto_debit_consult),
        AutoDebitApplyTokenRequest::PATH => {
            run(ctx, "apply success", |c, r: AutoDebitApplyTokenRequest| {
                let agreement = agreement(c, &r.auto_debit_no, true)?;
                let mut payload = fields([
                    ("autoDebitNo", agreement.auto_debit_no),
                    ("autoReference", agreement.auto_reference),
                    ("vendor", agreement.vendor.to_string()),
                ]);
                payload.insert(
                    "accessTokenExpiryTime".into(),
                    json!("2099-12-31T00:00:00Z"),
                );
                payload.insert(
                    "refreshTokenExpiryTime".into(),
                    json!("2099-12-31T00:00:00Z"),
                );
                Ok(payload)
            })
        }
        AutoDebitPayRequest::PATH => run(ctx, "pay success", |c, r: AutoDebitPayRequest| {
            let agreement = agreement(c, &r.auto_debit_no, true)?;
            let spec = NewPayment::new(
                r.reference,
                r.amount,
                r.currency,
                r.settle_currency,
                agreement.vendor,
                "auto_debit_pay",
            )
            .urls(r.ipn_url, None);
            let mut payload = paid_at_once(c, spec)?;
            payload.insert("autoDebitNo".into(), json!(agreement.auto_debit_no));
            Ok(payload)
        }),
        AutoDebitRevokeRequest::PATH => {
            run(ctx, "revoke success", |c, r: AutoDebitRevokeRequest| {
                let mut store = c.sim.store.lock();
                let agreement = store
                    .agreements
                    .get_mut(&r.auto_debit_no)
                    .filter(|a| c.merchant.owns(&a.merchant_no, &a.store_no))
                    .ok_or_else(|| GatewayError::no_record("autoDebitNo does not exist"))?;
                agreement.revoked = true;
                Ok(fields([
                    ("autoDebitNo", agreement.auto_debit_no.clone()),
                    ("autoReference", agreement.auto_reference.clone()),
                    ("vendor", agreement.vendor.to_string()),
                ]))
            })
        }
        _ => return None,
    })
}

pub(super) fn auto_debit_consult(
    ctx: &Ctx<'_>,
    r: AutoDebitConsultRequest,
) -> Result<Payload, GatewayError> {
    let mut store = ctx.sim.store.lock();
    if store.agreements.values().any(|a| {
        ctx.merchant.owns(&a.merchant_no, &a.store_no) && a.auto_reference == r.auto_reference
    }) {
        return Err(GatewayError::invalid(format!(
            "autoReference `{}` has already been used",
            r.auto_reference
        )));
    }
    let number = store.next_number();
    store.agreements.insert(
        number.clone(),
        Agreement {
            auto_debit_no: number.clone(),
            auto_reference: r.auto_reference.clone(),
            merchant_no: ctx.merchant.merchant_no.clone(),
            store_no: ctx.merchant.store_no.clone(),
            vendor: r.vendor.clone(),
            redirect_url: r.auto_redirect_url,
            auto_ipn_url: r.auto_ipn_url,
            note: r.note,
            authorized: false,
            revoked: false,
        },
    );
    // The page the payer authorises on; docs.yuansfer also names it `normalUrl` (a web page) and
    // `applinkUrl` (the wallet app's link), which the simulator has only one of.
    let page = format!("{}/auto-debit/authorize/{number}", ctx.sim.base_url);
    Ok(fields([
        ("authUrl", page.clone()),
        ("normalUrl", page.clone()),
        ("applinkUrl", page),
        ("autoDebitNo", number),
        ("autoReference", r.auto_reference),
        ("vendor", r.vendor.to_string()),
    ]))
}

pub(super) fn agreement(
    ctx: &Ctx<'_>,
    auto_debit_no: &str,
    must_be_active: bool,
) -> Result<Agreement, GatewayError> {
    let store = ctx.sim.store.lock();
    let agreement = store
        .agreements
        .get(auto_debit_no)
        .filter(|a| ctx.merchant.owns(&a.merchant_no, &a.store_no))
        .ok_or_else(|| GatewayError::no_record("autoDebitNo does not exist"))?;
    if must_be_active && (!agreement.authorized || agreement.revoked) {
        return Err(GatewayError::status(
            "the auto-debit agreement is not authorized or was revoked",
        ));
    }
    Ok(agreement.clone())
}
