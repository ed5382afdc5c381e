//! The Rust SDK for the Pockyt (formerly Yuansfer) payments API.
//!
//! Create a payment, send the shopper to the cashier, verify the instant payment notification
//! (IPN), then query, refund or cancel; manage customers, recurring debits and payouts. Every call
//! is validated before sending, signed, sent with timeouts and a retry policy that never repeats a
//! payment by accident, and decoded into typed results with typed errors.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use pockyt::{Client, Config};
//! use pockyt::types::{Amount, Currency, SecurePayRequest, SettleCurrency, Terminal, Vendor};
//! # let mock = pockyt_transport::MockTransport::new(); // `pockyt::transport::MockTransport` with `test-util`
//! # mock.push_json(200, r#"{"ret_code":"000100","ret_msg":"ok","result":{"transactionNo":"342127388232290055","cashierUrl":"https://mapi.yuansferdev.com/app-redirect-record/x"}}"#);
//!
//! let config = Config::new("200043", "300014", "your-api-token")?; // or Config::from_env()?
//! let client = Client::builder(config)
//! #   .transport(mock)
//!     .build()?;
//!
//! let payment = client
//!     .secure_pay(
//!         &SecurePayRequest::new(
//!             Amount::parse("12.50")?,
//!             Currency::Usd,
//!             SettleCurrency::Usd,
//!             Vendor::Alipay,
//!             "order-20240101-0001", // your unique reference
//!             Terminal::Online,
//!         )
//!         .ipn_url("https://merchant.example.com/pockyt/ipn")
//!         .callback_url("https://merchant.example.com/return?status={status}&ref={reference}")
//!         .description("T-shirt"),
//!     )
//!     .await?;
//! // Redirect the shopper to the hosted cashier; the result arrives as an IPN (see `ipn`).
//! println!("pay at {}", payment.cashier_url.unwrap_or_default());
//! # Ok(()) }
//! ```
//!
//! Errors say what to do: [`Error::InvalidRequest`] names the field (nothing was sent),
//! [`Error::Api`] carries the gateway's `ret_code`, and [`Error::outcome_unknown`] tells whether to
//! check with [`Client::find_by_reference`] before trying a payment again.
//!
//! # Features
//!
//! On by default: `hyper`, `rustls-ring` and `webpki-roots`, the HTTPS transport that
//! [`Client::new`] uses.
//!
//! - `hyper` (default): `transport::HyperTransport`, hyper 1 with hyper-util's pooled client over
//!   rustls. It needs a crypto provider and root certificates: with default features off, turn on
//!   one of each below (each implies `hyper`); without them the build stops with a
//!   `compile_error!` that names them. Without `hyper` at all, pass a [`Transport`] of your own to
//!   [`ClientBuilder::transport`].
//! - `rustls-ring` (default): rustls with the ring crypto provider.
//! - `rustls-aws-lc`: rustls with aws-lc-rs (for FIPS builds). It is used whenever it is on, even
//!   with ring on too; `default-features = false, features = ["rustls-aws-lc", "webpki-roots"]`
//!   leaves ring out of the build.
//! - `webpki-roots` (default): trust Mozilla's root certificates, compiled in.
//! - `rustls-native-roots`: trust the operating system's root certificates (as well as Mozilla's if
//!   `webpki-roots` is on).
//! - `tracing`: one span per call (endpoint, path, attempt, `ret_code`, latency); never a body,
//!   token or key.
//! - `test-util`: `MockTransport` and `transport_fn` in [`transport`], signed (and forged) test
//!   IPNs and `IpnReceiver`, a verifying IPN endpoint on loopback, in `ipn::testing`; the
//!   `testing` module, which records the gateway's answers into a redacted cassette and replays
//!   them offline.
//! - `axum`: the `axum` module: extractors that verify an IPN before the handler runs, for one
//!   merchant or many behind one router, and `Ack`.
//! - `blocking`: `blocking::Client`, the same calls without async, on a runtime of its own.
//!
//! Items that need a feature carry an "Available on crate feature" note here.
#![cfg_attr(docsrs, feature(doc_cfg))]

// The client's default transport must reach the gateway's public certificates. A transport that
// trusts only added roots is still possible: turn a roots feature on and call
// `HyperTransportBuilder::built_in_roots(false)`. (A missing crypto provider is refused by
// pockyt-transport, whose feature names are the same.)
#[cfg(all(
    feature = "hyper",
    not(any(feature = "webpki-roots", feature = "rustls-native-roots"))
))]
compile_error!(
    "pockyt: the `hyper` transport needs root certificates to reach the gateway: enable \
     `webpki-roots` (the default) or `rustls-native-roots`"
);

#[cfg(feature = "axum")]
pub mod axum;
#[cfg(feature = "blocking")]
pub mod blocking;
mod client;
mod config;
/// Code written by `cargo xtask codegen`: the named method of every endpoint.
mod generated {
    #[cfg(feature = "blocking")]
    mod blocking_endpoints;
    mod endpoints;
}
mod error;
pub mod guide;
pub mod ipn;
mod options;
pub mod reconcile;
mod retry;
#[cfg(feature = "test-util")]
pub mod testing;

pub use client::{Client, ClientBuilder, Resolution};
pub use config::{Config, ConfigError, EnvProblem, Environment, Timeouts, USER_AGENT};
pub use error::{DisplayChain, Error};
pub use options::CallOptions;
pub use pockyt_sign::{SigningKey, form};
pub use pockyt_transport::{Transport, TransportError, TransportErrorKind};
pub use retry::{RetryPolicy, retry_after};

// What users rely on without reading the code, checked when the crate compiles: a client is
// shared across tasks and threads, and every error can cross threads and be boxed.
const _: () = {
    const fn shared<T: Send + Sync + Clone + 'static>() {}
    const fn error<T: std::error::Error + Send + Sync + 'static>() {}
    shared::<Client>();
    shared::<Config>();
    #[cfg(feature = "blocking")]
    shared::<blocking::Client>();
    error::<Error>();
    error::<ConfigError>();
    error::<ipn::IpnError>();
    error::<TransportError>();
    error::<pockyt_types::ValidationError>();
    error::<pockyt_types::EnvelopeError>();
    error::<pockyt_types::ResponseError>();
    error::<pockyt_types::AmountError>();
    error::<pockyt_sign::SignError>();
    error::<pockyt_sign::VerifyError>();
    error::<pockyt_sign::form::FormError>();
};

/// The request and response models (re-exported from `pockyt-types`).
pub mod types {
    pub use pockyt_types::*;
}

// Each item has one path: the key, the form codec and the transport contract at the top (next to
// `Config` and `Error`, which use them), everything else of their crates in these modules.

/// Signing and verification (from `pockyt-sign`; the key is [`SigningKey`], the form codec
/// [`form`]).
pub mod sign {
    pub use pockyt_sign::{
        ParseSignatureError, SIGNATURE_PARAM, SignError, Signature, VerifyError, canonical_string,
        sign, verify, verify_embedded, verify_received,
    };
}

/// Transports (from `pockyt-transport`; the contract is [`Transport`], its errors
/// [`TransportError`] and [`TransportErrorKind`]).
pub mod transport {
    pub use pockyt_transport::{BoxFuture, DEFAULT_MAX_RESPONSE_BYTES};
    #[cfg(feature = "test-util")]
    pub use pockyt_transport::{CapturedRequest, MockTransport, transport_fn};
    #[cfg(feature = "hyper")]
    pub use pockyt_transport::{HyperTransport, HyperTransportBuilder};
}
