//! Any bytes as a gateway response: the envelope and the typed payloads decode or fail, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pockyt_types::{Endpoint, RawEnvelope};

fuzz_target!(|data: &[u8]| {
    let Ok(envelope) = RawEnvelope::parse(data) else { return };
    let _ = envelope.ret_code();
    let _ = envelope.ret_msg();
    let _ = envelope.payload::<pockyt_types::TranQueryResponse>(pockyt_types::TranQueryRequest::RESPONSE_KEYS);
    let _ = envelope.payload::<pockyt_types::SecurePayResponse>(pockyt_types::SecurePayRequest::RESPONSE_KEYS);
    let _ = envelope.payload::<pockyt_types::TransListResponse>(pockyt_types::TransListRequest::RESPONSE_KEYS);
    let _ = envelope.payload::<pockyt_types::RefundResponse>(pockyt_types::RefundRequest::RESPONSE_KEYS);
});
