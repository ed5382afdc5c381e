//! An ISV's IPN endpoint: one axum router for every merchant's notifications, of every kind.
//!
//! ```sh
//! cargo run -p pockyt --example ipn_isv --features axum   # listens on 127.0.0.1:8789
//! ```
//!
//! Each merchant is given the notification URL `https://isv.example.com/pockyt/ipn/<merchant>` (its
//! `ipnUrl`), so the path says whose a notification is and the router verifies it with that
//! merchant's key. A notification for an unknown merchant is answered 404, a forged or malformed one
//! 400, an oversized one 413; none reaches the handler, and the handler below logs every refusal.
//! `crates/pockyt/tests/it/ipn_isv.rs` drives this file with several merchants.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{FromRef, State};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use pockyt::SigningKey;
use pockyt::axum::{Ack, IpnKeys, IpnRejection, MerchantPath, VerifiedWebhookFor};
use pockyt::ipn::Webhook;

/// What was recorded of one notification: merchant, transactionNo (or the kind's own id), kind.
pub type Recorded = (String, String, &'static str);

/// The router's state: every merchant's key, and (standing in for a database) what was recorded.
#[derive(Clone)]
pub struct Isv {
    keys: IpnKeys,
    /// (merchant, transactionNo or other id, kind) of every notification recorded.
    pub recorded: Arc<Mutex<Vec<Recorded>>>,
}

impl Isv {
    /// An ISV serving the merchants of `keys` (merchant id → key, from your merchant table).
    pub fn new(keys: HashMap<String, SigningKey>) -> Self {
        Self {
            keys: IpnKeys::new(keys),
            recorded: Arc::default(),
        }
    }
}

impl FromRef<Isv> for IpnKeys {
    fn from_ref(state: &Isv) -> Self {
        state.keys.clone()
    }
}

/// The router: `POST /pockyt/ipn/{merchant}`.
pub fn app(isv: Isv) -> Router {
    Router::new()
        .route("/pockyt/ipn/{merchant}", post(pockyt_ipn))
        .with_state(isv)
}

/// Runs for every request; only a verified notification is recorded and acknowledged.
async fn pockyt_ipn(
    State(isv): State<Isv>,
    notification: Result<VerifiedWebhookFor<MerchantPath>, IpnRejection>,
) -> Response {
    let notification = match notification {
        Ok(notification) => notification,
        Err(refusal) => {
            // A forged notification, a typo in a merchant's ipnUrl: worth an alert, never `success`.
            eprintln!(
                "pockyt IPN refused ({}): {}",
                refusal.status(),
                refusal.reason()
            );
            return refusal.into_response();
        }
    };
    let MerchantPath(merchant) = notification.merchant;
    let (id, kind) = match &notification.webhook {
        Webhook::Payment(n) => (n.transaction_no.clone(), "payment"),
        Webhook::Capture(n) => (n.transaction_no.clone(), "capture"),
        Webhook::AutoDebit(n) => (n.auto_debit_no.clone(), "auto-debit"),
        Webhook::Payout(n) => (n.transaction_no.clone(), "payout"),
        Webhook::PayeeAccount(n) => (n.account_token.clone(), "payee account"),
        _ => (None, "other"),
    };
    // Record it idempotently for this merchant (e.g. a row keyed on merchant, id and status), then
    // acknowledge; on a failure to record, answer 500 and the gateway sends it again.
    if let Ok(mut recorded) = isv.recorded.lock() {
        recorded.push((merchant, id.unwrap_or_default(), kind));
    }
    Ack.into_response()
}

#[allow(dead_code)] // The tests include this file and call `app` directly.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let keys = HashMap::from([
        (
            "shop-a".to_owned(),
            SigningKey::from_token("token-of-shop-a"),
        ),
        (
            "shop-b".to_owned(),
            SigningKey::from_token("token-of-shop-b"),
        ),
    ]);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:8789").await?;
    println!(
        "ISV IPN endpoint at http://{}/pockyt/ipn/<merchant>",
        listener.local_addr()?
    );
    axum::serve(listener, app(Isv::new(keys))).await?;
    Ok(())
}
