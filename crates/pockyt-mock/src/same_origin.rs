//! Which page actions a browser may send: the simulator's own pages may pay, refund or re-send an
//! IPN, another site may not. A developer's browser runs other local sites too, and transaction
//! numbers are easy to guess, so without this any page they open could post a form to
//! `127.0.0.1:8080/payments/<no>/refund`.
//!
//! Browsers say where a form came from (`Sec-Fetch-Site`, else `Origin`); a request without
//! either is not a browser's (curl, a test's HTTP client) and is let through.

use http::HeaderMap;
use http::header::{HOST, ORIGIN};

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
