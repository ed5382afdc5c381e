//! Whole flows through the real HyperTransport over loopback sockets.

use std::time::Duration;

use pockyt::Error;
use pockyt::ipn::Callback;
use pockyt::types::*;
use pockyt_e2e::{PATIENCE, World, browser};
use pockyt_mock::{IpnSchedule, Merchant, MockGateway, Until};

#[tokio::test]
async fn hosted_checkout_pay_ipn_query_and_refunds() {
    let world = World::start().await;
    let payment = world
        .client
        .secure_pay(&world.payment("12.50", "order-100").note("gift & wrap"))
        .await
        .unwrap();
    let number = payment.transaction_no.clone().unwrap();
    assert_eq!(number.len(), 18);
    let cashier = payment.cashier_url.unwrap();

    // The shopper opens the cashier page, then pays.
    let page = browser(http::Method::GET, &cashier).await;
    let html = String::from_utf8_lossy(page.body()).into_owned();
    assert!(
        html.contains("12.50") && html.contains("alipay") && html.contains("200043"),
        "{html}"
    );
    // Opening the page changes nothing (a link, an image or a prefetch must not); only Pay does.
    assert_eq!(
        world.gateway.payment(&number).unwrap().status,
        TransactionStatus::Init
    );
    let paid = browser(http::Method::POST, &format!("{cashier}/pay")).await;
    assert_eq!(paid.status(), 303);
    let location = paid.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        location,
        format!(
            "https://merchant.example.com/return?status=success&amount=12.50&ref=order-100&tx={number}&note=gift+%26+wrap"
        )
    );
    // The redirect carries no signature: it is for display only.
    let query = location.split_once('?').unwrap().1;
    let key = pockyt::SigningKey::from_token(Merchant::DEMO_TOKEN);
    assert!(matches!(
        pockyt::ipn::parse_callback(query, &key).unwrap(),
        Callback::Unverified(_)
    ));

    // The IPN reaches the merchant's receiver and verifies.
    let notes = world.receiver.wait_for(1, PATIENCE).await.unwrap();
    assert_eq!(notes[0].transaction_no.as_deref(), Some(number.as_str()));
    assert!(notes[0].is_success());
    assert_eq!(notes[0].note.as_deref(), Some("gift & wrap"));
    assert_eq!(notes[0].amount, Some(Amount::parse("12.50").unwrap()));

    let found = world
        .client
        .tran_query(&TranQueryRequest::new().transaction_no(number.clone()))
        .await
        .unwrap();
    assert_eq!(found.status, Some(TransactionStatus::Success));

    let refund = |amount: &str, id: &str| {
        RefundRequest::new(
            Amount::parse(amount).unwrap(),
            Currency::Usd,
            SettleCurrency::Usd,
        )
        .refund_reference(id)
        .transaction_no(number.clone())
    };
    let first = world
        .client
        .refund(&refund("5.00", "refund-1"))
        .await
        .unwrap();
    assert_eq!(first.refund_amount, Some(Amount::parse("5.00").unwrap()));
    let err = world
        .client
        .refund(&refund("7.51", "refund-2"))
        .await
        .unwrap_err();
    assert_eq!(err.ret_code(), Some(&RetCode::InvalidParameter), "{err}");
    world
        .client
        .refund(&refund("7.50", "refund-3"))
        .await
        .unwrap();
    let after = world
        .client
        .tran_query(&TranQueryRequest::new().reference("order-100"))
        .await
        .unwrap();
    assert_eq!(after.refund_info.len(), 2);
    assert_eq!(
        world.gateway.payment(&number).unwrap().refundable(),
        Some(Amount::zero())
    );
}

