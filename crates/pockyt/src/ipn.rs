//! Instant payment notifications (IPNs): verify the gateway's form POST, then act on it.
//!
//! The gateway posts a form to your `ipnUrl` and retries (up to 8 times in 2 hours) until your
//! handler answers with the body [`ACK_BODY`] (`success`). Verify first, then process idempotently
//! (the same notification may arrive more than once), then acknowledge:
//!
//! ```
//! use pockyt::ipn;
//! use pockyt_sign::SigningKey;
//!
//! let key = SigningKey::from_token("my-test-token-001");
//! let body = b"transactionNo=305680500880311999&status=success&amount=12.50&currency=USD\
//!     &settleCurrency=USD&reference=order-20240101-0001&time=20240101123045&note=gift+%26+wrap\
//!     &verifySign=483259834717a8229294aece8041a8e3";
//!
//! let notification = ipn::verify_form(body, &key)?;
//! assert!(notification.is_success());
//! assert_eq!(notification.reference.as_deref(), Some("order-20240101-0001"));
//! // ...record the payment (idempotently), then answer the gateway:
//! let reply = ipn::ACK_BODY;
//! # let _ = reply;
//! # Ok::<(), ipn::IpnError>(())
//! ```

use std::collections::BTreeMap;

use pockyt_sign::{SigningKey, VerifyError};
use pockyt_types::{Amount, Currency, SettleCurrency, TransactionStatus};

use crate::form::{self, FormError};

#[cfg(feature = "test-util")]
pub mod testing;
mod webhook;

pub use webhook::{
    AutoDebitNotification, CaptureNotification, PayeeAccountNotification, PayoutNotification,
    Webhook, verify_webhook, verify_webhook_pairs,
};

/// The exact body that acknowledges a notification. Anything else makes the gateway send it again.
pub const ACK_BODY: &str = "success";

/// The largest notification body accepted (64 KiB; real ones are a few hundred bytes).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Why a notification was not accepted. Answer anything but `success` (e.g. HTTP 400) so the
/// gateway retries, and alert if it keeps happening.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IpnError {
    /// The body is larger than [`MAX_BODY_BYTES`].
    #[error("the notification body is {len} bytes; at most {max} are accepted")]
    #[non_exhaustive]
    TooLarge {
        /// Bytes received.
        len: usize,
        /// The limit.
        max: usize,
    },
    // The inner errors are shown in the message, so they are not also `source()` (RFC 0022: a
    // chain printer shows each layer once).
    /// The body is not a form.
    #[error("the notification body is not a form: {0}")]
    Malformed(FormError),
    /// The signature is missing, malformed, wrong, or the body repeats a name.
    #[error("the notification is not authentic: {0}")]
    Signature(VerifyError),
    /// A verified field does not parse (e.g. an amount that is not a decimal).
    #[error("verified notification field `{field}` is not valid: {reason}")]
    #[non_exhaustive]
    InvalidField {
        /// The wire name.
        field: &'static str,
        /// Why.
        reason: String,
    },
}

impl From<FormError> for IpnError {
    fn from(error: FormError) -> Self {
        IpnError::Malformed(error)
    }
}

impl From<VerifyError> for IpnError {
    fn from(error: VerifyError) -> Self {
        IpnError::Signature(error)
    }
}

/// A verified notification. Every field is as the gateway sent it; fields it did not send are absent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Notification {
    /// `transactionNo`: Pockyt's transaction number.
    pub transaction_no: Option<String>,
    /// `status`: e.g. `success`, `closed`.
    pub status: Option<TransactionStatus>,
    /// `reference`: your order id.
    pub reference: Option<String>,
    /// `amount`.
    pub amount: Option<Amount>,
    /// `currency`.
    pub currency: Option<Currency>,
    /// `settleCurrency`.
    pub settle_currency: Option<SettleCurrency>,
    /// `time`: `YYYYMMDDHHMMSS` (UTC+8 per the docs).
    pub time: Option<String>,
    /// `vendorId`: the wallet's own transaction id.
    pub vendor_id: Option<String>,
    /// `note`: the note you sent with the payment.
    pub note: Option<String>,
    /// Every other field, verified along with the rest (e.g. `rmbAmount`, `yuansferId`).
    pub extra: BTreeMap<String, String>,
}

impl Notification {
    /// Whether the status is `success`.
    pub fn is_success(&self) -> bool {
        self.status == Some(TransactionStatus::Success)
    }
}

/// Verifies a raw form body exactly as received and returns the typed notification.
///
/// Every pair except `verifySign` is signed, exactly as decoded; repeated names are refused; the
/// signature comparison is constant-time. If verification fails and some values are empty, it is
/// tried once more without the empty pairs (the official Go SDK signs that way).
///
/// This reads a payment notification; [`verify_webhook`] reads every kind (captures, auto-debit,
/// payouts, payee accounts) and tells them apart.
pub fn verify_form(body: &[u8], key: &SigningKey) -> Result<Notification, IpnError> {
    verify_form_pairs(body, key, notification)
}

