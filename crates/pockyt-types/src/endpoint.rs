//! The contract between a request type and the client that sends it.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::validate::ValidationError;

/// One API call: its path, whether it may be retried, where its answer lives, and its wire form.
///
/// Every generated `…Request` type implements this; `pockyt::Client::send` is written once against it.
pub trait Endpoint: fmt::Debug + Send + Sync {
    /// The typed payload of a successful response.
    type Response: DeserializeOwned
        + Serialize
        + Default
        + fmt::Debug
        + Clone
        + Send
        + Sync
        + 'static;

    /// The path, appended to the gateway's base URL, e.g. `/online/v3/secure-pay`.
    const PATH: &'static str;
    /// The snake_case name of the call, e.g. `secure_pay` (used in logs and traces).
    const NAME: &'static str;
    /// True for read-only queries, which are safe to retry after a network or server failure.
    const IDEMPOTENT: bool;
    /// The envelope keys that may hold the payload, first present wins; `"."` is the envelope
    /// itself. Read by the decoders, not meant for users.
    #[doc(hidden)]
    const RESPONSE_KEYS: &'static [&'static str];
    /// Whether the call takes `storeAdminNo`, which the client then fills in from its config.
    #[doc(hidden)]
    const ACCEPTS_STORE_ADMIN_NO: bool;

    /// Checks the request before anything is sent: required fields, empty strings, lengths,
    /// formats, positive amounts with the currency's precision, and exactly-one-of groups.
    fn validate(&self) -> Result<(), ValidationError>;

    /// The set fields as name/value text, in canonical (byte) order of the names; unset optional
    /// fields are absent. This is exactly what is signed and sent.
    fn wire_pairs(&self) -> WirePairs<'_>;
}

/// A request's fields as wire text, borrowed where possible.
///
/// `Debug` lists names only: values may be card data.
#[derive(Clone, Default)]
pub struct WirePairs<'a> {
    pairs: Vec<(&'static str, Cow<'a, str>)>,
}

impl<'a> WirePairs<'a> {
    #[doc(hidden)]
    /// An empty set with room for `capacity` pairs.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            pairs: Vec::with_capacity(capacity),
        }
    }

    #[doc(hidden)]
    /// Adds a text value.
    pub fn push(&mut self, name: &'static str, value: &'a str) {
        self.pairs.push((name, Cow::Borrowed(value)));
    }

    #[doc(hidden)]
    /// Adds a text value if it is set.
    pub fn push_opt(&mut self, name: &'static str, value: Option<&'a str>) {
        if let Some(value) = value {
            self.push(name, value);
        }
    }

    #[doc(hidden)]
    /// Adds an integer as decimal text.
    pub fn push_int(&mut self, name: &'static str, value: u32) {
        self.pairs.push((name, Cow::Owned(value.to_string())));
    }

    #[doc(hidden)]
    /// Adds an integer as decimal text if it is set.
    pub fn push_opt_int(&mut self, name: &'static str, value: Option<u32>) {
        if let Some(value) = value {
            self.push_int(name, value);
        }
    }

    #[doc(hidden)]
    /// Adds a boolean as `true` or `false`.
    pub fn push_bool(&mut self, name: &'static str, value: bool) {
        self.push(name, if value { "true" } else { "false" });
    }

    #[doc(hidden)]
    /// Adds a boolean if it is set.
    pub fn push_opt_bool(&mut self, name: &'static str, value: Option<bool>) {
        if let Some(value) = value {
            self.push_bool(name, value);
        }
    }

    /// The pairs, in the order they were added.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + Clone + '_ {
        self.pairs.iter().map(as_pair)
    }

    /// The value of `name`, if set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// How many pairs are set.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether no pair is set.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// Shortens the `'static` name to the value's lifetime, so pairs chain with borrowed ones.
fn as_pair<'s>((name, value): &'s (&'static str, Cow<'_, str>)) -> (&'s str, &'s str) {
    (name, value)
}

impl fmt::Debug for WirePairs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.pairs.iter().map(|(name, _)| name))
            .finish()
    }
}
