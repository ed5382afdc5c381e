//! The HTTP side: accept loop, routing (API, cashier, auto-debit authorization), fault injection.

use std::collections::HashMap;
use std::future::Future as _;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Response, StatusCode, header};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Body, Frame, Incoming};
use pockyt_types::{Amount, Currency, TransactionStatus};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::config::{Fault, FaultKind, Merchant};
use crate::gateway::{self, GatewayError};
use crate::ipn::{self, Deliveries};
use crate::state::{Payment, Store};
use crate::{FinishError, cashier};

/// The largest request body read (64 KiB); larger ones are refused while reading.
pub(crate) const MAX_REQUEST_BYTES: usize = 64 * 1024;

/// How long a request's headers may take to arrive.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a request's body may take to arrive once its headers are in, by default.
pub(crate) const BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The first and the longest wait after a failed `accept` (e.g. out of file descriptors).
const ACCEPT_BACKOFF: (Duration, Duration) = (Duration::from_millis(5), Duration::from_secs(1));

/// State shared by every connection.
pub(crate) struct Shared {
    pub(crate) store: Store,
    pub(crate) merchants: Vec<Merchant>,
    pub(crate) base_url: String,
    pub(crate) deliveries: Arc<Deliveries>,
    pub(crate) faults: Mutex<HashMap<String, Fault>>,
    pub(crate) fault_counter: Mutex<HashMap<String, u32>>,
    pub(crate) opening_balance: Amount,
    pub(crate) expiries: crate::expiry::Expiries,
    pub(crate) body_timeout: Duration,
    /// Connections accepted so far (to show that clients share theirs).
    pub(crate) accepted: std::sync::atomic::AtomicUsize,
}

impl Shared {
    pub(crate) fn cashier_url(&self, transaction_no: &str) -> String {
        format!("{}/cashier/{transaction_no}", self.base_url)
    }

    /// The payout balance: the opening balance minus payouts in that currency.
    pub(crate) fn balance(&self, merchant_no: &str, currency: &Currency) -> Amount {
        let store = self.store.lock();
        self.balance_in(&store, merchant_no, currency)
    }

    /// [`Shared::balance`] with the store already locked.
    pub(crate) fn balance_in(
        &self,
        store: &crate::state::Inner,
        merchant_no: &str,
        currency: &Currency,
    ) -> Amount {
        store
            .payouts
            .iter()
            .filter(|((merchant, _), p)| merchant == merchant_no && p.currency == *currency)
            .try_fold(self.opening_balance.clone(), |left, (_, p)| {
                left.checked_sub(&p.amount)
            })
            .unwrap_or_else(Amount::zero)
    }

    /// Moves an open payment to `status` and starts notifying the merchant.
    pub(crate) fn finish(
        self: &Arc<Self>,
        transaction_no: &str,
        merchant_no: Option<&str>,
        status: TransactionStatus,
    ) -> Result<Payment, FinishError> {
        let payment = {
            let mut store = self.store.lock();
            let payment = store
                .payment_mut(transaction_no)
                .filter(|p| merchant_no.is_none_or(|m| p.merchant_no == m))
                .ok_or(FinishError::NotFound)?;
            if !payment.is_open() {
                return Err(FinishError::NotOpen(payment.status.clone()));
            }
            payment.status = status;
            payment.clone()
        };
        if let Some(at) = payment.expires_at {
            self.expiries.forget(at, transaction_no);
        }
        self.notify(&payment);
        Ok(payment)
    }

    /// Starts delivering the payment's current state to its `ipnUrl`, if it has one.
    pub(crate) fn notify(self: &Arc<Self>, payment: &Payment) {
        let (Some(url), Some(merchant)) = (&payment.ipn_url, self.merchant(&payment.merchant_no))
        else {
            return;
        };
        let body = ipn::notification_body(payment, &merchant.key);
        tokio::spawn(ipn::deliver(
            self.deliveries.clone(),
            ipn::Outgoing {
                subject: payment.transaction_no.clone(),
                status: payment.status.clone(),
                url: url.clone(),
                body,
            },
        ));
    }

