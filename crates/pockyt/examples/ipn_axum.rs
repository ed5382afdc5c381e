//! The IPN handler as an axum route.
//!
//! ```sh
//! POCKYT_TOKEN=… cargo run -p pockyt --example ipn_axum   # listens on 127.0.0.1:8788
//! ```
//!
//! The body is capped and must arrive within a deadline. `axum::serve` sets no limit on the time
//! a client takes to send its headers: each slow client holds one connection (never the others)
//! until it gives up. Put the route behind the reverse proxy that terminates your TLS, which
//! bounds that, or serve the router with hyper's `header_read_timeout` as `ipn_server.rs` does.
//! `crates/pockyt/tests/ipn_examples.rs` drives this file under abuse.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use pockyt::SigningKey;
use pockyt::ipn;

/// What the route needs: the key, and how long a client may take to send its body.
#[derive(Debug)]
pub struct Receiver {
    /// Verifies each notification.
    pub key: SigningKey,
    /// From the end of the headers to the end of the body.
    pub body_deadline: Duration,
}

/// The router: `POST /pockyt/ipn`, its body capped at [`ipn::MAX_BODY_BYTES`] and due within
/// the deadline.
pub fn app(receiver: Receiver) -> Router {
    let receiver = Arc::new(receiver);
    Router::new()
        .route("/pockyt/ipn", post(pockyt_ipn))
        .layer(DefaultBodyLimit::max(ipn::MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(
            receiver.clone(),
            body_deadline,
        ))
        .with_state(receiver)
}

/// The body is read by the `Bytes` extractor inside `next`, so the deadline covers it.
async fn body_deadline(
    State(receiver): State<Arc<Receiver>>,
    request: Request,
    next: Next,
) -> Response {
    match tokio::time::timeout(receiver.body_deadline, next.run(request)).await {
        Ok(response) => response,
        Err(_) => (StatusCode::REQUEST_TIMEOUT, "body too slow").into_response(),
    }
}

/// Takes the raw body (not `Form<HashMap<..>>`, which would hide duplicate names) and verifies it.
async fn pockyt_ipn(
    State(receiver): State<Arc<Receiver>>,
    body: Result<Bytes, BytesRejection>,
) -> (StatusCode, &'static str) {
    let body = match body {
        Ok(body) => body,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return (StatusCode::PAYLOAD_TOO_LARGE, "too large");
        }
        Err(_) => return (StatusCode::BAD_REQUEST, "unreadable body"),
    };
    match ipn::verify_form(&body, &receiver.key) {
        Ok(notification) => {
            // Record it idempotently before acknowledging: the gateway may send it again. E.g.
            //   INSERT INTO pockyt_notifications (transaction_no, status, reference, amount)
            //   VALUES ($1, $2, $3, $4) ON CONFLICT (transaction_no, status) DO NOTHING;
            // then fulfil the order only when the row is new and `notification.is_success()`,
            // and answer `success` only once the row is stored (a failure here: answer 500, and
            // the gateway retries).
            println!(
                "verified: {:?} {:?}",
                notification.reference, notification.status
            );
            (StatusCode::OK, ipn::ACK_BODY)
        }
        Err(error) => {
            eprintln!("rejected notification: {error}");
            (StatusCode::BAD_REQUEST, "rejected")
        }
    }
}

#[allow(dead_code)] // The abuse tests include this file and call `app` directly.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("POCKYT_TOKEN").map_err(|_| "set POCKYT_TOKEN")?;
    let app = app(Receiver {
        key: SigningKey::from_token(&token),
        body_deadline: Duration::from_secs(10),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:8788").await?;
    println!("listening on http://{}/pockyt/ipn", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
