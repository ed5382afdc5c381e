//! The recording transport.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use pockyt_transport::{BoxFuture, Transport, TransportError};
use serde_json::value::RawValue;

use super::cassette::{Cassette, Exchange, RecordedRequest, RecordedResponse};
use super::redact;

/// A [`Transport`] that forwards to another and keeps every exchange, redacted, in a
/// [`Cassette`]. Clones share one cassette.
#[derive(Clone)]
pub struct RecordingTransport {
    inner: Arc<dyn Transport>,
    secrets: Arc<Vec<String>>,
    exchanges: Arc<Mutex<Vec<Exchange>>>,
}

impl fmt::Debug for RecordingTransport {
    // The secrets are never shown, only how many there are.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordingTransport")
            .field("secrets", &self.secrets.len())
            .field("exchanges", &self.exchanges().len())
            .finish_non_exhaustive()
    }
}

impl RecordingTransport {
    /// Records what `inner` sends and receives.
    pub fn new(inner: impl Transport) -> Self {
        Self {
            inner: Arc::new(inner),
            secrets: Arc::new(Vec::new()),
            exchanges: Arc::default(),
        }
    }

    /// Also replaces every occurrence of `secret` (the API token, say) with `<redacted>`, in the
    /// pairs and in the answers. Call it before the first request.
    pub fn redact_text(mut self, secret: impl Into<String>) -> Self {
        let mut secrets = (*self.secrets).clone();
        secrets.push(secret.into());
        self.secrets = Arc::new(secrets);
        self
    }

    /// The exchanges so far.
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.exchanges
            .lock()
            .map(|e| e.clone())
            .unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    /// The exchanges so far, as a cassette.
    pub fn cassette(&self) -> Cassette {
        Cassette {
            exchanges: self.exchanges(),
            ..Cassette::default()
        }
    }

    fn keep(&self, exchange: Exchange) {
        match self.exchanges.lock() {
            Ok(mut exchanges) => exchanges.push(exchange),
            Err(poisoned) => poisoned.into_inner().push(exchange),
        }
    }
}

impl Transport for RecordingTransport {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        let recorded = RecordedRequest {
            method: request.method().to_string(),
            path: request.uri().path().to_owned(),
            pairs: redact::pairs(request_pairs(request.body()), &self.secrets),
        };
        Box::pin(async move {
            let response = self.inner.send(request).await?;
            let header = |name: http::header::HeaderName| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            };
            let body = response.body();
            let json = serde_json::from_slice::<Box<RawValue>>(body)
                .ok()
                .and_then(|raw| redact::json(&raw, &self.secrets));
            let text = match json {
                Some(_) => None,
                None if body.is_empty() => None,
                None => Some(redact::scrub(&String::from_utf8_lossy(body), &self.secrets)),
            };
            self.keep(Exchange {
                request: recorded,
                response: RecordedResponse {
                    status: response.status().as_u16(),
                    content_type: header(http::header::CONTENT_TYPE),
                    retry_after: header(http::header::RETRY_AFTER),
                    json,
                    text,
                },
            });
            Ok(response)
        })
    }
}

/// The body's pairs: a JSON object (values as their text) or a form.
pub(crate) fn request_pairs(body: &[u8]) -> BTreeMap<String, String> {
    if let Ok(object) = serde_json::from_slice::<BTreeMap<String, serde_json::Value>>(body) {
        return object
            .into_iter()
            .map(|(name, value)| {
                let text = match value {
                    serde_json::Value::String(text) => text,
                    other => other.to_string(),
                };
                (name, text)
            })
            .collect();
    }
    pockyt_sign::form::parse(body)
        .map(|pairs| pairs.into_iter().collect())
        .unwrap_or_default()
}
