//! The default transport: hyper 1 + hyper-util's pooled client over rustls.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};
use rustls::pki_types::CertificateDer;

use crate::proxy::{ProxyChoice, ProxyConnector, ProxyError};
use crate::{BoxFuture, DEFAULT_MAX_RESPONSE_BYTES, Transport, TransportError, TransportErrorKind};

/// The default [`Transport`]: hyper 1 and hyper-util's pooled client, HTTP/1.1 keep-alive, rustls.
///
/// Cheap to clone (clones share the connection pool). Needs a Tokio runtime to send.
///
/// ```no_run
/// # async fn example() -> Result<(), pockyt_transport::TransportError> {
/// use std::time::Duration;
/// use pockyt_transport::HyperTransport;
///
/// let transport = HyperTransport::builder()
///     .connect_timeout(Duration::from_secs(5))
///     .max_response_bytes(256 * 1024)
///     .build()?;
/// # let _ = transport; Ok(()) }
/// ```
#[derive(Clone)]
pub struct HyperTransport {
    client: Client<HttpsConnector<ProxyConnector>, Full<Bytes>>,
    max_response_bytes: usize,
}

impl HyperTransport {
    /// A transport with the defaults: 10 s connect timeout, 90 s pool idle timeout, 1 MiB body cap,
    /// the built-in root certificates.
    pub fn new() -> Result<Self, TransportError> {
        Self::builder().build()
    }

    /// A builder to change the defaults.
    pub fn builder() -> HyperTransportBuilder {
        HyperTransportBuilder::default()
    }
}

impl fmt::Debug for HyperTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperTransport")
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

/// Settings for a [`HyperTransport`].
#[derive(Clone)]
pub struct HyperTransportBuilder {
    connect_timeout: Option<Duration>,
    pool_idle_timeout: Option<Duration>,
    pool_max_idle_per_host: usize,
    max_response_bytes: usize,
    built_in_roots: bool,
    extra_roots: Vec<Vec<u8>>,
    proxy: ProxyChoice,
}

impl Default for HyperTransportBuilder {
    fn default() -> Self {
        Self {
            connect_timeout: Some(Duration::from_secs(10)),
            pool_idle_timeout: Some(Duration::from_secs(90)),
            pool_max_idle_per_host: usize::MAX,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            built_in_roots: true,
            extra_roots: Vec::new(),
            proxy: ProxyChoice::Environment,
        }
    }
}

impl fmt::Debug for HyperTransportBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperTransportBuilder")
            .field("connect_timeout", &self.connect_timeout)
            .field("pool_idle_timeout", &self.pool_idle_timeout)
            .field("pool_max_idle_per_host", &self.pool_max_idle_per_host)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("built_in_roots", &self.built_in_roots)
            .field("extra_roots", &self.extra_roots.len())
            .field("proxy", &self.proxy)
            .finish()
    }
}

