//! The simulated clock, `trans-list`'s payment times, `settle-list` and `data-status` (issue 27,
//! item 4): a run that crosses the gateway's midnight (16:00 UTC) without waiting, reconciled
//! to the cent.
//!
//! The clock starts at 23:59:00 on the gateway's clock and runs at the real rate; each test makes
//! its first payment within that minute, then moves the clock on with `advance`.

use std::time::{Duration, SystemTime};

use pockyt::ipn::testing::IpnReceiver;
use pockyt::types::*;
use pockyt::{Client, Config, RetryPolicy, SigningKey};
use pockyt_mock::{Merchant, MockGateway, SimClock, Until};

use crate::support;

const PATIENCE: Duration = Duration::from_secs(30);
const MINUTE: Duration = Duration::from_secs(60);
const DAY: Duration = Duration::from_secs(86_400);

/// 2026-12-06T15:59:00Z: 2026-12-06 23:59:00 on the gateway's clock (UTC+8).
fn a_minute_before_the_gateways_midnight() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_572_740)
}

fn amount(text: &str) -> Amount {
    Amount::parse(text).unwrap()
}

/// A client of another store of the demo merchant, never retrying.
fn other_store(gateway: &MockGateway) -> Client {
    let config = Config::new("200043", "300015", "token-c")
        .unwrap()
        .with_base_url(gateway.base_url())
        .with_retry(RetryPolicy::never());
    Client::new(config).unwrap()
}

/// An open hosted payment of `total` in `currency` (settled in `settle`); its number.
async fn open(
    client: &Client,
    reference: &str,
    total: &str,
    (currency, settle): (Currency, SettleCurrency),
    ipn_url: Option<&str>,
) -> String {
    let mut request = SecurePayRequest::new(
        amount(total),
        currency,
        settle,
        Vendor::Alipay,
        reference,
        Terminal::Online,
    )
    .callback_url("https://merchant.example.com/back");
    if let Some(url) = ipn_url {
        request = request.ipn_url(url);
    }
    client
        .secure_pay(&request)
        .await
        .unwrap()
        .transaction_no
        .unwrap()
}

fn day(text: &str) -> GatewayDate {
    GatewayDate::parse(text).unwrap()
}

const USD: (Currency, SettleCurrency) = (Currency::Usd, SettleCurrency::Usd);

async fn settlements(client: &Client, start: &str, end: &str) -> Vec<Settlement> {
    let answer = client
        .settle_list(&SettleListRequest::new(day(start), day(end)))
        .await
        .unwrap();
    assert_eq!(
        answer.size,
        Some(i64::try_from(answer.settlements.len()).unwrap())
    );
    answer.settlements
}

async fn status_of(client: &Client, day: &str) -> String {
    let answer = client
        .data_status(&DataStatusRequest::new(self::day(day)))
        .await
        .unwrap();
    assert_eq!(answer.payment_date.as_deref(), Some(day));
    answer.status.unwrap()
}

/// An item's figures as the gateway's strings: date, currency, net, gross, fee, refunds, count,
/// payment date.
fn figures(item: &Settlement) -> [String; 8] {
    let amount = |a: &Option<Amount>| a.as_ref().unwrap().to_string();
    // Every field is typed: nothing the simulator sends lands in `extra`.
    assert!(item.extra.is_empty(), "{:?}", item.extra);
    [
        item.date.clone().unwrap(),
        item.currency.as_ref().unwrap().to_string(),
        amount(&item.amount),
        amount(&item.gross_amount),
        amount(&item.fee),
        amount(&item.refund_amount),
        item.transaction_count.unwrap().to_string(),
        item.payment_date.clone().unwrap(),
    ]
}

fn expected(fields: [&str; 8]) -> [String; 8] {
    fields.map(str::to_owned)
}

