//! The gateway's endpoints, one module per group of the API description (`api/pockyt-api.json`
//! `groups`: `online`, `instore`, `mobile`, `recurring`, `preauth`, `data_search`, `customers`,
//! `payouts`), each holding exactly its group's endpoints. A handler parses the typed request,
//! asks the ledger (`crate::ledger`, where the rules of money live), and shapes the gateway's
//! answer; it never holds the records itself.
//!
//! `gateway` is the handler kit every group uses (the gateway's refusal, what a handler sees, and
//! `run`: parse, handle, wrap in the envelope). `dispatch` asks each group in turn; a path no
//! group knows is the gateway's `no such API` answer. The group modules take what they share
//! from `prelude` (the handler kit, the payload shapes, the ledger's types), never from this
//! module, so the only arrows here point down.

mod customers;
mod data_search;
mod gateway;
mod instore;
mod kit;
mod mobile;
mod online;
mod payloads;
mod payouts;
mod preauth;
mod prelude;
mod recurring;

use pockyt_types::RetCode;
use serde_json::Value;

use gateway::Handler;
pub(crate) use gateway::{Ctx, GatewayError, error_envelope};

/// A group of the description: its id, and the handler of each of its paths.
type Group = (&'static str, fn(&str) -> Option<Handler>);

/// Each group of the description, in its order.
const GROUPS: [Group; 8] = [
    ("online", online::handler),
    ("instore", instore::handler),
    ("mobile", mobile::handler),
    ("recurring", recurring::handler),
    ("preauth", preauth::handler),
    ("data_search", data_search::handler),
    ("customers", customers::handler),
    ("payouts", payouts::handler),
];

/// Routes a path to its group's handler; an unknown path is the gateway's "no such API" answer.
pub(crate) fn dispatch(ctx: &Ctx<'_>, path: &str) -> Result<Value, GatewayError> {
    match GROUPS.iter().find_map(|(_, handler)| handler(path)) {
        Some(handler) => handler(ctx),
        None => Err(GatewayError::new(
            RetCode::UnsupportedVersion,
            format!("no such API: {path}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::GROUPS;

    /// The description's groups, and each endpoint's path and group.
    fn description() -> (Vec<String>, Vec<(String, String)>) {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../api/pockyt-api.json");
        let text = std::fs::read_to_string(path).expect("the API description");
        let api: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let text =
            |v: &serde_json::Value, key: &str| v[key].as_str().unwrap_or_default().to_owned();
        let groups = api["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .map(|g| text(g, "id"))
            .collect();
        let endpoints = api["endpoints"]
            .as_array()
            .expect("endpoints")
            .iter()
            .map(|e| (text(e, "path"), text(e, "group")))
            .collect();
        (groups, endpoints)
    }

    #[test]
    fn the_route_modules_are_the_descriptions_groups() {
        let (groups, _) = description();
        let ours: Vec<&str> = GROUPS.iter().map(|(id, _)| *id).collect();
        assert_eq!(
            ours, groups,
            "one route module per group, in the description's order"
        );
        // And the files carry the groups' names; the others are the kit every group shares.
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/routes");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("src/routes")
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter_map(|name| Some(name.strip_suffix(".rs")?.to_owned()))
            .filter(|name| {
                !["mod", "gateway", "kit", "payloads", "prelude"].contains(&name.as_str())
            })
            .collect();
        files.sort();
        let mut expected = groups.clone();
        expected.sort();
        assert_eq!(
            files, expected,
            "src/routes/<group>.rs for each group, and no other"
        );
    }

    #[test]
    fn every_endpoint_is_routed_by_its_groups_module() {
        let (_, endpoints) = description();
        assert!(
            endpoints.len() >= 50,
            "the description lists every endpoint"
        );
        let mut wrong = Vec::new();
        for (path, group) in &endpoints {
            let routed: Vec<&str> = GROUPS
                .iter()
                .filter(|(_, handler)| handler(path).is_some())
                .map(|(id, _)| *id)
                .collect();
            if routed != [group.as_str()] {
                wrong.push(format!("{path} (group {group}) is routed by {routed:?}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn the_check_sees_a_path_no_module_routes() {
        assert!(
            GROUPS
                .iter()
                .all(|(_, handler)| handler("/v9/not-an-endpoint").is_none())
        );
    }
}
