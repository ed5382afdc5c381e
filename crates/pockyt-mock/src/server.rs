//! The HTTP side: accept loop, routing (the API's routes, the shopper's and the workbench's
//! pages), authentication and fault injection. It sits on top: it carries requests to the pages
//! and routes, which reach the records through the ledger; nothing below imports it.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Response, StatusCode, header};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use pockyt_types::{Params, RetCode};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::config::{FaultKind, Merchant};
use crate::pages::{cashier, workbench};
use crate::respond::{MockBody, error_page, html, json};
use crate::routes::{self, Ctx, GatewayError, error_envelope};
use crate::sim::Simulator;

/// The largest request body read (64 KiB); larger ones are refused while reading.
pub(crate) const MAX_REQUEST_BYTES: usize = 64 * 1024;

/// How long a request's headers may take to arrive.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a request's body may take to arrive once its headers are in, by default.
pub(crate) const BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The first and the longest wait after a failed `accept` (e.g. out of file descriptors).
const ACCEPT_BACKOFF: (Duration, Duration) = (Duration::from_millis(5), Duration::from_secs(1));

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
    sim: Arc<Simulator>,
    request: http::Request<Incoming>,
) -> Result<Response<MockBody>, Dropped> {
    let path = request.uri().path().to_owned();
    // A simulator's own notification (this one's, reached under whatever name, or another's)
    // never acts here: pointed at a page it would refund or fail another merchant's payment, and
    // pointed at `resend-ipn` it would notify itself without end. Checked before faults, which
    // must not count it.
    if request.headers().contains_key(crate::ipn::SELF_MARK) {
        let mut refused = workbench::refused(
            StatusCode::FORBIDDEN,
            "a simulator's notification may not act on a simulator",
        );
        refused.headers_mut().insert(
            crate::ipn::SELF_MARK,
            header::HeaderValue::from_static("refused"),
        );
        return Ok(refused);
    }
    // Faults that lose the answer fire after the handler ran; the others instead of it.
    let mut after_handling = None;
    if let Some(fault) = sim.take_fault(&path) {
        match fault {
            FaultKind::Latency(wait) => tokio::time::sleep(wait).await,
            kind @ (FaultKind::LoseAnswer | FaultKind::AnswerAfter(_)) => {
                after_handling = Some(kind)
            }
            other => return injected(other),
        }
    }
    let mut response = route(&sim, request, &path).await;
    // Every answer, not only the HTML ones: a page that is never framed cannot be clickjacked,
    // and an answer that is not a page loses nothing by it.
    for (name, value) in crate::same_origin::FRAMING {
        response
            .headers_mut()
            .insert(name, header::HeaderValue::from_static(value));
    }
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
    sim: &Arc<Simulator>,
    request: http::Request<Incoming>,
    path: &str,
) -> Response<MockBody> {
    let method = request.method().clone();
    let on_a_page = ["/cashier/", "/auto-debit/authorize/", "/payments/"]
        .iter()
        .any(|prefix| path.starts_with(prefix));
    // Pages (and the JSON beside them) answer only to the simulator's own names, so a rebound
    // name cannot read them or pass the same-origin check below. The API is left alone: an SDK
    // may reach it by any name, and every call is signed.
    if (method != Method::POST || on_a_page) && !sim.hosts().allow(request.headers()) {
        return workbench::refused(
            StatusCode::MISDIRECTED_REQUEST,
            "the simulator's pages answer only to its own address (127.0.0.1, localhost or [::1] with its port, or a name given to MockGatewayBuilder::allow_host)",
        );
    }
    let page_action = method != Method::GET && on_a_page;
    if page_action && crate::same_origin::is_cross_site(request.headers()) {
        return workbench::refused(
            StatusCode::FORBIDDEN,
            "a page of another site may not act on the simulator: use its own pages",
        );
    }
    if method == Method::GET
        || path.starts_with("/cashier/")
        || path.starts_with("/auto-debit/authorize/")
    {
        if method == Method::GET
            && let Some(page) = workbench::route(sim, path, request.uri().query())
        {
            return page;
        }
        return cashier::route(sim, &method, path, request.uri().query());
    }
    if method != Method::POST {
        return json(
            StatusCode::METHOD_NOT_ALLOWED,
            &error_envelope(&GatewayError::invalid("the API accepts POST only")),
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
    let body = match tokio::time::timeout(sim.body_timeout(), read).await {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(_)) => {
            let error = GatewayError::invalid(format!(
                "the request body exceeds {MAX_REQUEST_BYTES} bytes or was cut short"
            ));
            return json(StatusCode::PAYLOAD_TOO_LARGE, &error_envelope(&error));
        }
        Err(_) => {
            let error = GatewayError::invalid(format!(
                "the request body did not arrive within {} ms",
                sim.body_timeout().as_millis()
            ));
            return json(StatusCode::REQUEST_TIMEOUT, &error_envelope(&error));
        }
    };
    if path.starts_with("/payments/")
        && let Some(answer) = workbench::act(sim, path, &body)
    {
        return answer;
    }
    let envelope = match crate::params::parse(content_type.as_deref(), &body) {
        Ok(params) => handle(sim, path, &params),
        Err(error) => error_envelope(&GatewayError::invalid(error.0)),
    };
    json(StatusCode::OK, &envelope)
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
    sim: Arc<Simulator>,
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
                        sim.accepted_one();
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
                let sim = sim.clone();
                connections.spawn(async move {
                    let service = hyper::service::service_fn(move |request| serve(sim.clone(), request));
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

/// Runs one API call: the answer is a whole envelope, success or error.
pub(crate) fn handle(sim: &Arc<Simulator>, path: &str, params: &Params) -> serde_json::Value {
    match authenticate(sim, params).and_then(|merchant| {
        let ctx = Ctx {
            sim,
            merchant,
            params,
        };
        routes::dispatch(&ctx, path)
    }) {
        Ok(envelope) => envelope,
        Err(error) => error_envelope(&error),
    }
}

/// Identity first, then the signature over every received parameter exactly as received, or over
/// the non-empty ones (the rule for empty values: `pockyt_sign::verify_received`).
fn authenticate<'a>(sim: &'a Simulator, params: &Params) -> Result<&'a Merchant, GatewayError> {
    let merchant_no = params.get("merchantNo").filter(|v| !v.is_empty());
    let store_no = params.get("storeNo").filter(|v| !v.is_empty());
    let (Some(merchant_no), Some(store_no)) = (merchant_no, store_no) else {
        return Err(GatewayError::missing("merchantNo and storeNo are required"));
    };
    let merchant = sim
        .ledger()
        .merchant(merchant_no, store_no)
        .ok_or_else(|| {
            GatewayError::new(RetCode::AccessDenied, "merchant or store does not exist")
        })?;
    let pairs: Vec<(&str, &str)> = params
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    match pockyt_sign::verify_received(&pairs, &merchant.key) {
        Ok(()) => Ok(merchant),
        Err(pockyt_sign::VerifyError::Missing) => {
            Err(GatewayError::missing("verifySign is required"))
        }
        Err(_) => Err(GatewayError::new(
            RetCode::AccessDenied,
            "verifySign is invalid",
        )),
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
