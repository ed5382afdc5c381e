//! The source matrix, `api/sources/*.json` (shape in `api/sources/SCHEMA.md`), and what is derived
//! from it: the checks that hold the description to its sources, and the simulator's own rules.
//!
//! Two rule sets come from one description. The client requires a field only when every non-broken
//! source requires it, so it never blocks what the gateway may accept. The simulator follows the
//! evidence of what the gateway accepts: it requires what the client requires and what a docs page
//! requires, except a field some non-broken source has no way to send (its code has no such field)
//! or a docs page marks optional.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;

use super::model::{Api, EndpointDef};

/// Where the matrix lives, relative to the workspace root.
pub const SOURCES_DIR: &str = "api/sources";

/// Fields every call carries and no source lists.
const IDENTITY: &[&str] = &["merchantNo", "storeNo", "merGroupNo", "verifySign"];

/// One source: an SDK, a mobile demo, a plugin or a docs site.
#[derive(Debug, Deserialize)]
pub struct Source {
    pub id: String,
    pub title: String,
    pub kind: String,
    #[serde(default)]
    pub repository: Option<String>,
    pub commit: String,
    #[serde(default)]
    pub sends_any: bool,
    /// `false` for a source that checks no request at all (the Go and JS SDKs): its entries say
    /// what it can send, not what it requires.
    #[serde(default = "yes")]
    pub checks: bool,
    pub endpoints: Vec<SourceEndpoint>,
}

/// What one source says of one endpoint.
#[derive(Debug, Deserialize)]
pub struct SourceEndpoint {
    pub path: String,
    pub at: String,
    #[serde(default)]
    pub broken: Option<String>,
    /// Why this entry's request fields say nothing of which are required (a docs table without
    /// that column): they still count as fields the source sends.
    #[serde(default)]
    pub no_requiredness: Option<String>,
    #[serde(default)]
    pub request: Vec<SourceField>,
    #[serde(default)]
    pub response: Vec<SourceField>,
}

/// A field a source sends, requires or reads.
#[derive(Debug, Deserialize)]
pub struct SourceField {
    pub wire: String,
    pub at: String,
    #[serde(default)]
    pub requires: bool,
    #[serde(default)]
    pub when: Option<String>,
    #[serde(default)]
    pub bug: Option<String>,
}

fn yes() -> bool {
    true
}

impl Source {
    /// Code can be read for what it cannot send; a docs page that leaves a row out says nothing.
    fn is_code(&self) -> bool {
        self.kind != "docs"
    }

    /// The source's non-broken entries for `path`.
    fn covering<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a SourceEndpoint> + 'a {
        self.endpoints
            .iter()
            .filter(move |e| e.path == path && e.broken.is_none())
    }
}

impl SourceEndpoint {
    /// Request entries that are evidence (a misspelt name the source cannot send is not).
    fn fields(&self) -> impl Iterator<Item = &SourceField> {
        self.request.iter().filter(|f| f.bug.is_none())
    }

    fn field(&self, wire: &str) -> Option<&SourceField> {
        self.fields().find(|f| f.wire == wire)
    }

    fn requires(&self, wire: &str) -> bool {
        self.field(wire).is_some_and(|f| f.requires)
    }
}

/// Reads every source file, sorted by file name so that every derived file is deterministic.
pub fn load(root: &Path) -> Result<Vec<Source>, String> {
    let dir = root.join(SOURCES_DIR);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut sources = Vec::new();
    for file in files {
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let source: Source =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        sources.push(source);
    }
    Ok(sources)
}

