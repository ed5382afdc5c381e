//! `Serialize` and `Deserialize`: the wire text out, and in from a JSON string or number read
//! from its exact digits, never through a float.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde::{Serialize, Serializer};

use super::{Amount, AmountError};

/// Name under which serde_json (feature `raw_value`) hands out raw JSON text.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

impl Amount {
    /// An integer amount as handed over by a non-JSON deserializer.
    fn from_integer(value: i64) -> Result<Amount, AmountError> {
        Amount::from_parts(value, 0)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

// Why deserialization goes through serde_json's raw-value protocol:
//
// Without serde_json's `arbitrary_precision` feature (which would change
// number handling for the whole program), a JSON number such as `0.01`
// reaches an ordinary visitor only as an `f64`, and money must never pass
// through a float. Asking for the newtype struct named
// `$serde_json::private::RawValue` makes serde_json (feature `raw_value`)
// call `visit_map` with one entry whose value is the token's raw JSON text,
// so a number is parsed from its exact digits and a string is unescaped and
// parsed. This relies on serde_json's private-but-stable protocol, the same
// one its `RawValue` type uses. serde_json's `Value` deserializer honours it
// too, by handing over the text its `Display` produces; a float already
// stored in a `Value` therefore arrives as its shortest round-trip text
// (`json!(0.5)` gives `"0.5"`), and float noise such as
// `0.30000000000000004` is refused for having too many decimals.
//
// Any other deserializer calls `visit_newtype_struct` or hands the value over
// directly: strings and integers are exact and accepted, floats are refused.
// Should the `raw_value` feature ever be missing, JSON numbers with a point
// become floats and are refused, never silently rounded.
impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Amount, D::Error> {
        deserializer.deserialize_newtype_struct(RAW_VALUE_TOKEN, AmountVisitor)
    }
}

/// Accepts every form an amount can arrive in; see the comment above.
struct AmountVisitor;

impl<'de> Visitor<'de> for AmountVisitor {
    type Value = Amount;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal amount as a string such as \"12.50\" or an exact JSON number")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, inner: D) -> Result<Amount, D::Error> {
        inner.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Amount, E> {
        Amount::parse(text).map_err(E::custom)
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<Amount, E> {
        Amount::parse_string(text).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Amount, E> {
        Amount::from_integer(value).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Amount, E> {
        // Anything above i64::MAX has more than 18 digits anyway.
        let too_many = || AmountError::TooManyDigits {
            text: value.to_string(),
        };
        let value = i64::try_from(value).map_err(|_| E::custom(too_many()))?;
        self.visit_i64(value)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Amount, E> {
        Err(E::custom(format_args!(
            "amount given as a floating-point number ({value}); floats are never accepted \
             for money, send the amount as decimal text such as \"12.50\""
        )))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Amount, A::Error> {
        if map.next_key::<RawValueKey>()?.is_none() {
            return Err(de::Error::invalid_length(0, &self));
        }
        let raw: RawJson<'de> = map.next_value()?;
        amount_from_raw_json(raw.as_str())
    }
}

/// Parses the raw JSON text of one token: a string or a bare number.
fn amount_from_raw_json<E: de::Error>(raw: &str) -> Result<Amount, E> {
    if raw.starts_with('"') {
        let text: String = serde_json::from_str(raw).map_err(E::custom)?;
        Amount::parse_string(text).map_err(E::custom)
    } else {
        Amount::parse(raw).map_err(E::custom)
    }
}

/// The single key of serde_json's raw-value map; any other key is refused.
struct RawValueKey;

impl<'de> Deserialize<'de> for RawValueKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RawValueKey, D::Error> {
        deserializer.deserialize_identifier(RawValueKeyVisitor)
    }
}

struct RawValueKeyVisitor;

impl Visitor<'_> for RawValueKeyVisitor {
    type Value = RawValueKey;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal amount, not a map")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<RawValueKey, E> {
        if key == RAW_VALUE_TOKEN {
            Ok(RawValueKey)
        } else {
            Err(E::invalid_value(de::Unexpected::Map, &self))
        }
    }
}

/// Raw JSON text, borrowed from the input when serde_json can lend it.
enum RawJson<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl RawJson<'_> {
    fn as_str(&self) -> &str {
        match self {
            RawJson::Borrowed(text) => text,
            RawJson::Owned(text) => text,
        }
    }
}

impl<'de> Deserialize<'de> for RawJson<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RawJson<'de>, D::Error> {
        deserializer.deserialize_str(RawJsonVisitor)
    }
}

struct RawJsonVisitor;

impl<'de> Visitor<'de> for RawJsonVisitor {
    type Value = RawJson<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("raw JSON text")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<RawJson<'de>, E> {
        Ok(RawJson::Borrowed(text))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<RawJson<'de>, E> {
        Ok(RawJson::Owned(text.to_owned()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<RawJson<'de>, E> {
        Ok(RawJson::Owned(text))
    }
}
