//! The cross-crate flows, one test binary (each binary links the whole stack, so one is
//! cheaper to build than many). The two exceptions need a process of their own:
//! `tests/memory.rs` reads the process's peak memory, and `tests/traces.rs` installs a `tracing`
//! subscriber, whose callsite interest cache other tests' threads would race with.

mod blocking;
#[cfg(feature = "browser")]
mod browser;
mod concurrency;
mod conformance;
mod custom_stack;
mod defects;
mod faults;
mod fidelity;
mod flows;
mod formats;
mod fuzz_regressions;
mod many_merchants;
mod proxy;
mod secrets;
mod server;
#[cfg(feature = "tinyproxy")]
mod tinyproxy;
mod tls;
