//! Reading an answer: HTTP status, then the envelope, then the typed payload, each failure its own.

use crate::{Endpoint, Envelope, EnvelopeError, RetCode};

/// Why an answer is not a success, in the classes `pockyt::Error` uses.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ResponseError {
    /// An HTTP error status (from the gateway or a proxy), with the start of the body, redacted.
    #[error("the gateway answered HTTP {status}: {snippet}")]
    #[non_exhaustive]
    Status {
        /// The status code.
        status: u16,
        /// The start of the body, redacted.
        snippet: String,
    },
    /// The gateway refused the request: a `ret_code` other than `000100`.
    #[error("the gateway refused the request: {ret_code} `{ret_msg}` ({})", ret_code.meaning())]
    #[non_exhaustive]
    Api {
        /// The return code.
        ret_code: RetCode,
        /// The gateway's message.
        ret_msg: String,
    },
    /// The body is not the expected envelope or payload: the `source()` says what went wrong.
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

/// Decodes an answer to `E`: the status first, the envelope second, the typed payload last, so a
/// business error is always [`ResponseError::Api`], never a JSON error. This is what
/// `pockyt::Client` decodes with.
///
/// ```
/// use pockyt_types::{ResponseError, RetCode, TranQueryRequest, decode_response};
///
/// let ok = br#"{"ret_code":"000100","ret_msg":"ok","result":{"transactionNo":"1","amount":"1.00"}}"#;
/// let envelope = decode_response::<TranQueryRequest>(200, ok)?;
/// assert_eq!(envelope.result.and_then(|r| r.transaction_no).as_deref(), Some("1"));
///
/// let refused = br#"{"ret_code":"000021","ret_msg":"no record"}"#;
/// assert!(matches!(
///     decode_response::<TranQueryRequest>(200, refused),
///     Err(ResponseError::Api { ret_code: RetCode::NoRecord, .. })
/// ));
/// # Ok::<(), ResponseError>(())
/// ```
pub fn decode_response<E: Endpoint>(
    status: u16,
    body: &[u8],
) -> Result<Envelope<E::Response>, ResponseError> {
    let success = (200..300).contains(&status);
    if success
        && E::RESPONSE_KEYS == ["result"]
        && let Some(envelope) = crate::envelope::decode_success_under_result(body)
    {
        return Ok(envelope);
    }
    let envelope = crate::RawEnvelope::parse(body);
    if !success {
        // Some proxies answer errors with the gateway's own envelope; prefer its code when present.
        if let Ok(envelope) = &envelope
            && let Ok(ret_code) = envelope.ret_code()
            && !ret_code.is_success()
        {
            return Err(ResponseError::Api {
                ret_code,
                ret_msg: envelope.ret_msg(),
            });
        }
        return Err(ResponseError::Status {
            status,
            snippet: snippet(body),
        });
    }
    let decode_error = |error| ResponseError::Decode {
        error,
        snippet: snippet(body),
    };
    let envelope = envelope.map_err(decode_error)?;
    let ret_code = envelope.ret_code().map_err(decode_error)?;
    if !ret_code.is_success() {
        return Err(ResponseError::Api {
            ret_code,
            ret_msg: envelope.ret_msg(),
        });
    }
    envelope
        .into_envelope(E::RESPONSE_KEYS)
        .map_err(decode_error)
}

/// The start of a body for an error message: at most 160 characters, whitespace collapsed, and
/// anything that looks like a key, signature or card number masked.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(4096)]);
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let masked = crate::redact::mask(&collapsed);
    let mut clipped: String = masked.chars().take(160).collect();
    if clipped.len() < masked.len() || body.len() > 4096 {
        clipped.push('…');
    }
    clipped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_short_and_masked() {
        let body = b"<html>\n  <body>Bad Gateway 186abea4b8610d7ff03768255588597a card 4111111111111111</body></html>";
        let s = snippet(body);
        assert!(
            s.starts_with("<html> <body>Bad Gateway <redacted> card <redacted>"),
            "{s}"
        );
        assert!(!s.contains("186abea4"));
        let long = "x".repeat(10_000);
        assert!(snippet(long.as_bytes()).chars().count() <= 161);
        assert_eq!(snippet(&[0xff, 0xfe]), "\u{fffd}\u{fffd}");
    }

    #[test]
    fn a_snippet_is_marked_cut_only_when_something_was_left_out() {
        // Words of letters: nothing to mask, one space between them either way.
        let words = |n: usize| "ab ".repeat(n);
        let exactly = words(54); // 54 words: 53 × 3 + 2 = 161 characters collapsed
        let fits = &exactly[..exactly.len() - 4]; // 53 words: 158 characters
        assert_eq!(snippet(fits.as_bytes()), fits.trim_end());
        let cut = snippet(exactly.as_bytes());
        assert!(cut.ends_with('…') && cut.chars().count() == 161, "{cut}");
        let at_160 = "g".repeat(160);
        assert_eq!(snippet(at_160.as_bytes()), at_160);
        // Past the 4096 bytes read, the body was cut even when what is left is short.
        let padded_4096 = format!("ab{}", " ".repeat(4094));
        assert_eq!(snippet(padded_4096.as_bytes()), "ab");
        let padded_4097 = format!("ab{}", " ".repeat(4095));
        assert_eq!(snippet(padded_4097.as_bytes()), "ab…");
    }

    mod decoding {
        use crate::{PayeeRetrieveRequest, RetCode, TranQueryRequest};

        use super::super::*;

        #[test]
        fn a_payload_under_another_key_is_found_there() {
            let body = br#"{"ret_code":"000100","ret_msg":"ok","customer":{"customerNo":"1001"}}"#;
            let envelope = decode_response::<PayeeRetrieveRequest>(200, body).unwrap();
            let payee = envelope.result.expect("the payee, read under `customer`");
            assert_eq!(payee.customer_no.as_deref(), Some("1001"));
        }

        #[test]
        fn a_success_status_with_a_refusal_is_an_api_error() {
            let body = br#"{"ret_code":"000021","ret_msg":"no record"}"#;
            let error = decode_response::<TranQueryRequest>(200, body).unwrap_err();
            assert!(matches!(
                error,
                ResponseError::Api {
                    ret_code: RetCode::NoRecord,
                    ..
                }
            ));
        }

        #[test]
        fn an_error_status_is_a_status_error_unless_its_body_is_a_refusal() {
            let html = b"<html>502</html>";
            let error = decode_response::<TranQueryRequest>(502, html).unwrap_err();
            assert!(
                matches!(error, ResponseError::Status { status: 502, .. }),
                "{error}"
            );
            let refusal = br#"{"ret_code":"000021","ret_msg":"no record"}"#;
            let error = decode_response::<TranQueryRequest>(404, refusal).unwrap_err();
            assert!(matches!(
                error,
                ResponseError::Api {
                    ret_code: RetCode::NoRecord,
                    ..
                }
            ));
            // A success envelope behind an error status is still the status's failure.
            let success = br#"{"ret_code":"000100","ret_msg":"ok","result":{}}"#;
            let error = decode_response::<TranQueryRequest>(503, success).unwrap_err();
            assert!(
                matches!(error, ResponseError::Status { status: 503, .. }),
                "{error}"
            );
            let ok = decode_response::<TranQueryRequest>(200, success).unwrap();
            assert!(ok.result.is_some());
        }
    }
}
