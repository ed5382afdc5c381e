//! The simulator's defects found by the third attack (issue 24), one test each, named for the
//! defect. No test sleeps: time that matters is set through the builder (an attempt timeout of an
//! hour, a retry an hour away), and each wait is a guard against a hang, never a margin.

use std::time::Duration;

use crate::support;
use pockyt::ipn::testing::IpnReceiver;
use pockyt::types::*;
use pockyt::{Client, Config, RetryPolicy, SigningKey};
use pockyt_mock::{IpnSchedule, Merchant, MockGateway, Until};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// How long a wait may take before the test calls it a hang.
const PATIENCE: Duration = Duration::from_secs(30);

/// The header every notification of a simulator carries (`ipn::SELF_MARK`).
const SELF_MARK: &str = "x-pockyt-simulator-notification";

fn usd(amount: &str) -> Amount {
    Amount::parse(amount).unwrap()
}

/// A client of `merchant_no`/`store_no` signing with `token`, never retrying.
fn client_of(gateway: &MockGateway, merchant_no: &str, store_no: &str, token: &str) -> Client {
    let config = Config::new(merchant_no, store_no, token)
        .unwrap()
        .with_base_url(gateway.base_url())
        .with_retry(RetryPolicy::never());
    Client::new(config).unwrap()
}

