//! The shopper's pages: the hosted cashier page (pay, cancel or decline an open payment) and the
//! wallet's auto-debit authorization page. They act through the ledger, as `MockGateway` does.

use std::sync::Arc;

use http::{Method, Response, StatusCode};
use pockyt_types::TransactionStatus;

use crate::ledger::{Actor, Refusal};
use crate::respond::{MockBody, escape, html, redirect};
use crate::sim::Simulator;
use crate::state::Payment;

/// Serves `/cashier/{transactionNo}[/pay|/cancel|/qrcode]` and `/auto-debit/authorize/{no}`.
pub(crate) fn route(
    sim: &Arc<Simulator>,
    method: &Method,
    path: &str,
    _query: Option<&str>,
) -> Response<MockBody> {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (method, parts.as_slice()) {
        (&Method::GET, ["cashier", number]) => show_payment(sim, number),
        (&Method::POST, ["cashier", number, "pay"]) => {
            pay_or_cancel(sim, number, TransactionStatus::Success)
        }
        (&Method::POST, ["cashier", number, "cancel"]) => {
            pay_or_cancel(sim, number, TransactionStatus::Closed)
        }
        (&Method::POST, ["cashier", number, "fail"]) => {
            pay_or_cancel(sim, number, TransactionStatus::Failed)
        }
        (&Method::GET, ["cashier", number, "qrcode"]) => html(
            StatusCode::OK,
            format!(
                "<html><body><pre>QR code for {}</pre></body></html>",
                escape(&sim.cashier_url(number))
            ),
        ),
        (&Method::GET, ["auto-debit", "authorize", number]) => authorize(sim, number),
        _ => not_found(),
    }
}

fn not_found() -> Response<MockBody> {
    html(
        StatusCode::NOT_FOUND,
        "<html><body><h1>Not found</h1></body></html>".into(),
    )
}

/// Shows the payment, and changes nothing: only a `POST` (pay, cancel, decline) may, so a link,
/// an image or a prefetch of another site cannot move a payment along.
fn show_payment(sim: &Arc<Simulator>, number: &str) -> Response<MockBody> {
    let Some(payment) = sim.ledger().payment(number) else {
        return not_found();
    };
    html(StatusCode::OK, render(&payment))
}

fn render(payment: &Payment) -> String {
    let actions = if payment.is_open() {
        format!(
            "<div class=\"actions\">\
             <form method=\"post\" action=\"/cashier/{n}/pay\"><button id=\"pay\" class=\"primary\">Pay {amount} {currency}</button></form>\
             <form method=\"post\" action=\"/cashier/{n}/cancel\"><button id=\"cancel\">Cancel</button></form>\
             <form method=\"post\" action=\"/cashier/{n}/fail\"><button id=\"fail\">Decline (the wallet fails)</button></form></div>",
            n = escape(&payment.transaction_no),
            amount = escape(payment.amount.as_str()),
            currency = escape(payment.currency.as_str()),
        )
    } else {
        format!(
            "<p id=\"status\">This payment is {}.</p>",
            escape(payment.status.as_str())
        )
    };
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Pockyt simulator cashier</title>\
         <style>{STYLE}</style></head><body><main>\
         <h1>Pockyt simulator cashier</h1>\
         <p>Merchant <b id=\"merchant\">{merchant}</b> asks you to pay</p>\
         <p class=\"total\"><b id=\"amount\">{amount} {currency}</b></p>\
         <p>with <b id=\"vendor\">{vendor}</b></p>\
         {details}{actions}\
         <div class=\"after\"><p>Reference {reference}, transaction {number}.</p>{after}</div></main></body></html>",
        details = details(payment),
        after = afterwards(payment),
        merchant = escape(&payment.merchant_no),
        amount = escape(payment.amount.as_str()),
        currency = escape(payment.currency.as_str()),
        vendor = escape(payment.vendor.as_str()),
        reference = escape(payment.reference.as_deref().unwrap_or("(none)")),
        number = escape(&payment.transaction_no),
    )
}

