//! Secret hygiene: the token, md5(token) and card numbers never appear in `Debug`, `Display`, error
//! messages or `tracing` output, whatever the path.

use pockyt::transport::MockTransport;
use pockyt::types::*;
use pockyt::{Client, Config, Error, SigningKey, TransportError};
use pockyt_mock::Merchant;

const TOKEN: &str = Merchant::DEMO_TOKEN;
const TOKEN_MD5: &str = "186abea4b8610d7ff03768255588597a";
const CARD: &str = "4111111111111111";
const CVV: &str = "737";

fn assert_clean(text: &str) {
    for secret in [TOKEN, TOKEN_MD5, CARD] {
        assert!(!text.contains(secret), "secret {secret} leaked in:\n{text}");
    }
    assert!(
        !text.contains(&format!("\"{CVV}\"")) && !text.contains(&format!("cardCvv={CVV}")),
        "cvv leaked:\n{text}"
    );
}

fn express() -> ExpressPayRequest {
    ExpressPayRequest::new(
        CARD,
        "2030",
        "12",
        CVV,
        Amount::parse("5.00").unwrap(),
        Currency::Usd,
        SettleCurrency::Usd,
        "card-1",
        "203.0.113.7",
    )
}

fn capture() -> OrderCaptureV4Request {
    OrderCaptureV4Request::new(
        Amount::parse("5.00").unwrap(),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::CreditCard,
        "card-2",
        Terminal::Online,
        CARD,
        "2030",
        "12",
    )
    .card_cvv(CVV)
}

#[test]
fn debug_of_every_type_holding_a_secret() {
    let config = Config::new("200043", "300014", TOKEN).unwrap();
    let client = Client::builder(config.clone())
        .transport(MockTransport::new())
        .build()
        .unwrap();
    let plan = PaypalCreatePlanRequest::new("paypal-client-id-XYZ", TOKEN)
        .amount(Amount::parse("9.99").unwrap())
        .product_name("Product")
        .plan_name("Plan")
        .frequency("MONTH");
    let payee = PayeeBankAccountCreateRequest::new(
        UtcTimestamp::parse("2024-01-01T00:00:00Z").unwrap(),
        "1000000000000000000001",
        "US",
        Currency::Usd,
        PayeeAccountType::BankAccount,
        BankAccountPurpose::Checking,
    )
    .bank_account_id(CARD);
    let register = PayeeRegisterRequest::new(
        UtcTimestamp::parse("2024-01-01T00:00:00Z").unwrap(),
        "payee-1",
        ProfileType::Individual,
        "Ada",
        "Lovelace",
        "ada@example.com",
        "5550100",
        "1990-01-31",
        "en",
        "US",
        "CA",
        "Palo Alto",
        "1 Main St",
        "94301",
    )
    .government_id(CARD);
    let texts = [
        format!("{config:?} {config:#?}"),
        format!("{client:?}"),
        format!("{:?}", SigningKey::from_token(TOKEN)),
        format!("{:?} {:#?}", express(), express()),
        format!("{:?}", express().wire_pairs()),
        format!("{:?}", capture()),
        format!("{plan:?}"),
        format!("{payee:?}"),
        format!("{register:?}"),
        format!("{:?}", Merchant::new("1", "2", TOKEN)),
    ];
    for text in &texts {
        assert_clean(text);
    }
    assert!(!format!("{plan:?}").contains("paypal-client-id-XYZ"));
}

#[tokio::test]
async fn error_messages_on_every_path() {
    let leaky_body = format!("<html>token {TOKEN} key {TOKEN_MD5} card {CARD}</html>");
    let mock = MockTransport::new();
    mock.push_response(502, leaky_body.clone());
    mock.push_response(200, leaky_body.clone());
    mock.push_json(200, r#"{"ret_code":"000030","ret_msg":"bad sign"}"#);
    mock.push_json(
        200,
        format!(
            r#"{{"ret_code":"000100","ret_msg":"ok","result":{{"amount":"{CARD}{TOKEN_MD5}"}}}}"#
        ),
    );
    mock.push_error(TransportError::io("reset").with_detail("while reading"));
    let config = Config::new("200043", "300014", TOKEN)
        .unwrap()
        .with_retry(pockyt::RetryPolicy::never());
    let client = Client::builder(config).transport(mock).build().unwrap();
    let mut errors: Vec<Error> = Vec::new();
    for _ in 0..5 {
        errors.push(client.express_pay(&express()).await.unwrap_err());
    }
    let mut invalid = express();
    invalid.reference = String::new();
    errors.push(client.express_pay(&invalid).await.unwrap_err());
    errors.push(Error::from(pockyt::ConfigError::TokenWhitespace));
    for error in &errors {
        assert_clean(&format!("{error} {error:?}"));
        let mut source = std::error::Error::source(error);
        while let Some(inner) = source {
            assert_clean(&inner.to_string());
            source = inner.source();
        }
    }
    assert!(
        Config::new("1", "2", &format!(" {TOKEN}"))
            .unwrap_err()
            .to_string()
            .contains("whitespace")
    );
}

#[test]
fn ipn_errors_do_not_echo_values() {
    let key = SigningKey::from_token(TOKEN);
    let body = format!("cardNumber={CARD}&status=success&verifySign={TOKEN_MD5}");
    let err = pockyt::ipn::verify_form(body.as_bytes(), &key).unwrap_err();
    assert_clean(&format!("{} {err:?}", pockyt::DisplayChain(&err)));
}
