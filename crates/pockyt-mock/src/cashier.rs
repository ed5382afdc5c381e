//! The hosted cashier page and the wallet's auto-debit authorization page.

use std::sync::Arc;

use http::{Method, Response, StatusCode};
use pockyt_types::TransactionStatus;

use crate::respond::{MockBody, escape, html, redirect};
use crate::sim::{FinishError, Simulator};
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

/// Shows the payment; opening the page moves it from `init` to `pending`, as a wallet page would.
fn show_payment(sim: &Arc<Simulator>, number: &str) -> Response<MockBody> {
    let payment = {
        let mut store = sim.store.lock();
        let Some(payment) = store.payment_mut(number) else {
            return not_found();
        };
        if payment.status == TransactionStatus::Init {
            payment.status = TransactionStatus::Pending;
        }
        payment.clone()
    };
    html(StatusCode::OK, render(&payment))
}

fn render(payment: &Payment) -> String {
    let actions = if payment.status == TransactionStatus::Pending {
        format!(
            "<form method=\"post\" action=\"/cashier/{n}/pay\"><button id=\"pay\">Pay</button></form>\
             <form method=\"post\" action=\"/cashier/{n}/cancel\"><button id=\"cancel\">Cancel</button></form>",
            n = escape(&payment.transaction_no)
        )
    } else {
        format!(
            "<p id=\"status\">This payment is {}.</p>",
            escape(payment.status.as_str())
        )
    };
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Pockyt simulator cashier</title></head><body>\
         <h1>Pockyt simulator cashier</h1>\
         <p>Merchant <b id=\"merchant\">{merchant}</b> asks you to pay <b id=\"amount\">{amount} {currency}</b> \
         with <b id=\"vendor\">{vendor}</b>.</p>\
         <p>Reference {reference}, transaction {number}.</p>{actions}</body></html>",
        merchant = escape(&payment.merchant_no),
        amount = escape(payment.amount.as_str()),
        currency = escape(payment.currency.as_str()),
        vendor = escape(payment.vendor.as_str()),
        reference = escape(payment.reference.as_deref().unwrap_or("(none)")),
        number = escape(&payment.transaction_no),
    )
}

/// The shopper paid or cancelled: finish the payment, notify, and send the browser back.
fn pay_or_cancel(
    sim: &Arc<Simulator>,
    number: &str,
    status: TransactionStatus,
) -> Response<MockBody> {
    match sim.finish(number, None, status) {
        Ok(payment) => match &payment.callback_url {
            Some(url) => redirect(&fill_macros(url, &payment)),
            None => html(StatusCode::OK, render(&payment)),
        },
        Err(FinishError::NotFound) => not_found(),
        Err(FinishError::NotOpen(status)) => html(
            StatusCode::CONFLICT,
            format!(
                "<html><body><p id=\"status\">This payment is already {}.</p></body></html>",
                escape(status.as_str())
            ),
        ),
    }
}

/// Replaces `{status}`, `{amount}`, `{reference}`, `{note}`, `{transactionNo}` and `{yuansferId}`.
pub(crate) fn fill_macros(url: &str, payment: &Payment) -> String {
    let status = payment.status.to_string();
    let amount = payment.amount.to_string();
    let note = payment.note.clone().unwrap_or_default();
    let values = [
        ("{status}", status.as_str()),
        ("{amount}", amount.as_str()),
        (
            "{reference}",
            payment.reference.as_deref().unwrap_or_default(),
        ),
        ("{note}", note.as_str()),
        ("{transactionNo}", payment.transaction_no.as_str()),
        ("{yuansferId}", payment.transaction_no.as_str()),
    ];
    values.iter().fold(url.to_owned(), |acc, (name, value)| {
        acc.replace(name, &pockyt_sign::form::escape(value))
    })
}

fn authorize(sim: &Arc<Simulator>, number: &str) -> Response<MockBody> {
    let mut store = sim.store.lock();
    match store.agreements.get_mut(number) {
        Some(agreement) if !agreement.revoked => {
            let first = !agreement.authorized;
            agreement.authorized = true;
            let agreement = agreement.clone();
            drop(store);
            if first {
                sim.notify_authorized(&agreement);
            }
            redirect(&agreement.redirect_url)
        }
        _ => not_found(),
    }
}
