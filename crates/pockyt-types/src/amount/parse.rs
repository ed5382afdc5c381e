//! Reading an amount from its decimal text, and writing the canonical text of a value.

use std::str::FromStr;

use super::{Amount, AmountError, MANTISSA_LIMIT, MAX_SCALE};

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

    /// Builds an amount with canonical text, enforcing the digit limits.
    pub(super) fn from_parts(mantissa: i64, scale: u8) -> Result<Amount, AmountError> {
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
    pub(super) fn parse_string(text: String) -> Result<Amount, AmountError> {
        let (mantissa, scale) = parse_parts(&text)?;
        Ok(Amount {
            mantissa,
            scale,
            text: text.into_boxed_str(),
        })
    }
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
pub(super) fn canonical_text(mantissa: i64, scale: u8) -> String {
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
