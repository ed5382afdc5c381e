//! A signature's 16 bytes, written and read as 32 lowercase hex digits.

use std::fmt;
use std::str::FromStr;

/// A `verifySign` value: 16 bytes of md5, written on the wire as 32 lowercase hex characters.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature([u8; 16]);

impl Signature {
    /// Wraps raw digest bytes.
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// The raw digest bytes.
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// The 32 lowercase hex characters, without allocating.
    pub fn to_hex(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        // Cannot fail: the output is exactly twice the input length.
        let _ = hex::encode_to_slice(self.0, &mut out);
        out
    }

    /// Parses 32 hex characters in either case.
    pub fn from_hex(text: &str) -> Result<Self, ParseSignatureError> {
        if text.len() != 32 {
            return Err(ParseSignatureError { len: text.len() });
        }
        let mut bytes = [0u8; 16];
        hex::decode_to_slice(text, &mut bytes)
            .map_err(|_| ParseSignatureError { len: text.len() })?;
        Ok(Self(bytes))
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex = self.to_hex();
        // Hex digits are ASCII, so this conversion cannot fail.
        f.write_str(std::str::from_utf8(&hex).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({self})")
    }
}

impl FromStr for Signature {
    type Err = ParseSignatureError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_hex(s)
    }
}

/// A signature string that is not 32 hex characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a verifySign must be 32 hex characters; got {len} bytes that are not")]
pub struct ParseSignatureError {
    len: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_the_hex_it_would_send() {
        let signature: Signature = "0123456789abcdef0123456789abcdef".parse().unwrap();
        assert_eq!(
            format!("{signature:?}"),
            "Signature(0123456789abcdef0123456789abcdef)"
        );
    }

    #[test]
    fn hex_round_trip_in_both_cases() {
        let lower = "b87dbbd26654229e60e94095833d70e5";
        let sig: Signature = lower.parse().unwrap();
        assert_eq!(sig.to_string(), lower);
        assert_eq!(Signature::from_hex(&lower.to_uppercase()).unwrap(), sig);
    }

    #[test]
    fn rejects_wrong_length_and_non_hex() {
        assert!(Signature::from_hex("").is_err());
        assert!(Signature::from_hex("abc").is_err());
        assert!(Signature::from_hex("g87dbbd26654229e60e94095833d70e5").is_err());
        // 32 bytes but not 32 ASCII characters.
        assert!(Signature::from_hex("é7dbbd26654229e60e94095833d70e5").is_err());
    }
}
