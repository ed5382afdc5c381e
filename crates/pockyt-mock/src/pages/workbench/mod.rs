//! The simulator as a workbench you can look at: a dashboard at `/` (payments, newest first, with
//! refunds and what is left to refund), one page per payment with every IPN attempt, the
//! customers and payouts, and the same data as JSON under `/_mock/` for tests and scripts. With
//! actions on (`MockGatewayBuilder::workbench_actions`, on in `pockyt mock`), a payment's page can
//! pay, fail or expire it, refund part of it, and send its IPN again: each through the ledger's
//! own operation, so by the same rules as the API.
//!
//! This module routes and acts; `paging` reads `?page=N`, `html` renders the pages and `json` the
//! documents, each given data already copied out of the ledger.

mod html;
mod json;
mod paging;

use std::sync::Arc;

use http::{Response, StatusCode};
use pockyt_types::{Amount, TransactionStatus};
use serde_json::{Value, json};

use crate::ledger::{Actor, RefundOrder, Refusal};
use crate::respond::{MockBody, html, json, redirect};
use crate::sim::Simulator;
pub(crate) use html::refused;
pub(crate) use paging::PAGE_SIZE;
use paging::Page;

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
    let page = match Page::of(query, sim.page_size()) {
        Ok(page) => page,
        Err(why) if listed => return Some(refused(StatusCode::BAD_REQUEST, &why)),
        // Not a list: the query means nothing to it.
        Err(_) => Page {
            number: 1,
            size: sim.page_size(),
        },
    };
    let ledger = sim.ledger();
    Some(match parts.as_slice() {
        [""] => {
            let (payments, total) = ledger.payments_page(page.skip(), page.size);
            let body = html::dashboard(ledger.merchants(), &payments, page, total);
            html(StatusCode::OK, body)
        }
        ["customers"] => {
            let listing = ledger.customers_page(page.skip(), page.size);
            html(StatusCode::OK, html::customers_page(&listing, page))
        }
        ["payouts"] => {
            let (payouts, total) = ledger.payouts_page(page.skip(), page.size);
            html(StatusCode::OK, html::payouts_page(&payouts, page, total))
        }
        ["payments", number] => match ledger.payment(number) {
            Some(payment) => {
                let attempts = sim.deliveries().attempts_about(number);
                let body = html::payment_page(&payment, &attempts, sim.actions());
                html(StatusCode::OK, body)
            }
            None => html(
                StatusCode::NOT_FOUND,
                html::layout("Not found", "<p>No such payment.</p>", false),
            ),
        },
        ["_mock", "payments"] => {
            let (payments, total) = ledger.payments_page(page.skip(), page.size);
            let list: Vec<Value> = payments.iter().map(json::payment_json).collect();
            json::json_page(path, page, total, list)
        }
        ["_mock", "payments", number] => match ledger.payment(number) {
            Some(payment) => {
                let mut doc = json::payment_json(&payment);
                doc["ipnAttempts"] = json::attempts_json(&sim.deliveries().attempts_about(number));
                json(StatusCode::OK, &doc)
            }
            None => json(
                StatusCode::NOT_FOUND,
                &json!({ "error": "no such payment" }),
            ),
        },
        ["_mock", "ipn-attempts"] => {
            let (attempts, total) = sim.deliveries().attempts_page(page.skip(), page.size);
            let list = match json::attempts_json(&attempts) {
                Value::Array(list) => list,
                _ => Vec::new(),
            };
            json::json_page(path, page, total, list)
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
    if !sim.actions() {
        return Some(refused(
            StatusCode::FORBIDDEN,
            "this simulator's workbench is read-only (MockGatewayBuilder::workbench_actions)",
        ));
    }
    let ledger = sim.ledger();
    if ledger.payment(number).is_none() {
        return Some(refused(StatusCode::NOT_FOUND, "no such payment"));
    }
    let finish = |status| {
        ledger
            .finish(Actor::Simulator, number, status)
            .map(|_| ())
            .map_err(|refusal| refusal.to_string())
    };
    let done = match *action {
        "pay" => finish(TransactionStatus::Success),
        "fail" => finish(TransactionStatus::Failed),
        "expire" => finish(TransactionStatus::Closed),
        "resend-ipn" => ledger
            .notify_again(number)
            .map(|_| ())
            .map_err(|refusal| refusal.to_string()),
        "refund" => refund(sim, number, body),
        _ => return Some(refused(StatusCode::NOT_FOUND, "no such action")),
    };
    Some(match done {
        Ok(()) => redirect(&format!("/payments/{number}")),
        Err(why) => refused(StatusCode::CONFLICT, &why),
    })
}

/// A refund of the form's `amount`, by the ledger's rules (the API's).
fn refund(sim: &Simulator, number: &str, body: &[u8]) -> Result<(), String> {
    let fields = pockyt_sign::form::parse(body).map_err(|e| format!("not a form: {e}"))?;
    let amount = fields
        .iter()
        .find(|(name, _)| name == "amount")
        .map(|(_, value)| value.as_str())
        .ok_or("the form has no amount")?;
    let amount = Amount::parse(amount).map_err(|e| format!("refundAmount: {e}"))?;
    let order = RefundOrder {
        transaction_no: Some(number.to_owned()),
        reference: None,
        amount,
        currencies: None,
        refund_reference: None,
    };
    sim.ledger()
        .refund(Actor::Simulator, order)
        .map(|_| ())
        .map_err(|refusal: Refusal| refusal.to_string())
}
