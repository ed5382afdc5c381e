//! The workbench's HTML: the dashboard of payments, a payment's page with its IPN attempts and
//! the forms that act on it, the customers and payouts pages, and the page of an action not
//! taken. Every value shown came from a request and is escaped; each renderer is given its data,
//! copied out of the ledger before rendering.

use http::{Response, StatusCode};

use super::paging::Page;
use crate::config::Merchant;
use crate::ipn::IpnAttempt;
use crate::ledger::CustomersPage;
use crate::respond::{MockBody, escape, html};
use crate::state::{Payment, Payout, PayoutKey};

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

/// Whether another attempt is on its way: the newest one failed and the schedule has one left.
/// (Not "none acknowledged": a re-sent IPN retries after an earlier one was, and a spent schedule
/// has nothing more to wait for.)
pub(super) fn retry_pending(attempts: &[IpnAttempt]) -> bool {
    attempts
        .last()
        .is_some_and(|a| !a.acknowledged && a.next_retry_in.is_some())
}

/// A whole page with the small stylesheet; `refresh` reloads it every two seconds (while an IPN
/// is still being retried).
pub(super) fn layout(title: &str, body: &str, refresh: bool) -> String {
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

pub(super) fn dashboard(
    merchants: &[Merchant],
    payments: &[Payment],
    page: Page,
    total: usize,
) -> String {
    let merchants: Vec<String> = merchants
        .iter()
        .map(|m| format!("{} / {}", escape(&m.merchant_no), escape(&m.store_no)))
        .collect();
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

pub(super) fn payment_page(payment: &Payment, attempts: &[IpnAttempt], actions: bool) -> String {
    let retrying = retry_pending(attempts);
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
        actions = if actions {
            action_forms(payment)
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
        callback = escape(&payment.callback().unwrap_or_else(|| "(none)".into())),
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
fn action_forms(payment: &Payment) -> String {
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
pub(super) fn customers_page(listing: &CustomersPage, page: Page) -> String {
    let rows: String = listing
        .customers
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
    let account_rows: String = listing
        .accounts
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
        pages = page.links("/customers", listing.total),
    );
    layout("Customers and payees", &body, false)
}

/// Payouts, newest first, with the account they went to: a page of them.
pub(super) fn payouts_page(payouts: &[(PayoutKey, Payout)], page: Page, total: usize) -> String {
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
