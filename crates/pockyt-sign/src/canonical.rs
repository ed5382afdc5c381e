//! The canonical string: parameters sorted by name, `name=value` joined by `&`, `verifySign` left
//! out, a repeated name refused. Every other pair is included as given, an empty value too: which
//! pairs to sign is the caller's choice (`verify_received` states the rule for empty values).

use crate::SIGNATURE_PARAM;
use crate::error::SignError;

/// Requests have at most a few dozen parameters; this many are sorted on the stack, more spill to
/// one heap buffer.
const INLINE_PAIRS: usize = 48;

/// A name/value pair as it is signed.
pub(crate) type Pair<'a> = (&'a str, &'a str);

/// The pairs to sign, sorted by name, plus the `verifySign` that was among them (if any).
pub(crate) struct Sorted<'s, 'a> {
    pub(crate) pairs: &'s [Pair<'a>],
    pub(crate) embedded_signature: Option<&'a str>,
}

/// Sorts `pairs` by name (byte order) without allocating for up to [`INLINE_PAIRS`] pairs, sets
/// `verifySign` aside, rejects repeated names, and hands the result to `f`.
pub(crate) fn with_sorted<'a, R>(
    pairs: impl IntoIterator<Item = Pair<'a>>,
    f: impl FnOnce(Sorted<'_, 'a>) -> R,
) -> Result<R, SignError> {
    let mut inline: [Pair<'a>; INLINE_PAIRS] = [("", ""); INLINE_PAIRS];
    let mut spill: Vec<Pair<'a>> = Vec::new();
    let mut len = 0;
    let mut embedded_signature = None;
    for (name, value) in pairs {
        if name == SIGNATURE_PARAM {
            if embedded_signature.replace(value).is_some() {
                return Err(duplicate(name));
            }
            continue;
        }
        if len < INLINE_PAIRS {
            inline[len] = (name, value);
        } else {
            if spill.is_empty() {
                spill.extend_from_slice(&inline);
            }
            spill.push((name, value));
        }
        len += 1;
    }
    let sorted: &mut [Pair<'a>] = if spill.is_empty() {
        &mut inline[..len]
    } else {
        &mut spill
    };
    sort_by_name(sorted);
    if let Some(pair) = sorted.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(duplicate(pair[0].0));
    }
    Ok(f(Sorted {
        pairs: sorted,
        embedded_signature,
    }))
}

/// Sorts pairs by name in byte order.
///
/// An insertion sort (requests have a few dozen pairs at most) that compares the first eight bytes
/// of each name as one integer, computed once per pair, before falling back to a full comparison:
/// most names differ early, and a `memcmp` call per comparison was the largest cost of signing after
/// MD5 itself. Names are unique once checked, so the order is the one canonical order.
fn sort_by_name(pairs: &mut [Pair<'_>]) {
    let mut keys = [0u64; INLINE_PAIRS];
    if pairs.len() > INLINE_PAIRS {
        pairs.sort_unstable_by(|a, b| a.0.cmp(b.0));
        return;
    }
    for (key, pair) in keys.iter_mut().zip(pairs.iter()) {
        *key = name_prefix(pair.0);
    }
    for i in 1..pairs.len() {
        let (current, key) = (pairs[i], keys[i]);
        let mut j = i;
        while j > 0 && (key < keys[j - 1] || (key == keys[j - 1] && current.0 < pairs[j - 1].0)) {
            pairs[j] = pairs[j - 1];
            keys[j] = keys[j - 1];
            j -= 1;
        }
        pairs[j] = current;
        keys[j] = key;
    }
}

/// The first eight bytes of a name as a big-endian integer, zero-padded. Zero padding keeps the
/// order exact: a name that is a prefix of another never compares greater.
#[inline]
fn name_prefix(name: &str) -> u64 {
    // Most names are eight bytes or longer: one load, no copy loop.
    if let Some(head) = name.as_bytes().first_chunk::<8>() {
        return u64::from_be_bytes(*head);
    }
    let mut bytes = [0u8; 8];
    for (slot, &b) in bytes.iter_mut().zip(name.as_bytes()) {
        *slot = b;
    }
    u64::from_be_bytes(bytes)
}

fn duplicate(name: &str) -> SignError {
    SignError::DuplicateName {
        name: name.to_owned(),
    }
}

/// The string that is hashed, before `&` + md5(token) is appended: pairs sorted by name,
/// `verifySign` left out, `name=value` joined by `&`, values raw.
///
/// Useful for debugging a signature mismatch against another implementation. The signer itself
/// never builds this string.
///
/// ```
/// let s = pockyt_sign::canonical_string([("storeNo", "300014"), ("amount", "1.00"), ("verifySign", "x")])?;
/// assert_eq!(s, "amount=1.00&storeNo=300014");
/// # Ok::<(), pockyt_sign::SignError>(())
/// ```
pub fn canonical_string<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<String, SignError> {
    with_sorted(pairs, |sorted| {
        let mut out = String::new();
        for (i, (name, value)) in sorted.pairs.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.push_str(name);
            out.push('=');
            out.push_str(value);
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_by_byte_order_uppercase_first() {
        let s = canonical_string([("b", "1"), ("Z", "2"), ("_x", "3"), ("a", "4")]).unwrap();
        assert_eq!(s, "Z=2&_x=3&a=4&b=1");
    }

    #[test]
    fn merchant_fields_sort_case_sensitively() {
        // `merGroupNo` < `merchantNo` in byte order ('G' < 'c'); a culture-aware sort gets this wrong.
        let s = canonical_string([("merchantNo", "1"), ("merGroupNo", "2")]).unwrap();
        assert_eq!(s, "merGroupNo=2&merchantNo=1");
    }

    #[test]
    fn duplicate_names_are_rejected() {
        let err = canonical_string([("a", "1"), ("b", "2"), ("a", "1")]).unwrap_err();
        assert_eq!(err, SignError::DuplicateName { name: "a".into() });
        let err = canonical_string([("verifySign", "1"), ("verifySign", "2")]).unwrap_err();
        assert_eq!(
            err,
            SignError::DuplicateName {
                name: "verifySign".into()
            }
        );
    }

    #[test]
    fn more_pairs_than_the_inline_buffer() {
        let names: Vec<String> = (0..100).rev().map(|i| format!("p{i:03}")).collect();
        let pairs: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "v")).collect();
        let s = canonical_string(pairs.iter().copied()).unwrap();
        assert!(s.starts_with("p000=v&p001=v&"));
        assert!(s.ends_with("&p099=v"));
        let mut dup = pairs.clone();
        dup.push(("p050", "w"));
        assert!(canonical_string(dup).is_err());
    }

    #[test]
    fn empty_input_gives_empty_string() {
        assert_eq!(canonical_string([]).unwrap(), "");
    }
}