impl HyperTransportBuilder {
    /// How long to wait for a TCP connection (default 10 s). `None` waits forever (the client's
    /// attempt timeout still applies).
    pub fn connect_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.connect_timeout = timeout.into();
        self
    }

    /// How long an idle pooled connection is kept (default 90 s). `None` keeps it until the server
    /// closes it.
    pub fn pool_idle_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.pool_idle_timeout = timeout.into();
        self
    }

    /// The most idle connections kept per host (default: no limit). `0` disables pooling.
    pub fn pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.pool_max_idle_per_host = max;
        self
    }

    /// The largest response body accepted (default 1 MiB). Reading stops as soon as the cap is
    /// passed; the body is never buffered beyond it.
    pub fn max_response_bytes(mut self, max: usize) -> Self {
        self.max_response_bytes = max;
        self
    }

    /// Trusts an additional root certificate (DER), e.g. a private gateway's or a test's.
    pub fn add_root_certificate_der(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.extra_roots.push(der.into());
        self
    }

    /// Whether to trust the built-in roots (Mozilla's with `webpki-roots`, the system's with
    /// `rustls-native-roots`). Default `true`; turn off to trust only added certificates.
    pub fn built_in_roots(mut self, enabled: bool) -> Self {
        self.built_in_roots = enabled;
        self
    }

    /// Sends every HTTPS request through this HTTP proxy's CONNECT tunnel, whatever the
    /// environment says: `http://host:port`, or `http://user:password@host:port` to send
    /// `Proxy-Authorization` (the credentials never appear in `Debug` or errors). The scheme may
    /// be left out, as curl allows; `/ ? # @ : %` and spaces in the user name or password must be
    /// percent-encoded (`%2F` …). [`HyperTransportBuilder::build`] refuses a URL that does not
    /// parse, has a path, query or fragment, or another scheme, without quoting it. Unlike the
    /// environment's settings, it applies to loopback hosts too.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = ProxyChoice::Url(url.into());
        self
    }

    /// No proxy, whatever the environment says.
    pub fn no_proxy(mut self) -> Self {
        self.proxy = ProxyChoice::Off;
        self
    }

    /// Reads the proxy variables through `lookup` instead of the process environment (for tests
    /// and other configuration sources), the same way as the default: `HTTPS_PROXY` (or
    /// `https_proxy`), else `ALL_PROXY` (or `all_proxy`), minus the hosts in `NO_PROXY` (or
    /// `no_proxy`), as curl reads them. `HTTP_PROXY` applies to plain-http URLs only, and the
    /// client sends plain http only to loopback hosts, which are never proxied.
    pub fn proxy_from_lookup(
        mut self,
        lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.proxy = ProxyChoice::Lookup(Arc::new(lookup));
        self
    }

    /// Builds the transport. Fails if an added certificate is not valid DER, no TLS configuration
    /// can be made, or the proxy URL cannot be used. By default, the proxy comes from the
    /// environment (see [`HyperTransportBuilder::proxy_from_lookup`]).
    pub fn build(self) -> Result<HyperTransport, TransportError> {
        let tls = self.tls_config()?;
        let matcher = self.proxy.matcher().map_err(|reason| {
            TransportError::new(TransportErrorKind::Proxy, false).with_detail(reason)
        })?;
        let mut http = HttpConnector::new();
        http.set_connect_timeout(self.connect_timeout);
        http.set_nodelay(true);
        // hyper-rustls decides between http and https; the connector must accept both schemes.
        http.enforce_http(false);
        let connector = ProxyConnector {
            http,
            matcher: matcher.map(Arc::new),
            skip_loopback: self.proxy.skips_loopback(),
        };
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(connector);
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(self.pool_idle_timeout)
            .pool_max_idle_per_host(self.pool_max_idle_per_host)
            .pool_timer(TokioTimer::new())
            .build(https);
        Ok(HyperTransport {
            client,
            max_response_bytes: self.max_response_bytes,
        })
    }

    fn tls_config(&self) -> Result<rustls::ClientConfig, TransportError> {
        let tls_error =
            |e: rustls::Error| TransportError::new(TransportErrorKind::Tls, false).with_source(e);
        let mut roots = rustls::RootCertStore::empty();
        if self.built_in_roots {
            add_built_in_roots(&mut roots);
        }
        for der in &self.extra_roots {
            roots.add(CertificateDer::from(der.clone())).map_err(|e| {
                tls_error(e).with_detail("an added root certificate is not valid DER")
            })?;
        }
        Ok(
            rustls::ClientConfig::builder_with_provider(crypto_provider())
                .with_safe_default_protocol_versions()
                .map_err(tls_error)?
                .with_root_certificates(roots)
                .with_no_client_auth(),
        )
    }
}

fn add_built_in_roots(roots: &mut rustls::RootCertStore) {
    #[cfg(feature = "webpki-roots")]
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    #[cfg(feature = "rustls-native-roots")]
    for cert in rustls_native_certs::load_native_certs().certs {
        // A system certificate rustls cannot parse is skipped, as browsers do.
        let _ = roots.add(cert);
    }
    let _ = roots;
}

// aws-lc wins when both providers are on. ring arrives with default features, so it may be on only
// because nobody turned the defaults off somewhere in the dependency graph; aws-lc is never a
// default, so when it is on, someone chose it (often for a FIPS build) and must get it.
#[cfg(feature = "rustls-aws-lc")]
fn crypto_provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::aws_lc_rs::default_provider())
}

#[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc")))]
fn crypto_provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

// Never compiled into a build: lib.rs stops this feature set with a `compile_error!`. It exists so
// that the error is the only one the user sees.
#[cfg(not(any(feature = "rustls-ring", feature = "rustls-aws-lc")))]
fn crypto_provider() -> Arc<rustls::crypto::CryptoProvider> {
    unreachable!("refused by compile_error! in lib.rs")
}

