//! The gateway's endpoints, one module per group, and the rules they share.
//!
//! Every payment walks one status machine: created `init` (hosted checkouts, in-store orders and QR
//! codes wait there), `pending` once the shopper opens the cashier page, then `success`, `failed`
//! or `closed`, each final. An open payment (`init` or `pending`) leaves it by the
//! shopper (cashier page, [`crate::MockGateway::pay`]), by a server-side call that pays at once
//! (cards, captures, auto-debit), by `cancel`, or by its `timeout` elapsing; every change notifies
//! the merchant's `ipnUrl`. A `reference` is unique per merchant, for ever, whatever became of the
//! first payment.
//!
//! `dispatch` asks each group in turn; a path no group knows is the gateway's `no such API` answer.

use std::collections::HashMap;

use pockyt_types::*;
use serde_json::{Value, json};

use crate::clock::readable;
use crate::gateway::{Ctx, GatewayError, Payload, run};
use crate::sim::FinishError;

mod customers;
mod instore;
mod new_payment;
mod payloads;
mod payments;
mod payouts;
mod preauth;
mod queries;
mod recurring;
mod refunds;

use crate::state::{Agreement, Authorization, Payment, Payout, Refund};
use new_payment::*;
use payloads::*;

/// Routes a path to its group's handler; an unknown path is the gateway's "no such API" answer.
pub(crate) fn dispatch(ctx: &Ctx<'_>, path: &str) -> Result<Value, GatewayError> {
    payments::route(ctx, path)
        .or_else(|| instore::route(ctx, path))
        .or_else(|| refunds::route(ctx, path))
        .or_else(|| queries::route(ctx, path))
        .or_else(|| recurring::route(ctx, path))
        .or_else(|| preauth::route(ctx, path))
        .or_else(|| customers::route(ctx, path))
        .or_else(|| payouts::route(ctx, path))
        .unwrap_or_else(|| {
            Err(GatewayError::new(
                RetCode::UnsupportedVersion,
                format!("no such API: {path}"),
            ))
        })
}

/// Refund totals that cannot be represented: a simulator bug, never a silent zero.
fn overflow() -> GatewayError {
    GatewayError::new(RetCode::SystemError, "refund total overflows")
}

/// A payment that is still open (unpaid), by transaction number.
fn open_payment(ctx: &Ctx<'_>, number: &str) -> Result<Payment, GatewayError> {
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
fn open_or_any(ctx: &Ctx<'_>, number: &str) -> Result<Payment, GatewayError> {
    let mut store = ctx.sim.store.lock();
    store
        .find(&ctx.merchant.merchant_no, Some(number), None)
        .map(|p| p.clone())
        .ok_or_else(|| GatewayError::no_record("transaction does not exist"))
}

fn date_range(start: &str, end: &str) -> Result<(), GatewayError> {
    if end < start {
        return Err(GatewayError::new(
            RetCode::InconsistentParameters,
            "endDate is before startDate",
        ));
    }
    Ok(())
}
