//! The simulator as a workbench you can look at: a dashboard at `/` (payments, newest first, with
//! refunds and what is left to refund), one page per payment with every IPN attempt, and the same
//! data as JSON under `/_mock/` for tests and scripts. Every value shown came from a request and
//! is escaped. With actions on (`MockGatewayBuilder::workbench_actions`, on in `pockyt mock`), a
//! payment's page can pay, fail or expire it, refund part of it by the API's own rules, and send
//! its IPN again.
//!
//! Every list is paged (`?page=N`, [`PAGE_SIZE`] rows a page by default): a simulator may hold
//! hundreds of thousands of payments, and a list of them all, copied under the store's lock, made
//! every other request wait. Only a page's records are copied under the lock; they are rendered
//! after it is released.

use std::sync::Arc;

use http::{Response, StatusCode, header};
use serde_json::{Value, json};

use crate::ipn::IpnAttempt;
use crate::respond::{MockBody, escape, html, json, redirect};
use crate::sim::Simulator;
use crate::state::Payment;

/// Rows a list page shows by default (`MockGatewayBuilder::page_size` changes it).
pub(crate) const PAGE_SIZE: usize = 100;

/// Which page of a list a request asks for.
#[derive(Debug, Clone, Copy)]
struct Page {
    /// 1 for the first.
    number: usize,
    size: usize,
}

impl Page {
    /// `?page=N` (1 if absent); `Err` for anything but a positive number.
    fn of(sim: &Simulator, query: Option<&str>) -> Result<Self, String> {
        let pairs = pockyt_sign::form::parse(query.unwrap_or_default().as_bytes())
            .map_err(|e| format!("the query is not a form: {e}"))?;
        let number = match pairs.iter().find(|(name, _)| name == "page") {
            None => 1,
            Some((_, value)) => value
                .parse::<usize>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| format!("page must be a number from 1 up, not `{value}`"))?,
        };
        Ok(Self {
            number,
            size: sim.page_size,
        })
    }

    /// How many rows the pages before this one hold (saturating: a huge page is just empty).
    fn skip(self) -> usize {
        (self.number - 1).saturating_mul(self.size)
    }

    /// Whether rows remain after this page, of `total`.
    fn has_next(self, total: usize) -> bool {
        self.skip().saturating_add(self.size) < total
    }

    /// This page's rows of `rows` (an iterator in list order): skipped and taken, never collected
    /// whole.
    fn rows<T>(self, rows: impl Iterator<Item = T>) -> Vec<T> {
        rows.skip(self.skip()).take(self.size).collect()
    }

    /// Links to the previous and the next page of `path`, as HTML.
    fn links(self, path: &str, total: usize) -> String {
        let pages = total.div_ceil(self.size).max(1);
        let mut out = format!(
            "<p class=\"pages\">Page {} of {pages} ({total} in all, {} a page)",
            self.number, self.size
        );
        if self.number > 1 {
            out.push_str(&format!(
                " · <a id=\"previous\" href=\"{path}?page={}\">previous</a>",
                self.number - 1
            ));
        }
        if self.has_next(total) {
            out.push_str(&format!(
                " · <a id=\"next\" href=\"{path}?page={}\">next</a>",
                self.number + 1
            ));
        }
        out.push_str("</p>");
        out
    }
}

/// A JSON list page: the array, with `X-Total-Count` and a `Link` header (RFC 8288) to the
/// previous and next pages.
fn json_page(path: &str, page: Page, total: usize, list: Vec<Value>) -> Response<MockBody> {
    let mut response = json(StatusCode::OK, &Value::Array(list));
    let mut links = Vec::new();
    if page.number > 1 {
        links.push(format!("<{path}?page={}>; rel=\"prev\"", page.number - 1));
    }
    if page.has_next(total) {
        links.push(format!("<{path}?page={}>; rel=\"next\"", page.number + 1));
    }
    let headers = response.headers_mut();
    headers.insert("x-total-count", header::HeaderValue::from(total));
    if let Ok(value) = header::HeaderValue::from_str(&links.join(", "))
        && !links.is_empty()
    {
        headers.insert(header::LINK, value);
    }
    response
}

