//! Per-call control: a deadline, an attempt timeout or a retry policy for some calls only.
//!
//! [`crate::Client::with_options`] returns a view of the client (the same connection pool, key
//! and configuration, one `Arc` clone) whose calls use these overrides. A view, rather than a
//! wrapper around each request, keeps every named method (`secure_pay`, `trans_list`, …)
//! available with options, and lets a caller hold on to "the checkout client" or "the nightly
//! client" without building a second connection pool.

use std::time::Duration;

use crate::config::{ConfigError, Timeouts};
use crate::retry::RetryPolicy;

/// Overrides of the client's timeouts and retry policy for the calls of one view.
///
/// Options never widen what may be retried: a per-call policy can retry less, wait differently
/// or make more attempts of a read-only call, but a call that moves money is retried after it
/// may have reached the gateway only if the client's own policy already allows that
/// ([`RetryPolicy::retry_mutating`]).
///
/// ```
/// use std::time::Duration;
/// use pockyt::{CallOptions, Client, Config};
///
/// let client = Client::new(Config::new("200043", "300014", "token")?)?;
/// let checkout = client.with_options(CallOptions::new().with_overall_timeout(Duration::from_secs(5)))?;
/// let nightly = client.with_options(CallOptions::new().with_overall_timeout(Duration::from_secs(300)))?;
/// let once = client.with_options(CallOptions::new().without_retry())?;
/// # let _ = (checkout, nightly, once);
/// # Ok::<(), pockyt::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallOptions {
    overall: Option<Duration>,
    attempt: Option<Duration>,
    retry: Option<RetryPolicy>,
}

impl CallOptions {
    /// No overrides: the client's settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// The time allowed for the whole call, retries and back-off included.
    /// `Duration::MAX` (or any deadline too far away for the clock) means no deadline: each
    /// attempt still has its attempt timeout, and the retry policy still bounds the attempts.
    pub fn with_overall_timeout(mut self, timeout: Duration) -> Self {
        self.overall = Some(timeout);
        self
    }

    /// The time allowed for one attempt.
    pub fn with_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt = Some(timeout);
        self
    }

    /// The retry policy for these calls (never wider than the client's for mutating calls).
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// One attempt per call, e.g. for a job that already recovered by reference.
    pub fn without_retry(self) -> Self {
        self.with_retry(RetryPolicy::never())
    }

    /// The overall timeout set here, if any.
    pub fn overall_timeout(&self) -> Option<Duration> {
        self.overall
    }

    /// The attempt timeout set here, if any.
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.attempt
    }

    /// The retry policy set here, if any.
    pub fn retry(&self) -> Option<&RetryPolicy> {
        self.retry.as_ref()
    }

    /// The timeouts in force: these overrides on top of `base`. The client cuts every attempt
    /// to the time left before the deadline, so the client's attempt timeout may exceed a shorter
    /// per-call deadline (and the deadline is then what fires).
    pub(crate) fn timeouts_over(&self, base: Timeouts) -> Timeouts {
        Timeouts {
            overall: self.overall.unwrap_or(base.overall),
            attempt: self.attempt.unwrap_or(base.attempt),
            ..base
        }
    }

    /// The retry policy in force: these overrides, never retrying a mutating call after it may
    /// have been sent unless `base` does.
    pub(crate) fn retry_over(&self, base: &RetryPolicy) -> RetryPolicy {
        match &self.retry {
            Some(policy) => policy
                .clone()
                .retry_mutating(policy.retries_mutating() && base.retries_mutating()),
            None => base.clone(),
        }
    }

    /// Checks the merged timeouts as the configuration's are checked.
    pub(crate) fn validate(&self, base: Timeouts) -> Result<(), ConfigError> {
        let Timeouts {
            attempt, overall, ..
        } = self.timeouts_over(base);
        // Only an attempt timeout set here must fit in the deadline; the client's own is cut.
        let too_long = self.attempt.is_some() && attempt > overall;
        if attempt.is_zero() || overall.is_zero() || too_long {
            return Err(ConfigError::Timeouts { attempt, overall });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retry::FailedAttempt;

    #[test]
    fn overrides_apply_and_a_shorter_deadline_cuts_the_attempt() {
        let base = Timeouts::default();
        let short = CallOptions::new().with_overall_timeout(Duration::from_secs(5));
        let t = short.timeouts_over(base);
        assert_eq!(
            (t.overall, t.attempt),
            (Duration::from_secs(5), base.attempt)
        );
        assert!(short.validate(base).is_ok());
        let long = CallOptions::new().with_overall_timeout(Duration::from_secs(300));
        assert_eq!(long.timeouts_over(base).attempt, base.attempt);
        assert_eq!(CallOptions::new().timeouts_over(base), base);
        let bad = CallOptions::new()
            .with_overall_timeout(Duration::from_secs(1))
            .with_attempt_timeout(Duration::from_secs(2));
        assert!(bad.validate(base).is_err());
        assert!(
            CallOptions::new()
                .with_attempt_timeout(Duration::ZERO)
                .validate(base)
                .is_err()
        );
    }

    #[test]
    fn options_never_widen_retries_of_mutating_calls() {
        let wide = RetryPolicy::default().max_attempts(5).retry_mutating(true);
        let options = CallOptions::new().with_retry(wide);
        let strict = options.retry_over(&RetryPolicy::default());
        assert!(
            !strict.allows(&FailedAttempt {
                attempt: 1,
                idempotent: false,
                maybe_sent: true,
            }),
            "a payment stays unretried"
        );
        assert!(
            strict.allows(&FailedAttempt {
                attempt: 4,
                idempotent: true,
                maybe_sent: true,
            }),
            "a query may get more attempts"
        );
        let opted_in = options.retry_over(&RetryPolicy::default().retry_mutating(true));
        assert!(opted_in.allows(&FailedAttempt {
            attempt: 1,
            idempotent: false,
            maybe_sent: true,
        }));
        assert!(
            !CallOptions::new()
                .without_retry()
                .retry_over(&RetryPolicy::default())
                .allows(&FailedAttempt {
                    attempt: 1,
                    idempotent: true,
                    maybe_sent: false,
                })
        );
    }
}
