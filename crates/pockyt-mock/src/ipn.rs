//! Delivering signed notifications to the merchant's `ipnUrl`, with retries, and recording each try.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use pockyt_sign::SigningKey;
use pockyt_transport::{HyperTransport, Transport};
use pockyt_types::TransactionStatus;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};

use crate::config::IpnSchedule;
use crate::sim_clock::SimClock;
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

/// How many of those one receiver (one `host:port`) may hold at once by default: a receiver that
/// never answers would otherwise take every slot, and every other merchant's notifications would
/// wait behind its timeouts.
pub(crate) const MAX_DELIVERIES_PER_RECEIVER: usize = 16;

/// How many notifications may be under way at once by default (sending, or waiting for a slot or
/// for their next retry). Each is a task with its body; without a bound a notification that
/// causes more notifications grows memory without end.
pub(crate) const MAX_IN_FLIGHT_NOTIFICATIONS: usize = 10_000;

/// How many attempts the record keeps by default (the latest); counts cover every attempt.
pub(crate) const MAX_LOGGED_ATTEMPTS: usize = 10_000;

/// The header every notification the simulator sends carries. A simulator refuses any request
/// with it: a notification never acts on a simulator (its own pages or another's), whatever name
/// its `ipnUrl` used to get there.
pub(crate) const SELF_MARK: &str = "x-pockyt-simulator-notification";

/// How the deliveries are bounded.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DeliveryLimits {
    /// Attempts kept in the record (the latest).
    pub(crate) logged: usize,
    /// Time one attempt may take, connection to last byte.
    pub(crate) timeout: Duration,
    /// Notifications under way at once; one more is dropped (and recorded as such).
    pub(crate) in_flight: usize,
    /// Attempts talking to one receiver at once.
    pub(crate) per_receiver: usize,
}

impl Default for DeliveryLimits {
    fn default() -> Self {
        Self {
            logged: MAX_LOGGED_ATTEMPTS,
            timeout: Duration::from_secs(10),
            in_flight: MAX_IN_FLIGHT_NOTIFICATIONS,
            per_receiver: MAX_DELIVERIES_PER_RECEIVER,
        }
    }
}

/// Sends notifications and keeps the record.
pub(crate) struct Deliveries {
    schedule: IpnSchedule,
    limits: DeliveryLimits,
    transport: Option<HyperTransport>,
    slots: Semaphore,
    /// `host:port` → the slots of that receiver; an entry lives while someone holds or awaits it.
    receivers: Mutex<HashMap<String, Arc<Semaphore>>>,
    /// The simulator's own listener, which no notification may reach.
    own: SocketAddr,
    in_flight: AtomicUsize,
    log: Mutex<VecDeque<IpnAttempt>>,
    made: AtomicUsize,
    acknowledged: AtomicUsize,
    changed: Notify,
    /// What each attempt's time is read from.
    clock: SimClock,
}

impl Deliveries {
    /// Deliveries for the simulator listening on `own`, timed by `clock`.
    pub(crate) fn new(
        schedule: IpnSchedule,
        limits: DeliveryLimits,
        own: SocketAddr,
        clock: SimClock,
    ) -> Self {
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
            receivers: Mutex::new(HashMap::new()),
            own,
            in_flight: AtomicUsize::new(0),
            log: Mutex::new(VecDeque::new()),
            made: AtomicUsize::new(0),
            acknowledged: AtomicUsize::new(0),
            changed: Notify::new(),
            clock,
        }
    }

    /// Now, on the simulator's clock, as an attempt records it.
    fn now(&self) -> String {
        crate::clock::iso_utc(self.clock.now())
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

    /// How many notifications are under way (sending, or waiting for a slot or a retry).
    pub(crate) fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::SeqCst)
    }

    /// Waits until no notification is under way.
    pub(crate) async fn wait_for_idle(&self) {
        loop {
            let notified = self.changed.notified();
            if self.in_flight() == 0 {
                return;
            }
            notified.await;
        }
    }

    /// `take` attempts of the record from the `skip`-th, oldest first, and how many it holds:
    /// only those are copied under the lock.
    pub(crate) fn attempts_page(&self, skip: usize, take: usize) -> (Vec<IpnAttempt>, usize) {
        let log = self.log.lock().unwrap_or_else(|p| p.into_inner());
        (
            log.iter().skip(skip).take(take).cloned().collect(),
            log.len(),
        )
    }

    /// The latest attempts about `subject`, oldest first (filtered under the lock: a payment's page
    /// never copies the whole record).
    pub(crate) fn attempts_about(&self, subject: &str) -> Vec<IpnAttempt> {
        self.log
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .filter(|a| a.transaction_no == subject)
            .cloned()
            .collect()
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

/// The notification form for a payment's current status at `now`, signed with the merchant's key.
///
/// A card capture (`/order/v4/capture`) is announced in the capture webhook's shape: `completedAt`
/// and `customerNo` instead of `time` (docs.pockyt `reference/webhook-notification-reference`).
pub(crate) fn notification_body(
    payment: &Payment,
    key: &SigningKey,
    now: std::time::SystemTime,
) -> String {
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

/// Starts delivering `outgoing` on its own task, unless as many notifications as the limit allows
/// are already under way: then it is dropped, and the record says so.
pub(crate) fn send(deliveries: &Arc<Deliveries>, outgoing: Outgoing) {
    let admitted = deliveries
        .in_flight
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
            (n < deliveries.limits.in_flight).then_some(n + 1)
        })
        .is_ok();
    if !admitted {
        let error = format!(
            "not sent: {} notifications are already under way (the simulator's limit)",
            deliveries.limits.in_flight
        );
        let at = deliveries.now();
        deliveries.record(outgoing.unsent(error, at));
        return;
    }
    let guard = InFlight(deliveries.clone());
    tokio::spawn(async move {
        deliver(&guard.0, outgoing).await;
        drop(guard);
    });
}

