//! What the audit of the description against the official SDKs and Pockyt's docs changed, end to
//! end against the simulator: requests an official SDK sends are accepted, the new endpoints work,
//! and every kind of notification arrives typed.

use pockyt::ipn::Webhook;
use pockyt::types::*;
use pockyt_e2e::{PATIENCE, World};

fn now() -> UtcTimestamp {
    UtcTimestamp::parse("2024-01-01T00:00:00Z").unwrap()
}

fn usd(amount: &str) -> Amount {
    Amount::parse(amount).expect("valid amount")
}

/// The `ret_code` of a raw call's envelope.
async fn raw_code(world: &World, path: &str, params: &[(&str, &str)]) -> String {
    let response = world.client.send_raw(path, params).await.expect("sent");
    let envelope: serde_json::Value = serde_json::from_slice(response.body()).expect("JSON");
    envelope["ret_code"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn callback_url_is_optional_for_every_terminal() {
    let world = World::start().await;
    // The official YIP/APP demos send no callbackUrl (audit M3).
    let yip = SecurePayRequest::new(
        usd("5.00"),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::CreditCard,
        "yip-1",
        Terminal::Yip,
    );
    let paid = world.client.secure_pay(&yip).await.unwrap();
    assert!(paid.client_token.is_some());

    let online = SecurePayRequest::new(
        usd("5.00"),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        "online-1",
        Terminal::Online,
    );
    // JAVA sends `ONLINE` without a callbackUrl, as SF's cartridge does (it shows the cashier in
    // a pop-up): neither the client nor the simulator refuses it.
    let opened = world.client.secure_pay(&online).await.unwrap();
    assert!(opened.cashier_url.is_some());
    let code = raw_code(
        &world,
        "/online/v3/secure-pay",
        &[
            ("amount", "5.00"),
            ("currency", "USD"),
            ("settleCurrency", "USD"),
            ("vendor", "alipay"),
            ("reference", "online-raw"),
            ("terminal", "WAP"),
        ],
    )
    .await;
    assert_eq!(code, RetCode::Success.as_str());
}

#[tokio::test]
async fn credit_type_is_sent_in_lower_case_and_v4_vaults_need_it() {
    let world = World::start().await;
    let request = world.payment("7.00", "cit-1").credit_type(CreditType::Cit);
    assert_eq!(request.wire_pairs().get("creditType"), Some("cit"));
    world.client.secure_pay(&request).await.unwrap();

    let saved = SecurePayV4Request::new(
        usd("7.00"),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::CreditCard,
        "vault-1",
        Terminal::Yip,
        world.receiver.url(),
    )
    .vault_id("vault-abc");
    let err = world.client.secure_pay_v4(&saved).await.unwrap_err();
    let text = pockyt::DisplayChain(&err).to_string();
    assert!(text.contains("`creditType`"), "{text}");
    // With both, the request's shape is right; this vault id was never issued, so the gateway
    // refuses it as an unknown record (tests/it/vaults.rs charges a real one).
    let saved = saved.credit_type(CreditType::Cit);
    let err = world.client.secure_pay_v4(&saved).await.unwrap_err();
    assert_eq!(err.ret_code(), Some(&RetCode::NoRecord), "{err}");
}

#[tokio::test]
async fn refund_without_a_refund_reference() {
    let world = World::start().await;
    let payment = world
        .client
        .secure_pay(&world.payment("10.00", "refund-noref"))
        .await
        .unwrap();
    let number = payment.transaction_no.unwrap();
    world.gateway.pay(&number).unwrap();
    let refund = RefundRequest::new(usd("4.00"), Currency::Usd, SettleCurrency::Usd)
        .transaction_no(number.clone());
    let refunded = world.client.refund(&refund).await.unwrap();
    assert_eq!(refunded.refund_amount, Some(usd("4.00")));
    assert_eq!(refunded.refund_reference, None);
    // A second one without a reference is another refund, not a duplicate.
    world.client.refund(&refund).await.unwrap();
    let found = world
        .client
        .tran_query(&TranQueryRequest::new().transaction_no(number))
        .await
        .unwrap();
    assert_eq!(found.refund_info.len(), 2);
}

#[tokio::test]
async fn customer_retrieve_with_both_ids_as_py_and_php_send() {
    let world = World::start().await;
    let created = world
        .client
        .customer_create(
            &CustomerCreateRequest::new("Ada", "Lovelace", "ada@example.com", "GB")
                .customer_code("both-1"),
        )
        .await
        .unwrap();
    let number = created.customer_no.unwrap();
    let both = CustomerRetrieveRequest::new(now())
        .customer_no(number.clone())
        .customer_code("both-1");
    let fetched = world.client.customer_retrieve(&both).await.unwrap();
    assert_eq!(fetched.customer_no, Some(number));
    let neither = world
        .client
        .customer_retrieve(&CustomerRetrieveRequest::new(now()))
        .await
        .unwrap_err();
    let text = pockyt::DisplayChain(&neither).to_string();
    assert!(text.contains("at least one of"), "{text}");
}

#[tokio::test]
async fn qr_code_defaults_and_an_existing_transaction() {
    let world = World::start().await;
    // No vendor: the client sends it (PY and JAVA do not require one), and the simulator refuses
    // it as docs.yuansfer's create-qrcode table does, with every field that table requires.
    let bare = CreateTransQrcodeRequest::new(usd("3.00"), Currency::Usd)
        .settle_currency(SettleCurrency::Usd)
        .reference("qr-bare");
    let err = world.client.create_trans_qrcode(&bare).await.unwrap_err();
    assert_eq!(err.ret_code(), Some(&RetCode::MissingParameter), "{err}");
    assert!(err.to_string().contains("vendor"), "{err}");
    let plain = CreateTransQrcodeRequest::new(usd("3.00"), Currency::Usd)
        .settle_currency(SettleCurrency::Usd)
        .reference("qr-plain")
        .vendor(Vendor::Alipay)
        .ipn_url(world.receiver.url())
        .need_qrcode(false);
    let qr = world.client.create_trans_qrcode(&plain).await.unwrap();
    assert!(qr.deep_link.is_some());
    assert_eq!(qr.qrcode_url, None);

    // A code for a transaction made by in-store add, which needs no reference (audit M6, M10).
    let added = world
        .client
        .instore_add(
            &InstoreAddRequest::new(usd("2.00"))
                .currency(Currency::Usd)
                .settle_currency(SettleCurrency::Usd),
        )
        .await
        .unwrap();
    let number = added.transaction_no.unwrap();
    let for_it = CreateTransQrcodeRequest::new(usd("2.00"), Currency::Usd)
        .settle_currency(SettleCurrency::Usd)
        .transaction_no(number.clone())
        .vendor(Vendor::Alipay)
        .ipn_url(world.receiver.url())
        .need_qrcode(true);
    let qr = world.client.create_trans_qrcode(&for_it).await.unwrap();
    assert_eq!(qr.transaction_no, Some(number));
    assert!(qr.qrcode_url.is_some());
}

#[tokio::test]
async fn mixed_qr_code_is_paid_through_the_cashier_and_notifies() {
    let world = World::start().await;
    let create = MixedQrcodeRequest::new(usd("9.90"), Currency::Usd, SettleCurrency::Usd, "mix-1")
        .ipn_url(world.receiver.url())
        .need_qrcode(true);
    let code = world.client.generate_mixed_qrcode(&create).await.unwrap();
    let record = code.record_no.unwrap();
    assert!(code.qrcode.is_some() && code.qrcode_url.is_some());
    assert_eq!(code.sale_amount, Some(usd("9.90")));

    let query = MixedQueryRequest::new().reference("mix-1");
    let pending = world.client.mixed_query(&query).await.unwrap();
    assert_eq!(pending.record_no.as_deref(), Some(record.as_str()));
    assert_eq!(pending.status, Some(TransactionStatus::Init));

    world.gateway.pay(&record).unwrap();
    let notified = world.receiver.wait_for(1, PATIENCE).await.unwrap();
    assert!(notified[0].is_success());
    let paid = world
        .client
        .mixed_query(&MixedQueryRequest::new().record_no(record.clone()))
        .await
        .unwrap();
    assert_eq!(paid.status, Some(TransactionStatus::Success));

    // A paid code cannot be cancelled; an unpaid one can.
    let err = world
        .client
        .mixed_cancel(&MixedCancelRequest::new().record_no(record))
        .await
        .unwrap_err();
    assert_eq!(err.ret_code(), Some(&RetCode::StatusError));
    let other = MixedQrcodeRequest::new(usd("1.00"), Currency::Usd, SettleCurrency::Usd, "mix-2");
    world.client.generate_mixed_qrcode(&other).await.unwrap();
    let cancelled = world
        .client
        .mixed_cancel(&MixedCancelRequest::new().reference("mix-2"))
        .await
        .unwrap();
    assert_eq!(cancelled.status, Some(TransactionStatus::Closed));
    let unknown = world
        .client
        .mixed_query(&MixedQueryRequest::new().record_no("0"))
        .await
        .unwrap_err();
    assert_eq!(unknown.ret_code(), Some(&RetCode::NoRecord));
}

#[tokio::test]
#[allow(deprecated)]
async fn data_reverse_is_the_older_name_of_cancel() {
    let world = World::start().await;
    let payment = world
        .client
        .secure_pay(&world.payment("6.00", "reverse-1"))
        .await
        .unwrap();
    let reversed = world
        .client
        .data_reverse(&DataReverseRequest::new().reference("reverse-1"))
        .await
        .unwrap();
    assert_eq!(reversed.status, Some(TransactionStatus::Closed));
    assert_eq!(reversed.transaction_no, payment.transaction_no);
}

#[tokio::test]
async fn payee_funding_accounts_add_list_pay_delete() {
    let world = World::start().await;
    let register = PayeeRegisterRequest::new(
        now(),
        "payee-1",
        ProfileType::Business,
        "Grace",
        "Hopper",
        "grace@example.com",
        "5550100",
        "1990-01-31",
        "en",
        "US",
        "CA",
        "Palo Alto",
        "1 Main St",
        "94301",
    );
    // The gateway answers payees under `customer` (audit M22); the client reads it there.
    let payee = world.client.payee_register(&register).await.unwrap();
    let customer_no = payee.customer_no.unwrap();
    assert_eq!(payee.payee_status, Some(PayeeStatus::Activated));
    let retrieved = world
        .client
        .payee_retrieve(&PayeeRetrieveRequest::new(customer_no.clone(), now()))
        .await
        .unwrap();
    assert_eq!(retrieved.profile_type, Some(ProfileType::Business));

    let add = PayeeBankAccountCreateRequest::new(
        now(),
        customer_no.clone(),
        "US",
        Currency::Usd,
        PayeeAccountType::BankAccount,
        BankAccountPurpose::Checking,
    )
    .bank_account_id("000123456789")
    .branch_id("021000021")
    .account_tag("payroll")
    .ipn_url(world.receiver.url());
    let added = world.client.payee_bank_account_create(&add).await.unwrap();
    let token = added.account_token.unwrap();
    assert_eq!(added.account_status, Some(FundingAccountStatus::Activated));

    // The account notice arrives typed, with the masked account number only.
    world.receiver.wait_for(1, PATIENCE).await.unwrap();
    match world.receiver.webhooks().first() {
        Some(Webhook::PayeeAccount(notice)) => {
            assert_eq!(notice.account_token.as_deref(), Some(token.as_str()));
            assert_eq!(notice.account_status, Some(FundingAccountStatus::Activated));
            assert_eq!(notice.payee_account.as_deref(), Some("****6789"));
        }
        other => panic!("expected a payee-account notice, got {other:?}"),
    }

    let list = PayeeFundingAccountsRequest::new(customer_no.clone()).timestamp(now());
    let accounts = world.client.payee_funding_accounts(&list).await.unwrap();
    assert_eq!(accounts.accounts.len(), 1);
    assert_eq!(accounts.accounts[0].account_tag.as_deref(), Some("payroll"));
    assert_eq!(
        accounts.user.and_then(|u| u.customer_no).as_deref(),
        Some(customer_no.as_str())
    );

    let pay = PayoutPayRequest::new(usd("12.00"), Currency::Usd)
        .customer_no(customer_no.clone())
        .account_token(token.clone())
        .invoice_id("bank-invoice-1")
        .processing_channel(ProcessingChannel::SameDayAch)
        .ipn_url(world.receiver.url());
    assert_eq!(
        pay.wire_pairs().get("processingChannel"),
        Some("SAME_DAY_ACH")
    );
    world.client.payout_pay(&pay).await.unwrap();
    world.receiver.wait_for(2, PATIENCE).await.unwrap();
    match world.receiver.webhooks().get(1) {
        Some(Webhook::Payout(notice)) => {
            assert_eq!(notice.invoice_id.as_deref(), Some("bank-invoice-1"));
            assert_eq!(notice.status, Some(PayoutStatus::Success));
            assert_eq!(notice.amount, Some(usd("12.00")));
        }
        other => panic!("expected a payout notice, got {other:?}"),
    }

    let delete = PayeeAccountDeleteRequest::new(now(), customer_no.clone()).account_token(token);
    world.client.payee_account_delete(&delete).await.unwrap();
    let accounts = world.client.payee_funding_accounts(&list).await.unwrap();
    assert!(accounts.accounts.is_empty());
    let again = world
        .client
        .payee_account_delete(&delete)
        .await
        .unwrap_err();
    assert_eq!(again.ret_code(), Some(&RetCode::NoRecord));
}

#[tokio::test]
async fn capture_webhook_has_completed_at_and_no_time() {
    let world = World::start().await;
    let capture = OrderCaptureV4Request::new(
        usd("15.00"),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::CreditCard,
        "capture-1",
        Terminal::Yip,
        "4111111111111111",
        "2030",
        "12",
    )
    .customer_no("1000000000000000000042")
    .ipn_url(world.receiver.url());
    let captured = world.client.order_capture_v4(&capture).await.unwrap();
    // With a customer, 3-D Secure is on: nothing is charged until the shopper passes it.
    assert!(captured.auth_url.is_some());
    assert_eq!(world.receiver.webhooks().len(), 0);
    world
        .gateway
        .pay(&captured.transaction_no.unwrap())
        .unwrap();
    world.receiver.wait_for(1, PATIENCE).await.unwrap();
    match world.receiver.webhooks().first() {
        Some(Webhook::Capture(notice)) => {
            assert!(notice.is_success());
            assert_eq!(notice.reference.as_deref(), Some("capture-1"));
            assert_eq!(
                notice.customer_no.as_deref(),
                Some("1000000000000000000042")
            );
            let at = notice
                .completed_at
                .as_ref()
                .map(GatewayTime::as_str)
                .unwrap_or_default();
            assert!(at.len() == 20 && at.ends_with('Z'), "{at}");
            assert!(!notice.extra.contains_key("time"));
        }
        other => panic!("expected a capture notice, got {other:?}"),
    }
}

#[tokio::test]
async fn auto_debit_authorisation_is_announced_at_auto_ipn_url() {
    let world = World::start().await;
    let consult = AutoDebitConsultRequest::new(
        Vendor::Gcash,
        Terminal::Online,
        "https://merchant.example.com/after",
        "agreement-1",
    )
    .auto_ipn_url(world.receiver.url())
    .note("plan A");
    let agreement = world.client.auto_debit_consult(&consult).await.unwrap();
    let number = agreement.auto_debit_no.unwrap();
    world.gateway.authorize_auto_debit(&number).unwrap();
    world.receiver.wait_for(1, PATIENCE).await.unwrap();
    match world.receiver.webhooks().first() {
        Some(Webhook::AutoDebit(notice)) => {
            assert_eq!(notice.auto_debit_no.as_deref(), Some(number.as_str()));
            assert_eq!(notice.auto_reference.as_deref(), Some("agreement-1"));
            assert_eq!(notice.vendor, Some(Vendor::Gcash));
            assert_eq!(notice.note.as_deref(), Some("plan A"));
        }
        other => panic!("expected an auto-debit notice, got {other:?}"),
    }
}
