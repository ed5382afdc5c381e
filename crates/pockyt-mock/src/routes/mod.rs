//! The gateway's endpoints, one module per group, and the rules they share.
//!
//! Every payment walks one status machine: created `init` (hosted checkouts, in-store orders and QR
//! codes wait there; opening the cashier page changes nothing, as only a `POST` may), then
//! `success`, `failed` or `closed`, each final. An open payment (`init` or `pending`) leaves it by the
//! shopper (cashier page, [`crate::MockGateway::pay`]), by a server-side call that pays at once
//! (cards, captures, auto-debit), by `cancel`, or by its `timeout` elapsing; every change notifies
//! the merchant's `ipnUrl`. A `reference` is unique per store of a merchant, for ever, whatever
//! became of the first payment. Every record belongs to one store of one merchant: another store
//! of the same merchant neither sees nor changes it.
//!
//! `dispatch` asks each group in turn; a path no group knows is the gateway's `no such API` answer.
//!
//! Each group module holds its endpoints and opens with the rules it encodes; they take what they
//! share from `prelude` (the handler kit, payment creation and the payload shapes), never from
//! this module, so the only arrows here point down.

mod customers;
mod instore;
mod kit;
mod new_payment;
mod payloads;
mod payments;
mod payouts;
mod preauth;
mod prelude;
mod queries;
mod recurring;
mod refunds;
mod vaults;

use pockyt_types::{Endpoint, RetCode};
use serde_json::Value;

use crate::gateway::{Ctx, GatewayError};

/// A refund asked for on the workbench, by the same rules (and code) as the API's.
pub(crate) fn refund_for_workbench(
    sim: &std::sync::Arc<crate::sim::Simulator>,
    merchant: &crate::config::Merchant,
    transaction_no: &str,
    amount: pockyt_types::Amount,
) -> Result<(), GatewayError> {
    let payment = sim
        .store
        .lock()
        .payment_mut(transaction_no)
        .map(|p| (p.currency.clone(), p.settle_currency.clone()))
        .ok_or_else(|| GatewayError::no_record("transaction does not exist"))?;
    let request = pockyt_types::RefundRequest::new(amount, payment.0, payment.1)
        .transaction_no(transaction_no);
    let params: pockyt_types::Params = request
        .wire_pairs()
        .iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
    // The simulator's own rules for an API refund (a positive amount at the currency's
    // precision): without them a form could refund -100 and raise what is left to refund.
    let rules = crate::rules::rules(pockyt_types::RefundRequest::PATH)
        .ok_or_else(|| GatewayError::new(RetCode::SystemError, "simulator bug: no refund rules"))?;
    rules.check(&params)?;
    let ctx = Ctx {
        sim,
        merchant,
        params: &params,
    };
    refunds::refund(&ctx, request).map(|_| ())
}

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
