//! The days a reconciliation covers, and the days it must ask the gateway about to cover them.

use pockyt_types::GatewayDate;
use pockyt_types::time::OffsetDateTime;

use super::ReconcileError;

/// The gateway days a reconciliation covers (both ends included), and how it asks for them.
///
/// A record belongs to the window by its time: a payment by when it was paid (or created, if
/// unpaid), a row of yours by the time you give it. The gateway's transaction list, though,
/// files a payment under the day it was *created*, so a payment created at 23:59:50 and paid at
/// 00:00:10 is paid on one day and listed under the day before. The window therefore asks for
/// [`margin_days`](Self::margin_days) more on each side (one by default) and judges each
/// record by its own time: nothing near midnight is reported missing because of where the list
/// filed it.
///
/// The days are asked for [`days_per_call`](Self::days_per_call) at a time (15 by default: the
/// official JS SDK refuses longer ranges, and no source documents another limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    from: GatewayDate,
    to: GatewayDate,
    days_per_call: u32,
    margin_days: u32,
}

impl Window {
    /// The longest range one list call asks for by default.
    pub const DEFAULT_DAYS_PER_CALL: u32 = 15;

    /// The days `from` to `to`, both included, on the gateway's calendar.
    pub fn days(from: GatewayDate, to: GatewayDate) -> Result<Self, ReconcileError> {
        if to < from {
            return Err(ReconcileError::Backwards { from, to });
        }
        Ok(Self::covering(from, to))
    }

    /// One gateway day.
    pub fn day(day: GatewayDate) -> Self {
        Self::covering(day, day)
    }

    /// `from..=to` (in order) with the default call length and margin.
    fn covering(from: GatewayDate, to: GatewayDate) -> Self {
        Self {
            from,
            to,
            days_per_call: Self::DEFAULT_DAYS_PER_CALL,
            margin_days: 1,
        }
    }

    /// Asks for at most `days` days per list call (at least one).
    pub fn days_per_call(mut self, days: u32) -> Self {
        self.days_per_call = days.max(1);
        self
    }

    /// Asks for `days` more days on each side than the window covers (default 1; 0 turns the
    /// midnight safety off, for a list that files payments by payment time).
    pub fn margin_days(mut self, days: u32) -> Self {
        self.margin_days = days;
        self
    }

    /// The first day covered.
    pub fn from(&self) -> GatewayDate {
        self.from
    }

    /// The last day covered.
    pub fn to(&self) -> GatewayDate {
        self.to
    }

    /// Whether `instant` falls within the window's days on the gateway's clock.
    pub fn contains(&self, instant: OffsetDateTime) -> bool {
        self.from.starts_at() <= instant && instant < self.to.ends_at()
    }

    /// The days asked for: the window and its margins (cut at the calendar's ends).
    pub fn asked(&self) -> (GatewayDate, GatewayDate) {
        let margin = i64::from(self.margin_days);
        (
            self.from.add_days(-margin).unwrap_or(GatewayDate::MIN),
            self.to.add_days(margin).unwrap_or(GatewayDate::MAX),
        )
    }

    /// The ranges of the list calls for `from..=to`, oldest first, each at most
    /// [`days_per_call`](Self::days_per_call) days long.
    pub(super) fn calls(
        &self,
        from: GatewayDate,
        to: GatewayDate,
    ) -> Vec<(GatewayDate, GatewayDate)> {
        let step = i64::from(self.days_per_call) - 1;
        let mut calls = Vec::new();
        let mut start = from;
        while start <= to {
            let end = start.add_days(step).map_or(to, |end| end.min(to));
            calls.push((start, end));
            match end.next() {
                Some(next) => start = next,
                None => break,
            }
        }
        calls
    }
}
