//! Reconciliation (issue 27, item 4): the comparison in both directions around the gateway's
//! midnight, and the walk over the lists (ranges the gateway serves, cut answers asked again).

use pockyt::reconcile::{Difference, LedgerRecord, ReconcileError, Window, compare};
use pockyt::types::{Amount, Currency, GatewayDate, GatewayTime, Transaction, TransactionStatus};
use pockyt_transport::MockTransport;

use crate::support::{client_with, config};

fn day(text: &str) -> GatewayDate {
    GatewayDate::parse(text).unwrap()
}

fn usd(text: &str) -> Amount {
    Amount::parse(text).unwrap()
}

/// A gateway payment, as trans-list lists it.
fn listed(reference: &str, number: &str, amount: &str, created: &str, paid: &str) -> Transaction {
    let mut json = serde_json::json!({
        "reference": reference, "transactionNo": number, "amount": amount, "currency": "USD",
        "transactionStatus": "success", "transactionType": "payment", "refundAmount": "0.00",
        "createTime": created,
    });
    if !paid.is_empty() {
        json["paymentTime"] = paid.into();
    }
    serde_json::from_value(json).unwrap()
}

/// A paid payment of 30.00 (`transactionNo` 10) that carries no refund total of its own.
fn paid_without_total() -> Transaction {
    let mut payment = listed(
        "paid",
        "10",
        "30.00",
        "2026-12-07 09:00:00",
        "2026-12-07 09:00:01",
    );
    payment.refund_amount = None;
    payment
}

/// A `kind` record (`refund`, `void`) of `amount` naming transaction 10.
fn naming_10(number: &str, kind: &str, status: &str, amount: &str) -> Transaction {
    serde_json::from_value(serde_json::json!({
        "transactionNo": number, "originalTransactionNo": "10", "amount": amount,
        "currency": "USD", "transactionType": kind, "transactionStatus": status,
        "createTime": "2026-12-07 12:00:00",
    }))
    .unwrap()
}

/// A row of the books, filed at `at` on the gateway's clock.
fn row(reference: &str, amount: &str, at: &str) -> LedgerRecord {
    LedgerRecord::new(
        reference,
        usd(amount),
        Currency::Usd,
        GatewayTime::new(at).to_utc().unwrap(),
    )
}

fn kinds(found: &[Difference]) -> Vec<String> {
    found.iter().map(ToString::to_string).collect()
}

#[test]
fn a_payment_paid_after_the_gateways_midnight_is_matched_on_either_side_of_it() {
    // Listed under the 6th (created then), paid on the 7th, booked on the 7th.
    let gateway = [listed(
        "late",
        "1",
        "10.00",
        "2026-12-06 23:59:50",
        "2026-12-07 00:00:10",
    )];
    let books = [row("late", "10.00", "2026-12-07 00:00:10")];
    for window in [
        Window::day(day("20261207")),
        Window::day(day("20261206")),
        Window::days(day("20261206"), day("20261207")).unwrap(),
    ] {
        assert_eq!(
            kinds(&compare(&window, &gateway, &books)),
            Vec::<String>::new()
        );
    }
    // Without its books row, it is missing on the day it was paid, not the day it was listed.
    assert_eq!(
        compare(&Window::day(day("20261206")), &gateway, &[]),
        vec![]
    );
    let missing = compare(&Window::day(day("20261207")), &gateway, &[]);
    assert!(
        matches!(&missing[..], [Difference::MissingInLedger(t)] if t.reference.as_deref() == Some("late"))
    );
    // And a books row of the 7th the gateway does not have is missing at the gateway on the 7th.
    let ghost = compare(&Window::day(day("20261207")), &[], &books);
    assert!(matches!(&ghost[..], [Difference::MissingAtGateway(r)] if r.reference == "late"));
    assert_eq!(compare(&Window::day(day("20261206")), &[], &books), vec![]);
}

