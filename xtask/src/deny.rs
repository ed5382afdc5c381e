//! `cargo xtask deny`: the licence, ban and source checks of `deny.toml`, offline. Advisories are
//! left out: they need the RustSec database from the network.

use std::path::Path;
use std::process::Command;

pub fn run(root: &Path) -> Result<(), String> {
    crate::install::ensure("deny", "cargo-deny")?;
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
