//! `pockyt-cli`'s integration tests, one binary.

mod cli;
mod ipn_send;
