//! Shared helpers for the client's tests.
#![allow(dead_code)]

use std::time::Duration;

// From the transport crate itself: the facade re-exports it only with `test-util`.
use pockyt::types::{Params, WirePairs};
use pockyt::{Client, Config, RetryPolicy};
use pockyt_transport::MockTransport;

pub const TOKEN: &str = "5cbfb079f15b150122261c8537086d77a";
pub const TOKEN_MD5: &str = "186abea4b8610d7ff03768255588597a";
pub const SUCCESS: &str = r#"{"ret_code":"000100","ret_msg":"ok","result":{}}"#;

pub fn params(pairs: &[(&str, &str)]) -> Params {
    pairs
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

pub fn config() -> Config {
    Config::new("200043", "300014", TOKEN)
        .expect("valid config")
        .with_base_url("https://gateway.test")
        .with_retry(
            RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(4)),
        )
}

/// A client over a mock that answers one success.
pub fn client() -> (Client, MockTransport) {
    let mock = MockTransport::new();
    mock.push_json(200, SUCCESS);
    (client_with(&mock, config()), mock)
}

pub fn client_with(mock: &MockTransport, config: Config) -> Client {
    Client::builder(config)
        .transport(mock.clone())
        .build()
        .expect("client")
}

/// The last request was one POST to `path`, a JSON object of strings holding the identity, every
/// wire pair and a `verifySign` that verifies.
pub fn assert_signed_post(mock: &MockTransport, path: &str, expected: &WirePairs<'_>) {
    let requests = mock.requests();
    assert_eq!(requests.len(), 1, "exactly one request");
    let request = &requests[0];
    assert_eq!(request.method, http::Method::POST);
    assert_eq!(request.uri.path(), path);
    assert_eq!(
        request.headers["content-type"],
        "application/json; charset=utf-8"
    );
    let body: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&request.body).expect("a JSON object");
    let fields: Vec<(&str, &str)> = body
        .iter()
        .map(|(k, v)| {
            (
                k.as_str(),
                v.as_str().expect("every value is a JSON string"),
            )
        })
        .collect();
    let get = |name: &str| fields.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
    assert_eq!(get("merchantNo"), Some("200043"));
    assert_eq!(get("storeNo"), Some("300014"));
    for (name, value) in expected.iter() {
        assert_eq!(get(name), Some(value), "field {name}");
    }
    assert_eq!(
        fields.len(),
        expected.len() + 3,
        "identity + fields + verifySign, nothing else"
    );
    assert!(
        fields.iter().all(|(_, v)| !v.is_empty()),
        "no empty value is ever sent"
    );
    let key = pockyt::SigningKey::from_token(TOKEN);
    pockyt::sign::verify_embedded(fields.iter().copied(), &key).expect("verifySign verifies");
}
