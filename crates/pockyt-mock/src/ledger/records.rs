//! The ledger's memory: every record, behind the ledger's one lock. Only the ledger's own modules
//! see these fields, so a record changes only by one of its operations.

use std::collections::{BTreeMap, HashMap};

use crate::config::Merchant;
use crate::state::{
    Agreement, Authorization, CustomerRecord, PayeeAccount, Payment, Payout, PayoutKey, Vault,
};

/// A merchant's own name for a record (a `reference`, a `refundReference`), unique per store:
/// (merchantNo, storeNo, the name).
pub(super) type OwnKey = (String, String, String);

/// `name` as a key of `owner`'s.
pub(super) fn own_key(owner: &Merchant, name: &str) -> OwnKey {
    (
        owner.merchant_no.clone(),
        owner.store_no.clone(),
        name.to_owned(),
    )
}

#[derive(Debug)]
pub(super) struct Records {
    counter: u64,
    /// transactionNo → the payment. Ordered: numbers have a fixed width and grow, so the newest
    /// come last, and a page of a list is read without sorting or copying the rest.
    pub(super) payments: BTreeMap<String, Payment>,
    /// (merchantNo, storeNo, reference) → transactionNo.
    pub(super) references: HashMap<OwnKey, String>,
    /// (merchantNo, storeNo, refundReference) → the refunded payment's transactionNo.
    pub(super) refund_references: HashMap<OwnKey, String>,
    pub(super) agreements: HashMap<String, Agreement>,
    pub(super) authorizations: HashMap<String, Authorization>,
    /// customerNo → the customer (or v3 payee); ordered (fixed-width numbers) for paging.
    pub(super) customers: BTreeMap<String, CustomerRecord>,
    /// accountToken → the payee's funding account; ordered for paging.
    pub(super) payee_accounts: BTreeMap<String, PayeeAccount>,
    pub(super) payouts: HashMap<PayoutKey, Payout>,
    /// vaultId → the saved payment method.
    pub(super) vaults: HashMap<String, Vault>,
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
    pub(super) fn next_number(&mut self) -> String {
        self.counter += 1;
        format!("{}", 300_000_000_000_000_000u64 + self.counter * 7919)
    }

    /// A new 22-digit customer number.
    pub(super) fn next_customer_no(&mut self) -> String {
        self.counter += 1;
        format!("1000{:018}", self.counter)
    }

    /// A payment that `owner` may see (any, for `None`: the simulator itself) by transaction
    /// number or reference; given both (the Go and JS SDKs can send both), they must name the
    /// same payment. A reference is a store's own name, so without an owner only the number finds.
    pub(super) fn find(
        &mut self,
        owner: Option<&Merchant>,
        transaction_no: Option<&str>,
        reference: Option<&str>,
    ) -> Option<&mut Payment> {
        let number = match (transaction_no, reference, owner) {
            (Some(number), _, _) => number.to_owned(),
            (None, Some(reference), Some(owner)) => {
                self.references.get(&own_key(owner, reference))?.clone()
            }
            _ => return None,
        };
        self.payments
            .get_mut(&number)
            .filter(|p| owner.is_none_or(|o| o.owns(&p.merchant_no, &p.store_no)))
            .filter(|p| reference.is_none_or(|r| p.reference.as_deref() == Some(r)))
    }
}
