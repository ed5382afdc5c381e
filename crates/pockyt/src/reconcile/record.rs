//! One row of the merchant's own books.

use pockyt_types::time::OffsetDateTime;
use pockyt_types::{Amount, Currency, TransactionStatus};

/// One payment as your books hold it: what a reconciliation compares with the gateway's.
///
/// `at` is the time your books file it under (when it was paid, typically from the IPN's
/// `time`); it decides whether the row is in the [`Window`](super::Window). The refund total
/// and the status are compared when given.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct LedgerRecord {
    /// Your order id, the payment's `reference`.
    pub reference: String,
    /// The amount charged.
    pub amount: Amount,
    /// Its currency.
    pub currency: Currency,
    /// When your books file it.
    pub at: OffsetDateTime,
    /// The status your books hold, if they keep one.
    pub status: Option<TransactionStatus>,
    /// The total refunded so far (zero unless set).
    pub refunded: Amount,
    /// The gateway's `transactionNo`, if your books keep it; it matches a transaction that
    /// carries no `reference`.
    pub transaction_no: Option<String>,
}

impl LedgerRecord {
    /// A payment of `amount` in `currency` under `reference`, filed at `at`, nothing refunded.
    pub fn new(
        reference: impl Into<String>,
        amount: Amount,
        currency: Currency,
        at: OffsetDateTime,
    ) -> Self {
        Self {
            reference: reference.into(),
            amount,
            currency,
            at,
            status: None,
            refunded: Amount::zero(),
            transaction_no: None,
        }
    }

    /// Sets the status your books hold.
    pub fn status(mut self, status: TransactionStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Sets the total refunded.
    pub fn refunded(mut self, refunded: Amount) -> Self {
        self.refunded = refunded;
        self
    }

    /// Sets the gateway's transaction number.
    pub fn transaction_no(mut self, transaction_no: impl Into<String>) -> Self {
        self.transaction_no = Some(transaction_no.into());
        self
    }
}
