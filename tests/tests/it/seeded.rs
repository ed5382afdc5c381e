//! Replays that reach the handler. Each recorded request (every official SDK's, see
//! `conformance.rs`) is sent once more to a fresh simulator seeded with the records it names: a
//! paid payment, open in-store orders, a drop-in card, a capture, a customer with a payee account,
//! an authorised agreement, a pre-authorization, a mixed QR code, a payout and a vault. The ids the
//! request carries are pointed at those records (everything else as recorded; re-signed, and sent
//! as a form if it was one). Each must succeed, unless listed below with its reason; and the
//! successful answers of each call, together, must carry every response field the source matrix
//! lists for it (`response_fields.rs`, generated).

use std::collections::{BTreeMap, BTreeSet};

use pockyt::types::*;
use pockyt::{Client, Config, RetryPolicy};
use pockyt_mock::{Merchant, MockGateway};
use pockyt_transport::{HyperTransport, Transport};
use serde_json::Value;

use crate::answers::{CONDITIONAL, payload_keys};
use crate::conformance::{RECORDED, REFUSED, Recorded, TOKEN, documented_path, recordings};
use crate::response_fields::RESPONSE_FIELDS;

/// Fields only a wallet no recorded request uses carries (the mobile demos' WeChat app and Cash
/// App payments); `answers.rs` makes those calls and checks them.
const NOT_RECORDED: &[(&str, &[&str])] = &[(
    "/micropay/v3/prepay",
    &[
        "appid",
        "clientId",
        "creditType",
        "noncestr",
        "partnerid",
        "prepayid",
        "scopeId",
        "sign",
        "timestamp",
    ],
)];

/// Seeded replays that do not succeed, and why that is right.
const UNSUCCESSFUL: &[(&str, &str)] = &[(
    "java/payout_pay_full.json",
    "Java's older form pays a receiver, which the simulator does not simulate (000021)",
)];

/// The records a replay can name.
struct Seeds {
    paid: (String, String),
    add_for_pay: (String, String),
    add_for_code: String,
    drop_in: String,
    capture: String,
    customer: (String, String),
    account: (String, String),
    agreement: String,
    authorization: (String, String),
    mixed: (String, String),
    invoice: String,
    vault: String,
}

fn usd(text: &str) -> Amount {
    Amount::parse(text).expect("an amount")
}

fn now() -> UtcTimestamp {
    UtcTimestamp::parse("2024-01-01T00:00:00Z").unwrap()
}
const IPN: &str = "https://merchant.example.com/ipn";

