//! Signed notifications for testing a merchant's handler, without a simulator (feature
//! `test-util`).
//!
//! ```
//! use pockyt::ipn::{self, testing::TestIpn};
//! use pockyt::types::{Amount, TransactionStatus};
//!
//! let key = pockyt::SigningKey::from_token("my-test-token-001");
//! let ipn = TestIpn::payment(TransactionStatus::Success, "order-1", &Amount::parse("12.50")?);
//! // What the gateway would post to your ipnUrl:
//! let body = ipn.form(&key);
//! let notification = ipn::verify_form(body.as_bytes(), &key)?;
//! assert!(notification.is_success());
//! // And a forgery, which your handler must refuse:
//! assert!(ipn::verify_form(ipn.tampered_form(&key).as_bytes(), &key).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod receiver;

pub use receiver::{IpnReceiver, ReceiverError};

use pockyt_sign::{SigningKey, form};
use pockyt_types::{Amount, TransactionStatus};

/// A notification's fields, in the order they will be sent; signed when turned into a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestIpn {
    fields: Vec<(String, String)>,
}

impl TestIpn {
    /// A payment notification as the gateway sends it: `transactionNo`, `status`, `amount`,
    /// `currency` and `settleCurrency` (USD), `reference` and `time`.
    pub fn payment(status: TransactionStatus, reference: &str, amount: &Amount) -> Self {
        Self::from_fields([
            ("transactionNo", "300000000000000001"),
            ("status", status.as_str()),
            ("amount", amount.as_str()),
            ("currency", "USD"),
            ("settleCurrency", "USD"),
            ("reference", reference),
            ("time", "20240101120000"),
        ])
    }

    /// Any fields (for the other kinds of notification, or a shape of your own).
    pub fn from_fields<'a>(fields: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Self {
            fields: fields
                .into_iter()
                .map(|(n, v)| (n.to_owned(), v.to_owned()))
                .collect(),
        }
    }

    /// Sets a field (replacing it if present).
    pub fn field(mut self, name: &str, value: &str) -> Self {
        match self.fields.iter_mut().find(|(n, _)| n == name) {
            Some((_, v)) => *v = value.to_owned(),
            None => self.fields.push((name.to_owned(), value.to_owned())),
        }
        self
    }

    /// Leaves a field out.
    pub fn without(mut self, name: &str) -> Self {
        self.fields.retain(|(n, _)| n != name);
        self
    }

    /// The form body, signed with `key`: what the gateway posts to the `ipnUrl`.
    pub fn form(&self, key: &SigningKey) -> String {
        self.encode(&self.signature(key))
    }

    /// The same body with a signature that does not match (a forgery).
    pub fn tampered_form(&self, key: &SigningKey) -> String {
        let mut signature = self.signature(key);
        // Flip the first hex digit: still well-formed, certainly wrong.
        let first = if signature.starts_with('0') { "1" } else { "0" };
        signature.replace_range(..1, first);
        self.encode(&signature)
    }

    /// The signed query string of a `callbackUrl` redirect that carries `verifySign`.
    pub fn callback_query(&self, key: &SigningKey) -> String {
        self.form(key)
    }

    fn signature(&self, key: &SigningKey) -> String {
        let pairs = self.fields.iter().map(|(n, v)| (n.as_str(), v.as_str()));
        // Fields with one name each sign; a repeated name (set on purpose) gets no signature.
        pockyt_sign::sign(pairs, key)
            .map(|s| s.to_string())
            .unwrap_or_default()
    }

    fn encode(&self, signature: &str) -> String {
        form::encode(
            self.fields
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .chain([(pockyt_sign::SIGNATURE_PARAM, signature)]),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipn::{Callback, parse_callback, verify_form};

    fn key() -> SigningKey {
        SigningKey::from_token("my-test-token-001")
    }

    #[test]
    fn bodies_verify_and_forgeries_do_not() {
        let amount = Amount::parse("3.00").unwrap();
        let ipn =
            TestIpn::payment(TransactionStatus::Closed, "r-1", &amount).field("note", "a & b");
        let n = verify_form(ipn.form(&key()).as_bytes(), &key()).unwrap();
        assert_eq!(n.status, Some(TransactionStatus::Closed));
        assert_eq!(n.note.as_deref(), Some("a & b"));
        assert!(!n.is_success());
        assert!(verify_form(ipn.tampered_form(&key()).as_bytes(), &key()).is_err());
        let other = SigningKey::from_token("another");
        assert!(verify_form(ipn.form(&other).as_bytes(), &key()).is_err());
        let query = ipn.without("note").callback_query(&key());
        assert!(matches!(
            parse_callback(&query, &key()),
            Ok(Callback::Verified(_))
        ));
    }
}
