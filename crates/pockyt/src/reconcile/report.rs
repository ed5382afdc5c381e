//! What a reconciliation returns, and what it says while it runs.

use pockyt_types::Settlement;

use super::{Difference, Window};

/// The outcome of [`Client::reconcile`](crate::Client::reconcile).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Report {
    /// The days covered.
    pub window: Window,
    /// Every difference found; empty when the books agree.
    pub differences: Vec<Difference>,
    /// Gateway records fetched (margins included).
    pub transactions: usize,
    /// Records of yours compared.
    pub records: usize,
    /// The settlements dated in the window, as settle-list gives them. Pockyt does not document
    /// their fields, so they are reported, not judged.
    pub settlements: Vec<Settlement>,
    /// List calls made.
    pub calls: u32,
}

impl Report {
    /// Whether the books agree: no difference at all.
    pub fn is_clean(&self) -> bool {
        self.differences.is_empty()
    }
}

/// How far a reconciliation has come, after each list call that returned a whole range.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// The list being walked: `trans-list` or `settle-list`.
    pub list: &'static str,
    /// Days of that list fetched so far.
    pub days_done: u32,
    /// Days of that list to fetch.
    pub days_total: u32,
    /// List calls made so far, both lists together.
    pub calls: u32,
    /// Records of that list fetched so far.
    pub records: usize,
}
