//! Emits the simulator's request rules (`crates/pockyt-mock/src/generated/rules.rs`) and the table
//! of every source's fullest request (`crates/pockyt-mock/tests/it/source_requests.rs`).
//!
//! The simulator's rules are its own, derived from the source matrix (see `matrix`), never the
//! client's validation: where the two sets differ, the simulator accepts what a source can only
//! send that way, and the client lets through what some source leaves out.

use std::fmt::Write as _;

use super::matrix::{self, Source};
use super::model::Api;
use super::types::header;

pub fn rules_rs(api: &Api, sources: &[Source]) -> String {
    let mut out = header();
    out.push_str(
        "//! What the simulator refuses a request for, per call, derived from the source matrix\n\
         //! (`api/sources/`): the documented requirements, less what some source cannot send.\n\n\
         use crate::rules::{Condition, Rules};\n\n\
         /// The rules of the call at `path`, if the simulator knows the call.\n\
         pub(crate) fn rules(path: &str) -> Option<&'static Rules> {\n\
         match path {\n",
    );
    for endpoint in &api.endpoints {
        let list = |items: Vec<String>| format!("&[{}]", items.join(", "));
        let quoted = |items: &[String]| list(items.iter().map(|w| format!("{w:?}")).collect());
        let required = quoted(&matrix::simulator_required(endpoint, sources));
        let one_of = list(endpoint.one_of.iter().map(|g| quoted(g)).collect());
        let any_of = list(endpoint.any_of.iter().map(|g| quoted(g)).collect());
        let conditions = list(
            endpoint
                .conditions
                .iter()
                .map(|c| {
                    format!(
                        "Condition {{ require: {:?}, when: {:?}, is: {} }}",
                        c.require,
                        c.when,
                        quoted(&c.is)
                    )
                })
                .collect(),
        );
        let amounts = list(
            endpoint
                .request
                .iter()
                .filter(|f| f.ty == "amount")
                .map(|f| format!("{:?}", f.wire))
                .collect(),
        );
        let max_len = list(
            endpoint
                .request
                .iter()
                .filter_map(|f| f.max_len.map(|n| format!("({:?}, {n})", f.wire)))
                .collect(),
        );
        let _ = writeln!(
            out,
            "{:?} => Some(&Rules {{ required: {required}, one_of: {one_of}, any_of: {any_of}, \
             conditions: {conditions}, amounts: {amounts}, max_len: {max_len} }}),",
            endpoint.path
        );
    }
    out.push_str("_ => None,\n}\n}\n");
    out
}

pub fn source_requests_rs(api: &Api, sources: &[Source]) -> String {
    let mut out = header();
    out.push_str(
        "//! Every non-broken source's fullest request for every call it makes: each field it can\n\
         //! send, with a valid sample value (one field of a one-of group). The simulator must\n\
         //! accept each one's shape.\n\n\
         /// One source's request.\n\
         pub struct SourceRequest {\n\
         /// The source's id in the matrix.\n\
         pub source: &'static str,\n\
         /// Where the source builds the call.\n\
         pub at: &'static str,\n\
         /// The call.\n\
         pub path: &'static str,\n\
         /// Every field it can send, with a sample value.\n\
         pub fields: &'static [(&'static str, &'static str)],\n\
         }\n\n\
         pub const SOURCE_REQUESTS: &[SourceRequest] = &[\n",
    );
    for (source, endpoint, fields) in matrix::full_requests(api, sources) {
        let at = source
            .endpoints
            .iter()
            .find(|e| e.path == endpoint.path && e.broken.is_none())
            .map(|e| e.at.as_str())
            .unwrap_or_default();
        let pairs: Vec<String> = fields
            .iter()
            .filter_map(|wire| endpoint.request.iter().find(|f| f.wire == *wire))
            .map(|f| format!("({:?}, {:?})", f.wire, super::tests::sample_value(api, f)))
            .collect();
        let _ = writeln!(
            out,
            "SourceRequest {{ source: {:?}, at: {:?}, path: {:?}, fields: &[{}] }},",
            source.id,
            at,
            endpoint.path,
            pairs.join(", ")
        );
    }
    out.push_str("];\n");
    out
}

/// The response fields the matrix lists for each call (what any non-broken source reads or a docs
/// page shows), for the test that the simulator's answers carry them.
pub fn response_fields_rs(api: &Api, sources: &[Source]) -> String {
    let mut out = header();
    out.push_str(
        "//! For each call, the response fields the source matrix lists: what any non-broken\n\
         //! source reads or a docs page shows. The simulator's answers must carry them.\n\n\
         /// (path, fields)\n\
         pub const RESPONSE_FIELDS: &[(&str, &[&str])] = &[\n",
    );
    for endpoint in &api.endpoints {
        let mut fields: Vec<&str> = sources
            .iter()
            .flat_map(|s| s.endpoints.iter())
            .filter(|e| e.path == endpoint.path && e.broken.is_none())
            .flat_map(|e| e.response.iter().map(|f| f.wire.as_str()))
            .collect();
        fields.sort_unstable();
        fields.dedup();
        if fields.is_empty() {
            continue;
        }
        let quoted: Vec<String> = fields.iter().map(|f| format!("{f:?}")).collect();
        let _ = writeln!(out, "({:?}, &[{}]),", endpoint.path, quoted.join(", "));
    }
    out.push_str("];\n");
    out
}
