//! When a failed attempt is tried again, and how long to wait first.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};
use pockyt_transport::{TransportError, TransportErrorKind};

/// How the client retries. Applied by the client to every transport.
///
/// The rules, in order: a failure that certainly did not reach the gateway (could not connect) is
/// always retried; a failure after the request may have been sent (a reset connection, a timed-out
/// attempt, an HTTP 5xx) is retried only for read-only endpoints, unless
/// [`RetryPolicy::retry_mutating`] is set; a gateway answer (`ret_code`) is never retried. There is
/// no idempotency key in this API, so re-sending a payment can charge twice: after an ambiguous
/// failure, ask with `Client::find_by_reference` first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    retry_mutating: bool,
}

impl Default for RetryPolicy {
    /// Three attempts, back-off starting at 200 ms and capped at 2 s, mutating calls not retried.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(2),
            retry_mutating: false,
        }
    }
}

/// What the retry policy is asked about: a call whose latest attempt failed. Named fields rather
/// than loose arguments, so that an attempt number and two flags cannot be passed in the wrong
/// order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FailedAttempt {
    /// The attempt that failed, counted from 1.
    pub(crate) attempt: u32,
    /// Whether the endpoint is read-only, so sending it again cannot change anything
    /// (`Endpoint::IDEMPOTENT`).
    pub(crate) idempotent: bool,
    /// Whether the failed attempt may have reached the gateway.
    pub(crate) maybe_sent: bool,
}

impl RetryPolicy {
    /// One attempt, never retried.
    pub fn never() -> Self {
        Self::default().max_attempts(1)
    }

    /// Sets the total number of attempts, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the first back-off; each later one doubles, up to `max`. Zero disables waiting (tests).
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Also retries calls that move money or create records after failures that may have reached
    /// the gateway. Only safe if a duplicate `reference` is rejected by the gateway for that call.
    pub fn retry_mutating(mut self, enabled: bool) -> Self {
        self.retry_mutating = enabled;
        self
    }

    /// The total number of attempts allowed.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether mutating calls are retried after failures that may have reached the gateway.
    pub fn retries_mutating(&self) -> bool {
        self.retry_mutating
    }

    /// Whether the call may be tried again after `failed`: attempts are left, and the request
    /// certainly did not reach the gateway, or the endpoint is read-only, or mutating calls are
    /// opted in.
    pub(crate) fn allows(&self, failed: &FailedAttempt) -> bool {
        failed.attempt < self.max_attempts
            && (!failed.maybe_sent || failed.idempotent || self.retry_mutating)
    }

    /// The wait before attempt `attempt + 1`: exponential, with "equal jitter" (half fixed, half
    /// random) so that many clients failing together do not retry in lockstep.
    pub(crate) fn backoff_after(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(16);
        let base = self
            .initial_backoff
            .saturating_mul(1 << exponent)
            .min(self.max_backoff);
        let half = base / 2;
        let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        // The jitter is at most `half`, so this cannot overflow; saturating says so without a panic path.
        half.saturating_add(Duration::from_nanos(random() % nanos.saturating_add(1)))
    }
}

/// How one attempt ended, as far as deciding what comes next is concerned.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Outcome<'a> {
    /// An HTTP answer with this status.
    Answer(StatusCode),
    /// The transport failed.
    Transport(&'a TransportError),
    /// The attempt timeout (or the deadline) fired.
    TimedOut,
}

/// What an attempt's outcome means for the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// An answer to decode: the gateway's word, success or refusal.
    Done,
    /// Worth another attempt, if the policy allows one; `maybe_sent`: the gateway may have acted
    /// on this attempt, so only read-only calls (or `retry_mutating`) may go again.
    Retry { maybe_sent: bool },
    /// Another attempt cannot fix it (TLS, an oversized body, a transport's own error).
    Final,
}

