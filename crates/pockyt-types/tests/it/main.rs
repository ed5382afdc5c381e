//! `pockyt-types`'s integration tests, one binary.

mod enums;
mod garbage;
mod requests;
mod responses;
