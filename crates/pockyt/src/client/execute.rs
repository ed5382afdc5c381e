//! Execute: the attempts of one call, each under the attempt timeout and all under the deadline.
//! What an outcome means (done, worth another attempt, final) is [`crate::retry::classify`]'s
//! to say; this loop only asks the policy whether it may, and waits.

use bytes::Bytes;
use pockyt_transport::TransportError;
use tokio::time::Instant;

use super::encode::Encoded;
use super::{Call, Client};
use crate::error::{Error, remaining};
use crate::retry::{FailedAttempt, Outcome, Verdict, classify};

impl Client {
    /// Sends with the attempt timeout, the overall deadline and the retry policy.
    pub(super) async fn execute(
        &self,
        call: Call<'_>,
        encoded: Encoded,
    ) -> Result<(http::Response<Bytes>, u32), Error> {
        let config = &self.inner.config;
        let timeouts = self.options.timeouts_over(config.timeouts);
        let retry = self.options.retry_over(&config.retry);
        // `Instant + Duration` panics when the sum does not fit (`Duration::MAX`, or a century on
        // some platforms), and `Duration::MAX` is the natural way to write "no deadline": a
        // deadline past what the clock can hold is no deadline.
        let deadline = Instant::now().checked_add(timeouts.overall);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let budget = remaining(deadline);
            let per_attempt = timeouts.attempt.min(budget);
            let request = self.http_request(&encoded);
            let started = Instant::now();
            let outcome =
                tokio::time::timeout(per_attempt, self.inner.transport.send(request)).await;
            super::trace::attempt(&call, attempt, &outcome, started);
            let (ended, verdict) = match outcome {
                Ok(Ok(response)) => {
                    let verdict = classify(Outcome::Answer(response.status()));
                    (Ended::Answer(response), verdict)
                }
                Ok(Err(error)) => {
                    let verdict = classify(Outcome::Transport(&error));
                    (Ended::Transport(error), verdict)
                }
                Err(_) => {
                    let overall = per_attempt < timeouts.attempt;
                    (Ended::Timeout { overall }, classify(Outcome::TimedOut))
                }
            };
            let Verdict::Retry { maybe_sent } = verdict else {
                return ended.into_call_result(attempt);
            };
            // A 429 or 503 may say when to come back; that replaces the back-off, and if it is
            // past the deadline the call fails at once with the wait in the error.
            let wait = ended
                .retry_after()
                .unwrap_or_else(|| retry.backoff_after(attempt));
            if !retry.allows(&FailedAttempt {
                attempt,
                idempotent: call.idempotent,
                maybe_sent,
            }) || wait >= remaining(deadline)
            {
                return ended.into_call_result(attempt);
            }
            tokio::time::sleep(wait).await;
        }
    }
}

/// How an attempt ended, kept whole for the call's result.
enum Ended {
    /// An HTTP answer, whatever its status: the last one is decoded into the call's result (a 5xx
    /// into an error with a snippet of its body).
    Answer(http::Response<Bytes>),
    Transport(TransportError),
    Timeout {
        overall: bool,
    },
}

impl Ended {
    fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            Ended::Answer(response) => crate::retry::retry_after(response),
            _ => None,
        }
    }

    /// The answer to decode, or the error a failed attempt becomes.
    fn into_call_result(self, attempts: u32) -> Result<(http::Response<Bytes>, u32), Error> {
        match self {
            Ended::Answer(response) => Ok((response, attempts)),
            Ended::Transport(error) => Err(Error::Transport { error, attempts }),
            Ended::Timeout { overall } => Err(Error::Timeout {
                attempts,
                overall,
                maybe_sent: true,
            }),
        }
    }
}
