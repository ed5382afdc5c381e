//! One checkout over TLS on loopback, with a certificate made in the test and trusted through the
//! transport's custom-root option (no built-in roots at all).

use pockyt::types::*;
use pockyt::{Client, Config};
use pockyt_e2e::World;
use pockyt_mock::Merchant;
use pockyt_transport::HyperTransport;

#[tokio::test]
async fn checkout_over_tls_with_a_custom_root() {
    let world = World::start().await;
    let (front, cert) = pockyt_e2e::tls_front(world.gateway.addr(), "localhost").await;
    let port = front.port();
    let transport = HyperTransport::builder()
        .built_in_roots(false)
        .add_root_certificate_der(cert)
        .build()
        .expect("transport");
    let config = Config::new("200043", "300014", Merchant::DEMO_TOKEN)
        .unwrap()
        .with_base_url(format!("https://localhost:{port}"));
    let client = Client::builder(config)
        .transport(transport)
        .build()
        .unwrap();

    world.paid_through(&client, "9.99", "tls-1").await;

    // Without the custom root the same gateway is refused at the handshake, and nothing is retried.
    let untrusting = Client::builder(
        Config::new("200043", "300014", Merchant::DEMO_TOKEN)
            .unwrap()
            .with_base_url(format!("https://localhost:{port}")),
    )
    .transport(
        HyperTransport::builder()
            .built_in_roots(false)
            .build()
            .unwrap(),
    )
    .build()
    .unwrap();
    let err = untrusting
        .tran_query(&TranQueryRequest::new().reference("tls-1"))
        .await
        .unwrap_err();
    match err {
        pockyt::Error::Transport {
            error: source,
            attempts,
            ..
        } => {
            assert_eq!(source.kind(), pockyt::TransportErrorKind::Tls, "{source:?}");
            assert_eq!(attempts, 1);
        }
        other => panic!("expected a TLS error, got {other}"),
    }
}
