//! The simulator's memory: payments and their refunds, agreements, customers, payees, payouts.

use std::collections::HashMap;

use pockyt_types::{Amount, Currency, SettleCurrency, TransactionStatus, Vendor};

use crate::config::Merchant;

/// A payment as the simulator holds it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Payment {
    /// The gateway's 18-digit number.
    pub transaction_no: String,
    /// The merchant's reference (unique per store of a merchant), if the request carried one: in-store
    /// `add` and a QR code for an existing transaction may go without.
    pub reference: Option<String>,
    /// The merchant it belongs to.
    pub merchant_no: String,
    /// The store it belongs to.
    pub store_no: String,
    /// Current status: `init` → `pending` → `success` / `failed` / `closed`.
    pub status: TransactionStatus,
    /// The amount charged.
    pub amount: Amount,
    /// The currency.
    pub currency: Currency,
    /// The settlement currency.
    pub settle_currency: SettleCurrency,
    /// The wallet or method.
    pub vendor: Vendor,
    /// The customer the payment is for, when the request named one.
    pub customer_no: Option<String>,
    /// Where notifications go, if anywhere.
    pub ipn_url: Option<String>,
    /// Where the shopper's browser returns.
    pub callback_url: Option<String>,
    /// The merchant's note, echoed in notifications.
    pub note: Option<String>,
    /// The order's description, shown on the cashier page.
    pub description: Option<String>,
    /// `goodsInfo` as received (a JSON list of goods), shown on the cashier page.
    pub goods_info: Option<String>,
    /// The endpoint that created it, e.g. `secure_pay`.
    pub created_by: &'static str,
    /// Refunds made against it.
    pub refunds: Vec<Refund>,
    /// When it was created, `YYYYMMDDHHMMSS` on the gateway's clock (UTC+8).
    pub created: String,
    /// When it succeeded; `None` until then.
    pub paid_at: Option<std::time::SystemTime>,
    /// The cashier or clerk the creating request named (`storeAdminNo`), if any.
    pub store_admin_no: Option<String>,
    /// When it closes if still open; `None`: never.
    pub(crate) expires_at: Option<tokio::time::Instant>,
    /// The shopper asked to save the payment method (`creditType` `cit` or `hosted`, or a v4
    /// capture): completing it with `process` issues a vault id.
    pub(crate) vaulting: bool,
    /// The saved payment method this payment issued, once `process` completed it.
    pub(crate) vault_id: Option<String>,
}

impl Payment {
    /// The sum of all refunds, at the currency's precision (`0.00` USD when there are none);
    /// `None` if it cannot be represented exactly (never for amounts within
    /// [`pockyt_types::MAX_REQUEST_AMOUNT`], which every route enforces). An overflow is never
    /// read as zero: that would make the whole payment refundable again.
    pub fn refunded(&self) -> Option<Amount> {
        // A currency of unknown precision starts from a bare `0`: the refunds' own digits show.
        let none = Amount::from_minor(0, &self.currency).unwrap_or_else(|_| Amount::zero());
        self.refunds
            .iter()
            .try_fold(none, |sum, r| sum.checked_add(&r.amount))
    }

    /// What can still be refunded; `None` if the sums cannot be represented exactly.
    pub fn refundable(&self) -> Option<Amount> {
        self.amount.checked_sub(&self.refunded()?)
    }

    /// The `callbackUrl` with its macros filled in for the payment as it is now, if it has one.
    pub(crate) fn callback(&self) -> Option<String> {
        self.callback_url
            .as_deref()
            .map(|url| fill_macros(url, self))
    }

    pub(crate) fn is_open(&self) -> bool {
        matches!(
            self.status,
            TransactionStatus::Init | TransactionStatus::Pending
        )
    }
}

/// A refund of (part of) a payment.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Refund {
    /// The refund's own transaction number.
    pub refund_transaction_no: String,
    /// The merchant's id for the refund, if the request carried one (it is optional).
    pub refund_reference: Option<String>,
    /// The amount refunded.
    pub amount: Amount,
    /// When it was made, on the simulator's clock: the settlement of that day (on the gateway's
    /// UTC+8 calendar) deducts it.
    pub refunded_at: std::time::SystemTime,
}

