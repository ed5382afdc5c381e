//! Payments, refunds, cancels, references and balances: what the gateway allows and refuses.

use std::time::Duration;

use crate::support;
use pockyt::ipn::testing::IpnReceiver;
use pockyt::types::*;
use pockyt::{Client, Error, SigningKey};
use pockyt_mock::{Merchant, MockError, MockGateway};

async fn start() -> (MockGateway, Client) {
    let gateway = MockGateway::builder().start().await.unwrap();
    let client = support::client(&gateway);
    (gateway, client)
}

fn amount(text: &str) -> Amount {
    Amount::parse(text).unwrap()
}

fn ret_code(error: Error) -> RetCode {
    match error {
        Error::Api { ret_code, .. } => ret_code,
        other => panic!("expected a refusal, got {other}"),
    }
}

/// An open hosted payment of `total` USD; its transaction number.
async fn open(client: &Client, reference: &str, total: &str) -> String {
    let request = SecurePayRequest::new(
        amount(total),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        reference,
        Terminal::Online,
    )
    .callback_url("https://merchant.example.com/back");
    let created = client.secure_pay(&request).await.unwrap();
    created.transaction_no.unwrap()
}

/// A paid payment of `total` USD.
async fn paid(gateway: &MockGateway, client: &Client, reference: &str, total: &str) -> String {
    let number = open(client, reference, total).await;
    gateway.pay(&number).unwrap();
    number
}

fn refund(number: &str, value: &str) -> RefundRequest {
    RefundRequest::new(amount(value), Currency::Usd, SettleCurrency::Usd).transaction_no(number)
}

#[tokio::test]
async fn refunds_add_up_to_what_was_paid_and_no_more() {
    let (gateway, client) = start().await;
    let number = paid(&gateway, &client, "r-1", "10.00").await;
    let first = client.refund(&refund(&number, "4.5")).await.unwrap();
    assert_eq!(
        first.refund_amount,
        Some(amount("4.50")),
        "kept at the currency's precision"
    );
    client.refund(&refund(&number, "5.50")).await.unwrap();
    let over = client.refund(&refund(&number, "0.01")).await.unwrap_err();
    assert_eq!(ret_code(over), RetCode::InvalidParameter);
    let payment = gateway.payment(&number).unwrap();
    assert_eq!(payment.refunds.len(), 2);
    assert_eq!(payment.refunded(), Some(amount("10.00")));
    assert_eq!(payment.refundable(), Some(amount("0")));
}

#[tokio::test]
async fn a_refund_above_the_rest_is_refused_whole() {
    let (gateway, client) = start().await;
    let number = paid(&gateway, &client, "r-2", "10.00").await;
    client.refund(&refund(&number, "9.99")).await.unwrap();
    let over = client.refund(&refund(&number, "0.02")).await.unwrap_err();
    assert_eq!(ret_code(over), RetCode::InvalidParameter);
    let exact = client.refund(&refund(&number, "0.01")).await.unwrap();
    assert_eq!(exact.refund_amount, Some(amount("0.01")));
}

#[tokio::test]
async fn only_a_paid_payment_can_be_refunded() {
    let (gateway, client) = start().await;
    let number = open(&client, "r-3", "10.00").await;
    let unpaid = client.refund(&refund(&number, "1.00")).await.unwrap_err();
    assert_eq!(ret_code(unpaid), RetCode::StatusError);
    gateway.fail(&number).unwrap();
    let failed = client.refund(&refund(&number, "1.00")).await.unwrap_err();
    assert_eq!(ret_code(failed), RetCode::StatusError);
    let unknown = client
        .refund(&refund("300000000000000000", "1.00"))
        .await
        .unwrap_err();
    assert_eq!(ret_code(unknown), RetCode::NoRecord);
}

#[tokio::test]
async fn a_refund_is_in_the_payments_own_currencies() {
    let (gateway, client) = start().await;
    let number = paid(&gateway, &client, "r-4", "10.00").await;
    let other_currency = RefundRequest::new(amount("1.00"), Currency::Cny, SettleCurrency::Usd)
        .transaction_no(&number);
    let error = client.refund(&other_currency).await.unwrap_err();
    assert_eq!(ret_code(error), RetCode::InconsistentParameters);
    let other_settle = RefundRequest::new(amount("1.00"), Currency::Usd, SettleCurrency::Gbp)
        .transaction_no(&number);
    let error = client.refund(&other_settle).await.unwrap_err();
    assert_eq!(ret_code(error), RetCode::InconsistentParameters);
    assert!(gateway.payment(&number).unwrap().refunds.is_empty());
}

