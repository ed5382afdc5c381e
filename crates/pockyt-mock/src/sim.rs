//! The simulator itself, below HTTP: the records, the merchants, IPN deliveries, faults and
//! expiries, and the transitions every route and page share (finish a payment, notify the
//! merchant, the payout balance).
//!
//! Routes and pages reach the state through [`Simulator`]; the HTTP side (`server`) only carries
//! requests to them, so nothing here imports the modules that use it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pockyt_types::{Amount, Currency, TransactionStatus};
use tokio::sync::watch;
use tokio::time::Instant;

use crate::config::{Fault, FaultKind, Merchant};
use crate::expiry::Expiries;
use crate::ipn::{self, Deliveries};
use crate::state::{Payment, Records, Store};

/// Why a payment could not be finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FinishError {
    NotFound,
    NotOpen(TransactionStatus),
}

/// The simulator: what every connection, page and background task shares.
pub(crate) struct Simulator {
    pub(crate) store: Store,
    pub(crate) merchants: Vec<Merchant>,
    pub(crate) base_url: String,
    pub(crate) deliveries: Arc<Deliveries>,
    pub(crate) faults: Mutex<HashMap<String, Fault>>,
    pub(crate) fault_counter: Mutex<HashMap<String, u32>>,
    pub(crate) opening_balance: Amount,
    pub(crate) expiries: Expiries,
    pub(crate) body_timeout: Duration,
    /// Whether the workbench's pages may act (pay, fail, expire, refund, re-send an IPN).
    pub(crate) actions: bool,
    /// Rows a page of a workbench list shows.
    pub(crate) page_size: usize,
    /// The `Host` values the pages answer to.
    pub(crate) hosts: crate::same_origin::Hosts,
    /// Connections accepted so far (to show that clients share theirs).
    pub(crate) accepted: std::sync::atomic::AtomicUsize,
}

impl Simulator {
    pub(crate) fn cashier_url(&self, transaction_no: &str) -> String {
        format!("{}/cashier/{transaction_no}", self.base_url)
    }

    /// The page standing for a payment's QR code (`qrcodeUrl` when `needQrcode` is true).
    pub(crate) fn qrcode_url(&self, transaction_no: &str) -> String {
        format!("{}/qrcode", self.cashier_url(transaction_no))
    }

    /// A store's payout balance: the opening balance minus its payouts in that currency.
    pub(crate) fn balance(&self, owner: &Merchant, currency: &Currency) -> Amount {
        let store = self.store.lock();
        self.balance_in(&store, owner, currency)
    }

    /// [`Simulator::balance`] with the store already locked.
    pub(crate) fn balance_in(
        &self,
        store: &Records,
        owner: &Merchant,
        currency: &Currency,
    ) -> Amount {
        store
            .payouts
            .iter()
            .filter(|(key, p)| {
                owner.owns(&key.merchant_no, &key.store_no) && p.currency == *currency
            })
            .try_fold(self.opening_balance.clone(), |left, (_, p)| {
                left.checked_sub(&p.amount)
            })
            .unwrap_or_else(Amount::zero)
    }

    /// Moves an open payment to `status` and starts notifying the merchant. With an `owner`, only
    /// a payment of that store is found.
    pub(crate) fn finish(
        self: &Arc<Self>,
        transaction_no: &str,
        owner: Option<&Merchant>,
        status: TransactionStatus,
    ) -> Result<Payment, FinishError> {
        let payment = {
            let mut store = self.store.lock();
            let payment = store
                .payment_mut(transaction_no)
                .filter(|p| owner.is_none_or(|o| o.owns(&p.merchant_no, &p.store_no)))
                .ok_or(FinishError::NotFound)?;
            if !payment.is_open() {
                return Err(FinishError::NotOpen(payment.status.clone()));
            }
            if status == TransactionStatus::Success {
                payment.paid_at = Some(std::time::SystemTime::now());
            }
            payment.status = status;
            payment.clone()
        };
        if let Some(at) = payment.expires_at {
            self.expiries.forget(at, transaction_no);
        }
        self.notify(&payment);
        Ok(payment)
    }

