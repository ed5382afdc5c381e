//! `pockyt-cli`'s integration tests, one binary.

mod cli;
mod conformance;
mod ipn_send;
mod reconcile;
