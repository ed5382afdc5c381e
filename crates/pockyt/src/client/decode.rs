//! Decode: the HTTP status first, the envelope second, the typed payload last, so each failure
//! gets its own error.

use bytes::Bytes;
use pockyt_types::{Endpoint, Envelope};

use super::Client;
use crate::error::Error;

impl Client {
    /// Status first, envelope second, typed payload last (by [`pockyt_types::decode_response`],
    /// the same function a custom stack uses), so each failure gets its own error.
    pub(super) fn decode<E: Endpoint>(
        response: &http::Response<Bytes>,
        attempts: u32,
    ) -> Result<Envelope<E::Response>, Error> {
        let status = response.status();
        pockyt_types::decode_response::<E>(status.as_u16(), response.body()).map_err(|error| {
            Error::from_response(error, attempts, crate::retry::retry_after(response))
        })
    }
}