/// The page or document at `path`, if it is one of the workbench's.
pub(crate) fn route(
    sim: &Arc<Simulator>,
    path: &str,
    query: Option<&str>,
) -> Option<Response<MockBody>> {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let listed = matches!(
        parts.as_slice(),
        [""] | ["customers"] | ["payouts"] | ["_mock", "payments"] | ["_mock", "ipn-attempts"]
    );
    let page = match Page::of(sim, query) {
        Ok(page) => page,
        Err(why) if listed => return Some(refused(StatusCode::BAD_REQUEST, &why)),
        // Not a list: the query means nothing to it.
        Err(_) => Page {
            number: 1,
            size: sim.page_size,
        },
    };
    Some(match parts.as_slice() {
        [""] => html(StatusCode::OK, dashboard(sim, page)),
        ["customers"] => html(StatusCode::OK, customers_page(sim, page)),
        ["payouts"] => html(StatusCode::OK, payouts_page(sim, page)),
        ["payments", number] => match payment(sim, number) {
            Some(payment) => html(StatusCode::OK, payment_page(sim, &payment)),
            None => html(
                StatusCode::NOT_FOUND,
                layout("Not found", "<p>No such payment.</p>", false),
            ),
        },
        ["_mock", "payments"] => {
            let (payments, total) = newest_first(sim, page);
            let list: Vec<Value> = payments.iter().map(payment_json).collect();
            json_page(path, page, total, list)
        }
        ["_mock", "payments", number] => match payment(sim, number) {
            Some(payment) => {
                let mut doc = payment_json(&payment);
                doc["ipnAttempts"] = attempts_json(&attempts_for(sim, number));
                json(StatusCode::OK, &doc)
            }
            None => json(
                StatusCode::NOT_FOUND,
                &json!({ "error": "no such payment" }),
            ),
        },
        ["_mock", "ipn-attempts"] => {
            let (attempts, total) = sim.deliveries.attempts_page(page.skip(), page.size);
            let list = match attempts_json(&attempts) {
                Value::Array(list) => list,
                _ => Vec::new(),
            };
            json_page(path, page, total, list)
        }
        _ => return None,
    })
}

/// `POST /payments/{no}/{pay|fail|expire|refund|resend-ipn}` from a payment's page; `None` for any
/// other path.
pub(crate) fn act(sim: &Arc<Simulator>, path: &str, body: &[u8]) -> Option<Response<MockBody>> {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let ["payments", number, action] = parts.as_slice() else {
        return None;
    };
    if !sim.actions {
        return Some(refused(
            StatusCode::FORBIDDEN,
            "this simulator's workbench is read-only (MockGatewayBuilder::workbench_actions)",
        ));
    }
    let Some(payment) = payment(sim, number) else {
        return Some(refused(StatusCode::NOT_FOUND, "no such payment"));
    };
    let done = match *action {
        "pay" => finish(sim, number, pockyt_types::TransactionStatus::Success),
        "fail" => finish(sim, number, pockyt_types::TransactionStatus::Failed),
        "expire" => finish(sim, number, pockyt_types::TransactionStatus::Closed),
        // The gateway notifies only of a decided payment; "again" of an open one would be a
        // notification no real merchant ever receives.
        "resend-ipn" if payment.is_open() => Err(format!(
            "the payment is still {}: its IPN comes once it is decided",
            payment.status
        )),
        "resend-ipn" if payment.ipn_url.is_some() => {
            sim.notify(&payment);
            Ok(())
        }
        "resend-ipn" => Err("the payment has no ipnUrl".to_owned()),
        "refund" => refund(sim, &payment, body),
        _ => return Some(refused(StatusCode::NOT_FOUND, "no such action")),
    };
    Some(match done {
        Ok(()) => redirect(&format!("/payments/{number}")),
        Err(why) => refused(StatusCode::CONFLICT, &why),
    })
}

