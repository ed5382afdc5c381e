//! The handler kit every route uses: the gateway's refusal (`GatewayError`), what a handler sees
//! (`Ctx`), and [`run`]: parse the typed request, run the handler, wrap the answer in the envelope.

use std::sync::Arc;

use pockyt_types::{Endpoint, FromWire, Params, RetCode, ValidationError};
use serde_json::{Map, Value};

use crate::config::Merchant;
use crate::ledger::{Ledger, Refusal};
use crate::sim::Simulator;

/// A refusal, answered as the gateway's error envelope (HTTP 200).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GatewayError {
    pub(crate) code: RetCode,
    pub(crate) message: String,
}

impl GatewayError {
    pub(crate) fn new(code: RetCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    pub(crate) fn missing(message: impl Into<String>) -> Self {
        Self::new(RetCode::MissingParameter, message)
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(RetCode::InvalidParameter, message)
    }

    pub(crate) fn no_record(message: impl Into<String>) -> Self {
        Self::new(RetCode::NoRecord, message)
    }
}

impl From<crate::rules::Refusal> for GatewayError {
    fn from(refusal: crate::rules::Refusal) -> Self {
        Self::new(refusal.code, refusal.message)
    }
}

/// The ledger's refusals, with the gateway's code for each: a record that does not exist is
/// `no record`, a payment in the wrong state a `status error`, currencies that disagree with the
/// payment `inconsistent parameters`, a simulator bug a `system error`, and every other refused
/// value an `invalid parameter`.
///
/// A reused id (`Refusal::Taken`) is among the refused values: Pockyt documents no code of its own
/// for a duplicate `reference` (its error-codes page names the error without a code,
/// <https://docs.pockyt.io/reference/status-error-codes>), and `000023` is the code its tables give
/// a parameter value the gateway refuses. That is the simulator's best reading, and what the
/// client's `Error::is_reused_reference` expects.
impl From<Refusal> for GatewayError {
    fn from(refusal: Refusal) -> Self {
        let code = match &refusal {
            Refusal::NoPayment
            | Refusal::NoMixedRecord
            | Refusal::NoVault(_)
            | Refusal::NoAgreement
            | Refusal::NoAuthorization
            | Refusal::NoCustomer
            | Refusal::NoCustomerNo
            | Refusal::NoAccount
            | Refusal::NoAccountOfCustomer
            | Refusal::NoInvoice => RetCode::NoRecord,
            Refusal::NotOpen(_)
            | Refusal::NotRefundable(_)
            | Refusal::NotCancellable(_)
            | Refusal::AgreementInactive
            | Refusal::InsufficientBalance
            | Refusal::StillOpen(_) => RetCode::StatusError,
            Refusal::CurrencyDiffers(_) => RetCode::InconsistentParameters,
            Refusal::Overflow | Refusal::SettlementOverflow => RetCode::SystemError,
            Refusal::Taken { .. }
            | Refusal::ExceedsRefundable { .. }
            | Refusal::BadAmount(_)
            | Refusal::ExceedsFrozen(_)
            | Refusal::NoIpnUrl => RetCode::InvalidParameter,
        };
        Self::new(code, refusal.to_string())
    }
}

impl From<ValidationError> for GatewayError {
    fn from(error: ValidationError) -> Self {
        let code = if error.is_missing() {
            RetCode::MissingParameter
        } else {
            RetCode::InvalidParameter
        };
        Self::new(code, error.to_string())
    }
}

/// What a handler sees: the simulator, the authenticated merchant and the raw parameters.
pub(crate) struct Ctx<'a> {
    pub(crate) sim: &'a Arc<Simulator>,
    pub(crate) merchant: &'a Merchant,
    pub(crate) params: &'a Params,
}

impl Ctx<'_> {
    /// The records, and the only way to change one.
    pub(crate) fn ledger(&self) -> &Ledger {
        self.sim.ledger()
    }

    /// The cashier or clerk the request names (`storeAdminNo`), if any: every payment remembers
    /// it, whatever endpoint created it.
    pub(crate) fn store_admin_no(&self) -> Option<String> {
        self.params
            .get("storeAdminNo")
            .filter(|v| !v.is_empty())
            .cloned()
    }
}

/// One endpoint's handler: the whole envelope, success or refusal.
pub(crate) type Handler = fn(&Ctx<'_>) -> Result<Value, GatewayError>;

/// A handler returns the payload as wire-named JSON fields.
pub(crate) type Payload = Map<String, Value>;

pub(crate) fn error_envelope(error: &GatewayError) -> Value {
    let mut envelope = Map::new();
    envelope.insert(
        "ret_code".into(),
        Value::String(error.code.as_str().to_owned()),
    );
    envelope.insert("ret_msg".into(), Value::String(error.message.clone()));
    Value::Object(envelope)
}

/// Applies the simulator's rules for the call, reads the typed request, runs `handler`, and wraps
/// its payload.
pub(crate) fn run<E: Endpoint + FromWire>(
    ctx: &Ctx<'_>,
    message: &str,
    handler: impl FnOnce(&Ctx<'_>, E) -> Result<Payload, GatewayError>,
) -> Result<Value, GatewayError> {
    let rules = crate::rules::rules(E::PATH).ok_or_else(|| {
        GatewayError::new(
            RetCode::SystemError,
            format!("simulator bug: no rules for {}", E::PATH),
        )
    })?;
    rules.check(ctx.params)?;
    let request = E::from_wire(ctx.params)?;
    let payload = handler(ctx, request)?;
    // The answer must decode as the typed response (a simulator bug otherwise); it is sent as the
    // handler made it, `null`s included, as the gateway's examples show them.
    serde_json::from_value::<E::Response>(Value::Object(payload.clone()))
        .map_err(|e| GatewayError::new(RetCode::SystemError, format!("simulator bug: {e}")))?;
    let mut envelope = Map::new();
    envelope.insert(
        "ret_code".into(),
        Value::String(RetCode::Success.as_str().to_owned()),
    );
    envelope.insert("ret_msg".into(), Value::String(message.to_owned()));
    // The first key is where the gateway puts the payload (`result`, or `customer` for payees).
    match E::RESPONSE_KEYS.first() {
        Some(&".") => envelope.extend(payload),
        Some(key) => {
            envelope.insert((*key).to_owned(), Value::Object(payload));
        }
        None => {
            envelope.insert("result".into(), Value::Object(payload));
        }
    }
    Ok(Value::Object(envelope))
}
