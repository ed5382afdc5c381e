//! `cargo xtask codegen`: `api/pockyt-api.json` → checked-in Rust.
//!
//! Output is deterministic (the description's order, no timestamps) and formatted by the pinned
//! rustfmt, so `--check` can compare bytes.

mod client;
pub mod matrix;
mod model;
mod names;
mod simulator;
mod sources;
mod tests;
mod types;
mod validate;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use model::Api;

const API: &str = "api/pockyt-api.json";
const TYPES_OUT: &str = "crates/pockyt-types/src/generated";
const CLIENT_OUT: &str = "crates/pockyt/src/generated/endpoints.rs";
const BLOCKING_OUT: &str = "crates/pockyt/src/generated/blocking_endpoints.rs";
const CLIENT_TESTS_OUT: &str = "crates/pockyt/tests/it/endpoints.rs";
const SOURCES_OUT: &str = "docs/api-sources.md";
const RULES_OUT: &str = "crates/pockyt-mock/src/generated/rules.rs";
const SOURCE_REQUESTS_OUT: &str = "crates/pockyt-mock/tests/it/source_requests.rs";
const RESPONSE_FIELDS_OUT: &str = "tests/tests/it/response_fields.rs";
/// The folders whose every `.rs` file the generator owns.
const OWNED_DIRS: &[&str] = &[
    TYPES_OUT,
    "crates/pockyt/src/generated",
    "crates/pockyt-mock/src/generated",
];

/// Every file the generator owns, with its content.
pub fn generate(root: &Path) -> Result<Vec<(PathBuf, String)>, String> {
    let api = load(root)?;
    validate::check(&api)?;
    let sources = matrix::load(root)?;
    let out = root.join(TYPES_OUT);
    // The models are tables (fields, rules, wire names): formatted so that a row stays one line.
    // Their `mod` lines carry `#[rustfmt::skip]`, so `cargo fmt` leaves this formatting alone.
    let mut models = vec![
        (out.join("enums.rs"), types::enums_rs(&api)),
        (out.join("objects.rs"), types::objects_rs(&api)),
    ];
    for group in &api.groups {
        models.push((
            out.join(format!("{}.rs", group.module)),
            types::group_rs(&api, &group.id)?,
        ));
    }
    let rest = vec![
        (out.join("mod.rs"), types::mod_rs(&api)),
        (root.join(CLIENT_OUT), client::endpoints_rs(&api)),
        (root.join(BLOCKING_OUT), client::blocking_endpoints_rs(&api)),
        (root.join(CLIENT_TESTS_OUT), tests::endpoints_test_rs(&api)),
        (
            root.join(SOURCE_REQUESTS_OUT),
            simulator::source_requests_rs(&api, &sources),
        ),
        (
            root.join(RESPONSE_FIELDS_OUT),
            simulator::response_fields_rs(&api, &sources),
        ),
    ];
    let mut files = Vec::new();
    models.push((root.join(RULES_OUT), simulator::rules_rs(&api, &sources)));
    for (path, text) in models {
        files.push((path, rustfmt(&text, &[TABLE_STYLE])?));
    }
    for (path, text) in rest {
        files.push((path, rustfmt(&text, &[])?));
    }
    files.push((root.join(SOURCES_OUT), sources::sources_md(&api, &sources)));
    Ok(files)
}

pub fn load(root: &Path) -> Result<Api, String> {
    let path = root.join(API);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// rustfmt's settings for the generated models: calls, literals and tuples may use the whole line.
const TABLE_STYLE: &str = "use_small_heuristics=Max";

fn rustfmt(source: &str, config: &[&str]) -> Result<String, String> {
    let mut command = Command::new("rustfmt");
    command.args(["--edition", "2024", "--emit", "stdout", "--quiet"]);
    for setting in config {
        command.args(["--config", setting]);
    }
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run rustfmt: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(source.as_bytes())
            .map_err(|e| format!("writing to rustfmt: {e}"))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "rustfmt rejected generated code (a generator bug):\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("rustfmt output: {e}"))
}

/// Writes the generated files, removing stale ones the generator no longer produces.
pub fn write(root: &Path) -> Result<(), String> {
    let files = generate(root)?;
    for dir in OWNED_DIRS {
        for stale in stale_files(&root.join(dir), &files)? {
            std::fs::remove_file(&stale).map_err(|e| format!("{}: {e}", stale.display()))?;
        }
    }
    for (path, text) in &files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    println!(
        "codegen: wrote {} files ({TYPES_OUT}/, {CLIENT_OUT})",
        files.len()
    );
    Ok(())
}

/// Regenerates in memory and lists every file that differs from what is checked in.
pub fn check(root: &Path) -> Result<(), String> {
    let files = generate(root)?;
    let mut problems = Vec::new();
    for (path, text) in &files {
        match std::fs::read_to_string(path) {
            Ok(current) if current == *text => {}
            Ok(_) => problems.push(format!("{} differs", path.display())),
            Err(_) => problems.push(format!("{} is missing", path.display())),
        }
    }
    for dir in OWNED_DIRS {
        for stale in stale_files(&root.join(dir), &files)? {
            problems.push(format!(
                "{} is not produced by the generator",
                stale.display()
            ));
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "generated code is stale:\n  {}\nRun `cargo xtask codegen` and commit the result \
         (never edit generated files by hand).",
        problems.join("\n  ")
    ))
}

fn stale_files(dir: &Path, files: &[(PathBuf, String)]) -> Result<Vec<PathBuf>, String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut stale = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.extension().is_some_and(|e| e == "rs") && !files.iter().any(|(p, _)| *p == path) {
            stale.push(path);
        }
    }
    stale.sort();
    Ok(stale)
}
