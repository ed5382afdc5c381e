//! `cargo xtask soak`: the bounded load run of `tests/src/bin/soak.rs`, in release mode.

use std::path::Path;
use std::process::Command;

pub fn run(root: &Path, extra: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(root)
        .args([
            "run",
            "--release",
            "--quiet",
            "-p",
            "pockyt-e2e",
            "--bin",
            "soak",
            "--",
        ])
        .args(extra)
        .status()
        .map_err(|e| format!("cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("the soak run failed an invariant (see its JSON report above)".into())
    }
}
