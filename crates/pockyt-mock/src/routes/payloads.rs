//! The payment shapes the gateway answers with: the creation answer, the in-store transaction and
//! the query answer, with refunds listed and amounts at the currency's precision.

use serde_json::{Value, json};

use crate::clock::readable;
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

pub(super) fn transaction_payload(payment: &Payment) -> Payload {
    let mut payload = payment_payload(payment);
    if let Some(status) = payload.remove("status") {
        payload.insert("transactionStatus".into(), status);
    }
    payload.insert("storeNo".into(), json!(payment.store_no));
    payload.insert("transactionType".into(), json!("payment"));
    payload.insert("createTime".into(), json!(readable(&payment.created)));
    if let Some(refunded) = payment.refunded() {
        payload.insert("refundAmount".into(), json!(refunded.as_str()));
    }
    if !payment.vendor.as_str().is_empty() {
        payload.insert("vendor".into(), json!(payment.vendor.as_str()));
    }
    payload
}

pub(super) fn query_payload(payment: &Payment) -> Payload {
    let mut payload = payment_payload(payment);
    payload.insert("transactionType".into(), json!("payment"));
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
