//! The [`Ledger`] itself: the records behind its lock, the accounts, the deadlines of open
//! payments and the notifications changes send, with the reads the pages and tests need. The
//! operations that change records are `impl Ledger` blocks in the modules beside this one.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use pockyt_types::{Amount, TransactionStatus};
use tokio::time::Instant;

use crate::config::{Merchant, SettlementTerms};
use crate::expiry::Expiries;
use crate::ipn::{self, Deliveries};
use crate::sim_clock::SimClock;
use crate::state::{CustomerRecord, PayeeAccount, Payment, Payout, PayoutKey};

use super::records::Records;

/// Who acts on a payment: a store of a merchant, which sees only its own records, or the
/// simulator itself (its pages and [`crate::MockGateway`]), which acts on any.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Actor<'a> {
    /// A signed API call of this store.
    Store(&'a Merchant),
    /// The shopper's pages, the workbench, a test's `MockGateway`, or an elapsed timeout.
    Simulator,
}

impl<'a> Actor<'a> {
    pub(super) fn store(self) -> Option<&'a Merchant> {
        match self {
            Actor::Store(merchant) => Some(merchant),
            Actor::Simulator => None,
        }
    }
}

/// A page of customers (by number) and of payee accounts (by token).
pub(crate) struct CustomersPage {
    pub(crate) customers: Vec<(String, CustomerRecord)>,
    pub(crate) accounts: Vec<(String, PayeeAccount)>,
    /// The longer list's length.
    pub(crate) total: usize,
}

/// Every record, the rules that change them, and the notifications their changes send.
pub(crate) struct Ledger {
    records: Mutex<Records>,
    merchants: Vec<Merchant>,
    deliveries: Arc<Deliveries>,
    pub(super) expiries: Expiries,
    /// The payout balance each store starts with, per currency.
    pub(super) opening_balance: Amount,
    /// What every record's and notification's time is read from, and what day it is.
    clock: SimClock,
    /// When payments settle and what they cost.
    pub(super) settlement: SettlementTerms,
}

impl Ledger {
    /// An empty ledger for these accounts; `minute` is how long one minute of a payment's
    /// `timeout` lasts.
    pub(crate) fn new(
        merchants: Vec<Merchant>,
        deliveries: Arc<Deliveries>,
        opening_balance: Amount,
        minute: Duration,
        clock: SimClock,
        settlement: SettlementTerms,
    ) -> Self {
        Self {
            records: Mutex::new(Records::default()),
            merchants,
            deliveries,
            expiries: Expiries::new(minute),
            opening_balance,
            clock,
            settlement,
        }
    }

    /// The simulator's clock.
    pub(crate) fn clock(&self) -> &SimClock {
        &self.clock
    }

