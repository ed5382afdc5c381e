//! A merchant-side IPN receiver on loopback, for tests and demos: it verifies each notification
//! with [`crate::ipn`], records it, and answers `success` (or fails on purpose, to exercise retries).
//!
//! It lives on the merchant's side of the house (the facade), not in the gateway simulator, so the
//! simulator depends on nothing of the SDK it is used to test.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::ipn::{self, Notification};
use bytes::Bytes;
use http::{Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use pockyt_sign::SigningKey;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};

/// Why a receiver could not start, or what it waited for did not arrive.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReceiverError {
    /// The loopback address could not be bound.
    #[error("cannot listen on {addr}")]
    #[non_exhaustive]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Fewer notifications than awaited were verified and acknowledged in time.
    #[error("{verified} of {awaited} notification(s) verified in {limit:?}")]
    #[non_exhaustive]
    Timeout {
        /// How many were awaited.
        awaited: usize,
        /// How many had arrived.
        verified: usize,
        /// How long was waited.
        limit: Duration,
    },
}

/// What the receiver saw: verified notifications and rejected bodies.
#[derive(Debug, Default)]
struct Log {
    verified: Vec<Notification>,
    webhooks: Vec<ipn::Webhook>,
    rejected: Vec<String>,
    fail_next: u32,
    fail_every: u32,
    first_seen: std::collections::HashSet<String>,
    requests: u32,
}

/// A running receiver. Its URL goes into a payment's `ipnUrl`.
pub struct IpnReceiver {
    addr: SocketAddr,
    log: Arc<Mutex<Log>>,
    changed: Arc<Notify>,
    stop: watch::Sender<bool>,
}

impl std::fmt::Debug for IpnReceiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IpnReceiver")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl IpnReceiver {
    /// Starts a receiver on `127.0.0.1` (a free port) that verifies with `key`.
    pub async fn start(key: SigningKey) -> Result<Self, ReceiverError> {
        let addr = SocketAddr::from(([127, 0, 0, 1], 0));
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| ReceiverError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| ReceiverError::Bind { addr, source })?;
        let log = Arc::new(Mutex::new(Log::default()));
        let changed = Arc::new(Notify::new());
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(accept(
            listener,
            Arc::new(key),
            log.clone(),
            changed.clone(),
            stopped,
        ));
        Ok(Self {
            addr,
            log,
            changed,
            stop,
        })
    }

    /// The URL to use as `ipnUrl`.
    pub fn url(&self) -> String {
        format!("http://{}/pockyt/ipn", self.addr)
    }

    /// Answers the next `n` notifications with HTTP 503 instead of `success`.
    pub fn fail_next(&self, n: u32) {
        lock(&self.log).fail_next = n;
    }

    /// Refuses (HTTP 503) the first delivery of one notification in `n` (the n-th, 2n-th, … new
    /// `transactionNo`), so the gateway has to retry it; `0` turns it off.
    pub fn fail_one_in(&self, n: u32) {
        lock(&self.log).fail_every = n;
    }

    /// Every notification that verified and was acknowledged, in order.
    pub fn verified(&self) -> Vec<Notification> {
        lock(&self.log).verified.clone()
    }

    /// Every acknowledged notification typed by its kind (payment, capture, auto-debit, payout,
    /// payee account), in order.
    pub fn webhooks(&self) -> Vec<ipn::Webhook> {
        lock(&self.log).webhooks.clone()
    }

    /// Why each rejected body was rejected.
    pub fn rejected(&self) -> Vec<String> {
        lock(&self.log).rejected.clone()
    }

    /// Requests received, whatever their outcome.
    pub fn requests(&self) -> u32 {
        lock(&self.log).requests
    }

    /// Waits (up to `limit`) until `count` notifications were verified and acknowledged.
    pub async fn wait_for(
        &self,
        count: usize,
        limit: Duration,
    ) -> Result<Vec<Notification>, ReceiverError> {
        let wait = async {
            loop {
                let notified = self.changed.notified();
                if lock(&self.log).verified.len() >= count {
                    return;
                }
                notified.await;
            }
        };
        tokio::time::timeout(limit, wait)
            .await
            .map_err(|_| ReceiverError::Timeout {
                awaited: count,
                verified: lock(&self.log).verified.len(),
                limit,
            })?;
        Ok(self.verified())
    }
}

impl Drop for IpnReceiver {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

fn lock(log: &Mutex<Log>) -> std::sync::MutexGuard<'_, Log> {
    log.lock().unwrap_or_else(|p| p.into_inner())
}

async fn accept(
    listener: TcpListener,
    key: Arc<SigningKey>,
    log: Arc<Mutex<Log>>,
    changed: Arc<Notify>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        tokio::select! {
            _ = stop.changed() => return,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let (key, log, changed) = (key.clone(), log.clone(), changed.clone());
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request: http::Request<hyper::body::Incoming>| {
                        let (key, log, changed) = (key.clone(), log.clone(), changed.clone());
                        async move { Ok::<_, std::convert::Infallible>(receive(request, &key, &log, &changed).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                        .await;
                });
            }
        }
    }
}

async fn receive(
    request: http::Request<hyper::body::Incoming>,
    key: &SigningKey,
    log: &Mutex<Log>,
    changed: &Notify,
) -> Response<Full<Bytes>> {
    let body = match Limited::new(request.into_body(), ipn::MAX_BODY_BYTES)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return reply(StatusCode::PAYLOAD_TOO_LARGE, "too large"),
    };
    // Every kind verifies as a `Notification` (unknown fields land in `extra`); the typed kind
    // is kept beside it for tests of captures, auto-debit and payee-account notices.
    let outcome = ipn::verify_form(&body, key).map(|n| (n, ipn::verify_webhook(&body, key).ok()));
    let response = {
        let mut log = lock(log);
        log.requests += 1;
        match outcome {
            Err(error) => {
                log.rejected.push(crate::DisplayChain(&error).to_string());
                reply(StatusCode::BAD_REQUEST, "rejected")
            }
            Ok(_) if log.fail_next > 0 => {
                log.fail_next -= 1;
                reply(StatusCode::SERVICE_UNAVAILABLE, "try again")
            }
            Ok((notification, _))
                if log.fail_every > 0
                    && first_delivery(&mut log, &notification)
                    && (log.first_seen.len() as u32).is_multiple_of(log.fail_every) =>
            {
                reply(StatusCode::SERVICE_UNAVAILABLE, "try again")
            }
            Ok((notification, webhook)) => {
                log.verified.push(notification);
                log.webhooks.extend(webhook);
                reply(StatusCode::OK, ipn::ACK_BODY)
            }
        }
    };
    changed.notify_waiters();
    response
}

/// Whether this is the first delivery of the notification's `transactionNo` (and records it).
fn first_delivery(log: &mut Log, notification: &Notification) -> bool {
    let number = notification.transaction_no.clone().unwrap_or_default();
    log.first_seen.insert(number)
}

fn reply(status: StatusCode, body: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    *response.status_mut() = status;
    response
}
