//! The amount's unit and property tests: parsing, precision, arithmetic, serde.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use super::parse::canonical_text;
use super::*;
use crate::Currency;
use proptest::prelude::*;
use serde::Deserialize;
use serde::de::IntoDeserializer;
use serde::de::value::Error as ValueError;
use serde_json::json;
use std::collections::hash_map::DefaultHasher;

fn amount(text: &str) -> Amount {
    Amount::parse(text).unwrap()
}

fn hash_of(a: &Amount) -> u64 {
    let mut hasher = DefaultHasher::new();
    a.hash(&mut hasher);
    hasher.finish()
}

#[derive(Debug, Deserialize)]
struct Holder {
    #[serde(default)]
    a: Option<Amount>,
}

// --- parsing ---

#[test]
fn parses_valid_forms() {
    for (text, mantissa, scale) in [
        ("0", 0, 0),
        ("12", 12, 0),
        ("12.5", 125, 1),
        ("12.50", 1250, 2),
        ("-0.05", -5, 2),
        ("007.50", 750, 2),
        ("-0", 0, 0),
        ("0.000000001", 1, 9),
        ("999999999999999999", 999_999_999_999_999_999, 0),
        ("-999999999.999999999", -999_999_999_999_999_999, 9),
        ("000000000000000000000000001", 1, 0),
    ] {
        let a = amount(text);
        assert_eq!((a.mantissa, a.scale, a.as_str()), (mantissa, scale, text));
    }
}

#[test]
fn rejects_malformed_text() {
    for text in [
        " 1", "1 ", "1 000", "+1", ".5", "5.", "-", "-.5", "1e2", "1E2", "1,000", "$5", "5$",
        "1.2.3", "--1", "1-", "0x10", "١٢", "１２", "NaN", "inf", "12.5\n", "1_000", "-+1", "1..2",
        ".", "\u{0}",
    ] {
        assert_eq!(
            Amount::parse(text),
            Err(AmountError::Invalid { text: text.into() }),
            "{text:?}"
        );
    }
    assert_eq!(Amount::parse(""), Err(AmountError::Empty));
}

#[test]
fn rejects_too_many_digits() {
    for text in [
        "1000000000000000000",
        "-1000000000000000000",
        "99999999999999999999999",
        "0.0000000001",
        "1.0000000000",
        "999999999999.9999999",
    ] {
        assert_eq!(
            Amount::parse(text),
            Err(AmountError::TooManyDigits { text: text.into() }),
            "{text:?}"
        );
    }
}

#[test]
fn from_str_matches_parse() {
    assert_eq!("12.50".parse::<Amount>(), Amount::parse("12.50"));
    assert!("x".parse::<Amount>().is_err());
}

// --- minor units ---

#[test]
fn currency_precision() {
    assert_eq!(currency_decimals(&Currency::Usd), Some(2));
    assert_eq!(currency_decimals(&Currency::Idr), Some(2));
    assert_eq!(currency_decimals(&Currency::Jpy), Some(0));
    assert_eq!(currency_decimals(&Currency::Krw), Some(0));
    assert_eq!(currency_decimals(&Currency::Unknown("KWD".into())), None);
}

#[test]
fn from_minor_builds_canonical_text() {
    let usd = Currency::Usd;
    assert_eq!(Amount::from_minor(1250, &usd).unwrap().as_str(), "12.50");
    assert_eq!(Amount::from_minor(-5, &usd).unwrap().as_str(), "-0.05");
    assert_eq!(Amount::from_minor(0, &usd).unwrap().as_str(), "0.00");
    assert_eq!(Amount::from_minor(7, &usd).unwrap().as_str(), "0.07");
    assert_eq!(Amount::from_minor(-123, &usd).unwrap().as_str(), "-1.23");
    assert_eq!(
        Amount::from_minor(100, &Currency::Jpy).unwrap().as_str(),
        "100"
    );
    assert_eq!(
        Amount::from_minor(-100, &Currency::Krw).unwrap().as_str(),
        "-100"
    );
}

#[test]
fn from_minor_refuses_unknown_and_huge() {
    assert_eq!(
        Amount::from_minor(1, &Currency::Unknown("XAU".into())),
        Err(AmountError::UnknownPrecision {
            currency: "XAU".into()
        })
    );
    assert!(matches!(
        Amount::from_minor(i64::MAX, &Currency::Usd),
        Err(AmountError::TooManyDigits { .. })
    ));
    assert!(matches!(
        Amount::from_minor(i64::MIN, &Currency::Jpy),
        Err(AmountError::TooManyDigits { .. })
    ));
    assert!(Amount::from_minor(MANTISSA_LIMIT - 1, &Currency::Usd).is_ok());
}

