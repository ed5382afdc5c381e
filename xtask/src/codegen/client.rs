//! Emits `crates/pockyt/src/generated/endpoints.rs` (one named method per endpoint on `Client`)
//! and `generated/blocking_endpoints.rs` (the same on the blocking client).

use std::fmt::Write as _;

use super::model::Api;
use super::names::doc;
use super::types::header;

pub fn endpoints_rs(api: &Api) -> String {
    let mut out = header();
    out.push_str("//! One method per endpoint, each a shorthand for [`Client::send`].\n\n");
    out.push_str("use pockyt_types::*;\n\nuse crate::{Client, Error};\n\nimpl Client {\n");
    for endpoint in &api.endpoints {
        let first_sentence = endpoint.doc.split(". ").next().unwrap_or(&endpoint.doc);
        let first_sentence = first_sentence.trim_end_matches('.');
        out.push_str(&doc(&format!(
            "{first_sentence}: `POST {}`.",
            endpoint.path
        )));
        out.push_str("///\n");
        out.push_str(&doc(&format!(
            "See [`{name}Request`] for the fields. {retry}",
            name = endpoint.name,
            retry = if endpoint.idempotent {
                "Read-only: retried after network failures and 5xx answers."
            } else {
                "Moves money or changes a record: never retried once it may have reached the \
                 gateway; after an ambiguous failure, check before sending again."
            }
        )));
        if let Some(instead) = &endpoint.deprecated {
            let _ = writeln!(out, "#[deprecated(note = {instead:?})]");
        }
        let _ = writeln!(
            out,
            "pub async fn {method}(&self, request: &{name}Request) -> Result<{name}Response, Error> {{\n\
             self.send(request).await\n}}\n",
            method = endpoint.method,
            name = endpoint.name
        );
    }
    out.push_str("}\n");
    out
}

/// The same methods on the blocking client.
pub fn blocking_endpoints_rs(api: &Api) -> String {
    let mut out = header();
    out.push_str(
        "//! One method per endpoint on the blocking client, each a shorthand for [`Client::send`].\n\n",
    );
    out.push_str(
        "use pockyt_types::*;\n\nuse crate::Error;\nuse crate::blocking::Client;\n\nimpl Client {\n",
    );
    for endpoint in &api.endpoints {
        let first_sentence = endpoint.doc.split(". ").next().unwrap_or(&endpoint.doc);
        let first_sentence = first_sentence.trim_end_matches('.');
        out.push_str(&doc(&format!(
            "{first_sentence}: `POST {}` (see [`crate::Client::{}`]).",
            endpoint.path, endpoint.method
        )));
        if let Some(instead) = &endpoint.deprecated {
            let _ = writeln!(out, "#[deprecated(note = {instead:?})]");
        }
        let _ = writeln!(
            out,
            "pub fn {method}(&self, request: &{name}Request) -> Result<{name}Response, Error> {{\n\
             self.send(request)\n}}\n",
            method = endpoint.method,
            name = endpoint.name
        );
    }
    out.push_str("}\n");
    out
}
