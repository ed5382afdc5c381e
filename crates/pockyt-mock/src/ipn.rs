//! Delivering signed notifications to the merchant's `ipnUrl`, with retries, and recording each try.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use pockyt_sign::SigningKey;
use pockyt_transport::{HyperTransport, Transport};
use pockyt_types::TransactionStatus;
use tokio::sync::{Notify, Semaphore};

use crate::config::IpnSchedule;
use crate::state::Payment;

/// One delivery attempt of a notification.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IpnAttempt {
    /// What it is about: the payment's `transactionNo`, or for the other kinds the agreement's
    /// `autoDebitNo` or the funding account's `accountToken`.
    pub transaction_no: String,
    /// The status it announced, typed as `pockyt::ipn::Notification::status` is (an auto-debit
    /// notice's `authorized` and an account's `ACTIVATED` arrive as `Unknown`).
    pub status: TransactionStatus,
    /// Where it was sent.
    pub url: String,
    /// 1 for the first try.
    pub attempt: u32,
    /// The HTTP status the receiver answered, if it answered.
    pub http_status: Option<u16>,
    /// Whether the receiver answered exactly `success`.
    pub acknowledged: bool,
    /// Why it failed, if it did.
    pub error: Option<String>,
    /// The form body sent.
    pub body: String,
    /// When it was made, `yyyy-MM-ddTHH:mm:ssZ`.
    pub at: String,
    /// The start of what the receiver answered (at most 200 characters), if it answered.
    pub answer: Option<String>,
    /// How long until the next attempt, if this one was not acknowledged and the schedule has
    /// one left.
    pub next_retry_in: Option<std::time::Duration>,
}

/// How many deliveries may be talking to receivers at once: each holds a socket, and a receiver
/// that never answers holds it until the attempt's timeout.
pub(crate) const MAX_CONCURRENT_DELIVERIES: usize = 64;

/// How many attempts the record keeps by default (the latest); counts cover every attempt.
pub(crate) const MAX_LOGGED_ATTEMPTS: usize = 10_000;

/// How the deliveries are bounded.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DeliveryLimits {
    /// Attempts kept in the record (the latest).
    pub(crate) logged: usize,
    /// Time one attempt may take, connection to last byte.
    pub(crate) timeout: Duration,
}

impl Default for DeliveryLimits {
    fn default() -> Self {
        Self {
            logged: MAX_LOGGED_ATTEMPTS,
            timeout: Duration::from_secs(10),
        }
    }
}

/// Sends notifications and keeps the record.
pub(crate) struct Deliveries {
    schedule: IpnSchedule,
    limits: DeliveryLimits,
    transport: Option<HyperTransport>,
    slots: Semaphore,
    log: Mutex<VecDeque<IpnAttempt>>,
    made: AtomicUsize,
    acknowledged: AtomicUsize,
    changed: Notify,
}

impl Deliveries {
    pub(crate) fn new(schedule: IpnSchedule, limits: DeliveryLimits) -> Self {
        let transport = HyperTransport::builder()
            .connect_timeout(Duration::from_secs(5))
            .max_response_bytes(64 * 1024)
            .build()
            .ok();
        Self {
            schedule,
            limits,
            transport,
            slots: Semaphore::new(MAX_CONCURRENT_DELIVERIES),
            log: Mutex::new(VecDeque::new()),
            made: AtomicUsize::new(0),
            acknowledged: AtomicUsize::new(0),
            changed: Notify::new(),
        }
    }

    /// The latest attempts (at most the record's limit), oldest first.
    pub(crate) fn attempts(&self) -> Vec<IpnAttempt> {
        self.log
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .cloned()
            .collect()
    }

    /// How many attempts were made in all, including those the record no longer holds.
    pub(crate) fn made(&self) -> usize {
        self.made.load(Ordering::SeqCst)
    }

    /// How many notifications were acknowledged.
    pub(crate) fn acknowledged(&self) -> usize {
        self.acknowledged.load(Ordering::SeqCst)
    }

    /// Waits until `check` holds for the attempts recorded (woken on every new attempt). The check
    /// runs on the log in place: copying it on every wake-up made long runs quadratic.
    pub(crate) async fn wait_until(&self, check: impl Fn(&[IpnAttempt]) -> bool) {
        loop {
            let notified = self.changed.notified();
            if check(
                self.log
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .make_contiguous(),
            ) {
                return;
            }
            notified.await;
        }
    }

    /// Waits until at least `count` attempts were made in all, without reading the log.
    pub(crate) async fn wait_for_made(&self, count: usize) {
        loop {
            let notified = self.changed.notified();
            if self.made() >= count {
                return;
            }
            notified.await;
        }
    }

    /// Waits until at least `count` notifications were acknowledged, without reading the log.
    pub(crate) async fn wait_for_acknowledged(&self, count: usize) {
        loop {
            let notified = self.changed.notified();
            if self.acknowledged() >= count {
                return;
            }
            notified.await;
        }
    }

