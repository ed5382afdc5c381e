//! The response envelope `{ret_code, ret_msg, result}` and its return codes.
//!
//! Decoding happens in two steps, so that a business error is never reported as a JSON error: first
//! the envelope ([`RawEnvelope::parse`]), which only needs `ret_code`; then, on success, the typed
//! payload ([`RawEnvelope::payload`]).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;

/// A gateway return code (`ret_code`). Documented codes are named; others are kept verbatim.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RetCode {
    /// `000000`: internal error at Pockyt; contact support.
    SystemError,
    /// `000010`: the API version is wrong or unsupported.
    UnsupportedVersion,
    /// `000020`: a required parameter is missing or empty.
    MissingParameter,
    /// `000021`: a parameter matches no record (e.g. an unknown `transactionNo` or `reference`).
    NoRecord,
    /// `000022`: parameters are inconsistent with each other.
    InconsistentParameters,
    /// `000023`: a parameter value is invalid or badly formatted.
    InvalidParameter,
    /// `000030`: no rights or access denied (token, merchant or permissions).
    AccessDenied,
    /// `000040`: transaction status error, or insufficient balance (the docs disagree).
    StatusError,
    /// `000080`: an error at an upstream wallet or processor.
    UpstreamError,
    /// `000100`: success.
    Success,
    /// A code this version does not know, kept exactly as received.
    Unknown(String),
}

impl RetCode {
    /// Every code this version knows.
    pub const KNOWN: &'static [RetCode] = &[
        Self::SystemError,
        Self::UnsupportedVersion,
        Self::MissingParameter,
        Self::NoRecord,
        Self::InconsistentParameters,
        Self::InvalidParameter,
        Self::AccessDenied,
        Self::StatusError,
        Self::UpstreamError,
        Self::Success,
    ];

    /// The six-digit code as sent.
    pub fn as_str(&self) -> &str {
        match self {
            Self::SystemError => "000000",
            Self::UnsupportedVersion => "000010",
            Self::MissingParameter => "000020",
            Self::NoRecord => "000021",
            Self::InconsistentParameters => "000022",
            Self::InvalidParameter => "000023",
            Self::AccessDenied => "000030",
            Self::StatusError => "000040",
            Self::UpstreamError => "000080",
            Self::Success => "000100",
            Self::Unknown(code) => code,
        }
    }

    /// Whether this is `000100`.
    pub fn is_success(&self) -> bool {
        *self == Self::Success
    }

    /// What the code means, for error messages.
    pub fn meaning(&self) -> &'static str {
        match self {
            Self::SystemError => "internal error at Pockyt; contact Pockyt support",
            Self::UnsupportedVersion => "the API version is wrong or unsupported",
            Self::MissingParameter => "a required parameter is missing or empty",
            Self::NoRecord => "a parameter matches no record",
            Self::InconsistentParameters => "parameters are inconsistent with each other",
            Self::InvalidParameter => "a parameter value is invalid or badly formatted",
            Self::AccessDenied => "access denied: check the token, merchantNo and storeNo",
            Self::StatusError => "transaction status error or insufficient balance",
            Self::UpstreamError => "error at the upstream wallet or processor",
            Self::Success => "success",
            Self::Unknown(_) => "an undocumented return code",
        }
    }
}

impl From<&str> for RetCode {
    fn from(code: &str) -> Self {
        Self::KNOWN
            .iter()
            .find(|known| known.as_str() == code)
            .cloned()
            .unwrap_or_else(|| Self::Unknown(code.to_owned()))
    }
}

impl fmt::Display for RetCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RetCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RetCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        crate::wire_enum::deserialize(deserializer)
    }
}

/// A decoded response: the envelope's code and message and the typed payload, if any.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Envelope<T> {
    /// The return code.
    pub ret_code: RetCode,
    /// The gateway's message, trailing whitespace removed.
    pub ret_msg: String,
    /// The payload found under one of the endpoint's keys (`result` for most calls).
    pub result: Option<T>,
}

