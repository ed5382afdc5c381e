//! The client behind an HTTP proxy: a CONNECT proxy written here, on loopback, in front of the
//! simulator behind TLS with a test-made root. The gateway's name (`gateway.test`) is resolved by
//! the proxy alone, as a proxy in a closed network does.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use pockyt::types::*;
use pockyt::{Client, Config, Error, RetryPolicy, TransportErrorKind};
use pockyt_e2e::World;
use pockyt_mock::Merchant;
use pockyt_transport::HyperTransport;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// `user:pass`, base64: what the proxy expects in `Proxy-Authorization: Basic …`.
const CREDENTIALS: &str = "dXNlcjpwYXNz";

/// A CONNECT proxy: answers 407 without the right `Proxy-Authorization`, else tunnels every
/// target to `upstream`. Records the targets it was asked for.
async fn connect_proxy(upstream: SocketAddr) -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
    connect_proxy_for(upstream, CREDENTIALS).await
}

/// [`connect_proxy`], expecting `credentials` (base64 of `user:password`).
async fn connect_proxy_for(
    upstream: SocketAddr,
    credentials: &'static str,
) -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let targets = Arc::new(Mutex::new(Vec::new()));
    let seen = targets.clone();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if client.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let target = head
                    .lines()
                    .next()
                    .and_then(|l| l.strip_prefix("CONNECT "))
                    .and_then(|l| l.split(' ').next())
                    .unwrap_or_default()
                    .to_owned();
                seen.lock().unwrap().push(target);
                let authorized = head.lines().any(|l| {
                    l.eq_ignore_ascii_case(&format!("proxy-authorization: Basic {credentials}"))
                });
                if !authorized {
                    let _ = client
                        .write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n")
                        .await;
                    return;
                }
                let Ok(mut server) = TcpStream::connect(upstream).await else {
                    return;
                };
                let _ = client
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .await;
                let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
            });
        }
    });
    (addr, targets)
}

