//! Who calls: the identity fields every request carries, put in front of the request's own pairs.

use crate::Endpoint;

/// The name of the signature parameter.
pub(crate) const SIGNATURE_PARAM: &str = "verifySign";

/// The merchant's identity on every request: `merchantNo`, `storeNo`, and when set, `merGroupNo`
/// (a partner's group) and `storeAdminNo` (a cashier, sent to the calls that take it).
///
/// With [`Identity::signing_pairs`], [`crate::json_body`] and `pockyt_sign::sign` a custom HTTP
/// stack builds exactly the body `pockyt::Client` sends:
///
/// ```
/// use pockyt_types::{Endpoint, Identity, TranQueryRequest};
///
/// let identity = Identity::new("200043", "300014");
/// let request = TranQueryRequest::new().reference("order-1");
/// request.validate()?;
/// let wire = request.wire_pairs();
/// let pairs = identity.signing_pairs(&request, &wire);
/// let names: Vec<&str> = pairs.clone().map(|(name, _)| name).collect();
/// assert_eq!(names, ["merchantNo", "storeNo", "reference"]);
/// // pockyt_sign::sign(pairs.clone(), &key) gives the signature, then:
/// let body = pockyt_types::json_body(pairs.clone(), "0123456789abcdef0123456789abcdef", pairs.len());
/// assert!(body.starts_with(br#"{"merchantNo":"200043","storeNo":"300014","reference":"order-1""#));
/// # Ok::<(), pockyt_types::ValidationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    merchant_no: String,
    store_no: String,
    mer_group_no: Option<String>,
    store_admin_no: Option<String>,
}

impl Identity {
    /// A merchant's store.
    pub fn new(merchant_no: impl Into<String>, store_no: impl Into<String>) -> Self {
        Self {
            merchant_no: merchant_no.into(),
            store_no: store_no.into(),
            mer_group_no: None,
            store_admin_no: None,
        }
    }

    /// Adds the partner (service-provider) number, sent as `merGroupNo` on every call.
    pub fn mer_group_no(mut self, mer_group_no: impl Into<String>) -> Self {
        self.mer_group_no = Some(mer_group_no.into());
        self
    }

    /// Adds a default `storeAdminNo`, sent to the calls that take one when the request has none.
    pub fn store_admin_no(mut self, store_admin_no: impl Into<String>) -> Self {
        self.store_admin_no = Some(store_admin_no.into());
        self
    }

    /// `merchantNo`.
    pub fn merchant_no(&self) -> &str {
        &self.merchant_no
    }

    /// `storeNo`.
    pub fn store_no(&self) -> &str {
        &self.store_no
    }

    /// `merGroupNo`, if set.
    pub fn mer_group_no_value(&self) -> Option<&str> {
        self.mer_group_no.as_deref()
    }

    /// The default `storeAdminNo`, if set.
    pub fn store_admin_no_value(&self) -> Option<&str> {
        self.store_admin_no.as_deref()
    }

    /// Everything that is signed and sent for `request`: the identity, then `wire` (the request's
    /// [`Endpoint::wire_pairs`]). `storeAdminNo` is added only where the endpoint takes it and the
    /// request does not set its own.
    pub fn signing_pairs<'a, E: Endpoint>(
        &'a self,
        _request: &E,
        wire: &'a crate::WirePairs<'a>,
    ) -> SigningPairs<'a, impl ExactSizeIterator<Item = (&'a str, &'a str)> + Clone + 'a> {
        let admin = E::ACCEPTS_STORE_ADMIN_NO && wire.get("storeAdminNo").is_none();
        self.with_pairs(wire.iter(), admin)
    }

    /// The identity in front of any pairs (for a path this version does not model). `add_admin`
    /// asks for the default `storeAdminNo`.
    pub fn with_pairs<'a, I>(&'a self, pairs: I, add_admin: bool) -> SigningPairs<'a, I>
    where
        I: ExactSizeIterator<Item = (&'a str, &'a str)> + Clone,
    {
        let mut identity: [(&'a str, &'a str); 4] = [
            ("merchantNo", &self.merchant_no),
            ("storeNo", &self.store_no),
            ("", ""),
            ("", ""),
        ];
        let mut count = 2;
        if let Some(group) = &self.mer_group_no {
            identity[count] = ("merGroupNo", group);
            count += 1;
        }
        if let Some(admin) = self.store_admin_no.as_deref().filter(|_| add_admin) {
            identity[count] = ("storeAdminNo", admin);
            count += 1;
        }
        SigningPairs {
            identity,
            next: 0,
            count,
            rest: pairs,
        }
    }
}

