//! What went wrong in one attempt, by kind, and whether the request may have reached the server.

use std::error::Error as StdError;
use std::fmt;

/// What kind of failure a transport hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (DNS, refused, unreachable). Nothing was sent.
    Connect,
    /// The TLS handshake failed (certificate, protocol). Nothing was sent.
    Tls,
    /// The HTTP proxy could not be reached or refused the tunnel (407, 403, 502). Nothing was sent.
    Proxy,
    /// The transport's own timeout fired (e.g. connecting).
    Timeout,
    /// The connection failed after it was made: reset, closed early, malformed HTTP.
    Io,
    /// The response body was larger than the configured cap; reading stopped at the cap.
    BodyTooLarge,
    /// Anything else (an invalid request, a transport-specific problem).
    Other,
}

impl TransportErrorKind {
    /// What failed, naming no peer: the same transport calls the gateway for the client and a
    /// merchant's IPN receiver for the simulator and `pockyt ipn send`, so "the server" is
    /// whichever the request went to (the client's own error says it was the gateway).
    fn describe(self) -> &'static str {
        match self {
            Self::Connect => "could not connect to the server",
            Self::Tls => "TLS handshake with the server failed",
            Self::Proxy => "the HTTP proxy could not be used",
            Self::Timeout => "the transport timed out",
            Self::Io => "the connection failed during the exchange",
            Self::BodyTooLarge => "the response body exceeded the size cap",
            Self::Other => "the transport failed",
        }
    }
}

/// A failed attempt, with its kind, whether the request may have reached the server, and the cause.
pub struct TransportError {
    kind: TransportErrorKind,
    maybe_sent: bool,
    detail: Option<String>,
    source: Option<Box<dyn StdError + Send + Sync>>,
}

impl TransportError {
    /// A new error. `maybe_sent` must be `false` only when the request certainly did not leave.
    pub fn new(kind: TransportErrorKind, maybe_sent: bool) -> Self {
        Self {
            kind,
            maybe_sent,
            detail: None,
            source: None,
        }
    }

    /// A connect failure: nothing was sent.
    pub fn connect(source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        Self::new(TransportErrorKind::Connect, false).with_source(source)
    }

    /// A failure after the request may have been sent.
    pub fn io(source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        Self::new(TransportErrorKind::Io, true).with_source(source)
    }

    /// Adds the underlying cause.
    pub fn with_source(mut self, source: impl Into<Box<dyn StdError + Send + Sync>>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Adds a short human-readable detail (never a body, token or key).
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether the request may have reached the gateway. When `false`, resending cannot create a
    /// duplicate; when `true`, a payment must be checked (by `reference`) before it is tried again.
    pub fn request_may_have_been_sent(&self) -> bool {
        self.maybe_sent
    }
}

/// What failed, where and why (the detail), and whether anything was sent. The cause is not
/// repeated here: it is [`StdError::source`], so a chain printer shows each layer once.
impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind.describe())?;
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        f.write_str(if self.maybe_sent {
            "; the request may have reached the server"
        } else {
            "; nothing was sent"
        })
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("kind", &self.kind)
            .field("maybe_sent", &self.maybe_sent)
            .field("detail", &self.detail)
            .field("source", &self.source)
            .finish()
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_says_what_where_and_whether_sent_and_the_cause_stays_a_source() {
        let refused = TransportError::connect(std::io::Error::other("os says no"))
            .with_detail("mapi.example:443: connection refused");
        let text = refused.to_string();
        assert_eq!(
            text,
            "could not connect to the server: mapi.example:443: connection refused; nothing was sent"
        );
        assert!(!text.contains("os says no"));
        assert_eq!(
            refused.source().map(|s| s.to_string()).as_deref(),
            Some("os says no")
        );
        let reset = TransportError::io(std::io::Error::other("reset"));
        assert!(
            reset
                .to_string()
                .ends_with("the request may have reached the server")
        );
        assert!(reset.request_may_have_been_sent());
        let shown = format!("{reset:?}");
        assert!(
            shown.contains("Io") && shown.contains("maybe_sent: true"),
            "{shown}"
        );
        let descriptions: std::collections::HashSet<&str> = [
            TransportErrorKind::Connect,
            TransportErrorKind::Tls,
            TransportErrorKind::Proxy,
            TransportErrorKind::Timeout,
            TransportErrorKind::Io,
            TransportErrorKind::BodyTooLarge,
            TransportErrorKind::Other,
        ]
        .into_iter()
        .map(TransportErrorKind::describe)
        .collect();
        assert_eq!(
            descriptions.len(),
            7,
            "each kind says what failed in its own words"
        );
        assert!(descriptions.iter().all(|d| d.len() > 10));
    }

    /// Issue 24, item 10: the simulator's IPN attempts and `pockyt ipn send` reported "could not
    /// connect to the gateway" for a merchant's receiver. The transport's words name no peer.
    #[test]
    fn ipn_delivery_errors_do_not_call_the_receiver_the_gateway() {
        use TransportErrorKind::*;
        for kind in [Connect, Tls, Proxy, Timeout, Io, BodyTooLarge, Other] {
            for maybe_sent in [false, true] {
                let text = TransportError::new(kind, maybe_sent).to_string();
                assert!(!text.contains("gateway"), "{kind:?}: {text}");
            }
        }
    }
}
