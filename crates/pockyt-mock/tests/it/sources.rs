//! The simulator accepts what every official source can send: for each non-broken source of the
//! matrix (`api/sources/`) and each call it makes, the request with every field that source can
//! send (`source_requests.rs`, generated) must pass the simulator's rules. A business answer (no
//! such record) is fine; a refusal of the request's shape is not.

use pockyt_mock::MockGateway;
use serde_json::Value;

use crate::source_requests::SOURCE_REQUESTS;
use crate::support;

/// Codes that refuse a request's shape rather than its business.
const SHAPE_REFUSALS: [&str; 5] = ["000010", "000020", "000022", "000023", "000030"];

async fn answer(client: &pockyt::Client, path: &str, fields: &[(&str, &str)]) -> (String, String) {
    let response = client.send_raw(path, fields).await.expect("an answer");
    let envelope: Value = serde_json::from_slice(response.body()).expect("a JSON envelope");
    let text = |key: &str| envelope[key].as_str().unwrap_or_default().to_owned();
    (text("ret_code"), text("ret_msg"))
}

#[tokio::test]
async fn every_sources_fullest_request_passes_the_simulators_rules() {
    let mut refused = Vec::new();
    for request in SOURCE_REQUESTS {
        // A fresh simulator each time: the samples share references, which may be used once.
        let gateway = MockGateway::builder().start().await.unwrap();
        let client = support::client(&gateway);
        let (code, message) = answer(&client, request.path, request.fields).await;
        gateway.shutdown().await;
        if SHAPE_REFUSALS.contains(&code.as_str()) {
            refused.push(format!(
                "{} {} ({}): {code} `{message}`",
                request.source, request.path, request.at
            ));
        }
    }
    assert!(SOURCE_REQUESTS.len() > 150, "the table covers every source");
    assert!(refused.is_empty(), "{}", refused.join("\n"));
}

#[tokio::test]
async fn the_check_sees_a_refused_shape() {
    // The same table's first secure-pay, without its amount: the simulator must refuse it.
    let gateway = MockGateway::builder().start().await.unwrap();
    let client = support::client(&gateway);
    let request = SOURCE_REQUESTS
        .iter()
        .find(|r| r.path == "/online/v3/secure-pay")
        .expect("a secure-pay request");
    let without: Vec<(&str, &str)> = request
        .fields
        .iter()
        .copied()
        .filter(|(name, _)| *name != "amount")
        .collect();
    let (code, message) = answer(&client, request.path, &without).await;
    assert_eq!(code, "000020", "{message}");
    assert!(message.contains("amount"), "{message}");
}
