//! `verifySign`: MD5 over the canonical string and the key, and its constant-time check.

use md5::{Digest, Md5};
use subtle::ConstantTimeEq;

use crate::canonical::{Pair, with_sorted};
use crate::error::{SignError, VerifyError};
use crate::key::SigningKey;
use crate::signature::Signature;

/// Computes `verifySign` for a set of parameters.
///
/// `verifySign` itself is ignored if present. Each pair is fed to MD5 piece by piece; nothing is
/// allocated for up to 48 pairs. Fails only if a name appears twice.
///
/// ```
/// let key = pockyt_sign::SigningKey::from_token("my-test-token-001");
/// let sig = pockyt_sign::sign([("amount", "12.50"), ("currency", "USD")], &key)?;
/// assert_eq!(sig.to_string().len(), 32);
/// # Ok::<(), pockyt_sign::SignError>(())
/// ```
pub fn sign<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    key: &SigningKey,
) -> Result<Signature, SignError> {
    with_sorted(pairs, |sorted| digest(sorted.pairs, key))
}

/// Checks a received `verifySign` against the parameters it came with.
///
/// `received_hex` may be in either case. The 16 bytes are compared in constant time. `verifySign`
/// among `pairs` is ignored; use [`verify_embedded`] when the signature travels inside the pairs.
pub fn verify<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    received_hex: &str,
    key: &SigningKey,
) -> Result<(), VerifyError> {
    let expected = with_sorted(pairs, |sorted| digest(sorted.pairs, key))?;
    compare(&expected, received_hex)
}

/// Checks parameters that carry their own `verifySign` pair, as an IPN or a redirect does.
///
/// Every other pair is signed exactly as given. A missing or empty `verifySign` is
/// [`VerifyError::Missing`]; two of them are [`VerifyError::DuplicateName`].
pub fn verify_embedded<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    key: &SigningKey,
) -> Result<(), VerifyError> {
    let (expected, received) = with_sorted(pairs, |sorted| {
        (digest(sorted.pairs, key), sorted.embedded_signature)
    })?;
    compare(&expected, received.unwrap_or(""))
}

/// Checks received parameters that carry their own `verifySign` under the API's one rule for
/// empty values: **an empty value is the same as an absent field.**
///
/// The signature is valid if it covers every received pair as received, or every non-empty one.
/// The official Go SDK sends each unset field as `""` and leaves it out of `verifySign`; PHP,
/// Python, Java and JS sign every pair they send; pockyt-rs never sends an empty value. So a
/// receiver (the gateway, a simulator, an IPN handler) cannot tell which convention signed a
/// request that has empty pairs, and accepts either; nothing else is tried. Without empty pairs
/// this is exactly [`verify_embedded`].
///
/// ```
/// use pockyt_sign::{SigningKey, sign, verify_received};
///
/// let key = SigningKey::from_token("my-test-token-001");
/// // Signed the Go SDK's way: the empty `note` is sent but not signed.
/// let signed = sign([("amount", "1.00"), ("reference", "r-1")], &key)?.to_string();
/// let sent = [("amount", "1.00"), ("note", ""), ("reference", "r-1"), ("verifySign", &signed)];
/// verify_received(&sent, &key)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify_received(pairs: &[(&str, &str)], key: &SigningKey) -> Result<(), VerifyError> {
    match verify_embedded(pairs.iter().copied(), key) {
        Err(VerifyError::Mismatch) if pairs.iter().any(|(_, v)| v.is_empty()) => {
            verify_embedded(pairs.iter().copied().filter(|(_, v)| !v.is_empty()), key)
        }
        other => other,
    }
}

fn compare(expected: &Signature, received_hex: &str) -> Result<(), VerifyError> {
    if received_hex.is_empty() {
        return Err(VerifyError::Missing);
    }
    let received = Signature::from_hex(received_hex).map_err(|_| VerifyError::Malformed {
        len: received_hex.len(),
    })?;
    if bool::from(expected.as_bytes().ct_eq(received.as_bytes())) {
        Ok(())
    } else {
        Err(VerifyError::Mismatch)
    }
}

fn digest(sorted: &[Pair<'_>], key: &SigningKey) -> Signature {
    let mut md5 = Feeder::new();
    // `k1=v1&k2=v2&` + md5hex(token) is the canonical string + `&` + md5hex(token).
    for (name, value) in sorted {
        md5.write(name.as_bytes());
        md5.write_byte(b'=');
        md5.write(value.as_bytes());
        md5.write_byte(b'&');
    }
    md5.write(key.hex_bytes());
    md5.finish()
}

/// Streams small pieces into MD5 through a stack buffer.
///
/// Calling `Md5::update` once per piece (four per pair) pays the hasher's block bookkeeping each
/// time; batching the pieces in a fixed stack buffer pays it once per 512 bytes, without allocating
/// (see `docs/performance.md`).
struct Feeder {
    md5: Md5,
    buf: [u8; FEED_BUF],
    len: usize,
}

/// A multiple of MD5's 64-byte block, large enough for a typical request in one update.
const FEED_BUF: usize = 512;

impl Feeder {
    fn new() -> Self {
        Self {
            md5: Md5::new(),
            buf: [0; FEED_BUF],
            len: 0,
        }
    }

    #[inline(always)]
    fn write(&mut self, bytes: &[u8]) {
        if bytes.len() > FEED_BUF - self.len {
            self.md5.update(&self.buf[..self.len]);
            self.len = 0;
            if bytes.len() >= FEED_BUF {
                self.md5.update(bytes);
                return;
            }
        }
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    #[inline]
    fn write_byte(&mut self, byte: u8) {
        if self.len == FEED_BUF {
            self.md5.update(self.buf);
            self.len = 0;
        }
        self.buf[self.len] = byte;
        self.len += 1;
    }

    fn finish(mut self) -> Signature {
        self.md5.update(&self.buf[..self.len]);
        Signature::from_bytes(self.md5.finalize().into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SigningKey {
        SigningKey::from_token("my-test-token-001")
    }

    #[test]
    fn verify_reports_each_failure_kind() {
        let pairs = [("a", "1")];
        let good = sign(pairs, &key()).unwrap().to_string();
        assert_eq!(verify(pairs, &good, &key()), Ok(()));
        assert_eq!(verify(pairs, "", &key()), Err(VerifyError::Missing));
        assert_eq!(
            verify(pairs, "xyz", &key()),
            Err(VerifyError::Malformed { len: 3 })
        );
        assert_eq!(
            verify([("a", "2")], &good, &key()),
            Err(VerifyError::Mismatch)
        );
    }

    #[test]
    fn embedded_signature_is_found_and_excluded() {
        let pairs = [("a", "1"), ("b", "2")];
        let sig = sign(pairs, &key()).unwrap().to_string();
        let with = [("b", "2"), ("verifySign", sig.as_str()), ("a", "1")];
        assert_eq!(verify_embedded(with, &key()), Ok(()));
        assert_eq!(verify_embedded(pairs, &key()), Err(VerifyError::Missing));
        let twice = [
            ("a", "1"),
            ("verifySign", sig.as_str()),
            ("verifySign", sig.as_str()),
        ];
        assert!(matches!(
            verify_embedded(twice, &key()),
            Err(VerifyError::DuplicateName { .. })
        ));
    }

    #[test]
    fn signature_param_in_pairs_does_not_change_the_signature() {
        let plain = sign([("a", "1")], &key()).unwrap();
        let with = sign([("a", "1"), ("verifySign", "whatever")], &key()).unwrap();
        assert_eq!(plain, with);
    }
}
