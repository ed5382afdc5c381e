//! Pre-authorization: a voucher or freeze holds an amount (its `outAuthInfoNo` unique per
//! merchant); `unfreeze` releases part of what is held, never more than is left; `capture`
//! charges at most what is held, creates a paid payment, and releases what it captured.

use super::prelude::*;

/// This group's handler for `path`, if it has one.
pub(super) fn route(ctx: &Ctx<'_>, path: &str) -> Option<Result<Value, GatewayError>> {
    Some(match path {
        VoucherCreateRequest::PATH => run(ctx, "create success", |c, r: VoucherCreateRequest| {
            freeze(
                c,
                r.out_auth_info_no,
                r.out_auth_detail_no,
                r.amount,
                r.currency,
            )
        }),
        AuthFreezeRequest::PATH => run(ctx, "freeze success", |c, r: AuthFreezeRequest| {
            freeze(
                c,
                r.out_auth_info_no,
                r.out_auth_detail_no,
                r.amount,
                Some(r.currency),
            )
        }),
        AuthUnfreezeRequest::PATH => run(ctx, "unfreeze success", |c, r: AuthUnfreezeRequest| {
            let mut store = c.sim.store.lock();
            let auth = authorization(
                &mut store.authorizations,
                c,
                r.auth_info_no.as_deref(),
                r.out_auth_info_no.as_deref(),
            )?;
            auth.frozen = auth
                .frozen
                .checked_sub(&r.unfreeze_amount)
                .filter(|rest| !rest.is_negative())
                .ok_or_else(|| GatewayError::invalid("unfreezeAmount exceeds the frozen amount"))?;
            let mut payload = auth_payload(auth, &r.out_auth_detail_no);
            payload.insert("unfreezeAmount".into(), json!(r.unfreeze_amount.as_str()));
            Ok(payload)
        }),
        AuthCaptureRequest::PATH => run(ctx, "capture success", |c, r: AuthCaptureRequest| {
            {
                let mut store = c.sim.store.lock();
                let auth = authorization(
                    &mut store.authorizations,
                    c,
                    r.auth_info_no.as_deref(),
                    r.out_auth_info_no.as_deref(),
                )?;
                if r.amount > auth.frozen {
                    return Err(GatewayError::invalid("amount exceeds the frozen amount"));
                }
            }
            let (info, out_info, amount) = (
                r.auth_info_no.clone(),
                r.out_auth_info_no.clone(),
                r.amount.clone(),
            );
            let spec = NewPayment::new(
                r.reference,
                r.amount,
                r.currency,
                r.settle_currency,
                Vendor::Alipay,
                "auth_capture",
            )
            .urls(r.ipn_url, None);
            // Release the frozen funds only once the capture exists (a duplicate reference fails first).
            let payload = paid_at_once(c, spec)?;
            let mut store = c.sim.store.lock();
            let auth = authorization(
                &mut store.authorizations,
                c,
                info.as_deref(),
                out_info.as_deref(),
            )?;
            auth.frozen = auth
                .frozen
                .checked_sub(&amount)
                .unwrap_or_else(Amount::zero);
            Ok(payload)
        }),
        AuthDetailQueryRequest::PATH => {
            run(ctx, "query success ", |c, r: AuthDetailQueryRequest| {
                let mut store = c.sim.store.lock();
                let auth = authorization(
                    &mut store.authorizations,
                    c,
                    r.auth_info_no.as_deref(),
                    r.out_auth_info_no.as_deref(),
                )?;
                let detail = r
                    .out_auth_detail_no
                    .or(r.auth_detail_no)
                    .unwrap_or_default();
                Ok(auth_payload(auth, &detail))
            })
        }
        _ => return None,
    })
}

pub(super) fn freeze(
    ctx: &Ctx<'_>,
    out_info: String,
    out_detail: String,
    amount: Amount,
    currency: Option<Currency>,
) -> Result<Payload, GatewayError> {
    let mut store = ctx.sim.store.lock();
    if store
        .authorizations
        .values()
        .any(|a| ctx.merchant.owns(&a.merchant_no, &a.store_no) && a.out_auth_info_no == out_info)
    {
        return Err(GatewayError::invalid(format!(
            "outAuthInfoNo `{out_info}` has already been used"
        )));
    }
    let number = store.next_number();
    let auth = Authorization {
        auth_info_no: number.clone(),
        out_auth_info_no: out_info,
        merchant_no: ctx.merchant.merchant_no.clone(),
        store_no: ctx.merchant.store_no.clone(),
        frozen: amount,
        currency,
    };
    let payload = auth_payload(&auth, &out_detail);
    store.authorizations.insert(number, auth);
    Ok(payload)
}

pub(super) fn authorization<'s>(
    auths: &'s mut HashMap<String, Authorization>,
    ctx: &Ctx<'_>,
    auth_info_no: Option<&str>,
    out_auth_info_no: Option<&str>,
) -> Result<&'s mut Authorization, GatewayError> {
    auths
        .values_mut()
        .find(|a| {
            ctx.merchant.owns(&a.merchant_no, &a.store_no)
                && (auth_info_no == Some(a.auth_info_no.as_str())
                    || out_auth_info_no == Some(a.out_auth_info_no.as_str()))
        })
        .ok_or_else(|| GatewayError::no_record("authorization does not exist"))
}

pub(super) fn auth_payload(auth: &Authorization, out_detail: &str) -> Payload {
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
