//! Any bytes as an IPN body: parse and verify never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = pockyt_sign::SigningKey::from_token("my-test-token-001");
    let _ = pockyt::ipn::verify_form(data, &key);
    if let Ok(query) = std::str::from_utf8(data) {
        let _ = pockyt::ipn::parse_callback(query, &key);
    }
});
