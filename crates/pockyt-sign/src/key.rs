//! The merchant's signing key: md5(API token), computed once and never printed.

use md5::{Digest, Md5};
use std::fmt;

/// The secret that signs requests and verifies notifications: the lowercase-hex md5 of the API token.
///
/// The gateway never uses the token itself, only md5(token), so this is what must be protected. It is
/// computed once from the token, which is not kept. `Debug` prints `SigningKey(<redacted>)`; there is
/// deliberately no `Display`, `Serialize` or accessor for the hex.
#[derive(Clone)]
pub struct SigningKey {
    md5_hex: [u8; 32],
}

impl SigningKey {
    /// Derives the key from the merchant's API token (the token is used exactly as given).
    pub fn from_token(token: &str) -> Self {
        let digest: [u8; 16] = Md5::digest(token.as_bytes()).into();
        let mut md5_hex = [0u8; 32];
        // Cannot fail: the output is exactly twice the input length.
        let _ = hex::encode_to_slice(digest, &mut md5_hex);
        Self { md5_hex }
    }

    /// The 32 ASCII bytes appended (after `&`) to the canonical string. Crate-private on purpose.
    pub(crate) fn hex_bytes(&self) -> &[u8; 32] {
        &self.md5_hex
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_documented_md5_of_demo_token() {
        let key = SigningKey::from_token("5cbfb079f15b150122261c8537086d77a");
        assert_eq!(key.hex_bytes(), b"186abea4b8610d7ff03768255588597a");
    }

    #[test]
    fn debug_never_shows_the_key() {
        let key = SigningKey::from_token("my-test-token-001");
        let shown = format!("{key:?} {key:#?}");
        assert_eq!(format!("{key:?}"), "SigningKey(<redacted>)");
        assert!(!shown.contains("d8c920f4b670c19a07c8c670aa8f2b99"));
        assert!(!shown.contains("my-test-token-001"));
    }
}
