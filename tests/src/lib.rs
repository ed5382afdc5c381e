//! Helpers shared by the end-to-end tests: a simulator, a receiver and a client wired together.

#[cfg(feature = "browser")]
pub mod browser;

use std::time::Duration;

use bytes::Bytes;
use pockyt::ipn::testing::IpnReceiver;
use pockyt::types::*;
use pockyt::{Client, Config, RetryPolicy};
use pockyt_mock::{Merchant, MockGateway};
use pockyt_transport::{HyperTransport, Transport};

/// How long a test waits for an event before failing (events normally take milliseconds).
pub const PATIENCE: Duration = Duration::from_secs(10);

/// A simulator with the demo merchant, an IPN receiver, and a client aimed at them.
pub struct World {
    /// The simulator.
    pub gateway: MockGateway,
    /// The merchant's IPN endpoint.
    pub receiver: IpnReceiver,
    /// The SDK client.
    pub client: Client,
}

impl World {
    /// Starts everything on loopback.
    pub async fn start() -> World {
        World::start_with(MockGateway::builder()).await
    }

    /// Starts everything on loopback, the simulator from `builder` (plus the demo merchant).
    pub async fn start_with(builder: pockyt_mock::MockGatewayBuilder) -> World {
        let gateway = builder
            .merchant(Merchant::demo())
            .start()
            .await
            .expect("simulator starts");
        let receiver = IpnReceiver::start(pockyt::SigningKey::from_token(Merchant::DEMO_TOKEN))
            .await
            .expect("receiver starts");
        let client = Client::new(config(&gateway)).expect("client builds");
        World {
            gateway,
            receiver,
            client,
        }
    }

    /// A checkout of `amount` USD made through `client` (a client on another route to this
    /// simulator), paid, and queried back through it as `success`. Returns its transaction number.
    pub async fn paid_through(&self, client: &Client, amount: &str, reference: &str) -> String {
        let payment = client
            .secure_pay(&self.payment(amount, reference))
            .await
            .unwrap();
        let number = payment.transaction_no.unwrap();
        self.gateway.pay(&number).unwrap();
        let found = client
            .tran_query(&TranQueryRequest::new().transaction_no(number.as_str()))
            .await
            .unwrap();
        assert_eq!(found.status, Some(TransactionStatus::Success));
        number
    }

    /// A hosted-checkout payment of `amount` USD with `reference`, notifying the receiver.
    pub fn payment(&self, amount: &str, reference: &str) -> SecurePayRequest {
        SecurePayRequest::new(
            Amount::parse(amount).expect("valid amount"),
            Currency::Usd,
            SettleCurrency::Usd,
            Vendor::Alipay,
            reference,
            Terminal::Online,
        )
        .ipn_url(self.receiver.url())
        .callback_url("https://merchant.example.com/return?status={status}&amount={amount}&ref={reference}&tx={transactionNo}&note={note}")
    }
}

/// The demo merchant's configuration, aimed at `gateway`, with millisecond back-off.
pub fn config(gateway: &MockGateway) -> Config {
    Config::new("200043", "300014", Merchant::DEMO_TOKEN)
        .expect("valid config")
        .with_base_url(gateway.base_url())
        .with_retry(
            RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
}

/// A loopback port nothing listens on (it was free a moment ago): for a server a test starts, or
/// for a connection that must be refused.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// A plain HTTP exchange with the simulator (the shopper's browser).
pub async fn browser(method: http::Method, url: &str) -> http::Response<Bytes> {
    let transport = HyperTransport::new().expect("transport");
    let request = http::Request::builder()
        .method(method)
        .uri(url)
        .body(Bytes::new())
        .expect("request");
    transport
        .send(request)
        .await
        .expect("the simulator answers")
}

/// Terminates TLS for `host` (a certificate made here) on a loopback port and forwards the bytes
/// to `upstream`. Returns the port's address and the certificate (DER) a client must trust.
pub async fn tls_front(
    upstream: std::net::SocketAddr,
    host: &str,
) -> (std::net::SocketAddr, Vec<u8>) {
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    let generated = rcgen::generate_simple_self_signed(vec![host.to_owned()]).expect("certificate");
    let cert = generated.cert.der().to_vec();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        generated.signing_key.serialize_der(),
    ));
    let config = rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("protocols")
    .with_no_client_auth()
    .with_single_cert(vec![CertificateDer::from(cert.clone())], key)
    .expect("server config");
    let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let (Ok(mut tls), Ok(mut plain)) = (
                    acceptor.accept(stream).await,
                    tokio::net::TcpStream::connect(upstream).await,
                ) else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    (addr, cert)
}
