//! Fault injection against the simulator through the real HyperTransport: each fault ends in the
//! exact error class, and no payment is ever created twice. Timeouts are configured in
//! milliseconds, so the suite takes a fraction of a second.

use std::time::Duration;

use pockyt::types::*;
use pockyt::{Client, Error, RetryPolicy, TransportErrorKind};
use pockyt_e2e::World;
use pockyt_mock::{Fault, FaultKind};
use pockyt_transport::HyperTransport;

const QUERY: &str = "/app-data-search/v3/tran-query";
const PAY: &str = "/online/v3/secure-pay";

fn fast_client(world: &World, attempt_ms: u64) -> Client {
    let config = pockyt_e2e::config(&world.gateway)
        .with_attempt_timeout(Duration::from_millis(attempt_ms))
        .with_overall_timeout(Duration::from_secs(5))
        .with_retry(
            RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(2)),
        );
    Client::new(config).unwrap()
}

async fn paid(world: &World, reference: &str) -> String {
    let number = world
        .client
        .secure_pay(&world.payment("2.00", reference))
        .await
        .unwrap()
        .transaction_no
        .unwrap();
    world.gateway.pay(&number).unwrap();
    number
}

#[tokio::test]
async fn latency_past_the_attempt_timeout_retries_a_query_but_never_a_payment() {
    let world = World::start().await;
    let number = paid(&world, "slow-1").await;
    let client = fast_client(&world, 50);

    world.gateway.set_fault(
        QUERY,
        Fault::times(FaultKind::Latency(Duration::from_millis(300)), 1),
    );
    let found = client
        .tran_query(&TranQueryRequest::new().transaction_no(number))
        .await
        .unwrap();
    assert_eq!(
        found.status,
        Some(TransactionStatus::Success),
        "the retry got through"
    );

    world.gateway.set_fault(
        PAY,
        Fault::times(FaultKind::Latency(Duration::from_millis(300)), 1),
    );
    let err = client
        .secure_pay(&world.payment("2.00", "slow-pay"))
        .await
        .unwrap_err();
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
    // The slow request may still land. find_by_reference tells what the gateway has now; resending
    // with the same reference is then safe because the gateway refuses a reference twice.
    let found = client
        .find_by_reference("slow-pay")
        .await
        .unwrap()
        .is_some();
    let resent = client.secure_pay(&world.payment("2.00", "slow-pay")).await;
    match resent {
        Ok(_) => assert!(
            !found,
            "a payment found by reference must not be created again"
        ),
        Err(e) => assert_eq!(e.ret_code(), Some(&RetCode::InvalidParameter), "{e}"),
    }
    assert_eq!(
        world
            .gateway
            .payments()
            .iter()
            .filter(|p| p.reference.as_deref() == Some("slow-pay"))
            .count(),
        1
    );
}

#[tokio::test]
async fn bad_gateway_on_queries_is_retried_then_succeeds() {
    let world = World::start().await;
    let number = paid(&world, "q-502").await;
    world
        .gateway
        .set_fault(QUERY, Fault::times(FaultKind::Status(502), 2));
    let found = world
        .client
        .tran_query(&TranQueryRequest::new().transaction_no(number))
        .await
        .unwrap();
    assert_eq!(found.status, Some(TransactionStatus::Success));
}

#[tokio::test]
async fn service_unavailable_on_a_payment_is_one_attempt_and_recoverable() {
    let world = World::start().await;
    world
        .gateway
        .set_fault(PAY, Fault::times(FaultKind::Status(503), 1));
    let err = world
        .client
        .secure_pay(&world.payment("5.00", "pay-503"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::HttpStatus {
                status: 503,
                attempts: 1,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.request_may_have_been_sent());
    // The fault answered before the handler: the payment does not exist, so it is safe to resend.
    assert!(
        world
            .client
            .find_by_reference("pay-503")
            .await
            .unwrap()
            .is_none()
    );
    world
        .client
        .secure_pay(&world.payment("5.00", "pay-503"))
        .await
        .unwrap();
    assert_eq!(world.gateway.payments().len(), 1);
}

#[tokio::test]
async fn connection_dropped_before_an_answer() {
    let world = World::start().await;
    world
        .gateway
        .set_fault(PAY, Fault::times(FaultKind::DropConnection, 1));
    let err = world
        .client
        .secure_pay(&world.payment("1.00", "dropped"))
        .await
        .unwrap_err();
    match &err {
        Error::Transport {
            error: source,
            attempts,
            ..
        } => {
            assert_eq!(source.kind(), TransportErrorKind::Io, "{source}");
            assert!(source.request_may_have_been_sent());
            assert_eq!(
                *attempts, 1,
                "a payment is not resent after the request may have left"
            );
        }
        other => panic!("expected a transport error, got {other}"),
    }
    assert!(world.gateway.payments().is_empty());
}

#[tokio::test]
async fn truncated_body_is_an_io_failure_and_a_query_retries_it() {
    let world = World::start().await;
    let number = paid(&world, "trunc").await;
    world
        .gateway
        .set_fault(QUERY, Fault::times(FaultKind::TruncatedBody, 1));
    let found = world
        .client
        .tran_query(&TranQueryRequest::new().transaction_no(number.clone()))
        .await
        .unwrap();
    assert_eq!(found.transaction_no.as_deref(), Some(number.as_str()));

    world
        .gateway
        .set_fault(QUERY, Fault::always(FaultKind::TruncatedBody));
    let err = world
        .client
        .tran_query(&TranQueryRequest::new().transaction_no(number))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport { error, attempts: 3, .. } if error.kind() == TransportErrorKind::Io),
        "{err}"
    );
}

#[tokio::test]
async fn html_page_with_status_200_is_a_decode_error() {
    let world = World::start().await;
    world
        .gateway
        .set_fault(PAY, Fault::times(FaultKind::HtmlPage, 1));
    let err = world
        .client
        .secure_pay(&world.payment("1.00", "html"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Decode { snippet, .. } if snippet.contains("Bad Gateway")),
        "{err}"
    );
    assert!(world.gateway.payments().is_empty());
}

#[tokio::test]
async fn body_over_the_cap_is_refused_while_streaming() {
    let world = World::start().await;
    world.gateway.set_fault(
        QUERY,
        Fault::always(FaultKind::OversizedBody(4 * 1024 * 1024)),
    );
    let transport = HyperTransport::builder()
        .max_response_bytes(64 * 1024)
        .build()
        .unwrap();
    let client = Client::builder(pockyt_e2e::config(&world.gateway))
        .transport(transport)
        .build()
        .unwrap();
    let err = client
        .tran_query(&TranQueryRequest::new().reference("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport { error, attempts: 1, .. } if error.kind() == TransportErrorKind::BodyTooLarge),
        "{err}"
    );
}

#[tokio::test]
async fn endless_slow_body_hits_the_attempt_timeout() {
    let world = World::start().await;
    world.gateway.set_fault(
        QUERY,
        Fault::always(FaultKind::SlowBody(Duration::from_millis(20))),
    );
    let client = fast_client(&world, 60);
    let err = client
        .tran_query(&TranQueryRequest::new().reference("x"))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(matches!(err, Error::Timeout { attempts: 3, .. }), "{err}");
}

#[tokio::test]
async fn one_in_n_server_errors_on_queries_never_surface() {
    let world = World::start().await;
    let number = paid(&world, "rate").await;
    world
        .gateway
        .set_fault(QUERY, Fault::one_in(FaultKind::Status(503), 3));
    for _ in 0..30 {
        world
            .client
            .tran_query(&TranQueryRequest::new().transaction_no(number.clone()))
            .await
            .unwrap();
    }
}
