//! Queries: one transaction by number or reference, with its refunds; the transaction list within a
//! date range (the start not after the end); settlement and withdrawal lists (empty, with the
//! shape the gateway answers); the data status check.

use super::prelude::*;

/// This group's handler for `path`, if it has one.
pub(super) fn route(ctx: &Ctx<'_>, path: &str) -> Option<Result<Value, GatewayError>> {
    Some(match path {
        TranQueryRequest::PATH => run(ctx, "query success ", |c, r: TranQueryRequest| {
            let mut store = c.sim.store.lock();
            let payment = store
                .find(
                    c.merchant,
                    r.transaction_no.as_deref(),
                    r.reference.as_deref(),
                )
                .ok_or_else(|| GatewayError::no_record("transaction does not exist"))?;
            Ok(query_payload(payment))
        }),
        TransListRequest::PATH => run(ctx, "query success ", |c, r: TransListRequest| {
            date_range(&r.start_date, &r.end_date)?;
            let store = c.sim.store.lock();
            let within = |p: &Payment| {
                let day = p.created.get(..8).unwrap_or_default();
                r.start_date.as_str() <= day && day <= r.end_date.as_str()
            };
            let mut list: Vec<Value> = store
                .payments
                .values()
                .filter(|p| c.merchant.owns(&p.merchant_no, &p.store_no) && within(p))
                .map(|p| Value::Object(transaction_payload(p)))
                .collect();
            list.sort_by(|a, b| {
                a["transactionNo"]
                    .as_str()
                    .cmp(&b["transactionNo"].as_str())
            });
            let mut payload = Payload::new();
            payload.insert("size".into(), json!(list.len()));
            payload.insert("transactions".into(), Value::Array(list));
            Ok(payload)
        }),
        SettleListRequest::PATH => run(ctx, "query success ", |_, r: SettleListRequest| {
            date_range(&r.start_date, &r.end_date)?;
            Ok(empty_list("settlements"))
        }),
        WithdrawalListRequest::PATH => run(ctx, "query success ", |_, r: WithdrawalListRequest| {
            date_range(&r.start_date, &r.end_date)?;
            Ok(empty_list("withdrawals"))
        }),
        DataStatusRequest::PATH => run(ctx, "query success ", |_, r: DataStatusRequest| {
            Ok(fields([
                ("paymentDate", r.payment_date),
                ("status", "unsettled".to_owned()),
            ]))
        }),
        _ => return None,
    })
}
