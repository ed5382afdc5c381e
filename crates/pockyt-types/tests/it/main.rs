//! `pockyt-types`'s integration tests, one binary.

mod enums;
#[cfg(feature = "from-wire")]
mod from_wire;
mod garbage;
mod requests;
mod responses;
