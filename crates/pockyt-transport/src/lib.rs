//! The HTTP layer under the Pockyt SDK client: one attempt, nothing more.
//!
//! [`Transport`] takes a buffered `http::Request<Bytes>` and returns a buffered
//! `http::Response<Bytes>`. It is object-safe, so the client holds an `Arc<dyn Transport>` and you can
//! swap in your own (a corporate proxy, a recorded cassette, another HTTP stack). Signing, timeouts
//! per attempt and overall, retries and decoding live in the `pockyt` client above it, so every
//! transport gets them.
//!
//! - [`HyperTransport`] (feature `hyper`, on by default): hyper 1 with hyper-util's pooled client,
//!   HTTP/1.1 keep-alive, rustls (ring provider and Mozilla's roots by default), a connect timeout, and
//!   a response body cap enforced while reading.
//! - `MockTransport` and `transport_fn` (feature `test-util`): scripted responses for tests.
//!
//! ```
//! use bytes::Bytes;
//! use pockyt_transport::{BoxFuture, Transport, TransportError};
//!
//! /// A transport that answers every request itself (a custom one is this small).
//! struct Canned;
//!
//! impl Transport for Canned {
//!     fn send(
//!         &self,
//!         _request: http::Request<Bytes>,
//!     ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
//!         Box::pin(async { Ok(http::Response::new(Bytes::from_static(b"{\"ret_code\":\"000100\"}"))) })
//!     }
//! }
//!
//! let transport: std::sync::Arc<dyn Transport> = std::sync::Arc::new(Canned);
//! # let _ = transport;
//! ```
//!
//! # Features
//!
//! On by default: `hyper`, `rustls-ring` and `webpki-roots`.
//!
//! - `hyper` (default): `HyperTransport` and its builder. It needs one crypto provider
//!   (`rustls-ring` or `rustls-aws-lc`); a build with neither stops with a `compile_error!`.
//! - `rustls-ring` (default): rustls with the ring crypto provider.
//! - `rustls-aws-lc`: rustls with aws-lc-rs. It is used whenever it is on, even with ring on too;
//!   turn the default features off to leave ring out of the build.
//! - `webpki-roots` (default): trust Mozilla's root certificates, compiled in.
//! - `rustls-native-roots`: trust the operating system's root certificates (as well as Mozilla's if
//!   `webpki-roots` is on). With neither roots feature, `HyperTransport` trusts only the
//!   certificates added with `HyperTransportBuilder::add_root_certificate_der`.
//! - `test-util`: `MockTransport`, `CapturedRequest` and `transport_fn`, for tests.
//!
//! Items that need a feature carry an "Available on crate feature" note here.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(all(
    feature = "hyper",
    not(any(feature = "rustls-ring", feature = "rustls-aws-lc"))
))]
compile_error!(
    "pockyt-transport: the `hyper` transport needs a TLS crypto provider: enable `rustls-ring` \
     (the default) or `rustls-aws-lc`"
);

mod error;
#[cfg(feature = "hyper")]
mod hyper_transport;
#[cfg(feature = "test-util")]
mod mock;
#[cfg(feature = "hyper")]
mod proxy;

use std::future::Future;
use std::pin::Pin;

use bytes::Bytes;

pub use error::{TransportError, TransportErrorKind};
#[cfg(feature = "hyper")]
pub use hyper_transport::{HyperTransport, HyperTransportBuilder};
#[cfg(feature = "test-util")]
pub use mock::{CapturedRequest, MockTransport, transport_fn};

/// A boxed, sendable future, the return type of [`Transport::send`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one HTTP request and returns the whole response: one attempt, no retries.
///
/// Implementations should report failures with the [`TransportErrorKind`] that fits, and say
/// truthfully whether the request may have reached the server
/// ([`TransportError::request_may_have_been_sent`]): the client retries a payment only when it
/// certainly was not sent.
pub trait Transport: Send + Sync + 'static {
    /// Sends `request` once.
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>>;
}

impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        (**self).send(request)
    }
}

/// The default cap on a response body: 1 MiB, far above any gateway answer.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 1024 * 1024;
