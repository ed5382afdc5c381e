//! Properties of signing and verification over arbitrary input.

use std::collections::BTreeMap;

use pockyt_sign::{
    SignError, SigningKey, VerifyError, canonical_string, sign, verify, verify_embedded,
};
use proptest::prelude::*;

fn params() -> impl Strategy<Value = BTreeMap<String, String>> {
    // Names are parameter-like ASCII; values are arbitrary Unicode, empty included.
    proptest::collection::btree_map("[A-Za-z_][A-Za-z0-9_]{0,12}", any::<String>(), 0..16)
        .prop_filter("verifySign is not a parameter", |m| {
            !m.contains_key("verifySign")
        })
}

fn pairs(m: &BTreeMap<String, String>) -> Vec<(&str, &str)> {
    m.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// Names that often share their first seven bytes or more (and may hold NUL), up to beyond the
/// signer's 48 inline pairs: the cases where the packed sort keys tie and names are compared whole.
fn crowded_names() -> impl Strategy<Value = BTreeMap<String, String>> {
    proptest::collection::btree_map(
        "(merchant|settleCu|a|)[A-Za-z0-9\\x00]{0,9}",
        "[a-z0-9]{0,3}",
        0..60,
    )
    .prop_filter("verifySign is not a parameter", |m| {
        !m.contains_key("verifySign")
    })
}

fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut s = seed;
    for i in (1..items.len()).rev() {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        items.swap(i, (s >> 33) as usize % (i + 1));
    }
}

proptest! {
    #[test]
    fn canonical_order_is_byte_order(m in crowded_names(), seed in any::<u64>()) {
        let mut shuffled = pairs(&m);
        shuffle(&mut shuffled, seed);
        // A BTreeMap of Strings iterates in byte order: the reference.
        let expected: Vec<String> = m.iter().map(|(k, v)| format!("{k}={v}")).collect();
        prop_assert_eq!(canonical_string(shuffled).unwrap(), expected.join("&"));
    }

    #[test]
    fn a_repeated_name_is_always_refused(m in crowded_names(), pick in any::<prop::sample::Index>(), seed in any::<u64>()) {
        prop_assume!(!m.is_empty());
        let mut with_twice = pairs(&m);
        let (name, _) = with_twice[pick.index(with_twice.len())];
        with_twice.push((name, "again"));
        shuffle(&mut with_twice, seed);
        let refused = canonical_string(with_twice).unwrap_err();
        prop_assert!(matches!(&refused, SignError::DuplicateName { name: n, .. } if n == name), "{refused:?}");
    }

    #[test]
    fn order_of_pairs_does_not_matter(m in params(), seed in any::<u64>(), token in any::<String>()) {
        let key = SigningKey::from_token(&token);
        let mut shuffled = pairs(&m);
        // A deterministic shuffle driven by the seed.
        let n = shuffled.len();
        let mut s = seed;
        for i in (1..n).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        prop_assert_eq!(sign(pairs(&m), &key).unwrap(), sign(shuffled, &key).unwrap());
    }

    #[test]
    fn sign_then_verify_round_trips(m in params(), token in any::<String>()) {
        let key = SigningKey::from_token(&token);
        let sig = sign(pairs(&m), &key).unwrap().to_string();
        prop_assert_eq!(verify(pairs(&m), &sig, &key), Ok(()));
        let mut with = pairs(&m);
        with.push(("verifySign", &sig));
        prop_assert_eq!(verify_embedded(with, &key), Ok(()));
    }

    #[test]
    fn hex_case_is_irrelevant(m in params(), mask in any::<u32>()) {
        let key = SigningKey::from_token("t");
        let sig = sign(pairs(&m), &key).unwrap().to_string();
        let mixed: String = sig.chars().enumerate()
            .map(|(i, c)| if mask >> (i % 32) & 1 == 1 { c.to_ascii_uppercase() } else { c })
            .collect();
        prop_assert_eq!(verify(pairs(&m), &mixed, &key), Ok(()));
    }

    #[test]
    fn changing_a_value_breaks_verification(m in params(), pick in any::<prop::sample::Index>(), extra in "[^\u{0}]{1,4}") {
        prop_assume!(!m.is_empty());
        let key = SigningKey::from_token("t");
        let sig = sign(pairs(&m), &key).unwrap().to_string();
        let mut changed = m.clone();
        let name = pick.get(&m.keys().cloned().collect::<Vec<_>>()).clone();
        changed.entry(name).and_modify(|v| v.push_str(&extra));
        prop_assert_eq!(verify(pairs(&changed), &sig, &key), Err(VerifyError::Mismatch));
    }

    #[test]
    fn changing_a_name_breaks_verification(m in params(), pick in any::<prop::sample::Index>()) {
        prop_assume!(!m.is_empty());
        let key = SigningKey::from_token("t");
        let sig = sign(pairs(&m), &key).unwrap().to_string();
        let names: Vec<String> = m.keys().cloned().collect();
        let old = pick.get(&names).clone();
        let new = format!("{old}X");
        prop_assume!(!m.contains_key(&new));
        let mut changed = m.clone();
        let value = changed.remove(&old).unwrap_or_default();
        changed.insert(new, value);
        prop_assert_eq!(verify(pairs(&changed), &sig, &key), Err(VerifyError::Mismatch));
    }

    #[test]
    fn changing_a_signature_byte_breaks_verification(m in params(), at in 0usize..16, flip in 1u8..=255) {
        let key = SigningKey::from_token("t");
        let mut bytes = *sign(pairs(&m), &key).unwrap().as_bytes();
        bytes[at] ^= flip;
        let tampered = pockyt_sign::Signature::from_bytes(bytes).to_string();
        prop_assert_eq!(verify(pairs(&m), &tampered, &key), Err(VerifyError::Mismatch));
    }

    #[test]
    fn another_token_never_verifies(m in params(), a in any::<String>(), b in any::<String>()) {
        prop_assume!(a != b);
        let sig = sign(pairs(&m), &SigningKey::from_token(&a)).unwrap().to_string();
        prop_assert_eq!(verify(pairs(&m), &sig, &SigningKey::from_token(&b)), Err(VerifyError::Mismatch));
    }

    #[test]
    fn verify_never_panics(m in params(), received in any::<String>()) {
        let key = SigningKey::from_token("t");
        let _ = verify(pairs(&m), &received, &key);
        let mut with = pairs(&m);
        with.push(("verifySign", &received));
        let _ = verify_embedded(with, &key);
    }
}
