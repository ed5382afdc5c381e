//! Client-side validation: everything that can be known wrong before a request is sent.

use std::fmt;

use crate::{Amount, AmountError, Currency};

/// A request field that cannot be sent as it is. Nothing was sent.
///
/// The message names the wire field and what to fix; it never repeats the value, which may be
/// card data. For [`Problem::Amount`], the [`AmountError`] is the `source()` (the workspace's
/// rule: a wrapped error is the source, not repeated in the message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    field: &'static str,
    problem: Problem,
}

impl ValidationError {
    /// An error about `field` (its wire name).
    pub fn new(field: &'static str, problem: Problem) -> Self {
        Self { field, problem }
    }

    /// The wire name of the field, e.g. `refundAmount`.
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// What is wrong with it.
    pub fn problem(&self) -> &Problem {
        &self.problem
    }

    /// Whether a required value is absent or empty (the gateway answers `000020` for these).
    pub fn is_missing(&self) -> bool {
        matches!(
            self.problem,
            Problem::Missing
                | Problem::Empty
                | Problem::ExactlyOneOf { given: 0, .. }
                | Problem::AtLeastOneOf { .. }
                | Problem::RequiredWhen { .. }
        )
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid request field `{}`: {}",
            self.field, self.problem
        )
    }
}

impl std::error::Error for ValidationError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.problem {
            Problem::Amount(error) => Some(error),
            _ => None,
        }
    }
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// A required field is not set, or set to an empty string (an empty value is the same as an
    /// absent field, everywhere in this API).
    Missing,
    /// The field is set to an empty string: give it a value, or leave it unset if it is optional.
    /// (A required field set to an empty string is [`Problem::Missing`] when a request validates
    /// itself.)
    Empty,
    /// The text is longer than the gateway accepts.
    TooLong {
        /// Longest accepted length in characters.
        max: usize,
        /// Length given, in characters.
        len: usize,
    },
    /// The text does not have the expected format.
    Format {
        /// What is expected, e.g. `a date as YYYYMMDD`.
        expected: &'static str,
    },
    /// An amount is zero or negative.
    NotPositive,
    /// An amount is larger than any request may carry ([`MAX_REQUEST_AMOUNT`]).
    AboveMaximum,
    /// An amount is not valid for its currency. Shown as "not a valid amount"; the
    /// [`AmountError`] says why (and is the [`ValidationError`]'s `source()`).
    Amount(AmountError),
    /// Of a group of alternatives, not exactly one is set.
    ExactlyOneOf {
        /// The wire names of the group.
        fields: &'static [&'static str],
        /// How many were set.
        given: usize,
    },
    /// Of a group of alternatives, none is set; one or more may be.
    AtLeastOneOf {
        /// The wire names of the group.
        fields: &'static [&'static str],
    },
    /// The field is optional in general but required by the value of another field.
    RequiredWhen {
        /// The wire name of the field that makes this one required.
        other: &'static str,
        /// The values of `other` that do; empty when any value does.
        values: &'static [&'static str],
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Missing => {
                f.write_str("required but not set (an empty string counts as not set)")
            }
            // Worded for both kinds of field: `FromWire` reports a required field sent empty
            // with this problem too.
            Problem::Empty => {
                f.write_str("empty; give it a value, or leave it unset if it is optional")
            }
            Problem::TooLong { max, len } => {
                write!(f, "{len} characters long; at most {max} are accepted")
            }
            Problem::Format { expected } => write!(f, "expected {expected}"),
            Problem::NotPositive => f.write_str("must be greater than zero"),
            Problem::AboveMaximum => write!(f, "must be at most {MAX_REQUEST_AMOUNT}"),
            // The amount's own error is the `source()` of the `ValidationError`.
            Problem::Amount(_) => f.write_str("not a valid amount"),
            Problem::ExactlyOneOf { fields, given } => {
                write!(
                    f,
                    "set exactly one of `{}` ({given} set)",
                    fields.join("`, `")
                )
            }
            Problem::AtLeastOneOf { fields } => {
                write!(f, "set at least one of `{}`", fields.join("`, `"))
            }
            Problem::RequiredWhen { other, values } => match values {
                [] => write!(f, "required when `{other}` is set"),
                values => write!(f, "required when `{other}` is `{}`", values.join("`, `")),
            },
        }
    }
}

/// The checks a field is subject to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rule {
    required: bool,
    max_chars: Option<usize>,
    format: Option<Format>,
}

