//! Running the tools a task calls, with a failure turned into a message that names the tool.

use std::process::{Child, Command};

/// Runs `command` to the end; `what` names it in the error.
pub fn run(command: &mut Command, what: &str) -> Result<(), String> {
    finish(command.spawn(), what)
}

/// Waits for a started child, or reports why it did not start; `what` names it in the error.
pub fn finish(child: std::io::Result<Child>, what: &str) -> Result<(), String> {
    let status = child
        .and_then(|mut c| c.wait())
        .map_err(|e| format!("{what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}
