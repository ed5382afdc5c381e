//! One checkout over TLS on loopback, with a certificate made in the test and trusted through the
//! transport's custom-root option (no built-in roots at all).

use std::sync::Arc;

use pockyt::types::*;
use pockyt::{Client, Config};
use pockyt_e2e::World;
use pockyt_mock::Merchant;
use pockyt_transport::HyperTransport;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::net::{TcpListener, TcpStream};

/// Terminates TLS for `localhost` and forwards the bytes to `upstream`. Returns the port and the
/// certificate (DER) a client must trust.
async fn tls_front(upstream: std::net::SocketAddr) -> (u16, Vec<u8>) {
    let generated =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("certificate");
    let cert = generated.cert.der().to_vec();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        generated.signing_key.serialize_der(),
    ));
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("protocols")
    .with_no_client_auth()
    .with_single_cert(vec![CertificateDer::from(cert.clone())], key)
    .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let (Ok(mut tls), Ok(mut plain)) = (
                    acceptor.accept(stream).await,
                    TcpStream::connect(upstream).await,
                ) else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    (port, cert)
}

#[tokio::test]
async fn checkout_over_tls_with_a_custom_root() {
    let world = World::start().await;
    let (port, cert) = tls_front(world.gateway.addr()).await;
    let transport = HyperTransport::builder()
        .built_in_roots(false)
        .add_root_certificate_der(cert)
        .build()
        .expect("transport");
    let config = Config::new("200043", "300014", Merchant::DEMO_TOKEN)
        .unwrap()
        .base_url(format!("https://localhost:{port}"));
    let client = Client::builder(config)
        .transport(transport)
        .build()
        .unwrap();

    let payment = client
        .secure_pay(&world.payment("9.99", "tls-1"))
        .await
        .unwrap();
    let number = payment.transaction_no.unwrap();
    world.gateway.pay(&number).unwrap();
    let found = client
        .tran_query(&TranQueryRequest::new().transaction_no(number))
        .await
        .unwrap();
    assert_eq!(found.status, Some(TransactionStatus::Success));

    // Without the custom root the same gateway is refused at the handshake, and nothing is retried.
    let untrusting = Client::builder(
        Config::new("200043", "300014", Merchant::DEMO_TOKEN)
            .unwrap()
            .base_url(format!("https://localhost:{port}")),
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
        } => {
            assert_eq!(source.kind(), pockyt::TransportErrorKind::Tls, "{source:?}");
            assert_eq!(attempts, 1);
        }
        other => panic!("expected a TLS error, got {other}"),
    }
}