/// The identity pairs, then the request's: what is signed and sent, in that order. Allocates
/// nothing; cloning it restarts nothing (a clone continues from where the original is).
#[derive(Debug, Clone)]
pub struct SigningPairs<'a, I> {
    identity: [(&'a str, &'a str); 4],
    next: usize,
    count: usize,
    rest: I,
}

impl<'a, I> Iterator for SigningPairs<'a, I>
where
    I: Iterator<Item = (&'a str, &'a str)>,
{
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        if self.next < self.count {
            let pair = self.identity.get(self.next).copied();
            self.next += 1;
            return pair;
        }
        self.rest.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let (low, high) = self.rest.size_hint();
        let own = self.count - self.next;
        (low + own, high.map(|h| h + own))
    }
}

impl<'a, I> ExactSizeIterator for SigningPairs<'a, I> where
    I: ExactSizeIterator<Item = (&'a str, &'a str)>
{
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{InstoreAddRequest, TranQueryRequest};

    #[test]
    fn identity_first_then_the_request_and_admin_only_where_taken() {
        let identity = Identity::new("m", "s")
            .mer_group_no("g")
            .store_admin_no("a");
        let query = TranQueryRequest::new().reference("r");
        let wire = query.wire_pairs();
        let pairs: Vec<_> = identity.signing_pairs(&query, &wire).collect();
        assert_eq!(
            pairs,
            [
                ("merchantNo", "m"),
                ("storeNo", "s"),
                ("merGroupNo", "g"),
                ("reference", "r")
            ]
        );
        let add = InstoreAddRequest::new(crate::Amount::parse("1.00").unwrap())
            .currency(crate::Currency::Usd)
            .settle_currency(crate::SettleCurrency::Usd);
        let wire = add.wire_pairs();
        let pairs = identity.signing_pairs(&add, &wire);
        assert_eq!(pairs.len(), 3 + 3 + 1);
        assert!(pairs.clone().any(|p| p == ("storeAdminNo", "a")));
        let own = add.clone().store_admin_no("own");
        let wire = own.wire_pairs();
        let admins: Vec<_> = identity
            .signing_pairs(&own, &wire)
            .filter(|(n, _)| *n == "storeAdminNo")
            .collect();
        assert_eq!(admins, [("storeAdminNo", "own")]);
    }

    #[test]
    fn the_identity_reads_back_what_was_set() {
        let bare = Identity::new("200043", "300014");
        assert_eq!((bare.merchant_no(), bare.store_no()), ("200043", "300014"));
        assert_eq!(bare.mer_group_no_value(), None);
        assert_eq!(bare.store_admin_no_value(), None);
        let full = bare.mer_group_no("g-1").store_admin_no("clerk-7");
        assert_eq!(full.mer_group_no_value(), Some("g-1"));
        assert_eq!(full.store_admin_no_value(), Some("clerk-7"));
    }

    #[test]
    fn the_length_stays_exact_while_iterating() {
        let identity = Identity::new("m", "s").mer_group_no("g");
        let query = TranQueryRequest::new().reference("r");
        let wire = query.wire_pairs();
        let mut pairs = identity.signing_pairs(&query, &wire);
        for left in (0..4).rev() {
            assert!(pairs.next().is_some());
            assert_eq!(pairs.len(), left);
            assert_eq!(pairs.size_hint(), (left, Some(left)));
        }
        assert!(pairs.next().is_none());
    }
}
