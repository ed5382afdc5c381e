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
//!
//! The module is split by concern: `parse` (reading and writing the text), `arith` (comparison and
//! arithmetic by value), `precision` (currencies' minor units), `serde_impl` (JSON and other
//! formats, never through a float); the type, its error and its accessors are here.

use std::fmt;

mod arith;
mod parse;
mod precision;
mod serde_impl;
#[cfg(test)]
mod tests;

pub use precision::currency_decimals;

/// Largest number of digits after the decimal point that [`Amount`] accepts.
const MAX_SCALE: u8 = 9;

/// Exclusive bound on the mantissa's magnitude: 18 significant digits.
const MANTISSA_LIMIT: i64 = 1_000_000_000_000_000_000;

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
    /// Zero, written `0`.
    pub fn zero() -> Amount {
        Amount {
            mantissa: 0,
            scale: 0,
            text: "0".into(),
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
