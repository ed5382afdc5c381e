//! A plain hyper server that verifies IPNs and acknowledges them.
//!
//! ```sh
//! POCKYT_TOKEN=… cargo run -p pockyt --example ipn_server   # listens on 127.0.0.1:8787
//! ```

use std::convert::Infallible;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use pockyt::SigningKey;
use pockyt::ipn;

async fn handle(
    request: Request<Incoming>,
    key: Arc<SigningKey>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    // Cap the body while reading: a notification is a few hundred bytes.
    let body = match Limited::new(request.into_body(), ipn::MAX_BODY_BYTES)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Ok(reply(StatusCode::PAYLOAD_TOO_LARGE, "too large")),
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
            eprintln!("rejected notification: {error}");
            Ok(reply(StatusCode::BAD_REQUEST, "rejected"))
        }
    }
}

fn reply(status: StatusCode, body: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    *response.status_mut() = status;
    response
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("POCKYT_TOKEN").map_err(|_| "set POCKYT_TOKEN")?;
    let key = Arc::new(SigningKey::from_token(&token));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:8787").await?;
    println!("listening on http://{}", listener.local_addr()?);
    loop {
        let (stream, _) = listener.accept().await?;
        let key = key.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| handle(request, key.clone()));
            if let Err(error) = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                eprintln!("connection error: {error}");
            }
        });
    }
}
