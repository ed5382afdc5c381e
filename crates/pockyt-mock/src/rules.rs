//! The simulator's own request rules: which fields it refuses a call without, which groups and
//! conditions it enforces, and the money checks. The table is generated from the source matrix
//! (`api/sources/`, see `docs/api-sources.md`); this file applies it. The client's validation is
//! never called here, so the two cannot agree by construction.

use pockyt_types::{Amount, Currency, MAX_REQUEST_AMOUNT, Params, RetCode, currency_decimals};

#[rustfmt::skip]
#[path = "generated/rules.rs"]
mod table;

pub(crate) use table::rules;

/// One call's rules.
pub(crate) struct Rules {
    /// Fields that must be present and non-empty.
    pub(crate) required: &'static [&'static str],
    /// Groups of which exactly one field must be set.
    pub(crate) one_of: &'static [&'static [&'static str]],
    /// Groups of which at least one field must be set.
    pub(crate) any_of: &'static [&'static [&'static str]],
    /// Fields required because of another field's value.
    pub(crate) conditions: &'static [Condition],
    /// Money fields: positive, at most the currency's decimals.
    pub(crate) amounts: &'static [&'static str],
    /// Documented maximum lengths, in characters.
    pub(crate) max_len: &'static [(&'static str, usize)],
}

/// `require` must be set when `when` is set (and, if `is` is not empty, has one of those values).
pub(crate) struct Condition {
    pub(crate) require: &'static str,
    pub(crate) when: &'static str,
    pub(crate) is: &'static [&'static str],
}

/// Why a request breaks a rule, with the gateway's code for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) code: RetCode,
    pub(crate) message: String,
}

impl Refusal {
    fn missing(message: String) -> Self {
        Self {
            code: RetCode::MissingParameter,
            message,
        }
    }

    fn conflict(message: String) -> Self {
        Self {
            code: RetCode::InconsistentParameters,
            message,
        }
    }

    fn invalid(message: String) -> Self {
        Self {
            code: RetCode::InvalidParameter,
            message,
        }
    }
}

/// A value the gateway reads as absent: some official SDKs (Go) send every unset field as `""`.
fn given<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

impl Rules {
    /// Refuses the request as the gateway would: `000020` for a missing field, `000022` for a
    /// group or condition broken, `000023` for a bad value.
    pub(crate) fn check(&self, params: &Params) -> Result<(), Refusal> {
        for name in self.required {
            if given(params, name).is_none() {
                return Err(Refusal::missing(format!("{name} is required")));
            }
        }
        for group in self.one_of {
            let set = group.iter().filter(|n| given(params, n).is_some()).count();
            if set != 1 {
                return Err(Refusal::conflict(format!(
                    "exactly one of {} must be set, {set} were",
                    group.join(", ")
                )));
            }
        }
        for group in self.any_of {
            if !group.iter().any(|n| given(params, n).is_some()) {
                return Err(Refusal::missing(format!(
                    "one of {} is required",
                    group.join(", ")
                )));
            }
        }
        for c in self.conditions {
            let applies =
                given(params, c.when).is_some_and(|v| c.is.is_empty() || c.is.contains(&v));
            if applies && given(params, c.require).is_none() {
                return Err(Refusal::missing(format!(
                    "{} is required with this {}",
                    c.require, c.when
                )));
            }
        }
        for name in self.amounts {
            if let Some(text) = given(params, name) {
                check_amount(name, text, given(params, "currency"))?;
            }
        }
        for (name, max) in self.max_len {
            if given(params, name).is_some_and(|v| v.chars().count() > *max) {
                return Err(Refusal::invalid(format!(
                    "{name} is longer than {max} characters"
                )));
            }
        }
        Ok(())
    }
}

/// A positive decimal with no more decimals than its currency has (when the currency is known).
pub(crate) fn check_amount(name: &str, text: &str, currency: Option<&str>) -> Result<(), Refusal> {
    let amount = Amount::parse(text)
        .map_err(|_| Refusal::invalid(format!("{name} is not a decimal amount")))?;
    if !amount.is_positive() {
        return Err(Refusal::invalid(format!("{name} must be positive")));
    }
    if Amount::parse(MAX_REQUEST_AMOUNT).is_ok_and(|max| amount > max) {
        return Err(Refusal::invalid(format!(
            "{name} is above {MAX_REQUEST_AMOUNT}"
        )));
    }
    if let Some(currency) = currency.map(Currency::from)
        && currency_decimals(&currency).is_some()
        && amount.check_precision(&currency).is_err()
    {
        return Err(Refusal::invalid(format!(
            "{name} has more decimals than {currency} allows"
        )));
    }
    Ok(())
}
