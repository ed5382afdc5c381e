//! One router for the notifications of many merchants (an ISV's), and every notification kind.
//!
//! A notification carries no merchant number, so the router says whose it is: the route's path (the
//! `{merchant}` segment, [`MerchantPath`]) or any extractor the app chooses, and the router's state
//! gives that merchant's key ([`IpnKeys`]). [`VerifiedWebhook`] types every kind the gateway sends
//! (payments, captures, auto-debit, payouts, payee accounts). A refused notification never reaches
//! the handler; it is answered 400, 404 (no key for that merchant) or 413, and logged as a
//! `tracing` event (feature `tracing`, target `pockyt::ipn`); a handler that takes
//! `Result<VerifiedIpnFor, IpnRejection>` sees every refusal itself.
//!
//! ```
//! use std::collections::HashMap;
//! use axum::{Router, routing::post};
//! use pockyt::SigningKey;
//! use pockyt::axum::{Ack, IpnKeys, MerchantPath, VerifiedIpnFor};
//!
//! async fn pockyt_ipn(ipn: VerifiedIpnFor<MerchantPath>) -> Ack {
//!     let MerchantPath(merchant) = &ipn.merchant;
//!     // Record it for `merchant`, idempotently (transactionNo + status), then acknowledge.
//!     let _ = (merchant, ipn.notification.is_success());
//!     Ack
//! }
//!
//! // From your merchant table; thousands are fine (a lookup per notification).
//! let keys: HashMap<String, SigningKey> = HashMap::from([
//!     ("shop-a".to_owned(), SigningKey::from_token("token-of-shop-a")),
//!     ("shop-b".to_owned(), SigningKey::from_token("token-of-shop-b")),
//! ]);
//! let app: Router = Router::new()
//!     .route("/pockyt/ipn/{merchant}", post(pockyt_ipn))
//!     .with_state(IpnKeys::new(keys));
//! # let _ = app;
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRef, FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;

use super::{IpnKey, IpnRejection, body, refused, rejected};
use crate::SigningKey;
use crate::ipn::{self, Notification, Webhook};

/// Where a router finds each merchant's key: a map, your database's cache, a closure.
pub trait MerchantKeys: Send + Sync + 'static {
    /// The key of `merchant` (however the router names merchants), or `None` if it has none.
    fn key(&self, merchant: &str) -> Option<SigningKey>;
}

impl MerchantKeys for HashMap<String, SigningKey> {
    fn key(&self, merchant: &str) -> Option<SigningKey> {
        self.get(merchant).cloned()
    }
}

impl MerchantKeys for BTreeMap<String, SigningKey> {
    fn key(&self, merchant: &str) -> Option<SigningKey> {
        self.get(merchant).cloned()
    }
}

impl<F> MerchantKeys for F
where
    F: Fn(&str) -> Option<SigningKey> + Send + Sync + 'static,
{
    fn key(&self, merchant: &str) -> Option<SigningKey> {
        self(merchant)
    }
}

/// Every merchant's key, as the router's state (or part of it, through `FromRef`).
#[derive(Clone)]
pub struct IpnKeys(Arc<dyn MerchantKeys>);

impl IpnKeys {
    /// Keys from any source.
    pub fn new(keys: impl MerchantKeys) -> Self {
        Self(Arc::new(keys))
    }

    /// The key of `merchant`, if it has one.
    pub fn key(&self, merchant: &str) -> Option<SigningKey> {
        self.0.key(merchant)
    }
}

impl fmt::Debug for IpnKeys {
    // The keys are secrets: nothing of them is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IpnKeys(<redacted>)")
    }
}

/// The merchant named by the route's `{merchant}` path segment, e.g.
/// `/pockyt/ipn/{merchant}`. Any other extractor that implements `AsRef<str>` works as well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MerchantPath(pub String);

impl AsRef<str> for MerchantPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for MerchantPath {
    type Rejection = IpnRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|e| {
                rejected(
                    StatusCode::NOT_FOUND,
                    format!("no merchant in the path: {e}"),
                )
            })?;
        params
            .iter()
            .find(|(name, _)| *name == "merchant")
            .map(|(_, value)| MerchantPath(value.to_owned()))
            .ok_or_else(|| {
                rejected(
                    StatusCode::NOT_FOUND,
                    "the route has no `{merchant}` segment".to_owned(),
                )
            })
    }
}

/// A payment notification of the merchant `M` names, whose signature verified with that
/// merchant's key.
#[derive(Debug, Clone)]
pub struct VerifiedIpnFor<M = MerchantPath> {
    /// Whose notification it is, as the route named it.
    pub merchant: M,
    /// The notification.
    pub notification: Notification,
}

/// A notification of any kind the gateway sends, verified with the router's one key (`IpnKey`).
#[derive(Debug, Clone)]
pub struct VerifiedWebhook(pub Webhook);

/// A notification of any kind, of the merchant `M` names, verified with that merchant's key.
#[derive(Debug, Clone)]
pub struct VerifiedWebhookFor<M = MerchantPath> {
    /// Whose notification it is, as the route named it.
    pub merchant: M,
    /// The notification, typed by its kind.
    pub webhook: Webhook,
}

/// The merchant the route names, its key, and the body (read only once the key is known).
async fn merchant_key_and_body<S, M>(
    request: Request,
    state: &S,
) -> Result<(M, SigningKey, Bytes), IpnRejection>
where
    S: Send + Sync,
    IpnKeys: FromRef<S>,
    M: FromRequestParts<S> + AsRef<str>,
{
    let (mut parts, body_of) = request.into_parts();
    let merchant = M::from_request_parts(&mut parts, state)
        .await
        .map_err(|_| {
            rejected(
                StatusCode::NOT_FOUND,
                "the request names no merchant".to_owned(),
            )
        })?;
    let key = IpnKeys::from_ref(state)
        .key(merchant.as_ref())
        .ok_or_else(|| {
            // The merchant's name is the app's routing data, not a secret; it helps find a typo.
            rejected(
                StatusCode::NOT_FOUND,
                format!("no key for merchant `{}`", merchant.as_ref()),
            )
        })?;
    let bytes = body(Request::from_parts(parts, body_of)).await?;
    Ok((merchant, key, bytes))
}

impl<S, M> FromRequest<S> for VerifiedIpnFor<M>
where
    S: Send + Sync,
    IpnKeys: FromRef<S>,
    M: FromRequestParts<S> + AsRef<str> + Send,
{
    type Rejection = IpnRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (merchant, key, bytes) = merchant_key_and_body::<S, M>(request, state).await?;
        let notification = ipn::verify_form(&bytes, &key).map_err(refused)?;
        Ok(Self {
            merchant,
            notification,
        })
    }
}

impl<S> FromRequest<S> for VerifiedWebhook
where
    S: Send + Sync,
    IpnKey: FromRef<S>,
{
    type Rejection = IpnRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let key = IpnKey::from_ref(state);
        let bytes = body(request).await?;
        ipn::verify_webhook(&bytes, &key.0)
            .map(VerifiedWebhook)
            .map_err(refused)
    }
}

impl<S, M> FromRequest<S> for VerifiedWebhookFor<M>
where
    S: Send + Sync,
    IpnKeys: FromRef<S>,
    M: FromRequestParts<S> + AsRef<str> + Send,
{
    type Rejection = IpnRejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (merchant, key, bytes) = merchant_key_and_body::<S, M>(request, state).await?;
        let webhook = ipn::verify_webhook(&bytes, &key).map_err(refused)?;
        Ok(Self { merchant, webhook })
    }
}