async fn open(client: &Client, reference: &str, ipn_url: &str) -> String {
    let request = SecurePayRequest::new(
        usd("10.00"),
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

/// A plain HTTP/1.1 request written by hand, so its `Host` and other headers are exactly these:
/// (status, headers, body).
async fn raw(
    gateway: &MockGateway,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, Vec<(String, String)>, String) {
    let mut stream = tokio::net::TcpStream::connect(gateway.addr())
        .await
        .unwrap();
    let mut request = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!(
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    ));
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let body = if header(&headers, "transfer-encoding") == Some("chunked") {
        dechunk(body)
    } else {
        body.to_owned()
    };
    (status, headers, body)
}

/// A chunked body's content (the test's own answers are text, so chunk sizes count bytes of it).
fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    loop {
        let (size, after) = rest.split_once("\r\n").unwrap();
        let size = usize::from_str_radix(size.trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.push_str(&after[..size]);
        rest = &after[size + 2..];
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

// D1: a payment's ipnUrl at the simulator's own `resend-ipn` made each delivery start another,
// without end.
#[tokio::test]
async fn an_ipn_aimed_at_the_simulators_own_resend_ipn_does_not_loop() {
    let gateway = MockGateway::builder()
        .workbench_actions(true)
        .start()
        .await
        .unwrap();
    let client = support::client(&gateway);
    let port = gateway.addr().port();
    // Numbers are sequential: the next payment's is predictable, so it can aim at itself, by
    // address and by a name that resolves to it.
    let first = open(&client, "self-0", "https://merchant.example.com/ipn").await;
    let mut aimed = Vec::new();
    for (i, host) in ["127.0.0.1", "localhost"].into_iter().enumerate() {
        let previous = aimed.last().unwrap_or(&first).parse::<u64>().unwrap();
        let next = previous + 7919;
        let url = format!("http://{host}:{port}/payments/{next}/resend-ipn");
        let number = open(&client, &format!("self-{}", i + 1), &url).await;
        assert_eq!(number, next.to_string(), "the number was predicted");
        gateway.pay(&number).unwrap();
        aimed.push(number);
    }
    gateway.ipn().wait(Until::Idle, PATIENCE).await.unwrap();
    let attempts = gateway.ipn().attempts();
    assert_eq!(attempts.len(), 2, "one attempt each, refused: {attempts:?}");
    for attempt in &attempts {
        assert!(!attempt.acknowledged);
        assert_eq!(attempt.next_retry_in, None, "never retried");
        let error = attempt.error.as_deref().unwrap_or_default();
        assert!(error.contains("own listener"), "{error}");
    }
    assert_eq!(gateway.ipn().in_flight(), 0);
}

// D2: merchant A's ipnUrl at B's payment's workbench or cashier page refunded or failed B's payment.
#[tokio::test]
async fn another_merchants_ipn_cannot_refund_or_fail_a_payment_through_the_pages() {
    let gateway = MockGateway::builder()
        .merchant(Merchant::demo())
        .merchant(Merchant::new("1002", "2002", "token-b"))
        .workbench_actions(true)
        .start()
        .await
        .unwrap();
    let a = support::client(&gateway);
    let b = client_of(&gateway, "1002", "2002", "token-b");
    let paid = open(&b, "b-paid", "https://merchant.example.com/ipn").await;
    gateway.pay(&paid).unwrap();
    let unpaid = open(&b, "b-open", "https://merchant.example.com/ipn").await;
    let port = gateway.addr().port();
    for (i, url) in [
        format!("http://127.0.0.1:{port}/payments/{paid}/refund"),
        format!("http://localhost:{port}/cashier/{unpaid}/fail"),
    ]
    .iter()
    .enumerate()
    {
        let number = open(&a, &format!("a-{i}"), url).await;
        gateway.pay(&number).unwrap();
    }
    gateway.ipn().wait(Until::Idle, PATIENCE).await.unwrap();
    assert!(gateway.payment(&paid).unwrap().refunds.is_empty());
    assert_eq!(
        gateway.payment(&unpaid).unwrap().status,
        TransactionStatus::Init
    );

    // A name that resolved elsewhere when checked and here when sent (DNS rebinding) still
    // arrives marked, and is refused at every page and route, with the mark in the answer so the
    // sender stops.
    for path in [
        format!("/payments/{paid}/refund"),
        format!("/cashier/{unpaid}/fail"),
        format!("/payments/{paid}/resend-ipn"),
    ] {
        let host = format!("127.0.0.1:{port}");
        let (status, headers, _) = raw(
            &gateway,
            "POST",
            &path,
            &[("Host", &host), (SELF_MARK, "1")],
            "amount=10.00",
        )
        .await;
        assert_eq!(status, 403, "{path}");
        assert!(header(&headers, SELF_MARK).is_some(), "{path}");
    }
    assert!(gateway.payment(&paid).unwrap().refunds.is_empty());
    assert_eq!(
        gateway.payment(&unpaid).unwrap().status,
        TransactionStatus::Init
    );
}

// D1: the attempt log was capped, the delivery tasks were not.
#[tokio::test]
async fn notifications_under_way_are_bounded_not_only_the_log() {
    let gateway = MockGateway::builder()
        // The first attempt an hour away: every admitted notification stays under way.
        .ipn_schedule(IpnSchedule::new([Duration::from_secs(3600)]))
        .ipn_max_in_flight(2)
        .start()
        .await
        .unwrap();
    let client = support::client(&gateway);
    for i in 0..5 {
        let number = open(&client, &format!("bound-{i}"), "http://127.0.0.1:9/ipn").await;
        gateway.pay(&number).unwrap();
    }
    assert_eq!(gateway.ipn().in_flight(), 2);
    let dropped = gateway.ipn().attempts();
    assert_eq!(dropped.len(), 3, "{dropped:?}");
    assert!(
        dropped
            .iter()
            .all(|a| a.error.as_deref().unwrap_or_default().contains("under way")),
        "{dropped:?}"
    );
}

// D3: with the same merchantNo and another store, store 300015 queried and refunded store
// 300014's payments, and its IPNs were signed with 300014's token.
#[tokio::test]
async fn another_store_of_the_same_merchant_neither_sees_nor_signs_for_this_one() {
    let gateway = MockGateway::builder()
        .merchant(Merchant::demo())
        .merchant(Merchant::new("200043", "300015", "token-c"))
        .start()
        .await
        .unwrap();
    let demo = support::client(&gateway);
    let other = client_of(&gateway, "200043", "300015", "token-c");
    let number = open(&demo, "store-1", "https://merchant.example.com/ipn").await;
    gateway.pay(&number).unwrap();

    let by_number = TranQueryRequest::new().transaction_no(number.clone());
    let by_reference = TranQueryRequest::new().reference("store-1");
    for query in [&by_number, &by_reference] {
        let err = other.tran_query(query).await.unwrap_err();
        assert_eq!(err.ret_code(), Some(&RetCode::NoRecord), "{err}");
    }
    let refund = RefundRequest::new(usd("1.00"), Currency::Usd, SettleCurrency::Usd)
        .transaction_no(number.clone());
    let err = other.refund(&refund).await.unwrap_err();
    assert_eq!(err.ret_code(), Some(&RetCode::NoRecord), "{err}");
    assert!(gateway.payment(&number).unwrap().refunds.is_empty());
    // Its own references are its own: the other store may use the same one.
    let receiver = IpnReceiver::start(SigningKey::from_token("token-c"))
        .await
        .unwrap();
    let own = open(&other, "store-1", &receiver.url()).await;
    gateway.pay(&own).unwrap();
    gateway.ipn().wait(Until::Idle, PATIENCE).await.unwrap();
    assert_eq!(receiver.verified().len(), 1, "{:?}", receiver.rejected());
    assert!(receiver.rejected().is_empty(), "{:?}", receiver.rejected());

    // Customers and payout balances are the store's too.
    let (customer_no, _) = support::payee(&demo, "Lovelace", "store-tag").await;
    let retrieve =
        CustomerRetrieveRequest::new(UtcTimestamp::parse("2024-01-01T00:00:00Z").unwrap())
            .customer_no(customer_no);
    let err = other.customer_retrieve(&retrieve).await.unwrap_err();
    assert_eq!(err.ret_code(), Some(&RetCode::NoRecord), "{err}");
    assert!(demo.customer_retrieve(&retrieve).await.is_ok());
}

// D10: any `Host` was accepted, so a page re-bound to 127.0.0.1 (DNS rebinding) was same-origin
// with itself: it refunded (303) and read `/_mock/payments` (200).
#[tokio::test]
async fn pages_refuse_a_host_that_is_not_the_simulators_own() {
    let gateway = MockGateway::builder()
        .workbench_actions(true)
        .start()
        .await
        .unwrap();
    let client = support::client(&gateway);
    let number = open(&client, "rebind-1", "https://merchant.example.com/ipn").await;
    gateway.pay(&number).unwrap();
    let port = gateway.addr().port();
    let rebound = format!("attacker.example:{port}");
    let origin = format!("http://{rebound}");
    let browser = [
        ("Host", rebound.as_str()),
        ("Origin", origin.as_str()),
        ("Sec-Fetch-Site", "same-origin"),
    ];
    for (method, path) in [
        ("GET", "/".to_owned()),
        ("GET", "/_mock/payments".to_owned()),
        ("GET", format!("/payments/{number}")),
        ("GET", format!("/cashier/{number}")),
        ("POST", format!("/payments/{number}/refund")),
    ] {
        let (status, _, _) = raw(&gateway, method, &path, &browser, "amount=1.00").await;
        assert_eq!(status, 421, "{method} {path}");
    }
    assert!(gateway.payment(&number).unwrap().refunds.is_empty());

    // Its own names still work, and so does the API under any name (every call is signed).
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let (status, _, _) = raw(&gateway, "GET", "/", &[("Host", &host)], "").await;
        assert_eq!(status, 200, "{host}");
    }
    let (status, _, body) = raw(
        &gateway,
        "POST",
        "/app-data-search/v3/tran-query",
        &[("Host", &rebound)],
        "merchantNo=200043",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("ret_code"), "{body}");

    let named = MockGateway::builder()
        .allow_host("sim.test")
        .start()
        .await
        .unwrap();
    let (status, _, _) = raw(&named, "GET", "/", &[("Host", "sim.test")], "").await;
    assert_eq!(status, 200, "a name given to allow_host");
}

// D10: no answer carried X-Frame-Options or frame-ancestors, so another site could frame a
// payment's page and have Pay, Fail, Expire or Re-send clicked under a decoy.
#[tokio::test]
async fn every_page_forbids_framing() {
    let gateway = MockGateway::builder()
        .workbench_actions(true)
        .start()
        .await
        .unwrap();
    let client = support::client(&gateway);
    let number = open(&client, "frame-1", "https://merchant.example.com/ipn").await;
    let host = format!("127.0.0.1:{}", gateway.addr().port());
    for (method, path) in [
        ("GET", "/".to_owned()),
        ("GET", "/customers".to_owned()),
        ("GET", "/payouts".to_owned()),
        ("GET", "/_mock/payments".to_owned()),
        ("GET", format!("/payments/{number}")),
        ("GET", format!("/cashier/{number}")),
        ("GET", "/payments/1".to_owned()),
        ("POST", format!("/payments/{number}/nothing")),
    ] {
        let (_, headers, _) = raw(&gateway, method, &path, &[("Host", &host)], "").await;
        assert_eq!(
            header(&headers, "x-frame-options"),
            Some("DENY"),
            "{method} {path}"
        );
        assert_eq!(
            header(&headers, "content-security-policy"),
            Some("frame-ancestors 'none'"),
            "{method} {path}"
        );
    }
}

// D10: a `GET` of the cashier page moved the payment from init to pending, so any link, image or
// prefetch of another site changed a payment.
#[tokio::test]
async fn opening_the_cashier_page_changes_nothing() {
    let gateway = MockGateway::builder().start().await.unwrap();
    let client = support::client(&gateway);
    let number = open(&client, "cashier-1", "https://merchant.example.com/ipn").await;
    let host = format!("127.0.0.1:{}", gateway.addr().port());
    let cashier = format!("/cashier/{number}");
    let (status, _, page) = raw(&gateway, "GET", &cashier, &[("Host", &host)], "").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("id=\"pay\""),
        "the shopper can still pay: {page}"
    );
    assert_eq!(
        gateway.payment(&number).unwrap().status,
        TransactionStatus::Init
    );
    let (status, _, _) = raw(
        &gateway,
        "POST",
        &format!("{cashier}/pay"),
        &[("Host", &host)],
        "",
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        gateway.payment(&number).unwrap().status,
        TransactionStatus::Success
    );
}

// D8: 64 shared slots, each held for the attempt timeout by a receiver that never answers: 200
// such payments delayed another merchant's IPN to a healthy receiver by 29.6 s.
#[tokio::test]
async fn a_receiver_that_never_answers_does_not_hold_up_another_merchants_ipn() {
    // Accepts no connection and answers nothing: the kernel completes each handshake into the
    // backlog, and the request waits there for ever.
    let dead = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead_url = format!("http://{}/ipn", dead.local_addr().unwrap());
    let gateway = MockGateway::builder()
        .merchant(Merchant::demo())
        .merchant(Merchant::new("1002", "2002", "token-b"))
        .ipn_schedule(IpnSchedule::new([Duration::ZERO]))
        // No attempt to the dead receiver ends within the test: every slot it takes stays taken.
        .ipn_attempt_timeout(Duration::from_secs(3600))
        .start()
        .await
        .unwrap();
    let a = support::client(&gateway);
    // More than all 64 slots.
    const HANGING: usize = 100;
    for i in 0..HANGING {
        let number = open(&a, &format!("hang-{i}"), &dead_url).await;
        gateway.pay(&number).unwrap();
    }
    let b = client_of(&gateway, "1002", "2002", "token-b");
    let receiver = IpnReceiver::start(SigningKey::from_token("token-b"))
        .await
        .unwrap();
    let number = open(&b, "healthy-1", &receiver.url()).await;
    gateway.pay(&number).unwrap();
    // With shared slots only, this waited for the dead receiver's attempts to time out (an hour).
    receiver.wait_for(1, PATIENCE).await.unwrap();
    gateway
        .ipn()
        .wait(Until::Acknowledged(&number), PATIENCE)
        .await
        .unwrap();
    assert_eq!(
        gateway.ipn().in_flight(),
        HANGING,
        "the hanging ones still wait"
    );
    drop(dead);
}

// D9: each `GET /` and `GET /_mock/payments` copied and rendered every payment under the store's
// lock (47 MB at 100k payments). Lists are paged now; only a page is copied.
#[tokio::test]
async fn the_dashboard_and_json_lists_are_paged() {
    let gateway = MockGateway::builder().page_size(2).start().await.unwrap();
    let client = support::client(&gateway);
    let mut numbers = Vec::new();
    for i in 0..5 {
        let number = open(&client, &format!("paged-{i}"), "http://127.0.0.1:9/ipn").await;
        numbers.push(number);
    }
    numbers.reverse(); // newest first, as the lists are
    let host = format!("127.0.0.1:{}", gateway.addr().port());
    let host = [("Host", host.as_str())];
    let listed = |body: &str| -> Vec<String> {
        let list: serde_json::Value = serde_json::from_str(body).unwrap();
        list.as_array()
            .unwrap()
            .iter()
            .map(|p| p["transactionNo"].as_str().unwrap().to_owned())
            .collect()
    };

    let (status, headers, body) = raw(&gateway, "GET", "/_mock/payments", &host, "").await;
    assert_eq!(status, 200);
    assert_eq!(listed(&body), numbers[..2]);
    assert_eq!(header(&headers, "x-total-count"), Some("5"));
    assert_eq!(
        header(&headers, "link"),
        Some(r#"</_mock/payments?page=2>; rel="next""#)
    );
    let (_, headers, body) = raw(&gateway, "GET", "/_mock/payments?page=2", &host, "").await;
    assert_eq!(listed(&body), numbers[2..4]);
    assert_eq!(
        header(&headers, "link"),
        Some(r#"</_mock/payments?page=1>; rel="prev", </_mock/payments?page=3>; rel="next""#)
    );
    let (_, headers, body) = raw(&gateway, "GET", "/_mock/payments?page=3", &host, "").await;
    assert_eq!(listed(&body), numbers[4..]);
    assert_eq!(
        header(&headers, "link"),
        Some(r#"</_mock/payments?page=2>; rel="prev""#)
    );
    let (_, _, body) = raw(&gateway, "GET", "/_mock/payments?page=99", &host, "").await;
    assert_eq!(body, "[]", "past the end: empty");
    for bad in ["0", "-1", "x", "1.5"] {
        let path = format!("/_mock/payments?page={bad}");
        let (status, _, _) = raw(&gateway, "GET", &path, &host, "").await;
        assert_eq!(status, 400, "{path}");
    }

    let (status, _, page) = raw(&gateway, "GET", "/?page=2", &host, "").await;
    assert_eq!(status, 200);
    for (i, number) in numbers.iter().enumerate() {
        assert_eq!(
            page.contains(&format!(">{number}</a>")),
            (2..4).contains(&i),
            "{number} on the dashboard's page 2: {page}"
        );
    }
    assert!(page.contains("Page 2 of 3 (5 in all, 2 a page)"), "{page}");
    assert!(page.contains("href=\"/?page=3\""), "{page}");

    // The IPN attempt log, oldest first, in pages too.
    for number in &numbers {
        gateway.pay(number).unwrap();
    }
    gateway.ipn().wait(Until::Idle, PATIENCE).await.unwrap();
    let made = gateway.ipn().attempts().len();
    let (_, headers, body) = raw(&gateway, "GET", "/_mock/ipn-attempts", &host, "").await;
    let attempts: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(attempts.as_array().unwrap().len(), 2);
    assert_eq!(
        header(&headers, "x-total-count"),
        Some(made.to_string().as_str())
    );
}
