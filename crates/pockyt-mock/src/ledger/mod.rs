//! The simulator's domain, below both doors (the API's routes and the pages): every record and
//! every change of one. Each change is a typed operation on [`Ledger`] that either happens whole,
//! with the notification it causes, or is refused with a [`Refusal`] and changes nothing. The
//! records sit behind one lock that only this module takes, never across an `.await`.
//!
//! The rules every payment follows: it is created `init` (hosted checkouts, in-store orders and
//! QR codes wait there; opening the cashier page changes nothing), then becomes `success`,
//! `failed` or `closed`, each final. An open payment leaves `init` by the shopper, by a
//! server-side call that pays at once (cards, captures, auto-debit), by a cancel, or by its
//! `timeout` elapsing; every change notifies the merchant's `ipnUrl`. A merchant's own names
//! (`reference`, `refundReference`, ...) are unique per store of a merchant, for ever. Every record
//! belongs to one store of one merchant: another store of the same merchant neither sees nor
//! changes it. `books` holds the ledger itself and its reads; the operations are split by what
//! they keep: `payments` (payments, refunds, saved methods), `holds` (auto-debit agreements and
//! pre-authorizations) and `parties` (customers, payees, payouts and the balance); `settlements`
//! reads what the payments and refunds add up to, day by day.
//!
//! Every time a record keeps (a payment's creation and payment, a refund, a notification's
//! `time`) is read from the ledger's [`crate::SimClock`], and the gateway's days are those of
//! UTC+8, so a test can cross the gateway's midnight without waiting.

mod books;
mod holds;
mod parties;
mod payments;
mod records;
mod refusal;
mod settlements;

pub(crate) use books::{Actor, CustomersPage, Ledger};
pub(crate) use holds::AgreementTerms;
pub(crate) use parties::{BankAccount, PayeeAccountSpec, PayoutOrder};
pub(crate) use payments::{NewPayment, RefundOrder};
pub(crate) use refusal::Refusal;
pub(crate) use settlements::SettlementItem;