/// One notification under way; dropping it (the task ended, or was cancelled) frees its place.
struct InFlight(Arc<Deliveries>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
        self.0.changed.notify_waiters();
    }
}

impl Outgoing {
    /// The record of a notification that was not sent, and will not be.
    fn unsent(self, error: String, at: String) -> IpnAttempt {
        IpnAttempt {
            transaction_no: self.subject,
            status: self.status,
            url: self.url,
            attempt: 1,
            http_status: None,
            acknowledged: false,
            error: Some(error),
            body: self.body,
            at,
            answer: None,
            next_retry_in: None,
        }
    }
}

/// Holds one of a receiver's slots; on drop, forgets the receiver once nobody holds or awaits it,
/// so the map stays as small as the set of receivers being talked to.
struct ReceiverSlot<'a> {
    deliveries: &'a Deliveries,
    key: String,
    permit: Option<OwnedSemaphorePermit>,
}

impl Drop for ReceiverSlot<'_> {
    fn drop(&mut self) {
        let Some(permit) = self.permit.take() else {
            return;
        };
        let semaphore = permit.semaphore().clone();
        drop(permit);
        let mut receivers = self
            .deliveries
            .receivers
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        // Two references: the map's and `semaphore`. Anyone awaiting a slot holds a third.
        if Arc::strong_count(&semaphore) == 2
            && receivers
                .get(&self.key)
                .is_some_and(|s| Arc::ptr_eq(s, &semaphore))
        {
            receivers.remove(&self.key);
        }
    }
}

impl Deliveries {
    /// Waits for one of the receiver's own slots (`key` is its `host:port`).
    async fn receiver_slot(&self, key: &str) -> Option<ReceiverSlot<'_>> {
        let semaphore = self
            .receivers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(key.to_owned())
            .or_insert_with(|| Arc::new(Semaphore::new(self.limits.per_receiver.max(1))))
            .clone();
        let permit = semaphore.acquire_owned().await.ok()?;
        Some(ReceiverSlot {
            deliveries: self,
            key: key.to_owned(),
            permit: Some(permit),
        })
    }

    /// Whether `url` leads to this simulator's own listener: its address and port, or a name
    /// that resolves to it. (A name that resolves elsewhere now and here later is caught by the
    /// mark every notification carries, [`SELF_MARK`].)
    async fn aims_at_self(&self, url: &str) -> bool {
        let Some((host, port)) = host_and_port(url) else {
            return false;
        };
        if port != self.own.port() {
            return false;
        }
        if let Ok(ip) = host.parse::<IpAddr>() {
            return reaches(self.own, SocketAddr::new(ip, port));
        }
        match tokio::net::lookup_host((host.as_str(), port)).await {
            Ok(mut addrs) => addrs.any(|addr| reaches(self.own, addr)),
            // A name that does not resolve reaches nothing; the attempt says why.
            Err(_) => false,
        }
    }
}

