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
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
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

/// The router: `POST /pockyt/ipn`.
pub fn app(receiver: Receiver) -> Router {
    Router::new()
        .route("/pockyt/ipn", post(pockyt_ipn))
        .with_state(Arc::new(receiver))
}

/// Takes the raw body (not `Form<HashMap<..>>`, which would hide duplicate names) and verifies it.
async fn pockyt_ipn(
    State(receiver): State<Arc<Receiver>>,
    body: Body,
) -> (StatusCode, &'static str) {
    let read = axum::body::to_bytes(body, ipn::MAX_BODY_BYTES);
    let body = match tokio::time::timeout(receiver.body_deadline, read).await {
        Ok(Ok(body)) => body,
        Ok(Err(error)) if too_large(&error) => return (StatusCode::PAYLOAD_TOO_LARGE, "too large"),
        Ok(Err(_)) => return (StatusCode::BAD_REQUEST, "unreadable body"),
        Err(_) => return (StatusCode::REQUEST_TIMEOUT, "body too slow"),
    };
    match ipn::verify_form(&body, &receiver.key) {
        Ok(notification) => {
            // Record it idempotently (keyed on transactionNo + status) before acknowledging.
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

/// Whether reading stopped at the size cap (not, say, at a client that went away).
fn too_large(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = source {
        if error.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = error.source();
    }
    false
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
