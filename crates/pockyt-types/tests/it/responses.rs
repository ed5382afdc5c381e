//! Response decoding against the payloads the docs, the seed guide and the SDKs show.

use pockyt_types::*;

fn decode<E: Endpoint>(body: &str) -> (RetCode, String, E::Response) {
    let env = RawEnvelope::parse(body.as_bytes()).expect("envelope");
    let payload = env
        .payload::<E::Response>(E::RESPONSE_KEYS)
        .expect("payload")
        .expect("payload present");
    (env.ret_code().expect("code"), env.ret_msg(), payload)
}

/// Serialising a decoded response and decoding it again gives the same value.
fn round_trips<T>(value: &T)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let json = serde_json::to_string(value).expect("serialise");
    let back: T = serde_json::from_str(&json).expect("deserialise");
    assert_eq!(&back, value);
}

#[test]
fn seed_secure_pay_v4_response_with_re_code_spelling() {
    let body = r#"{ "result": { "amount": "0.50", "cashierUrl": "https://mapi.yuansferdev.com/app-redirect-record/yuansfer redirect-record/342127388232290055", "currency": "USD", "reference": "1698153188772", "settleCurrency": "USD", "transactionNo": "342127388232290055" }, "re_code": "000100", "ret_msg": "prepay success" }"#;
    let (code, msg, r) = decode::<SecurePayV4Request>(body);
    assert_eq!(code, RetCode::Success);
    assert_eq!(msg, "prepay success");
    assert_eq!(r.amount.as_ref().map(Amount::as_str), Some("0.50"));
    assert_eq!(r.currency, Some(Currency::Usd));
    assert_eq!(r.settle_currency, Some(SettleCurrency::Usd));
    assert_eq!(r.transaction_no.as_deref(), Some("342127388232290055"));
    assert!(
        r.cashier_url
            .as_deref()
            .is_some_and(|u| u.ends_with("342127388232290055"))
    );
    round_trips(&r);
}

#[test]
fn tran_query_with_refunds_trailing_space_and_unknown_fields() {
    let body = r#"{"ret_code":"000100","ret_msg":"query success ","result":{
        "transactionNo":"297553638300708562","reference":"seq_1","amount":"12.50","status":"success",
        "currency":"USD","settleCurrency":"USD","transactionType":"payment","newGatewayField":{"x":1},
        "refundInfo":[{"refundTransactionId":"297553638301777927","refundReference":"r1","refundAmount":"2.50","currency":"USD","settleCurrency":"USD"}]}}"#;
    let (_, msg, r) = decode::<TranQueryRequest>(body);
    assert_eq!(msg, "query success");
    assert_eq!(r.status, Some(TransactionStatus::Success));
    assert_eq!(r.transaction_type, Some(TransactionType::Payment));
    assert_eq!(r.refund_info.len(), 1);
    assert_eq!(
        r.refund_info[0].refund_amount,
        Some(Amount::parse("2.5").unwrap())
    );
    round_trips(&r);
}

#[test]
fn cancel_example_sends_amount_as_a_number() {
    let body = r#"{"ret_code":"000100","ret_msg":"cancel success ","result":{"amount":0.01,"currency":"USD","reference":"r","status":"closed","transactionNo":297553638301777927}}"#;
    let (_, _, r) = decode::<CancelRequest>(body);
    assert_eq!(r.amount.as_ref().map(Amount::as_str), Some("0.01"));
    assert_eq!(r.status, Some(TransactionStatus::Closed));
    // An id sent as a JSON number is kept as its digits.
    assert_eq!(r.transaction_no.as_deref(), Some("297553638301777927"));
}

#[test]
fn auto_debit_pay_amount_integer_and_unknown_status() {
    let body = r#"{"ret_code":"000100","ret_msg":"ok","result":{"amount":100,"autoDebitNo":"298222562856331071","currency":"PHP","settleCurrency":"USD","reference":"test2021010801","transactionNo":"1","status":"authorised_later"}}"#;
    let (_, _, r) = decode::<AutoDebitPayRequest>(body);
    assert_eq!(r.amount.as_ref().map(Amount::as_str), Some("100"));
    assert_eq!(r.currency, Some(Currency::Php));
    assert_eq!(
        r.status,
        Some(TransactionStatus::Unknown("authorised_later".into()))
    );
    round_trips(&r);
}

#[test]
fn refund_response() {
    let body = r#"{"ret_code":"000100","ret_msg":"refund success ","result":{"amount":"12.50","currency":"USD","settleCurrency":"USD","reference":"o1","refundAmount":"5.00","refundReference":"r1","refundTransactionNo":"297553638301777999","status":"success","transactionNo":"297553638301777927"}}"#;
    let (_, msg, r) = decode::<RefundRequest>(body);
    assert_eq!(msg, "refund success");
    assert_eq!(r.refund_amount, Some(Amount::parse("5").unwrap()));
    round_trips(&r);
}

