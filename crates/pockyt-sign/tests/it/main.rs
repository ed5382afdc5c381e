//! `pockyt-sign`'s integration tests, one binary.

mod properties;
mod vectors;
