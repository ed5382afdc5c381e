//! `cargo xtask soak`: the bounded load run of `bench/src/bin/soak.rs`, in release mode.

use std::path::Path;
use std::process::Command;

pub fn run(root: &Path, extra: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .args([
            "run",
            "--release",
            "--quiet",
            "-p",
            "pockyt-bench",
            "--bin",
            "soak",
            "--",
        ])
        .args(extra);
    crate::process::run(&mut command, "the soak run")
        .map_err(|e| format!("{e}: an invariant failed (see its JSON report above)"))
}
