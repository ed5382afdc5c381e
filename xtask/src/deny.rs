//! `cargo xtask deny`: the licence, ban and source checks of `deny.toml`, without the network once
//! the crates are fetched. Advisories are left out: they need the RustSec database.

use std::path::Path;
use std::process::Command;

pub fn run(root: &Path) -> Result<(), String> {
    crate::install::ensure("deny", "cargo-deny")?;
    // Every platform's crates (macOS and Windows ones too), so their licence files can be read
    // without the network; a build fetches only this platform's.
    let fetched = Command::new("cargo")
        .current_dir(root)
        .args(["fetch", "--locked", "--quiet"])
        .status()
        .map_err(|e| format!("cargo fetch: {e}"))?;
    if !fetched.success() {
        return Err("cargo fetch --locked failed".into());
    }
    let status = Command::new("cargo")
        .current_dir(root)
        .args([
            "deny",
            "--offline",
            "check",
            "--hide-inclusion-graph",
            "licenses",
            "bans",
            "sources",
        ])
        .status()
        .map_err(|e| format!("cargo deny: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("cargo deny found a licence, ban or source that deny.toml does not allow".into())
    }
}
