//! `cargo xtask`: the project's maintenance tasks.

use std::process::ExitCode;

const HELP: &str = "\
cargo xtask <TASK>

Tasks:
  codegen           regenerate crates/pockyt-types/src/generated/ from api/pockyt-api.json
  codegen --check   fail if the checked-in generated code differs from what the generator writes
  --help            show this message
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] | ["--help"] | ["-h"] | ["help"] => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        other => {
            eprintln!("xtask: unknown arguments {other:?}\n\n{HELP}");
            ExitCode::from(2)
        }
    }
}
