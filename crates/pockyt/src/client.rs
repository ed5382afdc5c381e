//! The client: validate → add identity → sign → encode → send with timeouts and retries → decode.

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use http::uri::{Authority, PathAndQuery, Scheme, Uri};
use pockyt_transport::{Transport, TransportError, TransportErrorKind};
use pockyt_types::{Endpoint, Envelope, TranQueryRequest, TranQueryResponse};
use tokio::time::Instant;

use crate::config::Config;
use crate::error::{Error, remaining};
use crate::options::CallOptions;

/// The Pockyt API client. Cheap to clone (an `Arc` inside); `Send + Sync`, so share one per
/// merchant account across tasks.
///
/// Every call goes through [`Client::send`]; the named methods (`secure_pay`, `refund`, …) are
/// shorthands for it.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    /// This view's overrides (none for a client as built).
    options: CallOptions,
}

struct Inner {
    config: Config,
    transport: Arc<dyn Transport>,
    /// The headers every request carries, built once: cloning a map is cheaper than filling one.
    headers: HeaderMap,
    /// The base URL's scheme and authority (validation refuses a path), so an endpoint's URI is
    /// put together from parts instead of formatted and parsed again on every call.
    origin: (Scheme, Authority),
}

/// Builds a [`Client`] with a transport of your choice.
pub struct ClientBuilder {
    config: Config,
    transport: Option<Arc<dyn Transport>>,
}

impl ClientBuilder {
    /// Uses `transport` instead of the built-in one. Timeouts, retries, signing and decoding still
    /// apply; the transport makes one attempt per call.
    pub fn transport(mut self, transport: impl Transport) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Uses a shared transport.
    pub fn shared_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        self.config.validate()?;
        let transport = match self.transport {
            Some(transport) => transport,
            None => default_transport(&self.config)?,
        };
        let user_agent = HeaderValue::from_str(&self.config.user_agent)
            .unwrap_or_else(|_| HeaderValue::from_static(crate::config::USER_AGENT));
        // Room for what a transport adds (host, content-length) without regrowing the clone.
        let mut headers = HeaderMap::with_capacity(8);
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, user_agent);
        let origin = origin(self.config.environment.base_url())?;
        Ok(Client {
            inner: Arc::new(Inner {
                config: self.config,
                transport,
                headers,
                origin,
            }),
            options: CallOptions::default(),
        })
    }
}

/// The scheme and authority of a validated base URL.
fn origin(base_url: &str) -> Result<(Scheme, Authority), crate::ConfigError> {
    let parts = base_url.parse::<Uri>().ok().map(Uri::into_parts);
    parts
        .and_then(|p| p.scheme.zip(p.authority))
        .ok_or_else(|| crate::ConfigError::BaseUrl {
            url: base_url.to_owned(),
            reason: "not a valid URL",
        })
}

#[cfg(feature = "hyper")]
fn default_transport(config: &Config) -> Result<Arc<dyn Transport>, Error> {
    let transport = pockyt_transport::HyperTransport::builder()
        .connect_timeout(config.timeouts.connect)
        .build()
        .map_err(|e| crate::ConfigError::Transport(e.to_string()))?;
    Ok(Arc::new(transport))
}

