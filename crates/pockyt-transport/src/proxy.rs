//! Proxies: an HTTPS request to the gateway goes through an HTTP proxy's CONNECT tunnel when the
//! environment (`HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`, as curl reads them) or the builder says so.
//! The tunnel and the matching rules are hyper-util's; this file only wires them in front of the
//! TCP connector and names the proxy's failures.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::Uri;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower_service::Service;

/// Reads a variable by name (the environment, or a test's).
pub(crate) type Lookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Where the proxy settings come from.
#[derive(Clone, Default)]
pub(crate) enum ProxyChoice {
    /// `HTTPS_PROXY` / `https_proxy`, `ALL_PROXY` / `all_proxy`, `NO_PROXY` / `no_proxy`.
    #[default]
    Environment,
    /// Variables read through a function (tests, other sources).
    Lookup(Lookup),
    /// This proxy for every HTTPS request.
    Url(String),
    /// No proxy, whatever the environment says.
    Off,
}

impl fmt::Debug for ProxyChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Environment => f.write_str("Environment"),
            Self::Lookup(_) => f.write_str("Lookup"),
            Self::Url(url) => f.debug_tuple("Url").field(&redacted(url)).finish(),
            Self::Off => f.write_str("Off"),
        }
    }
}

/// `http://user:pass@host:3128` → `http://<redacted>@host:3128`: credentials never print.
pub(crate) fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://<redacted>@{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

impl ProxyChoice {
    /// Whether loopback hosts bypass this proxy: the environment's settings must not divert the
    /// simulator or a local handler; a proxy given in code applies to every host.
    pub(crate) fn skips_loopback(&self) -> bool {
        !matches!(self, Self::Url(_))
    }

    /// The matcher for this choice, `None` for no proxy at all.
    pub(crate) fn matcher(&self) -> Result<Option<Matcher>, String> {
        let from = |lookup: &dyn Fn(&str) -> Option<String>| {
            let first = |names: [&str; 2]| {
                names
                    .into_iter()
                    .find_map(|n| lookup(n).filter(|v| !v.is_empty()))
            };
            let https =
                first(["HTTPS_PROXY", "https_proxy"]).or_else(|| first(["ALL_PROXY", "all_proxy"]));
            let no = first(["NO_PROXY", "no_proxy"]).unwrap_or_default();
            https.map(|url| (url, no))
        };
        let (url, no) = match self {
            Self::Off => return Ok(None),
            Self::Url(url) => (url.clone(), String::new()),
            Self::Environment => match from(&|name| std::env::var(name).ok()) {
                Some(found) => found,
                None => return Ok(None),
            },
            Self::Lookup(lookup) => match from(lookup.as_ref()) {
                Some(found) => found,
                None => return Ok(None),
            },
        };
        check_url(&url)?;
        Ok(Some(Matcher::builder().https(url).no(no).build()))
    }
}

/// A proxy URL must be `http://[user:pass@]host[:port]`: the tunnel to it is plain TCP.
fn check_url(url: &str) -> Result<(), String> {
    let uri: Uri = url
        .parse()
        .map_err(|_| format!("proxy `{}` is not a URL", redacted(url)))?;
    match (uri.scheme_str(), uri.host()) {
        (Some("http"), Some(_)) => Ok(()),
        (Some(other), Some(_)) => Err(format!(
            "proxy `{}`: only http:// proxies are supported (a CONNECT tunnel), not {other}://",
            redacted(url)
        )),
        _ => Err(format!("proxy `{}` has no scheme or host", redacted(url))),
    }
}

/// Loopback destinations (the simulator, a local IPN handler) are never proxied by the
/// environment's settings; an explicit proxy takes them too.
fn is_loopback(dst: &Uri) -> bool {
    let host = dst.host().unwrap_or_default();
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The TCP connector, with a CONNECT tunnel in front when the matcher says so.
#[derive(Clone)]
pub(crate) struct ProxyConnector {
    pub(crate) http: HttpConnector,
    pub(crate) matcher: Option<Arc<Matcher>>,
    /// Whether loopback hosts bypass the proxy (yes for the environment's settings).
    pub(crate) skip_loopback: bool,
}

type Connecting = Pin<
    Box<dyn Future<Output = Result<TokioIo<TcpStream>, Box<dyn StdError + Send + Sync>>> + Send>,
>;

impl Service<Uri> for ProxyConnector {
    type Response = TokioIo<TcpStream>;
    type Error = Box<dyn StdError + Send + Sync>;
    type Future = Connecting;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.http.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let intercept = self
            .matcher
            .as_ref()
            .filter(|_| !(self.skip_loopback && is_loopback(&dst)))
            .and_then(|m| m.intercept(&dst));
        let Some(intercept) = intercept else {
            let connecting = self.http.call(dst);
            return Box::pin(async move { connecting.await.map_err(Into::into) });
        };
        let proxy = intercept.uri().clone();
        let mut tunnel = Tunnel::new(proxy.clone(), self.http.clone());
        if let Some(auth) = intercept.basic_auth() {
            tunnel = tunnel.with_auth(auth.clone());
        }
        Box::pin(async move {
            std::future::poll_fn(|cx| tunnel.poll_ready(cx))
                .await
                .map_err(|error| ProxyError::boxed(&proxy, error))?;
            tunnel
                .call(dst)
                .await
                .map_err(|error| ProxyError::boxed(&proxy, error))
        })
    }
}