/// Why a response body could not be read as an envelope.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EnvelopeError {
    /// The body is not a JSON object (an HTML error page, a truncated body…): the `source()` is
    /// the parser's account.
    #[error("the response is not a JSON object")]
    NotJson(#[source] JsonError),
    /// The object has no `ret_code` (nor the docs' `re_code` spelling).
    #[error("the response has no ret_code")]
    MissingRetCode,
    /// A key appears twice, so the response has no single meaning.
    #[error("the response repeats the key `{0}`")]
    DuplicateKey(String),
    /// The payload does not match the expected shape.
    #[error("the `{key}` payload does not match the expected shape: {message}")]
    #[non_exhaustive]
    Payload {
        /// The envelope key whose payload failed.
        key: String,
        /// What the decoder reported, with anything that looks like a key, signature or card
        /// number masked (decoders quote the offending value).
        message: String,
    },
}

/// Why a body is not JSON, in the JSON parser's words. Opaque, so that no other library's error
/// type is part of this crate's API (a parser upgrade is not a breaking change). It stands for the
/// parser's error: its message is the parser's, and its `source()` is the parser's `source()`.
#[derive(Debug)]
pub struct JsonError(serde_json::Error);

impl JsonError {
    /// The line (from 1) where reading stopped; 0 when the body was not text at all.
    pub fn line(&self) -> usize {
        self.0.line()
    }

    /// The column (from 1) where reading stopped; 0 when the body was well-formed JSON of the
    /// wrong shape.
    pub fn column(&self) -> usize {
        self.0.column()
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for JsonError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.0)
    }
}

impl EnvelopeError {
    /// A payload under `key` that does not match its type (for decoders outside this crate).
    pub fn payload(key: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Payload {
            key: key.into(),
            message: message.into(),
        }
    }
}

/// An envelope whose values are still raw JSON, borrowed from the body.
#[derive(Debug)]
pub struct RawEnvelope<'a> {
    body: &'a str,
    entries: Vec<(Cow<'a, str>, &'a RawValue)>,
}

impl<'a> RawEnvelope<'a> {
    /// Reads the top level of a response body. Repeated keys are an error, not a silent pick.
    pub fn parse(body: &'a [u8]) -> Result<Self, EnvelopeError> {
        let body = std::str::from_utf8(body).map_err(|e| {
            EnvelopeError::NotJson(JsonError(serde::de::Error::custom(format_args!(
                "not UTF-8: {e}"
            ))))
        })?;
        let Entries(entries) = serde_json::from_str(body).map_err(|e| match duplicate_key(&e) {
            Some(key) => EnvelopeError::DuplicateKey(key),
            None => EnvelopeError::NotJson(JsonError(e)),
        })?;
        Ok(Self { body, entries })
    }

    fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    /// The return code (`ret_code`, or the docs' `re_code` typo). A number is read as its digits.
    pub fn ret_code(&self) -> Result<RetCode, EnvelopeError> {
        let raw = self
            .get("ret_code")
            .or_else(|| self.get("re_code"))
            .ok_or(EnvelopeError::MissingRetCode)?;
        crate::lenient::string(raw)
            .ok()
            .flatten()
            .map(|code| RetCode::from(code.as_str()))
            .ok_or(EnvelopeError::MissingRetCode)
    }

    /// The message, trailing whitespace removed (the gateway pads some, e.g. `"query success "`).
    pub fn ret_msg(&self) -> String {
        self.get("ret_msg")
            .and_then(|raw| crate::lenient::string(raw).ok().flatten())
            .map(|msg| msg.trim_end().to_owned())
            .unwrap_or_default()
    }

    /// Decodes the payload under the first of `keys` that is present and not `null`; `"."` is the
    /// whole envelope.
    pub fn payload<T: DeserializeOwned>(&self, keys: &[&str]) -> Result<Option<T>, EnvelopeError> {
        for key in keys {
            let raw = if *key == "." {
                self.body
            } else {
                match self.get(key) {
                    Some(raw) if raw.get() != "null" => raw.get(),
                    _ => continue,
                }
            };
            return serde_json::from_str(raw)
                .map(Some)
                .map_err(|source| EnvelopeError::Payload {
                    key: (*key).to_owned(),
                    message: crate::redact::mask(&source.to_string()),
                });
        }
        Ok(None)
    }

