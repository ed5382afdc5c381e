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
            // Only what parsed, with the credentials replaced: never the text as given, which
            // may hold a password wherever a parser would not look for one.
            Self::Url(url) => match ProxyUrl::parse(url) {
                Ok(proxy) => f.debug_tuple("Url").field(&proxy.redacted()).finish(),
                Err(_) => f.write_str("Url(<not a usable proxy URL; not shown>)"),
            },
            Self::Off => f.write_str("Off"),
        }
    }
}

impl ProxyChoice {
    /// Whether loopback hosts bypass this proxy: the environment's settings must not divert the
    /// simulator or a local handler; a proxy given in code applies to every host.
    pub(crate) fn skips_loopback(&self) -> bool {
        !matches!(self, Self::Url(_))
    }

    /// The matcher for this choice, `None` for no proxy at all. The error names where the proxy
    /// came from and why it cannot be used, never the URL (it may hold a password).
    pub(crate) fn matcher(&self) -> Result<Option<Matcher>, String> {
        let from = |lookup: &dyn Fn(&str) -> Option<String>| {
            let first = |names: [&'static str; 2]| {
                names
                    .into_iter()
                    .find_map(|n| lookup(n).filter(|v| !v.is_empty()).map(|v| (n, v)))
            };
            let https =
                first(["HTTPS_PROXY", "https_proxy"]).or_else(|| first(["ALL_PROXY", "all_proxy"]));
            let no = first(["NO_PROXY", "no_proxy"])
                .map(|(_, v)| v)
                .unwrap_or_default();
            https.map(|(name, url)| (format!("in {name}"), url, no))
        };
        let (source, url, no) = match self {
            Self::Off => return Ok(None),
            Self::Url(url) => (
                "given to HyperTransportBuilder::proxy".to_owned(),
                url.clone(),
                String::new(),
            ),
            Self::Environment => match from(&|name| std::env::var(name).ok()) {
                Some(found) => found,
                None => return Ok(None),
            },
            Self::Lookup(lookup) => match from(lookup.as_ref()) {
                Some(found) => found,
                None => return Ok(None),
            },
        };
        let proxy = ProxyUrl::parse(&url).map_err(|error| format!("the URL {source}: {error}"))?;
        // hyper-util's matcher gets the URL re-written from the parsed parts, credentials
        // percent-encoded: its own reading (the first `@`, no check of the rest) then agrees with
        // this one whatever the password holds.
        Ok(Some(
            Matcher::builder().https(proxy.canonical()).no(no).build(),
        ))
    }
}

/// A proxy URL, parsed: `[http://][user[:password]@]host[:port][/]`.
///
/// Hand-written rather than a URL crate: the grammar a CONNECT proxy needs is this small, and
/// it must be stricter than a general parser (no path, query or fragment; no other scheme) and
/// report what is wrong without ever quoting the input. The reading follows RFC 3986 and the
/// WHATWG URL standard where they agree: the authority ends at the first `/`, `?` or `#`; the
/// user information ends at the authority's last `@` (a host holds none), the user name at its
/// first `:`; both are percent-decoded. Like curl, a URL without a scheme is taken as `http://`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct ProxyUrl {
    /// The host as written: a name, an IPv4 address, or an IPv6 address in brackets.
    host: String,
    port: Option<u16>,
    /// The user name and password, decoded; `None` without an `@`.
    credentials: Option<(String, Option<String>)>,
}

/// Why a proxy URL cannot be used. No variant holds any part of the URL: where the text stops
/// making sense, a password may be what is left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProxyUrlError {
    /// Whitespace or a control character (a URL holds none; a copied newline, often).
    Whitespace,
    /// A scheme other than http, by name when it is a known proxy scheme.
    Scheme(Option<&'static str>),
    /// Something after the host: a path, query or fragment, or an unencoded `/`, `?` or `#` in
    /// the user name or password.
    AfterHost,
    /// Nothing, or an `@` with nothing, before the host.
    EmptyUser,
    /// A `%` not followed by two hex digits, or an escape that does not decode to UTF-8.
    Escape,
    /// No host, or a host with characters no host name or address has.
    Host,
    /// A port that is not a number from 1 to 65535.
    Port,
}

