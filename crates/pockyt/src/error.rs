//! The one error type of the client.

use std::time::Duration;

use pockyt_sign::SignError;
use pockyt_transport::{TransportError, TransportErrorKind};
use pockyt_types::{EnvelopeError, RetCode, ValidationError};

use crate::config::ConfigError;
use crate::retry::{Outcome, Verdict, classify};

/// Everything that can go wrong with a call, by what the caller should do about it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    // The workspace's one rule (smithy-rs RFC 0022, written down in the errors-and-retries
    // guide): a variant that wraps a lower layer's error returns it from `source()` and says only
    // this layer's part in its message, so `Display` shows one layer and a chain printer
    // (`DisplayChain`, anyhow, Sentry) shows every layer once, down to the I/O error. The message
    // of each says what failed, where, and whether anything was sent.
    /// The configuration cannot be used. Nothing was sent. The problem is the `source()`.
    #[error("invalid configuration (nothing was sent)")]
    Config(#[source] ConfigError),
    /// The request failed validation. Nothing was sent; fix the field the `source()` names.
    #[error("invalid request (nothing was sent)")]
    InvalidRequest(#[source] ValidationError),
    /// [`crate::Client::send_raw`] was given a path that is not an endpoint path. Nothing was sent.
    #[error(
        "`{path}` is not an endpoint path: it must start with `/`, e.g. `/app-data-search/v3/tran-query` (nothing was sent)"
    )]
    #[non_exhaustive]
    InvalidPath {
        /// The path as given.
        path: String,
    },
    /// A blocking-client call (feature `blocking`) was made on a thread of an async runtime (a
    /// task, or `spawn_blocking`), where blocking would stall the runtime or nest runtimes.
    /// Nothing was sent: use the async `pockyt::Client` there.
    #[error(
        "the blocking client was called on a thread of an async runtime: use the async pockyt::Client there (nothing was sent)"
    )]
    BlockingInAsync,
    /// The parameters could not be signed (a name appears twice, as the `source()` says). Nothing
    /// was sent.
    #[error("cannot sign the request (nothing was sent)")]
    Signing(#[source] SignError),
    /// The transport failed on the last attempt: the `source()` (the [`TransportError`]) says
    /// where and why, and its own `source()` is the HTTP stack's error.
    // The transport's words name no peer ("the server"): it also carries IPNs to merchants.
    #[error("the call to the gateway failed after {attempts} attempt(s)")]
    #[non_exhaustive]
    Transport {
        /// The last failure (its own `source()` is the HTTP stack's error).
        #[source]
        error: TransportError,
        /// Attempts made.
        attempts: u32,
    },
    /// An attempt, or the whole call, ran out of time.
    #[error(
        "the call timed out after {attempts} attempt(s) ({}); {}",
        if *overall { "overall deadline" } else { "attempt timeout" },
        if *maybe_sent { "the gateway may have received it: query by reference before retrying" } else { "nothing reached the gateway" }
    )]
    #[non_exhaustive]
    Timeout {
        /// Attempts made.
        attempts: u32,
        /// Whether the overall deadline (rather than one attempt's timeout) fired.
        overall: bool,
        /// Whether the request may have reached the gateway.
        maybe_sent: bool,
    },
    /// The gateway (or a proxy in front of it) answered with an HTTP error status.
    #[error(
        "the gateway answered HTTP {status} after {attempts} attempt(s){}: {snippet}",
        retry_hint(*retry_after)
    )]
    #[non_exhaustive]
    HttpStatus {
        /// The status code.
        status: u16,
        /// The start of the body, redacted.
        snippet: String,
        /// Attempts made.
        attempts: u32,
        /// How long a 429 or 503 asked the client to wait (`Retry-After`), when it said. When
        /// set, the wait did not fit in the call's deadline (or the call may not be retried):
        /// try again after it.
        retry_after: Option<Duration>,
    },
    /// The gateway refused the request with a return code other than `000100`.
    #[error("the gateway refused the request: {ret_code} `{ret_msg}` ({})", ret_code.meaning())]
    #[non_exhaustive]
    Api {
        /// The return code.
        ret_code: RetCode,
        /// The gateway's message.
        ret_msg: String,
    },
    /// The response could not be decoded: the `source()` says what went wrong.
    #[error("cannot decode the gateway's response; body starts: {snippet}")]
    #[non_exhaustive]
    Decode {
        /// What went wrong.
        #[source]
        error: EnvelopeError,
        /// The start of the body, redacted.
        snippet: String,
    },
}

impl From<ConfigError> for Error {
    fn from(error: ConfigError) -> Self {
        Error::Config(error)
    }
}