    /// Starts delivering the payment's current state to its `ipnUrl`, if it has one, signed with
    /// the key of the store that made the payment.
    pub(crate) fn notify(self: &Arc<Self>, payment: &Payment) {
        let (Some(url), Some(merchant)) = (
            &payment.ipn_url,
            self.merchant(&payment.merchant_no, &payment.store_no),
        ) else {
            return;
        };
        let body = ipn::notification_body(payment, &merchant.key);
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

    /// Starts delivering a notice that is not about a payment (an auto-debit authorisation, a
    /// payee account) to `url`, signed with the key of the store `(merchantNo, storeNo)`.
    pub(crate) fn notify_other(
        self: &Arc<Self>,
        (merchant_no, store_no): (&str, &str),
        url: &str,
        (subject, status): (&str, &str),
        pairs: Vec<(&str, &str)>,
    ) {
        let Some(merchant) = self.merchant(merchant_no, store_no) else {
            return;
        };
        let body = ipn::signed_form(pairs, &merchant.key);
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

    /// Tells the merchant that the shopper authorised an auto-debit agreement, at its
    /// `autoIpnUrl` (docs.yuansfer `recurring-payments/consult`).
    pub(crate) fn notify_authorized(self: &Arc<Self>, agreement: &crate::state::Agreement) {
        let Some(url) = &agreement.auto_ipn_url else {
            return;
        };
        let time = crate::clock::gateway_time(std::time::SystemTime::now());
        let mut pairs = vec![
            ("autoDebitNo", agreement.auto_debit_no.as_str()),
            ("autoReference", agreement.auto_reference.as_str()),
            ("vendor", agreement.vendor.as_str()),
            ("time", time.as_str()),
        ];
        if let Some(note) = agreement.note.as_deref() {
            pairs.push(("note", note));
        }
        self.notify_other(
            (&agreement.merchant_no, &agreement.store_no),
            url,
            (&agreement.auto_debit_no, "authorized"),
            pairs,
        );
    }

    /// The account of that store of that merchant: its key signs what concerns its records.
    pub(crate) fn merchant(&self, merchant_no: &str, store_no: &str) -> Option<&Merchant> {
        self.merchants
            .iter()
            .find(|m| m.owns(merchant_no, store_no))
    }

    /// The fault to apply to this request on `path`, if any (counting it).
    pub(crate) fn take_fault(&self, path: &str) -> Option<FaultKind> {
        let mut faults = self.faults.lock().unwrap_or_else(|p| p.into_inner());
        let key = if faults.contains_key(path) { path } else { "*" };
        let fault = faults.get_mut(key)?;
        let mut counters = self.fault_counter.lock().unwrap_or_else(|p| p.into_inner());
        let seen = counters.entry(key.to_owned()).or_insert(0);
        *seen += 1;
        if !(*seen).is_multiple_of(fault.every) {
            return None;
        }
        let kind = fault.kind.clone();
        match &mut fault.remaining {
            Some(0) => return None,
            Some(n) => *n -= 1,
            None => {}
        }
        Some(kind)
    }
}

/// Runs until the simulator stops: closes each payment still open at its deadline.
pub(crate) async fn close_when_due(sim: Arc<Simulator>, mut stop: watch::Receiver<bool>) {
    loop {
        let changed = sim.expiries.changed.notified();
        for number in sim.expiries.take_due(Instant::now()) {
            // A payment that was paid, failed or cancelled meanwhile is not open: nothing to do.
            let _ = sim.finish(&number, None, TransactionStatus::Closed);
        }
        let next = sim.expiries.next();
        let wait = async {
            match next {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = stop.changed() => return,
            () = changed => {}
            () = wait => {}
        }
    }
}