impl Rule {
    pub(crate) const fn required() -> Self {
        Self {
            required: true,
            max_chars: None,
            format: None,
        }
    }

    pub(crate) const fn optional() -> Self {
        Self {
            required: false,
            max_chars: None,
            format: None,
        }
    }

    pub(crate) const fn max_chars(self, max: usize) -> Self {
        Self {
            max_chars: Some(max),
            ..self
        }
    }

    pub(crate) const fn format(self, format: Format) -> Self {
        Self {
            format: Some(format),
            ..self
        }
    }
}

/// Text formats the API description names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// `yyyy-MM-dd`, a real calendar date.
    IsoDate,
    /// An absolute `http` or `https` URL.
    Url,
    /// A JSON document (e.g. `goodsInfo`).
    Json,
    /// ASCII digits only.
    Digits,
}

impl Format {
    fn expected(self) -> &'static str {
        match self {
            Format::IsoDate => "a date as YYYY-MM-DD",
            Format::Url => "an absolute http(s) URL",
            Format::Json => "a JSON document",
            Format::Digits => "digits only",
        }
    }

    fn accepts(self, text: &str) -> bool {
        match self {
            // Dates and timestamps of the gateway's own forms are typed (`crate::clock`); a
            // birth date is text, checked by the same calendar.
            Format::IsoDate => crate::clock::parse::dashed_date(text).is_some(),
            Format::Url => url(text),
            Format::Json => serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok(),
            Format::Digits => text.bytes().all(|b| b.is_ascii_digit()),
        }
    }
}

/// A field that must be set and not empty.
pub(crate) const REQUIRED: Rule = Rule::required();
/// A field that may be absent, but not empty when set.
pub(crate) const OPTIONAL: Rule = Rule::optional();

/// Checks text (and enum) values in order, each by its rule; the first failure is the answer.
/// Generated `validate` methods list their fields here, one row each.
pub(crate) fn texts(fields: &[(&'static str, Option<&str>, Rule)]) -> Result<(), ValidationError> {
    fields
        .iter()
        .try_for_each(|&(field, value, rule)| text(field, value, rule))
}

/// Checks a text (or enum) value.
pub(crate) fn text(
    field: &'static str,
    value: Option<&str>,
    rule: Rule,
) -> Result<(), ValidationError> {
    let fail = |problem| Err(ValidationError::new(field, problem));
    let Some(value) = value else {
        return if rule.required {
            fail(Problem::Missing)
        } else {
            Ok(())
        };
    };
    if value.is_empty() {
        // An empty value is an absent one: for a required field, say it is required, not that
        // it may be left unset.
        return fail(if rule.required {
            Problem::Missing
        } else {
            Problem::Empty
        });
    }
    // A text has no more characters than bytes, so only a long one needs counting.
    if let Some(max) = rule.max_chars.filter(|&max| value.len() > max) {
        let len = value.chars().count();
        if len > max {
            return fail(Problem::TooLong { max, len });
        }
    }
    match rule.format {
        Some(format) if !format.accepts(value) => fail(Problem::Format {
            expected: format.expected(),
        }),
        _ => Ok(()),
    }
}

/// Checks an amount: set if required, positive, and no more decimals than its currency has.
pub(crate) fn amount(
    field: &'static str,
    value: Option<&Amount>,
    rule: Rule,
    currency: Option<&Currency>,
) -> Result<(), ValidationError> {
    let fail = |problem| Err(ValidationError::new(field, problem));
    let Some(value) = value else {
        return if rule.required {
            fail(Problem::Missing)
        } else {
            Ok(())
        };
    };
    if !value.is_positive() {
        return fail(Problem::NotPositive);
    }
    if value > &max_request_amount() {
        return fail(Problem::AboveMaximum);
    }
    match currency {
        // An unknown currency's precision is the gateway's to judge.
        Some(currency) if crate::currency_decimals(currency).is_some() => value
            .check_precision(currency)
            .or_else(|err| fail(Problem::Amount(err))),
        _ => Ok(()),
    }
}

/// Checks that exactly one field of a group is set; `set[i]` says whether `fields[i]` is.
pub(crate) fn exactly_one(
    fields: &'static [&'static str],
    set: &[bool],
) -> Result<(), ValidationError> {
    let given = set.iter().filter(|set| **set).count();
    if given == 1 {
        return Ok(());
    }
    Err(ValidationError::new(
        fields.first().copied().unwrap_or("?"),
        Problem::ExactlyOneOf { fields, given },
    ))
}

/// The largest amount a request may carry, as text.
///
/// No official SDK, plugin or Pockyt page publishes a maximum: the SDKs check a money pattern with
/// any number of whole digits (PY, CS) or only that the value is positive (JAVA), and the docs type
/// every amount as a string. So the bound is ours: 13 whole digits, far above any payment, and low
/// enough that an amount at a currency's precision, and any sum of refunds of it, stays exact in
/// [`Amount`] (18 significant digits). The simulator applies the same bound.
pub const MAX_REQUEST_AMOUNT: &str = "9999999999999.99";

fn max_request_amount() -> Amount {
    // The constant parses; `zero` is only a fallback that would refuse every amount loudly.
    Amount::parse(MAX_REQUEST_AMOUNT).unwrap_or_else(|_| Amount::zero())
}

/// Checks that at least one field of a group is set; `set[i]` says whether `fields[i]` is.
pub(crate) fn at_least_one(
    fields: &'static [&'static str],
    set: &[bool],
) -> Result<(), ValidationError> {
    if set.contains(&true) {
        return Ok(());
    }
    Err(ValidationError::new(
        fields.first().copied().unwrap_or("?"),
        Problem::AtLeastOneOf { fields },
    ))
}