#[test]
fn to_minor_is_exact() {
    assert_eq!(amount("12.5").to_minor(&Currency::Usd), Ok(1250));
    assert_eq!(amount("12.50").to_minor(&Currency::Usd), Ok(1250));
    assert_eq!(amount("-0.05").to_minor(&Currency::Usd), Ok(-5));
    assert_eq!(amount("12").to_minor(&Currency::Usd), Ok(1200));
    assert_eq!(amount("100.00").to_minor(&Currency::Jpy), Ok(100));
    assert_eq!(amount("1.000000000").to_minor(&Currency::Usd), Ok(100));
    assert_eq!(
        amount("12.50").to_minor(&Currency::Jpy),
        Err(AmountError::TooPrecise {
            currency: "JPY".into(),
            decimals: 0,
            text: "12.50".into()
        })
    );
    assert_eq!(
        amount("999999999999999999").to_minor(&Currency::Usd),
        Err(AmountError::Overflow)
    );
    assert!(matches!(
        amount("1").to_minor(&Currency::Unknown("ZZZ".into())),
        Err(AmountError::UnknownPrecision { .. })
    ));
}

#[test]
fn check_precision_follows_to_minor_rule() {
    assert_eq!(amount("12.34").check_precision(&Currency::Usd), Ok(()));
    assert_eq!(amount("12.340").check_precision(&Currency::Usd), Ok(()));
    assert_eq!(amount("5").check_precision(&Currency::Jpy), Ok(()));
    assert!(matches!(
        amount("12.345").check_precision(&Currency::Usd),
        Err(AmountError::TooPrecise { decimals: 2, .. })
    ));
    assert!(matches!(
        amount("1").check_precision(&Currency::Unknown("ZZZ".into())),
        Err(AmountError::UnknownPrecision { .. })
    ));
    // Precision only: a huge but whole amount is fine here.
    assert_eq!(
        amount("999999999999999999").check_precision(&Currency::Usd),
        Ok(())
    );
}

#[test]
fn error_messages_are_actionable() {
    let err = amount("12.345").to_minor(&Currency::Usd).unwrap_err();
    assert_eq!(
        err.to_string(),
        "amount `12.345` has more decimals than USD allows (2)"
    );
    let err = Amount::parse("1e2").unwrap_err().to_string();
    assert!(
        err.contains("`1e2`") && err.contains("such as `12.50`"),
        "{err}"
    );
    let err = Amount::parse("").unwrap_err().to_string();
    assert!(err.contains("empty"), "{err}");
}

// --- text, sign, comparison ---

#[test]
fn keeps_wire_text_and_formats() {
    let a = amount("007.50");
    assert_eq!(a.as_str(), "007.50");
    assert_eq!(a.to_string(), "007.50");
    assert_eq!(format!("{a:?}"), "Amount(007.50)");
    assert_eq!(format!("{:?}", amount("12.50")), "Amount(12.50)");
    assert_eq!(a, amount("7.5"));
}

#[test]
fn a_value_of_the_wrong_type_names_what_was_expected() {
    // serde_json hands over raw text (its errors are the parser's); other formats meet
    // the visitor, whose words these are.
    let error =
        Amount::deserialize(IntoDeserializer::<ValueError>::into_deserializer(true)).unwrap_err();
    assert!(error.to_string().contains("a decimal amount"), "{error}");
    // A map that is not serde_json's raw value: a key of the wrong kind, then a value of the
    // wrong kind under the right key.
    use serde::de::value::MapDeserializer;
    let wrong_key = MapDeserializer::<_, ValueError>::new(vec![(1u8, 2u8)].into_iter());
    let error = Amount::deserialize(wrong_key).unwrap_err();
    assert!(error.to_string().contains("not a map"), "{error}");
    let key = "$serde_json::private::RawValue";
    let wrong_value = MapDeserializer::<_, ValueError>::new(vec![(key, 2u8)].into_iter());
    let error = Amount::deserialize(wrong_value).unwrap_err();
    assert!(error.to_string().contains("raw JSON text"), "{error}");
}