    /// Now, on the simulator's clock.
    pub(super) fn now(&self) -> std::time::SystemTime {
        self.clock.now()
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, Records> {
        // An operation that panicked must not take the whole simulator down with it.
        self.records
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The accounts accepted.
    pub(crate) fn merchants(&self) -> &[Merchant] {
        &self.merchants
    }

    /// The account of that store of that merchant: its key signs what concerns its records.
    pub(crate) fn merchant(&self, merchant_no: &str, store_no: &str) -> Option<&Merchant> {
        self.merchants
            .iter()
            .find(|m| m.owns(merchant_no, store_no))
    }

    /// A new number shaped like the gateway's, for a record the simulator does not keep (a
    /// PayPal plan).
    pub(crate) fn new_number(&self) -> String {
        self.lock().next_number()
    }

    /// Closes each payment still open at its deadline (and notifies its merchant); returns the
    /// next deadline, if any.
    pub(crate) fn close_due(&self, now: Instant) -> Option<Instant> {
        for number in self.expiries.take_due(now) {
            // A payment that was paid, failed or cancelled meanwhile is not open: nothing to do.
            let _ = self.finish(Actor::Simulator, &number, TransactionStatus::Closed);
        }
        self.expiries.next()
    }

    /// Resolves when a deadline was added (take it before [`Ledger::close_due`], so none is
    /// missed in between).
    pub(crate) fn deadline_added(&self) -> tokio::sync::futures::Notified<'_> {
        self.expiries.changed.notified()
    }

    /// A payment as it is now, whoever's it is.
    pub(crate) fn payment(&self, transaction_no: &str) -> Option<Payment> {
        self.lock().payments.get(transaction_no).cloned()
    }

    /// Every payment, in transaction-number order.
    pub(crate) fn payments(&self) -> Vec<Payment> {
        self.lock().payments.values().cloned().collect()
    }

    /// `take` payments from the `skip`-th, the newest (the highest number) first, and how many
    /// there are in all. Only those are copied under the lock.
    pub(crate) fn payments_page(&self, skip: usize, take: usize) -> (Vec<Payment>, usize) {
        let records = self.lock();
        let page = records
            .payments
            .values()
            .rev()
            .skip(skip)
            .take(take)
            .cloned()
            .collect();
        (page, records.payments.len())
    }

    /// `take` customers and `take` payee accounts from the `skip`-th, in number order, and the
    /// longer list's length.
    pub(crate) fn customers_page(&self, skip: usize, take: usize) -> CustomersPage {
        let records = self.lock();
        let customers = records
            .customers
            .iter()
            .skip(skip)
            .take(take)
            .map(|(number, c)| (number.clone(), c.clone()))
            .collect();
        let accounts = records
            .payee_accounts
            .iter()
            .skip(skip)
            .take(take)
            .map(|(token, a)| (token.clone(), a.clone()))
            .collect();
        let total = records.customers.len().max(records.payee_accounts.len());
        CustomersPage {
            customers,
            accounts,
            total,
        }
    }

    /// `take` payouts from the `skip`-th, newest first, and how many there are.
    pub(crate) fn payouts_page(
        &self,
        skip: usize,
        take: usize,
    ) -> (Vec<(PayoutKey, Payout)>, usize) {
        let records = self.lock();
        // Sorted by reference (nothing copied); only the page's payouts are cloned.
        let mut all: Vec<_> = records.payouts.iter().collect();
        all.sort_by(|a, b| b.1.transaction_no.cmp(&a.1.transaction_no));
        let total = all.len();
        let page = all
            .into_iter()
            .skip(skip)
            .take(take)
            .map(|(key, p)| (key.clone(), p.clone()))
            .collect();
        (page, total)
    }

    /// Starts delivering the payment's current state to its `ipnUrl`, if it has one, signed with
    /// the key of the store that made the payment.
    pub(super) fn notify(&self, payment: &Payment) {
        let (Some(url), Some(merchant)) = (
            &payment.ipn_url,
            self.merchant(&payment.merchant_no, &payment.store_no),
        ) else {
            return;
        };
        let body = ipn::notification_body(payment, &merchant.key, self.now());
        ipn::send(
            &self.deliveries,
            ipn::Outgoing {
                subject: payment.transaction_no.clone(),
                status: payment.status.clone(),
                url: url.clone(),
                body,
            },
        );
    }

    /// Starts delivering a notice that is not about a payment (an auto-debit authorization, a
    /// payee account, a payout) to `url`, signed with `owner`'s key.
    pub(super) fn notify_other(
        &self,
        owner: &Merchant,
        url: &str,
        (subject, status): (&str, &str),
        pairs: Vec<(&str, &str)>,
    ) {
        let body = ipn::signed_form(pairs, &owner.key);
        ipn::send(
            &self.deliveries,
            ipn::Outgoing {
                subject: subject.to_owned(),
                status: TransactionStatus::from(status),
                url: url.to_owned(),
                body,
            },
        );
    }
}

/// `"0.5"` USD is kept (and answered) as `"0.50"`, as the gateway does.
pub(super) fn normalized(amount: Amount, currency: &pockyt_types::Currency) -> Amount {
    amount
        .to_minor(currency)
        .and_then(|minor| Amount::from_minor(minor, currency))
        .unwrap_or(amount)
}
