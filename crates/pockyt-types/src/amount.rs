//! Exact decimal money amounts.
//!
//! Pockyt sends and receives amounts as decimal text (`"12.50"`), sometimes
//! as a JSON number. [`Amount`] holds such a value exactly:
//!
//! - **Exact decimal, never a float.** The value is an `i64` mantissa and a
//!   decimal scale (`12.50` is `1250 / 10^2`). No code path here converts to
//!   or from `f32`/`f64`; a deserializer that hands over a float is refused.
//! - **Keeps the wire text.** The text is stored as received and written back
//!   unchanged, so `"12.50"` is not re-rendered as `"12.5"` when echoed, and a
//!   signature computed over the original text stays valid.
//! - **Compares by value.** `12.5 == 12.50`; ordering and hashing agree.
//! - **Per-currency precision.** [`currency_decimals`] tells how many minor
//!   digits a currency has; [`Amount::to_minor`], [`Amount::from_minor`] and
//!   [`Amount::check_precision`] refuse amounts that a currency cannot carry
//!   instead of rounding them.
//!
//! Limits: at most 18 significant digits and at most 9 digits after the
//! point, so every value fits an `i64` mantissa with room to spare.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde::{Serialize, Serializer};

use crate::Currency;

/// Largest number of digits after the decimal point that [`Amount`] accepts.
const MAX_SCALE: u8 = 9;

/// Exclusive bound on the mantissa's magnitude: 18 significant digits.
const MANTISSA_LIMIT: i64 = 1_000_000_000_000_000_000;

/// Name under which serde_json (feature `raw_value`) hands out raw JSON text.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// Number of minor-unit digits of `currency`, or `None` when it is unknown.
///
/// JPY and KRW have 0 digits, every other known currency has 2, following
/// ISO 4217. Pockyt does not document the precision it expects for KRW and
/// JPY (reference, open question 5); we follow ISO 4217 until it does.
/// An [`Currency::Unknown`] code has no known precision, so conversions to
/// and from minor units are refused rather than guessed.
pub fn currency_decimals(currency: &Currency) -> Option<u8> {
    // Listed one by one so that a newly generated currency fails to compile
    // here instead of silently getting 2 digits.
    match currency {
        Currency::Jpy | Currency::Krw => Some(0),
        Currency::Usd
        | Currency::Cny
        | Currency::Php
        | Currency::Idr
        | Currency::Hkd
        | Currency::Thb
        | Currency::Myr
        | Currency::Gbp
        | Currency::Bdt
        | Currency::Pkr => Some(2),
        Currency::Unknown(_) => None,
    }
}

/// Why an amount was refused.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// The text was empty.
    #[error("amount is empty; expected a decimal such as `12.50`")]
    Empty,
    /// The text is not a plain decimal number.
    #[error(
        "invalid amount `{text}`: expected ASCII digits with an optional leading `-` \
         and an optional `.` followed by digits, such as `12.50` \
         (no spaces, `+`, exponents, separators or currency symbols)"
    )]
    #[non_exhaustive]
    Invalid {
        /// The refused text.
        text: String,
    },
    /// More than 18 significant digits or more than 9 decimals.
    #[error(
        "amount `{text}` has too many digits: at most 18 significant digits \
         and 9 decimals are supported"
    )]
    #[non_exhaustive]
    TooManyDigits {
        /// The refused text.
        text: String,
    },
    /// The amount has non-zero digits beyond what the currency allows.
    #[error("amount `{text}` has more decimals than {currency} allows ({decimals})")]
    #[non_exhaustive]
    TooPrecise {
        /// Currency code, e.g. `"USD"`.
        currency: String,
        /// Number of decimals the currency allows.
        decimals: u8,
        /// The refused amount's text.
        text: String,
    },
    /// The currency's number of minor digits is not known.
    #[error(
        "the number of decimals of currency `{currency}` is not known, so minor units \
         cannot be converted; give the amount as decimal text instead"
    )]
    #[non_exhaustive]
    UnknownPrecision {
        /// Currency code as received.
        currency: String,
    },
    /// The result does not fit a signed 64-bit integer of minor units.
    #[error("amount is too large: its value in minor units does not fit a signed 64-bit integer")]
    Overflow,
}

