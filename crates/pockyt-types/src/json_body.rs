//! The request body: a flat JSON object of strings, written straight from the signed pairs.

use crate::identity::SIGNATURE_PARAM;

/// The body the gateway receives: `{"name":"value",…,"verifySign":"…"}`, the pairs in the order
/// given (the signing order), then the signature.
///
/// `pairs` are the ones that were signed (see [`crate::Identity::signing_pairs`]), `signature`
/// the lowercase hex `verifySign` over them (`pockyt_sign::sign`), `len` how many pairs there are
/// (it sizes the buffer). This is the function `pockyt::Client` sends with, byte for byte.
///
/// Names and values are nearly always plain text, which goes between quotes as is; only a string
/// holding `"`, `\` or a control character is escaped, by serde_json, so the output is byte for byte
/// what serde_json writes for the same map.
///
/// ```
/// let body = pockyt_types::json_body([("amount", "1.00"), ("note", "a \"b\"")].into_iter(), "ab12", 2);
/// assert_eq!(body, br#"{"amount":"1.00","note":"a \"b\"","verifySign":"ab12"}"#);
/// ```
pub fn json_body<'a>(
    pairs: impl Iterator<Item = (&'a str, &'a str)>,
    signature: &str,
    len: usize,
) -> Vec<u8> {
    let mut buf = Vec::with_capacity(64 + len * 48);
    buf.push(b'{');
    for (name, value) in pairs {
        string(&mut buf, name);
        buf.push(b':');
        string(&mut buf, value);
        buf.push(b',');
    }
    string(&mut buf, SIGNATURE_PARAM);
    buf.push(b':');
    string(&mut buf, signature);
    buf.push(b'}');
    buf
}

fn string(buf: &mut Vec<u8>, text: &str) {
    if is_plain(text.as_bytes()) {
        buf.push(b'"');
        buf.extend_from_slice(text.as_bytes());
        buf.push(b'"');
    } else {
        // Serializing a str into a Vec cannot fail; checked anyway, never unwrapped.
        let written = serde_json::to_writer(&mut *buf, text);
        debug_assert!(written.is_ok());
    }
}

/// Whether `bytes` need no JSON escape: no `"`, no `\\`, nothing below 0x20.
///
/// Sixteen bytes at a time, the last chunk padded with a harmless byte, each chunk checked by a
/// fold without early exit over a fixed-size array, which the compiler turns into a few SIMD
/// compares: serde_json looks each byte up in a table, which was the largest cost of encoding a
/// request after MD5, and a plain loop over a short name costs more in its tail than in its body
/// (see `docs/performance.md`). Bytes of 0x80 and above (UTF-8 sequences) never need escaping.
fn is_plain(bytes: &[u8]) -> bool {
    let mut chunks = bytes.chunks_exact(16);
    // Every chunk is 16 bytes, so the conversion cannot fail (and would only mean "escape it").
    let whole = chunks.by_ref().fold(true, |plain, chunk| {
        plain & <&[u8; 16]>::try_from(chunk).is_ok_and(block_is_plain)
    });
    let rest = chunks.remainder();
    let mut block = [b'a'; 16];
    block[..rest.len()].copy_from_slice(rest);
    whole & block_is_plain(&block)
}

#[inline(always)]
fn block_is_plain(block: &[u8; 16]) -> bool {
    block.iter().fold(true, |plain, &b| {
        plain & (b >= 0x20) & (b != b'"') & (b != b'\\')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn signature() -> String {
        "ab".repeat(16)
    }

    /// What serde_json's compact serializer writes for the same entries, in the same order.
    fn reference(pairs: &[(String, String)]) -> Vec<u8> {
        let entries: Vec<String> = pairs
            .iter()
            .map(|(name, value)| (name.as_str(), value.clone()))
            .chain([("verifySign", "ab".repeat(16))])
            .map(|(name, value)| {
                let name = serde_json::to_string(name).unwrap();
                let value = serde_json::to_string(&value).unwrap();
                format!("{name}:{value}")
            })
            .collect();
        format!("{{{}}}", entries.join(",")).into_bytes()
    }

    #[test]
    fn plain_and_escaped_strings() {
        assert!(is_plain(b""));
        assert!(is_plain(
            "https://m.example.com/ipn?a=1&b={status} 日本".as_bytes()
        ));
        for bad in [
            "a\"b",
            "back\\slash",
            "tab\there",
            "nul\0",
            "\u{1f}",
            "0123456789abcde\n",
        ] {
            assert!(!is_plain(bad.as_bytes()), "{bad:?}");
        }
        // 0x7f and 0x20 need no escape in JSON.
        assert!(is_plain(b"\x7f \x7f \x7f \x7f \x7f"));
    }

    #[test]
    fn a_typical_body() {
        let pairs = [("amount", "12.50"), ("note", "say \"hi\"\n")];
        let body = json_body(pairs.into_iter(), &signature(), pairs.len());
        let owned: Vec<(String, String)> = pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        assert_eq!(body.as_slice(), reference(&owned).as_slice());
    }

    proptest! {
        #[test]
        fn matches_serde_json_byte_for_byte(
            pairs in proptest::collection::btree_map(any::<String>(), any::<String>(), 0..12)
        ) {
            let pairs: Vec<(String, String)> = pairs
                .into_iter()
                .filter(|(name, _)| name != "verifySign")
                .collect();
            let body = json_body(
                pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())),
                &signature(),
                pairs.len(),
            );
            let expected = reference(&pairs);
            prop_assert_eq!(body.as_slice(), expected.as_slice());
        }

        #[test]
        fn any_bytes_answer_like_a_byte_scan(
            // Mostly bytes that need no escape, so a lone bad byte lands at every position.
            bytes in proptest::collection::vec(prop_oneof![30 => 0x20u8..=0xff, 1 => any::<u8>()], 0..40)
        ) {
            let scan = bytes.iter().all(|&b| b >= 0x20 && b != b'"' && b != b'\\');
            prop_assert_eq!(is_plain(&bytes), scan);
        }
    }
}