#[tokio::test]
async fn a_reference_pays_once() {
    let world = World::start().await;
    world
        .client
        .secure_pay(&world.payment("1.00", "dup-1"))
        .await
        .unwrap();
    let err = world
        .client
        .secure_pay(&world.payment("1.00", "dup-1"))
        .await
        .unwrap_err();
    assert_eq!(err.ret_code(), Some(&RetCode::InvalidParameter));
    assert_eq!(world.gateway.payments().len(), 1);
    // The recovery path finds the one payment.
    assert!(
        world
            .client
            .find_by_reference("dup-1")
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        world
            .client
            .find_by_reference("never-sent")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn cancel_an_unpaid_payment() {
    let world = World::start().await;
    world
        .client
        .secure_pay(&world.payment("3.00", "to-cancel"))
        .await
        .unwrap();
    let cancelled = world
        .client
        .cancel(&CancelRequest::new().reference("to-cancel"))
        .await
        .unwrap();
    assert_eq!(cancelled.status, Some(TransactionStatus::Closed));
    let notes = world.receiver.wait_for(1, PATIENCE).await.unwrap();
    assert_eq!(notes[0].status, Some(TransactionStatus::Closed));
    let err = world
        .client
        .cancel(&CancelRequest::new().reference("to-cancel"))
        .await
        .unwrap_err();
    assert_eq!(err.ret_code(), Some(&RetCode::StatusError));
}

#[tokio::test]
async fn cancelling_a_paid_payment_refunds_it_and_notifies() {
    let world = World::start().await;
    let number = world
        .client
        .secure_pay(&world.payment("8.00", "paid-then-cancelled"))
        .await
        .unwrap()
        .transaction_no
        .unwrap();
    world.gateway.pay(&number).unwrap();
    world.receiver.wait_for(1, PATIENCE).await.unwrap();
    let cancelled = world
        .client
        .cancel(&CancelRequest::new().transaction_no(number.as_str()))
        .await
        .unwrap();
    assert_eq!(cancelled.status, Some(TransactionStatus::Closed));
    let payment = world.gateway.payment(&number).unwrap();
    assert_eq!(payment.refunded().unwrap().as_str(), "8.00");
    assert_eq!(payment.refundable().unwrap().as_str(), "0.00");
    let notes = world.receiver.wait_for(2, PATIENCE).await.unwrap();
    assert_eq!(notes[0].status, Some(TransactionStatus::Success));
    assert_eq!(notes[1].status, Some(TransactionStatus::Closed));
    assert_eq!(notes[1].transaction_no.as_deref(), Some(number.as_str()));
}

#[tokio::test]
async fn an_unpaid_payment_closes_on_its_own_and_notifies() {
    // A payment minute of 20 ms: the two-minute timeout below elapses in 40 ms.
    let world =
        World::start_with(MockGateway::builder().payment_minute(Duration::from_millis(20))).await;
    let number = world
        .client
        .secure_pay(&world.payment("4.00", "left-unpaid").timeout(2))
        .await
        .unwrap()
        .transaction_no
        .unwrap();
    let notes = world.receiver.wait_for(1, PATIENCE).await.unwrap();
    assert_eq!(notes[0].status, Some(TransactionStatus::Closed));
    assert_eq!(notes[0].transaction_no.as_deref(), Some(number.as_str()));
    assert_eq!(
        world.gateway.payment(&number).unwrap().status,
        TransactionStatus::Closed
    );
    let err = world.gateway.pay(&number).unwrap_err();
    assert!(err.to_string().contains("closed"), "{err}");

    // One paid before its deadline (a full second here, so a loaded machine pays in time) stays
    // paid, and is notified once, as paid.
    let paid = world
        .client
        .secure_pay(&world.payment("5.00", "paid-in-time").timeout(50))
        .await
        .unwrap()
        .transaction_no
        .unwrap();
    world.gateway.pay(&paid).unwrap();
    let notes = world.receiver.wait_for(2, PATIENCE).await.unwrap();
    assert_eq!(notes[1].status, Some(TransactionStatus::Success));
    // A third payment, due after the paid one's deadline, closes on its own: by then the closer
    // has passed that deadline, and must have left the paid payment alone.
    let third = world
        .client
        .secure_pay(&world.payment("6.00", "after").timeout(60))
        .await
        .unwrap()
        .transaction_no
        .unwrap();
    let notes = world.receiver.wait_for(3, PATIENCE).await.unwrap();
    assert_eq!(notes[2].transaction_no.as_deref(), Some(third.as_str()));
    assert_eq!(notes[2].status, Some(TransactionStatus::Closed));
    assert_eq!(
        world.gateway.payment(&paid).unwrap().status,
        TransactionStatus::Success
    );
    let about_paid: Vec<_> = world
        .gateway
        .ipn()
        .attempts()
        .into_iter()
        .filter(|a| a.transaction_no == paid)
        .map(|a| a.status)
        .collect();
    assert_eq!(
        about_paid,
        [TransactionStatus::Success],
        "no closing IPN for a paid payment"
    );
}

#[tokio::test]
async fn in_store_qr_code() {
    let world = World::start().await;
    let request = CreateTransQrcodeRequest::new(Amount::parse("8.88").unwrap(), Currency::Usd)
        .settle_currency(SettleCurrency::Usd)
        .vendor(Vendor::WechatPay)
        .reference("pos-qr-1")
        .need_qrcode(true)
        .ipn_url(world.receiver.url());
    let qr = world.client.create_trans_qrcode(&request).await.unwrap();
    let number = qr.transaction_no.unwrap();
    assert!(qr.qrcode_url.is_some() && qr.deep_link.is_some());
    world.gateway.pay(&number).unwrap();
    world.receiver.wait_for(1, PATIENCE).await.unwrap();
    let found = world
        .client
        .tran_query(&TranQueryRequest::new().transaction_no(number))
        .await
        .unwrap();
    assert_eq!(found.status, Some(TransactionStatus::Success));

    // Customer-presented code: add, then pay with the scanned barcode.
    let add = InstoreAddRequest::new(Amount::parse("2.00").unwrap())
        .currency(Currency::Usd)
        .settle_currency(SettleCurrency::Usd)
        .reference("pos-bar-1");
    let added = world.client.instore_add(&add).await.unwrap();
    assert_eq!(added.transaction_status, Some(TransactionStatus::Init));
    let pay = InstorePayRequest::new("286498530672949108")
        .vendor(Vendor::Alipay)
        .reference("pos-bar-1");
    let paid = world.client.instore_pay(&pay).await.unwrap();
    assert_eq!(paid.transaction_status, Some(TransactionStatus::Success));
}

#[tokio::test]
async fn auto_debit_agreement() {
    let world = World::start().await;
    let consult = AutoDebitConsultRequest::new(
        Vendor::Alipay,
        Terminal::Online,
        "https://merchant.example.com/agreed",
        "agreement-1",
    )
    .auto_ipn_url(world.receiver.url());
    let agreement = world.client.auto_debit_consult(&consult).await.unwrap();
    let number = agreement.auto_debit_no.unwrap();
    let pay = AutoDebitPayRequest::new(
        number.clone(),
        Amount::parse("100").unwrap(),
        Currency::Usd,
        SettleCurrency::Usd,
        "debit-1",
    )
    .ipn_url(world.receiver.url());
    let err = world.client.auto_debit_pay(&pay).await.unwrap_err();
    assert_eq!(
        err.ret_code(),
        Some(&RetCode::StatusError),
        "not authorized yet"
    );

    // The shopper approves on the wallet's page, which redirects back to the merchant.
    let approved = browser(http::Method::GET, &agreement.auth_url.unwrap()).await;
    assert_eq!(
        approved.headers()["location"],
        "https://merchant.example.com/agreed"
    );
    let token = world
        .client
        .auto_debit_apply_token(&AutoDebitApplyTokenRequest::new(
            number.clone(),
            GrantType::AuthorizationCode,
        ))
        .await
        .unwrap();
    assert_eq!(token.auto_reference.as_deref(), Some("agreement-1"));
    let charged = world.client.auto_debit_pay(&pay).await.unwrap();
    assert_eq!(charged.status, Some(TransactionStatus::Success));
    world.receiver.wait_for(1, PATIENCE).await.unwrap();

    world
        .client
        .auto_debit_revoke(&AutoDebitRevokeRequest::new(number.clone()))
        .await
        .unwrap();
    let again = AutoDebitPayRequest::new(
        number,
        Amount::parse("1").unwrap(),
        Currency::Usd,
        SettleCurrency::Usd,
        "debit-2",
    )
    .ipn_url(world.receiver.url());
    assert!(world.client.auto_debit_pay(&again).await.is_err());
}

#[tokio::test]
async fn customers_create_retrieve_update() {
    let world = World::start().await;
    let create = CustomerCreateRequest::new("Ada", "Lovelace", "ada@example.com", "GB")
        .timestamp(UtcTimestamp::parse("2024-01-01T00:00:00Z").unwrap())
        .customer_code("cust-1");
    let created = world.client.customer_create(&create).await.unwrap();
    let number = created.customer_no.unwrap();
    assert_eq!(number.len(), 22);
    let fetched = world
        .client
        .customer_retrieve(
            &CustomerRetrieveRequest::new(UtcTimestamp::parse("2024-01-01T00:00:01Z").unwrap())
                .customer_code("cust-1"),
        )
        .await
        .unwrap();
    assert_eq!(fetched.customer_no.as_deref(), Some(number.as_str()));
    assert_eq!(fetched.email.as_deref(), Some("ada@example.com"));
    let update = CustomerUpdateRequest::new()
        .customer_no(number.clone())
        .timestamp(UtcTimestamp::parse("2024-01-01T00:00:02Z").unwrap())
        .email("ada@analytical.example");
    let updated = world.client.customer_update(&update).await.unwrap();
    assert_eq!(updated.email.as_deref(), Some("ada@analytical.example"));
    let missing = world
        .client
        .customer_retrieve(
            &CustomerRetrieveRequest::new(UtcTimestamp::parse("2024-01-01T00:00:03Z").unwrap())
                .customer_no("0"),
        )
        .await
        .unwrap_err();
    assert_eq!(missing.ret_code(), Some(&RetCode::NoRecord));
}

#[tokio::test]
async fn payouts() {
    let world = World::start().await;
    let customer = world
        .client
        .customer_create(
            &CustomerCreateRequest::new("Grace", "Hopper", "grace@example.com", "US")
                .timestamp(UtcTimestamp::parse("2024-01-01T00:00:00Z").unwrap()),
        )
        .await
        .unwrap();
    let customer_no = customer.customer_no.unwrap();
    let account = PayeeAccountCreateRequest::new(
        customer_no.clone(),
        PayeeAccountType::Paypal,
        "tag-1",
        "203.0.113.9",
    )
    .timestamp(UtcTimestamp::parse("2024-01-01T00:00:00Z").unwrap());
    let account = world.client.payee_account_create(&account).await.unwrap();
    let token = account.account_token.unwrap();
    let before = world
        .client
        .payout_balance(&PayoutBalanceRequest::new(
            UtcTimestamp::parse("2024-01-01T00:00:00Z").unwrap(),
            Currency::Usd,
        ))
        .await
        .unwrap();
    assert_eq!(
        before.balance[0].amount,
        Some(Amount::parse("10000.00").unwrap())
    );
    let pay = PayoutPayRequest::new(Amount::parse("25.00").unwrap(), Currency::Usd)
        .customer_no(customer_no.clone())
        .account_token(token.clone())
        .invoice_id("invoice-1");
    let paid = world.client.payout_pay(&pay).await.unwrap();
    assert_eq!(paid.status, Some(PayoutStatus::Success));
    assert!(
        world.client.payout_pay(&pay).await.is_err(),
        "an invoiceId pays once"
    );
    let inquiry = world
        .client
        .payout_inquiry(&PayoutInquiryRequest::new("invoice-1"))
        .await
        .unwrap();
    assert_eq!(inquiry.transaction_no, paid.transaction_no);
    let after = world
        .client
        .payout_balance(&PayoutBalanceRequest::new(
            UtcTimestamp::parse("2024-01-01T00:00:00Z").unwrap(),
            Currency::Usd,
        ))
        .await
        .unwrap();
    assert_eq!(
        after.balance[0].amount,
        Some(Amount::parse("9975.00").unwrap())
    );
}

#[tokio::test]
async fn ipn_receiver_failing_twice_then_succeeding() {
    let world = World::start().await;
    world.receiver.fail_next(2);
    let payment = world
        .client
        .secure_pay(&world.payment("4.00", "retry-ipn"))
        .await
        .unwrap();
    let number = payment.transaction_no.unwrap();
    world.gateway.pay(&number).unwrap();
    let attempts = world
        .gateway
        .ipn()
        .wait(Until::Acknowledged(&number), PATIENCE)
        .await
        .unwrap();
    assert_eq!(attempts.len(), 3);
    assert_eq!(
        attempts.iter().map(|a| a.acknowledged).collect::<Vec<_>>(),
        [false, false, true]
    );
    assert_eq!(attempts[0].http_status, Some(503));
    assert_eq!(
        world.receiver.verified().len(),
        1,
        "acknowledged exactly once"
    );
}

#[tokio::test]
async fn ipn_gives_up_after_eight_attempts() {
    let gateway = MockGateway::builder()
        .ipn_schedule(IpnSchedule::fast(Duration::from_millis(1)))
        .start()
        .await
        .unwrap();
    let receiver = pockyt::ipn::testing::IpnReceiver::start(pockyt::SigningKey::from_token(
        Merchant::DEMO_TOKEN,
    ))
    .await
    .unwrap();
    receiver.fail_next(100);
    let client = pockyt::Client::new(pockyt_e2e::config(&gateway)).unwrap();
    let request = SecurePayRequest::new(
        Amount::parse("1.00").unwrap(),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        "never-acked",
        Terminal::Online,
    )
    .ipn_url(receiver.url())
    .callback_url("https://merchant.example.com/back");
    let number = client
        .secure_pay(&request)
        .await
        .unwrap()
        .transaction_no
        .unwrap();
    gateway.pay(&number).unwrap();
    let attempts = gateway
        .ipn()
        .wait(Until::Attempts(&number, 8), PATIENCE)
        .await
        .unwrap();
    assert_eq!(attempts.len(), 8);
    assert!(attempts.iter().all(|a| !a.acknowledged));
}

#[tokio::test]
async fn a_wrong_token_is_refused() {
    let world = World::start().await;
    let config = pockyt::Config::new("200043", "300014", "not-the-token")
        .unwrap()
        .with_base_url(world.gateway.base_url());
    let client = pockyt::Client::new(config).unwrap();
    let err = client
        .secure_pay(&world.payment("1.00", "bad-token"))
        .await
        .unwrap_err();
    assert_eq!(err.ret_code(), Some(&RetCode::AccessDenied), "{err}");
    assert!(matches!(err, Error::Api { .. }));
    let other = pockyt::Config::new("999999", "300014", Merchant::DEMO_TOKEN)
        .unwrap()
        .with_base_url(world.gateway.base_url());
    let err = pockyt::Client::new(other)
        .unwrap()
        .tran_query(&TranQueryRequest::new().reference("x"))
        .await
        .unwrap_err();
    assert_eq!(err.ret_code(), Some(&RetCode::AccessDenied));
    assert!(world.gateway.payments().is_empty());
}

#[tokio::test]
async fn several_merchants_are_kept_apart() {
    let gateway = MockGateway::builder()
        .merchant(Merchant::new("1001", "2001", "token-a"))
        .merchant(Merchant::new("1002", "2002", "token-b"))
        .start()
        .await
        .unwrap();
    let client = |m: &str, s: &str, t: &str| {
        pockyt::Client::new(
            pockyt::Config::new(m, s, t)
                .unwrap()
                .with_base_url(gateway.base_url()),
        )
        .unwrap()
    };
    let (a, b) = (
        client("1001", "2001", "token-a"),
        client("1002", "2002", "token-b"),
    );
    let request = SecurePayRequest::new(
        Amount::parse("1.00").unwrap(),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        "shared-ref",
        Terminal::Online,
    )
    .ipn_url("https://a.example.com/ipn")
    .callback_url("https://a.example.com/back");
    a.secure_pay(&request).await.unwrap();
    b.secure_pay(&request).await.unwrap();
    assert!(b.find_by_reference("shared-ref").await.unwrap().is_some());
    assert_eq!(gateway.payments().len(), 2);
}

#[tokio::test]
async fn trans_list_keeps_to_its_date_range() {
    let world = World::start().await;
    let number = world
        .client
        .secure_pay(&world.payment("3.00", "listed"))
        .await
        .unwrap()
        .transaction_no
        .unwrap();
    let created = world.gateway.payment(&number).unwrap().created;
    let day = GatewayDate::parse(&created[..8]).unwrap();

    let listed = world
        .client
        .trans_list(&TransListRequest::new(day, day))
        .await
        .unwrap();
    assert_eq!(listed.size, Some(1));
    let transaction = &listed.transactions[0];
    assert_eq!(transaction.transaction_no.as_deref(), Some(number.as_str()));
    let expected_time = format!(
        "{}-{}-{} {}:{}:{}",
        &created[..4],
        &created[4..6],
        &created[6..8],
        &created[8..10],
        &created[10..12],
        &created[12..14]
    );
    let create_time = transaction.create_time.as_ref();
    assert_eq!(
        create_time.map(GatewayTime::as_str),
        Some(expected_time.as_str())
    );
    // The record's day, read back as the gateway's, is the day the list was asked for.
    assert_eq!(create_time.map(GatewayTime::gateway_day), Some(Ok(day)));

    let long_ago = world
        .client
        .trans_list(&TransListRequest::new(
            GatewayDate::parse("20000101").unwrap(),
            GatewayDate::parse("20001231").unwrap(),
        ))
        .await
        .unwrap();
    assert_eq!(long_ago.size, Some(0));
    assert!(long_ago.transactions.is_empty());

    let backwards = world
        .client
        .trans_list(&TransListRequest::new(
            GatewayDate::parse("20000102").unwrap(),
            GatewayDate::parse("20000101").unwrap(),
        ))
        .await
        .unwrap_err();
    assert_eq!(backwards.ret_code(), Some(&RetCode::InconsistentParameters));
}
