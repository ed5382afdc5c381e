//! Injected faults apply to exactly the requests they were set for: every one, the next `n`,
//! or one in `n`.

use crate::support;
use pockyt::types::*;
use pockyt::{Client, Error};
use pockyt_mock::{Fault, FaultKind, MockGateway};

/// For each of `n` queries: whether the gateway answered 503.
async fn refused(client: &Client, n: usize) -> Vec<bool> {
    let mut out = Vec::new();
    for _ in 0..n {
        let result = client
            .tran_query(&TranQueryRequest::new().reference("none"))
            .await;
        out.push(matches!(result, Err(Error::HttpStatus { status: 503, .. })));
    }
    out
}

#[tokio::test]
async fn a_fault_for_n_requests_stops_after_n() {
    let gateway = MockGateway::builder().start().await.unwrap();
    let client = support::client(&gateway);
    gateway.set_fault("*", Fault::times(FaultKind::Status(503), 2));
    assert_eq!(refused(&client, 4).await, [true, true, false, false]);
}

#[tokio::test]
async fn one_in_n_is_every_nth_request() {
    let gateway = MockGateway::builder().start().await.unwrap();
    let client = support::client(&gateway);
    gateway.set_fault("*", Fault::one_in(FaultKind::Status(503), 3));
    assert_eq!(
        refused(&client, 6).await,
        [false, false, true, false, false, true]
    );
}

#[tokio::test]
async fn a_fault_on_one_path_leaves_the_others_alone() {
    let gateway = MockGateway::builder().start().await.unwrap();
    let client = support::client(&gateway);
    gateway.set_fault(
        TranQueryRequest::PATH,
        Fault::always(FaultKind::Status(503)),
    );
    assert_eq!(refused(&client, 2).await, [true, true]);
    let payment = SecurePayRequest::new(
        Amount::parse("1.00").unwrap(),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        "p-1",
        Terminal::Online,
    )
    .callback_url("https://merchant.example.com/back");
    client.secure_pay(&payment).await.unwrap();
    gateway.clear_faults();
    assert_eq!(refused(&client, 1).await, [false]);
}
