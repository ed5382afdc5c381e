//! Trace: one span per call and an event per attempt (endpoint, path, attempt, status, latency),
//! never a body, token or key. Without the `tracing` feature these are empty and compile away.

use bytes::Bytes;
use pockyt_transport::TransportError;
use pockyt_types::Envelope;
use tokio::time::Instant;

use super::{Call, Client};
use crate::error::Error;

#[cfg(feature = "tracing")]
pub(super) fn attempt(
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

impl Client {
    /// Runs a call inside a `pockyt.call` span and records its outcome: code and latency, never data.
    #[cfg(feature = "tracing")]
    pub(super) async fn traced<T>(
        endpoint: &'static str,
        path: &'static str,
        call: impl std::future::Future<Output = Result<Envelope<T>, Error>>,
    ) -> Result<Envelope<T>, Error> {
        use tracing::Instrument;
        let span = tracing::info_span!("pockyt.call", endpoint, path);
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
}

#[cfg(not(feature = "tracing"))]
pub(super) fn attempt(
    _: &Call<'_>,
    _: u32,
    _: &Result<Result<http::Response<Bytes>, TransportError>, tokio::time::error::Elapsed>,
    _: Instant,
) {
}

impl Client {
    #[cfg(not(feature = "tracing"))]
    pub(super) async fn traced<T>(
        _: &'static str,
        _: &'static str,
        call: impl std::future::Future<Output = Result<Envelope<T>, Error>>,
    ) -> Result<Envelope<T>, Error> {
        call.await
    }
}