async fn seed(gateway: &MockGateway, client: &Client) -> Seeds {
    let secure = |reference: &str, vendor: Vendor, terminal: Terminal| {
        SecurePayRequest::new(
            usd("100.00"),
            Currency::Usd,
            SettleCurrency::Usd,
            vendor,
            reference,
            terminal,
        )
    };
    let paid = client
        .secure_pay(&secure("seed-paid", Vendor::Alipay, Terminal::Online))
        .await
        .unwrap()
        .transaction_no
        .unwrap();
    gateway.pay(&paid).unwrap();
    let add = |reference: &'static str| {
        InstoreAddRequest::new(usd("12.50"))
            .currency(Currency::Usd)
            .settle_currency(SettleCurrency::Usd)
            .reference(reference)
    };
    let add_for_pay = client.instore_add(&add("seed-add-pay")).await.unwrap();
    let add_for_code = client.instore_add(&add("seed-add-code")).await.unwrap();
    let drop_in = client
        .secure_pay(
            &secure("seed-drop-in", Vendor::CreditCard, Terminal::Yip).credit_type(CreditType::Cit),
        )
        .await
        .unwrap()
        .transaction_no
        .unwrap();
    let vaulting = client
        .secure_pay(
            &secure("seed-vaulting", Vendor::CreditCard, Terminal::Yip)
                .credit_type(CreditType::Cit),
        )
        .await
        .unwrap()
        .transaction_no
        .unwrap();
    let vault = client
        .credit_pay_process(
            &CreditPayProcessRequest::new(vaulting, PaymentMethod::CreditCard)
                .payment_method_nonce("nonce"),
        )
        .await
        .unwrap()
        .vault_id
        .unwrap();
    let capture = client
        .order_capture_v4(&OrderCaptureV4Request::new(
            usd("20.00"),
            Currency::Usd,
            SettleCurrency::Usd,
            Vendor::CreditCard,
            "seed-capture",
            Terminal::Online,
            "4111111111111111",
            "2030",
            "12",
        ))
        .await
        .unwrap()
        .transaction_no
        .unwrap();
    let customer = client
        .customer_create(
            &CustomerCreateRequest::new("Ada", "Lovelace", "ada@example.com", "GB")
                .timestamp(now())
                .customer_code("seed-customer")
                .profile_type(ProfileType::Individual)
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
        .unwrap()
        .customer_no
        .unwrap();
    let token = client
        .payee_account_create(
            &PayeeAccountCreateRequest::new(
                customer.as_str(),
                PayeeAccountType::Paypal,
                "seed-tag",
                "203.0.113.9",
            )
            .timestamp(now())
            .account_country("US")
            .account_currency(Currency::Usd),
        )
        .await
        .unwrap()
        .account_token
        .unwrap();
    let agreement = client
        .auto_debit_consult(
            &AutoDebitConsultRequest::new(
                Vendor::Alipay,
                Terminal::Online,
                "https://merchant.example.com/agreed",
                "seed-agreement",
            )
            .auto_ipn_url(IPN),
        )
        .await
        .unwrap()
        .auto_debit_no
        .unwrap();
    gateway.authorize_auto_debit(&agreement).unwrap();
    client
        .voucher_create(&VoucherCreateRequest::new(
            "seed-auth-info",
            "seed-auth-detail",
            Vendor::Alipay,
            usd("50.00"),
        ))
        .await
        .unwrap();
    let mixed = client
        .generate_mixed_qrcode(
            &MixedQrcodeRequest::new(
                usd("9.90"),
                Currency::Usd,
                SettleCurrency::Usd,
                "seed-mixed",
            )
            .ipn_url(IPN)
            .need_qrcode(true),
        )
        .await
        .unwrap()
        .record_no
        .unwrap();
    client
        .payout_pay(
            &PayoutPayRequest::new(usd("5.00"), Currency::Usd)
                .customer_no(customer.as_str())
                .account_token(token.as_str())
                .invoice_id("seed-invoice"),
        )
        .await
        .unwrap();
    Seeds {
        paid: (paid, "seed-paid".into()),
        add_for_pay: (add_for_pay.transaction_no.unwrap(), "seed-add-pay".into()),
        add_for_code: add_for_code.transaction_no.unwrap(),
        drop_in,
        capture,
        customer: (customer, "seed-customer".into()),
        account: (token, "seed-tag".into()),
        agreement,
        authorization: ("seed-auth-info".into(), "seed-auth-detail".into()),
        mixed: (mixed, "seed-mixed".into()),
        invoice: "seed-invoice".into(),
        vault,
    }
}