/// Every place the client requires a field that some non-broken source does not require: a
/// source that checks requests and lets it be left out, or code that has no way to send it.
pub fn client_overreach(api: &Api, sources: &[Source]) -> Vec<String> {
    let mut problems = Vec::new();
    for endpoint in &api.endpoints {
        for field in endpoint.request.iter().filter(|f| f.required) {
            for source in sources {
                for entry in source.covering(&endpoint.path) {
                    let states_requiredness = source.checks && entry.no_requiredness.is_none();
                    let cannot_send =
                        source.is_code() && !source.sends_any && entry.field(&field.wire).is_none();
                    if cannot_send {
                        problems.push(format!(
                            "{} `{}`: the client requires it, {} cannot send it ({})",
                            endpoint.path, field.wire, source.id, entry.at
                        ));
                    } else if states_requiredness && !entry.requires(&field.wire) {
                        problems.push(format!(
                            "{} `{}`: the client requires it, {} does not ({})",
                            endpoint.path, field.wire, source.id, entry.at
                        ));
                    }
                }
            }
        }
    }
    problems
}

/// Every request field a source sends and every response field it reads that the description
/// lacks, and every path a source calls that the description neither models nor sets aside.
pub fn description_gaps(api: &Api, sources: &[Source]) -> Vec<String> {
    let mut problems = Vec::new();
    for source in sources {
        for entry in source.endpoints.iter().filter(|e| e.broken.is_none()) {
            if entry.path == "ipn" {
                continue; // notifications are the webhook types' business, not an endpoint's
            }
            let Some(endpoint) = api.endpoints.iter().find(|e| e.path == entry.path) else {
                if !api.unmodelled.iter().any(|u| u.path == entry.path) {
                    problems.push(format!(
                        "{}: {} calls it ({}); model it or list it in `unmodelled`",
                        entry.path, source.id, entry.at
                    ));
                }
                continue;
            };
            for field in entry.fields() {
                let known = IDENTITY.contains(&field.wire.as_str())
                    || endpoint.request.iter().any(|f| f.wire == field.wire);
                if !known {
                    problems.push(format!(
                        "{} request `{}`: {} sends it ({}), the description lacks it",
                        entry.path, field.wire, source.id, field.at
                    ));
                }
            }
            let response = response_fields(api, endpoint);
            for field in &entry.response {
                if !IDENTITY.contains(&field.wire.as_str()) && !response.contains(&field.wire) {
                    problems.push(format!(
                        "{} response `{}`: {} reads it ({}), the description lacks it",
                        entry.path, field.wire, source.id, field.at
                    ));
                }
            }
        }
    }
    problems
}

/// The wire names of an endpoint's response, its own fields or its shared object's.
pub fn response_fields(api: &Api, endpoint: &EndpointDef) -> BTreeSet<String> {
    let fields = match &endpoint.response.object {
        Some(name) => api
            .objects
            .iter()
            .find(|o| &o.name == name)
            .map(|o| o.fields.as_slice())
            .unwrap_or_default(),
        None => endpoint.response.fields.as_slice(),
    };
    fields.iter().map(|f| f.wire.clone()).collect()
}

/// The fields the simulator refuses a request without (besides its groups and conditions).
pub fn simulator_required(endpoint: &EndpointDef, sources: &[Source]) -> Vec<String> {
    let grouped = |wire: &str| {
        endpoint
            .one_of
            .iter()
            .chain(&endpoint.any_of)
            .any(|g| g.iter().any(|w| w == wire))
            || endpoint.conditions.iter().any(|c| c.require == wire)
    };
    let entries: Vec<(&Source, &SourceEndpoint)> = sources
        .iter()
        .flat_map(|s| s.covering(&endpoint.path).map(move |e| (s, e)))
        .collect();
    let docs_require = |wire: &str| {
        entries.iter().any(|(s, e)| {
            !s.is_code()
                && e.field(wire)
                    .is_some_and(|f| f.requires && f.when.is_none())
        })
    };
    let cannot_send = |wire: &str| {
        entries
            .iter()
            .any(|(s, e)| s.is_code() && !s.sends_any && e.field(wire).is_none())
    };
    let docs_optional = |wire: &str| {
        entries.iter().any(|(s, e)| {
            !s.is_code()
                && e.no_requiredness.is_none()
                && e.field(wire)
                    .is_some_and(|f| !f.requires && f.when.is_none())
        })
    };
    endpoint
        .request
        .iter()
        .filter(|f| f.required || docs_require(&f.wire))
        .filter(|f| {
            f.required || !(grouped(&f.wire) || cannot_send(&f.wire) || docs_optional(&f.wire))
        })
        .map(|f| f.wire.clone())
        .collect()
}

