//! Every kind of notification the gateway posts, told apart by the fields it carries.
//!
//! No source documents a field that names the kind, so [`verify_webhook`] reads the shape:
//! `autoDebitNo` is an auto-debit authorisation, `invoiceId` a payout, `completedAt` a card
//! capture, `accountToken` or `accountStatus` without a `transactionNo` a payee account, and
//! `transactionNo` or `status` a payment. Anything else stays [`Webhook::Unknown`], verified.
//!
//! It builds on its parent's checks (size cap, exact form decoding, signature, the payment
//! notification), which it reaches with `super::`: the one upward import of `ipn`, so that every
//! kind is verified by the same code. The parent only re-exports what this module defines.

use std::collections::BTreeMap;

use pockyt_sign::SigningKey;
use pockyt_types::{
    Amount, Currency, FundingAccountStatus, GatewayTime, PayeeAccountType, PayoutStatus,
    SettleCurrency, TransactionStatus, Vendor,
};

use super::{IpnError, Notification, verify_form_pairs};

/// A verified notification of any kind.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Webhook {
    /// A payment changed status (the IPN of secure-pay, prepay, in-store and the rest).
    Payment(Notification),
    /// A card capture (`/order/v4/capture`) completed.
    Capture(CaptureNotification),
    /// A shopper authorised an auto-debit agreement (sent to `autoIpnUrl`).
    AutoDebit(AutoDebitNotification),
    /// A payout changed status.
    Payout(PayoutNotification),
    /// A payee's funding account changed status.
    PayeeAccount(PayeeAccountNotification),
    /// A shape this version does not know: every non-empty pair, verified, `verifySign` left out.
    Unknown(BTreeMap<String, String>),
}

/// The capture webhook: like a payment's, with `completedAt` and `customerNo` and no `time`.
///
/// Source: docs.pockyt `reference/webhook-notification-reference` ("Capture API Webhook").
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct CaptureNotification {
    /// `transactionNo`.
    pub transaction_no: Option<String>,
    /// `status`, e.g. `success`.
    pub status: Option<TransactionStatus>,
    /// `reference`: your order id.
    pub reference: Option<String>,
    /// `amount`.
    pub amount: Option<Amount>,
    /// `currency`.
    pub currency: Option<Currency>,
    /// `settleCurrency`.
    pub settle_currency: Option<SettleCurrency>,
    /// `completedAt`: ISO 8601 in UTC, e.g. `2024-01-01T12:00:00Z`.
    pub completed_at: Option<GatewayTime>,
    /// `customerNo`: the Pockyt customer the card belongs to.
    pub customer_no: Option<String>,
    /// Every other field, verified along with the rest.
    pub extra: BTreeMap<String, String>,
}

impl CaptureNotification {
    /// Whether the status is `success`.
    pub fn is_success(&self) -> bool {
        self.status == Some(TransactionStatus::Success)
    }
}

/// The auto-debit authorisation notice.
///
/// Source: docs.yuansfer `recurring-payments/consult` and `api-reference-v3/notes`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct AutoDebitNotification {
    /// `autoDebitNo`: the agreement, to pay with `/auto-debit/v3/pay`.
    pub auto_debit_no: Option<String>,
    /// `autoReference`: your id for the agreement.
    pub auto_reference: Option<String>,
    /// `vendor`: the wallet.
    pub vendor: Option<Vendor>,
    /// `time`: `YYYYMMDDHHMMSS` on the gateway's UTC+8 clock.
    pub time: Option<GatewayTime>,
    /// `note`: the note you sent with the consult.
    pub note: Option<String>,
    /// Every other field, verified along with the rest.
    pub extra: BTreeMap<String, String>,
}