fn client(tls: SocketAddr, cert: Vec<u8>, env: Vec<(&'static str, String)>) -> Client {
    let transport = HyperTransport::builder()
        .built_in_roots(false)
        .add_root_certificate_der(cert)
        .proxy_from_lookup(move |name| env.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone()))
        .build()
        .unwrap();
    let config = Config::new("200043", "300014", Merchant::DEMO_TOKEN)
        .unwrap()
        .with_base_url(format!("https://gateway.test:{}", tls.port()))
        .with_retry(RetryPolicy::never());
    Client::builder(config)
        .transport(transport)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_checkout_through_a_connect_proxy_set_by_https_proxy_alone() {
    let world = World::start().await;
    let (tls, cert) = pockyt_e2e::tls_front(world.gateway.addr(), "gateway.test").await;
    let (proxy, targets) = connect_proxy(tls).await;
    let env = vec![("HTTPS_PROXY", format!("http://user:pass@{proxy}"))];
    let client = client(tls, cert, env);

    world.paid_through(&client, "4.20", "proxied-1").await;
    let targets = targets.lock().unwrap().clone();
    assert!(!targets.is_empty());
    assert!(
        targets
            .iter()
            .all(|t| *t == format!("gateway.test:{}", tls.port())),
        "{targets:?}"
    );
}

#[tokio::test]
async fn a_proxy_that_wants_credentials_is_a_distinct_error_and_nothing_was_sent() {
    let world = World::start().await;
    let (tls, cert) = pockyt_e2e::tls_front(world.gateway.addr(), "gateway.test").await;
    let (proxy, _) = connect_proxy(tls).await;
    let env = vec![("https_proxy", format!("http://user:wrong@{proxy}"))];
    let err = client(tls, cert, env)
        .secure_pay(&world.payment("4.20", "proxied-2"))
        .await
        .unwrap_err();
    let transport = err.transport_error().expect("a transport error");
    assert_eq!(transport.kind(), TransportErrorKind::Proxy);
    assert!(!err.request_may_have_been_sent() && !err.outcome_unknown());
    // The whole chain, every layer: the password is in none of them (nor in `Debug`).
    let text = format!("{} {err:?}", pockyt::DisplayChain(&err));
    assert!(
        text.contains("407") && text.contains("nothing was sent"),
        "{text}"
    );
    assert!(!text.contains("wrong"), "credentials leaked: {text}");
    assert!(world.gateway.payments().is_empty());
}

#[tokio::test]
async fn no_proxy_bypasses_it_and_an_unreachable_proxy_says_so() {
    let world = World::start().await;
    let (tls, cert) = pockyt_e2e::tls_front(world.gateway.addr(), "gateway.test").await;
    let (proxy, targets) = connect_proxy(tls).await;
    // NO_PROXY: the client goes direct, and `gateway.test` does not resolve here.
    let env = vec![
        ("HTTPS_PROXY", format!("http://user:pass@{proxy}")),
        ("NO_PROXY", "gateway.test".to_owned()),
    ];
    let err = client(tls, cert.clone(), env)
        .tran_query(&TranQueryRequest::new().reference("x"))
        .await
        .unwrap_err();
    assert_eq!(
        err.transport_error().map(|e| e.kind()),
        Some(TransportErrorKind::Connect),
        "{err}"
    );
    assert!(targets.lock().unwrap().is_empty(), "the proxy was used");
    // A proxy nothing listens on.
    let gone = pockyt_e2e::free_port();
    let env = vec![("ALL_PROXY", format!("http://127.0.0.1:{gone}"))];
    let err = client(tls, cert, env)
        .tran_query(&TranQueryRequest::new().reference("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport { error, .. } if error.kind() == TransportErrorKind::Proxy),
        "{err}"
    );
    let text = pockyt::DisplayChain(&err).to_string();
    assert!(text.contains("cannot be reached"), "{text}");
}

/// Issue 24, item 4: a password holding `/ # ? @ :`, percent-encoded as the refusal of the raw
/// form asks, reaches the proxy whole (with a scheme or without, as curl takes it); the raw
/// form is refused before anything is sent, and no message shows any of it.
#[tokio::test]
async fn proxy_password_with_reserved_characters_reaches_the_proxy_and_never_leaks() {
    // base64 of `user:p/s#?@:`.
    const RESERVED: &str = "dXNlcjpwL3MjP0A6";
    let world = World::start().await;
    let (tls, cert) = pockyt_e2e::tls_front(world.gateway.addr(), "gateway.test").await;
    let (proxy, targets) = connect_proxy_for(tls, RESERVED).await;
    for url in [
        format!("http://user:p%2Fs%23%3F%40%3A@{proxy}"),
        format!("user:p%2Fs%23%3F%40%3A@{proxy}"),
        format!("http://user:p%2Fs%23%3F@:@{proxy}"),
    ] {
        let env = vec![("HTTPS_PROXY", url.clone())];
        let client = client(tls, cert.clone(), env);
        let reference = format!("reserved-{}", targets.lock().unwrap().len());
        world.paid_through(&client, "1.00", &reference).await;
    }
    for raw in [
        format!("http://user:p/s#?@:@{proxy}"),
        format!("user:p/s@{proxy}"),
        format!("http://user:p#s@{proxy}"),
        format!("http://user:p?s@{proxy}"),
    ] {
        let err = HyperTransport::builder()
            .proxy_from_lookup(move |name| (name == "HTTPS_PROXY").then(|| raw.clone()))
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Proxy);
        let shown = format!("{err} {err:?}");
        for scrap in ["user:p/", "user:p#", "user:p?", "p/s", "p#s", "p?s"] {
            assert!(!shown.contains(scrap), "{scrap} leaked: {shown}");
        }
        assert!(
            shown.contains("HTTPS_PROXY") && shown.contains("%2F"),
            "{shown}"
        );
    }
}
