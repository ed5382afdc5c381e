//! `cargo xtask fuzz`: every cargo-fuzz target of `fuzz/` for a fixed time, on the nightly
//! toolchain, then the figures into `docs/reliability.md` between its `fuzz:start` / `fuzz:end`
//! markers. A crash is copied into `fuzz/regressions/<target>/`, where `cargo test` replays it on
//! stable from then on, and the task fails.
//!
//! Needs the nightly toolchain; cargo-fuzz is installed if it is missing.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::SystemTime;

/// Every target under `fuzz/fuzz_targets/`, in the order of the table.
const TARGETS: [&str; 5] = [
    "ipn_verify_form",
    "envelope_decode",
    "amount_parse",
    "mock_request_body",
    "sign_verify",
];

struct Options {
    seconds: u64,
    jobs: usize,
    /// Only fail on a crash; leave the page as it is (for short runs such as CI's).
    check: bool,
}

fn options(args: &[&str]) -> Result<Options, String> {
    let mut options = Options {
        seconds: 600,
        jobs: crate::page::cores(),
        check: false,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            let value = args.next().ok_or(format!("{name} needs a number"))?;
            match value.parse() {
                Ok(n) if n > 0 => Ok(n),
                _ => Err(format!(
                    "{name} needs a positive whole number, not {value:?}"
                )),
            }
        };
        match *arg {
            "--seconds" => options.seconds = number("--seconds")?,
            "--jobs" => options.jobs = usize::try_from(number("--jobs")?).unwrap_or(usize::MAX),
            "--check" => options.check = true,
            other => return Err(format!("fuzz: unknown argument {other:?}")),
        }
    }
    Ok(options)
}

/// What libFuzzer reported at the end of one target's run.
#[derive(Default)]
struct Run {
    executions: u64,
    per_second: u64,
    edges: u64,
    corpus: u64,
    crashed: Option<String>,
}

pub fn run(root: &Path, args: &[&str]) -> Result<(), String> {
    let options = options(args)?;
    let fuzz = root.join("fuzz");
    crate::install::ensure("fuzz", "cargo-fuzz")?;
    eprintln!("fuzz: building the targets (nightly, sanitizer on)");
    crate::process::finish(
        nightly(&fuzz).args(["fuzz", "build"]).spawn(),
        "cargo fuzz build",
    )?;
    let logs = root.join("target/fuzz-logs");
    std::fs::create_dir_all(&logs).map_err(|e| format!("{}: {e}", logs.display()))?;

    let mut runs = Vec::new();
    for batch in TARGETS.chunks(options.jobs.max(1)) {
        let started = SystemTime::now();
        let mut children = Vec::new();
        for target in batch {
            eprintln!("fuzz: {target} for {} s", options.seconds);
            match start(&fuzz, &logs, target, options.seconds) {
                Ok(child) => children.push((*target, child)),
                Err(error) => {
                    // Leave nothing running behind an early exit.
                    for (_, mut child) in children {
                        let _ = child.kill();
                        let _ = child.wait();
                    }
                    return Err(error);
                }
            }
        }
        // Wait for every child of the batch before judging any of them.
        let finished: Vec<(&str, bool)> = children
            .into_iter()
            .map(|(target, child)| (target, crate::process::finish(Ok(child), target).is_ok()))
            .collect();
        for (target, success) in finished {
            let log = logs.join(format!("{target}.log"));
            let text =
                std::fs::read_to_string(&log).map_err(|e| format!("{}: {e}", log.display()))?;
            let mut run = parse(&text);
            if !success {
                run.crashed = Some(keep_crash(&fuzz, target, started)?);
            }
            runs.push((target, run));
        }
    }

    let table = table(&fuzz, &runs, &options);
    print!("{table}");
    if !options.check {
        crate::page::replace_block(root, "docs/reliability.md", "fuzz", &table)?;
        eprintln!("fuzz: wrote docs/reliability.md");
    }
    let crashed: Vec<String> = runs
        .iter()
        .filter_map(|(target, run)| {
            run.crashed
                .as_ref()
                .map(|input| format!("{target}: {input}"))
        })
        .collect();
    if crashed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "crashes found; each input is now a regression test (fix, then commit it):\n  {}",
            crashed.join("\n  ")
        ))
    }
}

/// `cargo +nightly` in `dir`, clear of the variables the stable `cargo xtask` set.
fn nightly(dir: &Path) -> Command {
    let mut command = Command::new("cargo");
    command.current_dir(dir).arg("+nightly");
    for var in [
        "CARGO",
        "RUSTC",
        "RUSTDOC",
        "RUSTUP_TOOLCHAIN",
        "CARGO_TARGET_DIR",
    ] {
        command.env_remove(var);
    }
    command
}

/// Starts one target, seeded with its committed regression inputs, its output to a log file.
fn start(fuzz: &Path, logs: &Path, target: &str, seconds: u64) -> Result<Child, String> {
    let corpus = fuzz.join("corpus").join(target);
    std::fs::create_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
    let log_path = logs.join(format!("{target}.log"));
    let log =
        std::fs::File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
    let err = log
        .try_clone()
        .map_err(|e| format!("{}: {e}", log_path.display()))?;
    nightly(fuzz)
        .args(["fuzz", "run", target])
        .arg(&corpus)
        .arg(fuzz.join("regressions").join(target))
        .args([
            "--".to_owned(),
            format!("-max_total_time={seconds}"),
            "-print_final_stats=1".to_owned(),
            // One input running this long is a hang worth a report, not a stalled run.
            "-timeout=10".to_owned(),
            "-rss_limit_mb=2048".to_owned(),
        ])
        .stdout(log)
        .stderr(err)
        .spawn()
        .map_err(|e| format!("cargo fuzz run {target}: {e}"))
}

