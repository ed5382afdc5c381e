//! The replaying transport.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use pockyt_transport::{BoxFuture, Transport, TransportError, TransportErrorKind};

use super::cassette::{Cassette, Exchange};
use super::record::request_pairs;
use super::redact::REDACTED;

/// Pairs that differ on every run and never decide which exchange a request is.
const ALWAYS_IGNORED: &[&str] = &["verifySign", "timestamp", "time"];

/// A replay went wrong: a request no exchange matches, or exchanges never asked for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayError {
    /// No unplayed exchange has this path and these pairs.
    #[error(
        "no recorded exchange matches {method} {path}{}",
        closest_text(closest.as_deref(), differing)
    )]
    Unmatched {
        /// The request's method.
        method: String,
        /// The request's path.
        path: String,
        /// The closest unplayed exchange with the same path, by its place in the cassette.
        closest: Option<String>,
        /// The fields in which it differs (names only: values may be secret).
        differing: Vec<String>,
    },
    /// Exchanges the test never asked for, by place and path.
    #[error("{} recorded exchange(s) never replayed: {}", unplayed.len(), unplayed.join(", "))]
    Unplayed {
        /// `#index path` of each.
        unplayed: Vec<String>,
    },
}

fn closest_text(closest: Option<&str>, differing: &[String]) -> String {
    match closest {
        Some(closest) => format!(
            "; the closest, {closest}, differs in {}",
            differing.join(", ")
        ),
        None => "; the cassette has no unplayed exchange on that path".to_owned(),
    }
}

/// A [`Transport`] that answers from a [`Cassette`]: each request takes the first unplayed exchange
/// with its method, path and pairs (the signature, timestamps, redacted values and the fields named
/// with [`ReplayTransport::ignore_field`] aside). Clones share the cassette's progress.
#[derive(Clone)]
pub struct ReplayTransport {
    exchanges: Arc<Vec<Exchange>>,
    played: Arc<Mutex<Vec<bool>>>,
    errors: Arc<Mutex<Vec<ReplayError>>>,
    ignored: Arc<BTreeSet<String>>,
}

impl fmt::Debug for ReplayTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReplayTransport")
            .field("exchanges", &self.exchanges.len())
            .field("ignored", &self.ignored)
            .finish_non_exhaustive()
    }
}

impl ReplayTransport {
    /// Answers from `cassette`.
    pub fn new(cassette: Cassette) -> Self {
        let played = vec![false; cassette.exchanges.len()];
        Self {
            exchanges: Arc::new(cassette.exchanges),
            played: Arc::new(Mutex::new(played)),
            errors: Arc::default(),
            ignored: Arc::default(),
        }
    }

    /// Also ignores `name` when matching: a field the test makes anew on every run (a reference
    /// built from the clock, say).
    pub fn ignore_field(mut self, name: impl Into<String>) -> Self {
        let mut ignored = (*self.ignored).clone();
        ignored.insert(name.into());
        self.ignored = Arc::new(ignored);
        self
    }

    /// `Ok` when every exchange was replayed and every request matched one.
    pub fn all_played(&self) -> Result<(), ReplayError> {
        if let Some(error) = self.lock_errors().first() {
            return Err(error.clone());
        }
        let played = self.lock_played().clone();
        let unplayed: Vec<String> = played
            .iter()
            .enumerate()
            .filter(|(_, played)| !**played)
            .map(|(i, _)| format!("#{i} {}", self.exchanges[i].request.path))
            .collect();
        if unplayed.is_empty() {
            Ok(())
        } else {
            Err(ReplayError::Unplayed { unplayed })
        }
    }

    fn lock_played(&self) -> std::sync::MutexGuard<'_, Vec<bool>> {
        self.played
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn lock_errors(&self) -> std::sync::MutexGuard<'_, Vec<ReplayError>> {
        self.errors
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The fields of `pairs` that do not match the recorded `exchange`'s.
    fn differences(&self, exchange: &Exchange, pairs: &BTreeMap<String, String>) -> Vec<String> {
        let recorded = &exchange.request.pairs;
        let names: BTreeSet<&String> = recorded.keys().chain(pairs.keys()).collect();
        names
            .into_iter()
            .filter(|name| {
                !ALWAYS_IGNORED.contains(&name.as_str()) && !self.ignored.contains(name.as_str())
            })
            .filter(|name| match (recorded.get(*name), pairs.get(*name)) {
                (Some(want), Some(got)) => want != got && (want != REDACTED || got.is_empty()),
                _ => true,
            })
            .cloned()
            .collect()
    }

    /// The exchange for this request, marked played; or why there is none.
    fn take(
        &self,
        method: &str,
        path: &str,
        pairs: &BTreeMap<String, String>,
    ) -> Result<usize, ReplayError> {
        let mut played = self.lock_played();
        let mut closest: Option<(usize, Vec<String>)> = None;
        for (i, exchange) in self.exchanges.iter().enumerate() {
            let request = &exchange.request;
            if played[i] || request.method != method || request.path != path {
                continue;
            }
            let differing = self.differences(exchange, pairs);
            if differing.is_empty() {
                played[i] = true;
                return Ok(i);
            }
            if closest
                .as_ref()
                .is_none_or(|(_, d)| differing.len() < d.len())
            {
                closest = Some((i, differing));
            }
        }
        let (closest, differing) = match closest {
            Some((i, differing)) => (Some(format!("#{i}")), differing),
            None => (None, Vec::new()),
        };
        Err(ReplayError::Unmatched {
            method: method.to_owned(),
            path: path.to_owned(),
            closest,
            differing,
        })
    }
}

impl Transport for ReplayTransport {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        let pairs = request_pairs(request.body());
        let found = self.take(request.method().as_str(), request.uri().path(), &pairs);
        Box::pin(async move {
            let index = found.map_err(|error| {
                self.lock_errors().push(error.clone());
                // Nothing was sent anywhere: the client must not retry or wait.
                TransportError::new(TransportErrorKind::Other, false).with_source(error)
            })?;
            let recorded = &self.exchanges[index].response;
            let mut response = http::Response::builder().status(recorded.status);
            if let Some(content_type) = &recorded.content_type {
                response = response.header(http::header::CONTENT_TYPE, content_type);
            }
            if let Some(retry_after) = &recorded.retry_after {
                response = response.header(http::header::RETRY_AFTER, retry_after);
            }
            response
                .body(Bytes::copy_from_slice(recorded.body().as_bytes()))
                .map_err(|e| {
                    TransportError::new(TransportErrorKind::Other, false)
                        .with_detail(format!(
                            "recorded exchange #{index} is not a valid response"
                        ))
                        .with_source(e)
                })
        })
    }
}
