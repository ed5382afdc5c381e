//! The simulator itself, below HTTP: the ledger (every record and the rules that change them),
//! IPN deliveries, faults, and what the pages need to know (their names, page size, whether they
//! may act).
//!
//! Routes and pages reach the records only through [`Simulator::ledger`]; the HTTP side (`server`)
//! only carries requests to them, so nothing here imports the modules that use it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

use crate::config::{Fault, FaultKind};
use crate::ipn::Deliveries;
use crate::ledger::Ledger;
use crate::same_origin::Hosts;

/// How a simulator is set up, beside its ledger.
pub(crate) struct Settings {
    pub(crate) base_url: String,
    pub(crate) deliveries: Arc<Deliveries>,
    pub(crate) faults: HashMap<String, Fault>,
    pub(crate) body_timeout: Duration,
    pub(crate) actions: bool,
    pub(crate) page_size: usize,
    pub(crate) hosts: Hosts,
}

/// The simulator: what every connection, page and background task shares.
pub(crate) struct Simulator {
    ledger: Ledger,
    base_url: String,
    deliveries: Arc<Deliveries>,
    faults: Mutex<HashMap<String, Fault>>,
    fault_counter: Mutex<HashMap<String, u32>>,
    body_timeout: Duration,
    /// Whether the workbench's pages may act (pay, fail, expire, refund, re-send an IPN).
    actions: bool,
    /// Rows a page of a workbench list shows.
    page_size: usize,
    /// The `Host` values the pages answer to.
    hosts: Hosts,
    /// Connections accepted so far (to show that clients share theirs).
    accepted: AtomicUsize,
}

impl Simulator {
    pub(crate) fn new(ledger: Ledger, settings: Settings) -> Self {
        Self {
            ledger,
            base_url: settings.base_url,
            deliveries: settings.deliveries,
            faults: Mutex::new(settings.faults),
            fault_counter: Mutex::new(HashMap::new()),
            body_timeout: settings.body_timeout,
            actions: settings.actions,
            page_size: settings.page_size,
            hosts: settings.hosts,
            accepted: AtomicUsize::new(0),
        }
    }

    /// Every record, and the only way to change one.
    pub(crate) fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The IPN deliveries: their record and counts.
    pub(crate) fn deliveries(&self) -> &Deliveries {
        &self.deliveries
    }

    /// `http://127.0.0.1:PORT`.
    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// How long a request's body may take to arrive.
    pub(crate) fn body_timeout(&self) -> Duration {
        self.body_timeout
    }

    /// Whether the workbench's pages may act.
    pub(crate) fn actions(&self) -> bool {
        self.actions
    }

    /// Rows a page of a workbench list shows.
    pub(crate) fn page_size(&self) -> usize {
        self.page_size
    }

    /// The `Host` values the pages answer to.
    pub(crate) fn hosts(&self) -> &Hosts {
        &self.hosts
    }

    /// Counts an accepted connection.
    pub(crate) fn accepted_one(&self) {
        self.accepted.fetch_add(1, Ordering::Relaxed);
    }

    /// Connections accepted so far.
    pub(crate) fn accepted(&self) -> usize {
        self.accepted.load(Ordering::Relaxed)
    }

    pub(crate) fn cashier_url(&self, transaction_no: &str) -> String {
        format!("{}/cashier/{transaction_no}", self.base_url)
    }

    /// The page standing for a payment's QR code (`qrcodeUrl` when `needQrcode` is true).
    pub(crate) fn qrcode_url(&self, transaction_no: &str) -> String {
        format!("{}/qrcode", self.cashier_url(transaction_no))
    }

    /// Sets (or replaces) the fault on `path`, counting from zero again.
    pub(crate) fn set_fault(&self, path: String, fault: Fault) {
        self.fault_counter
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&path);
        self.faults
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(path, fault);
    }

    /// Removes every fault.
    pub(crate) fn clear_faults(&self) {
        self.faults
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
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
        let changed = sim.ledger.deadline_added();
        let next = sim.ledger.close_due(Instant::now());
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
