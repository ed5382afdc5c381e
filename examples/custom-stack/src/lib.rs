//! The Pockyt API from your own HTTP stack: `pockyt-types` and `pockyt-sign` alone, over `ureq`
//! (synchronous, no async runtime). No tokio, no hyper.
//!
//! Three steps make a request, each a function of the lower crates, and they are the steps
//! `pockyt::Client` takes, so the bytes are the same:
//! 1. [`Identity::signing_pairs`]: the identity fields, then the request's own pairs;
//! 2. [`pockyt_sign::sign`]: `verifySign` over them;
//! 3. [`pockyt_types::json_body`]: the JSON body.
//!
//! An answer is read by [`pockyt_types::decode_response`] into the typed envelope or one of the
//! error classes (`Status`, `Api`, `Decode`); a notification is read by
//! [`pockyt_sign::form::parse`] and checked by [`pockyt_sign::verify_embedded`].

use std::collections::BTreeMap;

use pockyt_sign::SigningKey;
use pockyt_types::{Endpoint, Identity, ResponseError};

/// What can go wrong here: a request that fails validation or signing, the network, or the answer.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// A merchant's connection to the gateway over `ureq`.
pub struct Gateway {
    base_url: String,
    identity: Identity,
    key: SigningKey,
    agent: ureq::Agent,
}

impl Gateway {
    /// A merchant (`identity`, `token`) at `base_url` (the sandbox, production, or the simulator).
    pub fn new(base_url: impl Into<String>, identity: Identity, token: &str) -> Self {
        // Error statuses are answers to decode (they carry a snippet), not transport failures;
        // the API never redirects, and the cashier's redirect is the shopper's, not ours.
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        Self {
            base_url: base_url.into(),
            identity,
            key: SigningKey::from_token(token),
            agent,
        }
    }

    /// The signed JSON body for `request`, byte for byte what `pockyt::Client` sends.
    pub fn encode<E: Endpoint>(&self, request: &E) -> Result<Vec<u8>, Error> {
        request.validate()?;
        let wire = request.wire_pairs();
        let pairs = self.identity.signing_pairs(request, &wire);
        let signature = pockyt_sign::sign(pairs.clone(), &self.key)?.to_string();
        Ok(pockyt_types::json_body(
            pairs.clone(),
            &signature,
            pairs.len(),
        ))
    }

    /// Sends `request` once and decodes the answer.
    pub fn call<E: Endpoint>(&self, request: &E) -> Result<E::Response, Error> {
        let body = self.encode(request)?;
        let mut response = self
            .agent
            .post(format!("{}{}", self.base_url, E::PATH))
            .header("Content-Type", "application/json; charset=utf-8")
            .send(&body[..])?;
        let status = response.status().as_u16();
        let answer = response.body_mut().read_to_vec()?;
        match pockyt_types::decode_response::<E>(status, &answer) {
            Ok(envelope) => Ok(envelope.result.unwrap_or_default()),
            Err(error) => Err(Box::new(error)),
        }
    }

    /// A shopper pressing "pay" on the simulator's cashier page (the simulator only).
    pub fn pay_on_cashier(&self, cashier_url: &str) -> Result<(), Error> {
        let response = self.agent.post(format!("{cashier_url}/pay")).send_empty()?;
        match response.status().as_u16() {
            200..400 => Ok(()),
            other => Err(format!("the cashier answered {other}").into()),
        }
    }
}

/// Verifies a notification's raw form body exactly as received: every pair but `verifySign`
/// signed, a repeated name refused. Returns the verified fields.
pub fn verify_ipn(body: &[u8], key: &SigningKey) -> Result<BTreeMap<String, String>, Error> {
    let pairs = pockyt_sign::form::parse(body)?;
    pockyt_sign::verify_embedded(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())), key)?;
    Ok(pairs
        .into_iter()
        .filter(|(name, _)| name != pockyt_sign::SIGNATURE_PARAM)
        .collect())
}

/// Whether an error is the gateway refusing the request with `ret_code`.
pub fn is_refusal(error: &Error, ret_code: &str) -> bool {
    matches!(
        error.downcast_ref::<ResponseError>(),
        Some(ResponseError::Api { ret_code: code, .. }) if code.as_str() == ret_code
    )
}
