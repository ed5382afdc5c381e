//! What a cassette never keeps: the signature, card data, personal fields, and any text the
//! recorder was told is secret (the API token).

use std::collections::BTreeMap;

use serde_json::value::RawValue;

/// What a redacted value reads in a cassette.
pub const REDACTED: &str = "<redacted>";

/// The fields whose values a cassette never keeps, in requests and (at any depth) in JSON answers:
/// the signature, card and bank data, tokens that pay, and the payer's personal data.
pub const REDACTED_FIELDS: &[&str] = &[
    // The signature: with the pairs it would let anyone test guesses of the token offline.
    "verifySign",
    // Card and bank data, and what stands in for a saved or entered payment method.
    "cardNumber",
    "cardCvv",
    "cardExpYear",
    "cardExpMonth",
    "bankAccountId",
    "branchId",
    "paymentMethodNonce",
    "partnerGatewayID",
    "deviceData",
    "vaultId",
    "accountToken",
    // Credentials of other services the API carries (PayPal's client id and secret).
    "clientId",
    "secret",
    // Personal data of payers and payees.
    "firstName",
    "lastName",
    "email",
    "phone",
    "mobileNumber",
    "dateOfBirth",
    "governmentId",
    "street",
    "street2",
    "city",
    "zip",
    "openid",
    "alipayUserId",
    "supUserid",
    "clientIp",
    "receiver",
    // A secret some integrations send by mistake (the Android demo sends its API token).
    "token",
];

/// Whether the values of `name` are redacted.
pub(crate) fn is_redacted(name: &str) -> bool {
    REDACTED_FIELDS.contains(&name)
}

/// The pairs with redacted fields, and every occurrence of a secret text, replaced.
pub(crate) fn pairs(
    pairs: BTreeMap<String, String>,
    secrets: &[String],
) -> BTreeMap<String, String> {
    pairs
        .into_iter()
        .map(|(name, value)| {
            let value = if is_redacted(&name) && !value.is_empty() {
                REDACTED.to_owned()
            } else {
                scrub(&value, secrets)
            };
            (name, value)
        })
        .collect()
}

/// Every occurrence of a secret in `text` replaced.
pub(crate) fn scrub(text: &str, secrets: &[String]) -> String {
    let mut text = text.to_owned();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        if text.contains(secret.as_str()) {
            text = text.replace(secret.as_str(), REDACTED);
        }
    }
    text
}

/// A JSON document with redacted fields replaced at any depth and secrets scrubbed from every
/// string, numbers and the rest kept exactly as written. `None` if `raw` is not JSON.
pub(crate) fn json(raw: &RawValue, secrets: &[String]) -> Option<Box<RawValue>> {
    let text = raw.get().trim_start();
    let rebuilt = if text.starts_with('{') {
        let fields: BTreeMap<String, Box<RawValue>> = serde_json::from_str(raw.get()).ok()?;
        let mut parts = Vec::with_capacity(fields.len());
        for (name, value) in fields {
            let value = if is_redacted(&name) && value.get() != "null" && value.get() != "\"\"" {
                quoted(REDACTED)?
            } else {
                json(&value, secrets)?
            };
            parts.push(format!(
                "{}:{}",
                serde_json::to_string(&name).ok()?,
                value.get()
            ));
        }
        format!("{{{}}}", parts.join(","))
    } else if text.starts_with('[') {
        let items: Vec<Box<RawValue>> = serde_json::from_str(raw.get()).ok()?;
        let parts: Option<Vec<String>> = items
            .iter()
            .map(|item| json(item, secrets).map(|v| v.get().to_owned()))
            .collect();
        format!("[{}]", parts?.join(","))
    } else if text.starts_with('"') {
        let value: String = serde_json::from_str(raw.get()).ok()?;
        serde_json::to_string(&scrub(&value, secrets)).ok()?
    } else {
        raw.get().to_owned()
    };
    RawValue::from_string(rebuilt).ok()
}

fn quoted(text: &str) -> Option<Box<RawValue>> {
    RawValue::from_string(serde_json::to_string(text).ok()?).ok()
}
