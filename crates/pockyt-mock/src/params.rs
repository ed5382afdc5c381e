//! Reading a request body as the gateway does: JSON (Java, C#, Go, Python SDKs) or a form (PHP, JS).

use std::fmt;

use pockyt_types::Params;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// Why a body could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BodyError(pub(crate) String);

/// Parses a JSON object of scalar values, or a form, into parameters. Repeated names are refused.
pub(crate) fn parse(content_type: Option<&str>, body: &[u8]) -> Result<Params, BodyError> {
    let is_form =
        content_type.is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    // A byte-order mark or leading whitespace does not make a JSON body a form: reading it as one
    // would hide the cause behind "merchantNo and storeNo are required".
    let body = body.strip_prefix("\u{feff}".as_bytes()).unwrap_or(body);
    let start = body.iter().position(|b| !b.is_ascii_whitespace());
    let looks_like_json = start.is_some_and(|i| body[i] == b'{');
    if is_form || (!looks_like_json && start.is_some()) {
        return form(body);
    }
    json(body)
}

fn form(body: &[u8]) -> Result<Params, BodyError> {
    let pairs = pockyt_sign::form::parse(body)
        .map_err(|e| BodyError(format!("malformed form body: {e}")))?;
    let mut params = Params::new();
    for (name, value) in pairs {
        if params.contains_key(&name) {
            return Err(BodyError(format!(
                "parameter `{name}` appears more than once"
            )));
        }
        params.insert(name, value);
    }
    Ok(params)
}

fn json(body: &[u8]) -> Result<Params, BodyError> {
    let text = std::str::from_utf8(body).map_err(|_| BodyError("the body is not UTF-8".into()))?;
    let Scalars(params) =
        serde_json::from_str(text).map_err(|e| BodyError(format!("malformed JSON body: {e}")))?;
    Ok(params)
}

/// A JSON object whose values are strings, numbers or booleans, kept as text exactly as written
/// (so `120` signs as `120`, like the Python SDK's `str(120)`).
struct Scalars(Params);

impl<'de> Deserialize<'de> for Scalars {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarsVisitor;
        impl<'de> Visitor<'de> for ScalarsVisitor {
            type Value = Scalars;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object of strings")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Scalars, M::Error> {
                let mut params = Params::new();
                while let Some(name) = map.next_key::<String>()? {
                    let raw: &RawValue = map.next_value()?;
                    let value = scalar(raw.get()).map_err(de::Error::custom)?;
                    if value.is_none() {
                        continue;
                    }
                    if params
                        .insert(name.clone(), value.unwrap_or_default())
                        .is_some()
                    {
                        return Err(de::Error::custom(format_args!(
                            "parameter `{name}` appears more than once"
                        )));
                    }
                }
                Ok(Scalars(params))
            }
        }
        deserializer.deserialize_map(ScalarsVisitor)
    }
}

/// The text of a scalar; `null` is absent; objects and arrays are refused.
fn scalar(raw: &str) -> Result<Option<String>, String> {
    match raw.as_bytes().first() {
        Some(b'"') => serde_json::from_str::<String>(raw)
            .map(Some)
            .map_err(|e| e.to_string()),
        Some(b'{' | b'[') => Err("parameter values must be strings, numbers or booleans".into()),
        _ if raw == "null" => Ok(None),
        _ => Ok(Some(raw.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_scalars_keep_their_text() {
        let p = parse(
            Some("application/json"),
            br#"{"a":"x","timeout":120,"amount":12.50,"f":true,"n":null}"#,
        )
        .unwrap();
        assert_eq!(p["timeout"], "120");
        assert_eq!(p["amount"], "12.50");
        assert_eq!(p["f"], "true");
        assert!(!p.contains_key("n"));
    }

    #[test]
    fn duplicates_nesting_and_garbage_are_refused() {
        assert!(parse(None, br#"{"a":"1","a":"2"}"#).is_err());
        assert!(parse(None, br#"{"a":{"b":1}}"#).is_err());
        assert!(parse(None, b"{\"a\":").is_err());
        assert!(parse(Some("application/x-www-form-urlencoded"), b"a=1&a=2").is_err());
        assert!(parse(None, b"\xff\xfe").is_err());
    }

    proptest::proptest! {
        /// Property mirror of the `mock_request_body` fuzz target.
        #[test]
        fn arbitrary_bodies_never_panic(body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
            for content_type in [Some("application/json"), Some("application/x-www-form-urlencoded"), None] {
                if let Ok(params) = parse(content_type, &body) {
                    use pockyt_types::FromWire as _;
                    let _ = pockyt_types::SecurePayRequest::from_wire(&params);
                    let _ = pockyt_types::RefundRequest::from_wire(&params);
                }
            }
        }
    }

    #[test]
    fn json_after_a_bom_or_whitespace_is_still_json() {
        for body in [
            &b"\xef\xbb\xbf{\"a\":\"x\"}"[..],
            b"\n  {\"a\":\"x\"}",
            b"\xef\xbb\xbf \r\n{\"a\":\"x\"}",
        ] {
            let params = parse(Some("application/json"), body).unwrap();
            assert_eq!(params["a"], "x");
        }
        // A broken one says it is broken JSON, not a form without identity.
        let err = parse(None, b"  {\"a\":").unwrap_err();
        assert!(err.0.contains("malformed JSON"), "{}", err.0);
    }

    #[test]
    fn forms_are_decoded() {
        let p = parse(
            Some("application/x-www-form-urlencoded; charset=UTF-8"),
            b"note=gift+%26+wrap&x=1",
        )
        .unwrap();
        assert_eq!(p["note"], "gift & wrap");
    }
}
