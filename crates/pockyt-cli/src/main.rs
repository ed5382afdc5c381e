//! `pockyt`: the end-to-end demo, a local gateway simulator, signing, IPN verification, raw calls.
//!
//! Exit codes: 0 success; 1 a check failed (a signature did not verify, the gateway refused, a demo
//! step failed); 2 bad input or a failure to run. Errors are one line on stderr; input never makes
//! the tool panic.

/// `println!` that ignores a closed stdout (`pockyt demo | head`) instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `eprintln!` that ignores a closed stderr.
macro_rules! warn {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod call;
mod conformance;
mod demo;
mod input;
mod ipn_send;
mod mock;
mod reconcile;
mod signing;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The Pockyt (formerly Yuansfer) payments API from the command line.
#[derive(Debug, Parser)]
#[command(name = "pockyt", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Runs a whole checkout against the embedded simulator (or the sandbox with --live).
    Demo(demo::Args),
    /// Serves the gateway simulator until Ctrl-C.
    Mock(mock::Args),
    /// Reads a JSON object of string parameters on stdin and prints its verifySign.
    Sign(signing::SignArgs),
    /// Reads a raw IPN form body on stdin and says whether its verifySign is valid.
    VerifyIpn(signing::VerifyArgs),
    /// Sends a signed request to any endpoint path and prints the JSON response.
    Call(call::Args),
    /// Runs a safe script against a live gateway (the sandbox) and a local simulator, and compares them.
    Conformance(conformance::Args),
    Reconcile(reconcile::Args),
    /// Tools for a merchant's IPN handler: `pockyt ipn send` posts a signed notification to it.
    #[command(subcommand)]
    Ipn(ipn_send::IpnCommand),
}

/// An error and every cause below it, on one line: each layer's message says only its own part
/// (the workspace's error rule), so a person needs the whole `source()` chain.
pub(crate) fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    pockyt::DisplayChain(error).to_string()
}

/// What a command ended with.
pub(crate) enum Outcome {
    /// Exit 0.
    Ok,
    /// Exit 1, with the reason on stderr.
    Failed(String),
    /// Exit 2, with the reason on stderr.
    BadInput(String),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => {
            // --help and --version: clap's own output, exit 0.
            let _ = error.print();
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            // The contract: one line on stderr. clap's first paragraph names the problem.
            let text = error.to_string();
            let problem: Vec<&str> = text
                .lines()
                .take_while(|line| !line.trim().is_empty())
                .map(str::trim)
                .collect();
            warn!(
                "pockyt: {} (see pockyt --help)",
                problem.join(" ").trim_start_matches("error: ")
            );
            return ExitCode::from(2);
        }
    };
    let outcome = match cli.command {
        Command::Sign(args) => signing::sign(&args),
        Command::VerifyIpn(args) => signing::verify(&args),
        command => match tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
        {
            Ok(runtime) => runtime.block_on(async_command(command)),
            Err(e) => Outcome::BadInput(format!(
                "cannot start the async runtime: {}",
                crate::chain(&e)
            )),
        },
    };
    match outcome {
        Outcome::Ok => ExitCode::SUCCESS,
        Outcome::Failed(reason) => {
            warn!("pockyt: {reason}");
            ExitCode::from(1)
        }
        Outcome::BadInput(reason) => {
            warn!("pockyt: error: {reason}");
            ExitCode::from(2)
        }
    }
}

async fn async_command(command: Command) -> Outcome {
    match command {
        Command::Demo(args) => demo::run(&args).await,
        Command::Mock(args) => mock::run(&args).await,
        Command::Call(args) => call::run(&args).await,
        Command::Conformance(args) => conformance::run(&args).await,
        Command::Reconcile(args) => reconcile::run(&args).await,
        Command::Ipn(command) => ipn_send::run(&command).await,
        Command::Sign(_) | Command::VerifyIpn(_) => {
            Outcome::BadInput("not an async command".into())
        }
    }
}