#[test]
fn sign_predicates() {
    assert!(amount("0.01").is_positive());
    assert!(amount("-0.01").is_negative());
    for zero in ["0", "0.00", "-0", "-0.000"] {
        let z = amount(zero);
        assert!(
            z.is_zero() && !z.is_positive() && !z.is_negative(),
            "{zero}"
        );
    }
    for not_zero in ["0.01", "-0.01", "1", "100"] {
        assert!(!amount(not_zero).is_zero(), "{not_zero}");
    }
}

#[test]
fn equality_ordering_and_hash_by_value() {
    assert_eq!(amount("12.5"), amount("12.50"));
    assert_eq!(hash_of(&amount("12.5")), hash_of(&amount("12.500")));
    assert_eq!(amount("0"), amount("-0.00"));
    assert_eq!(hash_of(&amount("0")), hash_of(&amount("-0.00")));
    // Different values hash apart (a hash of nothing would make every set one long chain).
    let hashes: std::collections::HashSet<u64> = ["0", "0.1", "1", "10", "-1", "12.5", "12.05"]
        .iter()
        .map(|a| hash_of(&amount(a)))
        .collect();
    assert_eq!(hashes.len(), 7);
    assert_ne!(amount("12.5"), amount("12.05"));
    assert!(amount("12.5") > amount("12.49"));
    assert!(amount("-1") < amount("-0.999999999"));
    assert!(amount("999999999999999999") > amount("999999999.999999999"));
    let mut list = vec![amount("2"), amount("-1.5"), amount("0.25"), amount("2.00")];
    list.sort();
    let texts: Vec<_> = list.iter().map(Amount::as_str).collect();
    assert_eq!(texts, ["-1.5", "0.25", "2", "2.00"]);
    let set: std::collections::HashSet<_> = list.into_iter().collect();
    assert_eq!(set.len(), 3);
}

#[test]
fn checked_arithmetic() {
    let sum = amount("12.50").checked_add(&amount("0.5")).unwrap();
    assert_eq!(sum.as_str(), "13.00");
    let diff = amount("12.50").checked_sub(&amount("0.5")).unwrap();
    assert_eq!(diff.as_str(), "12.00");
    let neg = amount("1").checked_sub(&amount("1.25")).unwrap();
    assert_eq!(neg.as_str(), "-0.25");
    let big = amount("999999999999999999");
    assert_eq!(big.checked_add(&amount("1")), None);
    assert_eq!(big.checked_add(&amount("0.1")), None);
    assert_eq!(
        amount("-999999999999999999").checked_sub(&amount("1")),
        None
    );
    assert_eq!(
        big.checked_sub(&amount("1")).unwrap().as_str(),
        "999999999999999998"
    );
}

// --- serde ---

#[test]
fn serializes_wire_text_as_string() {
    assert_eq!(
        serde_json::to_string(&amount("007.50")).unwrap(),
        "\"007.50\""
    );
    assert_eq!(serde_json::to_value(amount("1")).unwrap(), json!("1"));
}

#[test]
fn deserializes_json_numbers_exactly() {
    for text in [
        "0.01",
        "100",
        "-0.05",
        "12.50",
        "0.30",
        "999999999.999999999",
    ] {
        let a: Amount = serde_json::from_str(text).unwrap();
        assert_eq!(a.as_str(), text);
    }
    let a: Amount = serde_json::from_slice(b" 0.10 ").unwrap();
    assert_eq!(a.as_str(), "0.10");
    let a: Amount = serde_json::from_reader(&b"0.01"[..]).unwrap();
    assert_eq!(a.as_str(), "0.01");
}

