//! The facade's integration tests, one binary.

mod behaviour;
#[cfg(all(feature = "blocking", feature = "test-util"))]
mod blocking;
mod endpoints;
#[cfg(feature = "axum")]
mod ipn_examples;
mod support;
