//! Any bytes split into pairs and a signature: sign and verify never panic, and what was signed
//! verifies.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pockyt_sign::{SigningKey, sign, verify, verify_embedded};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut parts = text.split('\u{1}');
    let received = parts.next().unwrap_or_default();
    let pairs: Vec<(&str, &str)> = parts.filter_map(|p| p.split_once('=')).collect();
    let key = SigningKey::from_token("fuzz");
    let _ = verify(pairs.iter().copied(), received, &key);
    let _ = verify_embedded(pairs.iter().copied(), &key);
    if let Ok(signature) = sign(pairs.iter().copied(), &key) {
        assert!(verify(pairs.iter().copied(), &signature.to_string(), &key).is_ok());
    }
});
