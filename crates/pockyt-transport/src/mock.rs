//! Test doubles: scripted responses and captured requests, or a closure as a transport.

use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};

use bytes::Bytes;

use crate::{BoxFuture, Transport, TransportError, TransportErrorKind};

/// A request as a [`MockTransport`] saw it. `Debug` shows the body's length, not its content
/// (it may hold card data or signatures).
#[derive(Clone)]
pub struct CapturedRequest {
    /// The HTTP method.
    pub method: http::Method,
    /// The full URI.
    pub uri: http::Uri,
    /// The headers.
    pub headers: http::HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl std::fmt::Debug for CapturedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CapturedRequest")
            .field("method", &self.method)
            .field("uri", &self.uri)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

type Scripted = Result<http::Response<Bytes>, TransportError>;

/// A [`Transport`] that answers from a script and records every request.
///
/// Responses are used in order; when the script runs out, `send` fails with
/// [`TransportErrorKind::Other`] (so a test that sends more than it planned fails loudly).
///
/// ```
/// # async fn example() {
/// use pockyt_transport::{MockTransport, Transport};
///
/// let mock = MockTransport::new();
/// mock.push_json(200, r#"{"ret_code":"000100","ret_msg":"ok","result":{}}"#);
/// let response = mock.send(http::Request::new(bytes::Bytes::new())).await.unwrap();
/// assert_eq!(response.status(), 200);
/// assert_eq!(mock.requests().len(), 1);
/// # }
/// ```
#[derive(Debug, Clone, Default)]
pub struct MockTransport {
    inner: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    script: VecDeque<Scripted>,
    requests: Vec<CapturedRequest>,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("scripted", &self.script.len())
            .field("requests", &self.requests)
            .finish()
    }
}

impl MockTransport {
    /// An empty script.
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic in another test thread must not hide this test's requests.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues a response with this status and body.
    pub fn push_response(&self, status: u16, body: impl Into<Bytes>) -> &Self {
        let mut response = http::Response::new(body.into());
        *response.status_mut() =
            http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        self.state().script.push_back(Ok(response));
        self
    }

    /// Queues a JSON response with this status.
    pub fn push_json(&self, status: u16, body: impl Into<Bytes>) -> &Self {
        let mut response = http::Response::new(body.into());
        *response.status_mut() =
            http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        response.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
        self.state().script.push_back(Ok(response));
        self
    }

    /// Queues a transport failure.
    pub fn push_error(&self, error: TransportError) -> &Self {
        self.state().script.push_back(Err(error));
        self
    }

    /// Every request sent so far, in order.
    pub fn requests(&self) -> Vec<CapturedRequest> {
        self.state().requests.clone()
    }

    /// How many scripted answers are left.
    pub fn remaining(&self) -> usize {
        self.state().script.len()
    }
}

impl Transport for MockTransport {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        let (parts, body) = request.into_parts();
        let mut state = self.state();
        state.requests.push(CapturedRequest {
            method: parts.method,
            uri: parts.uri,
            headers: parts.headers,
            body,
        });
        let next = state.script.pop_front().unwrap_or_else(|| {
            Err(TransportError::new(TransportErrorKind::Other, false)
                .with_detail("MockTransport: no scripted response left"))
        });
        Box::pin(async move { next })
    }
}

/// A [`Transport`] made from an async closure, for tests that compute their answer.
///
/// ```
/// use pockyt_transport::{transport_fn, Transport};
///
/// let transport = transport_fn(|request: http::Request<bytes::Bytes>| async move {
///     let echoed = request.into_body();
///     Ok(http::Response::new(echoed))
/// });
/// # let _ = transport;
/// ```
pub fn transport_fn<F, Fut>(f: F) -> impl Transport
where
    F: Fn(http::Request<Bytes>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<http::Response<Bytes>, TransportError>> + Send + 'static,
{
    FnTransport(f)
}

struct FnTransport<F>(F);

impl<F, Fut> Transport for FnTransport<F>
where
    F: Fn(http::Request<Bytes>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<http::Response<Bytes>, TransportError>> + Send + 'static,
{
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin((self.0)(request))
    }
}