#[tokio::test]
async fn references_are_used_once_per_merchant() {
    let (gateway, client) = start().await;
    let number = paid(&gateway, &client, "r-5", "10.00").await;
    let first = refund(&number, "1.00").refund_reference("rf-1");
    client.refund(&first).await.unwrap();
    let again = client.refund(&first).await.unwrap_err();
    assert_eq!(ret_code(again), RetCode::InvalidParameter);
    // A refund found by the payment's reference rather than its number.
    let by_reference = RefundRequest::new(amount("1.00"), Currency::Usd, SettleCurrency::Usd)
        .reference("r-5")
        .refund_reference("rf-2");
    client.refund(&by_reference).await.unwrap();
    assert_eq!(gateway.payment(&number).unwrap().refunds.len(), 2);
    // The payment's own reference is spent too, whatever became of its payment.
    let request = SecurePayRequest::new(
        amount("1.00"),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        "r-5",
        Terminal::Online,
    )
    .callback_url("https://merchant.example.com/back");
    let reused = client.secure_pay(&request).await.unwrap_err();
    assert_eq!(ret_code(reused), RetCode::InvalidParameter);
}

#[tokio::test]
async fn cancel_closes_an_open_payment_and_refunds_a_paid_one() {
    let (gateway, client) = start().await;
    let open_number = open(&client, "c-1", "8.00").await;
    let closed = client
        .cancel(&CancelRequest::new().transaction_no(&open_number))
        .await
        .unwrap();
    assert_eq!(closed.status, Some(TransactionStatus::Closed));
    let payment = gateway.payment(&open_number).unwrap();
    assert!(
        payment.refunds.is_empty(),
        "nothing was paid, nothing is refunded"
    );

    let paid_number = paid(&gateway, &client, "c-2", "8.00").await;
    client.refund(&refund(&paid_number, "3.00")).await.unwrap();
    client
        .cancel(&CancelRequest::new().reference("c-2"))
        .await
        .unwrap();
    let payment = gateway.payment(&paid_number).unwrap();
    assert_eq!(payment.status, TransactionStatus::Closed);
    assert_eq!(payment.refunds.len(), 2);
    assert_eq!(
        payment.refunds[1].amount,
        amount("5.00"),
        "only what was left"
    );
    assert_eq!(payment.refunded(), Some(amount("8.00")));

    let again = client
        .cancel(&CancelRequest::new().transaction_no(&paid_number))
        .await;
    assert_eq!(ret_code(again.unwrap_err()), RetCode::StatusError);
}

#[tokio::test]
async fn cancelling_a_fully_refunded_payment_adds_no_empty_refund() {
    let (gateway, client) = start().await;
    let number = paid(&gateway, &client, "c-3", "2.00").await;
    client.refund(&refund(&number, "2.00")).await.unwrap();
    client
        .cancel(&CancelRequest::new().transaction_no(&number))
        .await
        .unwrap();
    let payment = gateway.payment(&number).unwrap();
    assert_eq!(
        (payment.status, payment.refunds.len()),
        (TransactionStatus::Closed, 1)
    );
}

#[tokio::test]
async fn a_final_payment_stays_final() {
    let (gateway, client) = start().await;
    let number = paid(&gateway, &client, "f-1", "1.00").await;
    for attempt in [
        gateway.pay(&number),
        gateway.fail(&number),
        gateway.expire(&number),
    ] {
        assert!(
            matches!(
                attempt,
                Err(MockError::NotOpen {
                    status: TransactionStatus::Success,
                    ..
                })
            ),
            "{attempt:?}"
        );
    }
    assert!(matches!(
        gateway.pay("300000000000000000"),
        Err(MockError::NotFound(_))
    ));
    let open_number = open(&client, "f-2", "1.00").await;
    let expired = gateway.expire(&open_number).unwrap();
    assert_eq!(expired.status, TransactionStatus::Closed);
}

#[tokio::test]
async fn numbers_are_unique_and_shaped_like_the_gateways() {
    let (gateway, client) = start().await;
    let mut numbers = Vec::new();
    for i in 0..5 {
        numbers.push(open(&client, &format!("n-{i}"), "1.00").await);
    }
    for number in &numbers {
        assert!(
            number.len() == 18 && number.bytes().all(|b| b.is_ascii_digit()),
            "{number}"
        );
    }
    let mut sorted = numbers.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 5);
    let listed: Vec<String> = gateway
        .payments()
        .into_iter()
        .map(|p| p.transaction_no)
        .collect();
    assert_eq!(listed, sorted, "every payment, in number order");
    let found = client.find_by_reference("n-3").await.unwrap().unwrap();
    assert_eq!(found.transaction_no.as_deref(), Some(numbers[3].as_str()));
    assert!(client.find_by_reference("n-9").await.unwrap().is_none());
}

