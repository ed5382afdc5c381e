//! `cargo xtask screenshots`: photographs the simulator's dashboard, a payment's page and the
//! cashier in Debian's headless chromium for `crates/pockyt-mock/guide/testing.md`, so the pictures there are what the
//! code draws today. The session itself is `tests/src/bin/screenshots.rs`.

use std::path::Path;
use std::process::Command;

/// Where the pictures go, relative to the workspace root; `crates/pockyt-mock/guide/testing.md` links them.
const DIR: &str = "docs/images";
const PICTURES: [&str; 3] = ["dashboard.png", "payment.png", "cashier.png"];

pub fn run(root: &Path) -> Result<(), String> {
    crate::process::run(
        Command::new(root.join(".ci/ensure-packages"))
            .current_dir(root)
            .args(["chromium=chromium", "chromedriver=chromium-driver"]),
        "installing chromium and chromium-driver",
    )?;
    crate::process::run(
        Command::new("cargo").current_dir(root).args([
            "run",
            "--quiet",
            "-p",
            "pockyt-e2e",
            "--features",
            "browser",
            "--bin",
            "screenshots",
            "--",
            DIR,
        ]),
        "the screenshots session",
    )?;
    check_linked(
        &std::fs::read_to_string(root.join("crates/pockyt-mock/guide/testing.md"))
            .map_err(|e| format!("cannot read crates/pockyt-mock/guide/testing.md: {e}"))?,
    )
}

/// Fails if `crates/pockyt-mock/guide/testing.md` does not show every picture this task takes.
fn check_linked(testing_md: &str) -> Result<(), String> {
    let unlinked: Vec<&str> = PICTURES
        .iter()
        .copied()
        .filter(|p| !testing_md.contains(&format!("docs/images/{p})")))
        .collect();
    if unlinked.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "crates/pockyt-mock/guide/testing.md does not show {}",
            unlinked.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pictures the task takes are the ones the testing guide shows.
    #[test]
    fn the_testing_guide_shows_every_picture() {
        let root = crate::workspace_root();
        let guide =
            std::fs::read_to_string(root.join("crates/pockyt-mock/guide/testing.md")).unwrap();
        check_linked(&guide).unwrap();
        for picture in PICTURES {
            assert!(
                root.join(DIR).join(picture).is_file(),
                "{picture} is checked in"
            );
        }
        assert!(check_linked("no pictures").is_err());
    }
}
