//! Why parameters could not be signed, and why a received signature was refused.

/// Why a set of parameters could not be signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The same parameter name appears twice; the gateway would see only one of them, so signing
    /// either would be a guess.
    #[error("parameter `{name}` appears more than once; each name may be sent only once")]
    #[non_exhaustive]
    DuplicateName {
        /// The repeated parameter name.
        name: String,
    },
}

/// Why a received `verifySign` was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// No `verifySign` was received, or it was empty.
    #[error("no verifySign was received")]
    Missing,
    /// The received `verifySign` is not 32 hex characters.
    #[error("the received verifySign is not 32 hex characters ({len} bytes)")]
    #[non_exhaustive]
    Malformed {
        /// Length in bytes of what was received.
        len: usize,
    },
    /// The signature is well formed but does not match the parameters and key.
    #[error("verifySign does not match: the parameters were altered or signed with another token")]
    Mismatch,
    /// The same parameter name appears twice, so there is no single message to verify.
    #[error("parameter `{name}` appears more than once; refusing to guess which one was signed")]
    #[non_exhaustive]
    DuplicateName {
        /// The repeated parameter name.
        name: String,
    },
}

impl VerifyError {
    /// A message that names `name` twice (for parsers outside this crate, such as a query
    /// string's).
    pub fn duplicate_name(name: impl Into<String>) -> Self {
        Self::DuplicateName { name: name.into() }
    }
}

impl From<SignError> for VerifyError {
    fn from(err: SignError) -> Self {
        match err {
            SignError::DuplicateName { name } => VerifyError::DuplicateName { name },
        }
    }
}
