//! `verifySign` for the Pockyt (formerly Yuansfer) payments API: build it for requests, check it on
//! instant payment notifications (IPNs). Pure computation, no I/O.
//!
//! The algorithm (see the [`guide`]): drop `verifySign`, sort the pairs by name in byte order,
//! join them as `name=value` with `&`, append `&` and the lowercase-hex md5 of the API token, and take
//! the lowercase-hex md5 of the whole. Values are signed raw: no escaping, no trimming.
//!
//! Empty values: an empty value is the same as an absent field. [`sign`] signs exactly the pairs
//! it is given (a client should not send empty ones; pockyt-rs never does), and
//! [`verify_received`] accepts a signature over every received pair or over the non-empty ones,
//! because the official Go SDK leaves its empty fields out of `verifySign` while the others sign
//! everything they send.
//!
//! md5(token) is the real secret, so [`SigningKey`] computes it once and never prints it.
//!
//! ```
//! use pockyt_sign::{sign, verify, SigningKey};
//!
//! let key = SigningKey::from_token("5cbfb079f15b150122261c8537086d77a");
//! let params = [
//!     ("merchantNo", "200043"),
//!     ("storeNo", "300014"),
//!     ("transactionNo", "297553638300708562"),
//! ];
//! let signature = sign(params, &key)?;
//! assert_eq!(signature.to_string(), "0df745088d7202a6d186596acdc82c6a");
//!
//! // Verification accepts either hex case and compares in constant time.
//! verify(params, "0DF745088D7202A6D186596ACDC82C6A", &key)?;
//! assert!(verify(params, "00000000000000000000000000000000", &key).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A notification (IPN) on a stack of your own: parse the raw form body with [`form::parse`]
//! (exact bytes, repeated names kept so they can be refused), then check it as received:
//!
//! ```
//! use pockyt_sign::{SigningKey, form, verify_embedded};
//!
//! let key = SigningKey::from_token("my-test-token-001");
//! let body = b"transactionNo=305680500880311999&status=success&amount=12.50&currency=USD\
//!     &settleCurrency=USD&reference=order-20240101-0001&time=20240101123045&note=gift+%26+wrap\
//!     &verifySign=483259834717a8229294aece8041a8e3";
//! let pairs = form::parse(body)?;
//! verify_embedded(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())), &key)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! With `pockyt-types` (`Identity::signing_pairs`, `json_body`, `decode_response`) this is all a
//! custom HTTP stack needs; `examples/custom-stack` shows one on `ureq`.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod canonical;
mod error;
pub mod form;
mod key;
mod signature;
mod signer;

pub use canonical::canonical_string;
pub use error::{SignError, VerifyError};
pub use key::SigningKey;
pub use signature::{ParseSignatureError, Signature};
pub use signer::{sign, verify, verify_embedded, verify_received};

/// The parameter that carries the signature; it is never part of what is signed.
pub const SIGNATURE_PARAM: &str = "verifySign";

// Its examples run as doctests, so the guide cannot drift from the code.
#[doc = include_str!("../guide/signing.md")]
pub mod guide {}
