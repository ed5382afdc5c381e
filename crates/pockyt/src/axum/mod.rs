//! The IPN handler as an axum extractor (feature `axum`): the body is read raw and capped,
//! verified with the app's key, and the handler gets the typed notification. A forged, malformed
//! or oversized body is answered before the handler runs, never with `success`.
//!
//! ```
//! use axum::{Router, routing::post};
//! use pockyt::axum::{Ack, IpnKey, VerifiedIpn};
//!
//! async fn pockyt_ipn(VerifiedIpn(notification): VerifiedIpn) -> Ack {
//!     // Record it idempotently (keyed on transactionNo + status), then acknowledge.
//!     let _ = notification.is_success();
//!     Ack
//! }
//!
//! let key = IpnKey(pockyt::SigningKey::from_token("my-test-token-001"));
//! let app: Router = Router::new().route("/pockyt/ipn", post(pockyt_ipn)).with_state(key);
//! # let _ = app;
//! ```
//!
//! The key comes from the router's state: `IpnKey` itself, or any state that gives one through
//! `FromRef`. Pair it with a body deadline (see `examples/ipn_axum.rs`): the extractor caps the
//! size, a deadline bounds the time.
//!
//! For many merchants behind one router (an ISV), [`VerifiedIpnFor`] takes the merchant from the
//! route (or any extractor) and its key from [`IpnKeys`]; [`VerifiedWebhook`] and
//! [`VerifiedWebhookFor`] type every notification kind. A refusal is logged as a `tracing` event
//! (feature `tracing`, target `pockyt::ipn`) by these extractors; take `Result<_, IpnRejection>`
//! in the handler to see it there.

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::SigningKey;
use crate::ipn::{self, IpnError, Notification};

mod merchants;

pub use merchants::{
    IpnKeys, MerchantKeys, MerchantPath, VerifiedIpnFor, VerifiedWebhook, VerifiedWebhookFor,
};

/// The key notifications are verified with, taken from the router's state.
#[derive(Debug, Clone)]
pub struct IpnKey(pub SigningKey);

/// A notification whose signature verified: the handler runs only for these.
#[derive(Debug, Clone)]
pub struct VerifiedIpn(pub Notification);

/// Why a notification was refused before the handler ran: 413 for a body over
/// [`ipn::MAX_BODY_BYTES`], 400 for anything else (unreadable, not a form, not authentic).
#[derive(Debug)]
pub struct IpnRejection {
    status: StatusCode,
    reason: String,
}

impl IpnRejection {
    /// The status answered.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Why, for logs (never echoed with secrets: the verifier's messages hold none).
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl IntoResponse for IpnRejection {
    fn into_response(self) -> Response {
        let body = if self.status == StatusCode::PAYLOAD_TOO_LARGE {
            "too large"
        } else {
            "rejected"
        };
        (self.status, body).into_response()
    }
}

impl<S> FromRequest<S> for VerifiedIpn
where
    S: Send + Sync,
    IpnKey: FromRef<S>,
{
    type Rejection = IpnRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let key = IpnKey::from_ref(state);
        let bytes = body(request).await?;
        ipn::verify_form(&bytes, &key.0)
            .map(VerifiedIpn)
            .map_err(refused)
    }
}

/// Whether reading stopped at the size cap (not, say, at a client that went away).
fn chain_has_length_limit(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = source {
        if error.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = error.source();
    }
    false
}

/// The acknowledgement: HTTP 200 with the body `success`. Return it only once the notification
/// is recorded; anything else makes the gateway send it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ack;

impl IntoResponse for Ack {
    fn into_response(self) -> Response {
        (StatusCode::OK, ipn::ACK_BODY).into_response()
    }
}

/// A refusal, logged (feature `tracing`, target `pockyt::ipn`) before it is answered.
fn rejected(status: StatusCode, reason: String) -> IpnRejection {
    #[cfg(feature = "tracing")]
    tracing::warn!(target: "pockyt::ipn", status = status.as_u16(), %reason, "notification refused");
    IpnRejection { status, reason }
}

/// A verifier's refusal: 413 for a body over the cap, 400 for anything else.
fn refused(error: IpnError) -> IpnRejection {
    let status = match error {
        IpnError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        _ => StatusCode::BAD_REQUEST,
    };
    rejected(status, crate::DisplayChain(&error).to_string())
}

/// The body, read raw and capped at [`ipn::MAX_BODY_BYTES`].
async fn body(request: Request) -> Result<Bytes, IpnRejection> {
    axum::body::to_bytes(request.into_body(), ipn::MAX_BODY_BYTES)
        .await
        .map_err(|error| {
            let status = if chain_has_length_limit(&error) {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::BAD_REQUEST
            };
            rejected(
                status,
                format!("unreadable body: {}", crate::DisplayChain(&error)),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn extract(body: String) -> Result<VerifiedIpn, IpnRejection> {
        let key = IpnKey(SigningKey::from_token("my-test-token-001"));
        let request = Request::builder()
            .method("POST")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(body))
            .map_err(|e| IpnRejection {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                reason: e.to_string(),
            })?;
        VerifiedIpn::from_request(request, &key).await
    }

    /// Issue 24, items 5 and 6: the extractor refuses what the verifiers refuse, before the
    /// handler runs: a re-split notification, and a genuine one padded with empty pairs.
    #[tokio::test]
    async fn the_extractor_refuses_a_resplit_and_a_padded_notification() {
        let key = SigningKey::from_token("my-test-token-001");
        let genuine = [
            ("note", "x&reference=VICTIM-ORDER&status=success"),
            ("reference", "attacker-order"),
            ("status", "failed"),
            ("transactionNo", "305680500880311999"),
        ];
        let signature = pockyt_sign::sign(genuine, &key).unwrap().to_string();
        let resplit = [
            ("note", "x"),
            ("reference", "VICTIM-ORDER"),
            ("status", "success&reference=attacker-order&status=failed"),
            ("transactionNo", "305680500880311999"),
            ("verifySign", signature.as_str()),
        ];
        let rejection = extract(crate::form::encode(resplit)).await.err().unwrap();
        assert_eq!(rejection.status(), StatusCode::BAD_REQUEST);
        assert!(
            rejection.reason().contains("&reference="),
            "{}",
            rejection.reason()
        );

        let fine = [("status", "success"), ("transactionNo", "1")];
        let signature = pockyt_sign::sign(fine, &key).unwrap().to_string();
        let mut padded =
            crate::form::encode(fine.into_iter().chain([("verifySign", signature.as_str())]));
        assert!(extract(padded.clone()).await.is_ok());
        for i in 0..6000 {
            padded.push_str(&format!("&p{i}="));
        }
        let rejection = extract(padded).await.err().unwrap();
        assert_eq!(rejection.status(), StatusCode::BAD_REQUEST);
        assert!(
            rejection.reason().contains("at most"),
            "{}",
            rejection.reason()
        );
    }
}
