//! `cargo xtask deny`: the licence, ban and source checks of `deny.toml`, without the network once
//! the crates are fetched. Advisories are left out: they need the RustSec database.

use std::path::Path;
use std::process::Command;

pub fn run(root: &Path) -> Result<(), String> {
    crate::install::ensure("deny", "cargo-deny")?;
    // Every platform's crates (macOS and Windows ones too), so their licence files can be read
    // without the network; a build fetches only this platform's.
    crate::process::run(
        Command::new("cargo")
            .current_dir(root)
            .args(["fetch", "--locked", "--quiet"]),
        "cargo fetch --locked",
    )?;
    crate::process::run(
        Command::new("cargo").current_dir(root).args([
            "deny",
            "--offline",
            "check",
            "--hide-inclusion-graph",
            "licenses",
            "bans",
            "sources",
        ]),
        "cargo deny",
    )
    .map_err(|e| format!("{e}: a licence, ban or source that deny.toml does not allow (see above)"))
}
