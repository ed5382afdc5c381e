//! What can go wrong when a test starts the simulator or acts on it.

use std::net::SocketAddr;

use pockyt_types::TransactionStatus;

use crate::ledger::Refusal;

/// Why the simulator could not start or act.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MockError {
    /// The address could not be bound.
    #[error("cannot listen on {addr}")]
    #[non_exhaustive]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause, the `source()` (not repeated in the message: a chain printer shows each
        /// layer once), as in `pockyt`'s `ReceiverError::Bind`.
        #[source]
        source: std::io::Error,
    },
    /// No payment has this transaction number.
    #[error("no payment has transactionNo {0}")]
    NotFound(String),
    /// The payment is already final.
    #[error("payment {transaction_no} is already {status}")]
    #[non_exhaustive]
    NotOpen {
        /// The payment.
        transaction_no: String,
        /// Its status.
        status: TransactionStatus,
    },
    /// The simulator's rules refused the action (e.g. authorizing a revoked agreement).
    #[error("{subject}: {reason}")]
    #[non_exhaustive]
    Refused {
        /// The payment or agreement acted on.
        subject: String,
        /// Why.
        reason: String,
    },
    /// What an IPN wait waited for (`Until`'s description) did not happen within the time given.
    #[error("IPN deliveries: still no {0} when the wait ended")]
    IpnTimeout(String),
}

/// What the ledger's refusal of a test's action on `subject` means to the test.
pub(crate) fn refused(subject: &str, refusal: Refusal) -> MockError {
    match refusal {
        Refusal::NotOpen(status) => MockError::NotOpen {
            transaction_no: subject.to_owned(),
            status,
        },
        Refusal::NoPayment | Refusal::NoAgreement => MockError::NotFound(subject.to_owned()),
        other => MockError::Refused {
            subject: subject.to_owned(),
            reason: other.to_string(),
        },
    }
}
