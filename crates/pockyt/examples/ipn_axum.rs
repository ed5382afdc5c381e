//! The IPN handler as an axum route.
//!
//! ```sh
//! POCKYT_TOKEN=… cargo run -p pockyt --example ipn_axum   # listens on 127.0.0.1:8788
//! ```

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::post;
use pockyt::SigningKey;
use pockyt::ipn;

/// Takes the raw body (not `Form<HashMap<..>>`, which would hide duplicate names) and verifies it.
async fn pockyt_ipn(State(key): State<Arc<SigningKey>>, body: Bytes) -> (StatusCode, &'static str) {
    match ipn::verify_form(&body, &key) {
        Ok(notification) => {
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

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("POCKYT_TOKEN").map_err(|_| "set POCKYT_TOKEN")?;
    let app = Router::new()
        .route("/pockyt/ipn", post(pockyt_ipn))
        .layer(DefaultBodyLimit::max(ipn::MAX_BODY_BYTES))
        .with_state(Arc::new(SigningKey::from_token(&token)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:8788").await?;
    println!("listening on http://{}/pockyt/ipn", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