/// A checkout card: inline, because the page must work offline and load nothing else.
const STYLE: &str = "body{font:15px system-ui,sans-serif;background:#eef1f5;color:#222;margin:0;padding:2em}\
main{max-width:26em;margin:auto;background:#fff;border-radius:10px;padding:1.5em 2em;\
box-shadow:0 2px 10px rgba(0,0,0,.12)}h1{font-size:1em;color:#666;font-weight:600;margin:0 0 1em}\
p{margin:.4em 0}.total{font-size:2em}#description{font-weight:600;margin-top:1em}\
ul{padding-left:1.2em;color:#444}.actions{margin:1.2em 0}.actions form{margin:.4em 0}\
button{width:100%;padding:.7em;border:1px solid #bbb;border-radius:6px;background:#f7f7f7;font:inherit;cursor:pointer}\
button.primary{background:#1a6ef5;border-color:#1a6ef5;color:#fff;font-weight:600}\
.after{border-top:1px solid #e3e3e3;margin-top:1em;padding-top:.6em;font-size:.85em;color:#666}\
code{word-break:break-all}";

/// The order as the shopper sees it: the description and the goods of `goodsInfo` (a JSON list
/// of `{goods_name, quantity}`; anything else is shown as received).
fn details(payment: &Payment) -> String {
    let mut out = String::new();
    if let Some(description) = &payment.description {
        out.push_str(&format!(
            "<p id=\"description\">{}</p>",
            escape(description)
        ));
    }
    if let Some(goods) = &payment.goods_info {
        let items: Option<Vec<String>> = serde_json::from_str::<serde_json::Value>(goods)
            .ok()
            .and_then(|v| v.as_array().cloned())
            .map(|list| {
                list.iter()
                    .map(|item| {
                        let text = |key: &str| match &item[key] {
                            serde_json::Value::String(s) => s.clone(),
                            serde_json::Value::Null => String::new(),
                            other => other.to_string(),
                        };
                        format!(
                            "<li>{} × {}</li>",
                            escape(&text("goods_name")),
                            escape(&text("quantity"))
                        )
                    })
                    .collect()
            });
        match items {
            Some(items) => out.push_str(&format!("<ul id=\"goods\">{}</ul>", items.concat())),
            None => out.push_str(&format!("<p id=\"goods\">{}</p>", escape(goods))),
        }
    }
    out
}

/// What happens after the shopper decides: where the browser goes, and that a notification follows.
fn afterwards(payment: &Payment) -> String {
    let mut out = String::new();
    let mut paid = payment.clone();
    paid.status = TransactionStatus::Success;
    if let Some(url) = paid.callback() {
        out.push_str(&format!(
            "<p>After paying you return to <code id=\"callback\">{}</code>.</p>",
            escape(&url)
        ));
    }
    if let Some(url) = &payment.ipn_url {
        out.push_str(&format!(
            "<p>The merchant is notified at <code id=\"ipn\">{}</code>.</p>",
            escape(url)
        ));
    }
    out
}

/// The shopper paid or cancelled: finish the payment, notify, and send the browser back.
fn pay_or_cancel(
    sim: &Arc<Simulator>,
    number: &str,
    status: TransactionStatus,
) -> Response<MockBody> {
    match sim.ledger().finish(Actor::Simulator, number, status) {
        Ok(payment) => match payment.callback() {
            Some(url) => redirect(&url),
            None => html(StatusCode::OK, render(&payment)),
        },
        Err(Refusal::NotOpen(status)) => html(
            StatusCode::CONFLICT,
            format!(
                "<html><body><p id=\"status\">This payment is already {}.</p></body></html>",
                escape(status.as_str())
            ),
        ),
        Err(_) => not_found(),
    }
}

/// The shopper approves the agreement and returns to the merchant; a revoked or unknown one is
/// not found.
fn authorize(sim: &Arc<Simulator>, number: &str) -> Response<MockBody> {
    match sim.ledger().authorize(number) {
        Ok(agreement) => redirect(&agreement.redirect_url),
        Err(_) => not_found(),
    }
}