#[test]
fn both_directions_and_every_field_are_compared() {
    let mut refunded = listed(
        "refunded",
        "2",
        "25.00",
        "2026-12-07 09:00:00",
        "2026-12-07 09:00:30",
    );
    refunded.refund_amount = Some(usd("5.00"));
    let mut closed = listed("closed", "3", "8.00", "2026-12-07 10:00:00", "");
    closed.transaction_status = Some(TransactionStatus::Closed);
    let gateway = [
        listed(
            "only-gateway",
            "1",
            "10.00",
            "2026-12-07 08:00:00",
            "2026-12-07 08:00:05",
        ),
        refunded,
        closed,
        listed(
            "other-amount",
            "4",
            "12.00",
            "2026-12-07 11:00:00",
            "2026-12-07 11:00:01",
        ),
        // Only in the margin (the 8th): neither reported nor needed.
        listed(
            "tomorrow",
            "5",
            "1.00",
            "2026-12-08 01:00:00",
            "2026-12-08 01:00:01",
        ),
    ];
    let books = [
        row("refunded", "25.00", "2026-12-07 09:00:30").refunded(usd("3.00")),
        row("closed", "8.00", "2026-12-07 10:00:00").status(TransactionStatus::Success),
        row("other-amount", "12.50", "2026-12-07 11:00:01"),
        row("only-books", "4.00", "2026-12-07 23:59:59"),
        // Outside the window: not reported, though the gateway does not have it.
        row("last-week", "4.00", "2026-11-30 12:00:00"),
    ];
    let found = compare(&Window::day(day("20261207")), &gateway, &books);
    let lines = kinds(&found);
    assert_eq!(lines.len(), 5, "{lines:#?}");
    assert!(lines[0].starts_with("missing in the ledger: only-gateway (transaction 1, 10.00 USD, success, at 2026-12-07 08:00:05 UTC+8)"), "{}", lines[0]);
    assert_eq!(
        lines[1],
        "refund total differs: refunded: ledger 3.00, gateway 5.00"
    );
    assert_eq!(
        lines[2],
        "status differs: closed: ledger success, gateway closed"
    );
    assert_eq!(
        lines[3],
        "amount differs: other-amount: ledger 12.50, gateway 12.00"
    );
    assert_eq!(
        lines[4],
        "missing at the gateway: only-books (4.00 USD, at 2026-12-07T15:59:59Z)"
    );
}

#[test]
fn refund_records_add_to_their_payment_and_are_not_payments() {
    let refund = |number: &str, amount: &str| naming_10(number, "refund", "success", amount);
    let gateway = [
        paid_without_total(),
        refund("11", "4.00"),
        refund("12", "6.00"),
    ];
    let window = Window::day(day("20261207"));
    let agreeing = [row("paid", "30.00", "2026-12-07 09:00:01").refunded(usd("10.00"))];
    assert_eq!(compare(&window, &gateway, &agreeing), vec![]);
    let behind = [row("paid", "30.00", "2026-12-07 09:00:01").refunded(usd("4.00"))];
    assert_eq!(
        kinds(&compare(&window, &gateway, &behind)),
        ["refund total differs: paid: ledger 4.00, gateway 10.00"]
    );
}

#[test]
fn what_cannot_be_placed_is_reported_not_dropped() {
    let mut unreadable = listed("odd", "1", "1.00", "yesterday", "");
    unreadable.payment_time = None;
    let books = [
        row("twice", "1.00", "2026-12-07 01:00:00"),
        row("twice", "1.00", "2026-12-07 02:00:00"),
    ];
    let mut timeless = listed("timeless", "3", "1.00", "", "");
    timeless.create_time = None;
    timeless.payment_time = None;
    let gateway = [
        unreadable,
        listed(
            "twice",
            "2",
            "1.00",
            "2026-12-07 01:00:00",
            "2026-12-07 01:00:00",
        ),
        timeless,
    ];
    let lines = kinds(&compare(&Window::day(day("20261207")), &gateway, &books));
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert_eq!(lines[0], "duplicate in the ledger: twice (2 rows)");
    assert!(lines[1].starts_with("time unreadable: odd"), "{}", lines[1]);
    assert!(
        lines[1].contains("`yesterday` is not a time"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].ends_with("it carries neither paymentTime nor createTime"),
        "{}",
        lines[2]
    );
}