/// The size cap, the form parse and the signature, then `read` over the verified pairs.
fn verify_form_pairs<T>(
    body: &[u8],
    key: &SigningKey,
    read: impl FnOnce(&[(&str, &str)]) -> Result<T, IpnError>,
) -> Result<T, IpnError> {
    if body.len() > MAX_BODY_BYTES {
        return Err(IpnError::TooLarge {
            len: body.len(),
            max: MAX_BODY_BYTES,
        });
    }
    let pairs = form::parse(body)?;
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    verify_signature(&pairs, key)?;
    read(&pairs)
}

/// Verifies pairs a web framework already decoded (use the raw pairs, in any order, duplicates
/// included: never a map that silently kept one of two values).
pub fn verify_pairs<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    key: &SigningKey,
) -> Result<Notification, IpnError> {
    let pairs: Vec<(&str, &str)> = pairs.into_iter().collect();
    verify_signature(&pairs, key)?;
    notification(&pairs)
}

/// Every pair but `verifySign` signed as received; failing that, without the empty pairs (the
/// official Go SDK signs that way).
fn verify_signature(pairs: &[(&str, &str)], key: &SigningKey) -> Result<(), IpnError> {
    match pockyt_sign::verify_embedded(pairs.iter().copied(), key) {
        Ok(()) => Ok(()),
        Err(VerifyError::Mismatch) if pairs.iter().any(|(_, v)| v.is_empty()) => {
            pockyt_sign::verify_embedded(
                pairs.iter().copied().filter(|(_, v)| !v.is_empty()),
                key,
            )?;
            Ok(())
        }
        Err(other) => Err(other.into()),
    }
}

fn notification(pairs: &[(&str, &str)]) -> Result<Notification, IpnError> {
    let mut n = Notification::default();
    for &(name, value) in pairs {
        let text = || Some(value.to_owned());
        match name {
            pockyt_sign::SIGNATURE_PARAM => {}
            "transactionNo" => n.transaction_no = text(),
            "status" => n.status = Some(TransactionStatus::from(value)),
            "reference" => n.reference = text(),
            "amount" => {
                n.amount = Some(Amount::parse(value).map_err(|e| IpnError::InvalidField {
                    field: "amount",
                    reason: e.to_string(),
                })?)
            }
            "currency" => n.currency = Some(Currency::from(value)),
            "settleCurrency" => n.settle_currency = Some(SettleCurrency::from(value)),
            "time" => n.time = text(),
            "vendorId" => n.vendor_id = text(),
            "note" => n.note = text(),
            other => {
                n.extra.insert(other.to_owned(), value.to_owned());
            }
        }
    }
    Ok(n)
}

/// What a browser brought back to your `callbackUrl`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Callback {
    /// The redirect carried a `verifySign` that verified: its fields are authentic.
    Verified(Box<Notification>),
    /// No signature: **untrusted**, anyone can craft this URL. Show a "thank you / pending" page
    /// from it, but fulfil orders only from a verified IPN or a `tran_query`.
    Unverified(BTreeMap<String, String>),
}

