//! The simulator answers with every response field the source matrix lists for a call (what any
//! official SDK, plugin or demo reads, or a docs page shows: `response_fields.rs`, generated).
//! A scenario makes a successful call of each such endpoint through a transport that keeps every
//! raw answer; the fields are read from those answers, not from the typed responses, so a field the
//! simulator invents or drops shows as it is.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use pockyt::Client;
use pockyt::types::*;
use pockyt_e2e::{World, config};
use pockyt_transport::{BoxFuture, HyperTransport, Transport, TransportError};
use serde_json::Value;

use crate::response_fields::RESPONSE_FIELDS;

/// Fields a source reads that only some answers carry, and why no call of the scenario shows them.
pub(crate) const CONDITIONAL: &[(&str, &str, &str)] = &[
    (
        "/order/v4/capture",
        "authenticationUrl",
        "the same page as authUrl under the 3-D Secure guide's name; the simulator answers authUrl",
    ),
    (
        "/v3/payouts/inquiry",
        "receiver",
        "only Java's older receiver form has one; the simulator pays payees' accounts",
    ),
    (
        "/v2/customers/account/retrieve",
        "amountTag",
        "docs.yuansfer's misspelling of accountTag, which the simulator answers",
    ),
];

/// Every answer the client received, by path.
#[derive(Clone)]
struct Recorder {
    inner: Arc<HyperTransport>,
    answers: Arc<Mutex<BTreeMap<String, Vec<Value>>>>,
}

impl Transport for Recorder {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> BoxFuture<'_, Result<http::Response<Bytes>, TransportError>> {
        let path = request.uri().path().to_owned();
        Box::pin(async move {
            let response = self.inner.send(request).await?;
            if let Ok(json) = serde_json::from_slice::<Value>(response.body())
                && let Ok(mut answers) = self.answers.lock()
            {
                answers.entry(path).or_default().push(json);
            }
            Ok(response)
        })
    }
}

impl Recorder {
    /// The keys of every successful answer for `path`: the payload's, wherever it sits.
    fn fields(&self, path: &str) -> BTreeSet<String> {
        let answers = self.answers.lock().map(|a| a.clone()).unwrap_or_default();
        let mut keys = BTreeSet::new();
        for answer in answers.get(path).into_iter().flatten() {
            if answer["ret_code"] == "000100" {
                keys.extend(payload_keys(answer));
            }
        }
        keys
    }
}

/// The keys of an answer's payload, wherever it sits (under `result` or another key, or the
/// envelope's own for top-level payloads).
pub(crate) fn payload_keys(answer: &Value) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for (key, value) in answer.as_object().into_iter().flatten() {
        match value {
            Value::Object(payload) => keys.extend(payload.keys().cloned()),
            _ if key != "ret_code" && key != "ret_msg" => {
                keys.insert(key.clone());
            }
            _ => {}
        }
    }
    keys
}

fn usd(text: &str) -> Amount {
    Amount::parse(text).expect("an amount")
}

fn now() -> UtcTimestamp {
    UtcTimestamp::parse("2024-01-01T00:00:00Z").unwrap()
}

