//! Reconciliation: the gateway's records against your books, both ways, midnight-safe.
//!
//! A nightly job asks "did the gateway and we see the same payments yesterday?".
//! [`Client::reconcile`](crate::Client::reconcile) answers it for a [`Window`] of gateway
//! days: it walks trans-list (and settle-list) in ranges the gateway serves, and compares each
//! payment with your [`LedgerRecord`]s:
//!
//! - [`Difference::MissingInLedger`]: the gateway took a payment your books do not have (an IPN
//!   lost, a handler that failed after the money moved);
//! - [`Difference::MissingAtGateway`]: your books hold a payment the gateway does not (an order
//!   marked paid without a verified notification);
//! - amount, currency, status or refund total differ.
//!
//! Two things make this harder than a join, and the module handles both:
//!
//! - **The gateway's day is UTC+8**, and trans-list files a payment under the day it was
//!   *created* while your books file it by when it was *paid*. A payment created at 23:59:50 and
//!   paid at 00:00:10 would look missing on both days to a naive job. The window asks for a day
//!   more on each side and judges every record by its own time ([`Window`]).
//! - **The list's limits are not documented.** The official JS SDK refuses ranges over 15 days,
//!   so ranges are asked for 15 days at a time; no source documents paging or a cap, so an answer
//!   whose `size` exceeds the records it carried is asked for again in halves, down to a day
//!   ([`ReconcileError::Truncated`] if a single day is cut).
//!
//! The comparison is [`compare`], a pure function, so it also runs on lists you fetched
//! yourself:
//!
//! ```
//! use pockyt::reconcile::{Difference, LedgerRecord, Window, compare};
//! use pockyt::types::{Amount, Currency, GatewayDate, GatewayTime, Transaction};
//!
//! // Created at 23:59:50 on the gateway's December 6th, paid ten seconds later, on the 7th:
//! // trans-list files it under the 6th.
//! let listed: Vec<Transaction> = serde_json::from_str(r#"[
//!   {"reference": "order-1", "transactionNo": "3001", "amount": "10.00", "currency": "USD",
//!    "transactionStatus": "success", "refundAmount": "0.00",
//!    "createTime": "2026-12-06 23:59:50", "paymentTime": "2026-12-07 00:00:00"},
//!   {"reference": "order-2", "transactionNo": "3002", "amount": "25.00", "currency": "USD",
//!    "transactionStatus": "success", "refundAmount": "5.00",
//!    "createTime": "2026-12-07 09:00:00", "paymentTime": "2026-12-07 09:00:30"}
//! ]"#)?;
//!
//! // Your books, by payment time (order-2's refund is not in them yet).
//! let at = |text: &str| GatewayTime::new(text).to_utc();
//! let usd = |text: &str| Amount::parse(text);
//! let books = [
//!     LedgerRecord::new("order-1", usd("10.00")?, Currency::Usd, at("2026-12-07 00:00:00")?),
//!     LedgerRecord::new("order-2", usd("25.00")?, Currency::Usd, at("2026-12-07 09:00:30")?),
//!     LedgerRecord::new("order-3", usd("7.50")?, Currency::Usd, at("2026-12-07 12:00:00")?),
//! ];
//!
//! let december_7 = Window::day(GatewayDate::parse("20261207")?);
//! let found = compare(&december_7, &listed, &books);
//! let lines: Vec<String> = found.iter().map(ToString::to_string).collect();
//! assert_eq!(lines, [
//!     "refund total differs: order-2: ledger 0, gateway 5.00",
//!     "missing at the gateway: order-3 (7.50 USD, at 2026-12-07T04:00:00Z)",
//! ]);
//! // order-1 was listed under the 6th and paid on the 7th: matched, not missing.
//! assert!(found.iter().all(|d| d.reference() != Some("order-1")));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Against a gateway (the simulator here: `pockyt_mock` settles paid days after a configurable
//! number of simulated days, with fees), `client.reconcile(&window, books, |p| …)` fetches both
//! lists and returns a [`Report`]; the `pockyt reconcile --ledger FILE.csv --from DATE --to
//! DATE` command is built on it.

mod compare;
mod difference;
mod error;
mod record;
mod report;
mod walk;
mod window;

pub use compare::compare;
pub use difference::Difference;
pub use error::ReconcileError;
pub use record::LedgerRecord;
pub use report::{Progress, Report};
pub use window::Window;
