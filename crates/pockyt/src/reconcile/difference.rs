//! What a reconciliation found.

use std::fmt;

use pockyt_types::{
    Amount, Currency, GatewayTime, TimeError, Transaction, TransactionStatus, UtcTimestamp,
};

use super::LedgerRecord;

/// One way the gateway's records and yours disagree.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Difference {
    /// The gateway has a payment in the window that your books do not.
    MissingInLedger(Box<Transaction>),
    /// Your books have a payment in the window that the gateway does not.
    MissingAtGateway(Box<LedgerRecord>),
    /// The amounts differ.
    AmountDiffers {
        /// The payment's reference.
        reference: String,
        /// Your amount.
        ledger: Amount,
        /// The gateway's (`None`: its record carries none).
        gateway: Option<Amount>,
    },
    /// The currencies differ.
    CurrencyDiffers {
        /// The payment's reference.
        reference: String,
        /// Your currency.
        ledger: Currency,
        /// The gateway's.
        gateway: Option<Currency>,
    },
    /// The statuses differ.
    StatusDiffers {
        /// The payment's reference.
        reference: String,
        /// Your status.
        ledger: TransactionStatus,
        /// The gateway's.
        gateway: Option<TransactionStatus>,
    },
    /// The totals refunded differ.
    RefundTotalDiffers {
        /// The payment's reference.
        reference: String,
        /// Your total.
        ledger: Amount,
        /// The gateway's: its `refundAmount`, or the sum of the successful refund records that
        /// name the payment (`None`: they add up to more than 18 digits hold).
        gateway: Option<Amount>,
    },
    /// A gateway payment that no record of yours matches and whose time cannot be read (or that
    /// carries none), so whether it is in the window is unknown.
    TimeUnreadable {
        /// The record.
        transaction: Box<Transaction>,
        /// Why its time is not a time; `None` when it carries neither `paymentTime` nor
        /// `createTime`.
        error: Option<TimeError>,
    },
    /// Your books hold the same reference more than once.
    DuplicateInLedger {
        /// The reference.
        reference: String,
        /// How many rows carry it.
        rows: usize,
    },
}

impl Difference {
    /// The reference the difference is about, when there is one.
    pub fn reference(&self) -> Option<&str> {
        match self {
            Difference::MissingInLedger(t) | Difference::TimeUnreadable { transaction: t, .. } => {
                t.reference.as_deref()
            }
            Difference::MissingAtGateway(r) => Some(&r.reference),
            Difference::AmountDiffers { reference, .. }
            | Difference::CurrencyDiffers { reference, .. }
            | Difference::StatusDiffers { reference, .. }
            | Difference::RefundTotalDiffers { reference, .. }
            | Difference::DuplicateInLedger { reference, .. } => Some(reference),
        }
    }
}

/// `Some(x)` as `x`, `None` as `none`.
fn or_none<T: fmt::Display>(value: Option<&T>) -> String {
    value.map_or_else(|| "none".to_owned(), ToString::to_string)
}

/// A gateway record in a few words: its reference, number, amount, status and time.
fn describe(t: &Transaction) -> String {
    let time = t.payment_time.as_ref().or(t.create_time.as_ref());
    format!(
        "{} (transaction {}, {} {}, {}, at {} UTC+8)",
        t.reference.as_deref().unwrap_or("without a reference"),
        t.transaction_no.as_deref().unwrap_or("?"),
        or_none(t.amount.as_ref()),
        t.currency.as_ref().map_or("", |c| c.as_str()),
        t.transaction_status
            .as_ref()
            .map_or("no status", |s| s.as_str()),
        time.map_or("no time", GatewayTime::as_str),
    )
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::MissingInLedger(t) => {
                write!(f, "missing in the ledger: {}", describe(t))
            }
            Difference::MissingAtGateway(r) => write!(
                f,
                "missing at the gateway: {} ({} {}, at {})",
                r.reference,
                r.amount,
                r.currency.as_str(),
                UtcTimestamp::at(r.at).map_or_else(|_| r.at.to_string(), String::from)
            ),
            Difference::AmountDiffers {
                reference,
                ledger,
                gateway,
            } => write!(
                f,
                "amount differs: {reference}: ledger {ledger}, gateway {}",
                or_none(gateway.as_ref())
            ),
            Difference::CurrencyDiffers {
                reference,
                ledger,
                gateway,
            } => write!(
                f,
                "currency differs: {reference}: ledger {}, gateway {}",
                ledger.as_str(),
                gateway.as_ref().map_or("none", |c| c.as_str())
            ),
            Difference::StatusDiffers {
                reference,
                ledger,
                gateway,
            } => write!(
                f,
                "status differs: {reference}: ledger {}, gateway {}",
                ledger.as_str(),
                gateway.as_ref().map_or("none", |s| s.as_str())
            ),
            Difference::RefundTotalDiffers {
                reference,
                ledger,
                gateway,
            } => match gateway {
                Some(gateway) => write!(
                    f,
                    "refund total differs: {reference}: ledger {ledger}, gateway {gateway}"
                ),
                None => write!(
                    f,
                    "refund total differs: {reference}: ledger {ledger}, gateway's refunds too \
                     large to add up"
                ),
            },
            Difference::TimeUnreadable { transaction, error } => match error {
                Some(error) => write!(f, "time unreadable: {}: {error}", describe(transaction)),
                None => write!(
                    f,
                    "time unreadable: {}: it carries neither paymentTime nor createTime",
                    describe(transaction)
                ),
            },
            Difference::DuplicateInLedger { reference, rows } => {
                write!(f, "duplicate in the ledger: {reference} ({rows} rows)")
            }
        }
    }
}