#[tokio::test]
async fn a_run_across_the_gateways_midnight_is_listed_settled_and_reconciled() {
    let clock = SimClock::frozen_at(a_minute_before_the_gateways_midnight());
    let gateway = MockGateway::builder()
        .merchant(Merchant::demo())
        .merchant(Merchant::new("200043", "300015", "token-c"))
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let client = support::client(&gateway);
    let other = other_store(&gateway);
    let receiver = IpnReceiver::start(SigningKey::from_token(Merchant::DEMO_TOKEN))
        .await
        .unwrap();

    // 2026-12-06 23:59 (gateway): one payment paid at once, one left open over midnight, and
    // another store's.
    let evening = open(&client, "evening-1", "25.00", USD, None).await;
    gateway.pay(&evening).unwrap();
    let night = open(&client, "night-1", "100.00", USD, Some(&receiver.url())).await;
    let theirs = open(&other, "their-1", "50.00", USD, None).await;
    gateway.pay(&theirs).unwrap();
    assert!(
        settlements(&client, "20261201", "20261231")
            .await
            .is_empty()
    );
    assert_eq!(status_of(&client, "20261206").await, "unsettled");

    // 2026-12-07 00:01: the shopper pays the open one.
    clock.advance(2 * MINUTE);
    gateway.pay(&night).unwrap();
    let listed = client
        .trans_list(&TransListRequest::new(day("20261206"), day("20261206")))
        .await
        .unwrap();
    assert_eq!(listed.size, Some(2), "{listed:?}");
    let night_row = listed
        .transactions
        .iter()
        .find(|t| t.transaction_no.as_deref() == Some(night.as_str()))
        .unwrap();
    assert_eq!(night_row.reference.as_deref(), Some("night-1"));
    assert_eq!(
        night_row.transaction_status,
        Some(TransactionStatus::Success)
    );
    assert_eq!(night_row.amount, Some(amount("100.00")));
    assert_eq!(night_row.currency, Some(Currency::Usd));
    assert_eq!(night_row.settle_currency, Some(SettleCurrency::Usd));
    assert_eq!(night_row.refund_amount.as_ref().unwrap().as_str(), "0.00");
    let created = night_row.create_time.as_ref().unwrap().as_str();
    let paid = night_row.payment_time.as_ref().unwrap().as_str();
    assert!(created.starts_with("2026-12-06 23:59:"), "{created}");
    assert!(paid.starts_with("2026-12-07 00:01:"), "{paid}");
    assert!(
        listed
            .transactions
            .iter()
            .all(|t| t.reference.as_deref() != Some("their-1")),
        "another store's payment is not listed: {listed:?}"
    );
    // Listed by the day it was created, not the day it was paid.
    let next_day = client
        .trans_list(&TransListRequest::new(day("20261207"), day("20261207")))
        .await
        .unwrap();
    assert!(next_day.transactions.is_empty(), "{next_day:?}");
    // Its IPN is stamped with the simulated time too.
    gateway
        .ipn()
        .wait(Until::Acknowledged(&night), PATIENCE)
        .await
        .unwrap();
    let notice = &gateway.ipn().attempts_about(&night)[0];
    assert!(notice.body.contains("time=20261207000"), "{}", notice.body);
    assert!(notice.at.starts_with("2026-12-06T16:01:"), "{}", notice.at);

    // Day 7 settles day 6's payment (25.00 at 2.90 %: 0.725, rounded half up to 0.73); the
    // payment paid after midnight waits for day 8.
    let day_7 = expected([
        "20261207", "USD", "24.27", "25.00", "0.73", "0.00", "1", "20261206",
    ]);
    let items = settlements(&client, "20261201", "20261231").await;
    assert_eq!(
        items.iter().map(figures).collect::<Vec<_>>(),
        std::slice::from_ref(&day_7)
    );
    assert_eq!(status_of(&client, "20261206").await, "settled");
    assert_eq!(status_of(&client, "20261207").await, "unsettled");
    // The other store sees its own settlement only.
    let theirs_settled = settlements(&other, "20261207", "20261207").await;
    assert_eq!(
        theirs_settled.iter().map(figures).collect::<Vec<_>>(),
        [expected([
            "20261207", "USD", "48.55", "50.00", "1.45", "0.00", "1", "20261206",
        ])]
    );

    // 2026-12-08 00:01: day 7's payment settles, 100.00 less 2.90. Then a refund is made that day.
    clock.advance(DAY);
    let day_8 = expected([
        "20261208", "USD", "97.10", "100.00", "2.90", "0.00", "1", "20261207",
    ]);
    let refund = RefundRequest::new(amount("10.00"), Currency::Usd, SettleCurrency::Usd)
        .transaction_no(night.clone());
    client.refund(&refund).await.unwrap();
    let items = settlements(&client, "20261201", "20261231").await;
    assert_eq!(
        items.iter().map(figures).collect::<Vec<_>>(),
        [day_7.clone(), day_8.clone()],
        "a refund of day 8 is not in day 8's settlement"
    );
    assert_eq!(status_of(&client, "20261207").await, "settled");
    let listed = client
        .trans_list(&TransListRequest::new(day("20261206"), day("20261206")))
        .await
        .unwrap();
    let night_row = listed
        .transactions
        .iter()
        .find(|t| t.transaction_no.as_deref() == Some(night.as_str()))
        .unwrap();
    assert_eq!(night_row.refund_amount, Some(amount("10.00")));

    // 2026-12-09 00:01: the refund is deducted, and the fee is not given back.
    clock.advance(DAY);
    let day_9 = expected([
        "20261209", "USD", "-10.00", "0.00", "0.00", "10.00", "0", "20261208",
    ]);
    let items = settlements(&client, "20261201", "20261231").await;
    assert_eq!(
        items.iter().map(figures).collect::<Vec<_>>(),
        [day_7.clone(), day_8, day_9.clone()]
    );
    // The range is of settlement days.
    let items = settlements(&client, "20261209", "20261209").await;
    assert_eq!(items.iter().map(figures).collect::<Vec<_>>(), [day_9]);
    let items = settlements(&client, "20261201", "20261207").await;
    assert_eq!(items.iter().map(figures).collect::<Vec<_>>(), [day_7]);
    gateway.shutdown().await;
}

