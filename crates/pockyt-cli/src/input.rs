//! Reading stdin and JSON parameter objects without trusting them.

use std::fmt;
use std::io::Read;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

/// The most stdin is read (1 MiB).
const MAX_INPUT: u64 = 1024 * 1024;

/// All of stdin, up to 1 MiB.
pub(crate) fn stdin_bytes() -> Result<Vec<u8>, String> {
    let mut buf = Vec::new();
    std::io::stdin()
        .take(MAX_INPUT + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read stdin: {}", crate::chain(&e)))?;
    if buf.len() as u64 > MAX_INPUT {
        return Err(format!("stdin is larger than {MAX_INPUT} bytes"));
    }
    Ok(buf)
}

/// A JSON object whose values are all strings, in order, each name once.
pub(crate) struct StringParams(pub(crate) Vec<(String, String)>);

impl StringParams {
    pub(crate) fn parse(bytes: &[u8]) -> Result<Self, String> {
        serde_json::from_slice(bytes).map_err(|e| {
            format!(
                "expected a JSON object of string values: {}",
                crate::chain(&e)
            )
        })
    }
}

impl<'de> Deserialize<'de> for StringParams {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ParamsVisitor;
        impl<'de> Visitor<'de> for ParamsVisitor {
            type Value = StringParams;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object of string values")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<StringParams, M::Error> {
                let mut params: Vec<(String, String)> = Vec::new();
                while let Some(name) = map.next_key::<String>()? {
                    let value: serde_json::Value = map.next_value()?;
                    let serde_json::Value::String(value) = value else {
                        return Err(de::Error::custom(format_args!(
                            "the value of `{name}` is not a string"
                        )));
                    };
                    if params.iter().any(|(n, _)| *n == name) {
                        return Err(de::Error::custom(format_args!(
                            "`{name}` appears more than once"
                        )));
                    }
                    params.push((name, value));
                }
                Ok(StringParams(params))
            }
        }
        deserializer.deserialize_map(ParamsVisitor)
    }
}