/// The payout notification.
///
/// Source: docs.pockyt `payouts-apis/errors-and-status-codes`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct PayoutNotification {
    /// `invoiceId`: your id for the payout.
    pub invoice_id: Option<String>,
    /// `transactionNo`.
    pub transaction_no: Option<String>,
    /// `status`: pending, success, failed, returned, ...
    pub status: Option<PayoutStatus>,
    /// `amount`.
    pub amount: Option<Amount>,
    /// `currency`.
    pub currency: Option<Currency>,
    /// `accountToken`: the funding account paid.
    pub account_token: Option<String>,
    /// `paymentTime`.
    pub payment_time: Option<GatewayTime>,
    /// Every other field (e.g. `vendor`), verified along with the rest.
    pub extra: BTreeMap<String, String>,
}

/// The payee-account notice: a funding account was added, verified or refused.
///
/// Source: docs.yuansfer `payouts/payee` (the `callbackUrl` macros name the same fields).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct PayeeAccountNotification {
    /// `customerNo`: the payee.
    pub customer_no: Option<String>,
    /// `accountToken`: send payouts here.
    pub account_token: Option<String>,
    /// `accountTag`: your id for the account.
    pub account_tag: Option<String>,
    /// `accountStatus`: e.g. `ACTIVATED`.
    pub account_status: Option<FundingAccountStatus>,
    /// `accountType`: e.g. `BANK_ACCOUNT`.
    pub account_type: Option<PayeeAccountType>,
    /// `country`.
    pub country: Option<String>,
    /// `currency`.
    pub currency: Option<Currency>,
    /// `payeeAccount`: the masked account number.
    pub payee_account: Option<String>,
    /// Every other field, verified along with the rest.
    pub extra: BTreeMap<String, String>,
}

/// Verifies a raw form body of any kind of notification and returns it typed by its shape.
///
/// The same checks as [`super::verify_form`]: size cap, field counts, every received pair (or
/// every non-empty one) signed exactly as decoded, repeated names refused, constant-time
/// comparison, and no value the gateway never sends. Empty values are absent fields here too,
/// so an empty `autoDebitNo=` does not make a payment an auto-debit notice.
pub fn verify_webhook(body: &[u8], key: &SigningKey) -> Result<Webhook, IpnError> {
    verify_form_pairs(body, key, classify)
}

/// Verifies pairs a web framework already decoded and returns the notification typed by its shape.
pub fn verify_webhook_pairs<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    key: &SigningKey,
) -> Result<Webhook, IpnError> {
    let pairs: Vec<(&str, &str)> = pairs.into_iter().collect();
    super::verify_signature(&pairs, key)?;
    classify(&pairs)
}

fn classify(pairs: &[(&str, &str)]) -> Result<Webhook, IpnError> {
    // An empty value is an absent field: an appended `autoDebitNo=` must not change the kind.
    let has = |name: &str| pairs.iter().any(|(n, v)| *n == name && !v.is_empty());
    Ok(if has("autoDebitNo") {
        Webhook::AutoDebit(auto_debit(pairs))
    } else if has("invoiceId") {
        Webhook::Payout(payout(pairs)?)
    } else if has("completedAt") {
        Webhook::Capture(capture(pairs)?)
    } else if (has("accountToken") || has("accountStatus")) && !has("transactionNo") {
        Webhook::PayeeAccount(payee_account(pairs))
    } else if has("transactionNo") || has("status") {
        Webhook::Payment(super::notification(pairs)?)
    } else {
        Webhook::Unknown(fields(pairs))
    })
}

/// The verified fields, without `verifySign` and without empty values (absent fields).
fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .filter(|(n, v)| *n != pockyt_sign::SIGNATURE_PARAM && !v.is_empty())
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

fn amount(value: &str) -> Result<Amount, IpnError> {
    Amount::parse(value).map_err(|e| IpnError::InvalidField {
        field: "amount",
        source: e,
    })
}