    fn record(&self, attempt: IpnAttempt) {
        if attempt.acknowledged {
            self.acknowledged.fetch_add(1, Ordering::SeqCst);
        }
        self.made.fetch_add(1, Ordering::SeqCst);
        {
            let mut log = self.log.lock().unwrap_or_else(|p| p.into_inner());
            if log.len() >= self.limits.logged {
                log.pop_front();
            }
            if self.limits.logged > 0 {
                log.push_back(attempt);
            }
        }
        self.changed.notify_waiters();
    }
}

/// A notification ready to go: what it is about, where, and the signed form.
pub(crate) struct Outgoing {
    pub(crate) subject: String,
    pub(crate) status: TransactionStatus,
    pub(crate) url: String,
    pub(crate) body: String,
}

/// The notification form for a payment's current status, signed with the merchant's key.
///
/// A card capture (`/order/v4/capture`) is announced in the capture webhook's shape: `completedAt`
/// and `customerNo` instead of `time` (docs.pockyt `reference/webhook-notification-reference`).
pub(crate) fn notification_body(payment: &Payment, key: &SigningKey) -> String {
    let now = std::time::SystemTime::now();
    let capture = payment.created_by == "order_capture_v4";
    let time = if capture {
        crate::clock::iso_utc(now)
    } else {
        crate::clock::gateway_time(now)
    };
    let status = payment.status.to_string();
    let amount = payment.amount.to_string();
    let currency = payment.currency.to_string();
    let settle = payment.settle_currency.to_string();
    let mut pairs: Vec<(&str, &str)> = vec![
        ("transactionNo", &payment.transaction_no),
        ("status", &status),
        ("amount", &amount),
        ("currency", &currency),
        ("settleCurrency", &settle),
        (if capture { "completedAt" } else { "time" }, &time),
    ];
    if let Some(reference) = payment.reference.as_deref() {
        pairs.push(("reference", reference));
    }
    if let Some(customer) = payment.customer_no.as_deref().filter(|_| capture) {
        pairs.push(("customerNo", customer));
    }
    if let Some(note) = payment.note.as_deref().filter(|n| !n.is_empty()) {
        pairs.push(("note", note));
    }
    signed_form(pairs, key)
}

/// Signs the pairs and encodes them, `verifySign` last.
pub(crate) fn signed_form(pairs: Vec<(&str, &str)>, key: &SigningKey) -> String {
    let signature = pockyt_sign::sign(pairs.iter().copied(), key)
        .map(|s| s.to_string())
        .unwrap_or_default();
    pockyt_sign::form::encode(
        pairs
            .into_iter()
            .chain([(pockyt_sign::SIGNATURE_PARAM, signature.as_str())]),
    )
}

/// Posts the notification until it is acknowledged or the schedule runs out.
pub(crate) async fn deliver(deliveries: Arc<Deliveries>, outgoing: Outgoing) {
    let Outgoing {
        subject,
        status,
        url,
        body,
    } = outgoing;
    for (index, wait) in deliveries.schedule.0.iter().enumerate() {
        tokio::time::sleep(*wait).await;
        // A slot per attempt, not per notification: waiting for the next retry holds no socket.
        let Ok(_slot) = deliveries.slots.acquire().await else {
            return;
        };
        let at = crate::clock::iso_utc(std::time::SystemTime::now());
        let (http_status, acknowledged, error, answer) = post(&deliveries, &url, &body).await;
        let next_retry_in = if acknowledged {
            None
        } else {
            deliveries.schedule.0.get(index + 1).copied()
        };
        deliveries.record(IpnAttempt {
            transaction_no: subject.clone(),
            status: status.clone(),
            url: url.clone(),
            attempt: index as u32 + 1,
            http_status,
            acknowledged,
            error,
            body: body.clone(),
            at,
            answer,
            next_retry_in,
        });
        if acknowledged {
            return;
        }
    }
}

async fn post(
    deliveries: &Deliveries,
    url: &str,
    body: &str,
) -> (Option<u16>, bool, Option<String>, Option<String>) {
    let Some(transport) = &deliveries.transport else {
        return (None, false, Some("no HTTP client available".into()), None);
    };
    let request = http::Request::post(url)
        .header(
            http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(Bytes::from(body.to_owned()));
    let request = match request {
        Ok(request) => request,
        Err(e) => return (None, false, Some(format!("invalid ipnUrl: {e}")), None),
    };
    match tokio::time::timeout(deliveries.limits.timeout, transport.send(request)).await {
        Ok(Ok(response)) => {
            let acknowledged =
                response.status().is_success() && response.body().as_ref() == b"success";
            let error = (!acknowledged).then(|| "the receiver did not answer `success`".to_owned());
            let answer: String = String::from_utf8_lossy(response.body())
                .chars()
                .take(200)
                .collect();
            (
                Some(response.status().as_u16()),
                acknowledged,
                error,
                Some(answer),
            )
        }
        Ok(Err(e)) => (None, false, Some(e.to_string()), None),
        Err(_) => (None, false, Some("timed out".into()), None),
    }
}
