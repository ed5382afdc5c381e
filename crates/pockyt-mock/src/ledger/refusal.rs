//! Why the ledger refused an operation. The message is the gateway's wording; which return code
//! goes with each refusal is the API's business (`gateway.rs` maps them), and a page shows the
//! message.

use pockyt_types::{Amount, TransactionStatus};

/// A refused operation: nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Refusal {
    /// No payment of the caller's has that number or reference.
    #[error("transaction does not exist")]
    NoPayment,
    /// The payment is final; only an open one can be finished.
    #[error("transaction is already {0}")]
    NotOpen(TransactionStatus),
    /// Only a paid payment can be refunded.
    #[error("a {0} transaction cannot be refunded")]
    NotRefundable(TransactionStatus),
    /// A failed or closed payment cannot be cancelled.
    #[error("a {0} transaction cannot be cancelled")]
    NotCancellable(TransactionStatus),
    /// A merchant's own name for a record (`reference`, `refundReference`, `outAuthInfoNo`,
    /// `autoReference`, `customerCode`, `invoiceId`) was used before by the same store.
    ///
    /// The wording is the simulator's best reading, not the gateway's: Pockyt's docs list a
    /// duplicate `reference` among the common errors but give no code or message for it
    /// (<https://docs.pockyt.io/reference/status-error-codes>), and no official SDK or plugin
    /// shows one. It names the field and says it is taken, which is what the client's
    /// `Error::is_reused_reference` reads (under `000023`, see `gateway.rs`).
    #[error("{field} `{value}` has already been used")]
    Taken {
        /// The field's wire name.
        field: &'static str,
        /// The value.
        value: String,
    },
    /// A refund's `currency` or `settleCurrency` (the field named) is not the payment's.
    #[error("{0} differs from the payment's")]
    CurrencyDiffers(&'static str),
    /// More than is left to refund.
    #[error("refundAmount {asked} exceeds the refundable amount {left}")]
    ExceedsRefundable {
        /// The amount asked for.
        asked: Amount,
        /// What is left to refund.
        left: Amount,
    },
    /// An amount that is not positive, too large, or finer than its currency allows.
    #[error("{0}")]
    BadAmount(String),
    /// Refund totals that cannot be represented: a simulator bug, never a silent zero.
    #[error("refund total overflows")]
    Overflow,
    /// Settlement totals that cannot be represented: a simulator bug, never a wrong figure.
    #[error("settlement totals overflow")]
    SettlementOverflow,
    /// No mixed QR code record of the caller's has that number or reference.
    #[error("mixed QR code record does not exist")]
    NoMixedRecord,
    /// The caller has no saved payment method with that id.
    #[error("vaultId `{0}` does not exist")]
    NoVault(String),
    /// The caller has no auto-debit agreement with that number.
    #[error("autoDebitNo does not exist")]
    NoAgreement,
    /// The agreement was never authorized, or was revoked.
    #[error("the auto-debit agreement is not authorized or was revoked")]
    AgreementInactive,
    /// The caller has no pre-authorization with that number.
    #[error("authorization does not exist")]
    NoAuthorization,
    /// More than is frozen (the field named).
    #[error("{0} exceeds the frozen amount")]
    ExceedsFrozen(&'static str),
    /// The caller has no customer by that number or code.
    #[error("customer does not exist")]
    NoCustomer,
    /// The caller has no customer with that `customerNo` (for a payee's account).
    #[error("customerNo does not exist")]
    NoCustomerNo,
    /// The customer has no account with that token or tag.
    #[error("payee account does not exist")]
    NoAccount,
    /// The token names no account of that customer.
    #[error("accountToken does not exist for this customerNo")]
    NoAccountOfCustomer,
    /// The caller has no payout with that `invoiceId`.
    #[error("invoiceId does not exist")]
    NoInvoice,
    /// The payout balance does not cover the payout.
    #[error("insufficient balance")]
    InsufficientBalance,
    /// An IPN is sent again only for a decided payment: the gateway never notifies of an open one.
    #[error("the payment is still {0}: its IPN comes once it is decided")]
    StillOpen(TransactionStatus),
    /// The payment has nowhere to be notified.
    #[error("the payment has no ipnUrl")]
    NoIpnUrl,
}