#[tokio::test]
async fn an_open_payment_closes_when_its_timeout_elapses_and_the_merchant_hears_of_it() {
    let gateway = MockGateway::builder()
        .payment_minute(Duration::from_millis(20))
        .start()
        .await
        .unwrap();
    let client = support::client(&gateway);
    let receiver = IpnReceiver::start(SigningKey::from_token(Merchant::DEMO_TOKEN))
        .await
        .unwrap();
    let request = SecurePayRequest::new(
        amount("1.00"),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        "t-1",
        Terminal::Online,
    )
    .callback_url("https://merchant.example.com/back")
    .ipn_url(receiver.url())
    .timeout(1);
    let number = client
        .secure_pay(&request)
        .await
        .unwrap()
        .transaction_no
        .unwrap();
    let notices = receiver.wait_for(1, Duration::from_secs(10)).await.unwrap();
    assert_eq!(notices[0].status, Some(TransactionStatus::Closed));
    assert_eq!(
        gateway.payment(&number).unwrap().status,
        TransactionStatus::Closed
    );
    // Paying it now is too late.
    assert!(matches!(
        gateway.pay(&number),
        Err(MockError::NotOpen { .. })
    ));
}

#[tokio::test]
async fn payouts_spend_the_balance_once() {
    let gateway = MockGateway::builder()
        .opening_balance(amount("100.00"))
        .start()
        .await
        .unwrap();
    let client = support::client(&gateway);
    let (customer_no, token) = support::payee(&client, "Hopper", "tag-1").await;
    let pay = |value: &str, invoice: &str| {
        PayoutPayRequest::new(amount(value), Currency::Usd)
            .customer_no(customer_no.clone())
            .account_token(token.clone())
            .invoice_id(invoice)
    };
    let balance = || {
        PayoutBalanceRequest::new(
            UtcTimestamp::parse("2024-01-01T00:00:00Z").unwrap(),
            Currency::Usd,
        )
    };
    client.payout_pay(&pay("60.00", "i-1")).await.unwrap();
    let left = client.payout_balance(&balance()).await.unwrap();
    assert_eq!(left.balance[0].amount, Some(amount("40.00")));
    let too_much = client.payout_pay(&pay("40.01", "i-2")).await.unwrap_err();
    assert_eq!(ret_code(too_much), RetCode::StatusError);
    let twice = client.payout_pay(&pay("1.00", "i-1")).await.unwrap_err();
    assert_eq!(ret_code(twice), RetCode::InvalidParameter);
    client.payout_pay(&pay("40.00", "i-3")).await.unwrap();
    let left = client.payout_balance(&balance()).await.unwrap();
    assert_eq!(left.balance[0].amount, Some(amount("0.00")));
    // Another currency has its own opening balance.
    let gbp = client
        .payout_balance(&PayoutBalanceRequest::new(
            UtcTimestamp::parse("2024-01-01T00:00:00Z").unwrap(),
            Currency::Gbp,
        ))
        .await
        .unwrap();
    assert_eq!(gbp.balance[0].amount, Some(amount("100.00")));
}

#[tokio::test]
async fn a_checkout_points_at_its_own_cashier_page() {
    let (gateway, client) = start().await;
    let request = SecurePayRequest::new(
        amount("1.00"),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        "k-1",
        Terminal::Online,
    )
    .callback_url("https://merchant.example.com/back");
    let created = client.secure_pay(&request).await.unwrap();
    let number = created.transaction_no.unwrap();
    assert_eq!(
        created.cashier_url.as_deref(),
        Some(format!("{}/cashier/{number}", gateway.base_url()).as_str())
    );
}

#[tokio::test]
async fn numbers_grow_and_two_simulators_never_share_them() {
    let (gateway, client) = start().await;
    let first = open(&client, "g-1", "1.00").await;
    let second = open(&client, "g-2", "1.00").await;
    assert!(second > first, "{first} then {second}");
    let (_other_gateway, other_client) = start().await;
    let elsewhere = open(&other_client, "g-1", "1.00").await;
    assert!(
        elsewhere != first && elsewhere != second,
        "each simulator starts at random"
    );
    assert!(gateway.payment(&elsewhere).is_none());
}

#[tokio::test]
async fn customers_get_distinct_gateway_shaped_numbers() {
    let (_gateway, client) = start().await;
    let mut numbers = Vec::new();
    for email in ["a@example.com", "b@example.com"] {
        let request = CustomerCreateRequest::new("Ada", "Lovelace", email, "US")
            .timestamp(UtcTimestamp::parse("2024-01-01T00:00:00Z").unwrap());
        numbers.push(
            client
                .customer_create(&request)
                .await
                .unwrap()
                .customer_no
                .unwrap(),
        );
    }
    for number in &numbers {
        let shaped = number.len() == 22 && number.starts_with("1000");
        assert!(
            shaped && number.bytes().all(|b| b.is_ascii_digit()),
            "{number}"
        );
    }
    assert!(numbers[1] > numbers[0], "{numbers:?}");
}

