//! `application/x-www-form-urlencoded` parsing that refuses to guess.
//!
//! Written here rather than borrowed because a signature check needs the exact decoded bytes:
//! general-purpose parsers replace invalid UTF-8 with U+FFFD and keep the last of repeated names,
//! and either would make a verifier check something other than what was sent.

/// Why a body is not a form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormError {
    /// A `%` is not followed by two hex digits.
    #[error("bad percent-escape at byte {at}")]
    #[non_exhaustive]
    BadEscape {
        /// Byte offset of the `%`.
        at: usize,
    },
    /// A decoded name or value is not UTF-8.
    #[error("a decoded name or value is not UTF-8")]
    NotUtf8,
    /// A pair has an empty name (`=x` or `&&`).
    #[error("a pair has an empty name")]
    EmptyName,
}

/// Splits a form body into decoded `(name, value)` pairs, in order, duplicates included (the caller
/// decides what a duplicate means). `+` decodes to a space.
pub fn parse(body: &[u8]) -> Result<Vec<(String, String)>, FormError> {
    let mut pairs = Vec::new();
    let mut offset = 0;
    for part in body.split(|b| *b == b'&') {
        let start = offset;
        offset += part.len() + 1;
        if part.is_empty() {
            // A trailing `&` (or an empty body) carries nothing.
            continue;
        }
        let (name, value) = match part.iter().position(|b| *b == b'=') {
            Some(eq) => (&part[..eq], &part[eq + 1..]),
            None => (part, &[][..]),
        };
        if name.is_empty() {
            return Err(FormError::EmptyName);
        }
        // Positions count the bytes as received, so the value starts after the raw name.
        let value_at = start + name.len() + 1;
        let name = decode(name, start)?;
        let value = decode(value, value_at)?;
        pairs.push((name, value));
    }
    Ok(pairs)
}

fn decode(raw: &[u8], base: usize) -> Result<String, FormError> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = raw
                    .get(i + 1..i + 3)
                    .ok_or(FormError::BadEscape { at: base + i })?;
                let high = hex_value(hex[0]).ok_or(FormError::BadEscape { at: base + i })?;
                let low = hex_value(hex[1]).ok_or(FormError::BadEscape { at: base + i })?;
                out.push(high << 4 | low);
                i += 2;
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| FormError::NotUtf8)
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Encodes pairs as a form body (the inverse of [`parse`]).
pub fn encode<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (i, (name, value)) in pairs.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        escape_into(name, &mut out);
        out.push('=');
        escape_into(value, &mut out);
    }
    out
}

/// Escapes one value the way [`encode`] does (for a value that goes into a URL's query).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(text, &mut out);
    out
}

fn escape_into(text: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in text.as_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(byte >> 4)] as char);
                out.push(HEX[usize::from(byte & 0xf)] as char);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_bad_escape_is_located_in_the_body_as_received() {
        let at = |body: &[u8]| match parse(body) {
            Err(FormError::BadEscape { at }) => at,
            other => panic!("{other:?}"),
        };
        assert_eq!(at(b"a=%zz"), 2);
        assert_eq!(at(b"a=1&b=%zz"), 6);
        assert_eq!(at(b"a=1&bb=22&c=%z"), 12);
        // An escaped name is longer as received than decoded.
        assert_eq!(at(b"%61=%zz"), 4);
        assert_eq!(at(b"x=1&%6"), 4);
    }

    #[test]
    fn lowercase_and_uppercase_escapes_decode_alike() {
        let lower = parse(b"x=%e9%80%80%2f%3a").unwrap();
        let upper = parse(b"x=%E9%80%80%2F%3A").unwrap();
        assert_eq!(lower, upper);
        assert_eq!(lower[0].1, "退/:");
        assert!(matches!(
            parse(b"x=%g0"),
            Err(FormError::BadEscape { at: 2 })
        ));
        // Either digit may be the bad one, wherever the escape is.
        for (body, at) in [
            (&b"x=%0g"[..], 2),
            (b"x=ab%0g", 4),
            (b"x=ab%g0", 4),
            (b"x=ab%0", 4),
        ] {
            assert!(
                matches!(parse(body), Err(FormError::BadEscape { at: a }) if a == at),
                "{body:?}"
            );
        }
    }

    #[test]
    fn escape_is_one_encoded_value() {
        assert_eq!(escape("a b&c=d/é"), "a+b%26c%3Dd%2F%C3%A9");
        assert_eq!(escape("safe-_.*09AZaz"), "safe-_.*09AZaz");
        assert_eq!(format!("x={}", escape("1 & 2")), encode([("x", "1 & 2")]));
    }

    #[test]
    fn decodes_plus_and_escapes() {
        let pairs = parse(b"note=gift+%26+wrap&empty=&flag&x=%E9%80%80").unwrap();
        assert_eq!(
            pairs,
            vec![
                ("note".into(), "gift & wrap".into()),
                ("empty".into(), String::new()),
                ("flag".into(), String::new()),
                ("x".into(), "退".into()),
            ]
        );
    }

    #[test]
    fn rejects_what_it_cannot_decode_exactly() {
        assert_eq!(parse(b"a=%zz"), Err(FormError::BadEscape { at: 2 }));
        assert_eq!(parse(b"a=%4"), Err(FormError::BadEscape { at: 2 }));
        assert_eq!(parse(b"a=%ff"), Err(FormError::NotUtf8));
        assert_eq!(parse(b"a=\xff"), Err(FormError::NotUtf8));
        assert_eq!(parse(b"=x"), Err(FormError::EmptyName));
        assert_eq!(parse(b"").unwrap(), vec![]);
    }

    proptest! {
        #[test]
        fn encode_then_parse_is_identity(pairs in proptest::collection::vec(("[^\u{0}]{1,8}", any::<String>()), 0..8)) {
            let body = encode(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
            prop_assert_eq!(parse(body.as_bytes()).unwrap(), pairs);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            let _ = parse(&bytes);
        }
    }
}