#[cfg(not(feature = "hyper"))]
fn default_transport(_: &Config) -> Result<Arc<dyn Transport>, Error> {
    Err(crate::ConfigError::Transport(
        "the `hyper` feature is off: pass a transport with ClientBuilder::transport".into(),
    )
    .into())
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client over the built-in HTTPS transport.
    pub fn new(config: Config) -> Result<Self, Error> {
        Self::builder(config).build()
    }

    /// A builder, to choose the transport.
    pub fn builder(config: Config) -> ClientBuilder {
        ClientBuilder {
            config,
            transport: None,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// A view of this client whose calls use `options` on top of the client's timeouts and retry
    /// policy: the same connections, key and configuration, for the price of an `Arc` clone.
    /// Fails if the merged timeouts are zero or the attempt timeout exceeds the deadline.
    pub fn with_options(&self, options: CallOptions) -> Result<Client, Error> {
        options.validate(self.inner.config.timeouts)?;
        Ok(Client {
            inner: self.inner.clone(),
            options,
        })
    }

    /// This view's overrides (empty for a client as built).
    pub fn options(&self) -> &CallOptions {
        &self.options
    }

    /// Sends any request and returns its typed result.
    ///
    /// A success without a payload returns the response type's default (all fields absent).
    pub async fn send<E: Endpoint>(&self, request: &E) -> Result<E::Response, Error> {
        Ok(self
            .send_envelope(request)
            .await?
            .result
            .unwrap_or_default())
    }

    /// Sends any request and returns the whole envelope (code, message, payload).
    pub async fn send_envelope<E: Endpoint>(
        &self,
        request: &E,
    ) -> Result<Envelope<E::Response>, Error> {
        let call = async {
            let encoded = self.encode_request(request)?;
            let call = Call {
                name: E::NAME,
                path: E::PATH,
                idempotent: E::IDEMPOTENT,
            };
            let (response, attempts) = self.execute(call, encoded).await?;
            decode::<E>(&response, attempts)
        };
        #[cfg(feature = "tracing")]
        let call = traced::<E, _>(call);
        call.await
    }

    /// Looks a payment up by the merchant's `reference`: `Ok(None)` if the gateway has no such
    /// transaction (`000021`).
    ///
    /// This is the recovery after an ambiguous failure of a payment call (a timeout, a reset
    /// connection, a 5xx): there is no idempotency key, so find out whether the payment exists
    /// before sending it again.
    pub async fn find_by_reference(
        &self,
        reference: &str,
    ) -> Result<Option<TranQueryResponse>, Error> {
        match self
            .send(&TranQueryRequest::new().reference(reference))
            .await
        {
            Ok(found) => Ok(Some(found)),
            Err(Error::Api {
                ret_code: pockyt_types::RetCode::NoRecord,
                ..
            }) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// Builds the signed HTTP request for `request` without sending it (validation included).
    pub fn encode<E: Endpoint>(&self, request: &E) -> Result<http::Request<Bytes>, Error> {
        Ok(self.http_request(&self.encode_request(request)?))
    }

    fn encode_request<E: Endpoint>(&self, request: &E) -> Result<Encoded, Error> {
        request.validate()?;
        let wire = request.wire_pairs();
        let pairs = self.inner.config.identity.signing_pairs(request, &wire);
        self.encode_pairs(E::PATH, pairs)
    }

    /// One attempt's request: a POST of `encoded` with the client's headers.
    fn http_request(&self, encoded: &Encoded) -> http::Request<Bytes> {
        let mut request = http::Request::new(encoded.body.clone());
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = encoded.uri.clone();
        *request.headers_mut() = self.inner.headers.clone();
        request
    }

    /// The endpoint's full URI on the configured base URL.
    fn uri(&self, path: &str) -> Result<Uri, Error> {
        let invalid = || crate::ConfigError::BaseUrl {
            url: format!("{}{path}", self.inner.config.environment.base_url()),
            reason: "not a valid URL",
        };
        let (scheme, authority) = &self.inner.origin;
        let mut parts = http::uri::Parts::default();
        parts.scheme = Some(scheme.clone());
        parts.authority = Some(authority.clone());
        parts.path_and_query = Some(PathAndQuery::try_from(path).map_err(|_| invalid())?);
        Ok(Uri::from_parts(parts).map_err(|_| invalid())?)
    }

    /// Signs `pairs` (identity included) and builds the body, with the lower crates' own
    /// functions: what a custom stack does too.
    fn encode_pairs<'a>(
        &self,
        path: &str,
        pairs: impl ExactSizeIterator<Item = (&'a str, &'a str)> + Clone,
    ) -> Result<Encoded, Error> {
        let len = pairs.len();
        let signature = pockyt_sign::sign(pairs.clone(), &self.inner.config.key)?;
        let hex = signature.to_hex();
        // Lowercase hex digits are ASCII; the fallback can never be taken.
        let hex = std::str::from_utf8(&hex).unwrap_or_default();
        let body = pockyt_types::json_body(pairs, hex, len);
        Ok(Encoded {
            uri: self.uri(path)?,
            body: Bytes::from(body),
        })
    }

    /// Sends any path with any parameters (identity and signature added) and returns the raw HTTP
    /// response, whatever its `ret_code`: for tools such as `pockyt call`, and for endpoints this
    /// version does not model. Never retried after it may have reached the gateway, since the
    /// client cannot know whether the call is read-only.
    pub async fn send_raw(
        &self,
        path: &str,
        params: &[(&str, &str)],
    ) -> Result<http::Response<Bytes>, Error> {
        if !path.starts_with('/') {
            return Err(Error::InvalidPath {
                path: path.to_owned(),
            });
        }
        let pairs = self
            .inner
            .config
            .identity
            .with_pairs(params.iter().copied(), false);
        let encoded = self.encode_pairs(path, pairs)?;
        let call = Call {
            name: "raw",
            path,
            idempotent: false,
        };
        Ok(self.execute(call, encoded).await?.0)
    }

    /// Sends with the attempt timeout, the overall deadline and the retry policy.
    async fn execute(
        &self,
        call: Call<'_>,
        encoded: Encoded,
    ) -> Result<(http::Response<Bytes>, u32), Error> {
        let config = &self.inner.config;
        let timeouts = self.options.timeouts(config.timeouts);
        let retry = self.options.retry_policy(&config.retry);
        let deadline = Instant::now() + timeouts.overall;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let budget = remaining(deadline);
            let per_attempt = timeouts.attempt.min(budget);
            let request = self.http_request(&encoded);
            let started = Instant::now();
            let outcome =
                tokio::time::timeout(per_attempt, self.inner.transport.send(request)).await;
            trace_attempt(&call, attempt, &outcome, started);
            let failure = match outcome {
                Ok(Ok(response)) if Failure::worth_retrying(response.status()) => {
                    Failure::Status(response)
                }
                Ok(Ok(response)) => return Ok((response, attempt)),
                Ok(Err(error)) if is_final(&error) => {
                    return Err(Error::Transport {
                        error,
                        attempts: attempt,
                    });
                }
                Ok(Err(error)) => Failure::Transport(error),
                Err(_) => Failure::Timeout {
                    overall: per_attempt < timeouts.attempt,
                },
            };
            let maybe_sent = failure.maybe_sent();
            // A 429 or 503 may say when to come back; that replaces the back-off, and if it is
            // past the deadline the call fails at once with the wait in the error.
            let wait = failure
                .retry_after()
                .unwrap_or_else(|| retry.backoff_after(attempt));
            if !retry.allows(attempt, call.idempotent, maybe_sent) || wait >= remaining(deadline) {
                return failure.into_result(attempt);
            }
            tokio::time::sleep(wait).await;
        }
    }
}

/// Failures that another attempt cannot fix.
fn is_final(error: &TransportError) -> bool {
    matches!(
        error.kind(),
        TransportErrorKind::Tls | TransportErrorKind::BodyTooLarge | TransportErrorKind::Other
    )
}

/// A failed attempt that might be retried.
enum Failure {
    Transport(TransportError),
    Timeout {
        overall: bool,
    },
    /// A 5xx or 429 answer, kept whole so the last one can be decoded into an error with a snippet.
    Status(http::Response<Bytes>),
}

impl Failure {
    /// Whether an answer is worth another attempt: 5xx, or 429.
    fn worth_retrying(status: http::StatusCode) -> bool {
        status.is_server_error() || status == http::StatusCode::TOO_MANY_REQUESTS
    }

    /// 5xx may have been acted on; 429 was refused before any processing.
    fn maybe_sent(&self) -> bool {
        match self {
            Failure::Transport(error) => error.request_may_have_been_sent(),
            Failure::Timeout { .. } => true,
            Failure::Status(response) => response.status() != http::StatusCode::TOO_MANY_REQUESTS,
        }
    }

    fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            Failure::Status(response) => crate::retry::retry_after(
                response.status(),
                response.headers(),
                std::time::SystemTime::now(),
            ),
            _ => None,
        }
    }

    fn into_result(self, attempts: u32) -> Result<(http::Response<Bytes>, u32), Error> {
        match self {
            Failure::Transport(error) => Err(Error::Transport { error, attempts }),
            Failure::Timeout { overall } => Err(Error::Timeout {
                attempts,
                overall,
                maybe_sent: true,
            }),
            // The caller decodes the status into an error with the body's snippet.
            Failure::Status(response) => Ok((response, attempts)),
        }
    }
}