#[tokio::test]
async fn a_payout_goes_only_to_the_named_customers_own_account() {
    let (_gateway, client) = start().await;
    let customers = [
        support::payee(&client, "Lovelace", "a").await,
        support::payee(&client, "Lovelace", "b").await,
    ];
    let (a, a_token) = &customers[0];
    let (b, _) = &customers[1];
    let pay = |customer: &str, token: &str, invoice: &str| {
        PayoutPayRequest::new(amount("5.00"), Currency::Usd)
            .customer_no(customer)
            .account_token(token)
            .invoice_id(invoice)
    };
    let stolen = client
        .payout_pay(&pay(b, a_token, "i-1"))
        .await
        .unwrap_err();
    assert_eq!(ret_code(stolen), RetCode::NoRecord);
    client.payout_pay(&pay(a, a_token, "i-2")).await.unwrap();
}

#[tokio::test]
async fn a_date_range_may_be_one_day_but_not_backwards() {
    let (_gateway, client) = start().await;
    let one_day = SettleListRequest::new(
        GatewayDate::parse("20240101").unwrap(),
        GatewayDate::parse("20240101").unwrap(),
    );
    client.settle_list(&one_day).await.unwrap();
    let forwards = SettleListRequest::new(
        GatewayDate::parse("20240101").unwrap(),
        GatewayDate::parse("20240131").unwrap(),
    );
    client.settle_list(&forwards).await.unwrap();
    let backwards = SettleListRequest::new(
        GatewayDate::parse("20240131").unwrap(),
        GatewayDate::parse("20240101").unwrap(),
    );
    let error = client.settle_list(&backwards).await.unwrap_err();
    assert_eq!(ret_code(error), RetCode::InconsistentParameters);
}

#[tokio::test]
async fn an_in_store_order_waits_and_a_card_payment_is_paid_at_once() {
    let (gateway, client) = start().await;
    let add = InstoreAddRequest::new(amount("3.00"))
        .currency(Currency::Usd)
        .settle_currency(SettleCurrency::Usd)
        .reference("s-1");
    let added = client.instore_add(&add).await.unwrap();
    let number = added.transaction_no.expect("the order's number");
    assert_eq!(
        gateway.payment(&number).unwrap().status,
        TransactionStatus::Init
    );
    assert_eq!(added.amount, Some(amount("3.00")));

    let card = ExpressPayRequest::new(
        "4111111111111111",
        "2030",
        "12",
        "123",
        amount("5.00"),
        Currency::Usd,
        SettleCurrency::Usd,
        "card-1",
        "203.0.113.7",
    );
    let charged = client.express_pay(&card).await.unwrap();
    let number = charged.transaction_no.expect("the payment's number");
    assert_eq!(charged.status, Some(TransactionStatus::Success));
    assert_eq!(
        gateway.payment(&number).unwrap().status,
        TransactionStatus::Success
    );
}

#[tokio::test]
async fn a_cashier_order_is_created_and_waits() {
    let (gateway, client) = start().await;
    let add = CashierAddRequest::new(
        amount("6.00"),
        Currency::Usd,
        "w-1",
        "https://merchant.example.com/ipn",
    )
    .settle_currency(SettleCurrency::Usd);
    let added = client.cashier_add(&add).await.unwrap();
    let number = added.transaction_no.expect("the order's number");
    assert_eq!(added.amount, Some(amount("6.00")));
    assert_eq!(
        gateway.payment(&number).unwrap().status,
        TransactionStatus::Init
    );
}

#[tokio::test]
async fn a_qr_code_is_made_only_for_an_order_still_open() {
    let (gateway, client) = start().await;
    let add = InstoreAddRequest::new(amount("3.00"))
        .currency(Currency::Usd)
        .settle_currency(SettleCurrency::Usd)
        .reference("q-1");
    let number = client
        .instore_add(&add)
        .await
        .unwrap()
        .transaction_no
        .unwrap();
    // docs.yuansfer's table requires vendor, ipnUrl and needQrcode here.
    let qr = CreateTransQrcodeRequest::new(amount("3.00"), Currency::Usd)
        .settle_currency(SettleCurrency::Usd)
        .transaction_no(&number)
        .vendor(Vendor::Alipay)
        .ipn_url("https://merchant.example.com/ipn")
        .need_qrcode(true);
    client
        .create_trans_qrcode(&qr)
        .await
        .expect("an open order gets its code");
    gateway.pay(&number).unwrap();
    let late = client.create_trans_qrcode(&qr).await.unwrap_err();
    assert_eq!(ret_code(late), RetCode::StatusError);
}
