//! A blocking client (feature `blocking`) for code that is not async: diesel services, CLIs,
//! batch jobs. The same methods, errors, retries and timeouts as [`crate::Client`], without
//! `.await`.
//!
//! Like reqwest's blocking client, it owns a small Tokio runtime: one worker thread keeps the
//! connection pool alive between calls, and each call runs the async client to completion on the
//! caller's thread. On a thread of an async runtime (an async task, or `spawn_blocking`), where
//! blocking would stall the runtime or start one runtime inside another, a call returns
//! [`crate::Error::BlockingInAsync`] instead of panicking or deadlocking: there, use the async
//! [`crate::Client`] (in `spawn_blocking`, `Handle::current().block_on(client.send(..))`).
//!
//! ```no_run
//! use pockyt::blocking::Client;
//! use pockyt::types::TranQueryRequest;
//!
//! let client = Client::new(pockyt::Config::from_env()?)?;
//! match client.find_by_reference("order-1")? {
//!     Some(payment) => println!("{:?}", payment.status),
//!     None => println!("no such payment"),
//! }
//! let found = client.tran_query(&TranQueryRequest::new().reference("order-1"));
//! # let _ = found;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use pockyt_types::{Endpoint, Envelope, TranQueryResponse};

use crate::reconcile::{LedgerRecord, Progress, ReconcileError, Report, Window};
use crate::{CallOptions, Config, Error};

/// The blocking Pockyt client. Cheap to clone; `Send + Sync`.
#[derive(Clone)]
pub struct Client {
    client: crate::Client,
    runtime: Arc<Runtime>,
}

/// The runtime, shut down without waiting when the last client goes: dropping a runtime inside
/// an async context would panic, so this never does that.
struct Runtime(Option<tokio::runtime::Runtime>);

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Client")
            .field("client", &self.client)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client over the built-in HTTPS transport.
    pub fn new(config: Config) -> Result<Self, Error> {
        Self::from_async(|| crate::Client::new(config))
    }

    /// A client built from an async one's builder, e.g. with a transport of your choice:
    /// `Client::from_async(|| pockyt::Client::builder(config).transport(t).build())`. The builder
    /// runs inside the blocking client's runtime, so a transport may start tasks there.
    pub fn from_async(build: impl FnOnce() -> Result<crate::Client, Error>) -> Result<Self, Error> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("pockyt-blocking")
            .enable_all()
            .build()
            .map_err(|e| crate::ConfigError::Runtime(Arc::new(e)))?;
        let client = {
            let _inside = runtime.enter();
            build()?
        };
        Ok(Self {
            client,
            runtime: Arc::new(Runtime(Some(runtime))),
        })
    }

    /// The async client underneath (same pool, same configuration).
    pub fn as_async(&self) -> &crate::Client {
        &self.client
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        self.client.config()
    }

    /// A view whose calls use `options` (see [`crate::Client::with_options`]).
    pub fn with_options(&self, options: CallOptions) -> Result<Self, Error> {
        Ok(Self {
            client: self.client.with_options(options)?,
            runtime: self.runtime.clone(),
        })
    }

    /// Sends any request and returns its typed result (see [`crate::Client::send`]).
    pub fn send<E: Endpoint>(&self, request: &E) -> Result<E::Response, Error> {
        self.block_on(self.client.send(request))
    }

    /// Sends any request and returns the whole envelope.
    pub fn send_envelope<E: Endpoint>(&self, request: &E) -> Result<Envelope<E::Response>, Error> {
        self.block_on(self.client.send_envelope(request))
    }

    /// Looks a payment up by reference: `Ok(None)` if there is none (see
    /// [`crate::Client::find_by_reference`]).
    pub fn find_by_reference(&self, reference: &str) -> Result<Option<TranQueryResponse>, Error> {
        self.block_on(self.client.find_by_reference(reference))
    }

    /// Sends any path with any parameters and returns the raw HTTP response.
    pub fn send_raw(
        &self,
        path: &str,
        params: &[(&str, &str)],
    ) -> Result<http::Response<bytes::Bytes>, Error> {
        self.block_on(self.client.send_raw(path, params))
    }

    /// Reconciles your `records` with the gateway's lists for `window` (see
    /// [`crate::Client::reconcile`]): the nightly job's call.
    pub fn reconcile(
        &self,
        window: &Window,
        records: impl IntoIterator<Item = LedgerRecord>,
        progress: impl FnMut(&Progress),
    ) -> Result<Report, ReconcileError> {
        self.block_on(self.client.reconcile(window, records, progress))
    }

    fn block_on<T, E: From<Error>>(
        &self,
        call: impl Future<Output = Result<T, E>>,
    ) -> Result<T, E> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::BlockingInAsync.into());
        }
        match &self.runtime.0 {
            Some(runtime) => runtime.block_on(call),
            None => Err(Error::BlockingInAsync.into()),
        }
    }
}