impl From<ValidationError> for Error {
    fn from(error: ValidationError) -> Self {
        Error::InvalidRequest(error)
    }
}

impl Error {
    /// An answer that is not a success, from [`pockyt_types::decode_response`], with the attempts
    /// made and the wait a 429 or 503 asked for.
    pub(crate) fn from_response(
        error: pockyt_types::ResponseError,
        attempts: u32,
        retry_after: Option<Duration>,
    ) -> Self {
        use pockyt_types::ResponseError as R;
        match error {
            R::Status {
                status, snippet, ..
            } => Error::HttpStatus {
                status,
                snippet,
                attempts,
                retry_after,
            },
            R::Api {
                ret_code, ret_msg, ..
            } => Error::Api { ret_code, ret_msg },
            R::Decode { error, snippet, .. } => Error::Decode { error, snippet },
            // A class added later: reported as a decode failure with its own words.
            other => Error::Decode {
                error: EnvelopeError::payload("", other.to_string()),
                snippet: String::new(),
            },
        }
    }
}

impl From<SignError> for Error {
    fn from(error: SignError) -> Self {
        Error::Signing(error)
    }
}

impl Error {
    /// The transport's error, for [`Error::Transport`]: its kind, and through `source()` the HTTP
    /// stack's own error.
    pub fn transport_error(&self) -> Option<&TransportError> {
        match self {
            Error::Transport { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Whether the failure is transient (network, timeout, 5xx/429) so that the same call may
    /// succeed later. For a payment, check [`Error::outcome_unknown`] first.
    pub fn is_retryable(&self) -> bool {
        let outcome = match self {
            Error::Transport { error, .. } => Outcome::Transport(error),
            Error::Timeout { .. } => Outcome::TimedOut,
            Error::HttpStatus { status, .. } => match http::StatusCode::from_u16(*status) {
                Ok(status) => Outcome::Answer(status),
                Err(_) => return false,
            },
            _ => return false,
        };
        matches!(classify(outcome), Verdict::Retry { .. })
    }

    /// Whether the call ran out of time.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
            || matches!(self, Error::Transport { error, .. } if error.kind() == TransportErrorKind::Timeout)
    }

    /// The gateway's return code, for [`Error::Api`].
    pub fn ret_code(&self) -> Option<&RetCode> {
        match self {
            Error::Api { ret_code, .. } => Some(ret_code),
            _ => None,
        }
    }

    /// Whether the gateway refused the request because an id of your own in it was already used
    /// by this store: a payment's `reference` (an auto-debit charge's too), a refund's
    /// `refundReference`, a payout's `invoiceId`, an agreement's `autoReference`, a
    /// pre-authorization's `outAuthInfoNo`, a customer's `customerCode`.
    ///
    /// Pockyt publishes no return code of its own for this: its error-codes page lists a duplicate
    /// `reference` among the common errors with neither a code nor a wording
    /// (<https://docs.pockyt.io/reference/status-error-codes>), and no official SDK or plugin reads
    /// the answer (they make every reference unique instead). A reused value is a parameter value
    /// the gateway refuses, so this reads the message of that code only. It is `true` for an
    /// [`Error::Api`] whose code is `000023` ([`RetCode::InvalidParameter`]) and whose `ret_msg`,
    /// case ignored,
    ///
    /// - names one of those ids: a word containing `reference` (so `refundReference` and
    ///   `autoReference` too), or `invoice`, `invoiceId`, `outAuthInfoNo`, `customerCode`;
    /// - says it is taken: `already`, or a word starting with `duplicat`, `repeat` or `exist`;
    /// - and denies nothing: no `not`, `never`, `cannot`, `…n't`, `no such`, `no record`.
    ///
    /// A value in backticks or double quotes (yours, such as the reference itself) is not read:
    /// a mark opens it at the start or after a space, and the same mark closes it at the end or
    /// before a space or punctuation, so a value may hold marks of its own and two values keep
    /// the words between them.
    ///
    /// So it is `false` for every other `000023` (a bad amount, a field too long, a badly formed
    /// `reference`), for `reference does not exist`, and for any other code. The simulator answers
    /// a reused id with `000023` and `` reference `VALUE` has already been used ``.
    ///
    /// The refusal is a known outcome ([`Error::outcome_unknown`] is `false`): the gateway already
    /// holds a record with that id, and this attempt changed nothing. If the id is yours alone and
    /// an earlier attempt with it lost its answer, that attempt landed: settle it with the
    /// `Client::resolve_*` method for the call (e.g. `resolve_payment(reference)`) rather than
    /// sending the call again.
    pub fn is_reused_reference(&self) -> bool {
        match self {
            Error::Api {
                ret_code: RetCode::InvalidParameter,
                ret_msg,
            } => says_reused(ret_msg),
            _ => false,
        }
    }

    /// Whether nobody can tell if the gateway acted on the request: a timeout or a connection lost
    /// after sending, a 5xx answer, or a 200 answer that could not be decoded. When `true` for a
    /// payment, refund or payout, find out (e.g. `Client::find_by_reference`) before sending it
    /// again. A refusal ([`Error::Api`], e.g. `000030` or a reused reference, see
    /// [`Error::is_reused_reference`]) is a certain outcome, so this is `false` for it; so it is
    /// when nothing was sent.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Error::Transport { .. } | Error::Timeout { .. } => self.request_may_have_been_sent(),
            Error::HttpStatus { status, .. } => *status >= 500,
            Error::Decode { .. } => true,
            Error::Config(_)
            | Error::InvalidRequest(_)
            | Error::InvalidPath { .. }
            | Error::BlockingInAsync
            | Error::Signing(_)
            | Error::Api { .. } => false,
        }
    }