#[tokio::test]
async fn the_delay_and_the_fee_are_the_simulators_to_set() {
    let clock = SimClock::frozen_at(a_minute_before_the_gateways_midnight());
    let gateway = MockGateway::builder()
        .clock(clock.clone())
        .settle_after_days(3)
        .fee_basis_points(100)
        .start()
        .await
        .unwrap();
    let client = support::client(&gateway);
    let dollars = open(&client, "usd-1", "100.00", USD, None).await;
    gateway.pay(&dollars).unwrap();
    let won = open(
        &client,
        "krw-1",
        "1050",
        (Currency::Krw, SettleCurrency::Krw),
        None,
    )
    .await;
    gateway.pay(&won).unwrap();

    clock.advance(2 * DAY);
    assert!(
        settlements(&client, "20261201", "20261231")
            .await
            .is_empty()
    );
    assert_eq!(status_of(&client, "20261206").await, "unsettled");

    // Three days on (moved through the simulator's handle on the same clock): both currencies settle, in currency order; 1050 KRW at 1 % is 10.5, up to 11.
    gateway.clock().advance(DAY);
    let items = settlements(&client, "20261201", "20261231").await;
    assert_eq!(
        items.iter().map(figures).collect::<Vec<_>>(),
        [
            expected([
                "20261209", "KRW", "1039", "1050", "11", "0", "1", "20261206"
            ]),
            expected([
                "20261209", "USD", "99.00", "100.00", "1.00", "0.00", "1", "20261206",
            ]),
        ]
    );
    assert_eq!(status_of(&client, "20261206").await, "settled");
    assert_eq!(status_of(&client, "20261207").await, "unsettled");
    let net = items
        .iter()
        .map(|i| i.amount.clone().unwrap())
        .collect::<Vec<_>>();
    assert_eq!(net, [amount("1039"), amount("99.00")]);
    gateway.shutdown().await;
}