/// The one place that decides whether an outcome is transient and whether it may have reached
/// the gateway; the client's retry loop and [`crate::Error::is_retryable`] both ask it.
pub(crate) fn classify(outcome: Outcome<'_>) -> Verdict {
    match outcome {
        // Refused before any processing, so certainly not acted on.
        Outcome::Answer(StatusCode::TOO_MANY_REQUESTS) => Verdict::Retry { maybe_sent: false },
        Outcome::Answer(status) if status.is_server_error() => Verdict::Retry { maybe_sent: true },
        Outcome::Answer(_) => Verdict::Done,
        Outcome::Transport(error) => match error.kind() {
            TransportErrorKind::Tls
            | TransportErrorKind::BodyTooLarge
            | TransportErrorKind::Other => Verdict::Final,
            _ => Verdict::Retry {
                maybe_sent: error.request_may_have_been_sent(),
            },
        },
        Outcome::TimedOut => Verdict::Retry { maybe_sent: true },
    }
}

/// How long an answer asks the caller to wait before trying again, read as the client reads it:
/// the `Retry-After` of a 429 or 503, in seconds or as an HTTP date (a past date is zero); `None`
/// for another status or an unreadable value. For the raw answers of
/// [`crate::Client::send_raw`], whose caller decides about retrying itself (the typed calls put
/// it in [`crate::Error::HttpStatus`]).
///
/// ```
/// use std::time::Duration;
///
/// let busy = http::Response::builder()
///     .status(429)
///     .header("retry-after", "120")
///     .body(())?;
/// assert_eq!(pockyt::retry_after(&busy), Some(Duration::from_secs(120)));
/// # Ok::<(), http::Error>(())
/// ```
pub fn retry_after<B>(response: &http::Response<B>) -> Option<Duration> {
    retry_after_at(response.status(), response.headers(), SystemTime::now())
}

