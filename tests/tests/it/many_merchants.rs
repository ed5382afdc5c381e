//! Per-call control and many merchants over one pool, end to end against the simulator.

use std::sync::Arc;
use std::time::Duration;

use pockyt::types::*;
use pockyt::{CallOptions, Client, Config, Error, RetryPolicy, Transport};
use pockyt_mock::{Fault, FaultKind, Merchant, MockGateway};
use pockyt_transport::HyperTransport;

fn merchant(i: usize) -> Merchant {
    Merchant::new(
        format!("6{i:05}"),
        format!("7{i:05}"),
        &format!("token-{i}"),
    )
}

fn config(gateway: &pockyt_mock::MockGateway, i: usize, token_of: usize) -> Config {
    Config::new(
        format!("6{i:05}"),
        format!("7{i:05}"),
        &format!("token-{token_of}"),
    )
    .unwrap()
    .with_base_url(gateway.base_url())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_merchants_share_one_pool_and_never_each_others_keys() {
    const MERCHANTS: usize = 1000;
    const IN_FLIGHT: usize = 8;
    let mut builder = MockGateway::builder();
    for i in 0..MERCHANTS {
        builder = builder.merchant(merchant(i));
    }
    let gateway = builder.start().await.unwrap();
    // One transport: one connection pool, one TLS configuration, for every merchant.
    let transport: Arc<dyn Transport> = Arc::new(HyperTransport::builder().build().unwrap());
    let clients: Vec<Client> = (0..MERCHANTS)
        .map(|i| {
            Client::builder(config(&gateway, i, i))
                .shared_transport(transport.clone())
                .build()
                .unwrap()
        })
        .collect();
    let clients = Arc::new(clients);
    let mut tasks = tokio::task::JoinSet::new();
    for lane in 0..IN_FLIGHT {
        let clients = clients.clone();
        tasks.spawn(async move {
            let mut codes = Vec::new();
            for client in clients.iter().skip(lane).step_by(IN_FLIGHT) {
                let query = TranQueryRequest::new().reference("nothing-here");
                let err = client.tran_query(&query).await.unwrap_err();
                codes.push(err.ret_code().cloned());
            }
            codes
        });
    }
    let mut answered = 0;
    while let Some(codes) = tasks.join_next().await {
        for code in codes.unwrap() {
            // "No such record": the simulator verified each request with that merchant's own key
            // (a request signed with another merchant's key would be 000030).
            assert_eq!(code, Some(RetCode::NoRecord));
            answered += 1;
        }
    }
    assert_eq!(answered, MERCHANTS);
    // One pool: a handful of connections for a thousand merchants (a client per merchant with
    // its own transport opens at least one each). The pool returns a connection a moment after
    // its answer is read, so a call may open a new one meanwhile: allow some beyond 8 in flight.
    let connections = gateway.connections_accepted();
    assert!(
        (1..=4 * IN_FLIGHT).contains(&connections),
        "{connections} connections for {MERCHANTS} merchants"
    );

    // The control: a merchant signing with another's key is refused, so the check above can fail.
    let crossed = Client::builder(config(&gateway, 1, 2))
        .shared_transport(transport)
        .build()
        .unwrap();
    let err = crossed
        .tran_query(&TranQueryRequest::new().reference("x"))
        .await
        .unwrap_err();
    assert_eq!(err.ret_code(), Some(&RetCode::AccessDenied));
}

fn busy(status: u16, after: &str) -> Fault {
    Fault::times(FaultKind::StatusRetryAfter(status, after.to_owned()), 1)
}

async fn client_for(gateway: &pockyt_mock::MockGateway) -> Client {
    Client::new(
        Config::new("200043", "300014", Merchant::DEMO_TOKEN)
            .unwrap()
            .with_base_url(gateway.base_url())
            .with_retry(
                RetryPolicy::default().backoff(Duration::from_secs(30), Duration::from_secs(30)),
            ),
    )
    .unwrap()
}

#[tokio::test]
async fn the_simulators_retry_after_is_honoured_in_both_forms() {
    let gateway = MockGateway::builder().start().await.unwrap();
    let client = client_for(&gateway).await;
    let query = TranQueryRequest::new().reference("r");
    // Seconds, within the deadline: retried after 0 s instead of the 30 s back-off.
    gateway.set_fault(TranQueryRequest::PATH, busy(503, "0"));
    let started = std::time::Instant::now();
    let err = client.tran_query(&query).await.unwrap_err();
    assert_eq!(err.ret_code(), Some(&RetCode::NoRecord), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10));
    // An HTTP date in the past: the same.
    gateway.set_fault(
        TranQueryRequest::PATH,
        busy(429, "Wed, 21 Oct 2015 07:28:00 GMT"),
    );
    let err = client.tran_query(&query).await.unwrap_err();
    assert_eq!(err.ret_code(), Some(&RetCode::NoRecord), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10));
    // Past the deadline: at once, with the wait in the error.
    gateway.set_fault(TranQueryRequest::PATH, busy(503, "3600"));
    let err = client.tran_query(&query).await.unwrap_err();
    assert!(
        matches!(err, Error::HttpStatus { status: 503, attempts: 1, retry_after: Some(wait), .. } if wait == Duration::from_secs(3600)),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn a_view_with_options_shares_the_client_and_a_payment_stays_unretried() {
    let gateway = MockGateway::builder().start().await.unwrap();
    let client = client_for(&gateway).await;
    let eager = client
        .with_options(
            CallOptions::new().with_retry(
                RetryPolicy::never()
                    .max_attempts(5)
                    .retry_mutating(true)
                    .backoff(Duration::ZERO, Duration::ZERO),
            ),
        )
        .unwrap();
    gateway.set_fault(SecurePayRequest::PATH, busy(503, "0"));
    let request = SecurePayRequest::new(
        Amount::parse("1.00").unwrap(),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        "view-1",
        Terminal::Yip,
    );
    let err = eager.secure_pay(&request).await.unwrap_err();
    assert!(
        matches!(err, Error::HttpStatus { attempts: 1, .. }),
        "{err}"
    );
    // The view and the client use the same connections.
    let before = gateway.connections_accepted();
    client
        .tran_query(&TranQueryRequest::new().reference("x"))
        .await
        .unwrap_err();
    eager
        .tran_query(&TranQueryRequest::new().reference("x"))
        .await
        .unwrap_err();
    assert!(gateway.connections_accepted() <= before + 1);
}
