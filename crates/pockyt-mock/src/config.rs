//! What the simulator is configured with: merchants, the IPN retry schedule, faults, the
//! settlement terms.

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

/// The fault grammar of `pockyt mock --fault PATH=KIND` and of scripts: `latency:MS`,
/// `status:CODE`, `status:CODE:RETRY_AFTER` (seconds or an HTTP date), `drop`, `truncate`,
/// `html`, `oversize:BYTES`, `slow:MS`, `lose` and `late:MS`. [`FaultKind`]'s `Display` writes
/// the same text, so a kind read back from it is the same kind (durations in whole milliseconds).
impl std::str::FromStr for FaultKind {
    type Err = FaultParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (name, arg) = text.split_once(':').unwrap_or((text, ""));
        let number = |what: &str| {
            arg.parse::<u64>()
                .map_err(|_| FaultParseError(format!("`{name}` needs {what}, e.g. {name}:100")))
        };
        let millis = |what: &str| number(what).map(Duration::from_millis);
        Ok(match name {
            "latency" => FaultKind::Latency(millis("milliseconds")?),
            "status" => {
                // `status:CODE`, or `status:CODE:RETRY_AFTER` (an HTTP date has colons of its own).
                let (code, after) = match arg.split_once(':') {
                    Some((code, after)) => (code, Some(after)),
                    None => (arg, None),
                };
                let code = code
                    .parse::<u16>()
                    .ok()
                    .filter(|c| (100..600).contains(c))
                    .ok_or_else(|| {
                        FaultParseError("`status` needs an HTTP status, e.g. status:503".into())
                    })?;
                match after {
                    Some("") => return Err(FaultParseError("Retry-After value is empty".into())),
                    Some(after) => FaultKind::StatusRetryAfter(code, after.to_owned()),
                    None => FaultKind::Status(code),
                }
            }
            "drop" => FaultKind::DropConnection,
            "truncate" => FaultKind::TruncatedBody,
            "html" => FaultKind::HtmlPage,
            "oversize" => {
                let bytes = usize::try_from(number("a size in bytes")?)
                    .map_err(|_| FaultParseError("`oversize` is too large".into()))?;
                FaultKind::OversizedBody(bytes)
            }
            "slow" => FaultKind::SlowBody(millis("milliseconds")?),
            "lose" => FaultKind::LoseAnswer,
            "late" => FaultKind::AnswerAfter(millis("milliseconds")?),
            other => return Err(FaultParseError(format!("unknown kind `{other}`"))),
        })
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FaultKind::Latency(wait) => write!(f, "latency:{}", wait.as_millis()),
            FaultKind::Status(code) => write!(f, "status:{code}"),
            FaultKind::StatusRetryAfter(code, after) => write!(f, "status:{code}:{after}"),
            FaultKind::DropConnection => f.write_str("drop"),
            FaultKind::TruncatedBody => f.write_str("truncate"),
            FaultKind::HtmlPage => f.write_str("html"),
            FaultKind::OversizedBody(bytes) => write!(f, "oversize:{bytes}"),
            FaultKind::SlowBody(tick) => write!(f, "slow:{}", tick.as_millis()),
            FaultKind::LoseAnswer => f.write_str("lose"),
            FaultKind::AnswerAfter(wait) => write!(f, "late:{}", wait.as_millis()),
        }
    }
}

/// Why a text is not a [`FaultKind`]: what the grammar wanted instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultParseError(String);

impl fmt::Display for FaultParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FaultParseError {}

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

/// When payments settle and what the gateway keeps of them: the simulator's terms, set by
/// [`crate::MockGatewayBuilder::settle_after_days`] and
/// [`crate::MockGatewayBuilder::fee_basis_points`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SettlementTerms {
    /// Days between a payment's (or refund's) day and the settlement that carries it.
    pub(crate) after_days: u32,
    /// The fee, in hundredths of a percent of each payment.
    pub(crate) fee_basis_points: u32,
}

impl Default for SettlementTerms {
    /// The next day, at 2.90 %.
    fn default() -> Self {
        Self {
            after_days: 1,
            fee_basis_points: 290,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each variant's place; the match has no wildcard, so a new variant does not compile until
    /// it is given one here, and then the test below fails until it has a sample.
    fn index(kind: &FaultKind) -> usize {
        match kind {
            FaultKind::Latency(_) => 0,
            FaultKind::Status(_) => 1,
            FaultKind::StatusRetryAfter(..) => 2,
            FaultKind::DropConnection => 3,
            FaultKind::TruncatedBody => 4,
            FaultKind::HtmlPage => 5,
            FaultKind::OversizedBody(_) => 6,
            FaultKind::SlowBody(_) => 7,
            FaultKind::LoseAnswer => 8,
            FaultKind::AnswerAfter(_) => 9,
        }
    }

    /// How many arms `index` has.
    const VARIANTS: usize = 10;

    #[test]
    fn every_fault_kind_is_written_and_read_back_the_same() {
        let ms = Duration::from_millis;
        let samples = [
            FaultKind::Latency(ms(500)),
            FaultKind::Status(503),
            FaultKind::StatusRetryAfter(503, "120".into()),
            FaultKind::StatusRetryAfter(429, "Wed, 21 Oct 2015 07:28:00 GMT".into()),
            FaultKind::DropConnection,
            FaultKind::TruncatedBody,
            FaultKind::HtmlPage,
            FaultKind::OversizedBody(4096),
            FaultKind::SlowBody(ms(20)),
            FaultKind::LoseAnswer,
            FaultKind::AnswerAfter(ms(750)),
        ];
        let mut seen = [false; VARIANTS];
        for kind in samples {
            seen[index(&kind)] = true;
            let text = kind.to_string();
            assert_eq!(text.parse::<FaultKind>(), Ok(kind), "{text}");
        }
        assert!(
            seen.iter().all(|s| *s),
            "a sample of every variant: {seen:?}"
        );
    }

    #[test]
    fn the_grammar_refuses_what_it_cannot_read() {
        for text in [
            "nap",
            "latency",
            "latency:soon",
            "status:99",
            "status:600",
            "status:503:",
            "oversize:",
            "slow:-1",
            "",
            "late:1.5",
        ] {
            assert!(text.parse::<FaultKind>().is_err(), "{text}");
        }
        let why = "nap".parse::<FaultKind>().unwrap_err().to_string();
        assert_eq!(why, "unknown kind `nap`");
    }
}