/// An exact decimal amount of money, as sent on the wire.
///
/// The value is `mantissa / 10^scale`, where the scale is the number of
/// digits written after the point. The original text is kept and is what
/// [`as_str`](Amount::as_str), [`Display`](fmt::Display) and `Serialize`
/// produce. Equality, ordering and hashing use the value, so `12.5` and
/// `12.50` are equal.
///
/// ```
/// use pockyt_types::{Amount, Currency};
///
/// let price: Amount = "12.50".parse()?;
/// assert_eq!(price.as_str(), "12.50");
/// assert_eq!(price, Amount::parse("12.5")?);
/// assert_eq!(price.to_minor(&Currency::Usd)?, 1250);
/// assert!(price.to_minor(&Currency::Jpy).is_err());
///
/// let refund = Amount::from_minor(50, &Currency::Usd)?;
/// assert_eq!(refund.as_str(), "0.50");
/// assert_eq!(price.checked_sub(&refund).map(|a| a.to_string()), Some("12.00".into()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Amount {
    mantissa: i64,
    scale: u8,
    text: Box<str>,
}

impl Amount {
    /// Parses decimal text such as `"12.50"`, `"-3"` or `"007.5"`.
    ///
    /// Accepted: an optional leading `-`, one or more ASCII digits, then
    /// optionally `.` and one or more ASCII digits. Everything else is
    /// refused, including whitespace, `+`, `.5`, `5.`, exponents and
    /// separators. The text is kept verbatim, leading zeros included.
    pub fn parse(text: &str) -> Result<Amount, AmountError> {
        let (mantissa, scale) = parse_parts(text)?;
        Ok(Amount {
            mantissa,
            scale,
            text: text.into(),
        })
    }

    /// Zero, written `0`.
    pub fn zero() -> Amount {
        Amount {
            mantissa: 0,
            scale: 0,
            text: "0".into(),
        }
    }

    /// Builds the amount of `units` minor units of `currency`.
    ///
    /// The text is canonical: `from_minor(1250, USD)` is `"12.50"`,
    /// `from_minor(100, JPY)` is `"100"`, `from_minor(-5, USD)` is `"-0.05"`.
    /// Fails for a currency of unknown precision and beyond 18 digits.
    pub fn from_minor(units: i64, currency: &Currency) -> Result<Amount, AmountError> {
        Amount::from_parts(units, decimals_of(currency)?)
    }

    /// Converts to minor units of `currency`, exactly.
    ///
    /// `"12.5"` is 1250 USD cents; `"100.00"` is 100 JPY because trailing
    /// zeros lose nothing, but `"12.50"` is refused for JPY
    /// ([`AmountError::TooPrecise`]): nothing is ever rounded. Fails with
    /// [`AmountError::Overflow`] when the result does not fit an `i64`.
    pub fn to_minor(&self, currency: &Currency) -> Result<i64, AmountError> {
        let decimals = decimals_of(currency)?;
        match self.scale.checked_sub(decimals) {
            Some(extra) => self.drop_zero_digits(extra, currency, decimals),
            None => {
                let factor = pow10(decimals.abs_diff(self.scale)).ok_or(AmountError::Overflow)?;
                self.mantissa
                    .checked_mul(factor)
                    .ok_or(AmountError::Overflow)
            }
        }
    }

    /// Checks that `currency` can carry this amount without rounding.
    ///
    /// Same precision rule as [`to_minor`](Amount::to_minor): fails with
    /// [`AmountError::TooPrecise`] or [`AmountError::UnknownPrecision`]. It
    /// does not check the size of the amount in minor units.
    pub fn check_precision(&self, currency: &Currency) -> Result<(), AmountError> {
        let decimals = decimals_of(currency)?;
        match self.scale.checked_sub(decimals) {
            Some(extra) => self.drop_zero_digits(extra, currency, decimals).map(|_| ()),
            None => Ok(()),
        }
    }

    /// The text as received (or built), e.g. `"12.50"`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the amount is greater than zero.
    pub fn is_positive(&self) -> bool {
        self.mantissa > 0
    }

    /// Whether the amount is zero (`"0"`, `"0.00"` and `"-0"` all are).
    pub fn is_zero(&self) -> bool {
        self.mantissa == 0
    }

    /// Whether the amount is less than zero (`"-0"` is not).
    pub fn is_negative(&self) -> bool {
        self.mantissa < 0
    }

    /// Exact sum, or `None` when it exceeds 18 digits.
    ///
    /// The result has the larger of the two scales and canonical text:
    /// `"12.50" + "0.5"` is `"13.00"`.
    pub fn checked_add(&self, other: &Amount) -> Option<Amount> {
        self.combine(other, i128::checked_add)
    }

    /// Exact difference, or `None` when it exceeds 18 digits.
    ///
    /// The result has the larger of the two scales and canonical text:
    /// `"12.50" - "0.5"` is `"12.00"`.
    pub fn checked_sub(&self, other: &Amount) -> Option<Amount> {
        self.combine(other, i128::checked_sub)
    }

