//! The `rustls-aws-lc` feature really selects aws-lc through the facade.
//!
//! `.ci/run` builds this with `--no-default-features --features rustls-aws-lc,webpki-roots` (and
//! checks with `cargo tree` that ring is then not compiled at all). The client's built-in transport
//! makes one signed call over TLS to a loopback server that accepts only X25519MLKEM768, a key
//! exchange that aws-lc-rs's provider has and ring's has not: a client running ring fails the
//! handshake, so a completed call shows which provider the client ran.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;

use pockyt::transport::HyperTransport;
use pockyt::types::{Amount, Currency, SecurePayRequest, SettleCurrency, Terminal, Vendor};
use pockyt::{Client, Config};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

// A self-signed certificate for `localhost` (valid until 2126) and its key, made once with openssl;
// a fixture keeps certificate generation (and its own crypto backend) out of this build.
const CERT: &[u8] = include_bytes!("tls/localhost.cert.der");
const KEY: &[u8] = include_bytes!("tls/localhost.key.der");

const ANSWER: &str = r#"{"ret_code":"000100","ret_msg":"ok","result":{"transactionNo":"342127388232290055","cashierUrl":"https://mapi.yuansferdev.com/app-redirect-record/x"}}"#;

/// Serves one HTTPS request on a loopback port with a canned gateway answer; returns the port and
/// the key exchange group the handshake settled on.
fn one_shot_server() -> (u16, std::thread::JoinHandle<Option<rustls::NamedGroup>>) {
    let mut provider = rustls::crypto::aws_lc_rs::default_provider();
    provider.kx_groups = vec![rustls::crypto::aws_lc_rs::kx_group::X25519MLKEM768];
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(provider))
        .with_safe_default_protocol_versions()
        .expect("protocols")
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(CERT.to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(KEY.to_vec())),
        )
        .expect("server config");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let server = std::thread::spawn(move || {
        let (tcp, _) = listener.accept().ok()?;
        let conn = rustls::ServerConnection::new(Arc::new(config)).ok()?;
        let mut tls = BufReader::new(rustls::StreamOwned::new(conn, tcp));
        // Headers, then exactly Content-Length bytes of body.
        let mut length = 0;
        loop {
            let mut line = String::new();
            tls.read_line(&mut line).ok()?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().ok()?;
            }
        }
        let mut body = vec![0; length];
        tls.read_exact(&mut body).ok()?;
        let tls = tls.get_mut();
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{ANSWER}",
            ANSWER.len()
        );
        tls.write_all(response.as_bytes()).ok()?;
        let group = tls.conn.negotiated_key_exchange_group().map(|g| g.name());
        tls.conn.send_close_notify();
        let _ = tls.flush();
        group
    });
    (port, server)
}

#[tokio::test]
async fn the_built_in_transport_calls_over_tls_with_aws_lc() {
    let (port, server) = one_shot_server();
    let config = Config::new("200043", "300014", "aws-lc-token")
        .expect("config")
        .with_base_url(format!("https://localhost:{port}"));
    let transport = HyperTransport::builder()
        .built_in_roots(false)
        .add_root_certificate_der(CERT.to_vec())
        .build()
        .expect("transport");
    let client = Client::builder(config)
        .transport(transport)
        .build()
        .expect("client");
    let request = SecurePayRequest::new(
        Amount::parse("12.50").expect("amount"),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        "aws-lc-0001",
        Terminal::Online,
    )
    .ipn_url("https://merchant.example.com/pockyt/ipn")
    .callback_url("https://merchant.example.com/return");

    let payment = client
        .secure_pay(&request)
        .await
        .expect("a TLS call with aws-lc");

    assert_eq!(
        payment.transaction_no.as_deref(),
        Some("342127388232290055")
    );
    let group = server.join().expect("server thread");
    assert_eq!(group, Some(rustls::NamedGroup::X25519MLKEM768));
}