/// A signed call, ready to be sent as many times as the retry policy allows.
struct Encoded {
    uri: Uri,
    body: Bytes,
}

/// Status first, envelope second, typed payload last (by [`pockyt_types::decode_response`], the
/// same function a custom stack uses), so each failure gets its own error.
pub(crate) fn decode<E: Endpoint>(
    response: &http::Response<Bytes>,
    attempts: u32,
) -> Result<Envelope<E::Response>, Error> {
    let status = response.status();
    pockyt_types::decode_response::<E>(status.as_u16(), response.body()).map_err(|error| {
        let wait =
            crate::retry::retry_after(status, response.headers(), std::time::SystemTime::now());
        Error::from_response(error, attempts, wait)
    })
}

/// What the retry loop and the traces need to know about a call.
struct Call<'a> {
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    name: &'static str,
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    path: &'a str,
    idempotent: bool,
}

#[cfg(feature = "tracing")]
fn trace_attempt(
    call: &Call<'_>,
    attempt: u32,
    outcome: &Result<Result<http::Response<Bytes>, TransportError>, tokio::time::error::Elapsed>,
    started: Instant,
) {
    let latency_ms = started.elapsed().as_millis() as u64;
    match outcome {
        Ok(Ok(response)) => tracing::debug!(
            endpoint = call.name,
            path = call.path,
            attempt,
            status = response.status().as_u16(),
            latency_ms,
            "pockyt attempt answered"
        ),
        Ok(Err(error)) => tracing::debug!(
            endpoint = call.name, path = call.path, attempt, kind = ?error.kind(), latency_ms,
            "pockyt attempt failed"
        ),
        Err(_) => tracing::debug!(
            endpoint = call.name,
            path = call.path,
            attempt,
            latency_ms,
            "pockyt attempt timed out"
        ),
    }
}

/// Runs a call inside a `pockyt.call` span and records its outcome: code and latency, never data.
#[cfg(feature = "tracing")]
async fn traced<E: Endpoint, T>(
    call: impl std::future::Future<Output = Result<Envelope<T>, Error>>,
) -> Result<Envelope<T>, Error> {
    use tracing::Instrument;
    let span = tracing::info_span!("pockyt.call", endpoint = E::NAME, path = E::PATH);
    let started = Instant::now();
    let result = call.instrument(span.clone()).await;
    let latency_ms = started.elapsed().as_millis() as u64;
    let _entered = span.enter();
    match &result {
        Ok(envelope) => {
            tracing::info!(ret_code = %envelope.ret_code, latency_ms, "pockyt call succeeded")
        }
        Err(error) => tracing::warn!(
            ret_code = error.ret_code().map(|c| c.as_str()).unwrap_or("-"),
            retryable = error.is_retryable(),
            latency_ms,
            "pockyt call failed"
        ),
    }
    result
}

#[cfg(not(feature = "tracing"))]
fn trace_attempt(
    _: &Call<'_>,
    _: u32,
    _: &Result<Result<http::Response<Bytes>, TransportError>, tokio::time::error::Elapsed>,
    _: Instant,
) {
}