    /// Builds an amount with canonical text, enforcing the digit limits.
    fn from_parts(mantissa: i64, scale: u8) -> Result<Amount, AmountError> {
        let text = canonical_text(mantissa, scale);
        if scale > MAX_SCALE || !within_limit(mantissa) {
            return Err(AmountError::TooManyDigits { text });
        }
        Ok(Amount {
            mantissa,
            scale,
            text: text.into_boxed_str(),
        })
    }

    /// Parses owned text without copying it again.
    fn parse_string(text: String) -> Result<Amount, AmountError> {
        let (mantissa, scale) = parse_parts(&text)?;
        Ok(Amount {
            mantissa,
            scale,
            text: text.into_boxed_str(),
        })
    }

    /// Removes `extra` trailing digits, which must all be zero.
    fn drop_zero_digits(
        &self,
        extra: u8,
        currency: &Currency,
        decimals: u8,
    ) -> Result<i64, AmountError> {
        let divisor = pow10(extra).ok_or(AmountError::Overflow)?;
        if self.mantissa % divisor != 0 {
            return Err(AmountError::TooPrecise {
                currency: currency.as_str().to_owned(),
                decimals,
                text: self.text.to_string(),
            });
        }
        Ok(self.mantissa / divisor)
    }

    /// Applies `op` to both mantissas brought to the larger scale.
    fn combine(&self, other: &Amount, op: fn(i128, i128) -> Option<i128>) -> Option<Amount> {
        let scale = self.scale.max(other.scale);
        let sum = op(self.scaled_to(scale)?, other.scaled_to(scale)?)?;
        Amount::from_parts(i64::try_from(sum).ok()?, scale).ok()
    }

    /// The mantissa expressed at `scale` (which must not be smaller).
    /// Cannot overflow: |mantissa| < 10^18 and the factor is at most 10^9.
    fn scaled_to(&self, scale: u8) -> Option<i128> {
        let factor = 10i128.checked_pow(u32::from(scale.checked_sub(self.scale)?))?;
        i128::from(self.mantissa).checked_mul(factor)
    }

    /// Value with trailing zeros stripped: equal values give equal pairs.
    fn normalized(&self) -> (i64, u8) {
        let (mut mantissa, mut scale) = (self.mantissa, self.scale);
        while scale > 0 && mantissa % 10 == 0 {
            mantissa /= 10;
            scale -= 1;
        }
        (mantissa, scale)
    }

    /// An integer amount as handed over by a non-JSON deserializer.
    fn from_integer(value: i64) -> Result<Amount, AmountError> {
        Amount::from_parts(value, 0)
    }
}

/// Precision of `currency`, or the error naming it.
fn decimals_of(currency: &Currency) -> Result<u8, AmountError> {
    currency_decimals(currency).ok_or_else(|| AmountError::UnknownPrecision {
        currency: currency.as_str().to_owned(),
    })
}

/// `10^exp` when it fits an `i64`.
fn pow10(exp: u8) -> Option<i64> {
    10i64.checked_pow(u32::from(exp))
}

/// Whether the mantissa has at most 18 digits.
fn within_limit(mantissa: i64) -> bool {
    mantissa.unsigned_abs() < MANTISSA_LIMIT.unsigned_abs()
}

/// Validates `text` and returns its mantissa and scale.
fn parse_parts(text: &str) -> Result<(i64, u8), AmountError> {
    if text.is_empty() {
        return Err(AmountError::Empty);
    }
    let invalid = || AmountError::Invalid {
        text: text.to_owned(),
    };
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int_part, frac_part) = match unsigned.split_once('.') {
        Some((int_part, frac_part)) => (int_part, frac_part),
        None => (unsigned, ""),
    };
    let has_point = int_part.len() != unsigned.len();
    if !all_digits(int_part) || (has_point && !all_digits(frac_part)) {
        return Err(invalid());
    }
    let too_many = || AmountError::TooManyDigits {
        text: text.to_owned(),
    };
    let scale = u8::try_from(frac_part.len())
        .ok()
        .filter(|scale| *scale <= MAX_SCALE)
        .ok_or_else(too_many)?;
    let magnitude = accumulate(int_part, frac_part).ok_or_else(too_many)?;
    Ok((if negative { -magnitude } else { magnitude }, scale))
}

/// Non-empty and only ASCII digits (so a second `.` is refused here too).
fn all_digits(part: &str) -> bool {
    !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit())
}

/// Digits of both parts as one integer, or `None` past 18 significant digits.
fn accumulate(int_part: &str, frac_part: &str) -> Option<i64> {
    // Leading zeros keep the value at 0, so they never count towards the limit.
    int_part
        .bytes()
        .chain(frac_part.bytes())
        .try_fold(0i64, |acc, digit| {
            let next = acc.checked_mul(10)?.checked_add(i64::from(digit - b'0'))?;
            (next < MANTISSA_LIMIT).then_some(next)
        })
}

