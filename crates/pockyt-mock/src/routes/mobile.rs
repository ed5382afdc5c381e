//! Mobile and server-side payments (group `mobile`): `prepay` creates an in-app or mini-program
//! payment that waits for the app, answering what the wallet's SDK needs (WeChat's app or
//! mini-program objects, Cash App's ids, or a payment page for the others); `express-pay` charges
//! a card at once.

use super::prelude::*;

/// This group's handler for `path`, if it has one.
pub(super) fn handler(path: &str) -> Option<Handler> {
    let handler: Handler = match path {
        PrepayRequest::PATH => |c| run(c, "prepay success", prepay),
        ExpressPayRequest::PATH => |c| run(c, "pay success", express_pay),
        _ => return None,
    };
    Some(handler)
}

fn prepay(c: &Ctx<'_>, r: PrepayRequest) -> Result<Payload, GatewayError> {
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
    .timeout(r.timeout)
    .store_admin(c.store_admin_no());
    let payment = c.ledger().create(c.merchant, spec)?;
    let mut payload = payment_payload(&payment);
    let put = |payload: &mut Payload, pairs: &[(&str, &str)]| {
        for (field, value) in pairs {
            payload.insert((*field).into(), json!(value));
        }
    };
    match r.vendor {
        Vendor::WechatPay if r.terminal == Terminal::MiniProgram => {
            // The mini-program object names differ in case from the app's (audit M5).
            put(
                &mut payload,
                &[
                    ("timeStamp", "1700000000"),
                    ("nonceStr", "simulator"),
                    ("signType", "MD5"),
                    ("paySign", "simulator-sign"),
                ],
            );
            payload.insert(
                "package".into(),
                json!(format!("prepay_id=wx{}", payment.transaction_no)),
            );
        }
        Vendor::WechatPay => {
            put(
                &mut payload,
                &[
                    ("appid", "wx-sandbox"),
                    ("partnerid", "1900000109"),
                    ("package", "Sign=WXPay"),
                    ("noncestr", "simulator"),
                    ("timestamp", "1700000000"),
                    ("sign", "simulator-sign"),
                ],
            );
            payload.insert(
                "prepayid".into(),
                json!(format!("wx{}", payment.transaction_no)),
            );
        }
        Vendor::CashAppPay => {
            // What the mobile demos hand Cash App's SDK; `cit` would mean "on file".
            put(
                &mut payload,
                &[
                    ("clientId", "CAS-CI_SIMULATOR"),
                    ("scopeId", "BRAND_SIMULATOR"),
                    ("creditType", "normal"),
                ],
            );
        }
        _ => {
            payload.insert(
                "payInfo".into(),
                json!(c.sim.cashier_url(&payment.transaction_no)),
            );
        }
    }
    Ok(payload)
}

fn express_pay(c: &Ctx<'_>, r: ExpressPayRequest) -> Result<Payload, GatewayError> {
    let spec = NewPayment::new(
        r.reference,
        r.amount,
        r.currency,
        r.settle_currency,
        Vendor::CreditCard,
        "express_pay",
    )
    .store_admin(c.store_admin_no());
    let payment = c.ledger().pay_at_once(c.merchant, spec)?;
    Ok(payment_payload(&payment))
}
