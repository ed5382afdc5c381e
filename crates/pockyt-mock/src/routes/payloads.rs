//! The shapes the gateway answers with: the creation answer (and a hosted checkout's), the
//! in-store transaction, the cancel and the query answer, with refunds listed and amounts at the
//! currency's precision; a mixed QR code record; a settlement item; a customer's profile.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::gateway::{Ctx, Payload};
use crate::clock::{gateway_time, readable};
use crate::ledger::SettlementItem;
use crate::state::Payment;

pub(super) fn fields<const N: usize>(pairs: [(&str, String); N]) -> Payload {
    pairs
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Value::String(v)))
        .collect()
}

/// A list answer: the items under `key`, and their number as `size`.
pub(super) fn list(key: &str, items: Vec<Value>) -> Payload {
    let mut payload = Payload::new();
    payload.insert("size".into(), json!(items.len()));
    payload.insert(key.into(), Value::Array(items));
    payload
}

pub(super) fn payment_payload(payment: &Payment) -> Payload {
    let mut payload = fields([
        ("transactionNo", payment.transaction_no.clone()),
        ("amount", payment.amount.to_string()),
        ("currency", payment.currency.to_string()),
        ("settleCurrency", payment.settle_currency.to_string()),
        ("status", payment.status.to_string()),
    ]);
    payload.insert("merchantNo".into(), json!(payment.merchant_no));
    if let Some(reference) = &payment.reference {
        payload.insert("reference".into(), json!(reference));
    }
    payload
}

/// An in-store transaction as the in-store calls (and cancel) answer it: the docs' example shows
/// every field, `null` where there is no value yet.
pub(super) fn transaction_payload(payment: &Payment) -> Payload {
    let mut payload = payment_payload(payment);
    if let Some(status) = payload.remove("status") {
        payload.insert("transactionStatus".into(), status);
    }
    // Every field, as the docs' example: an in-store order may have been made without one.
    payload.entry("reference").or_insert(Value::Null);
    payload.insert("storeNo".into(), json!(payment.store_no));
    payload.insert("storeAdminNo".into(), json!(payment.store_admin_no));
    payload.insert("transactionType".into(), json!("payment"));
    payload.insert("createTime".into(), json!(readable(&payment.created)));
    payload.insert(
        "paymentTime".into(),
        json!(payment.paid_at.map(|at| readable(&gateway_time(at)))),
    );
    payload.insert("originalTransactionNo".into(), Value::Null);
    // The gateway's rate between currency and settleCurrency; the simulator converts nothing.
    payload.insert("exchangeRate".into(), Value::Null);
    payload.insert("voidAmount".into(), json!("0.00"));
    if let Some(refunded) = payment.refunded() {
        payload.insert("refundAmount".into(), json!(refunded.as_str()));
    }
    let vendor = Some(payment.vendor.as_str()).filter(|v| !v.is_empty());
    payload.insert("vendor".into(), json!(vendor));
    payload
}

pub(super) fn query_payload(payment: &Payment) -> Payload {
    let mut payload = payment_payload(payment);
    payload.insert("transactionType".into(), json!("payment"));
    // The legacy id the WooCommerce plugin reads: the same number.
    payload.insert("yuansferId".into(), json!(payment.transaction_no));
    let refunds: Vec<Value> = payment
        .refunds
        .iter()
        .map(|r| {
            json!({
                "refundTransactionId": r.refund_transaction_no,
                "refundReference": r.refund_reference,
                "refundAmount": r.amount.as_str(),
                "currency": payment.currency.as_str(),
                "settleCurrency": payment.settle_currency.as_str(),
            })
        })
        .collect();
    payload.insert("refundInfo".into(), Value::Array(refunds));
    payload
}

/// A hosted checkout's answer: where the shopper pays, and for the `YIP` and `APP` terminals
/// a client token.
pub(super) fn hosted_payload(ctx: &Ctx<'_>, payment: &Payment, client_token: bool) -> Payload {
    let mut payload = payment_payload(payment);
    payload.remove("status");
    payload.insert(
        "cashierUrl".into(),
        json!(ctx.sim.cashier_url(&payment.transaction_no)),
    );
    if client_token {
        let token = format!("sandbox-client-token-{}", payment.transaction_no);
        payload.insert("clientToken".into(), json!(token));
        payload.insert("authorization".into(), json!(token));
    }
    payload
}

/// What cancel answers: the payment's fields and, as the Go SDK reads them, the in-store
/// transaction's (its `transactionStatus` beside `status`).
pub(super) fn cancel_payload(payment: &Payment) -> Payload {
    let mut payload = transaction_payload(payment);
    payload.insert("status".into(), json!(payment.status.as_str()));
    payload
}

/// A mixed QR code record: numbered as its payment, its code the cashier page.
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

/// A `settle-list` item, every field a string as the gateway sends them. Pockyt documents no
/// item's fields: `date`, `amount` (net) and `currency` are the names the client's `Settlement`
/// reads, the others the simulator's.
pub(super) fn settlement_payload(item: &SettlementItem) -> Payload {
    fields([
        ("date", item.date.clone()),
        ("currency", item.currency.to_string()),
        ("amount", item.net.to_string()),
        ("grossAmount", item.gross.to_string()),
        ("fee", item.fee.to_string()),
        ("refundAmount", item.refunds.to_string()),
        ("transactionCount", item.count.to_string()),
        ("paymentDate", item.payment_date.clone()),
    ])
}

/// A customer's (or payee's) profile, every field a string.
pub(super) fn profile_payload(profile: HashMap<String, String>) -> Payload {
    profile
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect()
}