fn capture(pairs: &[(&str, &str)]) -> Result<CaptureNotification, IpnError> {
    let mut n = CaptureNotification::default();
    for (name, value) in fields(pairs) {
        match name.as_str() {
            "transactionNo" => n.transaction_no = Some(value),
            "status" => n.status = Some(TransactionStatus::from(value.as_str())),
            "reference" => n.reference = Some(value),
            "amount" => n.amount = Some(amount(&value)?),
            "currency" => n.currency = Some(Currency::from(value.as_str())),
            "settleCurrency" => n.settle_currency = Some(SettleCurrency::from(value.as_str())),
            "completedAt" => n.completed_at = Some(GatewayTime::new(value)),
            "customerNo" => n.customer_no = Some(value),
            _ => {
                n.extra.insert(name, value);
            }
        }
    }
    Ok(n)
}

fn auto_debit(pairs: &[(&str, &str)]) -> AutoDebitNotification {
    let mut n = AutoDebitNotification::default();
    for (name, value) in fields(pairs) {
        match name.as_str() {
            "autoDebitNo" => n.auto_debit_no = Some(value),
            "autoReference" => n.auto_reference = Some(value),
            "vendor" => n.vendor = Some(Vendor::from(value.as_str())),
            "time" => n.time = Some(GatewayTime::new(value)),
            "note" => n.note = Some(value),
            _ => {
                n.extra.insert(name, value);
            }
        }
    }
    n
}

fn payout(pairs: &[(&str, &str)]) -> Result<PayoutNotification, IpnError> {
    let mut n = PayoutNotification::default();
    for (name, value) in fields(pairs) {
        match name.as_str() {
            "invoiceId" => n.invoice_id = Some(value),
            "transactionNo" => n.transaction_no = Some(value),
            "status" => n.status = Some(PayoutStatus::from(value.as_str())),
            "amount" => n.amount = Some(amount(&value)?),
            "currency" => n.currency = Some(Currency::from(value.as_str())),
            "accountToken" => n.account_token = Some(value),
            "paymentTime" => n.payment_time = Some(GatewayTime::new(value)),
            _ => {
                n.extra.insert(name, value);
            }
        }
    }
    Ok(n)
}

