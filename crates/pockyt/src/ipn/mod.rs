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
use pockyt_types::{Amount, AmountError, Currency, GatewayTime, SettleCurrency, TransactionStatus};

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

/// The most fields a notification may have, `verifySign` included. The largest documented kind
/// (a payment, with the legacy `rmbAmount` and `yuansferId`) has 12; the margin leaves room for
/// fields the gateway adds, and refuses a body padded with thousands of pairs.
pub const MAX_FIELDS: usize = 32;

/// The most empty values a notification may have. An empty value is the same as an absent field
/// (the rule of every verifier here), so empty pairs carry nothing; the few allowed cover a gateway
/// that sends unset optional fields (`note=`), and the cap keeps a forger from appending many.
pub const MAX_EMPTY_FIELDS: usize = 8;

/// Every field name a notification of any kind is documented to carry, and `verifySign`: a
/// value that embeds one of them as `&name=` is refused (see [`verify_form`]).
pub const KNOWN_FIELDS: &[&str] = &[
    "accountStatus",
    "accountTag",
    "accountToken",
    "accountType",
    "amount",
    "autoDebitNo",
    "autoReference",
    "completedAt",
    "country",
    "currency",
    "customerNo",
    "invoiceId",
    "note",
    "payeeAccount",
    "paymentTime",
    "reference",
    "rmbAmount",
    "settleCurrency",
    "status",
    "time",
    "transactionNo",
    "vendor",
    "vendorId",
    "verifySign",
    "yuansferId",
];

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
    // The inner errors are the `source()`, not repeated in the message (RFC 0022, the
    // workspace's rule: a chain printer shows each layer once).
    /// The body is not a form: the `source()` says where.
    #[error("the notification body is not a form")]
    Malformed(#[source] FormError),
    /// The signature is missing, malformed, wrong, or the body repeats a name: the `source()`
    /// says which.
    #[error("the notification is not authentic")]
    Signature(#[source] VerifyError),
    /// More fields, or more empty values, than any notification has ([`MAX_FIELDS`],
    /// [`MAX_EMPTY_FIELDS`]). Nothing was verified.
    #[error(
        "the notification has {count} {}; at most {max} are accepted, as no notification has more",
        if *empty { "empty values" } else { "fields" }
    )]
    #[non_exhaustive]
    TooManyFields {
        /// How many were received.
        count: usize,
        /// The limit.
        max: usize,
        /// Whether the count is of empty values (else of all fields).
        empty: bool,
    },
    /// The signature verified, but a value has a shape the gateway never sends: a `transactionNo`
    /// that is not digits, a `time` that is not `YYYYMMDDHHMMSS`, or a value that embeds another
    /// field as `&name=`. The gateway signs `name=value&…` over raw values, so the same signature
    /// also verifies other ways of cutting that text into fields; such a cut is refused here.
    #[error(
        "verified notification field `{field}` is not what the gateway sends: {reason}; refused, as \
         the signed text may have been re-split into other fields"
    )]
    #[non_exhaustive]
    NeverSent {
        /// The wire name of the field (cut to 64 characters).
        field: String,
        /// What is wrong with its value.
        reason: String,
    },
    /// A verified field does not parse (e.g. an amount that is not a decimal).
    #[error("verified notification field `{field}` is not valid")]
    #[non_exhaustive]
    InvalidField {
        /// The wire name.
        field: &'static str,
        /// Why.
        #[source]
        source: AmountError,
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

/// A verified notification. Every field is as the gateway sent it; fields it did not send, or sent
/// empty, are absent.
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
    /// `time`: `YYYYMMDDHHMMSS` on the gateway's UTC+8 clock; [`GatewayTime::to_utc`] reads it.
    pub time: Option<GatewayTime>,
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
/// signature comparison is constant-time. An empty value is the same as an absent field: the
/// signature may cover every received pair or only the non-empty ones (the official Go SDK signs
/// that way), nothing else, and empty values are left out of the result. A body with more than
/// [`MAX_FIELDS`] fields or [`MAX_EMPTY_FIELDS`] empty values is refused before verifying.
///
/// A verified body is still refused ([`IpnError::NeverSent`]) if it holds what the gateway never
/// sends: a `transactionNo` that is not digits, a `time` that is not 14 digits, or a value that
/// embeds one of the [`KNOWN_FIELDS`] as `&name=`. The signature covers the text `k=v&…`, not the
/// split into fields, so such a value could be a genuine notification re-cut into another one;
/// [the webhooks guide](crate::guide::webhooks) says what this leaves and what a handler should check.
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

/// The checks every verifier shares, in order: the field counts, the signature (over every pair
/// as received, or over the non-empty ones: `pockyt_sign::verify_received`, the one rule for
/// empty values), then the shapes the gateway never sends.
fn verify_signature(pairs: &[(&str, &str)], key: &SigningKey) -> Result<(), IpnError> {
    // Counted before hashing: a padded body costs nothing to refuse.
    if pairs.len() > MAX_FIELDS {
        return Err(IpnError::TooManyFields {
            count: pairs.len(),
            max: MAX_FIELDS,
            empty: false,
        });
    }
    let empty = pairs.iter().filter(|(_, v)| v.is_empty()).count();
    if empty > MAX_EMPTY_FIELDS {
        return Err(IpnError::TooManyFields {
            count: empty,
            max: MAX_EMPTY_FIELDS,
            empty: true,
        });
    }
    pockyt_sign::verify_received(pairs, key)?;
    never_sent(pairs)
}

/// Refuses a verified value the gateway never sends (see [`verify_form`]). Empty values are
/// absent fields, so they are not checked.
fn never_sent(pairs: &[(&str, &str)]) -> Result<(), IpnError> {
    let refuse = |field: &str, reason: String| {
        Err(IpnError::NeverSent {
            field: field.chars().take(64).collect(),
            reason,
        })
    };
    for &(name, value) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        if let Some(embedded) = embedded_field(value) {
            return refuse(name, format!("its value embeds `&{embedded}=`"));
        }
        let digits = |len: std::ops::RangeInclusive<usize>| {
            len.contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit())
        };
        match name {
            // The gateway's numbers are 18 digits today; 32 leaves room and bounds the echo.
            "transactionNo" if !digits(1..=32) => {
                return refuse(name, "it must be digits only".to_owned());
            }
            "time" if !digits(14..=14) => {
                return refuse(name, "it must be 14 digits, YYYYMMDDHHMMSS".to_owned());
            }
            _ => {}
        }
    }
    Ok(())
}

