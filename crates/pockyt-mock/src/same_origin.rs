//! Which page actions a browser may send: the simulator's own pages may pay, refund or re-send an
//! IPN, another site may not. A developer's browser runs other local sites too, and transaction
//! numbers are easy to guess, so without this any page they open could post a form to
//! `127.0.0.1:8080/payments/<no>/refund`.
//!
//! Browsers say where a form came from (`Sec-Fetch-Site`, else `Origin`); a request without
//! either is not a browser's (curl, a test's HTTP client) and is let through.
//!
//! That check compares `Origin` with `Host`, so `Host` itself must be one of the simulator's own
//! names ([`Hosts`]): a page on `attacker.example` whose name was re-bound to 127.0.0.1 (DNS
//! rebinding) is same-origin with itself and would pass. And the pages may not be framed
//! ([`FRAMING`]), or another site could show one under a decoy and have its buttons clicked.

use std::net::SocketAddr;

use http::HeaderMap;
use http::header::{HOST, ORIGIN};

/// The headers every answer carries so that no other site can frame a page: the old header and
/// the CSP directive that replaced it.
pub(crate) const FRAMING: [(&str, &str); 2] = [
    ("x-frame-options", "DENY"),
    ("content-security-policy", "frame-ancestors 'none'"),
];

/// The `Host` values the pages answer to: the bound address, and 127.0.0.1, localhost and [::1]
/// with its port (without the port too when it is 80), plus any the builder added.
#[derive(Debug, Clone)]
pub(crate) struct Hosts(Vec<String>);

impl Hosts {
    /// The names of a listener bound to `addr`, and `extra` (each `host` or `host:port`).
    pub(crate) fn for_listener(addr: SocketAddr, extra: &[String]) -> Self {
        let port = addr.port();
        let mut names = vec![addr.to_string()];
        for host in ["127.0.0.1", "localhost", "[::1]"] {
            names.push(format!("{host}:{port}"));
            if port == 80 {
                names.push(host.to_owned());
            }
        }
        names.extend(extra.iter().cloned());
        Self(names.into_iter().map(|n| n.to_ascii_lowercase()).collect())
    }

    /// Whether the request's `Host` is one of them (a request without one is refused).
    pub(crate) fn allow(&self, headers: &HeaderMap) -> bool {
        let Some(host) = headers.get(HOST).and_then(|h| h.to_str().ok()) else {
            return false;
        };
        self.0.iter().any(|name| name.eq_ignore_ascii_case(host))
    }
}

/// Whether `headers` are those of a browser request sent by a page of another origin.
pub(crate) fn is_cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        // `none`: typed into the address bar or opened from a bookmark.
        return !matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    let Some(origin) = headers.get(ORIGIN) else {
        return false;
    };
    let host = headers.get(HOST).map(|h| h.as_bytes());
    let origin_host = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, host)| host.as_bytes());
    // `Origin: null` (a sandboxed or privacy-sensitive context) names no host, and is refused.
    origin_host.is_none() || origin_host != host
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_answer_only_to_the_simulators_own_host_names() {
        let hosts = Hosts::for_listener(
            SocketAddr::from(([127, 0, 0, 1], 8080)),
            &["sim.test:8080".to_owned()],
        );
        for good in [
            "127.0.0.1:8080",
            "localhost:8080",
            "LOCALHOST:8080",
            "[::1]:8080",
            "sim.test:8080",
        ] {
            assert!(hosts.allow(&headers(&[("host", good)])), "{good}");
        }
        for bad in [
            "attacker.example:8080",
            "127.0.0.1:3000",
            "localhost",
            "127.0.0.1",
            "127.0.0.1.nip.io:8080",
            "",
        ] {
            assert!(!hosts.allow(&headers(&[("host", bad)])), "{bad}");
        }
        assert!(!hosts.allow(&HeaderMap::new()), "no Host");
        let on_80 = Hosts::for_listener(SocketAddr::from(([0, 0, 0, 0], 80)), &[]);
        assert!(on_80.allow(&headers(&[("host", "localhost")])));
        assert!(on_80.allow(&headers(&[("host", "0.0.0.0:80")])));
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, http::HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn a_browser_says_where_the_form_came_from() {
        let host = ("host", "127.0.0.1:8080");
        assert!(!is_cross_site(&headers(&[host])), "not a browser");
        assert!(!is_cross_site(&headers(&[
            host,
            ("sec-fetch-site", "same-origin")
        ])));
        assert!(!is_cross_site(&headers(&[
            host,
            ("sec-fetch-site", "none")
        ])));
        assert!(is_cross_site(&headers(&[
            host,
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(is_cross_site(&headers(&[
            host,
            ("sec-fetch-site", "same-site")
        ])));
        // An older browser only sends Origin.
        assert!(!is_cross_site(&headers(&[
            host,
            ("origin", "http://127.0.0.1:8080")
        ])));
        assert!(is_cross_site(&headers(&[
            host,
            ("origin", "http://127.0.0.1:3000")
        ])));
        assert!(is_cross_site(&headers(&[
            host,
            ("origin", "http://evil.example")
        ])));
        assert!(is_cross_site(&headers(&[host, ("origin", "null")])));
        assert!(
            is_cross_site(&headers(&[("origin", "http://127.0.0.1:8080")])),
            "no Host"
        );
        // Sec-Fetch-Site is the browser's own word and wins over a matching Origin.
        assert!(is_cross_site(&headers(&[
            host,
            ("origin", "http://127.0.0.1:8080"),
            ("sec-fetch-site", "cross-site"),
        ])));
    }
}