fn payee_account(pairs: &[(&str, &str)]) -> PayeeAccountNotification {
    let mut n = PayeeAccountNotification::default();
    for (name, value) in fields(pairs) {
        match name.as_str() {
            "customerNo" => n.customer_no = Some(value),
            "accountToken" => n.account_token = Some(value),
            "accountTag" => n.account_tag = Some(value),
            "accountStatus" => n.account_status = Some(FundingAccountStatus::from(value.as_str())),
            "accountType" => n.account_type = Some(PayeeAccountType::from(value.as_str())),
            "country" => n.country = Some(value),
            "currency" => n.currency = Some(Currency::from(value.as_str())),
            "payeeAccount" => n.payee_account = Some(value),
            _ => {
                n.extra.insert(name, value);
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SigningKey {
        SigningKey::from_token("my-test-token-001")
    }

    fn signed(pairs: &[(&str, &str)]) -> Vec<u8> {
        let sig = pockyt_sign::sign(pairs.iter().copied(), &key())
            .unwrap()
            .to_string();
        crate::form::encode(pairs.iter().copied().chain([("verifySign", sig.as_str())]))
            .into_bytes()
    }

    #[test]
    fn one_telling_field_is_enough() {
        let kind = |pairs: &[(&str, &str)]| verify_webhook(&signed(pairs), &key()).unwrap();
        assert!(matches!(
            kind(&[("accountStatus", "ACTIVATED"), ("customerNo", "1")]),
            Webhook::PayeeAccount(_)
        ));
        assert!(matches!(
            kind(&[("accountToken", "t"), ("customerNo", "1")]),
            Webhook::PayeeAccount(_)
        ));
        assert!(matches!(
            kind(&[("status", "success"), ("reference", "r")]),
            Webhook::Payment(_)
        ));
        assert!(matches!(
            kind(&[("transactionNo", "1"), ("reference", "r")]),
            Webhook::Payment(_)
        ));
        assert!(matches!(kind(&[("reference", "r")]), Webhook::Unknown(_)));
    }

    /// Every documented field lands in its own typed field; nothing is left in `extra`.
    #[test]
    fn every_field_is_read_into_its_place() {
        let verify = |pairs: &[(&str, &str)]| verify_webhook(&signed(pairs), &key()).unwrap();
        let Webhook::Capture(c) = verify(&[
            ("transactionNo", "2"),
            ("status", "success"),
            ("reference", "order-2"),
            ("amount", "3.00"),
            ("currency", "USD"),
            ("settleCurrency", "USD"),
            ("completedAt", "2024-01-01T12:00:00Z"),
            ("customerNo", "1001"),
        ]) else {
            panic!("a capture")
        };
        assert_eq!(c.transaction_no.as_deref(), Some("2"));
        assert_eq!(c.reference.as_deref(), Some("order-2"));
        assert_eq!(c.amount, Some(Amount::parse("3.00").unwrap()));
        assert_eq!(
            (c.currency, c.settle_currency),
            (Some(Currency::Usd), Some(SettleCurrency::Usd))
        );
        assert!(c.extra.is_empty(), "{:?}", c.extra);

        let Webhook::AutoDebit(a) = verify(&[
            ("autoDebitNo", "9"),
            ("autoReference", "a-1"),
            ("vendor", "gcash"),
            ("time", "20240101120000"),
            ("note", "n"),
        ]) else {
            panic!("an auto-debit notice")
        };
        assert_eq!(a.auto_reference.as_deref(), Some("a-1"));
        assert_eq!(
            (a.time.as_ref().map(GatewayTime::as_str), a.note.as_deref()),
            (Some("20240101120000"), Some("n"))
        );
        assert!(a.extra.is_empty(), "{:?}", a.extra);

        let Webhook::Payout(p) = verify(&[
            ("invoiceId", "inv-1"),
            ("transactionNo", "3"),
            ("status", "success"),
            ("amount", "25.00"),
            ("currency", "USD"),
            ("accountToken", "t"),
            ("paymentTime", "2024-01-01T12:00:00Z"),
        ]) else {
            panic!("a payout")
        };
        assert_eq!(
            (p.invoice_id.as_deref(), p.transaction_no.as_deref()),
            (Some("inv-1"), Some("3"))
        );
        assert_eq!(
            (p.amount, p.currency),
            (Some(Amount::parse("25.00").unwrap()), Some(Currency::Usd))
        );
        assert_eq!(
            (
                p.account_token.as_deref(),
                p.payment_time.as_ref().map(GatewayTime::as_str)
            ),
            (Some("t"), Some("2024-01-01T12:00:00Z"))
        );
        assert_eq!(p.status, Some(PayoutStatus::from("success")));
        assert!(p.extra.is_empty(), "{:?}", p.extra);

        let Webhook::PayeeAccount(e) = verify(&[
            ("customerNo", "1001"),
            ("accountToken", "t"),
            ("accountTag", "tag"),
            ("accountStatus", "ACTIVATED"),
            ("accountType", "PAYPAL"),
            ("country", "US"),
            ("currency", "USD"),
            ("payeeAccount", "p@example.com"),
        ]) else {
            panic!("a payee-account notice")
        };
        assert_eq!(
            (e.customer_no.as_deref(), e.account_token.as_deref()),
            (Some("1001"), Some("t"))
        );
        assert_eq!(
            (e.account_tag.as_deref(), e.country.as_deref()),
            (Some("tag"), Some("US"))
        );
        assert_eq!(
            e.account_status,
            Some(FundingAccountStatus::from("ACTIVATED"))
        );
        assert_eq!(e.account_type, Some(PayeeAccountType::from("PAYPAL")));
        assert_eq!(
            (e.currency, e.payee_account.as_deref()),
            (Some(Currency::Usd), Some("p@example.com"))
        );
        assert!(e.extra.is_empty(), "{:?}", e.extra);
    }

    #[test]
    fn a_capture_that_failed_is_not_a_success() {
        let failed = signed(&[
            ("transactionNo", "2"),
            ("status", "failed"),
            ("completedAt", "2024-01-01T12:00:00Z"),
        ]);
        match verify_webhook(&failed, &key()).unwrap() {
            Webhook::Capture(c) => assert!(!c.is_success()),
            other => panic!("expected a capture, got {other:?}"),
        }
    }

    #[test]
    fn each_kind_is_told_by_its_shape() {
        let payment = signed(&[
            ("transactionNo", "1"),
            ("status", "success"),
            ("time", "20240101000000"),
        ]);
        assert!(
            matches!(verify_webhook(&payment, &key()), Ok(Webhook::Payment(n)) if n.is_success())
        );

        let capture = signed(&[
            ("transactionNo", "2"),
            ("status", "success"),
            ("amount", "3.00"),
            ("completedAt", "2024-01-01T12:00:00Z"),
            ("customerNo", "1000000000000000000001"),
        ]);
        match verify_webhook(&capture, &key()).unwrap() {
            Webhook::Capture(c) => {
                assert!(c.is_success());
                assert_eq!(
                    c.completed_at.as_ref().map(GatewayTime::as_str),
                    Some("2024-01-01T12:00:00Z")
                );
                assert_eq!(c.customer_no.as_deref(), Some("1000000000000000000001"));
                assert!(c.extra.is_empty());
            }
            other => panic!("expected a capture, got {other:?}"),
        }

        let auto = signed(&[
            ("autoDebitNo", "9"),
            ("autoReference", "a-1"),
            ("vendor", "gcash"),
        ]);
        match verify_webhook(&auto, &key()).unwrap() {
            Webhook::AutoDebit(a) => {
                assert_eq!(a.auto_debit_no.as_deref(), Some("9"));
                assert_eq!(a.vendor, Some(Vendor::Gcash));
            }
            other => panic!("expected an auto-debit notice, got {other:?}"),
        }

        let payout = signed(&[
            ("invoiceId", "inv-1"),
            ("transactionNo", "3"),
            ("status", "returned"),
            ("accountToken", "t"),
        ]);
        match verify_webhook(&payout, &key()).unwrap() {
            Webhook::Payout(p) => assert_eq!(p.status, Some(PayoutStatus::Returned)),
            other => panic!("expected a payout, got {other:?}"),
        }

        let account = signed(&[
            ("accountToken", "t"),
            ("accountStatus", "ACTIVATED"),
            ("customerNo", "c"),
        ]);
        match verify_webhook(&account, &key()).unwrap() {
            Webhook::PayeeAccount(a) => {
                assert_eq!(a.account_status, Some(FundingAccountStatus::Activated));
            }
            other => panic!("expected a payee-account notice, got {other:?}"),
        }

        let odd = signed(&[("somethingNew", "x")]);
        match verify_webhook(&odd, &key()).unwrap() {
            Webhook::Unknown(fields) => {
                assert_eq!(fields.get("somethingNew").map(String::as_str), Some("x"));
                assert!(!fields.contains_key("verifySign"));
            }
            other => panic!("expected an unknown kind, got {other:?}"),
        }
    }

    #[test]
    fn every_kind_is_verified_first() {
        let mut forged = signed(&[("autoDebitNo", "9"), ("autoReference", "a-1")]);
        forged[0] = b'b';
        assert!(matches!(
            verify_webhook(&forged, &key()),
            Err(IpnError::Signature(_))
        ));
        let unsigned = b"somethingNew=x";
        assert!(matches!(
            verify_webhook(unsigned, &key()),
            Err(IpnError::Signature(_))
        ));
    }
}
