//! Every published and generated `verifySign` vector, plus the reference's V1–V3 cases.

use std::collections::BTreeMap;

use pockyt_sign::{SigningKey, canonical_string, sign, verify, verify_embedded};
use serde::Deserialize;

#[derive(Deserialize)]
struct Vector {
    token: String,
    params: BTreeMap<String, String>,
    canonical: String,
    #[serde(rename = "verifySign")]
    verify_sign: String,
}

fn load(name: &str) -> Vec<Vector> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn check_all(name: &str, expected_count: usize) {
    let vectors = load(name);
    assert_eq!(
        vectors.len(),
        expected_count,
        "{name}: fixture count changed"
    );
    for (i, v) in vectors.iter().enumerate() {
        let key = SigningKey::from_token(&v.token);
        let pairs = v.params.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        assert_eq!(
            canonical_string(pairs.clone()).unwrap(),
            v.canonical,
            "{name}[{i}] canonical"
        );
        assert_eq!(
            sign(pairs.clone(), &key).unwrap().to_string(),
            v.verify_sign,
            "{name}[{i}] sign"
        );
        verify(pairs.clone(), &v.verify_sign, &key).unwrap();
        verify(pairs.clone(), &v.verify_sign.to_uppercase(), &key).unwrap();
        let embedded = pairs.chain([("verifySign", v.verify_sign.as_str())]);
        verify_embedded(embedded, &key).unwrap();
    }
}

#[test]
fn published_vectors() {
    check_all("published-vectors.json", 6);
}

#[test]
fn generated_vectors_from_the_official_python_sdk() {
    check_all("sign-vectors.json", 200);
}

const DEMO_TOKEN: &str = "5cbfb079f15b150122261c8537086d77a";

fn v3_params() -> Vec<(&'static str, &'static str)> {
    vec![
        ("merGroupNo", "900001"),
        ("merchantNo", "200043"),
        ("storeNo", "300014"),
        ("refundAmount", "5.00"),
        ("currency", "USD"),
        ("settleCurrency", "USD"),
        ("transactionNo", "297553638301777927"),
        ("refundReference", "退款-0001"),
    ]
}

#[test]
fn v1_secure_pay_request() {
    let key = SigningKey::from_token("my-test-token-001");
    let params = [
        ("merchantNo", "200043"),
        ("storeNo", "300014"),
        ("amount", "12.50"),
        ("currency", "USD"),
        ("settleCurrency", "USD"),
        ("vendor", "alipay"),
        ("terminal", "ONLINE"),
        ("reference", "order-20240101-0001"),
        ("ipnUrl", "https://merchant.example.com/pockyt/ipn"),
        (
            "callbackUrl",
            "https://merchant.example.com/return?status={status}&amount={amount}&reference={reference}",
        ),
        ("timeout", "120"),
        ("goodsInfo", r#"[{"goods_name":"T-Shirt","quantity":"2"}]"#),
        ("description", "Test order"),
    ];
    assert_eq!(
        sign(params, &key).unwrap().to_string(),
        "b87dbbd26654229e60e94095833d70e5"
    );
}

#[test]
fn v2_ipn_decoded_values() {
    let key = SigningKey::from_token("my-test-token-001");
    let params = [
        ("transactionNo", "305680500880311999"),
        ("status", "success"),
        ("amount", "12.50"),
        ("currency", "USD"),
        ("settleCurrency", "USD"),
        ("reference", "order-20240101-0001"),
        ("time", "20240101123045"),
        ("note", "gift & wrap"),
        ("verifySign", "483259834717a8229294aece8041a8e3"),
    ];
    verify_embedded(params, &key).unwrap();
}

#[test]
fn v3a_empty_value_left_out_is_what_we_sign() {
    let key = SigningKey::from_token(DEMO_TOKEN);
    assert_eq!(
        sign(v3_params(), &key).unwrap().to_string(),
        "1a0c0ae59a5c1f489bdbbf83aca5bc80"
    );
}

#[test]
fn v3b_empty_value_kept_signs_differently() {
    let key = SigningKey::from_token(DEMO_TOKEN);
    let mut params = v3_params();
    params.push(("reference", ""));
    assert_eq!(
        sign(params, &key).unwrap().to_string(),
        "82270174e33fe2ef28d3316ed8320e2f"
    );
}

#[test]
fn v3c_case_insensitive_order_is_not_ours() {
    let key = SigningKey::from_token(DEMO_TOKEN);
    let culture_aware = "c14762f81428b7b5b35632e619542e99";
    assert_ne!(sign(v3_params(), &key).unwrap().to_string(), culture_aware);
    assert!(verify(v3_params(), culture_aware, &key).is_err());
}

#[test]
fn received_pairs_verify_over_all_pairs_or_the_non_empty_ones_and_nothing_else() {
    use pockyt_sign::{VerifyError, sign, verify_received};
    let key = SigningKey::from_token("my-test-token-001");
    let all = sign([("amount", "1.00"), ("note", ""), ("ref", "r")], &key)
        .unwrap()
        .to_string();
    let non_empty = sign([("amount", "1.00"), ("ref", "r")], &key)
        .unwrap()
        .to_string();
    for signature in [&all, &non_empty] {
        let sent = [
            ("amount", "1.00"),
            ("note", ""),
            ("ref", "r"),
            ("verifySign", signature),
        ];
        assert_eq!(verify_received(&sent, &key), Ok(()));
    }
    // A signature over any other subset (here without a non-empty pair) is refused.
    let partial = sign([("amount", "1.00")], &key).unwrap().to_string();
    let sent = [
        ("amount", "1.00"),
        ("note", ""),
        ("ref", "r"),
        ("verifySign", &partial),
    ];
    assert_eq!(verify_received(&sent, &key), Err(VerifyError::Mismatch));
    // Without empty pairs there is no second try: the non-empty signature of a different set fails.
    let sent = [("amount", "1.00"), ("ref", "r"), ("verifySign", &all)];
    assert_eq!(verify_received(&sent, &key), Err(VerifyError::Mismatch));
}
