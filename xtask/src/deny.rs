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
    // The whole workspace as users get it (deny.toml: default features), then the facade with
    // every opt-in feature on: `rustls-aws-lc` links aws-lc-sys and `rustls-native-roots` the
    // platforms' certificate crates, which no default build contains, and the licence gate must
    // see everything an advertised feature can link. (Not `--all-features` on the workspace: the
    // unpublished test crate's browser feature links MPL code that no user ever gets.)
    let facade = root.join("crates/pockyt/Cargo.toml");
    let facade = facade.to_str().ok_or("the repository path is not UTF-8")?;
    let graphs: [(&str, Vec<&str>); 2] = [
        ("the workspace, default features", vec![]),
        (
            "pockyt with every feature",
            vec!["--manifest-path", facade, "--features", ALL_FACADE_FEATURES],
        ),
    ];
    for (what, graph_args) in graphs {
        crate::process::run(
            Command::new("cargo")
                .current_dir(root)
                .arg("deny")
                .args(&graph_args)
                .args([
                    "--offline",
                    "check",
                    "--hide-inclusion-graph",
                    "licenses",
                    "bans",
                    "sources",
                ]),
            &format!("cargo deny ({what})"),
        )
        .map_err(|e| {
            format!("{e}: a licence, ban or source that deny.toml does not allow (see above)")
        })?;
    }
    Ok(())
}

/// Every feature of the facade that can add a dependency (the defaults come on by themselves).
const ALL_FACADE_FEATURES: &str =
    "rustls-aws-lc,rustls-native-roots,axum,blocking,tracing,test-util";
