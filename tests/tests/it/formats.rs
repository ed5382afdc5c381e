//! The simulator answers the request formats of the official SDKs: JSON with numbers (Python),
//! form bodies (PHP, JS), and refuses what the gateway would.

use std::collections::BTreeMap;

use bytes::Bytes;
use pockyt_e2e::World;
use pockyt_mock::Merchant;
use pockyt_transport::{HyperTransport, Transport};

fn signed(params: &BTreeMap<&str, String>) -> String {
    let key = pockyt::SigningKey::from_token(Merchant::DEMO_TOKEN);
    pockyt::sign::sign(params.iter().map(|(k, v)| (*k, v.as_str())), &key)
        .unwrap()
        .to_string()
}

async fn post(url: String, content_type: &str, body: String) -> serde_json::Value {
    let request = http::Request::post(url)
        .header("content-type", content_type)
        .body(Bytes::from(body))
        .unwrap();
    let response = HyperTransport::new().unwrap().send(request).await.unwrap();
    serde_json::from_slice(response.body()).unwrap()
}

fn tran_query_params() -> BTreeMap<&'static str, String> {
    BTreeMap::from([
        ("merchantNo", "200043".to_owned()),
        ("storeNo", "300014".to_owned()),
        ("reference", "nothing".to_owned()),
    ])
}

#[tokio::test]
async fn python_style_json_with_a_number() {
    let world = World::start().await;
    let mut params = BTreeMap::from([
        ("merchantNo", "200043".to_owned()),
        ("storeNo", "300014".to_owned()),
        ("amount", "1.00".to_owned()),
        ("currency", "USD".to_owned()),
        ("settleCurrency", "USD".to_owned()),
        ("vendor", "alipay".to_owned()),
        ("reference", "py-1".to_owned()),
        ("terminal", "ONLINE".to_owned()),
        ("ipnUrl", "https://m.example.com/ipn".to_owned()),
        ("callbackUrl", "https://m.example.com/back".to_owned()),
        ("timeout", "120".to_owned()),
    ]);
    let sign = signed(&params);
    params.insert("verifySign", sign);
    // The Python SDK sends `timeout` as a JSON number; its signature covers the text `120`.
    let mut body = serde_json::Map::new();
    for (k, v) in &params {
        let value = if *k == "timeout" {
            serde_json::json!(120)
        } else {
            serde_json::json!(v)
        };
        body.insert((*k).to_owned(), value);
    }
    let url = format!("{}/online/v3/secure-pay", world.gateway.base_url());
    let answer = post(
        url,
        "application/json",
        serde_json::Value::Object(body).to_string(),
    )
    .await;
    assert_eq!(answer["ret_code"], "000100", "{answer}");
    assert!(answer["result"]["cashierUrl"].is_string());
}

#[tokio::test]
async fn php_style_form_body() {
    let world = World::start().await;
    let mut params = tran_query_params();
    let sign = signed(&params);
    params.insert("verifySign", sign);
    let body = pockyt::form::encode(params.iter().map(|(k, v)| (*k, v.as_str())));
    let url = format!("{}/app-data-search/v3/tran-query", world.gateway.base_url());
    let answer = post(url, "application/x-www-form-urlencoded", body).await;
    // Authenticated and parsed: the answer is "no such record", not a signature or format error.
    assert_eq!(answer["ret_code"], "000021", "{answer}");
}

#[tokio::test]
async fn missing_invalid_and_unsigned_requests_get_the_gateway_codes() {
    let world = World::start().await;
    let url = || format!("{}/app-data-search/v3/refund", world.gateway.base_url());
    let mut params = BTreeMap::from([
        ("merchantNo", "200043".to_owned()),
        ("storeNo", "300014".to_owned()),
        ("currency", "USD".to_owned()),
        ("settleCurrency", "USD".to_owned()),
        ("transactionNo", "1".to_owned()),
        ("refundReference", "r".to_owned()),
    ]);
    let json_of = |params: &BTreeMap<&str, String>| serde_json::to_string(params).unwrap();

    let unsigned = post(url(), "application/json", json_of(&params)).await;
    assert_eq!(unsigned["ret_code"], "000020", "{unsigned}");

    let mut missing = params.clone();
    missing.insert("verifySign", signed(&params));
    assert_eq!(
        post(url(), "application/json", json_of(&missing)).await["ret_code"],
        "000020"
    );

    params.insert("refundAmount", "1,00".to_owned());
    let mut invalid = params.clone();
    invalid.insert("verifySign", signed(&params));
    assert_eq!(
        post(url(), "application/json", json_of(&invalid)).await["ret_code"],
        "000023"
    );

    let mut tampered = invalid.clone();
    tampered.insert("refundAmount", "2,00".to_owned());
    assert_eq!(
        post(url(), "application/json", json_of(&tampered)).await["ret_code"],
        "000030"
    );

    let duplicate = r#"{"merchantNo":"200043","merchantNo":"200043"}"#.to_owned();
    assert_eq!(
        post(url(), "application/json", duplicate).await["ret_code"],
        "000023"
    );
}