    /// Code, message and payload together.
    pub fn into_envelope<T: DeserializeOwned>(
        self,
        keys: &[&str],
    ) -> Result<Envelope<T>, EnvelopeError> {
        Ok(Envelope {
            ret_code: self.ret_code()?,
            ret_msg: self.ret_msg(),
            result: self.payload(keys)?,
        })
    }
}

/// The common shape, read in one pass: code, message and the payload under `result`.
#[derive(Deserialize)]
struct ResultEnvelope<T> {
    #[serde(
        alias = "re_code",
        default,
        deserialize_with = "crate::lenient::string"
    )]
    ret_code: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::string")]
    ret_msg: Option<String>,
    #[serde(default = "none")]
    result: Option<T>,
}

fn none<T>() -> Option<T> {
    None
}

/// Decodes a successful answer whose payload sits under `result` in one pass over the body.
///
/// Returns `None` for anything else (another code, another shape, a repeated key, a payload that
/// does not fit): the caller then takes the two-step path ([`RawEnvelope::parse`], then
/// [`RawEnvelope::payload`]), which classifies the failure. Reading everything twice only when
/// something is off halves the decoding cost of the usual answer.
pub(crate) fn decode_success_under_result<T: DeserializeOwned>(body: &[u8]) -> Option<Envelope<T>> {
    // One UTF-8 check of the whole body, then `from_str`, which skips the per-string checks that
    // `from_slice` makes (a typed result has a dozen or more strings).
    let body = std::str::from_utf8(body).ok()?;
    let envelope: ResultEnvelope<T> = serde_json::from_str(body).ok()?;
    let ret_code = RetCode::from(envelope.ret_code?.as_str());
    if !ret_code.is_success() {
        return None;
    }
    Some(Envelope {
        ret_code,
        ret_msg: envelope
            .ret_msg
            .map(|m| m.trim_end().to_owned())
            .unwrap_or_default(),
        result: envelope.result,
    })
}

const DUPLICATE: &str = "duplicate key: ";

fn duplicate_key(err: &serde_json::Error) -> Option<String> {
    let text = err.to_string();
    let rest = text.strip_prefix(DUPLICATE)?;
    Some(rest.split(" at line").next().unwrap_or(rest).to_owned())
}

