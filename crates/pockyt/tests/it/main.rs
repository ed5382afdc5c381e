//! The facade's integration tests, one binary.

mod behaviour;
#[cfg(all(feature = "blocking", feature = "test-util"))]
mod blocking;
#[cfg(feature = "test-util")]
mod cassette;
mod endpoints;
#[cfg(feature = "axum")]
mod ipn_examples;
#[cfg(feature = "axum")]
mod ipn_isv;
mod reconcile;
mod support;
