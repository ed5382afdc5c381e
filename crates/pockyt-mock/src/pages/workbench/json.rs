//! The workbench's JSON documents under `/_mock/`: a payment (with its refunds and IPN attempts)
//! and paged lists of payments and of attempts, for tests and scripts.

use http::{Response, StatusCode, header};
use serde_json::{Value, json};

use super::paging::Page;
use crate::ipn::IpnAttempt;
use crate::respond::{MockBody, json};
use crate::state::Payment;

/// A JSON list page: the array, with `X-Total-Count` and a `Link` header (RFC 8288) to the
/// previous and next pages.
pub(super) fn json_page(
    path: &str,
    page: Page,
    total: usize,
    list: Vec<Value>,
) -> Response<MockBody> {
    let mut response = json(StatusCode::OK, &Value::Array(list));
    let mut links = Vec::new();
    if page.number > 1 {
        links.push(format!("<{path}?page={}>; rel=\"prev\"", page.number - 1));
    }
    if page.has_next(total) {
        links.push(format!("<{path}?page={}>; rel=\"next\"", page.number + 1));
    }
    let headers = response.headers_mut();
    headers.insert("x-total-count", header::HeaderValue::from(total));
    if let Ok(value) = header::HeaderValue::from_str(&links.join(", "))
        && !links.is_empty()
    {
        headers.insert(header::LINK, value);
    }
    response
}

pub(super) fn payment_json(payment: &Payment) -> Value {
    let refunds: Vec<Value> = payment
        .refunds
        .iter()
        .map(|r| {
            json!({
                "refundTransactionNo": r.refund_transaction_no,
                "refundReference": r.refund_reference,
                "amount": r.amount.as_str(),
            })
        })
        .collect();
    json!({
        "transactionNo": payment.transaction_no,
        "reference": payment.reference,
        "merchantNo": payment.merchant_no,
        "storeNo": payment.store_no,
        "status": payment.status.as_str(),
        "amount": payment.amount.as_str(),
        "currency": payment.currency.as_str(),
        "settleCurrency": payment.settle_currency.as_str(),
        "vendor": payment.vendor.as_str(),
        "createdBy": payment.created_by,
        "created": payment.created,
        "ipnUrl": payment.ipn_url,
        "callbackUrl": payment.callback_url,
        "refunds": refunds,
        "refunded": payment.refunded().map(|a| a.to_string()),
        "refundable": payment.refundable().map(|a| a.to_string()),
    })
}

pub(super) fn attempts_json(attempts: &[IpnAttempt]) -> Value {
    Value::Array(
        attempts
            .iter()
            .map(|a| {
                json!({
                    "transactionNo": a.transaction_no,
                    "status": a.status.as_str(),
                    "url": a.url,
                    "attempt": a.attempt,
                    "httpStatus": a.http_status,
                    "acknowledged": a.acknowledged,
                    "error": a.error,
                    "at": a.at,
                    "answer": a.answer,
                    "nextRetryInMs": a.next_retry_in.map(|d| d.as_millis() as u64),
                })
            })
            .collect(),
    )
}
