//! In-store payments (group `instore`): `add` and the POS cashier's `cashier-add` create an order
//! in `init`; `pay` and `prepay` (scan the shopper's barcode) pay it at once; the transaction QR
//! code (for a new order, or for one `add` made) and the mixed QR code wait for the shopper's
//! scan, and a mixed record can be queried and cancelled while open. Reversing an in-store order
//! is a cancel: an unpaid one closes, a paid one is refunded in full and closed.

use super::prelude::*;

/// This group's handler for `path`, if it has one.
pub(super) fn handler(path: &str) -> Option<Handler> {
    let handler: Handler = match path {
        InstoreAddRequest::PATH => |c| run(c, "add success", add),
        InstorePayRequest::PATH => |c| run(c, "pay success", pay),
        InstorePrepayRequest::PATH => |c| run(c, "prepay success", prepay),
        CreateTransQrcodeRequest::PATH => |c| run(c, "create success", trans_qrcode),
        CashierAddRequest::PATH => |c| run(c, "add success", cashier_add),
        InstoreReverseRequest::PATH => |c| run(c, "reverse success", reverse),
        MixedQrcodeRequest::PATH => |c| run(c, "create success", mixed_qrcode),
        MixedQueryRequest::PATH => |c| run(c, "query success ", mixed_query),
        MixedCancelRequest::PATH => |c| run(c, "cancel success", mixed_cancel),
        _ => return None,
    };
    Some(handler)
}

fn add(c: &Ctx<'_>, r: InstoreAddRequest) -> Result<Payload, GatewayError> {
    // The Go SDK cannot send the currencies: the gateway's default is USD.
    let spec = NewPayment::new(
        r.reference,
        r.amount,
        r.currency.unwrap_or(Currency::Usd),
        r.settle_currency.unwrap_or(SettleCurrency::Usd),
        Vendor::Unknown(String::new()),
        "instore_add",
    )
    .urls(r.ipn_url, None)
    .timeout(r.timeout)
    .store_admin(c.store_admin_no());
    let payment = c.ledger().create(c.merchant, spec)?;
    Ok(transaction_payload(&payment))
}

fn pay(c: &Ctx<'_>, r: InstorePayRequest) -> Result<Payload, GatewayError> {
    let payment = c.ledger().scan(
        c.merchant,
        r.transaction_no.as_deref(),
        r.reference.as_deref(),
        r.vendor,
    )?;
    Ok(transaction_payload(&payment))
}

fn prepay(c: &Ctx<'_>, r: InstorePrepayRequest) -> Result<Payload, GatewayError> {
    let payment = c.ledger().scan(
        c.merchant,
        r.transaction_no.as_deref(),
        r.reference.as_deref(),
        r.vendor,
    )?;
    Ok(transaction_payload(&payment))
}

fn trans_qrcode(c: &Ctx<'_>, r: CreateTransQrcodeRequest) -> Result<Payload, GatewayError> {
    let payment = match r.transaction_no {
        // A code for a transaction `/app-instore/v3/add` made (PHP's `transactionNo`).
        Some(number) => c.ledger().open_payment(c.merchant, &number)?,
        None => {
            let spec = NewPayment::new(
                r.reference,
                r.amount,
                r.currency,
                r.settle_currency.unwrap_or(SettleCurrency::Usd),
                r.vendor.unwrap_or(Vendor::Unknown(String::new())),
                "create_trans_qrcode",
            )
            .urls(r.ipn_url, None)
            .timeout(r.timeout)
            .store_admin(c.store_admin_no());
            c.ledger().create(c.merchant, spec)?
        }
    };
    let mut payload = payment_payload(&payment);
    payload.insert("timeout".into(), json!(r.timeout.unwrap_or(120)));
    payload.insert(
        "deepLink".into(),
        json!(c.sim.cashier_url(&payment.transaction_no)),
    );
    // Both docs give `needQrcode` the default false (audit M11).
    if r.need_qrcode == Some(true) {
        payload.insert(
            "qrcodeUrl".into(),
            json!(c.sim.qrcode_url(&payment.transaction_no)),
        );
    }
    Ok(payload)
}

fn cashier_add(c: &Ctx<'_>, r: CashierAddRequest) -> Result<Payload, GatewayError> {
    let spec = NewPayment::new(
        r.reference,
        r.amount,
        r.currency,
        r.settle_currency.unwrap_or(SettleCurrency::Usd),
        Vendor::Unknown(String::new()),
        "cashier_add",
    )
    .urls(Some(r.ipn_url), None)
    .store_admin(c.store_admin_no());
    let payment = c.ledger().create(c.merchant, spec)?;
    Ok(payment_payload(&payment))
}

fn reverse(c: &Ctx<'_>, r: InstoreReverseRequest) -> Result<Payload, GatewayError> {
    let payment = c.ledger().cancel(
        c.merchant,
        r.transaction_no.as_deref(),
        r.reference.as_deref(),
    )?;
    Ok(cancel_payload(&payment))
}

fn mixed_qrcode(c: &Ctx<'_>, r: MixedQrcodeRequest) -> Result<Payload, GatewayError> {
    let spec = NewPayment::new(
        r.reference,
        r.sale_amount,
        r.currency,
        r.settle_currency,
        // The wallet is known only once the shopper pays.
        Vendor::Unknown(String::new()),
        "mixed_qrcode",
    )
    .urls(r.ipn_url, None)
    .note(r.note)
    .timeout(r.timeout)
    .store_admin(c.store_admin_no());
    let payment = c.ledger().create(c.merchant, spec)?;
    let mut payload = mixed_payload(c, &payment);
    payload.insert("timeout".into(), json!(r.timeout.unwrap_or(120)));
    if r.need_qrcode == Some(true) {
        payload.insert(
            "qrcodeUrl".into(),
            json!(c.sim.qrcode_url(&payment.transaction_no)),
        );
    }
    Ok(payload)
}

fn mixed_query(c: &Ctx<'_>, r: MixedQueryRequest) -> Result<Payload, GatewayError> {
    let payment =
        c.ledger()
            .mixed_record(c.merchant, r.record_no.as_deref(), r.reference.as_deref())?;
    Ok(mixed_payload(c, &payment))
}

fn mixed_cancel(c: &Ctx<'_>, r: MixedCancelRequest) -> Result<Payload, GatewayError> {
    let payment =
        c.ledger()
            .cancel_mixed(c.merchant, r.record_no.as_deref(), r.reference.as_deref())?;
    Ok(mixed_payload(c, &payment))
}
