//! Online payments (group `online`): `secure-pay` (v3 and v4) opens a hosted checkout (or, with a
//! `vaultId`, charges a saved method at once and answers without a status or cashier); v4
//! `capture` takes a card that `process` completes (after the shopper's 3-D Secure check at
//! `authUrl` when a customer is named); `process` (v3 and v4) completes a payment and hands out
//! its vault id; `acquire-create` (the WeChat mini-program and in-app order) waits for the app.
//! Client tokens are answered for the `YIP` and `APP` terminals.

use super::prelude::*;

/// This group's handler for `path`, if it has one.
pub(super) fn handler(path: &str) -> Option<Handler> {
    let handler: Handler = match path {
        SecurePayRequest::PATH => |c| run(c, "prepay success", secure_pay),
        SecurePayV4Request::PATH => |c| run(c, "prepay success", secure_pay_v4),
        CreditPayProcessRequest::PATH => |c| run(c, "process success", credit_pay_process),
        OrderProcessV4Request::PATH => |c| run(c, "process success", order_process_v4),
        OrderCaptureV4Request::PATH => |c| run(c, "capture success", order_capture_v4),
        AcquireCreateRequest::PATH => |c| run(c, "success", acquire_create),
        _ => return None,
    };
    Some(handler)
}

/// A hosted checkout, or a charge of a saved method.
fn checkout(
    c: &Ctx<'_>,
    spec: NewPayment,
    vault_id: Option<&str>,
    client_token: bool,
) -> Result<Payload, GatewayError> {
    match vault_id {
        Some(vault_id) => {
            let payment = c.ledger().charge_vault(c.merchant, spec, vault_id)?;
            // secure-pay's documented shape: the IPN and tran-query tell the outcome.
            let mut payload = payment_payload(&payment);
            payload.remove("status");
            Ok(payload)
        }
        None => {
            let payment = c.ledger().create(c.merchant, spec)?;
            Ok(hosted_payload(c, &payment, client_token))
        }
    }
}

fn secure_pay(c: &Ctx<'_>, r: SecurePayRequest) -> Result<Payload, GatewayError> {
    let spec = NewPayment::new(
        r.reference,
        r.amount,
        r.currency,
        r.settle_currency,
        r.vendor,
        "secure_pay",
    )
    .urls(r.ipn_url, r.callback_url)
    .note(r.note)
    .timeout(r.timeout)
    .shown(r.description, r.goods_info)
    .customer(r.customer_no)
    .store_admin(c.store_admin_no())
    .vaulting(saves_method(r.credit_type.as_ref()));
    let client_token = matches!(r.terminal, Terminal::Yip | Terminal::App);
    checkout(c, spec, r.vault_id.as_deref(), client_token)
}

fn secure_pay_v4(c: &Ctx<'_>, r: SecurePayV4Request) -> Result<Payload, GatewayError> {
    let spec = NewPayment::new(
        r.reference,
        r.amount,
        r.currency,
        r.settle_currency,
        r.vendor,
        "secure_pay_v4",
    )
    .urls(Some(r.ipn_url), r.callback_url)
    .note(r.note)
    .timeout(r.timeout)
    .shown(None, r.goods_info)
    .customer(r.customer_no)
    .store_admin(c.store_admin_no())
    .vaulting(saves_method(r.credit_type.as_ref()));
    checkout(c, spec, r.vault_id.as_deref(), false)
}

/// `process` in its common shape, with the vault id of a payment that saves its method.
fn processed(c: &Ctx<'_>, transaction_no: &str) -> Result<(Payload, Payment), GatewayError> {
    let processed = c.ledger().process(c.merchant, transaction_no)?;
    let mut payload = payment_payload(&processed.payment);
    if let Some(vault_id) = processed.vault_id {
        payload.insert("vaultId".into(), json!(vault_id));
    }
    Ok((payload, processed.payment))
}

fn credit_pay_process(c: &Ctx<'_>, r: CreditPayProcessRequest) -> Result<Payload, GatewayError> {
    let (mut payload, payment) = processed(c, &r.transaction_no)?;
    // docs.pockyt's process example: when it was paid, the payer as the wallet shows it, and the
    // provider's own transaction id.
    payload.insert(
        "paymentTime".into(),
        json!(payment.paid_at.map(crate::clock::iso_utc)),
    );
    payload.insert("supUserid".into(), json!("simulator-payer"));
    payload.insert(
        "vendorId".into(),
        json!(format!("sim-{}", r.transaction_no)),
    );
    Ok(payload)
}

fn order_process_v4(c: &Ctx<'_>, r: OrderProcessV4Request) -> Result<Payload, GatewayError> {
    processed(c, &r.transaction_no).map(|(payload, _)| payload)
}

fn order_capture_v4(c: &Ctx<'_>, r: OrderCaptureV4Request) -> Result<Payload, GatewayError> {
    let spec = NewPayment::new(
        r.reference,
        r.amount,
        r.currency,
        r.settle_currency,
        r.vendor,
        "order_capture_v4",
    )
    .urls(r.ipn_url, None)
    .note(r.note)
    .customer(r.customer_no.clone())
    .store_admin(c.store_admin_no())
    .vaulting(true);
    // The card waits for `process`; with a customer, 3-D Secure is on and the shopper passes it
    // on the page at `authUrl` (the cashier page here) first.
    let payment = c.ledger().create(c.merchant, spec)?;
    let mut payload = payment_payload(&payment);
    if r.customer_no.is_some() {
        payload.insert(
            "authUrl".into(),
            json!(c.sim.cashier_url(&payment.transaction_no)),
        );
    }
    Ok(payload)
}

fn acquire_create(c: &Ctx<'_>, r: AcquireCreateRequest) -> Result<Payload, GatewayError> {
    let amount = r
        .amount
        .or(r.rmb_amount)
        .ok_or_else(|| GatewayError::missing("amount is required"))?;
    let spec = NewPayment::new(
        r.reference,
        amount,
        r.currency,
        r.settle_currency.unwrap_or(SettleCurrency::Usd),
        r.vendor.unwrap_or(Vendor::WechatPay),
        "acquire_create",
    )
    .urls(r.ipn_url, None)
    .note(r.note)
    .timeout(r.timeout)
    .store_admin(c.store_admin_no());
    let payment = c.ledger().create(c.merchant, spec)?;
    Ok(payment_payload(&payment))
}