/// The first of the [`KNOWN_FIELDS`] that `value` embeds as `&name=` (in any case: a handler
/// may read names case-insensitively).
fn embedded_field(value: &str) -> Option<&'static str> {
    value.split('&').skip(1).find_map(|after| {
        let (name, _) = after.split_once('=')?;
        KNOWN_FIELDS
            .iter()
            .copied()
            .find(|known| known.eq_ignore_ascii_case(name))
    })
}

fn notification(pairs: &[(&str, &str)]) -> Result<Notification, IpnError> {
    let mut n = Notification::default();
    // An empty value is an absent field: an appended `isRefund=` must not show up as present.
    for &(name, value) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        let text = || Some(value.to_owned());
        match name {
            pockyt_sign::SIGNATURE_PARAM => {}
            "transactionNo" => n.transaction_no = text(),
            "status" => n.status = Some(TransactionStatus::from(value)),
            "reference" => n.reference = text(),
            "amount" => {
                n.amount = Some(Amount::parse(value).map_err(|e| IpnError::InvalidField {
                    field: "amount",
                    source: e,
                })?)
            }
            "currency" => n.currency = Some(Currency::from(value)),
            "settleCurrency" => n.settle_currency = Some(SettleCurrency::from(value)),
            "time" => n.time = text().map(GatewayTime::new),
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
            assert!(!error.to_string().contains(&inner), "{error}");
            assert_eq!(
                error.source().map(ToString::to_string),
                Some(inner),
                "{error}: the cause is the source, not the message"
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
        assert_eq!(n.note, None, "an empty value is an absent field");
    }

    /// The genuine reference body as pairs, without its signature, and the signature.
    fn v2_pairs() -> (Vec<(String, String)>, String) {
        let mut pairs = form::parse(V2).unwrap();
        let (_, signature) = pairs.pop().unwrap();
        (pairs, signature)
    }

    fn body_of(pairs: &[(String, String)], signature: &str) -> Vec<u8> {
        form::encode(
            pairs
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .chain([("verifySign", signature)]),
        )
        .into_bytes()
    }

    /// Issue 24, item 6: `isRefund=` and 6,000 empty `pN=` appended to a genuine IPN verified
    /// through the fallback that drops empty pairs, and `isRefund` showed up as present. Now the
    /// counts are capped before verifying, and an empty value is an absent field.
    #[test]
    fn empty_pairs_appended_to_a_genuine_ipn_are_bounded_and_absent() {
        let (pairs, signature) = v2_pairs();
        let mut appended = pairs.clone();
        appended.push(("isRefund".into(), String::new()));
        let n = verify_form(&body_of(&appended, &signature), &key()).unwrap();
        assert!(n.extra.is_empty(), "{:?}", n.extra);
        assert!(
            !matches!(
                verify_webhook(&body_of(&appended, &signature), &key()).unwrap(),
                Webhook::Unknown(_)
            ),
            "still a payment"
        );
        // An empty `autoDebitNo=` does not turn the payment into an auto-debit notice.
        let mut kind = pairs.clone();
        kind.push(("autoDebitNo".into(), String::new()));
        assert!(matches!(
            verify_webhook(&body_of(&kind, &signature), &key()),
            Ok(Webhook::Payment(_))
        ));
        // 6,000 empty pairs: refused by count, before any hashing.
        let mut padded = pairs.clone();
        padded.extend((0..6000).map(|i| (format!("p{i}"), String::new())));
        assert_eq!(
            verify_form(&body_of(&padded, &signature), &key()),
            Err(IpnError::TooManyFields {
                count: 6000 + pairs.len() + 1,
                max: MAX_FIELDS,
                empty: false
            })
        );
        // The empty-value cap, at the limit and one past it (the genuine body has no empty value).
        let with_empties = |count: usize| {
            let mut more = pairs.clone();
            more.extend((0..count).map(|i| (format!("e{i}"), String::new())));
            verify_form(&body_of(&more, &signature), &key())
        };
        assert!(with_empties(MAX_EMPTY_FIELDS).is_ok());
        assert_eq!(
            with_empties(MAX_EMPTY_FIELDS + 1),
            Err(IpnError::TooManyFields {
                count: MAX_EMPTY_FIELDS + 1,
                max: MAX_EMPTY_FIELDS,
                empty: true
            })
        );
        // The field cap, at the limit and one past it, with signed non-empty fields.
        let with_fields = |count: usize| {
            let fields: Vec<(String, String)> = (0..count - 1)
                .map(|i| (format!("f{i:02}"), "1".to_owned()))
                .collect();
            let sig =
                pockyt_sign::sign(fields.iter().map(|(n, v)| (n.as_str(), v.as_str())), &key())
                    .unwrap()
                    .to_string();
            verify_form(&body_of(&fields, &sig), &key())
        };
        assert!(with_fields(MAX_FIELDS).is_ok());
        assert!(matches!(
            with_fields(MAX_FIELDS + 1),
            Err(IpnError::TooManyFields { empty: false, .. })
        ));
    }

    /// Issue 24, item 6, both branches of the rule for empty values: a signature over every pair
    /// (empty ones included, as PHP, Python, Java and JS sign) verifies; one over the non-empty
    /// pairs (as the Go SDK signs) verifies; anything else, empty pairs or not, is a mismatch.
    #[test]
    fn empty_values_verify_over_all_pairs_or_the_non_empty_ones_and_nothing_else() {
        let all = [("amount", "1.00"), ("note", ""), ("status", "success")];
        let non_empty = [("amount", "1.00"), ("status", "success")];
        let sign = |pairs: &[(&str, &str)]| {
            pockyt_sign::sign(pairs.iter().copied(), &key())
                .unwrap()
                .to_string()
        };
        for signature in [sign(&all), sign(&non_empty)] {
            let received = all
                .iter()
                .copied()
                .chain([("verifySign", signature.as_str())]);
            let n = verify_pairs(received, &key()).unwrap();
            assert_eq!((n.is_success(), n.note), (true, None));
        }
        // Signed over something else: refused, with the empty pair and without one.
        let other = sign(&[("amount", "2.00"), ("status", "success")]);
        for received in [&all[..], &non_empty[..]] {
            let received = received
                .iter()
                .copied()
                .chain([("verifySign", other.as_str())]);
            assert_eq!(
                verify_pairs(received, &key()),
                Err(IpnError::Signature(VerifyError::Mismatch))
            );
        }
        // A signature over the non-empty pairs does not cover a non-empty pair added later.
        let go_way = sign(&non_empty);
        let added = all
            .iter()
            .copied()
            .chain([("isRefund", "1"), ("verifySign", go_way.as_str())])
            .collect::<Vec<_>>();
        assert_eq!(
            verify_pairs(added, &key()),
            Err(IpnError::Signature(VerifyError::Mismatch))
        );
    }

    /// Issue 24, item 5: the gateway signs `k=v&…` over raw values, so a genuine `failed` IPN
    /// whose note carries `&reference=VICTIM&status=success…` re-splits into a `success` for the
    /// victim's order under the same signature. Every verifier refuses the re-split (and the
    /// genuine body that makes it possible).
    #[test]
    fn a_resplit_signed_notification_is_refused() {
        let note = "x&reference=VICTIM-ORDER&settleCurrency=USD&status=success&time=20240101120000&transactionNo=1";
        let genuine = [
            ("amount", "12.50"),
            ("currency", "USD"),
            ("note", note),
            ("reference", "attacker-order"),
            ("settleCurrency", "USD"),
            ("status", "failed"),
            ("time", "20240101120000"),
            ("transactionNo", "305680500880311999"),
        ];
        let signature = pockyt_sign::sign(genuine, &key()).unwrap().to_string();
        // The same signed text, cut elsewhere.
        let resplit = [
            ("amount", "12.50"),
            ("currency", "USD"),
            ("note", "x"),
            ("reference", "VICTIM-ORDER"),
            ("settleCurrency", "USD"),
            ("status", "success"),
            ("time", "20240101120000"),
            (
                "transactionNo",
                "1&reference=attacker-order&settleCurrency=USD&status=failed&time=20240101120000&transactionNo=305680500880311999",
            ),
        ];
        let signed = |pairs: &[(&'static str, &'static str)]| -> Vec<(&str, &str)> {
            pairs
                .iter()
                .copied()
                .chain([("verifySign", signature.as_str())])
                .collect()
        };
        // The signature alone cannot tell them apart.
        assert_eq!(
            pockyt_sign::verify_embedded(signed(&resplit), &key()),
            Ok(())
        );
        for pairs in [signed(&resplit), signed(&genuine)] {
            let body = form::encode(pairs.iter().copied());
            let refused = |result: Result<(), IpnError>| match result {
                Err(IpnError::NeverSent { field, reason }) => {
                    assert!(
                        reason.contains("&reference=") || reason.contains("&settleCurrency="),
                        "{field}: {reason}"
                    );
                }
                other => panic!("expected NeverSent, got {other:?}"),
            };
            refused(verify_form(body.as_bytes(), &key()).map(drop));
            refused(verify_pairs(pairs.iter().copied(), &key()).map(drop));
            refused(verify_webhook(body.as_bytes(), &key()).map(drop));
            refused(verify_webhook_pairs(pairs.iter().copied(), &key()).map(drop));
            refused(parse_callback(&body, &key()).map(drop));
        }
    }

    /// Issue 24, item 5: the shapes the gateway never sends, refused after a valid signature;
    /// the shapes it sends, and `&` in free text that names no field, accepted.
    #[test]
    fn values_the_gateway_never_sends_are_refused() {
        let verify = |extra: &[(&'static str, &'static str)]| {
            let mut pairs = vec![
                ("amount", "1.00"),
                ("status", "success"),
                ("reference", "r-1"),
            ];
            pairs.extend_from_slice(extra);
            let signature = pockyt_sign::sign(pairs.iter().copied(), &key())
                .unwrap()
                .to_string();
            let body = form::encode(
                pairs
                    .into_iter()
                    .chain([("verifySign", signature.as_str())]),
            );
            verify_form(body.as_bytes(), &key())
        };
        let field_of = |result: Result<Notification, IpnError>| match result {
            Err(IpnError::NeverSent { field, .. }) => field,
            other => panic!("expected NeverSent, got {other:?}"),
        };
        for bad in ["abc", "1 ", "１２", "-1", "1.0", &"9".repeat(33)] {
            let bad: &'static str = Box::leak(bad.to_owned().into_boxed_str());
            assert_eq!(
                field_of(verify(&[("transactionNo", bad)])),
                "transactionNo",
                "{bad}"
            );
        }
        for bad in [
            "2024-01-01 12:00:00",
            "2024010112000",
            "202401011200000",
            "2024010112000x",
        ] {
            assert_eq!(field_of(verify(&[("time", bad)])), "time", "{bad}");
        }
        for (name, value) in [
            ("note", "a&status=success"),
            ("vendor", "r&Status=success"),
            ("vendorId", "v&verifySign=0"),
            ("customField", "&transactionNo=1"),
        ] {
            assert_eq!(field_of(verify(&[(name, value)])), name, "{value}");
        }
        // What the gateway sends, and free text with `&`, pass.
        for extra in [
            &[
                ("transactionNo", "305680500880311999"),
                ("time", "20240101123045"),
            ][..],
            &[("note", "gift & wrap")],
            &[("note", "a&b=c&&=&")],
            &[("note", "fish&chips")],
            &[("transactionNo", ""), ("time", "")],
        ] {
            assert!(verify(extra).is_ok(), "{extra:?}");
        }
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
