//! `cargo xtask mutants [--in-diff FILE] [--package P]`: cargo-mutants over the money path, area by
//! area, with the table of what the tests catch written into `docs/reliability.md`.
//!
//! Each area's mutants are tested by their own package's unit and integration tests (doctests
//! excluded: `--tests`), one mutant at a time. `--in-diff` limits a quick local run to a change,
//! `--package` to one area; either prints the counts and leaves the page alone.

use std::path::Path;
use std::process::Command;

/// One area of the money path: its name, the package whose code is mutated, the files, the
/// packages whose tests judge each mutant, and cargo features those tests need.
struct Area {
    name: &'static str,
    package: &'static str,
    files: &'static [&'static str],
    tested_by: &'static [&'static str],
    features: &'static str,
    /// Mutants that cannot change what the code does, only how fast (cargo-mutants name
    /// regexes), each with the reason; listed in `docs/reliability.md` too.
    equivalent: &'static [(&'static str, &'static str)],
}

/// The code that decides whether money moved (the issue's list): signing; amounts, envelopes,
/// validation and what moved down from the facade; the client's retry and decoding, errors and
/// IPN verification; the transport's error classification; the simulator's money rules.
const AREAS: &[Area] = &[
    Area {
        name: "signing, form codec (`pockyt-sign`)",
        package: "pockyt-sign",
        files: &["crates/pockyt-sign/src/*.rs"],
        tested_by: &["pockyt-sign"],
        features: "",
        equivalent: &[
            (
                r"in Feeder::write",
                "when the MD5 feeder flushes its buffer changes how the same bytes reach MD5, not which",
            ),
            (
                r"replace name_prefix -> u64 with",
                "a constant prefix key makes every comparison fall through to the full name comparison",
            ),
            (
                r"canonical.rs.*replace > with >= in sort_by_name",
                "at exactly the inline capacity, the library sort gives the same order",
            ),
            (
                r"canonical.rs.*replace < with <= in sort_by_name",
                "moving a pair past an equal name: equal names are refused right after sorting",
            ),
            (
                r"form.rs.*replace \| with \^ in decode",
                "the high and low nibble share no bit, so `|`, `^` and `+` agree",
            ),
            (
                r"signer.rs.*replace match guard .* with true in verify_received",
                "checking again without the empty pairs when there are none checks the same pairs, with the same refusal",
            ),
        ],
    },
    Area {
        name: "amount, envelope, validation, response, JSON body, identity (`pockyt-types`)",
        package: "pockyt-types",
        files: &[
            "crates/pockyt-types/src/amount.rs",
            "crates/pockyt-types/src/envelope.rs",
            "crates/pockyt-types/src/validate.rs",
            "crates/pockyt-types/src/response.rs",
            "crates/pockyt-types/src/json_body.rs",
            "crates/pockyt-types/src/identity.rs",
        ],
        tested_by: &["pockyt-types"],
        features: "from-wire",
        equivalent: &[
            (
                // Column 57 is the second `|` of `found | (b <= b' ') | (b == 0x7f)`.
                r"validate.rs:\d+:57: replace \| with \^ in has_space_or_control",
                "`^` binds before `|`, and a byte is never both a space or control and DEL",
            ),
            (
                // `value.len() > max` only decides whether characters need counting.
                r"validate.rs:\d+:65: replace > with >= in text",
                "a text of exactly `max` bytes has at most `max` characters, so counting them passes",
            ),
        ],
    },
    Area {
        name: "client, retry, errors, IPN (`pockyt`)",
        package: "pockyt",
        files: &[
            "crates/pockyt/src/client/mod.rs",
            "crates/pockyt/src/client/encode.rs",
            "crates/pockyt/src/client/execute.rs",
            "crates/pockyt/src/client/decode.rs",
            "crates/pockyt/src/retry.rs",
            "crates/pockyt/src/error.rs",
            "crates/pockyt/src/ipn/mod.rs",
            "crates/pockyt/src/ipn/webhook.rs",
        ],
        tested_by: &["pockyt"],
        features: "test-util",
        equivalent: &[],
    },
    Area {
        name: "error classification (`pockyt-transport`)",
        package: "pockyt-transport",
        files: &["crates/pockyt-transport/src/error.rs"],
        tested_by: &["pockyt-transport"],
        features: "",
        equivalent: &[],
    },
    Area {
        name: "refunds, cancels, balances, state (`pockyt-mock`)",
        package: "pockyt-mock",
        files: &[
            "crates/pockyt-mock/src/state.rs",
            "crates/pockyt-mock/src/sim.rs",
            "crates/pockyt-mock/src/routes/refunds.rs",
            "crates/pockyt-mock/src/routes/kit.rs",
            "crates/pockyt-mock/src/routes/new_payment.rs",
        ],
        // Its money rules are stated by its own tests (`crates/pockyt-mock/tests/it/money.rs`),
        // through the client; the end-to-end flows repeat them inside whole checkouts.
        tested_by: &["pockyt-mock"],
        features: "",
        equivalent: &[
            (
                r"replace match guard payment.is_open\(\) with true in cancel",
                "a payment neither paid nor open is refused with the same status error either way",
            ),
            (
                r"replace % with / in random_start",
                "another random start is as random: numbers stay 18 digits and differ between simulators",
            ),
        ],
    },
];

