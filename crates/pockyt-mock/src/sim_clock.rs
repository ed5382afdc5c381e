//! The simulator's clock: the time every record and notification is stamped with. A test starts
//! it where the case lies (a minute before the gateway's midnight) and moves it on instead of
//! waiting.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

/// The time the simulator reads: the system clock, a chosen instant that runs on at the real
/// rate, or a chosen instant that stands still (for tests: it moves only when told); each is
/// moved forward further by [`SimClock::advance`]. A clone is the same clock:
/// advancing one advances every clone, the running simulator's included.
///
/// Every time the simulator stamps reads it (a payment's creation and `paymentTime`, refunds,
/// the `time` of notifications and their attempts, customers' and payouts' times), and so does
/// which day it is on the gateway's UTC+8 calendar for `trans-list`, `settle-list` and
/// `data-status`. A payment's `timeout` still runs on the machine's clock, so moving this one
/// does not close open payments.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use pockyt_mock::SimClock;
///
/// // 2026-12-06T15:59:00Z: 23:59 on the gateway's clock (UTC+8).
/// let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_572_740);
/// let clock = SimClock::starting_at(start);
/// let seen_by_the_simulator = clock.clone();
/// clock.advance(Duration::from_secs(120));
/// assert!(seen_by_the_simulator.now() >= start + Duration::from_secs(120));
/// ```
#[derive(Clone)]
pub struct SimClock(Arc<Shared>);

struct Shared {
    base: Base,
    /// How far [`SimClock::advance`] has moved it, in nanoseconds (enough for 584 years).
    ahead: AtomicU64,
}

/// Where the clock's reading starts from, before what [`SimClock::advance`] added.
#[derive(Clone, Copy)]
enum Base {
    /// The system clock.
    System,
    /// The instant the clock was set to, and when that was on the machine's monotonic clock (so
    /// a change of the system time does not move it).
    Running(SystemTime, Instant),
    /// An instant that stands still.
    Frozen(SystemTime),
}

impl SimClock {
    /// The system clock (the default).
    pub fn real() -> Self {
        Self::with_base(Base::System)
    }

    /// A clock that reads `start` now and runs on at the real rate from there.
    pub fn starting_at(start: SystemTime) -> Self {
        Self::with_base(Base::Running(start, Instant::now()))
    }

    /// A clock that reads `at` until [`advance`](Self::advance) moves it: what a test wants, as
    /// no reading depends on how fast the machine runs it.
    pub fn frozen_at(at: SystemTime) -> Self {
        Self::with_base(Base::Frozen(at))
    }

    fn with_base(base: Base) -> Self {
        Self(Arc::new(Shared {
            base,
            ahead: AtomicU64::new(0),
        }))
    }

    /// Moves this clock, and every clone of it, `by` forward. It never goes back.
    pub fn advance(&self, by: Duration) {
        let by = u64::try_from(by.as_nanos()).unwrap_or(u64::MAX);
        // `fetch_update` with a closure that always answers `Some` cannot fail.
        let _ = self
            .0
            .ahead
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |ahead| {
                Some(ahead.saturating_add(by))
            });
    }

    /// The time now on this clock.
    pub fn now(&self) -> SystemTime {
        let base = match self.0.base {
            Base::System => SystemTime::now(),
            Base::Running(start, set) => start.checked_add(set.elapsed()).unwrap_or(start),
            Base::Frozen(at) => at,
        };
        let ahead = Duration::from_nanos(self.0.ahead.load(Ordering::SeqCst));
        // Past what `SystemTime` can hold, the clock stops rather than wrapping or panicking.
        base.checked_add(ahead).unwrap_or(base)
    }

    /// How far [`SimClock::advance`] has moved the clock so far.
    fn ahead(&self) -> Duration {
        Duration::from_nanos(self.0.ahead.load(Ordering::SeqCst))
    }
}

impl Default for SimClock {
    /// The system clock.
    fn default() -> Self {
        Self::real()
    }
}

impl fmt::Debug for SimClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimClock")
            .field("real", &matches!(self.0.base, Base::System))
            .field("frozen", &matches!(self.0.base, Base::Frozen(_)))
            .field("now", &self.now())
            .field("advanced", &self.ahead())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn a_frozen_clock_moves_only_when_told() {
        let clock = SimClock::frozen_at(at(1_704_124_740));
        assert_eq!(clock.now(), at(1_704_124_740));
        assert_eq!(clock.now(), at(1_704_124_740));
        clock.clone().advance(Duration::from_secs(60));
        assert_eq!(clock.now(), at(1_704_124_800));
    }

    #[test]
    fn a_started_clock_reads_its_start_then_runs_on() {
        let clock = SimClock::starting_at(at(1_704_124_740));
        let first = clock.now();
        assert!(first >= at(1_704_124_740));
        // The machine's clock has moved a little between the two readings: no upper bound is
        // asserted, only that it never reads earlier.
        assert!(clock.now() >= first);
    }

    #[test]
    fn advancing_moves_every_clone() {
        let clock = SimClock::starting_at(at(1_704_124_740));
        let clone = clock.clone();
        clock.advance(Duration::from_secs(86_400));
        assert!(clone.now() >= at(1_704_124_740 + 86_400));
        assert_eq!(clone.ahead(), Duration::from_secs(86_400));
    }

    #[test]
    fn the_real_clock_is_the_system_clock_plus_what_it_was_advanced() {
        let clock = SimClock::default();
        let before = SystemTime::now();
        clock.advance(Duration::from_secs(3600));
        assert!(clock.now() >= before + Duration::from_secs(3600));
    }

    #[test]
    fn advancing_beyond_any_time_stops_the_clock_instead_of_panicking() {
        let clock = SimClock::starting_at(at(1_704_124_740));
        clock.advance(Duration::MAX);
        clock.advance(Duration::MAX);
        assert!(clock.now() >= at(1_704_124_740));
    }
}
