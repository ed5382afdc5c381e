//! A plain hyper server that verifies IPNs and acknowledges them.
//!
//! ```sh
//! POCKYT_TOKEN=… cargo run -p pockyt --example ipn_server   # listens on 127.0.0.1:8787
//! ```
//!
//! It is built to face the internet: the body is capped while it streams, a client gets a bounded
//! time to send its headers and then its body (a slow client cannot hold a connection open), and
//! a failed `accept` (say, out of file descriptors) is logged instead of ending the server.
//! `crates/pockyt/tests/it/ipn_examples.rs` drives this file under abuse.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use pockyt::SigningKey;
use pockyt::ipn;
use tokio::net::TcpListener;

/// How long a client may take over each part of its request.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// From the connection (or the previous request) to the end of the headers.
    pub headers: Duration,
    /// From the end of the headers to the end of the body.
    pub body: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        // A notification is a few hundred bytes; the gateway sends it in one write.
        Self {
            headers: Duration::from_secs(10),
            body: Duration::from_secs(10),
        }
    }
}

/// Accepts connections forever, one task each.
pub async fn serve(listener: TcpListener, key: Arc<SigningKey>, limits: Limits) {
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(error) => {
                // EMFILE and friends pass as connections close; until then, wait instead of
                // spinning on the same error. The connections already open keep being served.
                eprintln!("accept failed: {error}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let key = key.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| handle(request, key.clone(), limits));
            if let Err(error) = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.headers)
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                eprintln!("connection error: {error}");
            }
        });
    }
}

async fn handle(
    request: Request<Incoming>,
    key: Arc<SigningKey>,
    limits: Limits,
) -> Result<Response<Full<Bytes>>, Infallible> {
    // Cap the body while reading: a notification is a few hundred bytes.
    let read = Limited::new(request.into_body(), ipn::MAX_BODY_BYTES).collect();
    let body = match tokio::time::timeout(limits.body, read).await {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(error)) if error.is::<LengthLimitError>() => {
            return Ok(reply(StatusCode::PAYLOAD_TOO_LARGE, "too large"));
        }
        Ok(Err(_)) => return Ok(reply(StatusCode::BAD_REQUEST, "unreadable body")),
        Err(_) => return Ok(reply(StatusCode::REQUEST_TIMEOUT, "body too slow")),
    };
    match ipn::verify_form(&body, &key) {
        Ok(notification) => {
            // Record it idempotently (keyed on transactionNo + status) before acknowledging.
            println!(
                "verified: {:?} {:?} {:?}",
                notification.reference, notification.status, notification.amount
            );
            Ok(reply(StatusCode::OK, ipn::ACK_BODY))
        }
        Err(error) => {
            eprintln!("rejected notification: {}", pockyt::DisplayChain(&error));
            Ok(reply(StatusCode::BAD_REQUEST, "rejected"))
        }
    }
}

fn reply(status: StatusCode, body: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    *response.status_mut() = status;
    response
}

#[allow(dead_code)] // The abuse tests include this file and call `serve` directly.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("POCKYT_TOKEN").map_err(|_| "set POCKYT_TOKEN")?;
    let key = Arc::new(SigningKey::from_token(&token));
    let listener = TcpListener::bind("127.0.0.1:8787").await?;
    println!("listening on http://{}", listener.local_addr()?);
    serve(listener, key, Limits::default()).await;
    Ok(())
}
