//! The `pockyt` command. Its subcommands arrive with a later issue; until then it says so.

fn main() {
    eprintln!("pockyt: the demo and other commands are not built yet (see the project's issues)");
    std::process::exit(2);
}