#[test]
fn customer_create_under_result_or_customer() {
    let inner = r#"{"firstName":"Ada","lastName":"Lovelace","customerCode":"c1","createdTime":"2021-08-24T17:50:18Z","customerNo":"1000000000000000000001","email":"ada@example.com"}"#;
    for key in ["result", "customer"] {
        let body = format!(r#"{{"ret_code":"000100","ret_msg":"ok","{key}":{inner}}}"#);
        let (_, _, r) = decode::<CustomerCreateRequest>(&body);
        assert_eq!(r.customer_no.as_deref(), Some("1000000000000000000001"));
        round_trips(&r);
    }
}

#[test]
fn list_responses_live_at_the_top_level() {
    let body = r#"{"ret_code":"000100","ret_msg":"ok","size":1,"transactions":[{"transactionNo":"1","amount":"3.00","transactionStatus":"success","createTime":"2024-01-01 10:00:00","vendor":"alipay"}]}"#;
    let (_, _, r) = decode::<TransListRequest>(body);
    assert_eq!(r.size, Some(1));
    assert_eq!(r.transactions[0].vendor, Some(Vendor::Alipay));
    assert_eq!(
        r.transactions[0].transaction_status,
        Some(TransactionStatus::Success)
    );
    let body =
        r#"{"ret_code":"000100","ret_msg":"ok","balance":[{"amount":"10.00","currency":"USD"}]}"#;
    let (_, _, r) = decode::<PayoutBalanceRequest>(body);
    assert_eq!(r.balance.len(), 1);
}

#[test]
fn nulls_and_missing_fields_are_absent() {
    let body = r#"{"ret_code":"000100","ret_msg":"ok","result":{"transactionNo":null,"refundInfo":null,"amount":null}}"#;
    let (_, _, r) = decode::<TranQueryRequest>(body);
    assert_eq!(r, TranQueryResponse::default());
}

#[test]
fn mismatched_payload_is_a_payload_error() {
    let body = r#"{"ret_code":"000100","ret_msg":"ok","result":{"amount":"twelve"}}"#;
    let env = RawEnvelope::parse(body.as_bytes()).unwrap();
    let err = env
        .payload::<TranQueryResponse>(TranQueryRequest::RESPONSE_KEYS)
        .unwrap_err();
    assert!(
        matches!(err, EnvelopeError::Payload { ref key, .. } if key == "result"),
        "{err}"
    );
}

#[test]
fn fields_the_types_do_not_model_are_kept_in_extra() {
    // `vendorExtra` and a nested object are not modelled; an exact number and an escaped key
    // must come through as they were, and modelled fields must not be copied into `extra`.
    let body = r#"{"ret_code":"000100","ret_msg":"ok","result":{"amount":12.50,"transactionNo":"3","vendorExtra":"v","nested":{"a":[1,2]},"caf\u00e9":true,"refundInfo":[{"refundAmount":"1.00","refundChannel":"card"}]}}"#;
    let (_, _, r) = decode::<TranQueryRequest>(body);
    assert_eq!(r.amount.as_ref().map(Amount::as_str), Some("12.50"));
    assert_eq!(r.transaction_no.as_deref(), Some("3"));
    assert_eq!(r.extra.len(), 3, "{:?}", r.extra);
    assert_eq!(r.extra["vendorExtra"], serde_json::json!("v"));
    assert_eq!(r.extra["nested"], serde_json::json!({"a": [1, 2]}));
    assert_eq!(r.extra["café"], serde_json::json!(true));
    let refund = &r.refund_info[0];
    assert_eq!(refund.extra["refundChannel"], serde_json::json!("card"));
    assert!(!refund.extra.contains_key("refundAmount"));
    // What is kept is written out again, beside the modelled fields.
    let json = serde_json::to_value(&r).expect("serialise");
    assert_eq!(json["vendorExtra"], serde_json::json!("v"));
    assert_eq!(
        json["refundInfo"][0]["refundChannel"],
        serde_json::json!("card")
    );
    round_trips(&r);
}

#[test]
fn a_payload_that_is_not_an_object_is_refused() {
    for payload in ["[1]", "\"text\"", "3"] {
        let body = format!(r#"{{"ret_code":"000100","ret_msg":"ok","result":{payload}}}"#);
        let env = RawEnvelope::parse(body.as_bytes()).expect("envelope");
        let decoded = env.payload::<TranQueryResponse>(TranQueryRequest::RESPONSE_KEYS);
        assert!(decoded.is_err(), "{payload} decoded as {decoded:?}");
    }
}