/// Renders `mantissa / 10^scale` with exactly `scale` decimals.
fn canonical_text(mantissa: i64, scale: u8) -> String {
    let digits = mantissa.unsigned_abs().to_string();
    let scale = usize::from(scale);
    // At least one digit before the point: 5 at scale 2 is "0.05".
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (int_part, frac_part) = padded.split_at(padded.len() - scale);
    let sign = if mantissa < 0 { "-" } else { "" };
    if frac_part.is_empty() {
        format!("{sign}{int_part}")
    } else {
        format!("{sign}{int_part}.{frac_part}")
    }
}

impl FromStr for Amount {
    type Err = AmountError;

    fn from_str(text: &str) -> Result<Amount, AmountError> {
        Amount::parse(text)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Amount({})", self.text)
    }
}

impl PartialEq for Amount {
    fn eq(&self, other: &Amount) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Amount {}

impl PartialOrd for Amount {
    fn partial_cmp(&self, other: &Amount) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Amount {
    fn cmp(&self, other: &Amount) -> Ordering {
        let scale = self.scale.max(other.scale);
        // The limits keep every scaled mantissa below 10^27, so the first arm
        // always applies; the fallback only has to be a total order that
        // agrees with equality.
        match (self.scaled_to(scale), other.scaled_to(scale)) {
            (Some(left), Some(right)) => left.cmp(&right),
            _ => self.normalized().cmp(&other.normalized()),
        }
    }
}

impl Hash for Amount {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Must agree with `Eq`: "12.5" and "12.50" hash alike.
        self.normalized().hash(state);
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    use serde::de::value::Error as ValueError;
    use serde_json::json;
    use std::collections::hash_map::DefaultHasher;

    fn amount(text: &str) -> Amount {
        Amount::parse(text).unwrap()
    }

    fn hash_of(a: &Amount) -> u64 {
        let mut hasher = DefaultHasher::new();
        a.hash(&mut hasher);
        hasher.finish()
    }

    #[derive(Debug, Deserialize)]
    struct Holder {
        #[serde(default)]
        a: Option<Amount>,
    }

    // --- parsing ---

    #[test]
    fn parses_valid_forms() {
        for (text, mantissa, scale) in [
            ("0", 0, 0),
            ("12", 12, 0),
            ("12.5", 125, 1),
            ("12.50", 1250, 2),
            ("-0.05", -5, 2),
            ("007.50", 750, 2),
            ("-0", 0, 0),
            ("0.000000001", 1, 9),
            ("999999999999999999", 999_999_999_999_999_999, 0),
            ("-999999999.999999999", -999_999_999_999_999_999, 9),
            ("000000000000000000000000001", 1, 0),
        ] {
            let a = amount(text);
            assert_eq!((a.mantissa, a.scale, a.as_str()), (mantissa, scale, text));
        }
    }

    #[test]
    fn rejects_malformed_text() {
        for text in [
            " 1", "1 ", "1 000", "+1", ".5", "5.", "-", "-.5", "1e2", "1E2", "1,000", "$5", "5$",
            "1.2.3", "--1", "1-", "0x10", "١٢", "１２", "NaN", "inf", "12.5\n", "1_000", "-+1",
            "1..2", ".", "\u{0}",
        ] {
            assert_eq!(
                Amount::parse(text),
                Err(AmountError::Invalid { text: text.into() }),
                "{text:?}"
            );
        }
        assert_eq!(Amount::parse(""), Err(AmountError::Empty));
    }

    #[test]
    fn rejects_too_many_digits() {
        for text in [
            "1000000000000000000",
            "-1000000000000000000",
            "99999999999999999999999",
            "0.0000000001",
            "1.0000000000",
            "999999999999.9999999",
        ] {
            assert_eq!(
                Amount::parse(text),
                Err(AmountError::TooManyDigits { text: text.into() }),
                "{text:?}"
            );
        }
    }

    #[test]
    fn from_str_matches_parse() {
        assert_eq!("12.50".parse::<Amount>(), Amount::parse("12.50"));
        assert!("x".parse::<Amount>().is_err());
    }

    // --- minor units ---

    #[test]
    fn currency_precision() {
        assert_eq!(currency_decimals(&Currency::Usd), Some(2));
        assert_eq!(currency_decimals(&Currency::Idr), Some(2));
        assert_eq!(currency_decimals(&Currency::Jpy), Some(0));
        assert_eq!(currency_decimals(&Currency::Krw), Some(0));
        assert_eq!(currency_decimals(&Currency::Unknown("KWD".into())), None);
    }

