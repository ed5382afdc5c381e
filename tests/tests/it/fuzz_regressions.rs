//! The interesting inputs the fuzzers found (`fuzz/regressions/<target>/`), replayed on stable in
//! every `cargo test`, with the same checks as the fuzz targets.

use std::path::PathBuf;

use pockyt::types::*;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/regressions")
        .join(target);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok())
        .map(|entry| {
            (
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap_or_default(),
            )
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no regression inputs for {target}");
    files
}

#[test]
fn ipn_verify_form() {
    let key = pockyt::SigningKey::from_token("my-test-token-001");
    for (_, data) in inputs("ipn_verify_form") {
        let _ = pockyt::ipn::verify_form(&data, &key);
        if let Ok(query) = std::str::from_utf8(&data) {
            let _ = pockyt::ipn::parse_callback(query, &key);
        }
    }
}

#[test]
fn envelope_decode() {
    for (_, data) in inputs("envelope_decode") {
        if let Ok(envelope) = RawEnvelope::parse(&data) {
            let _ = envelope.ret_code();
            let _ = envelope.payload::<TranQueryResponse>(TranQueryRequest::RESPONSE_KEYS);
            let _ = envelope.payload::<SecurePayResponse>(SecurePayRequest::RESPONSE_KEYS);
            let _ = envelope.payload::<TransListResponse>(TransListRequest::RESPONSE_KEYS);
            let _ = envelope.payload::<RefundResponse>(RefundRequest::RESPONSE_KEYS);
        }
    }
}

#[test]
fn amount_parse() {
    for (name, data) in inputs("amount_parse") {
        if let Ok(text) = std::str::from_utf8(&data)
            && let Ok(amount) = Amount::parse(text)
        {
            assert_eq!(amount.as_str(), text, "{name}");
            let _ = amount.to_minor(&Currency::Usd);
            let _ = amount.checked_add(&amount);
            assert_eq!(
                Amount::parse(&amount.to_string()).ok(),
                Some(amount),
                "{name}"
            );
        }
        let _ = serde_json::from_slice::<Amount>(&data);
    }
}

#[test]
fn mock_request_body() {
    for (_, data) in inputs("mock_request_body") {
        for content_type in [
            Some("application/json"),
            Some("application/x-www-form-urlencoded"),
            None,
        ] {
            if let Ok(params) = pockyt_mock::parse_request_body(content_type, &data) {
                let _ = SecurePayRequest::from_wire(&params);
                let _ = RefundRequest::from_wire(&params);
                let _ = TransListRequest::from_wire(&params);
                let _ = CustomerCreateRequest::from_wire(&params);
            }
        }
    }
}

#[test]
fn sign_verify() {
    let key = pockyt::SigningKey::from_token("fuzz");
    for (name, data) in inputs("sign_verify") {
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        let mut parts = text.split('\u{1}');
        let received = parts.next().unwrap_or_default();
        let pairs: Vec<(&str, &str)> = parts.filter_map(|p| p.split_once('=')).collect();
        let _ = pockyt::sign::verify(pairs.iter().copied(), received, &key);
        if let Ok(signature) = pockyt::sign::sign(pairs.iter().copied(), &key) {
            assert!(
                pockyt::sign::verify(pairs.iter().copied(), &signature.to_string(), &key).is_ok(),
                "{name}"
            );
        }
    }
}
