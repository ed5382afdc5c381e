//! A test's view of the simulator's IPN deliveries ([`crate::MockGateway::ipn`]): the attempts
//! kept, the counts over every attempt, what is under way, and one way to wait for any of them.

use std::time::Duration;

use crate::error::MockError;
use crate::ipn::{Deliveries, IpnAttempt};

/// What [`Ipn::wait`] waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Until<'a> {
    /// The notification about this payment (or agreement, account, payout) was acknowledged.
    Acknowledged(&'a str),
    /// At least this many attempts were made about this payment, acknowledged or not.
    Attempts(&'a str, usize),
    /// At least this many notifications in all were acknowledged.
    AcknowledgedCount(usize),
    /// At least this many delivery attempts in all were made, answered or not.
    AttemptsMade(usize),
    /// No notification is under way: each was acknowledged, refused, or ran out of attempts.
    Idle,
}

/// The IPN deliveries of a running simulator, borrowed from its [`crate::MockGateway`].
#[derive(Clone, Copy)]
pub struct Ipn<'a> {
    deliveries: &'a Deliveries,
}

impl std::fmt::Debug for Ipn<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ipn")
            .field("made", &self.made())
            .field("acknowledged", &self.acknowledged())
            .field("in_flight", &self.in_flight())
            .finish()
    }
}

impl<'a> Ipn<'a> {
    pub(crate) fn new(deliveries: &'a Deliveries) -> Self {
        Self { deliveries }
    }

    /// The latest delivery attempts, oldest first: every one, up to the builder's
    /// [`crate::MockGatewayBuilder::ipn_log_limit`] (10,000 by default).
    pub fn attempts(&self) -> Vec<IpnAttempt> {
        self.deliveries.attempts()
    }

    /// The latest attempts about `subject` (a `transactionNo`, or an agreement's `autoDebitNo`,
    /// an account's `accountToken`), oldest first.
    pub fn attempts_about(&self, subject: &str) -> Vec<IpnAttempt> {
        self.deliveries.attempts_about(subject)
    }

    /// How many delivery attempts were made in all, including those the log no longer keeps.
    pub fn made(&self) -> usize {
        self.deliveries.made()
    }

    /// How many notifications have been acknowledged so far.
    pub fn acknowledged(&self) -> usize {
        self.deliveries.acknowledged()
    }

    /// How many notifications are under way now: being sent, or waiting for a slot or for their
    /// next retry (at most [`crate::MockGatewayBuilder::ipn_max_in_flight`]).
    pub fn in_flight(&self) -> usize {
        self.deliveries.in_flight()
    }

    /// Waits (up to `limit`) until `until` holds, on delivery events rather than by polling.
    /// Returns the attempts about the subject for [`Until::Acknowledged`] and
    /// [`Until::Attempts`], and every attempt kept for the others.
    pub async fn wait(
        &self,
        until: Until<'_>,
        limit: Duration,
    ) -> Result<Vec<IpnAttempt>, MockError> {
        let deliveries = self.deliveries;
        let waited = match until {
            Until::Acknowledged(subject) => {
                let done = |attempts: &[IpnAttempt]| {
                    attempts
                        .iter()
                        .any(|a| a.transaction_no == subject && a.acknowledged)
                };
                tokio::time::timeout(limit, deliveries.wait_until(done)).await
            }
            Until::Attempts(subject, count) => {
                let enough = |attempts: &[IpnAttempt]| {
                    attempts
                        .iter()
                        .filter(|a| a.transaction_no == subject)
                        .count()
                        >= count
                };
                tokio::time::timeout(limit, deliveries.wait_until(enough)).await
            }
            Until::AcknowledgedCount(count) => {
                tokio::time::timeout(limit, deliveries.wait_for_acknowledged(count)).await
            }
            Until::AttemptsMade(count) => {
                tokio::time::timeout(limit, deliveries.wait_for_made(count)).await
            }
            Until::Idle => tokio::time::timeout(limit, deliveries.wait_for_idle()).await,
        };
        waited.map_err(|_| MockError::IpnTimeout(until.to_string()))?;
        Ok(match until {
            Until::Acknowledged(subject) | Until::Attempts(subject, _) => {
                self.attempts_about(subject)
            }
            _ => self.attempts(),
        })
    }
}

impl std::fmt::Display for Until<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Until::Acknowledged(subject) => write!(f, "acknowledged notification for {subject}"),
            Until::Attempts(subject, count) => write!(f, "{count} attempt(s) for {subject}"),
            Until::AcknowledgedCount(count) => write!(f, "{count} acknowledged notification(s)"),
            Until::AttemptsMade(count) => write!(f, "{count} delivery attempt(s)"),
            Until::Idle => f.write_str("no notification under way"),
        }
    }
}