    /// Starts delivering a notice that is not about a payment (an auto-debit authorisation, a
    /// payee account) to `url`, signed with the merchant's key.
    pub(crate) fn notify_other(
        self: &Arc<Self>,
        merchant_no: &str,
        url: &str,
        (subject, status): (&str, &str),
        pairs: Vec<(&str, &str)>,
    ) {
        let Some(merchant) = self.merchant(merchant_no) else {
            return;
        };
        let body = ipn::signed_form(pairs, &merchant.key);
        tokio::spawn(ipn::deliver(
            self.deliveries.clone(),
            ipn::Outgoing {
                subject: subject.to_owned(),
                status: TransactionStatus::from(status),
                url: url.to_owned(),
                body,
            },
        ));
    }

    /// Tells the merchant that the shopper authorised an auto-debit agreement, at its
    /// `autoIpnUrl` (docs.yuansfer `recurring-payments/consult`).
    pub(crate) fn notify_authorized(self: &Arc<Self>, agreement: &crate::state::Agreement) {
        let Some(url) = &agreement.auto_ipn_url else {
            return;
        };
        let time = crate::clock::gateway_time(std::time::SystemTime::now());
        let mut pairs = vec![
            ("autoDebitNo", agreement.auto_debit_no.as_str()),
            ("autoReference", agreement.auto_reference.as_str()),
            ("vendor", agreement.vendor.as_str()),
            ("time", time.as_str()),
        ];
        if let Some(note) = agreement.note.as_deref() {
            pairs.push(("note", note));
        }
        self.notify_other(
            &agreement.merchant_no,
            url,
            (&agreement.auto_debit_no, "authorized"),
            pairs,
        );
    }

    fn merchant(&self, merchant_no: &str) -> Option<&Merchant> {
        self.merchants.iter().find(|m| m.merchant_no == merchant_no)
    }

    /// The fault to apply to this request on `path`, if any (counting it).
    fn take_fault(&self, path: &str) -> Option<FaultKind> {
        let mut faults = self.faults.lock().unwrap_or_else(|p| p.into_inner());
        let key = if faults.contains_key(path) { path } else { "*" };
        let fault = faults.get_mut(key)?;
        let mut counters = self.fault_counter.lock().unwrap_or_else(|p| p.into_inner());
        let seen = counters.entry(key.to_owned()).or_insert(0);
        *seen += 1;
        if !(*seen).is_multiple_of(fault.every) {
            return None;
        }
        let kind = fault.kind.clone();
        match &mut fault.remaining {
            Some(0) => return None,
            Some(n) => *n -= 1,
            None => {}
        }
        Some(kind)
    }
}

/// A response body: whole, or one of the faulty kinds.
pub(crate) enum MockBody {
    Full(Full<Bytes>),
    /// Sends the bytes, then fails, so the connection closes mid-body.
    Truncated(Option<Bytes>),
    /// Sends one byte per tick.
    Slow {
        rest: Bytes,
        tick: Duration,
        sleep: Option<Pin<Box<tokio::time::Sleep>>>,
    },
}

impl Body for MockBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.get_mut() {
            MockBody::Full(full) => Pin::new(full)
                .poll_frame(cx)
                .map_err(|never| match never {}),
            MockBody::Truncated(data) => Poll::Ready(Some(match data.take() {
                Some(bytes) => Ok(Frame::data(bytes)),
                None => Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionAborted,
                    "truncated by fault injection",
                )),
            })),
            MockBody::Slow { rest, tick, sleep } => {
                if rest.is_empty() {
                    return Poll::Ready(None);
                }
                let timer = sleep.get_or_insert_with(|| Box::pin(tokio::time::sleep(*tick)));
                match timer.as_mut().poll(cx) {
                    Poll::Pending => Poll::Pending,
                    Poll::Ready(()) => {
                        *sleep = None;
                        Poll::Ready(Some(Ok(Frame::data(rest.split_to(1)))))
                    }
                }
            }
        }
    }
}

