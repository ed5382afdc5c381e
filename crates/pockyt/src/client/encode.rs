//! Encode: validate, put the merchant's identity in front of the request's pairs, sign, and
//! write the body, with the lower crates' own functions (what a custom stack calls too).

use bytes::Bytes;
use http::uri::{PathAndQuery, Uri};
use pockyt_types::Endpoint;

use super::Client;
use crate::error::Error;

/// A signed call, ready to be sent as many times as the retry policy allows.
pub(super) struct Encoded {
    pub(super) uri: Uri,
    pub(super) body: Bytes,
}

impl Client {
    pub(super) fn encode_request<E: Endpoint>(&self, request: &E) -> Result<Encoded, Error> {
        request.validate()?;
        let wire = request.wire_pairs();
        let pairs = self.inner.config.identity.signing_pairs(request, &wire);
        self.encode_pairs(E::PATH, pairs)
    }

    /// One attempt's request: a POST of `encoded` with the client's headers.
    pub(super) fn http_request(&self, encoded: &Encoded) -> http::Request<Bytes> {
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
    pub(super) fn encode_pairs<'a>(
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
}