/// Reads the query string of a `callbackUrl` redirect (without the leading `?`).
///
/// A redirect that carries `verifySign` must verify, or this fails; one without it comes back as
/// [`Callback::Unverified`].
pub fn parse_callback(query: &str, key: &SigningKey) -> Result<Callback, IpnError> {
    if query.len() > MAX_BODY_BYTES {
        return Err(IpnError::TooLarge {
            len: query.len(),
            max: MAX_BODY_BYTES,
        });
    }
    let pairs = form::parse(query.as_bytes())?;
    if pairs.iter().any(|(n, _)| n == pockyt_sign::SIGNATURE_PARAM) {
        return verify_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())), key)
            .map(|n| Callback::Verified(Box::new(n)));
    }
    let mut fields = BTreeMap::new();
    for (name, value) in pairs {
        if fields.contains_key(&name) {
            return Err(IpnError::Signature(VerifyError::duplicate_name(name)));
        }
        fields.insert(name, value);
    }
    Ok(Callback::Unverified(fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_layer_is_shown_once() {
        use std::error::Error as _;
        let key = SigningKey::from_token("my-test-token-001");
        for body in [&b"a=%zz"[..], b"a=1&verifySign=00"] {
            let error = verify_form(body, &key).unwrap_err();
            let inner = match &error {
                IpnError::Malformed(inner) => inner.to_string(),
                IpnError::Signature(inner) => inner.to_string(),
                other => panic!("unexpected {other:?}"),
            };
            assert!(error.to_string().ends_with(&inner), "{error}");
            assert!(
                error.source().is_none(),
                "{error}: the cause is in the message already"
            );
        }
    }

    fn key() -> SigningKey {
        SigningKey::from_token("my-test-token-001")
    }

    const V2: &[u8] = b"transactionNo=305680500880311999&status=success&amount=12.50&currency=USD&settleCurrency=USD&reference=order-20240101-0001&time=20240101123045&note=gift+%26+wrap&verifySign=483259834717a8229294aece8041a8e3";

    #[test]
    fn verifies_the_reference_vector() {
        let n = verify_form(V2, &key()).unwrap();
        assert_eq!(n.transaction_no.as_deref(), Some("305680500880311999"));
        assert_eq!(n.amount, Some(Amount::parse("12.5").unwrap()));
        assert_eq!(n.note.as_deref(), Some("gift & wrap"));
        assert!(n.extra.is_empty());
        assert!(n.is_success());
    }

    #[test]
    fn tampering_is_detected() {
        let tampered = String::from_utf8_lossy(V2).replace("12.50", "1250.00");
        assert_eq!(
            verify_form(tampered.as_bytes(), &key()),
            Err(IpnError::Signature(VerifyError::Mismatch))
        );
        let other_key = SigningKey::from_token("another");
        assert!(verify_form(V2, &other_key).is_err());
    }

    #[test]
    fn missing_signature_and_duplicates_are_refused() {
        let unsigned = b"status=success&amount=12.50";
        assert_eq!(
            verify_form(unsigned, &key()),
            Err(IpnError::Signature(VerifyError::Missing))
        );
        let twice = [V2, b"&status=closed"].concat();
        assert!(matches!(
            verify_form(&twice, &key()),
            Err(IpnError::Signature(VerifyError::DuplicateName { .. }))
        ));
    }

    #[test]
    fn oversized_and_malformed_bodies() {
        let big = vec![b'a'; MAX_BODY_BYTES + 1];
        assert!(matches!(
            verify_form(&big, &key()),
            Err(IpnError::TooLarge { .. })
        ));
        assert!(matches!(
            verify_form(b"a=%zz", &key()),
            Err(IpnError::Malformed(_))
        ));
    }

    #[test]
    fn empty_values_fall_back_to_the_go_convention() {
        let pairs = [
            ("status", "success"),
            ("amount", "1.00"),
            ("reference", "r"),
        ];
        let sig = pockyt_sign::sign(pairs, &key()).unwrap().to_string();
        let mut with_empty = pairs.to_vec();
        with_empty.push(("note", ""));
        with_empty.push(("verifySign", &sig));
        let n = verify_pairs(with_empty, &key()).unwrap();
        assert_eq!(n.note.as_deref(), Some(""));
    }

    proptest::proptest! {
        /// Property mirror of the `ipn_verify_form` fuzz target.
        #[test]
        fn arbitrary_bodies_never_panic(body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            let _ = verify_form(&body, &key());
            if let Ok(query) = std::str::from_utf8(&body) {
                let _ = parse_callback(query, &key());
            }
        }
    }

    #[test]
    fn callbacks_without_a_signature_are_untrusted() {
        match parse_callback("status=success&reference=o1", &key()).unwrap() {
            Callback::Unverified(fields) => assert_eq!(fields["status"], "success"),
            other => panic!("expected unverified, got {other:?}"),
        }
        let query = std::str::from_utf8(V2).unwrap();
        assert!(matches!(
            parse_callback(query, &key()),
            Ok(Callback::Verified(_))
        ));
        let forged = query.replace("success", "closed");
        assert!(parse_callback(&forged, &key()).is_err());
    }

    #[test]
    fn only_success_is_success() {
        for status in [
            "closed", "failed", "pending", "init", "fail", "reversed", "paid", "",
        ] {
            let n = Notification {
                status: Some(TransactionStatus::from(status)),
                ..Notification::default()
            };
            assert!(!n.is_success(), "{status}");
        }
        assert!(
            !Notification::default().is_success(),
            "no status is not success"
        );
        let paid = Notification {
            status: Some(TransactionStatus::Success),
            ..Notification::default()
        };
        assert!(paid.is_success());
    }

    #[test]
    fn the_size_cap_is_64_kib_at_the_limit_and_one_past_it() {
        assert_eq!(MAX_BODY_BYTES, 65_536);
        let at = vec![b'a'; MAX_BODY_BYTES];
        let past = vec![b'a'; MAX_BODY_BYTES + 1];
        // At the cap the body is read (and refused for its signature), past it not at all.
        assert!(matches!(
            verify_form(&at, &key()),
            Err(IpnError::Signature(_))
        ));
        assert_eq!(
            verify_form(&past, &key()),
            Err(IpnError::TooLarge {
                len: MAX_BODY_BYTES + 1,
                max: MAX_BODY_BYTES
            })
        );
        let at = "a".repeat(MAX_BODY_BYTES);
        let past = "a".repeat(MAX_BODY_BYTES + 1);
        assert!(matches!(
            parse_callback(&at, &key()),
            Ok(Callback::Unverified(_))
        ));
        assert!(matches!(
            parse_callback(&past, &key()),
            Err(IpnError::TooLarge { .. })
        ));
    }
}
