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
//! `crates/pockyt/tests/it/ipn_examples.rs` drives this file under abuse.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{FromRef, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use pockyt::SigningKey;
use pockyt::axum::{Ack, IpnKey, VerifiedIpn};

/// What the route needs: the key, and how long a client may take to send its body.
#[derive(Debug)]
pub struct Receiver {
    /// Verifies each notification.
    pub key: SigningKey,
    /// From the end of the headers to the end of the body.
    pub body_deadline: Duration,
}

/// The router's state; the extractor takes the key from it.
#[derive(Debug, Clone)]
struct AppState(Arc<Receiver>);

impl FromRef<AppState> for IpnKey {
    fn from_ref(state: &AppState) -> Self {
        IpnKey(state.0.key.clone())
    }
}

/// The router: `POST /pockyt/ipn`; the body is capped by the extractor and due within the deadline.
pub fn app(receiver: Receiver) -> Router {
    let state = AppState(Arc::new(receiver));
    Router::new()
        .route("/pockyt/ipn", post(pockyt_ipn))
        .layer(middleware::from_fn_with_state(state.clone(), body_deadline))
        .with_state(state)
}

/// The body is read by the extractor inside `next`, so the deadline covers it.
async fn body_deadline(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(state.0.body_deadline, next.run(request)).await {
        Ok(response) => response,
        Err(_) => (StatusCode::REQUEST_TIMEOUT, "body too slow").into_response(),
    }
}

/// Runs only for a notification whose signature verified; anything else was answered 400 or 413.
async fn pockyt_ipn(VerifiedIpn(notification): VerifiedIpn) -> Ack {
    // Record it idempotently before acknowledging: the gateway may send it again. E.g.
    //   INSERT INTO pockyt_notifications (transaction_no, status, reference, amount)
    //   VALUES ($1, $2, $3, $4) ON CONFLICT (transaction_no, status) DO NOTHING;
    // then fulfil the order only when the row is new and `notification.is_success()`, and
    // acknowledge only once the row is stored (on a failure, return 500: the gateway retries).
    println!(
        "verified: {:?} {:?}",
        notification.reference, notification.status
    );
    Ack
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
