//! The two example IPN servers (`examples/ipn_server.rs` on hyper, `examples/ipn_axum.rs` on
//! axum) under abuse: forgeries, malformed and duplicate fields, non-UTF-8 bytes, oversized
//! bodies, slow clients and 1,000 connections at once. Each is answered with a clear status and
//! the server keeps acknowledging real notifications. The files are included as they are, so what
//! is tested is what a merchant copies.

#[path = "../../examples/ipn_axum.rs"]
mod ipn_axum;
#[path = "../../examples/ipn_server.rs"]
mod ipn_server;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use pockyt::SigningKey;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const TOKEN: &str = "ipn-examples-test-token";
const PATH: &str = "/pockyt/ipn";
/// Short on purpose, so the slow-client cases end quickly without sleeping.
const LIMIT: Duration = Duration::from_millis(300);
/// Far beyond `LIMIT`: only reached if a server fails to cut a slow client off.
const GUARD: Duration = Duration::from_secs(10);

fn key() -> SigningKey {
    SigningKey::from_token(TOKEN)
}

async fn listener() -> (TcpListener, SocketAddr) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    (listener, addr)
}

async fn start_hyper() -> SocketAddr {
    let (listener, addr) = listener().await;
    let limits = ipn_server::Limits {
        headers: LIMIT,
        body: LIMIT,
    };
    tokio::spawn(ipn_server::serve(listener, Arc::new(key()), limits));
    addr
}

async fn start_axum() -> SocketAddr {
    let (listener, addr) = listener().await;
    let app = ipn_axum::app(ipn_axum::Receiver {
        key: key(),
        body_deadline: LIMIT,
    });
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// A notification signed with the servers' key.
fn signed(reference: &str) -> Vec<u8> {
    let pairs = [
        ("amount", "12.50"),
        ("currency", "USD"),
        ("reference", reference),
        ("settleCurrency", "USD"),
        ("status", "success"),
        ("transactionNo", "297553638301777927"),
    ];
    let signature = pockyt::sign::sign(pairs, &key()).unwrap();
    let mut form: Vec<String> = pairs.iter().map(|(n, v)| format!("{n}={v}")).collect();
    form.push(format!("verifySign={signature}"));
    form.join("&").into_bytes()
}

fn head(content_length: usize) -> String {
    format!(
        "POST {PATH} HTTP/1.1\r\nhost: merchant.test\r\nconnection: close\r\n\
         content-type: application/x-www-form-urlencoded\r\ncontent-length: {content_length}\r\n\r\n"
    )
}

/// Reads until the server closes the connection; the status code and body of what it said.
async fn answer(stream: &mut TcpStream) -> (u16, String) {
    let mut raw = Vec::new();
    tokio::time::timeout(GUARD, stream.read_to_end(&mut raw))
        .await
        .expect("the server answers and closes in time")
        .expect("read the answer");
    let text = String::from_utf8_lossy(&raw);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    (status, body.to_owned())
}

/// Posts `body` whole on a fresh connection.
async fn post(addr: SocketAddr, body: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut request = head(body.len()).into_bytes();
    request.extend_from_slice(body);
    stream.write_all(&request).await.unwrap();
    answer(&mut stream).await
}

async fn acknowledges(addr: SocketAddr, reference: &str) {
    assert_eq!(
        post(addr, &signed(reference)).await,
        (200, "success".to_owned())
    );
}

async fn rejects_forgeries_and_garbage(addr: SocketAddr) {
    let mut forged = signed("forged");
    let at = forged.windows(5).position(|w| w == b"12.50").unwrap();
    forged[at..at + 5].copy_from_slice(b"99.50");
    let mut twice = signed("twice");
    twice.extend_from_slice(b"&status=closed");
    let cases: [(&str, &[u8]); 7] = [
        ("amount changed after signing", &forged),
        ("a second status", &twice),
        ("a broken percent escape", b"a=%zz"),
        ("non-UTF-8 bytes", b"status=\xff\xfe&verifySign=00"),
        ("no signature", b"status=success&amount=1.00"),
        ("not a form", b"{\"status\":\"success\"}"),
        ("empty", b""),
    ];
    for (case, body) in cases {
        let (status, text) = post(addr, body).await;
        assert_eq!((status, text.as_str()), (400, "rejected"), "{case}");
    }
    let (status, text) = post(addr, &vec![b'a'; 200 * 1024]).await;
    assert_eq!((status, text.as_str()), (413, "too large"), "oversized");
    acknowledges(addr, "after-garbage").await;
}

/// Headers, then one byte of a 100-byte body, then nothing: cut off with 408 after the deadline.
async fn answers_a_slow_body_with_408(addr: SocketAddr) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(head(100).as_bytes()).await.unwrap();
    stream.write_all(b"a").await.unwrap();
    let (status, text) = answer(&mut stream).await;
    assert_eq!((status, text.as_str()), (408, "body too slow"));
    acknowledges(addr, "after-slow-body").await;
}

