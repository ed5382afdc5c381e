//! Any bytes as a request to the simulator, as JSON and as a form: read or refused, never a panic;
//! and whatever is read passes through every endpoint's `from_wire` without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pockyt_types::FromWire;

fuzz_target!(|data: &[u8]| {
    for content_type in [Some("application/json"), Some("application/x-www-form-urlencoded"), None] {
        if let Ok(params) = pockyt_mock::parse_request_body(content_type, data) {
            let _ = pockyt_types::SecurePayRequest::from_wire(&params);
            let _ = pockyt_types::RefundRequest::from_wire(&params);
            let _ = pockyt_types::TransListRequest::from_wire(&params);
            let _ = pockyt_types::CustomerCreateRequest::from_wire(&params);
        }
    }
});
