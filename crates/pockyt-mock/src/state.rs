//! The simulator's memory: payments and their refunds, agreements, customers, payees, payouts.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};

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
    /// The sum of all refunds; `None` if it cannot be represented exactly (never for amounts
    /// within [`pockyt_types::MAX_REQUEST_AMOUNT`], which every route enforces). An overflow is
    /// never read as zero: that would make the whole payment refundable again.
    pub fn refunded(&self) -> Option<Amount> {
        self.refunds
            .iter()
            .try_fold(Amount::zero(), |sum, r| sum.checked_add(&r.amount))
    }

    /// What can still be refunded; `None` if the sums cannot be represented exactly.
    pub fn refundable(&self) -> Option<Amount> {
        self.amount.checked_sub(&self.refunded()?)
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

/// A merchant's own name for a record (a `reference`, a `refundReference`), unique per store:
/// (merchantNo, storeNo, the name).
pub(crate) type OwnKey = (String, String, String);

/// `name` as a key of `owner`'s.
pub(crate) fn own_key(owner: &Merchant, name: &str) -> OwnKey {
    (
        owner.merchant_no.clone(),
        owner.store_no.clone(),
        name.to_owned(),
    )
}

/// Everything, behind one lock: handlers never hold it across an `.await`.
#[derive(Debug, Default)]
pub(crate) struct Store {
    inner: Mutex<Records>,
}

#[derive(Debug)]
pub(crate) struct Records {
    counter: u64,
    /// transactionNo → the payment. Ordered: numbers have a fixed width and grow, so the newest
    /// come last, and a page of a list is read without sorting or copying the rest.
    pub(crate) payments: BTreeMap<String, Payment>,
    /// (merchantNo, storeNo, reference) → transactionNo.
    pub(crate) references: HashMap<OwnKey, String>,
    /// (merchantNo, storeNo, refundReference) → the refunded payment's transactionNo.
    pub(crate) refund_references: HashMap<OwnKey, String>,
    pub(crate) agreements: HashMap<String, Agreement>,
    pub(crate) authorizations: HashMap<String, Authorization>,
    /// customerNo → the customer (or v3 payee); ordered (fixed-width numbers) for paging.
    pub(crate) customers: BTreeMap<String, CustomerRecord>,
    /// accountToken → the payee's funding account; ordered for paging.
    pub(crate) payee_accounts: BTreeMap<String, PayeeAccount>,
    pub(crate) payouts: HashMap<PayoutKey, Payout>,
    /// vaultId → the saved payment method.
    pub(crate) vaults: HashMap<String, Vault>,
}

impl Store {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Records> {
        // A handler that panicked must not take the whole simulator down with it.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Default for Records {
    fn default() -> Self {
        Self {
            counter: random_start(),
            payments: BTreeMap::new(),
            references: HashMap::new(),
            refund_references: HashMap::new(),
            agreements: HashMap::new(),
            authorizations: HashMap::new(),
            customers: BTreeMap::new(),
            payee_accounts: BTreeMap::new(),
            payouts: HashMap::new(),
            vaults: HashMap::new(),
        }
    }
}

/// Where an instance's numbers start: random, so two simulators (or a restarted one) never hand
/// out the same transaction numbers, and a test cannot come to rely on fixed ones.
fn random_start() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0);
    // Up to 10^10: 18-digit numbers for any number of payments a simulator will ever make.
    hasher.finish() % 10_000_000_000
}

impl Records {
    /// A new 18-digit number, unique for the simulator's life, shaped like the gateway's.
    pub(crate) fn next_number(&mut self) -> String {
        self.counter += 1;
        format!("{}", 300_000_000_000_000_000u64 + self.counter * 7919)
    }

    /// A new 22-digit customer number.
    pub(crate) fn next_customer_no(&mut self) -> String {
        self.counter += 1;
        format!("1000{:018}", self.counter)
    }

    /// The payment. (An elapsed timeout is applied by `expiry`, which also notifies.)
    pub(crate) fn payment_mut(&mut self, transaction_no: &str) -> Option<&mut Payment> {
        self.payments.get_mut(transaction_no)
    }

    /// A payment of `owner` (that store of that merchant) by transaction number or reference;
    /// given both (the Go and JS SDKs can send both), they must name the same payment.
    pub(crate) fn find(
        &mut self,
        owner: &Merchant,
        transaction_no: Option<&str>,
        reference: Option<&str>,
    ) -> Option<&mut Payment> {
        let number = match (transaction_no, reference) {
            (Some(number), _) => number.to_owned(),
            (None, Some(reference)) => self.references.get(&own_key(owner, reference))?.clone(),
            (None, None) => return None,
        };
        self.payment_mut(&number)
            .filter(|p| owner.owns(&p.merchant_no, &p.store_no))
            .filter(|p| reference.is_none_or(|r| p.reference.as_deref() == Some(r)))
    }
}