/// A wallet auto-debit agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Agreement {
    pub(crate) auto_debit_no: String,
    pub(crate) auto_reference: String,
    pub(crate) merchant_no: String,
    pub(crate) store_no: String,
    pub(crate) vendor: Vendor,
    pub(crate) redirect_url: String,
    pub(crate) auto_ipn_url: Option<String>,
    pub(crate) note: Option<String>,
    pub(crate) authorized: bool,
    pub(crate) revoked: bool,
}

/// A pre-authorization (frozen funds).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Authorization {
    pub(crate) auth_info_no: String,
    pub(crate) out_auth_info_no: String,
    pub(crate) merchant_no: String,
    pub(crate) store_no: String,
    pub(crate) frozen: Amount,
    /// Absent when the voucher was created without one (PY and JAVA do not require it).
    pub(crate) currency: Option<Currency>,
}

/// A payout.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Payout {
    pub(crate) transaction_no: String,
    pub(crate) invoice_id: String,
    pub(crate) customer_no: String,
    pub(crate) account_token: String,
    pub(crate) amount: Amount,
    pub(crate) currency: Currency,
    /// When it was made (and, as it succeeds at once, paid), on the simulator's clock.
    pub(crate) created_at: std::time::SystemTime,
}

/// A customer or v3 payee: the profile fields as received, echoed back on retrieve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CustomerRecord {
    pub(crate) merchant_no: String,
    pub(crate) store_no: String,
    pub(crate) profile: HashMap<String, String>,
}

/// A payee's funding account (PayPal, Venmo, bank), owned by one customer of one store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PayeeAccount {
    pub(crate) merchant_no: String,
    pub(crate) store_no: String,
    pub(crate) customer_no: String,
    /// `accountTag`, `accountType` and, for a bank account, what was received.
    pub(crate) fields: HashMap<String, String>,
}

impl PayeeAccount {
    pub(crate) fn is_owned_by(&self, owner: &Merchant, customer_no: &str) -> bool {
        owner.owns(&self.merchant_no, &self.store_no) && self.customer_no == customer_no
    }
}

/// A saved payment method (a vault), issued by `process` for a payment that asked for one; a later
/// payment with its `vaultId` is charged at once. It belongs to one store of one merchant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Vault {
    pub(crate) merchant_no: String,
    pub(crate) store_no: String,
    pub(crate) vendor: Vendor,
    pub(crate) customer_no: Option<String>,
}

/// A payout's identity: `invoiceId` is unique per store of a merchant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct PayoutKey {
    pub(crate) merchant_no: String,
    pub(crate) store_no: String,
    pub(crate) invoice_id: String,
}

impl PayoutKey {
    /// The payout `invoice_id` of `owner`.
    pub(crate) fn new(owner: &Merchant, invoice_id: String) -> Self {
        Self {
            merchant_no: owner.merchant_no.clone(),
            store_no: owner.store_no.clone(),
            invoice_id,
        }
    }
}

/// Replaces `{status}`, `{amount}`, `{reference}`, `{note}`, `{transactionNo}` and `{yuansferId}`
/// in a callback URL, each value form-escaped.
fn fill_macros(url: &str, payment: &Payment) -> String {
    let status = payment.status.to_string();
    let amount = payment.amount.to_string();
    let note = payment.note.clone().unwrap_or_default();
    let values = [
        ("{status}", status.as_str()),
        ("{amount}", amount.as_str()),
        (
            "{reference}",
            payment.reference.as_deref().unwrap_or_default(),
        ),
        ("{note}", note.as_str()),
        ("{transactionNo}", payment.transaction_no.as_str()),
        ("{yuansferId}", payment.transaction_no.as_str()),
    ];
    values.iter().fold(url.to_owned(), |acc, (name, value)| {
        acc.replace(name, &pockyt_sign::form::escape(value))
    })
}