/// Half a request line held open: others are served meanwhile.
async fn serves_others_beside_a_silent_client(addr: SocketAddr) -> TcpStream {
    let mut silent = TcpStream::connect(addr).await.unwrap();
    silent.write_all(b"POST /pockyt/ip").await.unwrap();
    acknowledges(addr, "beside-silent").await;
    silent
}

async fn serves_a_thousand_connections_at_once(addr: SocketAddr) {
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..1000 {
        tasks.spawn(async move { post(addr, &signed(&format!("r{i}"))).await });
    }
    let mut acknowledged = 0;
    while let Some(result) = tasks.join_next().await {
        assert_eq!(result.unwrap(), (200, "success".to_owned()));
        acknowledged += 1;
    }
    assert_eq!(acknowledged, 1000);
    acknowledges(addr, "after-the-crowd").await;
}

#[tokio::test]
async fn hyper_example_rejects_forgeries_and_garbage() {
    rejects_forgeries_and_garbage(start_hyper().await).await;
}

#[tokio::test]
async fn axum_example_rejects_forgeries_and_garbage() {
    rejects_forgeries_and_garbage(start_axum().await).await;
}

#[tokio::test]
async fn hyper_example_answers_a_slow_body_with_408() {
    answers_a_slow_body_with_408(start_hyper().await).await;
}

#[tokio::test]
async fn axum_example_answers_a_slow_body_with_408() {
    answers_a_slow_body_with_408(start_axum().await).await;
}

#[tokio::test]
async fn hyper_example_closes_a_client_that_never_finishes_its_headers() {
    let addr = start_hyper().await;
    let mut silent = serves_others_beside_a_silent_client(addr).await;
    // hyper's header_read_timeout ends the connection; nothing is answered to half a request line.
    let mut rest = Vec::new();
    let read = tokio::time::timeout(GUARD, silent.read_to_end(&mut rest)).await;
    assert!(read.is_ok(), "cut off long before the guard");
    assert!(!String::from_utf8_lossy(&rest).contains("success"));
}

#[tokio::test]
async fn axum_example_serves_others_beside_a_client_that_never_finishes_its_headers() {
    // axum::serve has no header timeout (see the example's doc): the silent client keeps its one
    // connection, and only that one.
    let addr = start_axum().await;
    let _silent = serves_others_beside_a_silent_client(addr).await;
}

/// One test for both servers, one after the other: each crowd holds 2,000 sockets (both ends in
/// this process), and two at once could pass a machine's open-file limit.
#[tokio::test]
async fn both_examples_serve_a_thousand_connections_at_once() {
    serves_a_thousand_connections_at_once(start_hyper().await).await;
    serves_a_thousand_connections_at_once(start_axum().await).await;
}

#[tokio::test]
async fn the_axum_extractor_acknowledges_a_replay_and_refuses_a_forgery() {
    let addr = start_axum().await;
    // The gateway sends a notification again until it is acknowledged: a replay verifies and is
    // acknowledged again (the handler records it idempotently).
    let body = signed("replayed-1");
    assert_eq!(post(addr, &body).await, (200, "success".to_owned()));
    assert_eq!(post(addr, &body).await, (200, "success".to_owned()));
    // The same body with one value changed is refused before the handler runs.
    let forged = String::from_utf8_lossy(&body).replace("12.50", "1250.00");
    let (status, text) = post(addr, forged.as_bytes()).await;
    assert_eq!((status, text.as_str()), (400, "rejected"));
}
