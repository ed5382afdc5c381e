//! `cargo xtask conformance [--record]`: what the official Python SDK sends, recorded and replayed.
//!
//! `--record` installs the SDK into `target/bench-venv`, runs `tests/conformance/record.py` (every
//! endpoint the SDK implements, against a capture server on loopback) and rewrites
//! `tests/conformance/python/`. Without it, the task runs the replay, which also runs in `cargo
//! test` and needs no Python.

use std::path::Path;
use std::process::Command;

pub fn run(root: &Path, args: &[&str]) -> Result<(), String> {
    match args {
        ["--record"] => record(root),
        [] => crate::process::run(
            Command::new(env!("CARGO")).current_dir(root).args([
                "test",
                "-p",
                "pockyt-e2e",
                "--test",
                "it",
                "conformance::",
            ]),
            "cargo test --test it conformance::",
        ),
        other => Err(format!("conformance: unknown arguments {other:?}")),
    }
}

fn record(root: &Path) -> Result<(), String> {
    let python = crate::python::sdk_venv(root)?;
    let out = root.join("tests/conformance/python");
    crate::process::run(
        Command::new(python)
            .current_dir(root)
            .arg("tests/conformance/record.py")
            .arg("--out")
            .arg(&out),
        "tests/conformance/record.py",
    )?;
    println!(
        "conformance: recorded {} (commit it; `cargo test` replays it)",
        out.display()
    );
    Ok(())
}