/// Whether a connection to `target` arrives at a listener bound to `own`.
fn reaches(own: SocketAddr, target: SocketAddr) -> bool {
    if own.port() != target.port() {
        return false;
    }
    let (own, target) = (own.ip().to_canonical(), target.ip().to_canonical());
    // Connecting to 0.0.0.0 or :: reaches the local host, like loopback.
    let local = |ip: IpAddr| ip.is_loopback() || ip.is_unspecified();
    own == target
        || (own.is_unspecified() && local(target))
        || (local(own) && target.is_unspecified())
}

/// The host (without brackets) and port of an `http(s)` URL, the port defaulted by scheme.
fn host_and_port(url: &str) -> Option<(String, u16)> {
    let uri: http::Uri = url.parse().ok()?;
    let host = uri.host()?.trim_start_matches('[').trim_end_matches(']');
    let port = uri.port_u16().unwrap_or(match uri.scheme_str() {
        Some("https") => 443,
        _ => 80,
    });
    Some((host.to_ascii_lowercase(), port))
}

/// The receiver a URL names, for its share of the slots: `host:port`, or the URL itself when it
/// names none (such an attempt fails at once anyway).
fn receiver_key(url: &str) -> String {
    match host_and_port(url) {
        Some((host, port)) => format!("{host}:{port}"),
        None => url.to_owned(),
    }
}

/// Posts the notification until it is acknowledged, the schedule runs out, or it turns out to be
/// aimed at the simulator itself.
async fn deliver(deliveries: &Deliveries, outgoing: Outgoing) {
    let Outgoing {
        subject,
        status,
        url,
        body,
    } = outgoing;
    let receiver = receiver_key(&url);
    for (index, wait) in deliveries.schedule.0.iter().enumerate() {
        tokio::time::sleep(*wait).await;
        let now = || deliveries.now();
        let (at, (http_status, acknowledged, error, answer, refused)) = if deliveries
            .aims_at_self(&url)
            .await
        {
            let error = format!(
                "not sent: the ipnUrl leads to this simulator's own listener ({}); a notification never goes to the simulator itself",
                deliveries.own
            );
            (now(), (None, false, Some(error), None, true))
        } else {
            // Its receiver's slot first, then one of all: a receiver that never answers
            // waits on its own slots and holds at most its share of the others.
            let Some(_receiver_slot) = deliveries.receiver_slot(&receiver).await else {
                return;
            };
            // A slot per attempt, not per notification: waiting for the next retry holds
            // no socket.
            let Ok(_slot) = deliveries.slots.acquire().await else {
                return;
            };
            (now(), post(deliveries, &url, &body).await)
        };
        let next_retry_in = if acknowledged || refused {
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
        if acknowledged || refused {
            return;
        }
    }
}

/// What an attempt came to: HTTP status, acknowledged, error, the start of the answer, and
/// whether a simulator refused it as one of its own (no retry then).
type Outcome = (Option<u16>, bool, Option<String>, Option<String>, bool);

async fn post(deliveries: &Deliveries, url: &str, body: &str) -> Outcome {
    let Some(transport) = &deliveries.transport else {
        return (
            None,
            false,
            Some("no HTTP client available".into()),
            None,
            false,
        );
    };
    let request = http::Request::post(url)
        .header(
            http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .header(SELF_MARK, "1")
        .body(Bytes::from(body.to_owned()));
    let request = match request {
        Ok(request) => request,
        Err(e) => {
            return (
                None,
                false,
                Some(format!("invalid ipnUrl: {e}")),
                None,
                false,
            );
        }
    };
    match tokio::time::timeout(deliveries.limits.timeout, transport.send(request)).await {
        Ok(Ok(response)) => {
            // A simulator (this one, reached by another name, or another) refused it: sending
            // it again would only be refused again.
            let refused = response.headers().contains_key(SELF_MARK);
            let acknowledged = !refused
                && response.status().is_success()
                && response.body().as_ref() == b"success";
            let error = if refused {
                Some("refused: the ipnUrl leads to a Pockyt simulator, which never takes its own notifications".to_owned())
            } else {
                (!acknowledged).then(|| "the receiver did not answer `success`".to_owned())
            };
            let answer: String = String::from_utf8_lossy(response.body())
                .chars()
                .take(200)
                .collect();
            (
                Some(response.status().as_u16()),
                acknowledged,
                error,
                Some(answer),
                refused,
            )
        }
        Ok(Err(e)) => (None, false, Some(e.to_string()), None, false),
        Err(_) => (None, false, Some("timed out".into()), None, false),
    }
}
