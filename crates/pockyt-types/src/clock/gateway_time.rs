//! A time the gateway sent.

use std::fmt;

use time::{OffsetDateTime, UtcOffset};

use super::error::{TimeError, shown};
use super::{GatewayDate, parse};

/// A time the gateway sent (`createTime`, `paymentTime`, a customer's `createdTime`, the
/// notification's `time`), kept as received (a string exactly; another JSON value as its text)
/// and read as an instant on demand.
///
/// Decoding never fails on the text: the gateway has used three forms (see [the module
/// docs](crate::clock)), and a payment whose answer carries a fourth must still decode, since
/// the money has moved. [`to_utc`](Self::to_utc) and [`gateway_day`](Self::gateway_day) say
/// when a text is not a time. `yyyy-MM-dd HH:mm:ss` and `yyyyMMddHHmmss` are on the gateway's
/// UTC+8 clock; RFC 3339 texts carry their own offset.
///
/// ```
/// use pockyt_types::GatewayTime;
///
/// let created = GatewayTime::new("2024-03-01 07:59:59");
/// assert_eq!(created.to_utc()?.to_string(), "2024-02-29 23:59:59.0 +00:00:00");
/// assert_eq!(created.gateway_day()?.to_string(), "20240301");
/// assert_eq!(created.as_str(), "2024-03-01 07:59:59");
/// assert!(GatewayTime::new("yesterday").to_utc().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct GatewayTime {
    text: String,
    /// The instant `text` writes, with the offset it was written in; `None` if it writes none.
    instant: Option<OffsetDateTime>,
}

impl GatewayTime {
    /// A time as the gateway wrote it. Any text is kept; whether it is a time is answered by
    /// [`to_utc`](Self::to_utc).
    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        let instant = parse::instant(&text);
        Self { text, instant }
    }

    /// `instant` as the gateway writes transaction times: `yyyy-MM-dd HH:mm:ss` on its UTC+8
    /// clock (for a simulator or a test), refused outside the years 1 to 9999 on that clock.
    pub fn on_gateway_clock(instant: OffsetDateTime) -> Result<Self, TimeError> {
        parse::write_gateway(instant)
            .map(Self::new)
            .ok_or(TimeError::OutOfRange)
    }

    /// The text as received.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The instant, in the offset the text was written in (UTC+8 for the gateway's own forms).
    pub fn instant(&self) -> Result<OffsetDateTime, TimeError> {
        self.instant.ok_or_else(|| TimeError::NotATime {
            text: shown(&self.text),
        })
    }

    /// The instant in UTC.
    pub fn to_utc(&self) -> Result<OffsetDateTime, TimeError> {
        self.instant()?
            .checked_to_offset(UtcOffset::UTC)
            .ok_or(TimeError::OutOfRange)
    }

    /// The gateway's calendar day this time falls on: the day a date-range query would file it
    /// under.
    pub fn gateway_day(&self) -> Result<GatewayDate, TimeError> {
        self.instant().map(GatewayDate::containing)
    }
}

/// Two times are equal when their texts are: the same instant written in two forms is two
/// different answers from the gateway (compare [`to_utc`](GatewayTime::to_utc) for instants).
impl PartialEq for GatewayTime {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for GatewayTime {}

impl std::hash::Hash for GatewayTime {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl fmt::Display for GatewayTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for GatewayTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GatewayTime({:?})", self.text)
    }
}

impl From<&str> for GatewayTime {
    fn from(text: &str) -> Self {
        Self::new(text)
    }
}

impl From<String> for GatewayTime {
    fn from(text: String) -> Self {
        Self::new(text)
    }
}

impl serde::Serialize for GatewayTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

/// Reads a string, or the text of a number or a boolean (a time the gateway writes in a JSON type
/// of its own must not fail the whole answer). Such a time re-serialises as a string, and `to_utc`
/// reads it when its text is one of the forms (a 14-digit number is the compact one) and says it
/// is not a time otherwise; `null` is an absent time through `Option<GatewayTime>`.
impl<'de> serde::Deserialize<'de> for GatewayTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = GatewayTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a time as text, a number or a boolean")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(GatewayTime::new(v))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(GatewayTime::new(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(GatewayTime::new(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(GatewayTime::new(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(GatewayTime::new(v.to_string()))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(GatewayTime::new(v.to_string()))
            }
        }
        deserializer.deserialize_any(Text)
    }
}
