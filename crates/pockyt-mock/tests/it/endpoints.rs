//! Every endpoint of the API description has a simulator route: the generator's sample request
//! of each (the one `crates/pockyt/tests/it/endpoints.rs` sends through a scripted transport) is
//! replayed against a simulator, and none may be answered "no such API" (`000010`). A new
//! endpoint added to `api/pockyt-api.json` fails here until `src/routes/<group>.rs` routes it.

use pockyt_mock::MockGateway;
use serde_json::Value;

use crate::support;

/// The gateway's answer to a path it does not know.
const NO_SUCH_API: &str = "000010";

/// Every endpoint's path in the description.
fn described_paths() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../api/pockyt-api.json");
    let text = std::fs::read_to_string(path).expect("the API description");
    let api: Value = serde_json::from_str(&text).expect("JSON");
    api["endpoints"]
        .as_array()
        .expect("endpoints")
        .iter()
        .map(|e| e["path"].as_str().expect("a path").to_owned())
        .collect()
}

/// The string literals of a stretch of generated Rust, unescaped.
fn literals(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut text = String::new();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('n') => text.push('\n'),
                    Some('t') => text.push('\t'),
                    Some(other) => text.push(other),
                    None => {}
                },
                other => text.push(other),
            }
        }
        out.push(text);
    }
    out
}

/// The generator's sample of each endpoint: (path, fields), read from the generated test.
fn samples() -> Vec<(String, Vec<(String, String)>)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../pockyt/tests/it/endpoints.rs"
    );
    let code = std::fs::read_to_string(path).expect("the generated endpoint tests");
    code.split("#[tokio::test]")
        .skip(1)
        .map(|test| {
            let params = test
                .split_once("support::params(&[")
                .and_then(|(_, rest)| rest.split_once("]))"))
                .map(|(params, _)| params)
                .expect("each test builds its sample with support::params");
            let fields = literals(params);
            let pairs = fields
                .chunks(2)
                .map(|pair| (pair[0].clone(), pair[1].clone()))
                .collect();
            // rustfmt may break the call over lines: the path is its first string literal.
            let path = test
                .split_once("assert_signed_post(")
                .and_then(|(_, rest)| literals(rest).into_iter().next())
                .expect("each test names its path");
            (path, pairs)
        })
        .collect()
}

#[tokio::test]
async fn every_described_endpoint_has_a_route() {
    let samples = samples();
    let mut missing = Vec::new();
    for path in described_paths() {
        let Some((_, fields)) = samples.iter().find(|(p, _)| *p == path) else {
            missing.push(format!(
                "{path}: no generated sample (run `cargo xtask codegen`)"
            ));
            continue;
        };
        // A fresh simulator each time: the samples share references, which may be used once.
        let gateway = MockGateway::builder().start().await.unwrap();
        let client = support::client(&gateway);
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        let response = client.send_raw(&path, &fields).await.expect("an answer");
        gateway.shutdown().await;
        let envelope: Value = serde_json::from_slice(response.body()).expect("a JSON envelope");
        if envelope["ret_code"] == NO_SUCH_API {
            missing.push(format!("{path}: {}", envelope["ret_msg"]));
        }
    }
    assert!(samples.len() >= 50, "a sample of every endpoint");
    assert!(missing.is_empty(), "not routed:\n{}", missing.join("\n"));
}

#[tokio::test]
async fn the_check_sees_a_path_without_a_route() {
    let gateway = MockGateway::builder().start().await.unwrap();
    let client = support::client(&gateway);
    let response = client
        .send_raw("/app-data-search/v9/not-yet", &[("reference", "x")])
        .await
        .expect("an answer");
    let envelope: Value = serde_json::from_slice(response.body()).expect("a JSON envelope");
    assert_eq!(envelope["ret_code"], NO_SUCH_API, "{envelope}");
}