pub fn run(root: &Path, args: &[&str]) -> Result<(), String> {
    if args == ["--table"] {
        return table_from_last_runs(root);
    }
    let (mut in_diff, mut only) = (None, None);
    let mut rest = args;
    while let [flag, value, tail @ ..] = rest {
        match *flag {
            "--in-diff" => in_diff = Some(*value),
            "--package" => only = Some(*value),
            other => return Err(format!("mutants: unknown argument {other}")),
        }
        rest = tail;
    }
    if !rest.is_empty() {
        return Err(format!("mutants: unknown arguments {rest:?}"));
    }
    let partial = in_diff.is_some() || only.is_some();
    crate::install::ensure("mutants", "cargo-mutants")?;
    let mut rows = Vec::new();
    for area in AREAS.iter().filter(|a| only.is_none_or(|o| o == a.package)) {
        let out = root.join("target/mutants").join(area.package);
        std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
        let mut command = Command::new("cargo");
        command
            .current_dir(root)
            .args(["mutants", "--package", area.package, "--no-shuffle"])
            .args(["--cargo-test-arg=--tests", "--timeout-multiplier", "3"])
            .arg("--output")
            .arg(&out);
        for package in area.tested_by {
            command.args(["--test-package", package]);
        }
        if !area.features.is_empty() {
            command.args(["--features", area.features]);
        }
        for file in area.files {
            command.args(["--file", file]);
        }
        for (pattern, _why) in area.equivalent {
            command.args(["--exclude-re", pattern]);
        }
        if let Some(diff) = in_diff {
            command.args(["--in-diff", diff]);
        }
        println!("mutants: {}", area.name);
        // Exit 2 (missed mutants) and 3 (timeouts) are results the table records; anything
        // else (a failing baseline, bad arguments) means there is no result to record.
        let status = command
            .status()
            .map_err(|e| format!("cargo mutants: {e}"))?;
        if !matches!(status.code(), Some(0 | 2 | 3)) {
            return Err(format!(
                "cargo mutants failed for {} ({status})",
                area.package
            ));
        }
        rows.push((area.name, counts(&out.join("mutants.out/outcomes.json"))?));
    }
    if partial {
        for (area, c) in &rows {
            println!("{area}: {c:?}");
        }
        return Ok(());
    }
    let how = format!(
        "Measured {} on {} cores by `cargo xtask mutants`",
        crate::page::today(),
        crate::page::cores()
    );
    crate::page::replace_block(root, "docs/reliability.md", "mutants", &table(&how, &rows))?;
    println!("mutants: table written to docs/reliability.md");
    Ok(())
}

/// `--table`: the table from each area's last run (`cargo xtask mutants --package P`), for when
/// the areas were run one at a time.
fn table_from_last_runs(root: &Path) -> Result<(), String> {
    let mut rows = Vec::new();
    for area in AREAS {
        let outcomes = root
            .join("target/mutants")
            .join(area.package)
            .join("mutants.out/outcomes.json");
        rows.push((area.name, counts(&outcomes)?));
    }
    let how = format!(
        "Measured {} on {} cores, one `cargo xtask mutants --package P` per area, tabled by \
         `cargo xtask mutants --table`",
        crate::page::today(),
        crate::page::cores()
    );
    crate::page::replace_block(root, "docs/reliability.md", "mutants", &table(&how, &rows))?;
    println!("mutants: table written to docs/reliability.md");
    Ok(())
}

/// caught, missed, unviable, timeout.
#[derive(Debug, Default)]
struct Counts {
    caught: u64,
    missed: u64,
    unviable: u64,
    timeout: u64,
}

fn counts(outcomes: &Path) -> Result<Counts, String> {
    let text = std::fs::read_to_string(outcomes)
        .map_err(|e| format!("{}: {e} (did cargo mutants run?)", outcomes.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", outcomes.display()))?;
    let n = |key: &str| {
        json.get(key)
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0)
    };
    Ok(Counts {
        caught: n("caught"),
        missed: n("missed"),
        unviable: n("unviable"),
        timeout: n("timeout"),
    })
}

fn table(how: &str, rows: &[(&str, Counts)]) -> String {
    let mut out = format!(
        "{how} (cargo-mutants; each mutant tested by its package's unit and integration tests, doctests excluded).\n\n\
         A timeout is a mutant the tests stopped (an endless loop), so it counts as detected. \
         Mutants that cannot change behaviour are left out by name, each with its reason (listed \
         below the table).\n\n\
         | area | mutants | caught | missed | unviable | timeouts | detected of viable |\n|---|---|---|---|---|---|---|\n"
    );
    for (area, c) in rows {
        let viable = c.caught + c.missed + c.timeout;
        let total = viable + c.unviable;
        let share = if viable == 0 {
            "—".to_owned()
        } else {
            format!(
                "{:.0} %",
                100.0 * (c.caught + c.timeout) as f64 / viable as f64
            )
        };
        out.push_str(&format!(
            "| {area} | {total} | {} | {} | {} | {} | {share} |\n",
            c.caught, c.missed, c.unviable, c.timeout
        ));
    }
    out.push_str(
        "\nLeft out as equivalent (cargo-mutants `--exclude-re`, from `xtask/src/mutants.rs`):\n",
    );
    for area in AREAS
        .iter()
        .filter(|a| rows.iter().any(|(name, _)| *name == a.name))
    {
        for (pattern, why) in area.equivalent {
            out.push_str(&format!("- {} `{pattern}`: {why}.\n", area.package));
        }
    }
    out.push('\n');
    out
}
