//! Refunds and cancels, the rules where money goes back:
//! - only a `success` payment can be refunded, in its own `currency` and `settleCurrency`;
//! - refunds add up to at most the amount paid: a refund above what is left is refused, and a
//!   total that cannot be represented is a simulator error, never a silent zero;
//! - a `refundReference`, when given, is unique per store of a merchant;
//! - `cancel` closes an open payment; a paid one is refunded for what is left and closed, and the
//!   merchant is notified of the change like of any other.

use super::prelude::*;

/// This group's handler for `path`, if it has one.
pub(super) fn route(ctx: &Ctx<'_>, path: &str) -> Option<Result<Value, GatewayError>> {
    Some(match path {
        RefundRequest::PATH => run(ctx, "refund success ", refund),
        CancelRequest::PATH => run(ctx, "cancel success ", |c, r: CancelRequest| {
            cancel(c, r.transaction_no.as_deref(), r.reference.as_deref())
        }),
        _ => return None,
    })
}

pub(super) fn refund(ctx: &Ctx<'_>, r: RefundRequest) -> Result<Payload, GatewayError> {
    let mut store = ctx.sim.store.lock();
    let refund_key = r
        .refund_reference
        .as_ref()
        .map(|reference| crate::state::own_key(ctx.merchant, reference));
    if let Some((_, _, reference)) = refund_key
        .as_ref()
        .filter(|k| store.refund_references.contains_key(k))
    {
        return Err(GatewayError::invalid(format!(
            "refundReference `{reference}` has already been used"
        )));
    }
    let refund_no = store.next_number();
    let payment = store
        .find(
            ctx.merchant,
            r.transaction_no.as_deref(),
            r.reference.as_deref(),
        )
        .ok_or_else(|| GatewayError::no_record("transaction does not exist"))?;
    if payment.status != TransactionStatus::Success {
        return Err(GatewayError::status(format!(
            "a {} transaction cannot be refunded",
            payment.status
        )));
    }
    if payment.currency != r.currency {
        return Err(GatewayError::new(
            RetCode::InconsistentParameters,
            "currency differs from the payment's",
        ));
    }
    if payment.settle_currency != r.settle_currency {
        return Err(GatewayError::new(
            RetCode::InconsistentParameters,
            "settleCurrency differs from the payment's",
        ));
    }
    let refundable = payment.refundable().ok_or_else(overflow)?;
    if r.refund_amount > refundable {
        return Err(GatewayError::invalid(format!(
            "refundAmount {} exceeds the refundable amount {refundable}",
            r.refund_amount,
        )));
    }
    let amount = normalized(r.refund_amount, &payment.currency);
    payment.refunds.push(Refund {
        refund_transaction_no: refund_no.clone(),
        refund_reference: r.refund_reference.clone(),
        amount: amount.clone(),
    });
    let mut payload = payment_payload(payment);
    let transaction_no = payment.transaction_no.clone();
    payload.insert("refundAmount".into(), json!(amount.as_str()));
    payload.insert("refundReference".into(), json!(r.refund_reference));
    payload.insert("refundTransactionNo".into(), json!(refund_no));
    // The names older integrations read (WOO, docs.yuansfer): the same numbers.
    payload.insert("refundTransactionId".into(), json!(refund_no));
    payload.insert("oldTransactionId".into(), json!(transaction_no));
    payload.insert("status".into(), json!("success"));
    if let Some(key) = refund_key {
        store.refund_references.insert(key, transaction_no);
    }
    Ok(payload)
}

/// Closes an unpaid payment; a paid one is refunded in full and closed.
pub(super) fn cancel(
    ctx: &Ctx<'_>,
    transaction_no: Option<&str>,
    reference: Option<&str>,
) -> Result<Payload, GatewayError> {
    // `Ok(payment)`: a paid payment, refunded and closed here; `Err(number)`: an open one.
    let closed_or_open = {
        let mut store = ctx.sim.store.lock();
        let refund_no = store.next_number();
        let payment = store
            .find(ctx.merchant, transaction_no, reference)
            .ok_or_else(|| GatewayError::no_record("transaction does not exist"))?;
        match payment.status {
            TransactionStatus::Success => {
                let rest = payment.refundable().ok_or_else(overflow)?;
                if rest.is_positive() {
                    payment.refunds.push(Refund {
                        refund_transaction_no: refund_no.clone(),
                        refund_reference: None,
                        amount: rest,
                    });
                }
                payment.status = TransactionStatus::Closed;
                // Cloned under the same lock, so the IPN describes exactly this change.
                Ok(payment.clone())
            }
            _ if payment.is_open() => Err(payment.transaction_no.clone()),
            ref status => {
                return Err(GatewayError::status(format!(
                    "a {status} transaction cannot be cancelled"
                )));
            }
        }
    };
    match closed_or_open {
        Ok(payment) => {
            // The paid order is now closed and refunded: the merchant hears of it as of any other
            // change.
            ctx.sim.notify(&payment);
            Ok(cancel_payload(&payment))
        }
        Err(number) => {
            settle(ctx, &number, TransactionStatus::Closed)?;
            let store = ctx.sim.store.lock();
            let payment = store
                .payments
                .get(&number)
                .ok_or_else(|| GatewayError::no_record("transaction does not exist"))?;
            Ok(cancel_payload(payment))
        }
    }
}

/// What cancel answers: the payment's fields and, as the Go SDK reads them, the in-store
/// transaction's (its `transactionStatus` beside `status`).
fn cancel_payload(payment: &Payment) -> Payload {
    let mut payload = transaction_payload(payment);
    payload.insert("status".into(), json!(payment.status.as_str()));
    payload
}
