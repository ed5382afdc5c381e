//! Small rules several groups share: what counts as an open payment, a date range, and the error
//! a refund total that cannot be represented becomes.

use pockyt_types::RetCode;

use crate::gateway::{Ctx, GatewayError};
use crate::state::Payment;

/// Refund totals that cannot be represented: a simulator bug, never a silent zero.
pub(super) fn overflow() -> GatewayError {
    GatewayError::new(RetCode::SystemError, "refund total overflows")
}

/// A payment that is still open (unpaid), by transaction number.
pub(super) fn open_payment(ctx: &Ctx<'_>, number: &str) -> Result<Payment, GatewayError> {
    let payment = open_or_any(ctx, number)?;
    if !payment.is_open() {
        return Err(GatewayError::status(format!(
            "transaction is already {}",
            payment.status
        )));
    }
    Ok(payment)
}

/// A payment of the calling merchant, whatever its status.
pub(super) fn open_or_any(ctx: &Ctx<'_>, number: &str) -> Result<Payment, GatewayError> {
    let mut store = ctx.sim.store.lock();
    store
        .find(ctx.merchant, Some(number), None)
        .map(|p| p.clone())
        .ok_or_else(|| GatewayError::no_record("transaction does not exist"))
}

pub(super) fn date_range(start: &str, end: &str) -> Result<(), GatewayError> {
    if end < start {
        return Err(GatewayError::new(
            RetCode::InconsistentParameters,
            "endDate is before startDate",
        ));
    }
    Ok(())
}
