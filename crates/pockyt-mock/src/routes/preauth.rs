//! Pre-authorization (group `preauth`): a voucher or freeze holds an amount (its `outAuthInfoNo`
//! unique per store); `unfreeze` releases part of what is held, never more than is left;
//! `capture` charges at most what is held, creates a paid payment, and releases what it captured
//! (the ledger's rules); `auth-detail-query` shows what is held.

use super::prelude::*;
use crate::state::Authorization;

/// This group's handler for `path`, if it has one.
pub(super) fn handler(path: &str) -> Option<Handler> {
    let handler: Handler = match path {
        VoucherCreateRequest::PATH => |c| run(c, "create success", voucher_create),
        AuthFreezeRequest::PATH => |c| run(c, "freeze success", freeze),
        AuthUnfreezeRequest::PATH => |c| run(c, "unfreeze success", unfreeze),
        AuthCaptureRequest::PATH => |c| run(c, "capture success", capture),
        AuthDetailQueryRequest::PATH => |c| run(c, "query success ", detail_query),
        _ => return None,
    };
    Some(handler)
}

fn voucher_create(c: &Ctx<'_>, r: VoucherCreateRequest) -> Result<Payload, GatewayError> {
    let auth = c
        .ledger()
        .freeze(c.merchant, r.out_auth_info_no, r.amount, r.currency)?;
    Ok(auth_payload(&auth, &r.out_auth_detail_no))
}

fn freeze(c: &Ctx<'_>, r: AuthFreezeRequest) -> Result<Payload, GatewayError> {
    let auth = c
        .ledger()
        .freeze(c.merchant, r.out_auth_info_no, r.amount, Some(r.currency))?;
    Ok(auth_payload(&auth, &r.out_auth_detail_no))
}

fn unfreeze(c: &Ctx<'_>, r: AuthUnfreezeRequest) -> Result<Payload, GatewayError> {
    let auth = c.ledger().unfreeze(
        c.merchant,
        (r.auth_info_no.as_deref(), r.out_auth_info_no.as_deref()),
        &r.unfreeze_amount,
    )?;
    let mut payload = auth_payload(&auth, &r.out_auth_detail_no);
    payload.insert("unfreezeAmount".into(), json!(r.unfreeze_amount.as_str()));
    Ok(payload)
}

fn capture(c: &Ctx<'_>, r: AuthCaptureRequest) -> Result<Payload, GatewayError> {
    let amount = r.amount.clone();
    let spec = NewPayment::new(
        r.reference,
        r.amount,
        r.currency,
        r.settle_currency,
        Vendor::Alipay,
        "auth_capture",
    )
    .urls(r.ipn_url, None)
    .store_admin(c.store_admin_no());
    let payment = c.ledger().capture(
        c.merchant,
        (r.auth_info_no.as_deref(), r.out_auth_info_no.as_deref()),
        spec,
        &amount,
    )?;
    Ok(payment_payload(&payment))
}

fn detail_query(c: &Ctx<'_>, r: AuthDetailQueryRequest) -> Result<Payload, GatewayError> {
    let auth = c.ledger().authorization(
        c.merchant,
        (r.auth_info_no.as_deref(), r.out_auth_info_no.as_deref()),
    )?;
    let detail = r
        .out_auth_detail_no
        .or(r.auth_detail_no)
        .unwrap_or_default();
    Ok(auth_payload(&auth, &detail))
}

fn auth_payload(auth: &Authorization, out_detail: &str) -> Payload {
    let mut payload = fields([
        ("authInfoNo", auth.auth_info_no.clone()),
        ("outAuthInfoNo", auth.out_auth_info_no.clone()),
        ("outAuthDetailNo", out_detail.to_owned()),
        ("amount", auth.frozen.to_string()),
    ]);
    if let Some(currency) = &auth.currency {
        payload.insert("currency".into(), json!(currency.as_str()));
    }
    payload.insert("status".into(), json!("frozen"));
    payload
}
