//! What the simulator is configured with: merchants, the IPN retry schedule, faults.

use std::fmt;
use std::time::Duration;

use pockyt_sign::SigningKey;

/// A merchant account the simulator accepts.
#[derive(Clone)]
pub struct Merchant {
    pub(crate) merchant_no: String,
    pub(crate) store_no: String,
    pub(crate) key: SigningKey,
}

impl Merchant {
    /// An account identified by `merchantNo` and `storeNo`, signing with `token`.
    pub fn new(merchant_no: impl Into<String>, store_no: impl Into<String>, token: &str) -> Self {
        Self {
            merchant_no: merchant_no.into(),
            store_no: store_no.into(),
            key: SigningKey::from_token(token),
        }
    }

    /// The demo account: merchant `200043`, store `300014`, token [`Merchant::DEMO_TOKEN`] (the public
    /// sandbox demo token printed in Pockyt's docs).
    pub fn demo() -> Self {
        Self::new("200043", "300014", Self::DEMO_TOKEN)
    }

    /// The public demo token of Pockyt's documentation.
    pub const DEMO_TOKEN: &'static str = "5cbfb079f15b150122261c8537086d77a";

    /// The merchant number.
    pub fn merchant_no(&self) -> &str {
        &self.merchant_no
    }

    /// The store number.
    pub fn store_no(&self) -> &str {
        &self.store_no
    }

    /// Whether a record of `merchant_no` and `store_no` is this account's: data is kept apart
    /// per store, so another store of the same merchant sees none of it.
    pub(crate) fn owns(&self, merchant_no: &str, store_no: &str) -> bool {
        self.merchant_no == merchant_no && self.store_no == store_no
    }
}

impl fmt::Debug for Merchant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Merchant")
            .field("merchant_no", &self.merchant_no)
            .field("store_no", &self.store_no)
            .field("key", &self.key)
            .finish()
    }
}

/// The waits before each IPN delivery attempt (the first is usually zero). At most 8 are used, as
/// the gateway does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpnSchedule(pub(crate) Vec<Duration>);

impl IpnSchedule {
    /// Delivery attempts the gateway makes at most.
    pub const MAX_ATTEMPTS: usize = 8;

    /// A schedule of waits before each attempt; extra entries beyond 8 are ignored.
    pub fn new(waits: impl IntoIterator<Item = Duration>) -> Self {
        Self(waits.into_iter().take(Self::MAX_ATTEMPTS).collect())
    }

    /// Eight attempts spread over about two hours, like the real gateway.
    pub fn realistic() -> Self {
        Self::new([0, 15, 60, 180, 600, 1200, 1800, 3300].map(Duration::from_secs))
    }

    /// Eight attempts, `step` apart (for tests: milliseconds).
    pub fn fast(step: Duration) -> Self {
        Self::new(
            std::iter::once(Duration::ZERO)
                .chain(std::iter::repeat_n(step, Self::MAX_ATTEMPTS - 1)),
        )
    }
}

impl Default for IpnSchedule {
    /// Eight attempts 20 ms apart: fast enough for demos and tests.
    fn default() -> Self {
        Self::fast(Duration::from_millis(20))
    }
}

/// A fault injected on a route: most fire before the request is handled; [`FaultKind::LoseAnswer`]
/// and [`FaultKind::AnswerAfter`] fire after it, so the gateway has acted and the client cannot know.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultKind {
    /// Wait this long, then answer normally.
    Latency(Duration),
    /// Answer this HTTP status with an HTML error page (e.g. 502, 503).
    Status(u16),
    /// As [`FaultKind::Status`], with a `Retry-After` header of this value: seconds (`"120"`) or
    /// an HTTP date (`"Wed, 21 Oct 2015 07:28:00 GMT"`), sent as given.
    StatusRetryAfter(u16, String),
    /// Close the connection without answering.
    DropConnection,
    /// Answer 200 with a body cut short (the connection closes mid-body).
    TruncatedBody,
    /// Answer 200 with an HTML error page instead of JSON.
    HtmlPage,
    /// Answer 200 with a JSON body larger than `bytes`.
    OversizedBody(usize),
    /// Send the headers, then the body one byte at a time, this far apart.
    SlowBody(Duration),
    /// Handle the request (a payment is made, a refund recorded), then close the connection
    /// without answering: the case `Client::find_by_reference` exists for.
    LoseAnswer,
    /// Handle the request, then answer only this much later (past a client's deadline, the
    /// answer is lost the same way).
    AnswerAfter(Duration),
}

/// A fault and how many requests it applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub(crate) kind: FaultKind,
    pub(crate) remaining: Option<u32>,
    pub(crate) every: u32,
}

impl Fault {
    /// Applies `kind` to every matching request.
    pub fn always(kind: FaultKind) -> Self {
        Self {
            kind,
            remaining: None,
            every: 1,
        }
    }

    /// Applies `kind` to the next `n` matching requests, then stops.
    pub fn times(kind: FaultKind, n: u32) -> Self {
        Self {
            kind,
            remaining: Some(n),
            every: 1,
        }
    }

    /// Applies `kind` to one matching request in `n` (the n-th, 2n-th, …): a deterministic rate.
    pub fn one_in(kind: FaultKind, n: u32) -> Self {
        Self {
            kind,
            remaining: None,
            every: n.max(1),
        }
    }
}
