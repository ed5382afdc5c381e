//! `cargo xtask`: the project's maintenance tasks.

mod bench;
mod build_cost;
mod codegen;
mod conformance;
mod deny;
mod fuzz;
mod install;
mod mutants;
mod page;
mod process;
mod python;
mod screenshots;
mod soak;
mod sources;
mod tidy;

use std::path::PathBuf;
use std::process::ExitCode;

const HELP: &str = "\
cargo xtask <TASK>

Tasks:
  codegen           regenerate crates/pockyt-types/src/generated/ from api/pockyt-api.json
  codegen --check   fail if the checked-in generated code differs from what the generator writes
  bench             measure everything docs/performance.md reports and rewrite its table
                    (needs python3 + pip for the official Python SDK; loopback only)
  build-cost        build bench/build-cost/'s three programs cold (pockyt, hand-rolled reqwest,
                    async-stripe) and write their build times and sizes into docs/performance.md
                    (also the last step of `bench`)
  soak [--seconds S] [--concurrency N] [--max-checkouts M]
                    concurrent checkouts, refunds and IPN retries against the simulator, then
                    checks that nothing was lost, duplicated or over-refunded (default 20 s, 32)
  fuzz [--seconds S] [--jobs J] [--check]
                    every cargo-fuzz target for S seconds (default 600), J at a time (default:
                    the core count), on nightly; a crash becomes a regression input and fails the
                    task; figures go into docs/reliability.md unless --check
  deny              licence, ban and source checks of deny.toml, offline (installs cargo-deny)
  mutants [--in-diff FILE] [--package P] [--table]
                    cargo-mutants over the money path (installs it on first use); writes the
                    table of caught and missed mutants into docs/reliability.md; --in-diff FILE
                    (the mutants in a diff) or --package P (one area) print, write nothing;
                    --table writes the table from each area's last run
  conformance [--record]
                    replay the requests the official Python SDK sends (tests/conformance/) against
                    the simulator and the client; --record installs the SDK (target/bench-venv)
                    and records them anew
  screenshots       photograph the simulator's dashboard, a payment and the cashier in headless
                    chromium (installs Debian's chromium and chromium-driver) into docs/images/
  sources --py DIR --php DIR --java DIR --cs DIR --go DIR --js DIR [--out DIR]
                    read the official SDKs' snapshots (any subset of the six) into
                    api/sources/*.json, the source matrix; --fetch-hint says which commits
  --help            show this message
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        [] | ["--help"] | ["-h"] | ["help"] => {
            print!("{HELP}");
            Ok(())
        }
        ["codegen"] => codegen::write(&workspace_root()),
        ["codegen", "--check"] => codegen::check(&workspace_root()),
        ["bench"] => bench::run(&workspace_root()),
        ["build-cost"] => build_cost::run(&workspace_root()),
        ["soak", rest @ ..] => soak::run(&workspace_root(), rest),
        ["deny"] => deny::run(&workspace_root()),
        ["fuzz", rest @ ..] => fuzz::run(&workspace_root(), rest),
        ["conformance", rest @ ..] => conformance::run(&workspace_root(), rest),
        ["mutants", rest @ ..] => mutants::run(&workspace_root(), rest),
        ["screenshots"] => screenshots::run(&workspace_root()),
        ["sources", rest @ ..] => sources::run(&workspace_root(), rest),
        other => {
            eprintln!("xtask: unknown arguments {other:?}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask lives one level below it.
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

#[cfg(test)]
mod tests {
    /// The checked-in generated code is what the generator produces today.
    #[test]
    fn generated_code_is_fresh() {
        if let Err(message) = super::codegen::check(&super::workspace_root()) {
            panic!("{message}");
        }
    }
}