/// libFuzzer's final statistics (`-print_final_stats=1`) and its last status line.
fn parse(log: &str) -> Run {
    let stat = |name: &str| {
        log.lines()
            .rev()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim_start_matches(':').trim().parse().ok())
            .unwrap_or(0)
    };
    let status_field = |name: &str| {
        log.lines()
            .rev()
            .find_map(|line| line.split_once(name))
            .and_then(|(_, rest)| {
                let digits: String = rest
                    .trim_start()
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                digits.parse().ok()
            })
            .unwrap_or(0)
    };
    Run {
        executions: stat("stat::number_of_executed_units"),
        per_second: stat("stat::average_exec_per_sec"),
        edges: status_field(" cov: "),
        corpus: status_field(" corp: "),
        crashed: None,
    }
}

/// Copies the newest crash input of `target` written since `since` into its regression folder;
/// returns where it went. A failure that left no new input (say, a build error) is reported as such,
/// never pinned on an old artifact.
fn keep_crash(fuzz: &Path, target: &str, since: SystemTime) -> Result<String, String> {
    let artifacts = fuzz.join("artifacts").join(target);
    let newest = std::fs::read_dir(&artifacts)
        .map_err(|e| {
            format!(
                "{target} failed and left no artifact ({}: {e})",
                artifacts.display()
            )
        })?
        .filter_map(Result::ok)
        .filter_map(|entry| Some((entry.metadata().ok()?.modified().ok()?, entry.path())))
        .filter(|(modified, _)| *modified >= since)
        .max()
        .map(|(_, path)| path)
        .ok_or(format!(
            "{target} failed and left no new input in {} (see target/fuzz-logs/{target}.log)",
            artifacts.display()
        ))?;
    let name = newest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "crash".into());
    let kept: PathBuf = fuzz.join("regressions").join(target).join(&name);
    std::fs::copy(&newest, &kept).map_err(|e| format!("{}: {e}", kept.display()))?;
    Ok(kept.display().to_string())
}

fn table(fuzz: &Path, runs: &[(&str, Run)], options: &Options) -> String {
    let kept = |target: &str| {
        std::fs::read_dir(fuzz.join("regressions").join(target)).map_or(0, |dir| dir.count())
    };
    let mut out = format!(
        "Run on {} on {} cores by `cargo xtask fuzz --seconds {} --jobs {}` ({} at a time, so each \
         had about {:.1} of a core), each target seeded with its corpus and its regression inputs:\n\n",
        crate::page::today(),
        crate::page::cores(),
        options.seconds,
        options.jobs,
        options.jobs.min(TARGETS.len()),
        (crate::page::cores() as f64 / options.jobs.min(TARGETS.len()) as f64).min(1.0),
    );
    out.push_str(
        "| target | time | executions | exec/s | coverage (edges) | corpus | kept as regression tests | crashes found |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    for (target, run) in runs {
        out.push_str(&format!(
            "| `{target}` | {} s | {} | {} | {} | {} | {} | {} |\n",
            options.seconds,
            thousands(run.executions),
            thousands(run.per_second),
            run.edges,
            run.corpus,
            kept(target),
            if run.crashed.is_some() { "**1**" } else { "0" },
        ));
    }
    let crashes = runs.iter().filter(|(_, r)| r.crashed.is_some()).count();
    out.push_str(&format!(
        "\n{crashes} crash(es). Every kept input lives in `fuzz/regressions/<target>/` and is replayed \
         on stable by `cargo test -p pockyt-e2e --test it fuzz_regressions::` with the same checks as the \
         targets (the full corpora are not committed).\n"
    ));
    out
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_libfuzzer_final_stats() {
        let log = "#4096\tpulse  cov: 500 ft: 900 corp: 300/9Kb exec/s: 2048 rss: 40Mb\n\
                   #1386861\tDONE   cov: 726 ft: 1710 corp: 617/20Kb lim: 4096 exec/s: 2307 rss: 61Mb\n\
                   Done 1386861 runs in 601 second(s)\n\
                   stat::number_of_executed_units: 1386861\n\
                   stat::average_exec_per_sec:     2307\n\
                   stat::new_units_added:          12\n";
        let run = parse(log);
        assert_eq!(
            (run.executions, run.per_second, run.edges, run.corpus),
            (1_386_861, 2_307, 726, 617)
        );
    }

    #[test]
    fn a_log_without_stats_reads_as_zero() {
        let run = parse("error: could not compile\n");
        assert_eq!((run.executions, run.edges, run.corpus), (0, 0, 0));
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(20_123_456), "20,123,456");
    }

    #[test]
    fn refuses_bad_options() {
        assert!(options(&["--seconds", "0"]).is_err());
        assert!(options(&["--seconds"]).is_err());
        assert!(options(&["--fast"]).is_err());
        let o = options(&["--seconds", "30", "--jobs", "1", "--check"]).unwrap();
        assert_eq!((o.seconds, o.jobs, o.check), (30, 1, true));
    }
}
