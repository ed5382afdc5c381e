//! A body far larger than the cap is refused while streaming, and the client's memory stays flat.
//! In its own test binary so the process's peak memory belongs to this test alone.

use bytes::Bytes;
use pockyt_transport::{HyperTransport, Transport, TransportErrorKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Peak resident memory of this process so far (Linux `VmHWM`), in KiB.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

#[tokio::test(flavor = "current_thread")]
async fn a_256_mib_body_against_a_1_mib_cap() {
    const CHUNK: &[u8] = &[b'x'; 64 * 1024];
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    // A server that streams 256 MiB from one static chunk: it allocates nothing per byte sent.
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut head = [0u8; 4096];
            let _ = stream.read(&mut head).await;
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
                .await;
            for _ in 0..4096 {
                if stream.write_all(b"10000\r\n").await.is_err()
                    || stream.write_all(CHUNK).await.is_err()
                    || stream.write_all(b"\r\n").await.is_err()
                {
                    break;
                }
            }
        }
    });
    let transport = HyperTransport::builder()
        .max_response_bytes(1024 * 1024)
        .build()
        .unwrap();
    // Warm up allocator and connection pool so the baseline is honest.
    let request = || {
        http::Request::post(format!("http://{addr}/x"))
            .body(Bytes::new())
            .unwrap()
    };
    let _ = transport.send(request()).await;
    let before = peak_kib();
    for _ in 0..5 {
        let err = transport.send(request()).await.unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::BodyTooLarge);
    }
    let grown = peak_kib().saturating_sub(before);
    // Five refusals of 256 MiB bodies cost at most a few MiB: the cap, not the body, bounds memory.
    assert!(grown < 8 * 1024, "peak memory grew by {grown} KiB");
}