/// The top-level entries of a JSON object, refusing repeated keys.
struct Entries<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Entries<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for EntriesVisitor<'a> {
            type Value = Entries<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut entries: Vec<(Cow<'a, str>, &'a RawValue)> = Vec::new();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    if entries.iter().any(|(k, _)| *k == key) {
                        return Err(de::Error::custom(format_args!("{DUPLICATE}{key}")));
                    }
                    let value: &'de RawValue = map.next_value()?;
                    entries.push((key, value));
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_code_message_and_payload() {
        let body = br#"{"ret_code":"000100","ret_msg":"query success ","result":{"a":1}}"#;
        let env = RawEnvelope::parse(body).unwrap();
        assert_eq!(env.ret_code().unwrap(), RetCode::Success);
        assert_eq!(env.ret_msg(), "query success");
        let v: Option<serde_json::Value> = env.payload(&["result"]).unwrap();
        assert_eq!(v.unwrap()["a"], 1);
    }

    #[test]
    fn every_code_says_what_it_means_and_prints_as_sent() {
        let meanings: std::collections::HashSet<&str> = [
            RetCode::SystemError,
            RetCode::UnsupportedVersion,
            RetCode::MissingParameter,
            RetCode::NoRecord,
            RetCode::InconsistentParameters,
            RetCode::InvalidParameter,
            RetCode::AccessDenied,
            RetCode::StatusError,
            RetCode::UpstreamError,
            RetCode::Success,
        ]
        .iter()
        .map(|code| {
            assert_eq!(code.to_string(), code.as_str());
            code.meaning()
        })
        .collect();
        assert_eq!(meanings.len(), 10, "each meaning is its own");
        assert!(RetCode::NoRecord.meaning().contains("no record"));
        assert!(RetCode::AccessDenied.meaning().contains("token"));
        assert_eq!(RetCode::from("123456").to_string(), "123456");
    }

    #[test]
    fn a_body_that_is_not_an_object_says_so() {
        let error = RawEnvelope::parse(b"\n\n[1, 2]").err().unwrap();
        let EnvelopeError::NotJson(inner) = &error else {
            panic!("{error:?}")
        };
        // The parser's own words, and where it stopped.
        assert!(
            inner.to_string().contains("expected a JSON object"),
            "{inner}"
        );
        // The parser's words are the source, not repeated in the envelope's message.
        assert!(!error.to_string().contains(&inner.to_string()), "{error}");
        assert_eq!(
            std::error::Error::source(&error).map(ToString::to_string),
            Some(inner.to_string())
        );
        assert_eq!(inner.line(), 3);
        let broken = RawEnvelope::parse(b"{\n  \"ret_code\": nope}")
            .err()
            .unwrap();
        let EnvelopeError::NotJson(inner) = &broken else {
            panic!("{broken:?}")
        };
        assert_eq!(inner.line(), 2);
        assert!((13..=18).contains(&inner.column()), "{}", inner.column());
    }

    #[test]
    fn accepts_the_seed_re_code_spelling() {
        let env =
            RawEnvelope::parse(br#"{"re_code":"000100","ret_msg":"prepay success"}"#).unwrap();
        assert!(env.ret_code().unwrap().is_success());
    }

    #[test]
    fn unknown_codes_round_trip() {
        let code = RetCode::from("123456");
        assert_eq!(code, RetCode::Unknown("123456".into()));
        assert_eq!(code.as_str(), "123456");
        assert_eq!(RetCode::from("000021"), RetCode::NoRecord);
    }

    #[test]
    fn errors_are_classified() {
        assert!(matches!(
            RawEnvelope::parse(b"<html>502</html>"),
            Err(EnvelopeError::NotJson(_))
        ));
        assert!(matches!(
            RawEnvelope::parse(b"{\"ret_code\":\"0001"),
            Err(EnvelopeError::NotJson(_))
        ));
        assert!(matches!(
            RawEnvelope::parse(b"[1,2]"),
            Err(EnvelopeError::NotJson(_))
        ));
        assert!(matches!(
            RawEnvelope::parse(&[0xff, 0xfe]),
            Err(EnvelopeError::NotJson(_))
        ));
        let dup = RawEnvelope::parse(br#"{"ret_code":"000100","ret_code":"000030"}"#);
        assert!(matches!(dup, Err(EnvelopeError::DuplicateKey(k)) if k == "ret_code"));
        let none = RawEnvelope::parse(br#"{"ret_msg":"x"}"#).unwrap();
        assert!(matches!(
            none.ret_code(),
            Err(EnvelopeError::MissingRetCode)
        ));
    }

    #[test]
    fn one_pass_decoding_only_takes_clean_successes() {
        let ok = br#"{"ret_code":"000100","ret_msg":"ok ","result":{"a":1}}"#;
        let env = decode_success_under_result::<serde_json::Value>(ok).unwrap();
        assert_eq!(
            (env.ret_msg.as_str(), env.result.unwrap()["a"].as_i64()),
            ("ok", Some(1))
        );
        let seed = br#"{"re_code":"000100","ret_msg":"x","result":null}"#;
        assert!(
            decode_success_under_result::<serde_json::Value>(seed)
                .unwrap()
                .result
                .is_none()
        );
        for other in [
            &br#"{"ret_code":"000021","ret_msg":"no"}"#[..],
            br#"{"ret_code":"000100","ret_code":"000030"}"#,
            br#"{"ret_msg":"no code"}"#,
            b"<html>",
        ] {
            assert!(decode_success_under_result::<serde_json::Value>(other).is_none());
        }
    }

    #[test]
    fn payload_falls_through_keys_and_whole_envelope() {
        let env =
            RawEnvelope::parse(br#"{"ret_code":"000100","result":null,"transaction":{"a":2}}"#)
                .unwrap();
        let v: Option<serde_json::Value> = env.payload(&["result", "transaction"]).unwrap();
        assert_eq!(v.unwrap()["a"], 2);
        let whole: Option<serde_json::Value> = env.payload(&["."]).unwrap();
        assert_eq!(whole.unwrap()["ret_code"], "000100");
        let absent: Option<serde_json::Value> = env.payload(&["result"]).unwrap();
        assert!(absent.is_none());
    }
}
