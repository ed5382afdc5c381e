//! Refunds and transaction data (group `data_search`): `refund` gives back part of a paid payment
//! (the ledger's rules: its own currencies, at most what is left, a `refundReference` used once);
//! `cancel` and the older `reverse` close an open payment or refund a paid one in full and close
//! it; `tran-query` finds one transaction by number or reference, with its refunds; the
//! transaction list covers the payments created in a date range of the gateway's days (the start
//! not after the end), each with its `paymentTime` once paid and what was refunded of it; the
//! settlement list answers the ledger's settlement items of the days in the range (the
//! simulator's terms: a configurable number of days after payment, less a fee); the withdrawal
//! list answers empty, in the shape the gateway answers; `data-status` says whether a day's
//! payments are settled.

use super::prelude::*;

/// This group's handler for `path`, if it has one.
pub(super) fn handler(path: &str) -> Option<Handler> {
    #[allow(deprecated)]
    let handler: Handler = match path {
        // The trailing spaces are the gateway's own (its answers carry them; the client trims).
        RefundRequest::PATH => |c| run(c, "refund success ", refund),
        CancelRequest::PATH => |c| run(c, "cancel success ", cancel),
        DataReverseRequest::PATH => |c| run(c, "reverse success", reverse),
        TranQueryRequest::PATH => |c| run(c, "query success ", tran_query),
        TransListRequest::PATH => |c| run(c, "query success ", trans_list),
        SettleListRequest::PATH => |c| run(c, "query success ", settle_list),
        WithdrawalListRequest::PATH => |c| run(c, "query success ", withdrawal_list),
        DataStatusRequest::PATH => |c| run(c, "query success ", data_status),
        _ => return None,
    };
    Some(handler)
}

fn refund(c: &Ctx<'_>, r: RefundRequest) -> Result<Payload, GatewayError> {
    let order = crate::ledger::RefundOrder {
        transaction_no: r.transaction_no,
        reference: r.reference,
        amount: r.refund_amount,
        currencies: Some((r.currency, r.settle_currency)),
        refund_reference: r.refund_reference,
    };
    let (payment, refund) = c.ledger().refund(Actor::Store(c.merchant), order)?;
    let mut payload = payment_payload(&payment);
    let number = refund.refund_transaction_no;
    payload.insert("refundAmount".into(), json!(refund.amount.as_str()));
    payload.insert("refundReference".into(), json!(refund.refund_reference));
    payload.insert("refundTransactionNo".into(), json!(number));
    // The names older integrations read (WOO, docs.yuansfer): the same numbers.
    payload.insert("refundTransactionId".into(), json!(number));
    payload.insert("oldTransactionId".into(), json!(payment.transaction_no));
    payload.insert("status".into(), json!("success"));
    Ok(payload)
}

fn cancel(c: &Ctx<'_>, r: CancelRequest) -> Result<Payload, GatewayError> {
    let payment = c.ledger().cancel(
        c.merchant,
        r.transaction_no.as_deref(),
        r.reference.as_deref(),
    )?;
    Ok(cancel_payload(&payment))
}

#[allow(deprecated)]
fn reverse(c: &Ctx<'_>, r: DataReverseRequest) -> Result<Payload, GatewayError> {
    let payment = c.ledger().cancel(
        c.merchant,
        r.transaction_no.as_deref(),
        r.reference.as_deref(),
    )?;
    Ok(cancel_payload(&payment))
}

fn tran_query(c: &Ctx<'_>, r: TranQueryRequest) -> Result<Payload, GatewayError> {
    let payment = c.ledger().find(
        c.merchant,
        r.transaction_no.as_deref(),
        r.reference.as_deref(),
    )?;
    Ok(query_payload(&payment))
}

fn trans_list(c: &Ctx<'_>, r: TransListRequest) -> Result<Payload, GatewayError> {
    date_range(r.start_date, r.end_date)?;
    let items: Vec<Value> = c
        .ledger()
        .payments_within(c.merchant, r.start_date.as_str(), r.end_date.as_str())
        .iter()
        .map(|p| Value::Object(transaction_payload(p)))
        .collect();
    Ok(list("transactions", items))
}

fn settle_list(c: &Ctx<'_>, r: SettleListRequest) -> Result<Payload, GatewayError> {
    date_range(r.start_date, r.end_date)?;
    let items: Vec<Value> = c
        .ledger()
        .settlements(c.merchant, r.start_date, r.end_date)?
        .iter()
        .map(|item| Value::Object(settlement_payload(item)))
        .collect();
    Ok(list("settlements", items))
}

fn withdrawal_list(_: &Ctx<'_>, r: WithdrawalListRequest) -> Result<Payload, GatewayError> {
    date_range(r.start_date, r.end_date)?;
    Ok(list("withdrawals", Vec::new()))
}

fn data_status(c: &Ctx<'_>, r: DataStatusRequest) -> Result<Payload, GatewayError> {
    let status = if c.ledger().is_settled(r.payment_date) {
        "settled"
    } else {
        "unsettled"
    };
    Ok(fields([
        ("paymentDate", r.payment_date.to_string()),
        ("status", status.to_owned()),
    ]))
}