/// One successful call of every endpoint the matrix lists answers for.
async fn scenario(world: &World, client: &Client) {
    let ipn = world.receiver.url();
    // Hosted checkout, paid, refunded in part, queried, and a second one cancelled.
    let paid = world.paid_through(client, "30.00", "answers-1").await;
    client
        .refund(
            &RefundRequest::new(usd("1.00"), Currency::Usd, SettleCurrency::Usd)
                .transaction_no(paid.as_str()),
        )
        .await
        .unwrap();
    client
        .tran_query(&TranQueryRequest::new().transaction_no(paid.as_str()))
        .await
        .unwrap();
    let open = client
        .secure_pay(&world.payment("2.00", "answers-2"))
        .await
        .unwrap();
    client
        .cancel(&CancelRequest::new().transaction_no(open.transaction_no.unwrap()))
        .await
        .unwrap();
    // A card through the drop-in, completed by process.
    let yip = SecurePayRequest::new(
        usd("3.00"),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::CreditCard,
        "answers-yip",
        Terminal::Yip,
    )
    .ipn_url(ipn.clone());
    let opened = client.secure_pay(&yip).await.unwrap();
    client
        .credit_pay_process(
            &CreditPayProcessRequest::new(
                opened.transaction_no.unwrap(),
                PaymentMethod::CreditCard,
            )
            .payment_method_nonce("nonce"),
        )
        .await
        .unwrap();
    // A v4 card with 3-D Secure, passed, then processed.
    let capture = OrderCaptureV4Request::new(
        usd("4.00"),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::CreditCard,
        "answers-capture",
        Terminal::Online,
        "4111111111111111",
        "2030",
        "12",
    )
    .customer_no("1000000000000000000042")
    .ipn_url(ipn.clone());
    let captured = client.order_capture_v4(&capture).await.unwrap();
    let number = captured.transaction_no.unwrap();
    world.gateway.pay(&number).unwrap();
    client
        .order_process_v4(&OrderProcessV4Request::new(number))
        .await
        .unwrap();
    // In store: an order, paid by barcode; another by prepay; a QR code.
    let added = client
        .instore_add(
            &InstoreAddRequest::new(usd("5.00"))
                .currency(Currency::Usd)
                .settle_currency(SettleCurrency::Usd)
                .reference("answers-pos-1"),
        )
        .await
        .unwrap();
    client
        .instore_pay(
            &InstorePayRequest::new("286498530672949108")
                .vendor(Vendor::Alipay)
                .transaction_no(added.transaction_no.unwrap()),
        )
        .await
        .unwrap();
    let added = client
        .instore_add(
            &InstoreAddRequest::new(usd("5.00"))
                .currency(Currency::Usd)
                .settle_currency(SettleCurrency::Usd)
                .reference("answers-pos-2"),
        )
        .await
        .unwrap();
    client
        .instore_prepay(
            &InstorePrepayRequest::new("286498530672949108")
                .vendor(Vendor::Alipay)
                .transaction_no(added.transaction_no.unwrap()),
        )
        .await
        .unwrap();
    client
        .create_trans_qrcode(
            &CreateTransQrcodeRequest::new(usd("6.00"), Currency::Usd)
                .settle_currency(SettleCurrency::Usd)
                .reference("answers-qr")
                .vendor(Vendor::Alipay)
                .ipn_url(ipn.clone())
                .need_qrcode(true),
        )
        .await
        .unwrap();
    // Wallet SDK payments: the WeChat app, the mini-program and Alipay.
    for (vendor, terminal, reference) in [
        (Vendor::WechatPay, Terminal::App, "answers-wx-app"),
        (Vendor::WechatPay, Terminal::MiniProgram, "answers-wx-mini"),
        (Vendor::Alipay, Terminal::App, "answers-alipay-app"),
        (Vendor::CashAppPay, Terminal::App, "answers-cash-app"),
    ] {
        let prepay = PrepayRequest::new(
            usd("7.00"),
            Currency::Usd,
            SettleCurrency::Usd,
            vendor,
            reference,
            terminal,
        )
        .ipn_url(ipn.clone())
        .openid("openid-1");
        client.prepay(&prepay).await.unwrap();
    }
    // A wallet agreement: consult, authorise, apply for the token, pay, revoke.
    let consult = AutoDebitConsultRequest::new(
        Vendor::Alipay,
        Terminal::Online,
        "https://merchant.example.com/agreed",
        "answers-agreement",
    )
    .auto_ipn_url(ipn.clone());
    let agreement = client.auto_debit_consult(&consult).await.unwrap();
    let auto_debit_no = agreement.auto_debit_no.unwrap();
    world.gateway.authorize_auto_debit(&auto_debit_no).unwrap();
    client
        .auto_debit_apply_token(&AutoDebitApplyTokenRequest::new(
            auto_debit_no.as_str(),
            GrantType::AuthorizationCode,
        ))
        .await
        .unwrap();
    client
        .auto_debit_pay(
            &AutoDebitPayRequest::new(
                auto_debit_no.as_str(),
                usd("8.00"),
                Currency::Usd,
                SettleCurrency::Usd,
                "answers-auto-pay",
            )
            .ipn_url(ipn.clone()),
        )
        .await
        .unwrap();
    client
        .auto_debit_revoke(&AutoDebitRevokeRequest::new(auto_debit_no))
        .await
        .unwrap();
    // A customer and a payee with a PayPal account and a bank account, paid out to.
    let customer = client
        .customer_create(
            &CustomerCreateRequest::new("Ada", "Lovelace", "ada@example.com", "GB")
                .timestamp(now())
                .customer_code("answers-ada")
                .city("London")
                .country("United Kingdom")
                .date_of_birth("1815-12-10")
                .lang("en")
                .phone("+44 20 7946 0000")
                .state("London")
                .street("12 St James's Square")
                .street2("Flat 1")
                .zip("SW1Y 4JH"),
        )
        .await
        .unwrap();
    let customer_no = customer.customer_no.unwrap();
    client
        .customer_retrieve(&CustomerRetrieveRequest::new(now()).customer_no(customer_no.as_str()))
        .await
        .unwrap();
    let account = client
        .payee_account_create(
            &PayeeAccountCreateRequest::new(
                customer_no.as_str(),
                PayeeAccountType::Paypal,
                "answers-tag",
                "203.0.113.9",
            )
            .timestamp(now())
            .account_country("US")
            .account_currency(Currency::Usd)
            .profile_type(ProfileType::Individual),
        )
        .await
        .unwrap();
    let token = account.account_token.unwrap();
    client
        .payee_account_retrieve(
            &PayeeAccountRetrieveRequest::new(PayeeAccountType::Paypal, customer_no.as_str())
                .account_token(token.as_str()),
        )
        .await
        .unwrap();
    client
        .payee_bank_account_create(
            &PayeeBankAccountCreateRequest::new(
                now(),
                customer_no.as_str(),
                "US",
                Currency::Usd,
                PayeeAccountType::BankAccount,
                BankAccountPurpose::Checking,
            )
            .bank_account_id("000123456789")
            .branch_id("021000021"),
        )
        .await
        .unwrap();
    client
        .payout_pay(
            &PayoutPayRequest::new(usd("5.00"), Currency::Usd)
                .customer_no(customer_no.as_str())
                .account_token(token.as_str())
                .invoice_id("answers-invoice"),
        )
        .await
        .unwrap();
    client
        .payout_inquiry(&PayoutInquiryRequest::new("answers-invoice"))
        .await
        .unwrap();
    client
        .payout_balance(&PayoutBalanceRequest::new(now(), Currency::Usd))
        .await
        .unwrap();
}

#[tokio::test]
async fn the_simulator_answers_every_field_the_sources_read() {
    let world = World::start().await;
    let recorder = Recorder {
        inner: Arc::new(HyperTransport::new().expect("a transport")),
        answers: Arc::default(),
    };
    let client = Client::builder(config(&world.gateway))
        .transport(recorder.clone())
        .build()
        .expect("a client");
    scenario(&world, &client).await;
    let mut missing = Vec::new();
    for (path, fields) in RESPONSE_FIELDS {
        let answered = recorder.fields(path);
        if answered.is_empty() {
            missing.push(format!("{path}: the scenario made no successful call"));
            continue;
        }
        for field in *fields {
            let conditional = CONDITIONAL.iter().any(|(p, f, _)| p == path && f == field);
            if !conditional && !answered.contains(*field) {
                missing.push(format!("{path}: `{field}` missing (answered {answered:?})"));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
