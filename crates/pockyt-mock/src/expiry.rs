//! Payments close on their own when their `timeout` elapses, and the merchant is notified, as the
//! gateway does for any change of a transaction.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

/// The open payments' deadlines, earliest first.
pub(crate) struct Expiries {
    due: Mutex<BTreeSet<(Instant, String)>>,
    pub(crate) changed: Notify,
    /// How long one minute of a payment's `timeout` lasts.
    minute: Duration,
}

impl Expiries {
    pub(crate) fn new(minute: Duration) -> Self {
        Self {
            due: Mutex::new(BTreeSet::new()),
            changed: Notify::new(),
            minute,
        }
    }

    /// Closes `transaction_no` after `minutes` of the simulator's minutes, unless it settles first.
    /// Returns the deadline; `None` (never) if it lies beyond what the clock can hold, as with a
    /// `payment_minute` of `Duration::MAX`.
    pub(crate) fn schedule(&self, transaction_no: String, minutes: u32) -> Option<Instant> {
        let at = Instant::now().checked_add(self.minute.checked_mul(minutes)?)?;
        self.lock().insert((at, transaction_no));
        // Stored as a permit if the closer is busy, so the new deadline is never missed.
        self.changed.notify_one();
        Some(at)
    }

    /// Drops the deadline of a payment that settled before it, so the set holds open payments only.
    pub(crate) fn forget(&self, at: Instant, transaction_no: &str) {
        self.lock().remove(&(at, transaction_no.to_owned()));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeSet<(Instant, String)>> {
        self.due.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn take_due(&self, now: Instant) -> Vec<String> {
        let mut due = self.lock();
        let mut numbers = Vec::new();
        while due.first().is_some_and(|(at, _)| *at <= now) {
            numbers.extend(due.pop_first().map(|(_, number)| number));
        }
        numbers
    }

    pub(crate) fn next(&self) -> Option<Instant> {
        self.lock().first().map(|(at, _)| *at)
    }
}