    #[test]
    fn from_minor_builds_canonical_text() {
        let usd = Currency::Usd;
        assert_eq!(Amount::from_minor(1250, &usd).unwrap().as_str(), "12.50");
        assert_eq!(Amount::from_minor(-5, &usd).unwrap().as_str(), "-0.05");
        assert_eq!(Amount::from_minor(0, &usd).unwrap().as_str(), "0.00");
        assert_eq!(Amount::from_minor(7, &usd).unwrap().as_str(), "0.07");
        assert_eq!(Amount::from_minor(-123, &usd).unwrap().as_str(), "-1.23");
        assert_eq!(
            Amount::from_minor(100, &Currency::Jpy).unwrap().as_str(),
            "100"
        );
        assert_eq!(
            Amount::from_minor(-100, &Currency::Krw).unwrap().as_str(),
            "-100"
        );
    }

    #[test]
    fn from_minor_refuses_unknown_and_huge() {
        assert_eq!(
            Amount::from_minor(1, &Currency::Unknown("XAU".into())),
            Err(AmountError::UnknownPrecision {
                currency: "XAU".into()
            })
        );
        assert!(matches!(
            Amount::from_minor(i64::MAX, &Currency::Usd),
            Err(AmountError::TooManyDigits { .. })
        ));
        assert!(matches!(
            Amount::from_minor(i64::MIN, &Currency::Jpy),
            Err(AmountError::TooManyDigits { .. })
        ));
        assert!(Amount::from_minor(MANTISSA_LIMIT - 1, &Currency::Usd).is_ok());
    }

    #[test]
    fn to_minor_is_exact() {
        assert_eq!(amount("12.5").to_minor(&Currency::Usd), Ok(1250));
        assert_eq!(amount("12.50").to_minor(&Currency::Usd), Ok(1250));
        assert_eq!(amount("-0.05").to_minor(&Currency::Usd), Ok(-5));
        assert_eq!(amount("12").to_minor(&Currency::Usd), Ok(1200));
        assert_eq!(amount("100.00").to_minor(&Currency::Jpy), Ok(100));
        assert_eq!(amount("1.000000000").to_minor(&Currency::Usd), Ok(100));
        assert_eq!(
            amount("12.50").to_minor(&Currency::Jpy),
            Err(AmountError::TooPrecise {
                currency: "JPY".into(),
                decimals: 0,
                text: "12.50".into()
            })
        );
        assert_eq!(
            amount("999999999999999999").to_minor(&Currency::Usd),
            Err(AmountError::Overflow)
        );
        assert!(matches!(
            amount("1").to_minor(&Currency::Unknown("ZZZ".into())),
            Err(AmountError::UnknownPrecision { .. })
        ));
    }

    #[test]
    fn check_precision_follows_to_minor_rule() {
        assert_eq!(amount("12.34").check_precision(&Currency::Usd), Ok(()));
        assert_eq!(amount("12.340").check_precision(&Currency::Usd), Ok(()));
        assert_eq!(amount("5").check_precision(&Currency::Jpy), Ok(()));
        assert!(matches!(
            amount("12.345").check_precision(&Currency::Usd),
            Err(AmountError::TooPrecise { decimals: 2, .. })
        ));
        assert!(matches!(
            amount("1").check_precision(&Currency::Unknown("ZZZ".into())),
            Err(AmountError::UnknownPrecision { .. })
        ));
        // Precision only: a huge but whole amount is fine here.
        assert_eq!(
            amount("999999999999999999").check_precision(&Currency::Usd),
            Ok(())
        );
    }

    #[test]
    fn error_messages_are_actionable() {
        let err = amount("12.345").to_minor(&Currency::Usd).unwrap_err();
        assert_eq!(
            err.to_string(),
            "amount `12.345` has more decimals than USD allows (2)"
        );
        let err = Amount::parse("1e2").unwrap_err().to_string();
        assert!(
            err.contains("`1e2`") && err.contains("such as `12.50`"),
            "{err}"
        );
        let err = Amount::parse("").unwrap_err().to_string();
        assert!(err.contains("empty"), "{err}");
    }

    // --- text, sign, comparison ---

    #[test]
    fn keeps_wire_text_and_formats() {
        let a = amount("007.50");
        assert_eq!(a.as_str(), "007.50");
        assert_eq!(a.to_string(), "007.50");
        assert_eq!(format!("{a:?}"), "Amount(007.50)");
        assert_eq!(format!("{:?}", amount("12.50")), "Amount(12.50)");
        assert_eq!(a, amount("7.5"));
    }

