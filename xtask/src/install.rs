//! Cargo subcommands the tasks need, installed from crates.io on first use, so a fresh machine
//! needs nothing by hand.

use std::process::{Command, Stdio};

/// Makes sure `cargo <subcommand>` runs, installing `krate` (`cargo install --locked`) if not.
pub fn ensure(subcommand: &str, krate: &str) -> Result<(), String> {
    let present = Command::new("cargo")
        .args([subcommand, "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if present {
        return Ok(());
    }
    eprintln!("xtask: installing {krate} (cargo install {krate} --locked)");
    crate::process::run(
        Command::new("cargo").args(["install", krate, "--locked"]),
        &format!("cargo install {krate}"),
    )
}