/// What a non-broken source sends to an endpoint when it sends every field it can: the fields it
/// lists, or every field for a source that passes any through (of a one-of group only the first,
/// as a caller must).
pub fn full_requests<'a>(
    api: &'a Api,
    sources: &'a [Source],
) -> Vec<(&'a Source, &'a EndpointDef, Vec<&'a str>)> {
    let mut out = Vec::new();
    for endpoint in &api.endpoints {
        for source in sources.iter().filter(|s| s.is_code()) {
            for entry in source.covering(&endpoint.path) {
                // A source that passes the caller's map through can send every field.
                let sendable: Vec<&str> = if source.sends_any {
                    endpoint.request.iter().map(|f| f.wire.as_str()).collect()
                } else {
                    entry.fields().map(|f| f.wire.as_str()).collect()
                };
                let mut fields: Vec<&str> = Vec::new();
                for wire in sendable {
                    if endpoint.request.iter().any(|f| f.wire == wire) && !fields.contains(&wire) {
                        fields.push(wire);
                    }
                }
                // Of a one-of group a caller sends one: the first of the group this source sends.
                for group in &endpoint.one_of {
                    let first = group.iter().find(|w| fields.contains(&w.as_str()));
                    fields.retain(|w| {
                        !group.iter().any(|g| g == w) || Some(*w) == first.map(String::as_str)
                    });
                }
                out.push((source, endpoint, fields));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix() -> (Api, Vec<Source>) {
        let root = crate::workspace_root();
        let api = super::super::load(&root).expect("the description");
        (api, load(&root).expect("the matrix"))
    }

    #[test]
    fn the_client_requires_nothing_a_non_broken_source_leaves_out() {
        let (api, sources) = matrix();
        let problems = client_overreach(&api, &sources);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn the_description_has_every_field_a_source_sends_or_reads() {
        let (api, sources) = matrix();
        let problems = description_gaps(&api, &sources);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn the_simulator_requires_at_least_what_the_client_does() {
        let (api, sources) = matrix();
        for endpoint in &api.endpoints {
            let simulator = simulator_required(endpoint, &sources);
            for field in endpoint.request.iter().filter(|f| f.required) {
                assert!(
                    simulator.contains(&field.wire),
                    "{} `{}`: the client requires it and the simulator would not",
                    endpoint.path,
                    field.wire
                );
            }
        }
    }

    #[test]
    fn every_entry_says_where_and_every_source_has_a_snapshot() {
        let (_, sources) = matrix();
        assert!(sources.len() >= 16, "every source is in the matrix");
        for source in &sources {
            let pinned = match &source.repository {
                Some(_) => {
                    source.commit.len() == 40
                        && source.commit.bytes().all(|b| b.is_ascii_hexdigit())
                }
                None => source.commit.len() == 10,
            };
            assert!(pinned, "{}: snapshot `{}`", source.id, source.commit);
            for entry in &source.endpoints {
                for at in std::iter::once(&entry.at)
                    .chain(entry.request.iter().map(|f| &f.at))
                    .chain(entry.response.iter().map(|f| &f.at))
                {
                    let cited = match source.kind.as_str() {
                        "docs" => at.starts_with("https://"),
                        _ => at.rsplit_once(':').is_some_and(|(file, line)| {
                            !file.is_empty() && line.parse::<u32>().is_ok_and(|n| n > 0)
                        }),
                    };
                    assert!(cited, "{} {}: `{at}` is no citation", source.id, entry.path);
                }
            }
        }
    }

    /// A small matrix of its own, so each rule of the derivation is seen deciding.
    fn synthetic(json: &str) -> Vec<Source> {
        serde_json::from_str(json).expect("a synthetic matrix")
    }

    fn endpoint(required: &[&str], optional: &[&str]) -> EndpointDef {
        let field = |wire: &str, required: bool| serde_json::json!({"wire": wire, "type": "string", "required": required, "doc": "d"});
        let request: Vec<_> = required
            .iter()
            .map(|w| field(w, true))
            .chain(optional.iter().map(|w| field(w, false)))
            .collect();
        serde_json::from_value(serde_json::json!({
            "name": "X", "method": "x", "path": "/x", "group": "g", "idempotent": false,
            "doc": "d", "source": "s", "request": request, "response": {"keys": ["result"], "fields": []}
        }))
        .expect("an endpoint")
    }

    #[test]
    fn the_simulator_drops_what_code_cannot_send_or_a_page_marks_optional() {
        let e = endpoint(&["amount"], &["currency", "ipnUrl", "note"]);
        let sources = synthetic(
            r#"[
            {"id": "DOCS", "title": "t", "kind": "docs", "repository": null, "commit": "2026-12-06",
             "endpoints": [{"path": "/x", "at": "https://d", "request": [
                {"wire": "amount", "at": "https://d", "requires": true},
                {"wire": "currency", "at": "https://d", "requires": true},
                {"wire": "ipnUrl", "at": "https://d", "requires": true},
                {"wire": "note", "at": "https://d", "requires": true}]}]},
            {"id": "OTHER-DOCS", "title": "t", "kind": "docs", "repository": null, "commit": "2026-12-06",
             "endpoints": [{"path": "/x", "at": "https://e", "request": [
                {"wire": "note", "at": "https://e", "requires": false}]}]},
            {"id": "GO", "title": "t", "kind": "sdk", "repository": "r", "commit": "c", "checks": false,
             "endpoints": [{"path": "/x", "at": "a.go:1", "request": [
                {"wire": "amount", "at": "a.go:2"}, {"wire": "ipnUrl", "at": "a.go:3"},
                {"wire": "note", "at": "a.go:4"}]}]},
            {"id": "BROKEN", "title": "t", "kind": "sdk", "repository": "r", "commit": "c",
             "endpoints": [{"path": "/x", "at": "b.go:1", "broken": "a copy", "request": []}]}
        ]"#,
        );
        // currency: GO cannot send it; note: a page marks it optional; ipnUrl: every source can
        // send it and a page requires it; BROKEN is no evidence at all.
        assert_eq!(simulator_required(&e, &sources), ["amount", "ipnUrl"]);
    }

    #[test]
    fn a_source_that_checks_nothing_refutes_only_what_it_cannot_send() {
        let api: Api = serde_json::from_value(serde_json::json!({
            "about": "a", "notes": [], "groups": [], "enums": [], "objects": [], "endpoints": []
        }))
        .expect("an empty description");
        let api = Api {
            endpoints: vec![endpoint(&["amount", "currency"], &[])],
            ..api
        };
        let sources = synthetic(
            r#"[{"id": "GO", "title": "t", "kind": "sdk", "repository": "r", "commit": "c",
                 "checks": false, "endpoints": [{"path": "/x", "at": "a.go:1", "request": [
                    {"wire": "amount", "at": "a.go:2"}]}]},
                {"id": "PHP", "title": "t", "kind": "sdk", "repository": "r", "commit": "c",
                 "endpoints": [{"path": "/x", "at": "a.php:1", "request": [
                    {"wire": "amount", "at": "a.php:2", "requires": true},
                    {"wire": "currency", "at": "a.php:3", "requires": true},
                    {"wire": "misspelt", "at": "a.php:4", "bug": "no setter sends it"}]}]}]"#,
        );
        let problems = client_overreach(&api, &sources);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("`currency`") && problems[0].contains("GO cannot send it"));
        // The misspelt entry is evidence of nothing: it is no field the description lacks.
        assert!(description_gaps(&api, &sources).is_empty());
    }
}
