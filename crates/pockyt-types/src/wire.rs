//! Reading a request from the parameters a gateway received: the simulator's side of the wire
//! (feature `from-wire`). SDK users never decode requests, so they do not compile this.

use std::collections::BTreeMap;

use crate::endpoint::Endpoint;
use crate::validate::{Problem, ValidationError};
use crate::{Amount, GatewayDate, UtcTimestamp};

/// Request parameters as the gateway receives them: decoded names and values, each name once.
pub type Params = BTreeMap<String, String>;

/// A request that can be read back from received parameters (what `pockyt-mock` does with
/// every call). Implemented by every generated request type.
///
/// It reads values, not rules: each value must parse as its field's type, and the fields the
/// type cannot be without must be there. Whether the request is one the client would send is
/// [`Endpoint::validate`]'s question; what the gateway accepts is the simulator's own (its rules
/// come from the source matrix, and are looser where some official SDK sends less).
pub trait FromWire: Endpoint + Sized {
    /// Builds the request from received values. Parameters the request does not define are
    /// ignored; an empty value counts as absent.
    fn from_wire(params: &Params) -> Result<Self, ValidationError>;
}

type Parser<T> = fn(&'static str, &str) -> Result<T, ValidationError>;

/// A field that must be present and non-empty.
pub(crate) fn required<T>(
    params: &Params,
    name: &'static str,
    parse: Parser<T>,
) -> Result<T, ValidationError> {
    match params.get(name).map(String::as_str) {
        // An empty value is an absent field (the rule every verifier applies too).
        None | Some("") => Err(ValidationError::new(name, Problem::Missing)),
        Some(value) => parse(name, value),
    }
}

/// A field that may be absent. An empty value counts as absent, as some official SDKs send them.
pub(crate) fn optional<T>(
    params: &Params,
    name: &'static str,
    parse: Parser<T>,
) -> Result<Option<T>, ValidationError> {
    match params.get(name).map(String::as_str) {
        None | Some("") => Ok(None),
        Some(value) => parse(name, value).map(Some),
    }
}

pub(crate) fn text(_: &'static str, value: &str) -> Result<String, ValidationError> {
    Ok(value.to_owned())
}

pub(crate) fn amount(name: &'static str, value: &str) -> Result<Amount, ValidationError> {
    Amount::parse(value).map_err(|_| bad(name, "a decimal amount such as 12.50"))
}

pub(crate) fn integer(name: &'static str, value: &str) -> Result<u32, ValidationError> {
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(name, "a non-negative integer"));
    }
    value
        .parse()
        .map_err(|_| bad(name, "a non-negative integer"))
}

pub(crate) fn boolean(name: &'static str, value: &str) -> Result<bool, ValidationError> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(bad(name, "`true` or `false`")),
    }
}

pub(crate) fn enumeration<T: for<'a> From<&'a str>>(
    _: &'static str,
    value: &str,
) -> Result<T, ValidationError> {
    Ok(T::from(value))
}

pub(crate) fn gateway_date(
    name: &'static str,
    value: &str,
) -> Result<GatewayDate, ValidationError> {
    GatewayDate::parse(value).map_err(|_| bad(name, "a date as YYYYMMDD"))
}

pub(crate) fn utc_timestamp(
    name: &'static str,
    value: &str,
) -> Result<UtcTimestamp, ValidationError> {
    UtcTimestamp::parse(value).map_err(|_| bad(name, "a UTC time as YYYY-MM-DDTHH:MM:SSZ"))
}

fn bad(name: &'static str, expected: &'static str) -> ValidationError {
    ValidationError::new(name, Problem::Format { expected })
}