impl fmt::Display for ProxyUrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const ENCODE: &str = "percent-encode `/ ? # @ : %` and spaces in a user name or password \
             (e.g. `/` as %2F, `@` as %40)";
        match self {
            Self::Whitespace => write!(
                f,
                "it contains whitespace or a control character (remove a copied newline; {ENCODE})"
            ),
            Self::Scheme(Some(scheme)) => write!(
                f,
                "only http:// proxies are supported (a CONNECT tunnel), not {scheme}://"
            ),
            Self::Scheme(None) => write!(
                f,
                "its scheme is not http:// (only http proxies are supported, a CONNECT tunnel)"
            ),
            Self::AfterHost => write!(
                f,
                "something follows the host:port (a path, query or fragment); give \
                 http://[user:password@]host[:port] and {ENCODE}"
            ),
            Self::EmptyUser => write!(f, "the user name before `@` is empty"),
            Self::Escape => write!(
                f,
                "a `%` in the user name or password does not start a valid UTF-8 escape like %2F"
            ),
            Self::Host => write!(
                f,
                "it has no valid host (a name, an IPv4 address or a bracketed IPv6 address); {ENCODE}"
            ),
            Self::Port => write!(f, "its port is not a number from 1 to 65535; {ENCODE}"),
        }
    }
}

impl fmt::Debug for ProxyUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl ProxyUrl {
    /// Parses a proxy URL; see the type's documentation for the grammar.
    pub(crate) fn parse(input: &str) -> Result<Self, ProxyUrlError> {
        if input.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ProxyUrlError::Whitespace);
        }
        let rest = match scheme(input) {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => rest,
            Some((scheme, _)) => {
                // Named only when it is a scheme someone would give a proxy: anything else
                // before `://` may be a user name.
                let known = ["https", "socks4", "socks4a", "socks5", "socks5h"]
                    .into_iter()
                    .find(|known| scheme.eq_ignore_ascii_case(known));
                return Err(ProxyUrlError::Scheme(known));
            }
            None => input,
        };
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, after) = rest.split_at(authority_end);
        if !matches!(after, "" | "/") {
            return Err(ProxyUrlError::AfterHost);
        }
        let (credentials, host_port) = match authority.rsplit_once('@') {
            Some((userinfo, host_port)) => {
                let (user, password) = match userinfo.split_once(':') {
                    Some((user, password)) => (user, Some(password)),
                    None => (userinfo, None),
                };
                if user.is_empty() {
                    return Err(ProxyUrlError::EmptyUser);
                }
                let password = password.map(percent_decode).transpose()?;
                (Some((percent_decode(user)?, password)), host_port)
            }
            None => (None, authority),
        };
        let (host, port) = host_and_port(host_port)?;
        Ok(Self {
            host: host.to_owned(),
            port,
            credentials,
        })
    }

    /// `host[:port]`, as the URL gave them.
    fn host_port(&self) -> String {
        match self.port {
            Some(port) => format!("{}:{port}", self.host),
            None => self.host.clone(),
        }
    }

    /// The URL for display: `http://<redacted>@host:port` when it has credentials.
    pub(crate) fn redacted(&self) -> String {
        let credentials = if self.credentials.is_some() {
            "<redacted>@"
        } else {
            ""
        };
        format!("http://{credentials}{}", self.host_port())
    }

    /// The URL rewritten from its parts, the user name and password percent-encoded (every
    /// byte but RFC 3986's unreserved ones), so that any URL reader splits it the same way.
    fn canonical(&self) -> String {
        let credentials = match &self.credentials {
            None => String::new(),
            Some((user, None)) => format!("{}@", percent_encode(user)),
            Some((user, Some(password))) => {
                format!("{}:{}@", percent_encode(user), percent_encode(password))
            }
        };
        format!("http://{credentials}{}", self.host_port())
    }
}

/// The scheme and what follows `://`, if the input starts with `scheme://` (RFC 3986's scheme
/// characters). `user:pass@host` has no scheme: `user` is not followed by `//`.
fn scheme(input: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = input.split_once("://")?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    let valid = first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some((scheme, rest))
}

