//! In-store payments: `add` creates an order in `init`; `pay` (scan the shopper's barcode) settles
//! it at once; `prepay`, the transaction QR code and the mixed QR code wait for the shopper's scan.
//! Reversing an in-store order is a cancel: an unpaid one closes, a paid one is refunded in full
//! and closed.

use super::prelude::*;
use crate::routes::refunds::cancel;

/// This group's handler for `path`, if it has one.
pub(super) fn route(ctx: &Ctx<'_>, path: &str) -> Option<Result<Value, GatewayError>> {
    Some(match path {
        InstoreAddRequest::PATH => run(ctx, "add success", |c, r: InstoreAddRequest| {
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
            .timeout(r.timeout);
            let payment = create(c, spec)?;
            Ok(transaction_payload(&payment))
        }),
        InstorePayRequest::PATH => run(ctx, "pay success", |c, r: InstorePayRequest| {
            scan_barcode(
                c,
                r.transaction_no.as_deref(),
                r.reference.as_deref(),
                r.vendor,
            )
        }),
        InstorePrepayRequest::PATH => run(ctx, "prepay success", |c, r: InstorePrepayRequest| {
            scan_barcode(
                c,
                r.transaction_no.as_deref(),
                r.reference.as_deref(),
                r.vendor,
            )
        }),
        CreateTransQrcodeRequest::PATH => {
            run(ctx, "create success", |c, r: CreateTransQrcodeRequest| {
                let payment = match r.transaction_no {
                    // A code for a transaction `/app-instore/v3/add` made (PHP's `transactionNo`).
                    Some(number) => open_payment(c, &number)?,
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
                        .timeout(r.timeout);
                        create(c, spec)?
                    }
                };
                let link = c.sim.cashier_url(&payment.transaction_no);
                let mut payload = payment_payload(&payment);
                payload.insert("timeout".into(), json!(r.timeout.unwrap_or(120)));
                payload.insert("deepLink".into(), json!(link));
                // Both docs give `needQrcode` the default false (audit M11).
                if r.need_qrcode == Some(true) {
                    payload.insert(
                        "qrcodeUrl".into(),
                        json!(c.sim.qrcode_url(&payment.transaction_no)),
                    );
                }
                Ok(payload)
            })
        }
        MixedQrcodeRequest::PATH => run(ctx, "create success", |c, r: MixedQrcodeRequest| {
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
            .timeout(r.timeout);
            let payment = create(c, spec)?;
            let mut payload = mixed_payload(c, &payment);
            payload.insert("timeout".into(), json!(r.timeout.unwrap_or(120)));
            if r.need_qrcode == Some(true) {
                payload.insert(
                    "qrcodeUrl".into(),
                    json!(c.sim.qrcode_url(&payment.transaction_no)),
                );
            }
            Ok(payload)
        }),
        MixedQueryRequest::PATH => run(ctx, "query success ", |c, r: MixedQueryRequest| {
            let payment = mixed_record(c, r.record_no.as_deref(), r.reference.as_deref())?;
            Ok(mixed_payload(c, &payment))
        }),
        MixedCancelRequest::PATH => run(ctx, "cancel success", |c, r: MixedCancelRequest| {
            let payment = mixed_record(c, r.record_no.as_deref(), r.reference.as_deref())?;
            settle(c, &payment.transaction_no, TransactionStatus::Closed)?;
            let closed = open_or_any(c, &payment.transaction_no)?;
            Ok(mixed_payload(c, &closed))
        }),
        CashierAddRequest::PATH => run(ctx, "add success", |c, r: CashierAddRequest| {
            let spec = NewPayment::new(
                r.reference,
                r.amount,
                r.currency,
                r.settle_currency.unwrap_or(SettleCurrency::Usd),
                Vendor::Unknown(String::new()),
                "cashier_add",
            )
            .urls(Some(r.ipn_url), None);
            created(c, spec)
        }),
        #[allow(deprecated)]
        DataReverseRequest::PATH => run(ctx, "reverse success", |c, r: DataReverseRequest| {
            cancel(c, r.transaction_no.as_deref(), r.reference.as_deref())
        }),
        InstoreReverseRequest::PATH => {
            run(ctx, "reverse success", |c, r: InstoreReverseRequest| {
                cancel(c, r.transaction_no.as_deref(), r.reference.as_deref())
            })
        }
        _ => return None,
    })
}

pub(super) fn scan_barcode(
    ctx: &Ctx<'_>,
    transaction_no: Option<&str>,
    reference: Option<&str>,
    vendor: Option<Vendor>,
) -> Result<Payload, GatewayError> {
    let number = {
        let mut store = ctx.sim.store.lock();
        let payment = store
            .find(ctx.merchant, transaction_no, reference)
            .ok_or_else(|| GatewayError::no_record("transaction does not exist"))?;
        if let Some(vendor) = vendor {
            payment.vendor = vendor;
        }
        payment.transaction_no.clone()
    };
    settle(ctx, &number, TransactionStatus::Success)?;
    let store = ctx.sim.store.lock();
    let payment = store
        .payments
        .get(&number)
        .ok_or_else(|| GatewayError::no_record("transaction does not exist"))?;
    Ok(transaction_payload(payment))
}

/// A mixed QR code record; the simulator numbers a record as its payment.
pub(super) fn mixed_record(
    ctx: &Ctx<'_>,
    record_no: Option<&str>,
    reference: Option<&str>,
) -> Result<Payment, GatewayError> {
    let mut store = ctx.sim.store.lock();
    let reference = if record_no.is_some() { None } else { reference };
    store
        .find(ctx.merchant, record_no, reference)
        .filter(|p| p.created_by == "mixed_qrcode")
        .map(|p| p.clone())
        .ok_or_else(|| GatewayError::no_record("mixed QR code record does not exist"))
}

pub(super) fn mixed_payload(ctx: &Ctx<'_>, payment: &Payment) -> Payload {
    let mut payload = payment_payload(payment);
    if let Some(amount) = payload.remove("amount") {
        payload.insert("saleAmount".into(), amount);
    }
    payload.insert("recordNo".into(), json!(payment.transaction_no));
    payload.insert(
        "qrcode".into(),
        json!(ctx.sim.cashier_url(&payment.transaction_no)),
    );
    if !payment.vendor.as_str().is_empty() {
        payload.insert("vendor".into(), json!(payment.vendor.as_str()));
    }
    payload
}