impl Transport for HyperTransport {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        Box::pin(async move {
            let host = request
                .uri()
                .authority()
                .map(|a| a.as_str().to_owned())
                .unwrap_or_default();
            let response = self
                .client
                .request(request.map(Full::new))
                .await
                .map_err(|e| classify(e, &host))?;
            read_capped(response, self.max_response_bytes).await
        })
    }
}

/// Buffers the body, stopping as soon as it passes `max` bytes.
async fn read_capped(
    response: http::Response<hyper::body::Incoming>,
    max: usize,
) -> Result<http::Response<Bytes>, TransportError> {
    let too_large = || {
        TransportError::new(TransportErrorKind::BodyTooLarge, true)
            .with_detail(format!("the limit is {max} bytes"))
    };
    let (parts, mut body) = response.into_parts();
    let declared = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > max as u64) {
        return Err(too_large());
    }
    let mut buf = BytesMut::with_capacity(declared.map_or(8 * 1024, |len| len as usize));
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(TransportError::io)?;
        if let Ok(data) = frame.into_data() {
            if buf.len() + data.len() > max {
                return Err(too_large());
            }
            buf.extend_from_slice(&data);
        }
    }
    Ok(http::Response::from_parts(parts, buf.freeze()))
}

/// Maps hyper-util's error to a kind, decides whether the request may have left, and says where
/// and why in the detail (hyper-util's own message is only "client error (Connect)").
fn classify(err: hyper_util::client::legacy::Error, host: &str) -> TransportError {
    let why = cause(&err);
    let detail = if host.is_empty() {
        why
    } else {
        format!("{host}: {why}")
    };
    classify_kind(err).with_detail(detail)
}

/// The innermost cause's message, looking inside `io::Error` wrappers; DNS failures say so.
fn cause(err: &(dyn StdError + 'static)) -> String {
    let mut innermost = err;
    let mut dns = false;
    let mut current = Some(err);
    while let Some(e) = current {
        dns |= e.to_string().starts_with("dns error");
        innermost = e;
        if e.is::<ProxyError>() {
            // The proxy's words say which hop failed; what lies below is the tunnel's account,
            // still in the chain for whoever walks it.
            break;
        }
        current = match e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner),
            None => e.source(),
        };
    }
    let message = innermost.to_string();
    let message = match innermost
        .downcast_ref::<std::io::Error>()
        .map(|io| io.kind())
    {
        Some(std::io::ErrorKind::ConnectionRefused) => "connection refused".to_owned(),
        Some(std::io::ErrorKind::ConnectionReset) => "connection reset".to_owned(),
        _ => message,
    };
    if dns && !message.to_ascii_lowercase().contains("dns") {
        format!("DNS lookup failed: {message}")
    } else {
        message
    }
}

fn classify_kind(err: hyper_util::client::legacy::Error) -> TransportError {
    if err.is_connect() {
        let kind = if chain_has(&err, |e| e.is::<ProxyError>()) {
            TransportErrorKind::Proxy
        } else if chain_has(&err, |e| e.is::<rustls::Error>()) {
            TransportErrorKind::Tls
        } else if chain_has(&err, |e| {
            e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
        }) {
            TransportErrorKind::Timeout
        } else {
            TransportErrorKind::Connect
        };
        return TransportError::new(kind, false).with_source(err);
    }
    TransportError::io(err)
}

/// Whether any error in the chain satisfies `test`, looking inside `io::Error` wrappers too
/// (their `source()` skips the wrapped error itself).
fn chain_has(
    err: &(dyn StdError + 'static),
    test: impl Fn(&(dyn StdError + 'static)) -> bool,
) -> bool {
    let mut current = Some(err);
    while let Some(e) = current {
        if test(e) {
            return true;
        }
        current = match e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            // Step into the wrapped error itself (which may be another io::Error).
            Some(inner) => Some(inner),
            None => e.source(),
        };
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_rustls_errors_inside_nested_io_errors() {
        let tls = rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
        let inner = std::io::Error::new(std::io::ErrorKind::InvalidData, tls);
        let outer = std::io::Error::other(inner);
        let boxed: Box<dyn StdError + Send + Sync> = Box::new(outer);
        assert!(chain_has(&*boxed, |e| e.is::<rustls::Error>()));
    }
}