    /// Whether the request may have reached the gateway at all (`false`: it certainly did not, so
    /// sending it again cannot duplicate anything). An answer of any kind means it did. To decide
    /// whether to look a payment up before retrying, use [`Error::outcome_unknown`]: a refusal
    /// reached the gateway, but its outcome is known.
    pub fn request_may_have_been_sent(&self) -> bool {
        match self {
            Error::Config(_)
            | Error::InvalidRequest(_)
            | Error::InvalidPath { .. }
            | Error::BlockingInAsync
            | Error::Signing(_) => false,
            Error::Transport { error, .. } => error.request_may_have_been_sent(),
            Error::Timeout { maybe_sent, .. } => *maybe_sent,
            Error::HttpStatus { .. } | Error::Api { .. } | Error::Decode { .. } => true,
        }
    }
}

/// Shows an error and every cause below it (its [`source()`](std::error::Error::source) chain),
/// one layer after another, joined by `": "`, on one line.
///
/// Every error of this workspace shows only its own layer in `Display` and keeps the cause in
/// `source()`, so `{err}` alone is the top layer; use this where a person reads the whole story
/// (a log line, a CLI's message). No layer shows the token, the signing key or a proxy password.
///
/// ```
/// use pockyt::{ConfigError, DisplayChain, Error};
///
/// let err = Error::from(ConfigError::TokenWhitespace);
/// assert_eq!(err.to_string(), "invalid configuration (nothing was sent)");
/// assert_eq!(
///     DisplayChain(&err).to_string(),
///     "invalid configuration (nothing was sent): the API token has leading or trailing \
///      whitespace; remove it (the token itself is not shown)"
/// );
/// ```
#[derive(Clone, Copy)]
pub struct DisplayChain<'a>(pub &'a (dyn std::error::Error + 'static));

impl std::fmt::Display for DisplayChain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut cause = self.0.source();
        while let Some(error) = cause {
            write!(f, ": {error}")?;
            cause = error.source();
        }
        Ok(())
    }
}

impl std::fmt::Debug for DisplayChain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

fn retry_hint(retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(wait) => format!(
            "; it asks to retry after {} s",
            // Rounded up, saturating: `Duration::MAX` has a fraction, and its seconds are u64::MAX.
            wait.as_secs()
                .saturating_add(u64::from(wait.subsec_nanos() > 0))
        ),
        None => String::new(),
    }
}

/// Whether a refusal's message says an id of the merchant's was used before: it names such an id,
/// says it is taken, and denies nothing (the rules are [`Error::is_reused_reference`]'s). Words,
/// not substrings, so that `notification` is no `not` and `refundReference` is one word; and not
/// the words of a quoted value, which are the merchant's (a reference `do-not-ship-1` denies
/// nothing).
fn says_reused(ret_msg: &str) -> bool {
    let message = without_quoted_values(&ret_msg.to_lowercase());
    let words: Vec<&str> = message
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    let names_an_id = words.iter().any(|w| {
        w.contains("reference")
            || matches!(
                *w,
                "invoice" | "invoiceid" | "outauthinfono" | "customercode"
            )
    });
    let says_taken = words.iter().any(|w| {
        *w == "already"
            || w.starts_with("duplicat")
            || w.starts_with("repeat")
            || w.starts_with("exist")
    });
    let denies = words
        .iter()
        .any(|w| matches!(*w, "not" | "never" | "cannot") || w.ends_with("n't"))
        || words
            .windows(2)
            .any(|pair| pair[0] == "no" && matches!(pair[1], "such" | "record"));
    names_an_id && says_taken && !denies
}

