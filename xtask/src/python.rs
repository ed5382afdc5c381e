//! The official Python SDK in a virtualenv under `target/`: the benchmark's baseline and the
//! conformance suite's oracle.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The pinned official SDK (PyPI).
pub const PYTHON_SDK: &str = "yuansfer==3.0.4";

/// `target/bench-venv` with the official SDK, created on first use; returns its interpreter.
pub fn sdk_venv(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join("target/bench-venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        let ok = Command::new("python3")
            .arg("-m")
            .arg("venv")
            .arg(&venv)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok {
            return Err("cannot create target/bench-venv (is python3 with venv installed?)".into());
        }
    }
    let installed = Command::new(&python)
        .args(["-c", "import yuansfer"])
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !installed {
        crate::process::run(
            Command::new(&python).args(["-m", "pip", "install", "--quiet", PYTHON_SDK]),
            &format!("pip install {PYTHON_SDK}"),
        )?;
    }
    Ok(python)
}