/// How long a 429 or 503 answer asks the client to wait (`Retry-After`, in seconds or as an
/// HTTP date, RFC 9110 §10.2.3). A date in the past means now; anything unreadable is ignored, and
/// the usual back-off applies.
pub(crate) fn retry_after_at(
    status: StatusCode,
    headers: &HeaderMap,
    now: SystemTime,
) -> Option<Duration> {
    if status != StatusCode::TOO_MANY_REQUESTS && status != StatusCode::SERVICE_UNAVAILABLE {
        return None;
    }
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A random number from the standard library's per-instance hash keys; jitter needs no more.
fn random() -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u8(0);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_done_unless_5xx_or_429() {
        for status in [200, 302, 400, 404, 499] {
            let status = StatusCode::from_u16(status).unwrap();
            assert_eq!(classify(Outcome::Answer(status)), Verdict::Done, "{status}");
        }
        for status in [500, 502, 503, 599] {
            let status = StatusCode::from_u16(status).unwrap();
            let verdict = classify(Outcome::Answer(status));
            assert_eq!(verdict, Verdict::Retry { maybe_sent: true }, "{status}");
        }
        let too_many = classify(Outcome::Answer(StatusCode::TOO_MANY_REQUESTS));
        assert_eq!(too_many, Verdict::Retry { maybe_sent: false });
        assert_eq!(
            classify(Outcome::TimedOut),
            Verdict::Retry { maybe_sent: true }
        );
    }

    #[test]
    fn transport_failures_are_final_only_when_another_attempt_cannot_help() {
        use TransportErrorKind::*;
        for kind in [Tls, BodyTooLarge, Other] {
            let error = TransportError::new(kind, false);
            assert_eq!(
                classify(Outcome::Transport(&error)),
                Verdict::Final,
                "{kind:?}"
            );
        }
        for (kind, sent) in [
            (Connect, false),
            (Proxy, false),
            (Timeout, true),
            (Io, true),
        ] {
            let error = TransportError::new(kind, sent);
            let verdict = classify(Outcome::Transport(&error));
            assert_eq!(verdict, Verdict::Retry { maybe_sent: sent }, "{kind:?}");
        }
    }

    #[test]
    fn error_is_retryable_agrees_with_the_loop() {
        use TransportErrorKind::*;
        for kind in [Connect, Tls, Proxy, Timeout, Io, BodyTooLarge, Other] {
            let error = TransportError::new(kind, false);
            let looped = classify(Outcome::Transport(&error)) != Verdict::Final;
            let error = crate::Error::Transport { error, attempts: 1 };
            assert_eq!(error.is_retryable(), looped, "{kind:?}");
        }
    }

    #[test]
    fn connect_failures_always_retry_ambiguous_ones_only_when_safe() {
        let policy = RetryPolicy::default();
        assert!(policy.allows(&FailedAttempt {
            attempt: 1,
            idempotent: false,
            maybe_sent: false,
        }));
        assert!(!policy.allows(&FailedAttempt {
            attempt: 1,
            idempotent: false,
            maybe_sent: true,
        }));
        assert!(policy.allows(&FailedAttempt {
            attempt: 1,
            idempotent: true,
            maybe_sent: true,
        }));
        assert!(!policy.allows(&FailedAttempt {
            attempt: 3,
            idempotent: true,
            maybe_sent: false,
        }));
        assert!(policy.clone().retry_mutating(true).allows(&FailedAttempt {
            attempt: 1,
            idempotent: false,
            maybe_sent: true,
        }));
        assert!(!RetryPolicy::never().allows(&FailedAttempt {
            attempt: 1,
            idempotent: true,
            maybe_sent: false,
        }));
    }

    #[test]
    fn retry_after_in_seconds_and_as_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480); // 2015-10-21T07:28:00Z
        let headers = |value: &str| {
            let mut h = HeaderMap::new();
            h.insert(http::header::RETRY_AFTER, value.parse().unwrap());
            h
        };
        let busy = StatusCode::SERVICE_UNAVAILABLE;
        assert_eq!(
            retry_after_at(busy, &headers("120"), now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            retry_after_at(busy, &headers("Wed, 21 Oct 2015 07:28:30 GMT"), now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            retry_after_at(
                StatusCode::TOO_MANY_REQUESTS,
                &headers("Wed, 21 Oct 2015 07:00:00 GMT"),
                now
            ),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after_at(busy, &headers("soon"), now), None);
        assert_eq!(retry_after_at(busy, &HeaderMap::new(), now), None);
        assert_eq!(
            retry_after_at(StatusCode::BAD_GATEWAY, &headers("5"), now),
            None
        );
    }

    #[test]
    fn backoff_grows_and_stays_bounded() {
        let policy =
            RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(400));
        for _ in 0..100 {
            let first = policy.backoff_after(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let late = policy.backoff_after(10);
            assert!(late >= Duration::from_millis(200) && late <= Duration::from_millis(400));
        }
        let zero = RetryPolicy::default().backoff(Duration::ZERO, Duration::ZERO);
        assert_eq!(zero.backoff_after(3), Duration::ZERO);
    }

    #[test]
    fn attempts_are_counted_from_the_first_and_never_zero() {
        assert_eq!(RetryPolicy::default().attempts(), 3);
        assert_eq!(RetryPolicy::never().attempts(), 1);
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
        let four = RetryPolicy::default().max_attempts(4);
        assert!(four.allows(&FailedAttempt {
            attempt: 3,
            idempotent: true,
            maybe_sent: true,
        }));
        assert!(!four.allows(&FailedAttempt {
            attempt: 4,
            idempotent: true,
            maybe_sent: true,
        }));
        assert!(!four.retries_mutating());
        assert!(four.retry_mutating(true).retries_mutating());
    }

    #[test]
    fn the_backoff_is_jittered() {
        let policy =
            RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(100));
        let waits: std::collections::HashSet<Duration> =
            (0..50).map(|_| policy.backoff_after(1)).collect();
        // Fifty draws from 50 ms of nanoseconds: all equal only if the jitter is gone.
        assert!(waits.len() > 1, "no jitter: {waits:?}");
    }
}
