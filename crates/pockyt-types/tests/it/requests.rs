//! Request construction, validation, wire form and redaction.

use pockyt_types::*;

fn usd(text: &str) -> Amount {
    Amount::parse(text).unwrap()
}

pub(crate) fn secure_pay() -> SecurePayRequest {
    SecurePayRequest::new(
        usd("12.50"),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        "order-1",
        Terminal::Online,
    )
    .ipn_url("https://m.example.com/ipn")
    .callback_url("https://m.example.com/back?s={status}")
}

fn names<'a>(pairs: &'a WirePairs<'_>) -> Vec<&'a str> {
    pairs.iter().map(|(n, _)| n).collect()
}

#[test]
fn unset_optionals_are_not_on_the_wire_and_order_is_canonical() {
    let request = secure_pay().note("gift").timeout(30);
    let pairs = request.wire_pairs();
    let got = names(&pairs);
    let mut sorted = got.clone();
    sorted.sort_unstable();
    assert_eq!(got, sorted);
    assert!(got.contains(&"note") && got.contains(&"timeout"));
    assert!(!got.contains(&"description"));
    assert_eq!(pairs.get("timeout"), Some("30"));
    assert_eq!(pairs.get("vendor"), Some("alipay"));
}

#[test]
fn validation_names_the_field_and_the_fix() {
    assert!(secure_pay().validate().is_ok());

    let err = secure_pay().note("").validate().unwrap_err();
    assert_eq!(err.field(), "note");
    assert_eq!(err.problem(), &Problem::Empty);

    let err = secure_pay()
        .description("x".repeat(101))
        .validate()
        .unwrap_err();
    assert_eq!(err.problem(), &Problem::TooLong { max: 100, len: 101 });

    let mut bad = secure_pay();
    bad.reference = String::new();
    assert!(bad.validate().unwrap_err().is_missing());

    let mut bad = secure_pay();
    bad.ipn_url = Some("merchant.example.com/ipn".into());
    assert_eq!(bad.validate().unwrap_err().field(), "ipnUrl");

    let mut bad = secure_pay();
    bad.amount = usd("0.00");
    assert_eq!(bad.validate().unwrap_err().problem(), &Problem::NotPositive);

    let mut bad = secure_pay();
    bad.amount = usd("12.505");
    let err = bad.validate().unwrap_err();
    assert!(matches!(err.problem(), Problem::Amount(_)), "{err}");

    let err = secure_pay().goods_info("[not json").validate().unwrap_err();
    assert_eq!(err.field(), "goodsInfo");
}

#[test]
fn zero_decimal_currencies_reject_cents() {
    let mut request = secure_pay();
    request.currency = Currency::Jpy;
    request.amount = usd("100");
    assert!(request.validate().is_ok());
    request.amount = usd("100.50");
    assert!(request.validate().is_err());
}

#[test]
fn at_least_one_of_transaction_no_and_reference() {
    let base = || {
        RefundRequest::new(usd("1.00"), Currency::Usd, SettleCurrency::Usd)
            .refund_reference("refund-1")
    };
    let err = base().validate().unwrap_err();
    assert!(err.is_missing(), "{err}");
    // The Go and JS SDKs can send both; the gateway then wants them to name one payment.
    assert!(base().transaction_no("1").reference("r").validate().is_ok());
    assert!(base().reference("r").validate().is_ok());
}

#[test]
fn exactly_one_of_a_true_alternative() {
    let both = PayeeAccountRetrieveRequest::new(PayeeAccountType::Paypal, "1000")
        .account_tag("tag")
        .account_token("token");
    let err = both.validate().unwrap_err();
    assert!(
        matches!(err.problem(), Problem::ExactlyOneOf { given: 2, .. }),
        "{err}"
    );
}

#[test]
fn list_dates_are_real_days_by_construction() {
    let day = |text: &str| GatewayDate::parse(text);
    let (Ok(start), Ok(end)) = (day("20240101"), day("20240115")) else {
        panic!("real days are read");
    };
    let request = TransListRequest::new(start, end);
    assert!(request.validate().is_ok());
    let wire = request.wire_pairs();
    let pairs: Vec<(&str, &str)> = wire.iter().collect();
    assert!(pairs.contains(&("startDate", "20240101")) && pairs.contains(&("endDate", "20240115")));
    // What the text check used to refuse is now refused where the date is made.
    assert!(day("2024-01-01").is_err());
    assert!(day("20240230").is_err());
}

#[test]
fn card_data_never_appears_in_debug() {
    let request = ExpressPayRequest::new(
        "4111111111111111",
        "2030",
        "12",
        "737",
        usd("5.00"),
        Currency::Usd,
        SettleCurrency::Usd,
        "order-9",
        "203.0.113.7",
    );
    let shown = format!("{request:?} {request:#?} {:?}", request.wire_pairs());
    for secret in ["4111111111111111", "737", "2030"] {
        assert!(!shown.contains(secret), "{secret} leaked in {shown}");
    }
    assert!(shown.contains("<redacted>"));
    // The values are still on the wire, where they belong.
    assert_eq!(
        request.wire_pairs().get("cardNumber"),
        Some("4111111111111111")
    );
}

#[test]
fn endpoint_constants() {
    assert_eq!(SecurePayRequest::PATH, "/online/v3/secure-pay");
    // Money-moving calls are never idempotent; read-only queries are.
    let idempotent = [
        SecurePayRequest::IDEMPOTENT,
        RefundRequest::IDEMPOTENT,
        CancelRequest::IDEMPOTENT,
        PayoutPayRequest::IDEMPOTENT,
        TranQueryRequest::IDEMPOTENT,
        TransListRequest::IDEMPOTENT,
        CustomerRetrieveRequest::IDEMPOTENT,
    ];
    assert_eq!(idempotent, [false, false, false, false, true, true, true]);
    assert_eq!(TransListRequest::RESPONSE_KEYS, &["."]);
    let admin = [
        InstoreAddRequest::ACCEPTS_STORE_ADMIN_NO,
        RefundRequest::ACCEPTS_STORE_ADMIN_NO,
    ];
    assert_eq!(admin, [true, false]);
}

/// Issue 24, item 10: an empty required `reference` was told "leave an optional field unset",
/// which it cannot be. A required field set to an empty string is now missing ("required"), an
/// optional one empty (set it or leave it unset).
#[test]
fn an_empty_required_field_is_not_told_to_be_left_unset() {
    let mut bad = secure_pay();
    bad.reference = String::new();
    let err = bad.validate().unwrap_err();
    assert_eq!(
        (err.field(), err.problem()),
        ("reference", &Problem::Missing)
    );
    let message = err.to_string();
    assert!(message.contains("required"), "{message}");
    assert!(!message.contains("optional"), "{message}");

    let err = secure_pay().note("").validate().unwrap_err();
    assert_eq!(err.problem(), &Problem::Empty);
    let message = err.to_string();
    assert!(
        message.contains("give it a value") && message.contains("if it is optional"),
        "{message}"
    );
}