/// Checks a conditional requirement: `field` must be set when `other` is set and, if `values` is
/// not empty, has one of them.
pub(crate) fn required_when(
    field: &'static str,
    set: bool,
    other: &'static str,
    other_value: Option<&str>,
    values: &'static [&'static str],
) -> Result<(), ValidationError> {
    let triggered = other_value.is_some_and(|v| values.is_empty() || values.contains(&v));
    if set || !triggered {
        return Ok(());
    }
    Err(ValidationError::new(
        field,
        Problem::RequiredWhen { other, values },
    ))
}

/// An absolute http(s) URL with a host. The scheme is case-insensitive (`HTTPS://` is a URL too);
/// the gateway's acceptance of plain http is not documented either way, so it is not refused.
fn url(text: &str) -> bool {
    let rest = text.split_once("://").and_then(|(scheme, rest)| {
        (scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http"))
            .then_some(rest)
    });
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !has_space_or_control(text)
        }
        None => false,
    }
}

/// Whether `text` holds whitespace or a control character; ASCII (nearly every URL) is checked
/// byte by byte without decoding characters.
fn has_space_or_control(text: &str) -> bool {
    if text.is_ascii() {
        // ASCII whitespace and controls are exactly the bytes up to 0x20, and DEL.
        // A fold without early exit, so the compiler compares 16 bytes at a time.
        text.bytes()
            .fold(false, |found, b| found | (b <= b' ') | (b == 0x7f))
    } else {
        text.chars().any(|c| c.is_whitespace() || c.is_control())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert!(url("https://merchant.example.com/ipn?x={status}"));
        assert!(url("http://127.0.0.1:8080/ipn"));
        assert!(!url("ftp://x"));
        assert!(!url("https://"));
        assert!(!url("https://a b"));
        assert!(url("HTTPS://merchant.example.com/ipn"));
        assert!(url("Http://merchant.example.com/ipn"));
        assert!(!url("httpx://merchant.example.com"));
        // Two (or any even number of) bad bytes are as bad as one.
        assert!(!url("https://a b c/") && !url("https://a\u{7f}\u{7f}/"));
        assert!(!url("https://a\tb/") && !url("https://a\u{7f}/"));
    }

    #[test]
    fn each_format_names_what_it_expects() {
        let formats = [
            (Format::IsoDate, "YYYY-MM-DD"),
            (Format::Url, "URL"),
            (Format::Json, "JSON"),
            (Format::Digits, "digits"),
        ];
        for (format, words) in formats {
            let error = text("field", Some("\u{1}"), REQUIRED.format(format)).unwrap_err();
            assert!(error.to_string().contains(words), "{format:?}: {error}");
        }
    }

    #[test]
    fn an_unknown_currency_leaves_precision_to_the_gateway() {
        let amount = Amount::parse("1.234").unwrap();
        let unknown = Currency::from("XYZ");
        assert!(self::amount("amount", Some(&amount), REQUIRED, Some(&unknown)).is_ok());
        let usd = Currency::Usd;
        assert!(self::amount("amount", Some(&amount), REQUIRED, Some(&usd)).is_err());
    }

    #[test]
    fn ascii_fast_path_agrees_with_the_char_test() {
        for b in 0u8..=0x7f {
            let c = char::from(b);
            let text = format!("https://m.example.com/{c}");
            assert_eq!(
                has_space_or_control(&text),
                c.is_whitespace() || c.is_control(),
                "byte {b:#04x}"
            );
        }
        assert!(has_space_or_control("https://m.example.com/\u{a0}日本"));
        assert!(has_space_or_control("https://m.example.com/\u{2003}"));
        assert!(!has_space_or_control("https://m.example.com/日本"));
    }

    #[test]
    fn max_chars_counts_characters_not_bytes() {
        let r = Rule::optional().max_chars(4);
        assert!(
            text("note", Some("日本語日"), r).is_ok(),
            "12 bytes, 4 characters"
        );
        assert_eq!(
            text("note", Some("日本語日本"), r).unwrap_err().problem(),
            &Problem::TooLong { max: 4, len: 5 }
        );
        assert!(text("note", Some("abcd"), r).is_ok());
    }

    #[test]
    fn text_rules() {
        let r = Rule::optional().max_chars(3);
        assert!(text("note", None, r).is_ok());
        assert_eq!(
            text("note", Some(""), r).unwrap_err().problem(),
            &Problem::Empty
        );
        assert!(text("note", Some("日本語"), r).is_ok());
        assert_eq!(
            text("note", Some("abcd"), r).unwrap_err().problem(),
            &Problem::TooLong { max: 3, len: 4 }
        );
        assert!(text("x", None, Rule::required()).unwrap_err().is_missing());
    }

    #[test]
    fn exactly_one_names_the_group() {
        const GROUP: &[&str] = &["transactionNo", "reference"];
        let err = exactly_one(GROUP, &[true, true]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid request field `transactionNo`: set exactly one of `transactionNo`, `reference` (2 set)"
        );
        assert!(
            exactly_one(GROUP, &[false, false])
                .unwrap_err()
                .is_missing()
        );
        assert!(exactly_one(GROUP, &[false, true]).is_ok());
    }

    #[test]
    fn amounts_are_bounded_at_the_maximum() {
        let usd = Currency::Usd;
        let at = |text: &str| {
            amount(
                "amount",
                Some(&Amount::parse(text).unwrap()),
                Rule::required(),
                Some(&usd),
            )
        };
        assert!(max_request_amount().is_positive());
        assert!(at(MAX_REQUEST_AMOUNT).is_ok());
        let err = at("10000000000000.00").unwrap_err();
        assert_eq!(err.problem(), &Problem::AboveMaximum);
        assert_eq!(
            err.to_string(),
            "invalid request field `amount`: must be at most 9999999999999.99"
        );
        assert!(at("100000000000000000").is_err());
    }

    #[test]
    fn at_least_one_accepts_one_or_more() {
        const GROUP: &[&str] = &["customerNo", "customerCode"];
        assert!(at_least_one(GROUP, &[true, true]).is_ok());
        assert!(at_least_one(GROUP, &[false, true]).is_ok());
        let err = at_least_one(GROUP, &[false, false]).unwrap_err();
        assert!(err.is_missing());
        assert_eq!(
            err.to_string(),
            "invalid request field `customerNo`: set at least one of `customerNo`, `customerCode`"
        );
    }

    #[test]
    fn required_when_applies_only_to_the_listed_values() {
        const HOSTED: &[&str] = &["ONLINE", "WAP", "MWEB"];
        let check = |set, terminal| required_when("callbackUrl", set, "terminal", terminal, HOSTED);
        let err = check(false, Some("WAP")).unwrap_err();
        assert!(err.is_missing());
        assert_eq!(
            err.to_string(),
            "invalid request field `callbackUrl`: required when `terminal` is `ONLINE`, `WAP`, `MWEB`"
        );
        assert!(check(false, Some("YIP")).is_ok());
        assert!(check(false, None).is_ok());
        assert!(check(true, Some("ONLINE")).is_ok());
        // Without values, any value of the other field makes this one required.
        let err = required_when("creditType", false, "vaultId", Some("v1"), &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid request field `creditType`: required when `vaultId` is set"
        );
        assert!(required_when("creditType", false, "vaultId", None, &[]).is_ok());
    }
}