/// Splits `host[:port]` and checks both: a bracketed IPv6 address, or a name or IPv4 address of
/// letters, digits, `-`, `.` and `_`; a port of 1 to 5 digits from 1 to 65535.
fn host_and_port(host_port: &str) -> Result<(&str, Option<u16>), ProxyUrlError> {
    let (host, port) = if let Some(bracketed) = host_port.strip_prefix('[') {
        let (address, after) = bracketed.split_once(']').ok_or(ProxyUrlError::Host)?;
        if address.parse::<std::net::Ipv6Addr>().is_err() {
            return Err(ProxyUrlError::Host);
        }
        let port = match after {
            "" => None,
            after => Some(after.strip_prefix(':').ok_or(ProxyUrlError::Port)?),
        };
        (&host_port[..address.len() + 2], port)
    } else {
        match host_port.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    let name_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_');
    if host.is_empty() || !(host.starts_with('[') || host.chars().all(name_char)) {
        return Err(ProxyUrlError::Host);
    }
    let port = match port {
        None => None,
        Some(port) => {
            let digits =
                !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit());
            match port.parse::<u16>() {
                Ok(port) if digits && port != 0 => Some(port),
                _ => return Err(ProxyUrlError::Port),
            }
        }
    };
    Ok((host, port))
}

/// Decodes `%XX` escapes; the result must be UTF-8 (it becomes a header's base64 text).
fn percent_decode(text: &str) -> Result<String, ProxyUrlError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte == b'%' {
            let hex = bytes.get(i + 1..i + 3).ok_or(ProxyUrlError::Escape)?;
            let hex = std::str::from_utf8(hex).map_err(|_| ProxyUrlError::Escape)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(ProxyUrlError::Escape);
            }
            out.push(u8::from_str_radix(hex, 16).map_err(|_| ProxyUrlError::Escape)?);
            i += 3;
        } else {
            out.push(byte);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| ProxyUrlError::Escape)
}

/// Encodes every byte but RFC 3986's unreserved ones as `%XX`.
fn percent_encode(text: &str) -> String {
    use fmt::Write;
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
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

/// The proxy refused the tunnel or could not be reached; the request was not sent. The tunnel's
/// own error is the `source()` (its words are fixed strings, never the proxy URL).
#[derive(Debug)]
pub(crate) struct ProxyError {
    /// The proxy, without credentials.
    proxy: String,
    reason: &'static str,
    source: Box<dyn StdError + Send + Sync>,
}

impl ProxyError {
    /// Names hyper-util's tunnel error (its type is not exported, so by its message).
    fn boxed(
        proxy: &Uri,
        error: impl StdError + Send + Sync + 'static,
    ) -> Box<dyn StdError + Send + Sync> {
        let text = error.to_string();
        let reason = if text.contains("proxy authorization required") {
            "it requires authentication (HTTP 407): give the proxy as http://user:password@host:port"
        } else if text.contains("unsuccessful") {
            "it refused the tunnel (an answer other than 200, e.g. 403 or 502)"
        } else if text.contains("failed to create underlying connection") {
            "it cannot be reached"
        } else {
            "the tunnel failed"
        };
        let host = proxy.authority().map(|a| a.as_str()).unwrap_or_default();
        let host = host.rsplit('@').next().unwrap_or(host);
        Box::new(ProxyError {
            proxy: host.to_owned(),
            reason,
            source: Box::new(error),
        })
    }
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "proxy {}: {}", self.proxy, self.reason)
    }
}