    #[test]
    fn a_value_of_the_wrong_type_names_what_was_expected() {
        // serde_json hands over raw text (its errors are the parser's); other formats meet
        // the visitor, whose words these are.
        let error = Amount::deserialize(IntoDeserializer::<ValueError>::into_deserializer(true))
            .unwrap_err();
        assert!(error.to_string().contains("a decimal amount"), "{error}");
        // A map that is not serde_json's raw value: a key of the wrong kind, then a value of the
        // wrong kind under the right key.
        use serde::de::value::MapDeserializer;
        let wrong_key = MapDeserializer::<_, ValueError>::new(vec![(1u8, 2u8)].into_iter());
        let error = Amount::deserialize(wrong_key).unwrap_err();
        assert!(error.to_string().contains("not a map"), "{error}");
        let key = "$serde_json::private::RawValue";
        let wrong_value = MapDeserializer::<_, ValueError>::new(vec![(key, 2u8)].into_iter());
        let error = Amount::deserialize(wrong_value).unwrap_err();
        assert!(error.to_string().contains("raw JSON text"), "{error}");
    }

    #[test]
    fn sign_predicates() {
        assert!(amount("0.01").is_positive());
        assert!(amount("-0.01").is_negative());
        for zero in ["0", "0.00", "-0", "-0.000"] {
            let z = amount(zero);
            assert!(
                z.is_zero() && !z.is_positive() && !z.is_negative(),
                "{zero}"
            );
        }
        for not_zero in ["0.01", "-0.01", "1", "100"] {
            assert!(!amount(not_zero).is_zero(), "{not_zero}");
        }
    }

    #[test]
    fn equality_ordering_and_hash_by_value() {
        assert_eq!(amount("12.5"), amount("12.50"));
        assert_eq!(hash_of(&amount("12.5")), hash_of(&amount("12.500")));
        assert_eq!(amount("0"), amount("-0.00"));
        assert_eq!(hash_of(&amount("0")), hash_of(&amount("-0.00")));
        // Different values hash apart (a hash of nothing would make every set one long chain).
        let hashes: std::collections::HashSet<u64> = ["0", "0.1", "1", "10", "-1", "12.5", "12.05"]
            .iter()
            .map(|a| hash_of(&amount(a)))
            .collect();
        assert_eq!(hashes.len(), 7);
        assert_ne!(amount("12.5"), amount("12.05"));
        assert!(amount("12.5") > amount("12.49"));
        assert!(amount("-1") < amount("-0.999999999"));
        assert!(amount("999999999999999999") > amount("999999999.999999999"));
        let mut list = vec![amount("2"), amount("-1.5"), amount("0.25"), amount("2.00")];
        list.sort();
        let texts: Vec<_> = list.iter().map(Amount::as_str).collect();
        assert_eq!(texts, ["-1.5", "0.25", "2", "2.00"]);
        let set: std::collections::HashSet<_> = list.into_iter().collect();
        assert_eq!(set.len(), 3);
    }

    #[test]
    fn checked_arithmetic() {
        let sum = amount("12.50").checked_add(&amount("0.5")).unwrap();
        assert_eq!(sum.as_str(), "13.00");
        let diff = amount("12.50").checked_sub(&amount("0.5")).unwrap();
        assert_eq!(diff.as_str(), "12.00");
        let neg = amount("1").checked_sub(&amount("1.25")).unwrap();
        assert_eq!(neg.as_str(), "-0.25");
        let big = amount("999999999999999999");
        assert_eq!(big.checked_add(&amount("1")), None);
        assert_eq!(big.checked_add(&amount("0.1")), None);
        assert_eq!(
            amount("-999999999999999999").checked_sub(&amount("1")),
            None
        );
        assert_eq!(
            big.checked_sub(&amount("1")).unwrap().as_str(),
            "999999999999999998"
        );
    }

    // --- serde ---

    #[test]
    fn serializes_wire_text_as_string() {
        assert_eq!(
            serde_json::to_string(&amount("007.50")).unwrap(),
            "\"007.50\""
        );
        assert_eq!(serde_json::to_value(amount("1")).unwrap(), json!("1"));
    }

    #[test]
    fn deserializes_json_numbers_exactly() {
        for text in [
            "0.01",
            "100",
            "-0.05",
            "12.50",
            "0.30",
            "999999999.999999999",
        ] {
            let a: Amount = serde_json::from_str(text).unwrap();
            assert_eq!(a.as_str(), text);
        }
        let a: Amount = serde_json::from_slice(b" 0.10 ").unwrap();
        assert_eq!(a.as_str(), "0.10");
        let a: Amount = serde_json::from_reader(&b"0.01"[..]).unwrap();
        assert_eq!(a.as_str(), "0.01");
    }

