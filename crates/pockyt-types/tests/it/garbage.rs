//! Property mirror of the `envelope_decode` fuzz target: no response body makes decoding panic.

use pockyt_types::*;
use proptest::prelude::*;

fn decode_everything(body: &[u8]) {
    if let Ok(envelope) = RawEnvelope::parse(body) {
        let _ = envelope.ret_code();
        let _ = envelope.ret_msg();
        let _ = envelope.payload::<TranQueryResponse>(TranQueryRequest::RESPONSE_KEYS);
        let _ = envelope.payload::<TransListResponse>(TransListRequest::RESPONSE_KEYS);
        let _ = envelope.payload::<RefundResponse>(RefundRequest::RESPONSE_KEYS);
    }
}

/// JSON-shaped text around the envelope's real keys, so cases reach the typed decoding.
fn envelope_like() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        Just("null".to_owned()),
        "-?[0-9]{1,20}(\\.[0-9]{0,12})?(e[0-9]{1,3})?",
        "\"[ -~]{0,24}\"",
        Just("{}".to_owned()),
        Just("[]".to_owned()),
        Just(r#"{"amount":"1.00","refundInfo":[{"refundAmount":1e400}],"status":7}"#.to_owned()),
    ];
    let key = prop_oneof![
        Just("ret_code"),
        Just("re_code"),
        Just("ret_msg"),
        Just("result"),
        Just("transactions"),
        Just("amount"),
        Just("size"),
        Just("refundInfo"),
    ];
    proptest::collection::vec((key, value), 0..6).prop_map(|pairs| {
        let body: Vec<String> = pairs.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
        format!("{{{}}}", body.join(","))
    })
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        decode_everything(&body);
    }

    #[test]
    fn envelope_shaped_text_never_panics(body in envelope_like()) {
        decode_everything(body.as_bytes());
    }
}