#[test]
fn deserializes_json_strings() {
    let a: Amount = serde_json::from_str("\"12.50\"").unwrap();
    assert_eq!(a.as_str(), "12.50");
    let a: Amount = serde_json::from_str(r#""\u0031\u0032.5""#).unwrap();
    assert_eq!(a.as_str(), "12.5");
    let a: Amount = serde_json::from_reader(&b"\"7.00\""[..]).unwrap();
    assert_eq!(a.as_str(), "7.00");
}

#[test]
fn rejects_bad_json() {
    for json in [
        "1e2",
        "1E2",
        "1.0e2",
        "-1e-2",
        "true",
        "null",
        "[]",
        "{}",
        "\"\"",
        "\" 1\"",
        "\"1e2\"",
        "{\"a\":1}",
        "[\"1\"]",
        "12345678901234567890",
        "0.0000000001",
    ] {
        assert!(serde_json::from_str::<Amount>(json).is_err(), "{json}");
    }
}

#[test]
fn optional_field_in_struct() {
    let parse = |json: &str| serde_json::from_str::<Holder>(json).map(|h| h.a);
    assert_eq!(parse(r#"{"a": 100}"#).unwrap().unwrap().as_str(), "100");
    assert_eq!(parse(r#"{"a":"0.5"}"#).unwrap().unwrap().as_str(), "0.5");
    assert_eq!(parse(r#"{"a": 0.01}"#).unwrap().unwrap().as_str(), "0.01");
    assert_eq!(parse(r#"{"a": null}"#).unwrap(), None);
    assert_eq!(parse("{}").unwrap(), None);
    assert!(parse(r#"{"a": 1e2}"#).is_err());
    assert!(parse(r#"{"a": true}"#).is_err());
    let err = parse(r#"{"a": "12,50"}"#).unwrap_err().to_string();
    assert!(err.contains("`12,50`"), "{err}");
}

#[test]
fn from_value_uses_value_text() {
    assert_eq!(
        serde_json::from_value::<Amount>(json!(5)).unwrap().as_str(),
        "5"
    );
    assert_eq!(
        serde_json::from_value::<Amount>(json!("12.50"))
            .unwrap()
            .as_str(),
        "12.50"
    );
    assert!(serde_json::from_value::<Amount>(json!(true)).is_err());
    assert!(serde_json::from_value::<Amount>(json!(null)).is_err());
    // serde_json's `Value` also speaks the raw-value protocol and hands
    // over its own rendering of a stored float: shortest round-trip text.
    assert_eq!(
        serde_json::from_value::<Amount>(json!(0.5))
            .unwrap()
            .as_str(),
        "0.5"
    );
    // Float noise is refused instead of being rounded.
    assert!(serde_json::from_value::<Amount>(json!(0.1 + 0.2)).is_err());
    assert!(serde_json::from_value::<Amount>(json!(1e20)).is_err());
    let holder: Holder = serde_json::from_value(json!({"a": 100})).unwrap();
    assert_eq!(holder.a.unwrap().as_str(), "100");
}

/// Deserializes through serde's own value deserializers, which know
/// nothing of serde_json's raw-value protocol.
fn plain<'de, T: IntoDeserializer<'de, ValueError>>(value: T) -> Result<Amount, ValueError> {
    Amount::deserialize(value.into_deserializer())
}

#[test]
fn non_json_deserializers_take_the_plain_path() {
    assert_eq!(plain(5i64).unwrap().as_str(), "5");
    assert_eq!(plain(7u64).unwrap().as_str(), "7");
    assert_eq!(plain(-3i32).unwrap().as_str(), "-3");
    assert_eq!(plain("12.50").unwrap().as_str(), "12.50");
    assert_eq!(plain(String::from("-0.5")).unwrap().as_str(), "-0.5");
    let err = plain(0.5f64).unwrap_err().to_string();
    assert!(err.contains("floats are never accepted"), "{err}");
    assert!(plain(0.5f32).is_err());
    let err = plain(u64::MAX).unwrap_err().to_string();
    assert!(err.contains("too many digits"), "{err}");
    assert!(plain(i64::MIN).is_err());
    assert!(plain("1e2").is_err());
    assert!(plain(true).is_err());
}

// --- properties ---

/// An amount with any mantissa within the limits and any allowed scale.
fn any_amount() -> impl Strategy<Value = Amount> {
    (-MANTISSA_LIMIT + 1..MANTISSA_LIMIT, 0..=MAX_SCALE)
        .prop_map(|(mantissa, scale)| Amount::from_parts(mantissa, scale).unwrap())
}

proptest! {
    #[test]
    fn parse_then_format_is_identity(text in r"-?[0-9]{1,12}(\.[0-9]{1,6})?") {
        let a = Amount::parse(&text).unwrap();
        prop_assert_eq!(a.as_str(), text.as_str());
        let again = Amount::parse(&a.to_string()).unwrap();
        prop_assert_eq!(&again, &a);
        let json = serde_json::to_string(&a).unwrap();
        let from_string: Amount = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(from_string.as_str(), text.as_str());
        // JSON forbids leading zeros in numbers ("007"), so only texts
        // that are valid JSON numbers can round-trip as numbers.
        if serde_json::from_str::<serde_json::Value>(&text).is_ok() {
            let from_number: Amount = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(from_number.as_str(), text.as_str());
        }
    }

    #[test]
    fn canonical_text_parses_back(a in any_amount()) {
        let b = Amount::parse(a.as_str()).unwrap();
        prop_assert_eq!((b.mantissa, b.scale), (a.mantissa, a.scale));
    }

    #[test]
    fn minor_units_round_trip(units in -MANTISSA_LIMIT + 1..MANTISSA_LIMIT) {
        for currency in [Currency::Usd, Currency::Jpy] {
            let a = Amount::from_minor(units, &currency).unwrap();
            prop_assert_eq!(a.to_minor(&currency), Ok(units));
            prop_assert_eq!(a.check_precision(&currency), Ok(()));
            prop_assert_eq!(Amount::parse(a.as_str()).unwrap().to_minor(&currency), Ok(units));
        }
    }

    #[test]
    fn parse_never_panics(text in any::<String>()) {
        let _ = Amount::parse(&text);
    }

    #[test]
    fn parse_never_panics_near_valid(text in r"[-+.0-9eE ,]{0,30}") {
        if let Ok(a) = Amount::parse(&text) {
            prop_assert_eq!(a.as_str(), text.as_str());
            let _ = a.to_minor(&Currency::Usd);
            let _ = a.to_minor(&Currency::Jpy);
        }
    }

    #[test]
    fn json_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let _ = serde_json::from_slice::<Amount>(&bytes);
        let _ = serde_json::from_slice::<Holder>(&bytes);
    }

    #[test]
    fn json_like_never_panics(text in r#"[-+.0-9eE "\\u{}:a,\[\]nul]{0,40}"#) {
        let _ = serde_json::from_str::<Amount>(&text);
        let _ = serde_json::from_reader::<_, Amount>(text.as_bytes());
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
            let _ = serde_json::from_value::<Amount>(value);
        }
    }

    #[test]
    fn trailing_zeros_keep_value(
        text in r"-?[0-9]{1,9}(\.[0-9]{1,6})?",
        zeros in 1usize..=3,
    ) {
        let point = if text.contains('.') { "" } else { "." };
        let padded = format!("{text}{point}{}", "0".repeat(zeros));
        let (a, b) = (Amount::parse(&text).unwrap(), Amount::parse(&padded).unwrap());
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(a.cmp(&b), Ordering::Equal);
        prop_assert_eq!(hash_of(&a), hash_of(&b));
    }

    #[test]
    fn ordering_matches_exact_value(a in any_amount(), b in any_amount()) {
        let scale = a.scale.max(b.scale);
        let expected = a.scaled_to(scale).unwrap().cmp(&b.scaled_to(scale).unwrap());
        prop_assert_eq!(a.cmp(&b), expected);
        if a == b {
            prop_assert_eq!(hash_of(&a), hash_of(&b));
        }
    }

    #[test]
    fn checked_arithmetic_matches_i128(a in any_amount(), b in any_amount()) {
        let scale = a.scale.max(b.scale);
        let (x, y) = (a.scaled_to(scale).unwrap(), b.scaled_to(scale).unwrap());
        let limit = i128::from(MANTISSA_LIMIT);
        for (result, exact) in [(a.checked_add(&b), x + y), (a.checked_sub(&b), x - y)] {
            if exact.abs() < limit {
                let r = result.unwrap();
                prop_assert_eq!((i128::from(r.mantissa), r.scale), (exact, scale));
                let canonical = canonical_text(r.mantissa, scale);
                prop_assert_eq!(r.as_str(), canonical.as_str());
            } else {
                prop_assert!(result.is_none());
            }
        }
    }

    #[test]
    fn checked_arithmetic_matches_i128_small(
        a in (-10_000_000i64..10_000_000, 0..=4u8),
        b in (-10_000_000i64..10_000_000, 0..=4u8),
    ) {
        let (a, b) = (Amount::from_parts(a.0, a.1).unwrap(), Amount::from_parts(b.0, b.1).unwrap());
        let sum = a.checked_add(&b).unwrap();
        let back = sum.checked_sub(&b).unwrap();
        prop_assert_eq!(&back, &a);
        let scale = a.scale.max(b.scale);
        let exact = a.scaled_to(scale).unwrap() + b.scaled_to(scale).unwrap();
        prop_assert_eq!(i128::from(sum.mantissa), exact);
    }
}