    #[test]
    fn deserializes_json_strings() {
        let a: Amount = serde_json::from_str("\"12.50\"").unwrap();
        assert_eq!(a.as_str(), "12.50");
        let a: Amount = serde_json::from_str(r#""\u0031\u0032.5""#).unwrap();
        assert_eq!(a.as_str(), "12.5");
        let a: Amount = serde_json::from_reader(&b"\"7.00\""[..]).unwrap();
        assert_eq!(a.as_str(), "7.00");
    }

    #[test]
    fn rejects_bad_json() {
        for json in [
            "1e2",
            "1E2",
            "1.0e2",
            "-1e-2",
            "true",
            "null",
            "[]",
            "{}",
            "\"\"",
            "\" 1\"",
            "\"1e2\"",
            "{\"a\":1}",
            "[\"1\"]",
            "12345678901234567890",
            "0.0000000001",
        ] {
            assert!(serde_json::from_str::<Amount>(json).is_err(), "{json}");
        }
    }

    #[test]
    fn optional_field_in_struct() {
        let parse = |json: &str| serde_json::from_str::<Holder>(json).map(|h| h.a);
        assert_eq!(parse(r#"{"a": 100}"#).unwrap().unwrap().as_str(), "100");
        assert_eq!(parse(r#"{"a":"0.5"}"#).unwrap().unwrap().as_str(), "0.5");
        assert_eq!(parse(r#"{"a": 0.01}"#).unwrap().unwrap().as_str(), "0.01");
        assert_eq!(parse(r#"{"a": null}"#).unwrap(), None);
        assert_eq!(parse("{}").unwrap(), None);
        assert!(parse(r#"{"a": 1e2}"#).is_err());
        assert!(parse(r#"{"a": true}"#).is_err());
        let err = parse(r#"{"a": "12,50"}"#).unwrap_err().to_string();
        assert!(err.contains("`12,50`"), "{err}");
    }

    #[test]
    fn from_value_uses_value_text() {
        assert_eq!(
            serde_json::from_value::<Amount>(json!(5)).unwrap().as_str(),
            "5"
        );
        assert_eq!(
            serde_json::from_value::<Amount>(json!("12.50"))
                .unwrap()
                .as_str(),
            "12.50"
        );
        assert!(serde_json::from_value::<Amount>(json!(true)).is_err());
        assert!(serde_json::from_value::<Amount>(json!(null)).is_err());
        // serde_json's `Value` also speaks the raw-value protocol and hands
        // over its own rendering of a stored float: shortest round-trip text.
        assert_eq!(
            serde_json::from_value::<Amount>(json!(0.5))
                .unwrap()
                .as_str(),
            "0.5"
        );
        // Float noise is refused instead of being rounded.
        assert!(serde_json::from_value::<Amount>(json!(0.1 + 0.2)).is_err());
        assert!(serde_json::from_value::<Amount>(json!(1e20)).is_err());
        let holder: Holder = serde_json::from_value(json!({"a": 100})).unwrap();
        assert_eq!(holder.a.unwrap().as_str(), "100");
    }

    /// Deserializes through serde's own value deserializers, which know
    /// nothing of serde_json's raw-value protocol.
    fn plain<'de, T: IntoDeserializer<'de, ValueError>>(value: T) -> Result<Amount, ValueError> {
        Amount::deserialize(value.into_deserializer())
    }

    #[test]
    fn non_json_deserializers_take_the_plain_path() {
        assert_eq!(plain(5i64).unwrap().as_str(), "5");
        assert_eq!(plain(7u64).unwrap().as_str(), "7");
        assert_eq!(plain(-3i32).unwrap().as_str(), "-3");
        assert_eq!(plain("12.50").unwrap().as_str(), "12.50");
        assert_eq!(plain(String::from("-0.5")).unwrap().as_str(), "-0.5");
        let err = plain(0.5f64).unwrap_err().to_string();
        assert!(err.contains("floats are never accepted"), "{err}");
        assert!(plain(0.5f32).is_err());
        let err = plain(u64::MAX).unwrap_err().to_string();
        assert!(err.contains("too many digits"), "{err}");
        assert!(plain(i64::MIN).is_err());
        assert!(plain("1e2").is_err());
        assert!(plain(true).is_err());
    }

    // --- properties ---

    /// An amount with any mantissa within the limits and any allowed scale.
    fn any_amount() -> impl Strategy<Value = Amount> {
        (-MANTISSA_LIMIT + 1..MANTISSA_LIMIT, 0..=MAX_SCALE)
            .prop_map(|(mantissa, scale)| Amount::from_parts(mantissa, scale).unwrap())
    }

    proptest! {
        #[test]
        fn parse_then_format_is_identity(text in r"-?[0-9]{1,12}(\.[0-9]{1,6})?") {
            let a = Amount::parse(&text).unwrap();
            prop_assert_eq!(a.as_str(), text.as_str());
            let again = Amount::parse(&a.to_string()).unwrap();
            prop_assert_eq!(&again, &a);
            let json = serde_json::to_string(&a).unwrap();
            let from_string: Amount = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(from_string.as_str(), text.as_str());
            // JSON forbids leading zeros in numbers ("007"), so only texts
            // that are valid JSON numbers can round-trip as numbers.
            if serde_json::from_str::<serde_json::Value>(&text).is_ok() {
                let from_number: Amount = serde_json::from_str(&text).unwrap();
                prop_assert_eq!(from_number.as_str(), text.as_str());
            }
        }

        #[test]
        fn canonical_text_parses_back(a in any_amount()) {
            let b = Amount::parse(a.as_str()).unwrap();
            prop_assert_eq!((b.mantissa, b.scale), (a.mantissa, a.scale));
        }

        #[test]
        fn minor_units_round_trip(units in -MANTISSA_LIMIT + 1..MANTISSA_LIMIT) {
            for currency in [Currency::Usd, Currency::Jpy] {
                let a = Amount::from_minor(units, &currency).unwrap();
                prop_assert_eq!(a.to_minor(&currency), Ok(units));
                prop_assert_eq!(a.check_precision(&currency), Ok(()));
                prop_assert_eq!(Amount::parse(a.as_str()).unwrap().to_minor(&currency), Ok(units));
            }
        }

        #[test]
        fn parse_never_panics(text in any::<String>()) {
            let _ = Amount::parse(&text);
        }

        #[test]
        fn parse_never_panics_near_valid(text in r"[-+.0-9eE ,]{0,30}") {
            if let Ok(a) = Amount::parse(&text) {
                prop_assert_eq!(a.as_str(), text.as_str());
                let _ = a.to_minor(&Currency::Usd);
                let _ = a.to_minor(&Currency::Jpy);
            }
        }

        #[test]
        fn json_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = serde_json::from_slice::<Amount>(&bytes);
            let _ = serde_json::from_slice::<Holder>(&bytes);
        }

        #[test]
        fn json_like_never_panics(text in r#"[-+.0-9eE "\\u{}:a,\[\]nul]{0,40}"#) {
            let _ = serde_json::from_str::<Amount>(&text);
            let _ = serde_json::from_reader::<_, Amount>(text.as_bytes());
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
                let _ = serde_json::from_value::<Amount>(value);
            }
        }

        #[test]
        fn trailing_zeros_keep_value(
            text in r"-?[0-9]{1,9}(\.[0-9]{1,6})?",
            zeros in 1usize..=3,
        ) {
            let point = if text.contains('.') { "" } else { "." };
            let padded = format!("{text}{point}{}", "0".repeat(zeros));
            let (a, b) = (Amount::parse(&text).unwrap(), Amount::parse(&padded).unwrap());
            prop_assert_eq!(&a, &b);
            prop_assert_eq!(a.cmp(&b), Ordering::Equal);
            prop_assert_eq!(hash_of(&a), hash_of(&b));
        }

        #[test]
        fn ordering_matches_exact_value(a in any_amount(), b in any_amount()) {
            let scale = a.scale.max(b.scale);
            let expected = a.scaled_to(scale).unwrap().cmp(&b.scaled_to(scale).unwrap());
            prop_assert_eq!(a.cmp(&b), expected);
            if a == b {
                prop_assert_eq!(hash_of(&a), hash_of(&b));
            }
        }

        #[test]
        fn checked_arithmetic_matches_i128(a in any_amount(), b in any_amount()) {
            let scale = a.scale.max(b.scale);
            let (x, y) = (a.scaled_to(scale).unwrap(), b.scaled_to(scale).unwrap());
            let limit = i128::from(MANTISSA_LIMIT);
            for (result, exact) in [(a.checked_add(&b), x + y), (a.checked_sub(&b), x - y)] {
                if exact.abs() < limit {
                    let r = result.unwrap();
                    prop_assert_eq!((i128::from(r.mantissa), r.scale), (exact, scale));
                    let canonical = canonical_text(r.mantissa, scale);
                    prop_assert_eq!(r.as_str(), canonical.as_str());
                } else {
                    prop_assert!(result.is_none());
                }
            }
        }

        #[test]
        fn checked_arithmetic_matches_i128_small(
            a in (-10_000_000i64..10_000_000, 0..=4u8),
            b in (-10_000_000i64..10_000_000, 0..=4u8),
        ) {
            let (a, b) = (Amount::from_parts(a.0, a.1).unwrap(), Amount::from_parts(b.0, b.1).unwrap());
            let sum = a.checked_add(&b).unwrap();
            let back = sum.checked_sub(&b).unwrap();
            prop_assert_eq!(&back, &a);
            let scale = a.scale.max(b.scale);
            let exact = a.scaled_to(scale).unwrap() + b.scaled_to(scale).unwrap();
            prop_assert_eq!(i128::from(sum.mantissa), exact);
        }
    }
}