fn full(
    status: StatusCode,
    content_type: &'static str,
    body: impl Into<Bytes>,
) -> Response<MockBody> {
    let mut response = Response::new(MockBody::Full(Full::new(body.into())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(content_type),
    );
    response
}

pub(crate) fn json(status: StatusCode, value: &serde_json::Value) -> Response<MockBody> {
    full(
        status,
        "application/json; charset=utf-8",
        serde_json::to_vec(value).unwrap_or_default(),
    )
}

pub(crate) fn html(status: StatusCode, page: String) -> Response<MockBody> {
    full(status, "text/html; charset=utf-8", page)
}

pub(crate) fn redirect(location: &str) -> Response<MockBody> {
    let mut response = full(
        StatusCode::SEE_OTHER,
        "text/plain; charset=utf-8",
        format!("see {location}"),
    );
    if let Ok(value) = header::HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// Why a connection should be dropped without an answer.
#[derive(Debug)]
pub(crate) struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for Dropped {}

/// One request, start to finish.
pub(crate) async fn serve(
    shared: Arc<Shared>,
    request: http::Request<Incoming>,
) -> Result<Response<MockBody>, Dropped> {
    let path = request.uri().path().to_owned();
    // Faults that lose the answer fire after the handler ran; the others instead of it.
    let mut after_handling = None;
    if let Some(fault) = shared.take_fault(&path) {
        match fault {
            FaultKind::Latency(wait) => tokio::time::sleep(wait).await,
            kind @ (FaultKind::LoseAnswer | FaultKind::AnswerAfter(_)) => {
                after_handling = Some(kind)
            }
            other => return injected(other),
        }
    }
    let response = route(&shared, request, &path).await;
    match after_handling {
        Some(FaultKind::AnswerAfter(wait)) => {
            tokio::time::sleep(wait).await;
            Ok(response)
        }
        Some(_) => Err(Dropped),
        None => Ok(response),
    }
}

/// The simulator proper: cashier pages and the API.
async fn route(
    shared: &Arc<Shared>,
    request: http::Request<Incoming>,
    path: &str,
) -> Response<MockBody> {
    let method = request.method().clone();
    if method == Method::GET
        || path.starts_with("/cashier/")
        || path.starts_with("/auto-debit/authorize/")
    {
        return cashier::page(shared, &method, path, request.uri().query());
    }
    if method != Method::POST {
        return json(
            StatusCode::METHOD_NOT_ALLOWED,
            &gateway::error_envelope(&GatewayError::invalid("the API accepts POST only")),
        );
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    // Headers have a read deadline (hyper's); the body gets one of its own, so a client trickling
    // bytes cannot hold a connection open for ever.
    let read = Limited::new(request.into_body(), MAX_REQUEST_BYTES).collect();
    let body = match tokio::time::timeout(shared.body_timeout, read).await {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(_)) => {
            let error = GatewayError::invalid(format!(
                "the request body exceeds {MAX_REQUEST_BYTES} bytes or was cut short"
            ));
            return json(
                StatusCode::PAYLOAD_TOO_LARGE,
                &gateway::error_envelope(&error),
            );
        }
        Err(_) => {
            let error = GatewayError::invalid(format!(
                "the request body did not arrive within {} ms",
                shared.body_timeout.as_millis()
            ));
            return json(
                StatusCode::REQUEST_TIMEOUT,
                &gateway::error_envelope(&error),
            );
        }
    };
    let envelope = match crate::params::parse(content_type.as_deref(), &body) {
        Ok(params) => gateway::handle(shared, path, &params),
        Err(error) => gateway::error_envelope(&GatewayError::invalid(error.0)),
    };
    json(StatusCode::OK, &envelope)
}

/// The HTML error page a proxy in front of the gateway answers with, titled by its status.
fn error_page(status: StatusCode) -> String {
    let reason = status.canonical_reason().unwrap_or("Error");
    format!(
        "<html><head><title>{} {reason}</title></head><body><h1>{reason}</h1></body></html>",
        status.as_u16()
    )
}

fn injected(fault: FaultKind) -> Result<Response<MockBody>, Dropped> {
    match fault {
        FaultKind::Latency(_) => Err(Dropped),
        FaultKind::Status(code) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_GATEWAY);
            Ok(html(status, error_page(status)))
        }
        FaultKind::StatusRetryAfter(code, after) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let mut response = html(status, error_page(status));
            if let Ok(value) = header::HeaderValue::from_str(&after) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            Ok(response)
        }
        FaultKind::DropConnection => Err(Dropped),
        FaultKind::HtmlPage => Ok(html(StatusCode::OK, error_page(StatusCode::BAD_GATEWAY))),
        FaultKind::TruncatedBody => {
            let whole = br#"{"ret_code":"000100","ret_msg":"query success","result":{"transactionNo":"3000"#;
            let mut response = Response::new(MockBody::Truncated(Some(Bytes::from_static(whole))));
            response.headers_mut().insert(
                header::CONTENT_LENGTH,
                header::HeaderValue::from(whole.len() + 200),
            );
            Ok(response)
        }
        FaultKind::OversizedBody(bytes) => {
            let padding = "x".repeat(bytes + 1);
            let value = serde_json::json!({ "ret_code": "000100", "ret_msg": "ok", "result": { "padding": padding } });
            Ok(json(StatusCode::OK, &value))
        }
        // Handled in `serve`, after the request ran.
        FaultKind::LoseAnswer | FaultKind::AnswerAfter(_) => Err(Dropped),
        FaultKind::SlowBody(tick) => {
            let body = Bytes::from_static(br#"{"ret_code":"000100","ret_msg":"ok","result":{}}"#);
            let mut response = Response::new(MockBody::Slow {
                rest: body,
                tick,
                sleep: None,
            });
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                header::HeaderValue::from_static("application/json"),
            );
            Ok(response)
        }
    }
}

