//! The simulator's money rules, asserted through the SDK's client, one binary. The end-to-end
//! crate drives whole flows; these state each rule once, close to the code that keeps it, so a
//! change to a rule fails here first (and `cargo xtask mutants` can judge the simulator by them).

mod defects;
mod endpoints;
mod faults;
mod money;
mod notices;
#[rustfmt::skip]
mod source_requests;
mod settlements;
mod sources;
mod support;
mod workbench;
