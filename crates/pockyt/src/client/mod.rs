//! The client, and the phases of a call as smithy's orchestrator names them: [`encode`]
//! (validate, identity, sign, body), [`execute`] (attempts under the deadline, with the retry
//! policy), [`decode`] (status, envelope, typed payload) and [`trace`] (spans, never data).
//! Whether an attempt's outcome is worth another attempt is decided once, in
//! [`crate::retry::classify`].
//!
//! Each phase is an `impl Client` block in its own file, so the phases reach up to [`Client`]
//! (the one upward import here) and this module calls them as methods, never by path.

mod decode;
mod encode;
mod execute;
mod recover;
mod trace;

pub use recover::Resolution;

use std::fmt;
use std::sync::Arc;

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use http::uri::{Authority, Scheme, Uri};
use pockyt_transport::Transport;
use pockyt_types::{Endpoint, Envelope, TranQueryRequest, TranQueryResponse};

use crate::config::Config;
use crate::error::Error;
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
        .map_err(|e| crate::ConfigError::Transport(Arc::new(e)))?;
    Ok(Arc::new(transport))
}

#[cfg(not(feature = "hyper"))]
fn default_transport(_: &Config) -> Result<Arc<dyn Transport>, Error> {
    Err(crate::ConfigError::NoTransport.into())
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
            Self::decode::<E>(&response, attempts)
        };
        Self::traced(E::NAME, E::PATH, call).await
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
}

/// What the retry loop and the traces need to know about a call.
pub(crate) struct Call<'a> {
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    pub(crate) name: &'static str,
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    pub(crate) path: &'a str,
    pub(crate) idempotent: bool,
}