impl StdError for ProxyError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&*self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_print() {
        let shown = |url: &str| ProxyUrl::parse(url).unwrap().redacted();
        assert_eq!(
            shown("http://user:s3cret@proxy.example:3128"),
            "http://<redacted>@proxy.example:3128"
        );
        assert_eq!(
            shown("http://proxy.example:3128"),
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

    /// The password in every test below: a scrap of it in any output is a leak.
    const SECRET: &str = "s3cret";

    /// Every shape a proxy setting takes, with what it means. Issue 24, item 4: a scheme-less
    /// `user:pass@host:port` and a password holding `/`, `#`, `?` or `@` were shown whole in
    /// `Debug` and errors, and a `/` made the user name the proxy host.
    #[test]
    fn proxy_password_never_leaks_for_any_input_shape() {
        // Accepted: (input, host:port, user, password).
        let accepted: &[(&str, &str, &str, Option<&str>)] = &[
            (
                "http://alice:s3cret@proxy.internal:3128",
                "proxy.internal:3128",
                "alice",
                Some("s3cret"),
            ),
            (
                "alice:s3cret@proxy.internal:3128",
                "proxy.internal:3128",
                "alice",
                Some("s3cret"),
            ),
            (
                "HTTP://alice:s3cret@proxy.internal:3128/",
                "proxy.internal:3128",
                "alice",
                Some("s3cret"),
            ),
            (
                "http://alice:s3%2Fcret@proxy.internal:3128",
                "proxy.internal:3128",
                "alice",
                Some("s3/cret"),
            ),
            (
                "http://alice:s3%23cret@proxy.internal",
                "proxy.internal",
                "alice",
                Some("s3#cret"),
            ),
            (
                "http://alice:s3%3Fcret@10.0.0.1:8080",
                "10.0.0.1:8080",
                "alice",
                Some("s3?cret"),
            ),
            (
                "http://alice:s3@cret@proxy.internal:3128",
                "proxy.internal:3128",
                "alice",
                Some("s3@cret"),
            ),
            (
                "http://alice:s3:cret@[::1]:3128",
                "[::1]:3128",
                "alice",
                Some("s3:cret"),
            ),
            (
                "http://al%40ice:s3cret@proxy.internal:3128",
                "proxy.internal:3128",
                "al@ice",
                Some("s3cret"),
            ),
            (
                "http://alice@proxy.internal:3128",
                "proxy.internal:3128",
                "alice",
                None,
            ),
            (
                "http://alice:@proxy.internal:3128",
                "proxy.internal:3128",
                "alice",
                Some(""),
            ),
            (
                "http://alice:s3cr%C3%A9t@proxy.internal:3128",
                "proxy.internal:3128",
                "alice",
                Some("s3crét"),
            ),
        ];
        for &(input, host_port, user, password) in accepted {
            let proxy = ProxyUrl::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(proxy.host_port(), host_port, "{input}");
            let expected = (user.to_owned(), password.map(str::to_owned));
            assert_eq!(proxy.credentials, Some(expected), "{input}");
            let shown = format!("{proxy:?} {:?}", ProxyChoice::Url(input.to_owned()));
            assert!(
                !shown.contains(SECRET) && !shown.contains("s3"),
                "{input}: {shown}"
            );
            assert!(
                shown.contains(&format!("http://<redacted>@{host_port}")),
                "{shown}"
            );
            // hyper-util's matcher, given the canonical form, finds the same proxy and the same
            // credentials (as the Basic header of user:password).
            let matcher = ProxyChoice::Url(input.to_owned())
                .matcher()
                .unwrap()
                .unwrap();
            let intercept = matcher
                .intercept(&"https://mapi.yuansfer.com/".parse().unwrap())
                .unwrap();
            assert_eq!(
                intercept.uri().authority().unwrap().as_str(),
                host_port,
                "{input}"
            );
            let basic = format!("{user}:{}", password.unwrap_or(""));
            let header = intercept.basic_auth().unwrap().to_str().unwrap().to_owned();
            assert_eq!(
                header,
                format!("Basic {}", base64(basic.as_bytes())),
                "{input}"
            );
        }
        // Refused, and the error shows no part of the input.
        let refused: &[(&str, ProxyUrlError)] = &[
            (
                "http://alice:s3/cret@proxy.internal:3128",
                ProxyUrlError::AfterHost,
            ),
            (
                "http://alice:s3#cret@proxy.internal:3128",
                ProxyUrlError::AfterHost,
            ),
            (
                "http://alice:s3?cret@proxy.internal:3128",
                ProxyUrlError::AfterHost,
            ),
            (
                "http://alice:3128/s3cret@proxy.internal:3128",
                ProxyUrlError::AfterHost,
            ),
            ("alice:s3cret", ProxyUrlError::Port),
            ("alice:s3cret@", ProxyUrlError::Host),
            ("http://alice:s3cret@", ProxyUrlError::Host),
            (
                "http://alice:s3cret@proxy.internal:3128/path",
                ProxyUrlError::AfterHost,
            ),
            (
                "http://alice:s3cret@proxy.internal:3128?x",
                ProxyUrlError::AfterHost,
            ),
            (
                "http://alice:s3cret@proxy.internal:99999",
                ProxyUrlError::Port,
            ),
            ("http://alice:s3cret@proxy.internal:0", ProxyUrlError::Port),
            ("http://alice:s3cret@proxy.internal:", ProxyUrlError::Port),
            (
                "http://alice:s3cret@proxy internal:3128",
                ProxyUrlError::Whitespace,
            ),
            (
                "http://alice:s3cret@proxy.internal:3128\n",
                ProxyUrlError::Whitespace,
            ),
            (
                "http://:s3cret@proxy.internal:3128",
                ProxyUrlError::EmptyUser,
            ),
            (
                "http://alice:s3%zzcret@proxy.internal",
                ProxyUrlError::Escape,
            ),
            (
                "http://alice:s3%FFcret@proxy.internal",
                ProxyUrlError::Escape,
            ),
            ("http://alice:s3cret%@proxy.internal", ProxyUrlError::Escape),
            (
                "https://alice:s3cret@proxy.internal",
                ProxyUrlError::Scheme(Some("https")),
            ),
            (
                "socks5://alice:s3cret@proxy.internal",
                ProxyUrlError::Scheme(Some("socks5")),
            ),
            ("s3cret://alice@proxy.internal", ProxyUrlError::Scheme(None)),
            ("http://alice:s3cret@[::1", ProxyUrlError::Host),
            ("http://alice:s3cret@[s3cret]:1", ProxyUrlError::Host),
            ("http://alice:s3cret@[::1]x", ProxyUrlError::Port),
            ("http://alice:s3cret@pro<xy:1", ProxyUrlError::Host),
            ("", ProxyUrlError::Host),
        ];
        for &(input, expected) in refused {
            assert_eq!(ProxyUrl::parse(input), Err(expected), "{input}");
            let choice = ProxyChoice::Url(input.to_owned());
            let error = choice.matcher().unwrap_err();
            let shown = format!("{error} {choice:?} {expected:?}");
            assert!(!shown.contains("s3"), "{input}: {shown}");
            assert!(!shown.contains("alice"), "{input}: {shown}");
            assert!(
                error.starts_with("the URL given to HyperTransportBuilder::proxy: "),
                "{error}"
            );
        }
        // From the environment, the error names the variable it came from.
        let lookup = ProxyChoice::Lookup(Arc::new(|name: &str| {
            (name == "https_proxy").then(|| "alice:s3/cret@proxy.internal:3128".to_owned())
        }));
        let error = lookup.matcher().unwrap_err();
        assert!(
            error.starts_with("the URL in https_proxy: something follows the host"),
            "{error}"
        );
        assert!(!error.contains("s3") && !error.contains("alice"), "{error}");
    }

    /// Standard base64, only to check the header hyper-util builds.
    fn base64(bytes: &[u8]) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    proptest::proptest! {
        /// Any user name and password, percent-encoded as the errors ask, reads back as itself,
        /// and `Debug` shows none of it.
        #[test]
        fn any_encoded_credentials_round_trip(user in "\\PC{1,12}", password in "\\PC{0,12}") {
            let input = format!("http://{}:{}@proxy.internal:3128", percent_encode(&user), percent_encode(&password));
            let proxy = ProxyUrl::parse(&input).unwrap();
            proptest::prop_assert_eq!(proxy.credentials.clone(), Some((user.clone(), Some(password.clone()))));
            proptest::prop_assert_eq!(format!("{proxy:?}"), "http://<redacted>@proxy.internal:3128");
        }

        /// Whatever the text, parsing never panics, and an error never quotes it.
        #[test]
        fn any_text_parses_or_is_refused_without_being_quoted(input in "\\PC{0,40}") {
            if let Err(error) = ProxyUrl::parse(&input) {
                let shown = error.to_string();
                // The message's own words may coincide with a short input; a long one never.
                if input.len() >= 12 {
                    proptest::prop_assert!(!shown.contains(&input));
                }
            }
        }
    }
}
