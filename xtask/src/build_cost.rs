//! `cargo xtask build-cost` (also the last step of `cargo xtask bench`): what depending on us
//! costs a user, next to the alternatives. Builds the three one-file programs under
//! `bench/build-cost/` cold, debug and release, each in a target directory of its own, and writes
//! build times, crate counts and binary sizes into `docs/performance.md`.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

/// (directory, what it is, binary name).
const PROGRAMS: &[(&str, &str, &str)] = &[
    ("pockyt", "`pockyt` (default features)", "cost-pockyt"),
    (
        "reqwest",
        "hand-rolled: reqwest (rustls) + serde_json + md-5",
        "cost-reqwest",
    ),
    (
        "async-stripe",
        "async-stripe 1.0.0-rc.10: the client and its `checkout` crate (a Checkout session)",
        "cost-async-stripe",
    ),
];

/// The program every other row is compared with.
const BASELINE: &str = "reqwest";

struct Row {
    what: &'static str,
    dir: &'static str,
    crates: usize,
    debug_s: f64,
    release_s: f64,
    binary_bytes: u64,
}

pub fn run(root: &Path) -> Result<(), String> {
    let mut rows = Vec::new();
    for &(dir, what, binary) in PROGRAMS {
        println!("build-cost: {dir}");
        rows.push(measure(root, dir, what, binary)?);
    }
    crate::page::replace_block(root, "docs/performance.md", "build-cost", &table(&rows))?;
    println!("build-cost: table written to docs/performance.md");
    Ok(())
}

fn measure(
    root: &Path,
    dir: &'static str,
    what: &'static str,
    binary: &str,
) -> Result<Row, String> {
    let manifest = root.join("bench/build-cost").join(dir).join("Cargo.toml");
    let target = root.join("target/build-cost").join(dir);
    if target.exists() {
        std::fs::remove_dir_all(&target).map_err(|e| format!("{}: {e}", target.display()))?;
    }
    // Downloads are not build time.
    cargo(&manifest, &target, &["fetch", "--locked"])?;
    let started = Instant::now();
    let built = cargo(
        &manifest,
        &target,
        &["build", "--locked", "--message-format=json"],
    )?;
    let debug_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    cargo(&manifest, &target, &["build", "--locked", "--release"])?;
    let release_s = started.elapsed().as_secs_f64();
    let path = target.join("release").join(binary);
    let binary_bytes = std::fs::metadata(&path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .len();
    Ok(Row {
        what,
        dir,
        crates: crates_compiled(&built),
        debug_s,
        release_s,
        binary_bytes,
    })
}

/// Runs cargo on one program with its own target directory; returns its standard output.
fn cargo(manifest: &Path, target: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .arg("--manifest-path")
        .arg(manifest)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cargo {}: {e}", args.join(" ")))?;
    if !output.status.success() {
        return Err(format!(
            "cargo {} failed for {}",
            args.join(" "),
            manifest.display()
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("cargo output: {e}"))
}

/// Distinct packages cargo compiled (build scripts and proc macros included), from its JSON
/// messages.
fn crates_compiled(messages: &str) -> usize {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact")
        .filter_map(|m| m["package_id"].as_str().map(str::to_owned))
        .collect::<std::collections::BTreeSet<String>>()
        .len()
}

fn table(rows: &[Row]) -> String {
    let base = rows.iter().find(|r| r.dir == BASELINE);
    let ratio = |value: f64, of: fn(&Row) -> f64| {
        base.map_or_else(|| "-".into(), |b| format!("{:.2}×", value / of(b)))
    };
    let mut out = format!(
        "Measured {} on {} cores by `cargo xtask build-cost` (part of `cargo xtask bench`): each \
         program of `bench/build-cost/` built cold in a target directory of its own, dependencies \
         already downloaded, `CARGO_INCREMENTAL=0`.\n\n\
         | program | crates compiled | debug build | release build | release binary | debug build vs hand-rolled |\n\
         |---|---|---|---|---|---|\n",
        crate::page::today(),
        crate::page::cores()
    );
    for row in rows {
        out.push_str(&format!(
            "| {} | {} | {:.0} s | {:.0} s | {:.1} MiB | {} |\n",
            row.what,
            row.crates,
            row.debug_s,
            row.release_s,
            row.binary_bytes as f64 / (1024.0 * 1024.0),
            ratio(row.debug_s, |b| b.debug_s),
        ));
    }
    if let (Some(ours), Some(base)) = (rows.iter().find(|r| r.dir == "pockyt"), base) {
        out.push_str(&format!(
            "\nRelease build: `pockyt` takes {:.2}× the hand-rolled program's time.\n",
            ours.release_s / base.release_s
        ));
    }
    out
}