#[test]
fn an_abandoned_checkout_is_no_difference_but_an_unreadable_paid_time_falls_back() {
    let mut abandoned = listed("cart-9", "1", "9.00", "2026-12-07 10:00:00", "");
    abandoned.transaction_status = Some(TransactionStatus::Closed);
    let mut odd_paid = listed("odd-paid", "2", "5.00", "2026-12-07 10:00:00", "");
    odd_paid.payment_time = Some(GatewayTime::new(""));
    let window = Window::day(day("20261207"));
    // Closed unpaid: nothing moved. A paid time that cannot be read: judged by its creation.
    let lines = kinds(&compare(
        &window,
        &[abandoned.clone(), odd_paid.clone()],
        &[],
    ));
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].starts_with("missing in the ledger: odd-paid"),
        "{}",
        lines[0]
    );
    // Books that hold the abandoned checkout as paid are told so by the status.
    let booked = [row("cart-9", "9.00", "2026-12-07 10:00:00").status(TransactionStatus::Success)];
    assert_eq!(
        kinds(&compare(&window, &[abandoned], &booked)),
        ["status differs: cart-9: ledger success, gateway closed"]
    );
    // A time that cannot be read at all, matched by a row of the window: compared, not doubted.
    let mut unreadable = listed("matched", "3", "1.00", "soon", "");
    unreadable.payment_time = None;
    let books = [row("matched", "1.00", "2026-12-07 11:00:00")];
    assert_eq!(compare(&window, &[unreadable], &books), vec![]);
}

#[test]
fn only_successful_refunds_count_and_voids_are_not_refunds() {
    let record = |number: &str, kind: &str, status: &str| naming_10(number, kind, status, "4.00");
    let gateway = [
        paid_without_total(),
        record("11", "refund", "success"),
        record("12", "refund", "failed"),
        record("13", "void", "success"),
    ];
    let books = [row("paid", "30.00", "2026-12-07 09:00:01").refunded(usd("4.00"))];
    assert_eq!(
        compare(&Window::day(day("20261207")), &gateway, &books),
        vec![]
    );
}

#[test]
fn refunds_too_large_to_add_are_told_not_guessed() {
    let mut payment = listed(
        "huge",
        "10",
        "1.00",
        "2026-12-07 09:00:00",
        "2026-12-07 09:00:01",
    );
    payment.refund_amount = None;
    let refund = |number: &str| -> Transaction {
        serde_json::from_value(serde_json::json!({
            "transactionNo": number, "originalTransactionNo": "10",
            "amount": "900000000000000000", "transactionType": "refund",
            "createTime": "2026-12-07 12:00:00",
        }))
        .unwrap()
    };
    let gateway = [payment, refund("11"), refund("12")];
    let books = [row("huge", "1.00", "2026-12-07 09:00:01")];
    assert_eq!(
        kinds(&compare(&Window::day(day("20261207")), &gateway, &books)),
        ["refund total differs: huge: ledger 0, gateway's refunds too large to add up"]
    );
}

#[test]
fn windows_refuse_running_backwards_and_split_into_served_ranges() {
    let err = Window::days(day("20261207"), day("20261206")).unwrap_err();
    assert!(matches!(err, ReconcileError::Backwards { .. }));
    assert_eq!(
        err.to_string(),
        "the window ends on 20261206, before it starts on 20261207"
    );
    let window = Window::days(day("20261201"), day("20261231")).unwrap();
    assert_eq!(window.asked(), (day("20261130"), day("20270101")));
    assert_eq!(
        window.margin_days(0).asked(),
        (day("20261201"), day("20261231"))
    );
}

fn answer(transactions: &[Transaction], size: usize) -> String {
    serde_json::json!({
        "ret_code": "000100", "ret_msg": "query success",
        "transactions": transactions, "size": size.to_string(),
    })
    .to_string()
}

fn settle_answer() -> String {
    r#"{"ret_code":"000100","ret_msg":"query success","settlements":[],"size":"0"}"#.to_owned()
}

