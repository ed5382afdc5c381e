//! The blocking client behaves as the async one: the same answers, errors, retries and
//! timeouts, without async in the caller. No network: `MockTransport` and `transport_fn`.

use crate::support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use pockyt::blocking::Client;
use pockyt::types::*;
use pockyt::{CallOptions, Error, RetryPolicy};
use pockyt_transport::{MockTransport, transport_fn};
use support::{SUCCESS, assert_signed_post, config};

fn over(mock: &MockTransport) -> Client {
    let mock = mock.clone();
    Client::from_async(|| pockyt::Client::builder(config()).transport(mock).build()).unwrap()
}

fn query() -> TranQueryRequest {
    TranQueryRequest::new().reference("order-1")
}

fn payment() -> SecurePayRequest {
    SecurePayRequest::new(
        Amount::parse("12.50").unwrap(),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        "order-1",
        Terminal::Yip,
    )
}

#[test]
fn a_call_sends_the_same_signed_post_and_decodes_the_answer() {
    let mock = MockTransport::new();
    mock.push_json(
        200,
        r#"{"ret_code":"000100","ret_msg":"ok","result":{"transactionNo":"30001","status":"success"}}"#,
    );
    let client = over(&mock);
    let found = client.tran_query(&query()).unwrap();
    assert_eq!(found.transaction_no.as_deref(), Some("30001"));
    assert_eq!(found.status, Some(TransactionStatus::Success));
    assert_signed_post(&mock, TranQueryRequest::PATH, &query().wire_pairs());
}

#[test]
fn errors_are_the_async_clients() {
    let mock = MockTransport::new();
    mock.push_json(200, r#"{"ret_code":"000021","ret_msg":"no record"}"#);
    mock.push_response(404, "not here");
    let client = over(&mock);
    let api = client.tran_query(&query()).unwrap_err();
    assert_eq!(api.ret_code(), Some(&RetCode::NoRecord));
    let status = client.tran_query(&query()).unwrap_err();
    assert!(
        matches!(status, Error::HttpStatus { status: 404, .. }),
        "{status}"
    );
    // Invalid: nothing is sent.
    let bad = RefundRequest::new(
        Amount::parse("0.00").unwrap(),
        Currency::Usd,
        SettleCurrency::Usd,
    )
    .transaction_no("1");
    assert!(matches!(client.refund(&bad), Err(Error::InvalidRequest(_))));
    assert_eq!(mock.requests().len(), 2);
    // find_by_reference reads "no record" as None.
    mock.push_json(200, r#"{"ret_code":"000021","ret_msg":"no record"}"#);
    assert!(client.find_by_reference("nothing").unwrap().is_none());
}

#[test]
fn a_query_is_retried_and_a_payment_is_not() {
    let mock = MockTransport::new();
    mock.push_response(503, "busy").push_json(200, SUCCESS);
    let client = over(&mock);
    client.tran_query(&query()).unwrap();
    assert_eq!(mock.requests().len(), 2);

    let mock = MockTransport::new();
    mock.push_response(503, "busy").push_json(200, SUCCESS);
    let client = over(&mock);
    let err = client.secure_pay(&payment()).unwrap_err();
    assert!(
        matches!(err, Error::HttpStatus { attempts: 1, .. }),
        "{err}"
    );
    assert!(err.outcome_unknown());
    assert_eq!(mock.requests().len(), 1);
    // Per-call options on the blocking client too.
    let once = over(&MockTransport::new());
    assert!(
        once.with_options(CallOptions::new().without_retry())
            .is_ok()
    );
}

#[test]
fn the_attempt_timeout_applies() {
    let calls = Arc::new(AtomicU32::new(0));
    let counted = calls.clone();
    let silent = transport_fn(move |_| {
        counted.fetch_add(1, Ordering::SeqCst);
        std::future::pending()
    });
    let config = config()
        .with_attempt_timeout(Duration::from_millis(50))
        .with_overall_timeout(Duration::from_millis(120))
        .with_retry(RetryPolicy::default().backoff(Duration::ZERO, Duration::ZERO));
    let client =
        Client::from_async(|| pockyt::Client::builder(config).transport(silent).build()).unwrap();
    let err = client.secure_pay(&payment()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                attempts: 1,
                maybe_sent: true,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "a payment is not retried after a timeout"
    );
}

#[test]
fn inside_an_async_runtime_it_refuses_instead_of_panicking_and_drops_cleanly() {
    let mock = MockTransport::new();
    mock.push_json(200, SUCCESS);
    let client = over(&mock);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let (err, client) =
        runtime.block_on(async move { (client.tran_query(&query()).unwrap_err(), client) });
    assert!(matches!(err, Error::BlockingInAsync), "{err}");
    assert!(!err.outcome_unknown() && !err.request_may_have_been_sent());
    assert!(mock.requests().is_empty(), "nothing was sent");
    // Dropping the last handle inside a runtime must not panic either.
    runtime.block_on(async move { drop(client) });
}

/// Issue 24, item 3: the blocking client with `Duration::MAX` timeouts (configuration and call
/// options) calls instead of panicking on its thread.
#[test]
fn duration_max_timeouts_never_panic_in_the_blocking_client() {
    let mock = MockTransport::new();
    mock.push_json(200, SUCCESS);
    mock.push_json(200, SUCCESS);
    let config = config()
        .with_attempt_timeout(Duration::MAX)
        .with_overall_timeout(Duration::MAX);
    let client = {
        let mock = mock.clone();
        Client::from_async(|| pockyt::Client::builder(config).transport(mock).build()).unwrap()
    };
    client.tran_query(&query()).unwrap();
    let view = over(&mock)
        .with_options(CallOptions::new().with_overall_timeout(Duration::MAX))
        .unwrap();
    view.tran_query(&query()).unwrap();
    assert_eq!(mock.requests().len(), 2);
}

/// The nightly job's call: the blocking client reconciles as the async one, and inside a runtime
/// it refuses with the client's reason instead of blocking a worker.
#[test]
fn a_nightly_job_reconciles_without_async_and_is_refused_inside_a_runtime() {
    use pockyt::reconcile::{Difference, ReconcileError, Window};

    let mock = MockTransport::new();
    mock.push_json(
        200,
        r#"{"ret_code":"000100","ret_msg":"ok","transactions":[{"reference":"order-7",
            "transactionNo":"7","amount":"12.00","currency":"USD","transactionStatus":"success",
            "createTime":"2026-12-07 10:00:00","paymentTime":"2026-12-07 10:00:05"}],"size":1}"#,
    );
    mock.push_json(
        200,
        r#"{"ret_code":"000100","ret_msg":"ok","settlements":[],"size":0}"#,
    );
    let client = over(&mock);
    let window = Window::day(GatewayDate::parse("20261207").unwrap());
    let report = client.reconcile(&window, [], |_| {}).unwrap();
    assert!(
        matches!(&report.differences[..], [Difference::MissingInLedger(t)]
        if t.reference.as_deref() == Some("order-7"))
    );
    assert_eq!(report.calls, 2);

    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let inside = runtime.block_on(async { client.reconcile(&window, [], |_| {}) });
    assert!(
        matches!(inside, Err(ReconcileError::Client(Error::BlockingInAsync))),
        "{inside:?}"
    );
}
