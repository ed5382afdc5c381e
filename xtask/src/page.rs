//! Rewriting the measured part of a docs page: the text between `<!-- NAME:start -->` and
//! `<!-- NAME:end -->`, so the prose around a table stays hand-written.

use std::path::Path;
use std::process::Command;

/// Replaces what lies between the `name` markers of `page` (relative to `root`) with `block`.
pub fn replace_block(root: &Path, page: &str, name: &str, block: &str) -> Result<(), String> {
    let path = root.join(page);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (start, end) = (
        format!("<!-- {name}:start -->"),
        format!("<!-- {name}:end -->"),
    );
    let (Some(from), Some(to)) = (text.find(&start), text.find(&end)) else {
        return Err(format!("{} has no {start} … {end} markers", path.display()));
    };
    if to < from {
        return Err(format!("{}: {end} comes before {start}", path.display()));
    }
    let updated = format!("{}{start}\n{block}{}", &text[..from], &text[to..]);
    std::fs::write(&path, updated).map_err(|e| format!("{}: {e}", path.display()))
}

/// Today's date (UTC, `YYYY-MM-DD`), for the line that says when figures were taken.
pub fn today() -> String {
    Command::new("date")
        .args(["-u", "+%F"])
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map_or_else(|| "(date unknown)".into(), |d| d.trim().to_owned())
}

/// The number of cores the figures were taken on.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}