/// `text` without its quoted values (the merchant's own words, such as a reference): a backtick
/// or double quote opens a value at the start or after a space or an opening bracket, and the
/// same mark closes it at the end or before a space or punctuation. So a value may hold the other
/// mark, or its own inside a word (`` `a"b` ``, `` `do-`not`-ship` ``), and two values keep the
/// words between them. An unclosed mark is kept as text.
fn without_quoted_values(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut open: Option<(char, usize)> = None;
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let after = chars.get(i + 1).copied();
        match open {
            None if matches!(c, '`' | '"')
                && before.is_none_or(|b| b.is_whitespace() || matches!(b, '(' | '[' | '{')) =>
            {
                open = Some((c, i));
            }
            None => out.push(c),
            Some((mark, _))
                if c == mark
                    && after.is_none_or(|a| a.is_whitespace() || a.is_ascii_punctuation()) =>
            {
                open = None;
                out.push(' ');
            }
            Some(_) => {}
        }
    }
    if let Some((_, start)) = open {
        out.extend(chars.iter().skip(start));
    }
    out
}

/// The time remaining before `deadline`, or zero; without a deadline (one too far away for the
/// clock to hold), all the time there is.
pub(crate) fn remaining(deadline: Option<tokio::time::Instant>) -> Duration {
    deadline.map_or(Duration::MAX, |deadline| {
        deadline.saturating_duration_since(tokio::time::Instant::now())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predicates() {
        let api = Error::Api {
            ret_code: RetCode::NoRecord,
            ret_msg: "x".into(),
        };
        assert_eq!(api.ret_code(), Some(&RetCode::NoRecord));
        assert!(!api.is_retryable());
        // A refusal reached the gateway, and its outcome is certain.
        assert!(api.request_may_have_been_sent() && !api.outcome_unknown());
        let timeout = Error::Timeout {
            attempts: 1,
            overall: false,
            maybe_sent: true,
        };
        assert!(
            timeout.is_timeout() && timeout.is_retryable() && timeout.request_may_have_been_sent()
        );
        assert!(timeout.outcome_unknown());
        let unsent = Error::Timeout {
            attempts: 1,
            overall: true,
            maybe_sent: false,
        };
        assert!(!unsent.outcome_unknown() && !unsent.request_may_have_been_sent());
        let http = Error::HttpStatus {
            status: 503,
            snippet: String::new(),
            attempts: 1,
            retry_after: Some(Duration::from_secs(30)),
        };
        assert!(http.to_string().contains("retry after 30 s"), "{http}");
        assert!(http.is_retryable() && http.outcome_unknown());
        let not_found = Error::HttpStatus {
            status: 404,
            snippet: String::new(),
            attempts: 1,
            retry_after: None,
        };
        assert!(!not_found.is_retryable() && !not_found.outcome_unknown());
        let decode = Error::Decode {
            error: EnvelopeError::MissingRetCode,
            snippet: String::new(),
        };
        assert!(decode.outcome_unknown());
        let connect = Error::Transport {
            error: TransportError::connect("refused"),
            attempts: 3,
        };
        assert!(connect.is_retryable() && !connect.request_may_have_been_sent());
        assert!(!connect.outcome_unknown());
        let reset = Error::Transport {
            error: TransportError::io("reset after sending"),
            attempts: 1,
        };
        assert!(reset.outcome_unknown());
        assert!(connect.to_string().contains("after 3 attempt(s)"));
        // The transport's own words are neutral; the client's error says which server it was.
        assert_eq!(
            connect.to_string(),
            "the call to the gateway failed after 3 attempt(s)"
        );
        let chain = DisplayChain(&connect).to_string();
        assert!(
            chain.starts_with(
                "the call to the gateway failed after 3 attempt(s): could not connect to the server"
            ) && chain.ends_with(": refused"),
            "{chain}"
        );
    }

    #[test]
    fn each_predicate_has_a_true_and_a_false_case() {
        let status = |status| Error::HttpStatus {
            status,
            snippet: String::new(),
            attempts: 1,
            retry_after: None,
        };
        for retryable in [500, 502, 503, 599, 429] {
            assert!(status(retryable).is_retryable(), "{retryable}");
        }
        for final_status in [400, 401, 404, 428, 430, 499] {
            assert!(!status(final_status).is_retryable(), "{final_status}");
        }
        let api = Error::Api {
            ret_code: RetCode::AccessDenied,
            ret_msg: String::new(),
        };
        let transport = |error| Error::Transport { error, attempts: 1 };
        let timed_out = transport(TransportError::new(TransportErrorKind::Timeout, true));
        assert!(timed_out.is_timeout() && timed_out.is_retryable());
        for not_a_timeout in [
            api,
            status(503),
            transport(TransportError::connect("refused")),
            Error::BlockingInAsync,
        ] {
            assert!(!not_a_timeout.is_timeout(), "{not_a_timeout}");
        }
        let tls = transport(TransportError::new(TransportErrorKind::Tls, false));
        assert!(!tls.is_retryable());
        assert_eq!(
            tls.transport_error().map(|e| e.kind()),
            Some(TransportErrorKind::Tls)
        );
        assert!(status(503).transport_error().is_none());
        assert_eq!(status(503).ret_code(), None);
    }

    /// Issue 27, item 2: a reused id of the merchant's is told from every other refusal, on the
    /// message of a `000023` alone (the gateway has no code of its own for it).
    #[test]
    fn a_reused_reference_is_a_taken_id_under_000023_and_nothing_else() {
        let api = |ret_code: RetCode, ret_msg: &str| Error::Api {
            ret_code,
            ret_msg: ret_msg.to_owned(),
        };
        let invalid = |ret_msg: &str| api(RetCode::InvalidParameter, ret_msg);
        for reused in [
            // The simulator's words, for each id it refuses twice.
            "reference `order-1` has already been used",
            "refundReference `rf-1` has already been used",
            "invoiceId `inv-1` has already been used",
            "autoReference `agreement-1` has already been used",
            "outAuthInfoNo `auth-1` has already been used",
            "customerCode `c-1` has already been used",
            // A value's own words are not read.
            "reference `do-not-ship-1` has already been used",
            "refundReference \"no such refund\" has already been used",
            // Two values keep the words between them.
            "refundReference `rf-1` already used for transaction `300001`",
            // A value holding the marks themselves is still one value.
            "reference `a\"b` has already been used",
            "reference `do-`not`-ship` has already been used",
            // Other ways of saying it, as a gateway might.
            "Duplicate reference",
            "duplicated refund reference: rf-1",
            "reference repeat",
            "REFERENCE ALREADY EXISTS ",
            "reference is exist",
            "the invoice id already exists",
        ] {
            let error = invalid(reused);
            assert!(error.is_reused_reference(), "{reused}");
            // A refusal is a known outcome: nothing to find out before deciding.
            assert!(!error.outcome_unknown() && !error.is_retryable());
        }
        for other in [
            // Other bad values under the same code.
            "refundAmount 5.00 exceeds the refundable amount 3.00",
            "amount is not a decimal amount",
            "reference is longer than 64 characters",
            "reference contains a character that is not allowed",
            "description is longer than 100 characters",
            "verifySign appears more than once",
            // Named, but not said to be taken; or said to be missing.
            "reference does not exist",
            "no such reference exists",
            "no record exists for this reference",
            "refundReference doesn't exist",
            "reference has not already been used",
            // Taken, but nothing of the merchant's named.
            "transaction is already success",
            "duplicate key `amount`",
            "amount `reference already used` is not a decimal amount",
            "description `duplicate reference` is longer than 100 characters",
            "",
        ] {
            assert!(!invalid(other).is_reused_reference(), "{other}");
        }
        // The same words under another code are another refusal.
        for code in [
            RetCode::NoRecord,
            RetCode::InconsistentParameters,
            RetCode::StatusError,
            RetCode::SystemError,
            RetCode::Unknown("000026".into()),
        ] {
            let error = api(code, "reference `order-1` has already been used");
            assert!(!error.is_reused_reference(), "{error}");
        }
        // And no other variant is one.
        let timeout = Error::Timeout {
            attempts: 1,
            overall: false,
            maybe_sent: true,
        };
        assert!(!timeout.is_reused_reference());
        assert!(!Error::BlockingInAsync.is_reused_reference());
    }

    /// Issue 24, item 3: a `Retry-After` as long as a `Duration` can be is rounded up to whole
    /// seconds in the message without overflowing.
    #[test]
    fn duration_max_retry_after_is_shown_without_overflow() {
        let err = Error::HttpStatus {
            status: 503,
            snippet: String::new(),
            attempts: 1,
            retry_after: Some(Duration::MAX),
        };
        let shown = err.to_string();
        assert!(
            shown.contains(&format!("retry after {} s", u64::MAX)),
            "{shown}"
        );
    }
}