/// The page of an action not taken, with the reason in `#error`.
pub(crate) fn refused(status: StatusCode, why: &str) -> Response<MockBody> {
    html(
        status,
        layout(
            "Not done",
            &format!("<p id=\"error\">{}</p>", escape(why)),
            false,
        ),
    )
}

fn finish(
    sim: &Arc<Simulator>,
    number: &str,
    status: pockyt_types::TransactionStatus,
) -> Result<(), String> {
    match sim.finish(number, None, status) {
        Ok(_) => Ok(()),
        Err(crate::sim::FinishError::NotFound) => Err("no such payment".into()),
        Err(crate::sim::FinishError::NotOpen(status)) => {
            Err(format!("the payment is already {status}"))
        }
    }
}

/// A refund of the form's `amount`, by the refund endpoint's own rules.
fn refund(sim: &Arc<Simulator>, payment: &Payment, body: &[u8]) -> Result<(), String> {
    let fields = pockyt_sign::form::parse(body).map_err(|e| format!("not a form: {e}"))?;
    let amount = fields
        .iter()
        .find(|(name, _)| name == "amount")
        .map(|(_, value)| value.as_str())
        .ok_or("the form has no amount")?;
    let amount = pockyt_types::Amount::parse(amount).map_err(|e| e.to_string())?;
    let merchant = sim
        .merchant(&payment.merchant_no, &payment.store_no)
        .ok_or("the payment's merchant is not configured")?;
    crate::routes::refund_for_workbench(sim, merchant, &payment.transaction_no, amount)
        .map_err(|e| format!("{} {}", e.code.as_str(), e.message))
}

fn payment(sim: &Simulator, number: &str) -> Option<Payment> {
    sim.store.lock().payment_mut(number).map(|p| p.clone())
}

/// A page of the payments, the newest (the highest number) first, and how many there are in all.
/// Only the page is copied under the lock.
fn newest_first(sim: &Simulator, page: Page) -> (Vec<Payment>, usize) {
    let store = sim.store.lock();
    (
        page.rows(store.payments.values().rev().cloned()),
        store.payments.len(),
    )
}

/// Whether another attempt is on its way: the newest one failed and the schedule has one left.
/// (Not "none acknowledged": a re-sent IPN retries after an earlier one was, and a spent schedule
/// has nothing more to wait for.)
fn retry_pending(attempts: &[IpnAttempt]) -> bool {
    attempts
        .last()
        .is_some_and(|a| !a.acknowledged && a.next_retry_in.is_some())
}

fn attempts_for(sim: &Simulator, number: &str) -> Vec<IpnAttempt> {
    sim.deliveries.attempts_about(number)
}

fn payment_json(payment: &Payment) -> Value {
    let refunds: Vec<Value> = payment
        .refunds
        .iter()
        .map(|r| {
            json!({
                "refundTransactionNo": r.refund_transaction_no,
                "refundReference": r.refund_reference,
                "amount": r.amount.as_str(),
            })
        })
        .collect();
    json!({
        "transactionNo": payment.transaction_no,
        "reference": payment.reference,
        "merchantNo": payment.merchant_no,
        "storeNo": payment.store_no,
        "status": payment.status.as_str(),
        "amount": payment.amount.as_str(),
        "currency": payment.currency.as_str(),
        "settleCurrency": payment.settle_currency.as_str(),
        "vendor": payment.vendor.as_str(),
        "createdBy": payment.created_by,
        "created": payment.created,
        "ipnUrl": payment.ipn_url,
        "callbackUrl": payment.callback_url,
        "refunds": refunds,
        "refunded": payment.refunded().map(|a| a.to_string()),
        "refundable": payment.refundable().map(|a| a.to_string()),
    })
}

