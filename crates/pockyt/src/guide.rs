//! Guides: one task each, from the first call to production, with examples that run as doctests
//! (so they cannot drift from the code).
//!
//! - [`webhooks`]: verifying IPNs and callback redirects, with hyper, axum or any framework.
//! - [`errors_and_retries`]: what each error means, the retry rules, per-call options, timeouts.
//! - [`many_merchants`]: a platform's many merchants over one connection pool, with its cost.
//! - [`migrating`]: from the official PHP, Python and Java SDKs, call by call.
//! - [`reconciliation`]: the gateway's UTC+8 time, typed, and a nightly reconciliation of its
//!   lists against your books.
//!
//! Elsewhere: the signature algorithm is `pockyt_sign`'s guide
//! (<https://docs.rs/pockyt-sign/latest/pockyt_sign/guide/>), and testing an integration against
//! the local gateway simulator is `pockyt-mock`'s
//! (<https://docs.rs/pockyt-mock/latest/pockyt_mock/guide/>), as is recurring payments step by
//! step, run against the simulator
//! (<https://docs.rs/pockyt-mock/latest/pockyt_mock/guide/recurring/>), and a nightly
//! reconciliation across the gateway's midnight
//! (<https://docs.rs/pockyt-mock/latest/pockyt_mock/guide/reconciliation/>).

#[doc = include_str!("../guide/errors-and-retries.md")]
pub mod errors_and_retries {}

// Its axum and testing sections need those features, so its examples are doctested only with them
// (`cargo test --workspace` and the packaged doctests turn them on); the page itself is always
// documented.
#[cfg(any(not(doctest), all(feature = "axum", feature = "test-util")))]
#[doc = include_str!("../guide/webhooks.md")]
pub mod webhooks {}

#[doc = include_str!("../guide/many-merchants.md")]
pub mod many_merchants {}

#[doc = include_str!("../guide/migrating.md")]
pub mod migrating {}

#[doc = include_str!("../guide/reconciliation.md")]
pub mod reconciliation {}
