//! The payment shapes the gateway answers with: the creation answer, the in-store transaction and
//! the query answer, with refunds listed and amounts at the currency's precision.

use serde_json::{Value, json};

use crate::clock::{gateway_time, readable};
use crate::gateway::Payload;
use crate::state::Payment;

pub(super) fn fields<const N: usize>(pairs: [(&str, String); N]) -> Payload {
    pairs
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Value::String(v)))
        .collect()
}

pub(super) fn empty_list(key: &str) -> Payload {
    let mut payload = Payload::new();
    payload.insert(key.into(), json!([]));
    payload.insert("size".into(), json!(0));
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
