//! The workbench: what a developer (or a script) sees of the simulator over HTTP.

use std::time::Duration;

use crate::support;
use bytes::Bytes;
use pockyt::SigningKey;
use pockyt::ipn::testing::IpnReceiver;
use pockyt::types::*;
use pockyt_mock::{Merchant, MockGateway, Until};
use pockyt_transport::{HyperTransport, Transport};

const SCRIPT: &str = "<script>alert(1)</script>";

async fn get(url: &str) -> (u16, String) {
    let transport = HyperTransport::builder().build().unwrap();
    let request = http::Request::get(url).body(Bytes::new()).unwrap();
    let response = transport.send(request).await.unwrap();
    let body = String::from_utf8(response.body().to_vec()).unwrap();
    (response.status().as_u16(), body)
}

async fn get_json(url: &str) -> serde_json::Value {
    let (status, body) = get(url).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

#[tokio::test]
async fn payments_are_listed_newest_first_as_html_and_json_with_request_values_escaped() {
    let gateway = MockGateway::builder().start().await.unwrap();
    let client = support::client(&gateway);
    let mut numbers = Vec::new();
    for reference in ["first", SCRIPT] {
        let request = SecurePayRequest::new(
            Amount::parse("12.50").unwrap(),
            Currency::Usd,
            SettleCurrency::Usd,
            Vendor::Alipay,
            reference,
            Terminal::Online,
        )
        .callback_url("https://merchant.example.com/back");
        numbers.push(
            client
                .secure_pay(&request)
                .await
                .unwrap()
                .transaction_no
                .unwrap(),
        );
    }
    let list = get_json(&format!("{}/_mock/payments", gateway.base_url())).await;
    let listed: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["transactionNo"].as_str().unwrap())
        .collect();
    assert_eq!(
        listed,
        [numbers[1].as_str(), numbers[0].as_str()],
        "newest first"
    );
    assert_eq!(list[0]["reference"], SCRIPT);
    assert_eq!(
        (list[0]["status"].as_str(), list[0]["amount"].as_str()),
        (Some("init"), Some("12.50"))
    );
    assert_eq!(list[0]["refundable"], "12.50");

    let (status, dashboard) = get(&format!("{}/", gateway.base_url())).await;
    assert_eq!(status, 200);
    assert!(dashboard.contains(&numbers[0]) && dashboard.contains(&numbers[1]));
    assert!(
        dashboard.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{dashboard}"
    );
    assert!(
        !dashboard.contains(SCRIPT),
        "a reference is shown as text, never as markup"
    );

    let (status, page) = get(&format!("{}/payments/{}", gateway.base_url(), numbers[1])).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("&lt;script&gt;") && !page.contains(SCRIPT),
        "{page}"
    );
    let (status, _) = get(&format!(
        "{}/payments/300000000000000000",
        gateway.base_url()
    ))
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_payments_page_shows_each_ipn_attempt_and_the_handlers_answer() {
    let gateway = MockGateway::builder().start().await.unwrap();
    let client = support::client(&gateway);
    let receiver = IpnReceiver::start(SigningKey::from_token(Merchant::DEMO_TOKEN))
        .await
        .unwrap();
    receiver.fail_next(1);
    let request = SecurePayRequest::new(
        Amount::parse("3.00").unwrap(),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        "ipn-1",
        Terminal::Online,
    )
    .callback_url("https://merchant.example.com/back")
    .ipn_url(receiver.url());
    let number = client
        .secure_pay(&request)
        .await
        .unwrap()
        .transaction_no
        .unwrap();
    gateway.pay(&number).unwrap();
    gateway
        .ipn()
        .wait(Until::Acknowledged(&number), Duration::from_secs(10))
        .await
        .unwrap();

    let doc = get_json(&format!("{}/_mock/payments/{number}", gateway.base_url())).await;
    assert_eq!(doc["status"], "success");
    let attempts = doc["ipnAttempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 2, "{attempts:?}");
    assert_eq!(
        (
            attempts[0]["httpStatus"].as_u64(),
            attempts[0]["acknowledged"].as_bool()
        ),
        (Some(503), Some(false))
    );
    assert_eq!(
        (
            attempts[1]["httpStatus"].as_u64(),
            attempts[1]["acknowledged"].as_bool()
        ),
        (Some(200), Some(true))
    );

    // What the handler said, when each attempt was made, and when the next one was due.
    assert_eq!(
        (
            attempts[0]["answer"].as_str(),
            attempts[1]["answer"].as_str()
        ),
        (Some("try again"), Some("success"))
    );
    assert!(
        attempts[0]["nextRetryInMs"].as_u64().is_some(),
        "{attempts:?}"
    );
    assert!(
        attempts[1]["nextRetryInMs"].is_null(),
        "acknowledged: nothing more to send"
    );
    assert!(
        attempts
            .iter()
            .all(|a| a["at"].as_str().is_some_and(|t| t.ends_with('Z')))
    );

    let all = get_json(&format!("{}/_mock/ipn-attempts", gateway.base_url())).await;
    assert_eq!(all.as_array().unwrap().len(), 2);

    let (_, page) = get(&format!("{}/payments/{number}", gateway.base_url())).await;
    assert!(
        page.contains("503") && page.contains("<td>yes</td>"),
        "{page}"
    );
    assert!(
        !page.contains("http-equiv=\"refresh\""),
        "settled: nothing to wait for"
    );
}

async fn post(url: &str, form: &str) -> (u16, String) {
    post_from(url, form, &[]).await
}

/// A form `POST` with the headers a browser adds (`Origin`, `Sec-Fetch-Site`).
async fn post_from(url: &str, form: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let transport = HyperTransport::builder().build().unwrap();
    let mut request =
        http::Request::post(url).header("content-type", "application/x-www-form-urlencoded");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(Bytes::from(form.to_owned())).unwrap();
    let response = transport.send(request).await.unwrap();
    let body = String::from_utf8(response.body().to_vec()).unwrap();
    (response.status().as_u16(), body)
}

async fn open_payment(gateway: &MockGateway, reference: &str, ipn_url: &str) -> String {
    let client = support::client(gateway);
    let request = SecurePayRequest::new(
        Amount::parse("10.00").unwrap(),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        reference,
        Terminal::Online,
    )
    .callback_url("https://merchant.example.com/back")
    .ipn_url(ipn_url);
    client
        .secure_pay(&request)
        .await
        .unwrap()
        .transaction_no
        .unwrap()
}

#[tokio::test]
async fn a_test_simulators_pages_do_not_act() {
    let gateway = MockGateway::builder().start().await.unwrap();
    let number = open_payment(&gateway, "ro-1", "https://merchant.example.com/ipn").await;
    let (status, _) = post(&format!("{}/payments/{number}/pay", gateway.base_url()), "").await;
    assert_eq!(status, 403);
    assert_eq!(
        gateway.payment(&number).unwrap().status,
        TransactionStatus::Init
    );
    let (_, page) = get(&format!("{}/payments/{number}", gateway.base_url())).await;
    assert!(
        !page.contains("id=\"pay\""),
        "no buttons on a read-only page"
    );
}

#[tokio::test]
async fn with_actions_on_a_payment_is_paid_refunded_and_its_ipn_sent_again() {
    let gateway = MockGateway::builder()
        .workbench_actions(true)
        .start()
        .await
        .unwrap();
    let receiver = IpnReceiver::start(SigningKey::from_token(Merchant::DEMO_TOKEN))
        .await
        .unwrap();
    let number = open_payment(&gateway, "act-1", &receiver.url()).await;
    let base = format!("{}/payments/{number}", gateway.base_url());
    let (_, page) = get(&base).await;
    assert!(
        page.contains("id=\"pay\"") && page.contains("id=\"expire\""),
        "{page}"
    );
    let cashier_link = format!("href=\"/cashier/{number}\"");
    assert!(
        page.contains(&cashier_link),
        "an open payment links its cashier: {page}"
    );

    let (status, _) = post(&format!("{base}/pay"), "").await;
    assert_eq!(status, 303, "back to the payment's page");
    assert_eq!(
        gateway.payment(&number).unwrap().status,
        TransactionStatus::Success
    );
    gateway
        .ipn()
        .wait(Until::Acknowledged(&number), Duration::from_secs(10))
        .await
        .unwrap();

    let (_, page) = get(&base).await;
    assert!(
        !page.contains(&cashier_link),
        "a paid payment has no cashier to open: {page}"
    );

    let (status, _) = post(&format!("{base}/refund"), "amount=2.50").await;
    assert_eq!(status, 303);
    let refunds = gateway.payment(&number).unwrap().refunds;
    assert_eq!(refunds.len(), 1);
    assert_eq!(refunds[0].amount, Amount::parse("2.50").unwrap());
    // The refund endpoint's own rules: no more than what is left.
    let (status, page) = post(&format!("{base}/refund"), "amount=7.51").await;
    assert_eq!(status, 409);
    assert!(page.contains("refundable"), "{page}");
    // And the amount checks a refund over the API passes: nothing negative, zero or finer than cents.
    for amount in ["-100", "0", "0.001"] {
        let (status, page) = post(&format!("{base}/refund"), &format!("amount={amount}")).await;
        assert_eq!(status, 409, "{amount}: {page}");
        assert!(page.contains("refundAmount"), "{amount}: {page}");
    }
    assert_eq!(gateway.payment(&number).unwrap().refunds.len(), 1);

    let (status, _) = post(&format!("{base}/resend-ipn"), "").await;
    assert_eq!(status, 303);
    receiver.wait_for(2, Duration::from_secs(10)).await.unwrap();

    let (status, page) = post(&format!("{base}/fail"), "").await;
    assert_eq!(status, 409, "a paid payment stays paid");
    assert!(page.contains("already success"), "{page}");
}

#[tokio::test]
async fn another_sites_page_cannot_act_and_an_open_payment_has_no_ipn_to_resend() {
    let gateway = MockGateway::builder()
        .workbench_actions(true)
        .start()
        .await
        .unwrap();
    let number = open_payment(&gateway, "csrf-1", "https://merchant.example.com/ipn").await;
    let base = gateway.base_url();
    let own_origin = base.trim_end_matches('/').to_owned();
    let elsewhere: [&[(&str, &str)]; 3] = [
        &[("origin", "http://127.0.0.1:3000")],
        &[("sec-fetch-site", "cross-site")],
        &[
            ("origin", own_origin.as_str()),
            ("sec-fetch-site", "same-site"),
        ],
    ];
    for headers in elsewhere {
        for action in [
            format!("{base}/payments/{number}/pay"),
            format!("{base}/cashier/{number}/pay"),
        ] {
            let (status, _) = post_from(&action, "", headers).await;
            assert_eq!(status, 403, "{action} from {headers:?}");
        }
    }
    assert_eq!(
        gateway.payment(&number).unwrap().status,
        TransactionStatus::Init,
        "nothing was paid"
    );

    let (status, page) = post(&format!("{base}/payments/{number}/resend-ipn"), "").await;
    assert_eq!(status, 409, "an open payment has not been notified: {page}");
    assert_eq!(gateway.ipn().attempts().len(), 0);

    // The simulator's own page, as a browser sends it.
    let (status, _) = post_from(
        &format!("{base}/payments/{number}/pay"),
        "",
        &[
            ("origin", own_origin.as_str()),
            ("sec-fetch-site", "same-origin"),
        ],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        gateway.payment(&number).unwrap().status,
        TransactionStatus::Success
    );
}

#[tokio::test]
async fn the_cashier_shows_the_order_and_what_follows_and_can_decline() {
    let gateway = MockGateway::builder().start().await.unwrap();
    let client = support::client(&gateway);
    let request = SecurePayRequest::new(
        Amount::parse("12.50").unwrap(),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::WechatPay,
        "shop-1",
        Terminal::Online,
    )
    .description("Two <b>mugs</b>")
    .goods_info(r#"[{"goods_name":"Mug","quantity":"2"}]"#)
    .callback_url("https://merchant.example.com/back?status={status}&ref={reference}")
    .ipn_url("https://merchant.example.com/ipn");
    let created = client.secure_pay(&request).await.unwrap();
    let (status, page) = get(&created.cashier_url.unwrap()).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("12.50 USD") && page.contains("wechatpay"),
        "{page}"
    );
    assert!(
        page.contains("Two &lt;b&gt;mugs&lt;/b&gt;"),
        "the description, as text: {page}"
    );
    assert!(page.contains("<li>Mug × 2</li>"), "the goods: {page}");
    assert!(
        page.contains("https://merchant.example.com/back?status=success&amp;ref=shop-1"),
        "where the shopper returns, macros filled: {page}"
    );
    assert!(page.contains("https://merchant.example.com/ipn") && page.contains("id=\"fail\""));

    let number = created.transaction_no.unwrap();
    let (status, _) = post(&format!("{}/cashier/{number}/fail", gateway.base_url()), "").await;
    assert_eq!(status, 303, "declined, and back to the merchant");
    assert_eq!(
        gateway.payment(&number).unwrap().status,
        TransactionStatus::Failed
    );
}

#[tokio::test]
async fn customers_payees_and_payouts_have_their_own_pages() {
    let gateway = MockGateway::builder().start().await.unwrap();
    let client = support::client(&gateway);
    let (customer_no, token) = support::payee(&client, "<i>Hopper</i>", "tag-1").await;
    let pay = PayoutPayRequest::new(Amount::parse("25.00").unwrap(), Currency::Usd)
        .customer_no(customer_no.clone())
        .account_token(token.clone())
        .invoice_id("invoice-7");
    let paid = client.payout_pay(&pay).await.unwrap();

    let (status, page) = get(&format!("{}/customers", gateway.base_url())).await;
    assert_eq!(status, 200);
    assert!(page.contains(&customer_no) && page.contains(&token) && page.contains("tag-1"));
    assert!(
        page.contains("&lt;i&gt;Hopper&lt;/i&gt;") && !page.contains("<i>Hopper"),
        "{page}"
    );

    let (status, page) = get(&format!("{}/payouts", gateway.base_url())).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("invoice-7") && page.contains("25.00 USD"),
        "{page}"
    );
    assert!(page.contains(&paid.transaction_no.unwrap()));

    let (_, dashboard) = get(&format!("{}/", gateway.base_url())).await;
    assert!(dashboard.contains("href=\"/customers\"") && dashboard.contains("href=\"/payouts\""));
}
