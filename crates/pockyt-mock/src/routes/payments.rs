//! Online payments: `secure-pay` (v3 and v4) and `prepay` open a hosted checkout (or, with a
//! `vaultId`, charge a saved method at once); v4 `capture` takes a card that `process` completes
//! (after the shopper's 3-D Secure check at `authUrl` when a customer is named); `express-pay`
//! charges at once; `acquire/create` (the WeChat mini-program and
//! in-app order) waits for the app. Client tokens are answered for the `YIP` and `APP` terminals.

use super::prelude::*;
use super::vaults;

/// This group's handler for `path`, if it has one.
pub(super) fn route(ctx: &Ctx<'_>, path: &str) -> Option<Result<Value, GatewayError>> {
    Some(match path {
        SecurePayRequest::PATH => run(ctx, "prepay success", |c, r: SecurePayRequest| {
            let spec = NewPayment::new(
                r.reference,
                r.amount,
                r.currency,
                r.settle_currency,
                r.vendor,
                "secure_pay",
            )
            .urls(r.ipn_url, r.callback_url)
            .note(r.note)
            .timeout(r.timeout)
            .shown(r.description, r.goods_info)
            .customer(r.customer_no)
            .vaulting(vaults::saves_method(r.credit_type.as_ref()));
            match &r.vault_id {
                Some(vault_id) => vaults::charge(c, spec, vault_id),
                None => hosted(c, spec, matches!(r.terminal, Terminal::Yip | Terminal::App)),
            }
        }),
        SecurePayV4Request::PATH => run(ctx, "prepay success", |c, r: SecurePayV4Request| {
            let spec = NewPayment::new(
                r.reference,
                r.amount,
                r.currency,
                r.settle_currency,
                r.vendor,
                "secure_pay_v4",
            )
            .urls(Some(r.ipn_url), r.callback_url)
            .note(r.note)
            .timeout(r.timeout)
            .shown(None, r.goods_info)
            .customer(r.customer_no)
            .vaulting(vaults::saves_method(r.credit_type.as_ref()));
            match &r.vault_id {
                Some(vault_id) => vaults::charge(c, spec, vault_id),
                None => hosted(c, spec, false),
            }
        }),
        CreditPayProcessRequest::PATH => {
            run(ctx, "process success", |c, r: CreditPayProcessRequest| {
                let mut payload = vaults::process(c, &r.transaction_no)?;
                // docs.pockyt's process example: when it was paid, the payer as the wallet shows
                // it, and the provider's own transaction id.
                let paid_at = c
                    .sim
                    .store
                    .lock()
                    .payments
                    .get(&r.transaction_no)
                    .and_then(|p| p.paid_at);
                payload.insert(
                    "paymentTime".into(),
                    json!(paid_at.map(crate::clock::iso_utc)),
                );
                payload.insert("supUserid".into(), json!("simulator-payer"));
                payload.insert(
                    "vendorId".into(),
                    json!(format!("sim-{}", r.transaction_no)),
                );
                Ok(payload)
            })
        }
        OrderProcessV4Request::PATH => {
            run(ctx, "process success", |c, r: OrderProcessV4Request| {
                vaults::process(c, &r.transaction_no)
            })
        }
        OrderCaptureV4Request::PATH => {
            run(ctx, "capture success", |c, r: OrderCaptureV4Request| {
                let spec = NewPayment::new(
                    r.reference,
                    r.amount,
                    r.currency,
                    r.settle_currency,
                    r.vendor,
                    "order_capture_v4",
                )
                .urls(r.ipn_url, None)
                .note(r.note)
                .customer(r.customer_no.clone())
                .vaulting(true);
                // The card waits for `process`; with a customer, 3-D Secure is on and the
                // shopper passes it on the page at `authUrl` (the cashier page here) first.
                let mut payload = created(c, spec)?;
                if r.customer_no.is_some()
                    && let Some(number) = payload.get("transactionNo").and_then(Value::as_str)
                {
                    let page = c.sim.cashier_url(number);
                    payload.insert("authUrl".into(), json!(page));
                }
                Ok(payload)
            })
        }
        AcquireCreateRequest::PATH => run(ctx, "success", |c, r: AcquireCreateRequest| {
            let amount = r
                .amount
                .or(r.rmb_amount)
                .ok_or_else(|| GatewayError::missing("amount is required"))?;
            let spec = NewPayment::new(
                r.reference,
                amount,
                r.currency,
                r.settle_currency.unwrap_or(SettleCurrency::Usd),
                r.vendor.unwrap_or(Vendor::WechatPay),
                "acquire_create",
            )
            .urls(r.ipn_url, None)
            .note(r.note)
            .timeout(r.timeout);
            created(c, spec)
        }),
        PrepayRequest::PATH => run(ctx, "prepay success", |c, r: PrepayRequest| {
            let spec = NewPayment::new(
                r.reference,
                r.amount,
                r.currency,
                r.settle_currency,
                r.vendor.clone(),
                "prepay",
            )
            .urls(r.ipn_url, r.callback_url)
            .note(r.note)
            .timeout(r.timeout);
            let payment = create(c, spec)?;
            let mut payload = payment_payload(&payment);
            payload.insert("merchantNo".into(), json!(payment.merchant_no));
            match r.vendor {
                Vendor::WechatPay if r.terminal == Terminal::MiniProgram => {
                    // The mini-program object names differ in case from the app's (audit M5).
                    for (field, value) in [
                        ("timeStamp", "1700000000"),
                        ("nonceStr", "simulator"),
                        ("signType", "MD5"),
                        ("paySign", "simulator-sign"),
                    ] {
                        payload.insert(field.into(), json!(value));
                    }
                    payload.insert(
                        "package".into(),
                        json!(format!("prepay_id=wx{}", payment.transaction_no)),
                    );
                }
                Vendor::WechatPay => {
                    for (field, value) in [
                        ("appid", "wx-sandbox"),
                        ("partnerid", "1900000109"),
                        ("package", "Sign=WXPay"),
                        ("noncestr", "simulator"),
                        ("timestamp", "1700000000"),
                        ("sign", "simulator-sign"),
                    ] {
                        payload.insert(field.into(), json!(value));
                    }
                    payload.insert(
                        "prepayid".into(),
                        json!(format!("wx{}", payment.transaction_no)),
                    );
                }
                Vendor::CashAppPay => {
                    // What the mobile demos hand Cash App's SDK; `cit` would mean "on file".
                    for (field, value) in [
                        ("clientId", "CAS-CI_SIMULATOR"),
                        ("scopeId", "BRAND_SIMULATOR"),
                        ("creditType", "normal"),
                    ] {
                        payload.insert(field.into(), json!(value));
                    }
                }
                _ => {
                    payload.insert(
                        "payInfo".into(),
                        json!(c.sim.cashier_url(&payment.transaction_no)),
                    );
                }
            }
            Ok(payload)
        }),
        ExpressPayRequest::PATH => run(ctx, "pay success", |c, r: ExpressPayRequest| {
            let spec = NewPayment::new(
                r.reference,
                r.amount,
                r.currency,
                r.settle_currency,
                Vendor::CreditCard,
                "express_pay",
            );
            paid_at_once(c, spec)
        }),
        _ => return None,
    })
}