fn attempts_json(attempts: &[IpnAttempt]) -> Value {
    Value::Array(
        attempts
            .iter()
            .map(|a| {
                json!({
                    "transactionNo": a.transaction_no,
                    "status": a.status.as_str(),
                    "url": a.url,
                    "attempt": a.attempt,
                    "httpStatus": a.http_status,
                    "acknowledged": a.acknowledged,
                    "error": a.error,
                    "at": a.at,
                    "answer": a.answer,
                    "nextRetryInMs": a.next_retry_in.map(|d| d.as_millis() as u64),
                })
            })
            .collect(),
    )
}

/// A whole page with the small stylesheet; `refresh` reloads it every two seconds (while an IPN
/// is still being retried).
fn layout(title: &str, body: &str, refresh: bool) -> String {
    let refresh = if refresh {
        r#"<meta http-equiv="refresh" content="2">"#
    } else {
        ""
    };
    format!(
        r#"<!doctype html><html><head><meta charset="utf-8">{refresh}<title>{title} · Pockyt simulator</title>
<style>body{{font:15px system-ui,sans-serif;margin:2em;color:#222}}table{{border-collapse:collapse}}
td,th{{border-bottom:1px solid #ddd;padding:.35em .8em;text-align:left}}th{{background:#f4f4f4}}
.success{{color:#070}}.failed,.closed{{color:#a00}}.init,.pending{{color:#a60}}a{{color:#036}}</style>
</head><body><h1>{title}</h1>{body}</body></html>"#,
        title = escape(title),
    )
}

fn dashboard(sim: &Simulator, page: Page) -> String {
    let merchants: Vec<String> = sim
        .merchants
        .iter()
        .map(|m| format!("{} / {}", escape(&m.merchant_no), escape(&m.store_no)))
        .collect();
    let (payments, total) = newest_first(sim, page);
    let rows: String = payments
        .iter()
        .map(|p| {
            format!(
                r#"<tr><td><a href="/payments/{n}">{n}</a></td><td class="{s}">{s}</td><td>{amount} {currency}</td><td>{reference}</td><td>{vendor}</td><td>{refunds}</td><td>{left}</td></tr>"#,
                n = escape(&p.transaction_no),
                s = escape(p.status.as_str()),
                amount = escape(p.amount.as_str()),
                currency = escape(p.currency.as_str()),
                reference = escape(p.reference.as_deref().unwrap_or("")),
                vendor = escape(p.vendor.as_str()),
                refunds = p.refunds.len(),
                left = p.refundable().map(|a| escape(a.as_str())).unwrap_or_default(),
            )
        })
        .collect();
    let body = format!(
        "<p>Merchants (merchantNo / storeNo): {}.</p>\
         <h2>Payments, newest first</h2><table id=\"payments\"><tr><th>transactionNo</th><th>status</th>\
         <th>amount</th><th>reference</th><th>vendor</th><th>refunds</th><th>left to refund</th></tr>{rows}</table>\
         {pages}<p><a href=\"/customers\">Customers and payees</a> · <a href=\"/payouts\">Payouts</a></p>\
         <p>The same as JSON: <a href=\"/_mock/payments\">/_mock/payments</a>, \
         <a href=\"/_mock/ipn-attempts\">/_mock/ipn-attempts</a>.</p>",
        merchants.join(", "),
        pages = page.links("/", total),
    );
    layout("Pockyt simulator", &body, false)
}

fn payment_page(sim: &Simulator, payment: &Payment) -> String {
    let attempts = attempts_for(sim, &payment.transaction_no);
    let retrying = retry_pending(&attempts);
    let attempt_rows: String = attempts
        .iter()
        .map(|a| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                a.attempt,
                escape(&a.at),
                escape(a.status.as_str()),
                escape(&a.url),
                a.http_status
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| "-".into()),
                escape(a.answer.as_deref().unwrap_or("")),
                if a.acknowledged { "yes" } else { "no" },
                a.next_retry_in
                    .map(|d| format!("in {} ms", d.as_millis()))
                    .unwrap_or_default(),
                escape(a.error.as_deref().unwrap_or("")),
            )
        })
        .collect();
    let refunds: String = payment
        .refunds
        .iter()
        .map(|r| {
            format!(
                "<li>{} ({})</li>",
                escape(r.amount.as_str()),
                escape(&r.refund_transaction_no)
            )
        })
        .collect();
    let body = format!(
        "<p class=\"{s}\" id=\"status\">{s}</p><p>{amount} {currency} ({settle}), {vendor}, reference \
         <b id=\"reference\">{reference}</b>, created by <code>{created_by}</code> at {created}.</p>\
         {cashier}<p>Callback: {callback}</p><h2>Refunds</h2><ul>{refunds}</ul><p>Left to refund: {left}</p>\
         <h2>IPN attempts</h2><table id=\"attempts\"><tr><th>#</th><th>at</th><th>status</th>\
         <th>URL</th><th>HTTP</th><th>answer</th><th>acknowledged</th><th>next retry</th>\
         <th>error</th></tr>{attempt_rows}</table>\
         {actions}<p><a href=\"/\">All payments</a> · <a href=\"/_mock/payments/{n}\">as JSON</a></p>",
        actions = if sim.actions {
            actions(payment)
        } else {
            String::new()
        },
        // The shopper's page, open to anyone as the real cashier is: not a workbench action.
        cashier = if payment.is_open() {
            format!(
                "<p><a id=\"cashier\" href=\"/cashier/{}\">Open the cashier page</a> (what the shopper sees)</p>",
                escape(&payment.transaction_no)
            )
        } else {
            String::new()
        },
        s = escape(payment.status.as_str()),
        amount = escape(payment.amount.as_str()),
        currency = escape(payment.currency.as_str()),
        settle = escape(payment.settle_currency.as_str()),
        vendor = escape(payment.vendor.as_str()),
        reference = escape(payment.reference.as_deref().unwrap_or("(none)")),
        created_by = escape(payment.created_by),
        created = escape(&payment.created),
        callback = escape(
            &payment
                .callback_url
                .as_deref()
                .map(|url| crate::cashier::fill_macros(url, payment))
                .unwrap_or_else(|| "(none)".into())
        ),
        left = payment
            .refundable()
            .map(|a| escape(a.as_str()))
            .unwrap_or_default(),
        n = escape(&payment.transaction_no),
    );
    layout(
        &format!("Payment {}", payment.transaction_no),
        &body,
        retrying,
    )
}

/// The forms that act on a payment, for what its status allows.
fn actions(payment: &Payment) -> String {
    let n = escape(&payment.transaction_no);
    let button = |action: &str, label: &str| {
        format!(
            r#"<form method="post" action="/payments/{n}/{action}" style="display:inline"><button id="{action}">{label}</button></form> "#
        )
    };
    let mut out = String::from("<h2>Act</h2><p>");
    if payment.is_open() {
        out.push_str(&button("pay", "Pay"));
        out.push_str(&button("fail", "Fail"));
        out.push_str(&button("expire", "Expire"));
    }
    if payment.status == pockyt_types::TransactionStatus::Success {
        out.push_str(&format!(
            r#"<form method="post" action="/payments/{n}/refund" style="display:inline"><input name="amount" id="refund-amount" size="8" placeholder="amount"> <button id="refund">Refund</button></form> "#
        ));
    }
    if payment.ipn_url.is_some() && !payment.is_open() {
        out.push_str(&button("resend-ipn", "Send the IPN again"));
    }
    out.push_str("</p>");
    out
}

/// Customers (and v3 payees) with their profile fields, and the payees' funding accounts: a page
/// of each, in number order.
fn customers_page(sim: &Simulator, page: Page) -> String {
    let (customers, accounts, total) = {
        let records = sim.store.lock();
        (
            page.rows(
                records
                    .customers
                    .iter()
                    .map(|(number, c)| (number.clone(), c.clone())),
            ),
            page.rows(
                records
                    .payee_accounts
                    .iter()
                    .map(|(token, a)| (token.clone(), a.clone())),
            ),
            records.customers.len().max(records.payee_accounts.len()),
        )
    };
    let rows: String = customers
        .iter()
        .map(|(number, c)| {
            let field = |name: &str| escape(c.profile.get(name).map(String::as_str).unwrap_or(""));
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td><td>{}</td></tr>",
                escape(number),
                escape(&c.merchant_no),
                escape(&c.store_no),
                field("firstName"),
                field("lastName"),
                field("email"),
                field("customerCode"),
            )
        })
        .collect();
    let account_rows: String = accounts
        .iter()
        .map(|(token, a)| {
            let field = |name: &str| escape(a.fields.get(name).map(String::as_str).unwrap_or(""));
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(token),
                escape(&a.customer_no),
                field("accountType"),
                field("accountTag"),
            )
        })
        .collect();
    let body = format!(
        "<h2>Customers</h2><table id=\"customers\"><tr><th>customerNo</th><th>merchantNo</th>\
         <th>storeNo</th><th>name</th><th>email</th><th>customerCode</th></tr>{rows}</table>\
         <h2>Payee accounts</h2><table id=\"accounts\"><tr><th>accountToken</th><th>customerNo</th>\
         <th>type</th><th>tag</th></tr>{account_rows}</table>{pages}<p><a href=\"/\">All payments</a></p>",
        pages = page.links("/customers", total),
    );
    layout("Customers and payees", &body, false)
}

/// Payouts, newest first, with the account they went to: a page of them.
fn payouts_page(sim: &Simulator, page: Page) -> String {
    let (payouts, total) = {
        let records = sim.store.lock();
        // Sorted by reference (nothing copied); only the page's payouts are cloned.
        let mut all: Vec<_> = records.payouts.iter().collect();
        all.sort_by(|a, b| b.1.transaction_no.cmp(&a.1.transaction_no));
        let total = all.len();
        let rows = page.rows(all.into_iter().map(|(key, p)| (key.clone(), p.clone())));
        (rows, total)
    };
    let rows: String = payouts
        .iter()
        .map(|(key, p)| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td><td>{}</td></tr>",
                escape(&p.transaction_no),
                escape(&key.invoice_id),
                escape(&key.merchant_no),
                escape(&key.store_no),
                escape(p.amount.as_str()),
                escape(p.currency.as_str()),
                escape(&p.customer_no),
                escape(&p.account_token),
            )
        })
        .collect();
    let body = format!(
        "<table id=\"payouts\"><tr><th>transactionNo</th><th>invoiceId</th><th>merchantNo</th>\
         <th>storeNo</th><th>amount</th><th>customerNo</th><th>accountToken</th></tr>{rows}</table>\
         {pages}<p><a href=\"/\">All payments</a></p>",
        pages = page.links("/payouts", total),
    );
    layout("Payouts, newest first", &body, false)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn attempt(acknowledged: bool, next_retry_in: Option<Duration>) -> IpnAttempt {
        IpnAttempt {
            transaction_no: "300000000000000001".into(),
            status: pockyt_types::TransactionStatus::Success,
            url: "http://127.0.0.1:1/ipn".into(),
            attempt: 1,
            http_status: Some(if acknowledged { 200 } else { 503 }),
            acknowledged,
            error: None,
            body: String::new(),
            at: "2026-11-30T10:00:00Z".into(),
            answer: None,
            next_retry_in,
        }
    }

    #[test]
    fn the_page_waits_only_for_a_retry_that_is_scheduled() {
        let soon = Some(Duration::from_millis(500));
        assert!(!retry_pending(&[]));
        assert!(retry_pending(&[attempt(false, soon)]));
        assert!(!retry_pending(&[attempt(false, soon), attempt(true, None)]));
        // The schedule is spent: reloading would never show anything new.
        assert!(!retry_pending(&[attempt(false, None)]));
        // Sent again after an acknowledgement, and that one is being retried.
        assert!(retry_pending(&[attempt(true, None), attempt(false, soon)]));
    }
}
