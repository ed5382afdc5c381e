//! Reading requests back from received parameters (feature `from-wire`, the simulator's side).

use pockyt_types::*;

use crate::requests::secure_pay;

#[test]
fn from_wire_inverts_wire_pairs() {
    let request = secure_pay()
        .note("gift & wrap")
        .timeout(120)
        .goods_info(r#"[{"goods_name":"T","quantity":"1"}]"#);
    let params: Params = request
        .wire_pairs()
        .iter()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
    let parsed = SecurePayRequest::from_wire(&params).unwrap();
    assert_eq!(parsed, request);
}

#[test]
fn from_wire_reports_missing_and_invalid() {
    let mut params = Params::new();
    params.insert("currency".into(), "USD".into());
    let err = RefundRequest::from_wire(&params).unwrap_err();
    assert_eq!(err.field(), "refundAmount");
    assert!(err.is_missing());
    params.insert("refundAmount".into(), "1,00".into());
    let err = RefundRequest::from_wire(&params).unwrap_err();
    assert!(!err.is_missing());
    assert_eq!(err.field(), "refundAmount");
}
