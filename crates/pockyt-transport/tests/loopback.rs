//! `HyperTransport` against hand-written HTTP/1.1 servers on 127.0.0.1.

use std::time::Duration;

use bytes::Bytes;
use pockyt_transport::{HyperTransport, Transport, TransportErrorKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Serves one connection: reads the request head, then writes `response` verbatim.
async fn serve_once(response: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 8192];
        let _ = stream.read(&mut buf).await;
        let _ = stream.write_all(&response).await;
        let _ = stream.shutdown().await;
    });
    format!("http://{addr}/online/v3/secure-pay")
}

fn post(uri: &str) -> http::Request<Bytes> {
    http::Request::post(uri)
        .body(Bytes::from_static(b"{}"))
        .unwrap()
}

#[tokio::test]
async fn round_trip_over_plain_http() {
    let uri = serve_once(
        b"HTTP/1.1 200 OK\r\ncontent-length: 21\r\n\r\n{\"ret_code\":\"000100\"}".to_vec(),
    )
    .await;
    let transport = HyperTransport::new().unwrap();
    let response = transport.send(post(&uri)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.body().as_ref(), b"{\"ret_code\":\"000100\"}");
}

#[tokio::test]
async fn declared_oversized_body_is_refused_before_reading() {
    let uri = serve_once(b"HTTP/1.1 200 OK\r\ncontent-length: 5000\r\n\r\n".to_vec()).await;
    let transport = HyperTransport::builder()
        .max_response_bytes(1024)
        .build()
        .unwrap();
    let err = transport.send(post(&uri)).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge);
}

#[tokio::test]
async fn chunked_oversized_body_is_refused_while_streaming() {
    let mut response = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..8 {
        response.extend_from_slice(b"200\r\n");
        response.extend_from_slice(&[b'x'; 512]);
        response.extend_from_slice(b"\r\n");
    }
    response.extend_from_slice(b"0\r\n\r\n");
    let uri = serve_once(response).await;
    let transport = HyperTransport::builder()
        .max_response_bytes(1024)
        .build()
        .unwrap();
    let err = transport.send(post(&uri)).await.unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge);
}

#[tokio::test]
async fn truncated_body_is_an_io_error_that_may_have_been_sent() {
    let uri = serve_once(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"ret_co".to_vec()).await;
    let err = HyperTransport::new()
        .unwrap()
        .send(post(&uri))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Io);
    assert!(err.request_may_have_been_sent());
}

#[tokio::test]
async fn refused_connection_is_a_connect_error_that_was_not_sent() {
    // Bind then drop, so the port is (almost certainly) closed.
    let addr = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let transport = HyperTransport::builder()
        .connect_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let err = transport
        .send(post(&format!("http://{addr}/x")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Connect);
    assert!(!err.request_may_have_been_sent());
}

#[test]
fn invalid_root_certificate_is_refused_at_build() {
    let err = HyperTransport::builder()
        .add_root_certificate_der(b"not a certificate".to_vec())
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), TransportErrorKind::Tls);
}