/// The `startDate`/`endDate` of each request, in order.
fn ranges(mock: &MockTransport) -> Vec<(String, String)> {
    mock.requests()
        .iter()
        .map(|r| {
            let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            (
                body["startDate"].as_str().unwrap_or_default().to_owned(),
                body["endDate"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn long_ranges_go_fifteen_days_at_a_time_and_cut_answers_are_asked_again_in_halves() {
    let mock = MockTransport::new();
    // 20261130..20261214 (15 days, margin first): the answer says 3 but carries 1, so it is cut.
    let one = listed(
        "a",
        "1",
        "1.00",
        "2026-12-01 10:00:00",
        "2026-12-01 10:00:00",
    );
    let two = listed(
        "b",
        "2",
        "2.00",
        "2026-12-10 10:00:00",
        "2026-12-10 10:00:00",
    );
    mock.push_json(200, answer(std::slice::from_ref(&one), 3));
    // Its halves: 20261130..20261207 and 20261208..20261214, whole.
    mock.push_json(200, answer(std::slice::from_ref(&one), 1));
    mock.push_json(200, answer(std::slice::from_ref(&two), 1));
    // 20261215..20261229, then 20261230..20270101.
    mock.push_json(200, answer(&[], 0));
    mock.push_json(200, answer(&[], 0));
    // settle-list over the window, 15 + 15 + 1 days.
    for _ in 0..3 {
        mock.push_json(200, settle_answer());
    }
    let client = client_with(&mock, config());
    let window = Window::days(day("20261201"), day("20261231")).unwrap();
    let books = [row("a", "1.00", "2026-12-01 10:00:00")];
    let mut told = Vec::new();
    let report = client
        .reconcile(&window, books, |p| {
            told.push((p.list, p.days_done, p.days_total, p.records))
        })
        .await
        .unwrap();
    let asked = ranges(&mock);
    let expected = [
        ("20261130", "20261214"),
        ("20261130", "20261207"),
        ("20261208", "20261214"),
        ("20261215", "20261229"),
        ("20261230", "20270101"),
        ("20261201", "20261215"),
        ("20261216", "20261230"),
        ("20261231", "20261231"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    assert_eq!(asked, expected);
    assert_eq!(report.calls, 8);
    assert_eq!(report.transactions, 2);
    assert_eq!(
        kinds(&report.differences),
        [
            "missing in the ledger: b (transaction 2, 2.00 USD, success, at 2026-12-10 10:00:00 UTC+8)"
        ]
    );
    assert!(!report.is_clean());
    // Told after each whole range, never for the cut one.
    assert_eq!(told.first(), Some(&("trans-list", 8, 33, 1)));
    assert_eq!(told.get(3), Some(&("trans-list", 33, 33, 2)));
    assert_eq!(told.last(), Some(&("settle-list", 31, 31, 0)));
}

#[tokio::test]
async fn a_single_day_that_comes_back_cut_is_an_error_that_names_it() {
    let mock = MockTransport::new();
    mock.push_json(200, answer(&[], 1));
    let client = client_with(&mock, config());
    let window = Window::day(day("20261207")).margin_days(0);
    let err = client.transactions_in(&window, |_| {}).await.unwrap_err();
    assert!(
        matches!(
            err,
            ReconcileError::Truncated {
                size: 1,
                carried: 0,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string()
            .starts_with("trans-list for 20261207 says it holds 1 records but carried 0"),
        "{err}"
    );
}

#[tokio::test]
async fn a_failed_list_call_names_its_range_and_keeps_the_cause() {
    let mock = MockTransport::new();
    mock.push_json(200, r#"{"ret_code":"000020","ret_msg":"bad"}"#);
    let client = client_with(&mock, config());
    let window = Window::day(day("20261207"));
    let err = client.settlements_in(&window, |_| {}).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "settle-list from 20261207 to 20261207 failed"
    );
    let cause = std::error::Error::source(&err).map(ToString::to_string);
    assert!(cause.is_some_and(|c| c.contains("000020")), "{err:?}");
}