/// The proxy refused the tunnel or could not be reached; the request was not sent.
#[derive(Debug)]
pub(crate) struct ProxyError {
    /// The proxy, without credentials.
    proxy: String,
    reason: String,
}

impl ProxyError {
    /// Names hyper-util's tunnel error (its type is not exported, so by its message).
    fn boxed(proxy: &Uri, error: impl StdError) -> Box<dyn StdError + Send + Sync> {
        let text = error.to_string();
        let reason = if text.contains("proxy authorization required") {
            "it requires authentication (HTTP 407): give the proxy as http://user:password@host:port"
                .to_owned()
        } else if text.contains("unsuccessful") {
            "it refused the tunnel (an answer other than 200, e.g. 403 or 502)".to_owned()
        } else if text.contains("failed to create underlying connection") {
            match error.source() {
                Some(cause) => format!("it cannot be reached: {cause}"),
                None => "it cannot be reached".to_owned(),
            }
        } else {
            format!("the tunnel failed: {text}")
        };
        let host = proxy.authority().map(|a| a.as_str()).unwrap_or_default();
        let host = host.rsplit('@').next().unwrap_or(host);
        Box::new(ProxyError {
            proxy: host.to_owned(),
            reason,
        })
    }
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "proxy {}: {}", self.proxy, self.reason)
    }
}

impl StdError for ProxyError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_print() {
        assert_eq!(
            redacted("http://user:s3cret@proxy.example:3128"),
            "http://<redacted>@proxy.example:3128"
        );
        assert_eq!(
            redacted("http://proxy.example:3128"),
            "http://proxy.example:3128"
        );
        let choice = ProxyChoice::Url("http://user:s3cret@proxy.example:3128".into());
        let shown = format!("{choice:?}");
        assert!(
            !shown.contains("s3cret") && shown.contains("proxy.example:3128"),
            "{shown}"
        );
        let error = ProxyError::boxed(
            &"http://user:s3cret@proxy.example:3128".parse().unwrap(),
            std::io::Error::other("tunnel error: proxy authorization required"),
        );
        let text = error.to_string();
        assert!(
            text.starts_with("proxy proxy.example:3128: ") && text.contains("407"),
            "{text}"
        );
        assert!(!text.contains("s3cret"));
    }

    #[test]
    fn the_environment_is_read_as_curl_reads_it() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            ProxyChoice::Lookup(Arc::new(move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_owned())
            }))
        };
        let gateway: Uri = "https://mapi.yuansfer.com/x".parse().unwrap();
        let via = |choice: ProxyChoice| {
            choice
                .matcher()
                .unwrap()
                .and_then(|m| m.intercept(&gateway))
                .map(|i| i.uri().to_string())
        };
        assert_eq!(via(vars(&[])), None);
        assert_eq!(
            via(vars(&[("https_proxy", "http://p1:3128")])).as_deref(),
            Some("http://p1:3128/")
        );
        assert_eq!(
            via(vars(&[("ALL_PROXY", "http://p2:8080")])).as_deref(),
            Some("http://p2:8080/")
        );
        assert_eq!(
            via(vars(&[
                ("HTTPS_PROXY", "http://p1:3128"),
                ("NO_PROXY", "yuansfer.com")
            ])),
            None
        );
        assert_eq!(via(ProxyChoice::Off), None);
        let socks = ProxyChoice::Url("socks5://p:1080".into())
            .matcher()
            .unwrap_err();
        assert!(socks.contains("only http:// proxies"), "{socks}");
        // The environment never diverts loopback; a proxy given in code does.
        assert!(ProxyChoice::Environment.skips_loopback());
        assert!(vars(&[]).skips_loopback());
        assert!(!ProxyChoice::Url("http://p:1".into()).skips_loopback());
        let bad = ProxyChoice::Url("http://user:pw@".into())
            .matcher()
            .unwrap_err();
        assert!(!bad.contains("pw"), "{bad}");
        assert!(is_loopback(&"http://127.0.0.1:8080/".parse().unwrap()));
        assert!(is_loopback(&"https://localhost/".parse().unwrap()));
        assert!(!is_loopback(&gateway));
    }
}