/// The recording with the ids it names pointed at the seeds, re-signed.
fn pointed(recorded: &Recorded, seeds: &Seeds) -> Recorded {
    let mut pointed = recorded.clone();
    let params = &mut pointed.params;
    let mut set = |name: &str, value: &str| {
        if params.get(name).is_some_and(|v| !v.is_empty()) {
            params.insert(name.to_owned(), value.to_owned());
        }
    };
    match recorded.path.as_str() {
        RefundRequest::PATH
        | TranQueryRequest::PATH
        | CancelRequest::PATH
        | DataReverseRequest::PATH => {
            set("transactionNo", &seeds.paid.0);
            set("reference", &seeds.paid.1);
        }
        InstorePayRequest::PATH | InstorePrepayRequest::PATH | InstoreReverseRequest::PATH => {
            set("transactionNo", &seeds.add_for_pay.0);
            set("reference", &seeds.add_for_pay.1);
        }
        CreateTransQrcodeRequest::PATH | CashierAddRequest::PATH => {
            set("transactionNo", &seeds.add_for_code);
        }
        CreditPayProcessRequest::PATH => set("transactionNo", &seeds.drop_in),
        OrderProcessV4Request::PATH => set("transactionNo", &seeds.capture),
        AutoDebitApplyTokenRequest::PATH
        | AutoDebitPayRequest::PATH
        | AutoDebitRevokeRequest::PATH => set("autoDebitNo", &seeds.agreement),
        // A freeze makes its own ids; the others name the seeded pre-authorization.
        AuthUnfreezeRequest::PATH | AuthCaptureRequest::PATH | AuthDetailQueryRequest::PATH => {
            set("outAuthInfoNo", &seeds.authorization.0);
            set("outAuthDetailNo", &seeds.authorization.1);
        }
        MixedQueryRequest::PATH | MixedCancelRequest::PATH => {
            set("recordNo", &seeds.mixed.0);
            set("reference", &seeds.mixed.1);
        }
        CustomerRetrieveRequest::PATH
        | CustomerUpdateRequest::PATH
        | PayeeRetrieveRequest::PATH
        | PayeeUpdateRequest::PATH
        | PayeeAccountCreateRequest::PATH
        | PayeeAccountRetrieveRequest::PATH
        | PayeeBankAccountCreateRequest::PATH
        | PayoutPayRequest::PATH => {
            set("customerNo", &seeds.customer.0);
            set("customerCode", &seeds.customer.1);
            set("accountToken", &seeds.account.0);
        }
        PayoutInquiryRequest::PATH => set("invoiceId", &seeds.invoice),
        SecurePayRequest::PATH | SecurePayV4Request::PATH => set("vaultId", &seeds.vault),
        _ => {}
    }
    let form = recorded.is_form();
    pointed.resigned(form)
}

/// The simulator's answer to `recorded`, seeded: the envelope.
async fn seeded_answer(recorded: &Recorded) -> Value {
    let gateway = MockGateway::builder()
        .merchant(Merchant::new("200043", "300014", TOKEN))
        .start()
        .await
        .unwrap();
    let config = Config::new("200043", "300014", TOKEN)
        .unwrap()
        .with_base_url(gateway.base_url())
        .with_retry(RetryPolicy::never());
    let client = Client::new(config).unwrap();
    let seeds = seed(&gateway, &client).await;
    let request = pointed(recorded, &seeds).http_request(&gateway.base_url());
    let transport = HyperTransport::new().unwrap();
    let response = transport.send(request).await.unwrap();
    gateway.shutdown().await;
    serde_json::from_slice(response.body()).unwrap_or(Value::Null)
}

#[tokio::test]
async fn every_sdks_requests_reach_the_handler_and_the_answers_carry_every_read_field() {
    let mut failures = Vec::new();
    let mut answered: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut unsuccessful = Vec::new();
    for dir in RECORDED.iter().chain(&["documented"]) {
        for mut recorded in recordings(dir) {
            if REFUSED.iter().any(|(file, ..)| *file == recorded.name) {
                continue; // refused on purpose, as conformance.rs checks
            }
            if let Some(path) = documented_path(&recorded) {
                recorded.path = path.to_owned();
            }
            let answer = seeded_answer(&recorded).await;
            if answer["ret_code"] == "000100" {
                answered
                    .entry(recorded.path.clone())
                    .or_default()
                    .extend(payload_keys(&answer));
            } else if UNSUCCESSFUL.iter().any(|(file, _)| *file == recorded.name) {
                unsuccessful.push(recorded.name.clone());
            } else {
                failures.push(format!(
                    "{} ({}): {} `{}`",
                    recorded.name, recorded.path, answer["ret_code"], answer["ret_msg"]
                ));
            }
        }
    }
    for (path, fields) in RESPONSE_FIELDS {
        let Some(keys) = answered.get(*path) else {
            failures.push(format!("{path}: no replay succeeded"));
            continue;
        };
        for field in *fields {
            let conditional = CONDITIONAL.iter().any(|(p, f, _)| p == path && f == field)
                || NOT_RECORDED
                    .iter()
                    .any(|(p, fields)| p == path && fields.contains(field));
            if !conditional && !keys.contains(*field) {
                failures.push(format!("{path}: `{field}` missing from every answer"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let expected: Vec<&str> = UNSUCCESSFUL.iter().map(|(file, _)| *file).collect();
    assert_eq!(
        unsuccessful, expected,
        "each listed replay still fails, for its reason"
    );
}