/// Accepts connections until `stop` flips, serving each on its own task.
pub(crate) async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stop: watch::Receiver<bool>,
) {
    let mut connections = tokio::task::JoinSet::new();
    let mut backoff = AcceptBackoff::default();
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => {
                        backoff.succeeded();
                        shared.accepted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        stream
                    }
                    Err(_) => {
                        // Out of descriptors (EMFILE) and the like clear as connections close;
                        // retrying at once would spin a core and starve those connections.
                        let wait = backoff.failed();
                        tokio::select! {
                            _ = stop.changed() => break,
                            _ = tokio::time::sleep(wait) => {}
                            Some(_) = connections.join_next(), if !connections.is_empty() => {}
                        }
                        continue;
                    }
                };
                let shared = shared.clone();
                connections.spawn(async move {
                    let service = hyper::service::service_fn(move |request| serve(shared.clone(), request));
                    let io = hyper_util::rt::TokioIo::new(stream);
                    // A failed connection (a client that vanished, a dropped fault) ends only itself.
                    let _ = hyper::server::conn::http1::Builder::new()
                        .header_read_timeout(HEADER_READ_TIMEOUT)
                        .timer(hyper_util::rt::TokioTimer::new())
                        .serve_connection(io, service)
                        .await;
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.abort_all();
}

/// Exponential wait after consecutive failed accepts, reset by a success.
#[derive(Debug)]
struct AcceptBackoff {
    next: Duration,
}

impl Default for AcceptBackoff {
    fn default() -> Self {
        Self {
            next: ACCEPT_BACKOFF.0,
        }
    }
}

impl AcceptBackoff {
    /// How long to wait after this failure.
    fn failed(&mut self) -> Duration {
        let wait = self.next;
        self.next = (self.next * 2).min(ACCEPT_BACKOFF.1);
        wait
    }

    fn succeeded(&mut self) {
        self.next = ACCEPT_BACKOFF.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_failures_back_off_exponentially_and_reset() {
        let mut backoff = AcceptBackoff::default();
        let waits: Vec<Duration> = (0..10).map(|_| backoff.failed()).collect();
        assert_eq!(waits[0], Duration::from_millis(5));
        assert_eq!(waits[1], Duration::from_millis(10));
        assert!(waits.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(waits[9], Duration::from_secs(1));
        backoff.succeeded();
        assert_eq!(backoff.failed(), Duration::from_millis(5));
    }

    #[test]
    fn error_pages_carry_their_own_status() {
        let page = error_page(StatusCode::SERVICE_UNAVAILABLE);
        assert!(
            page.contains("<title>503 Service Unavailable</title>"),
            "{page}"
        );
    }
}
