//! `cargo xtask bench`: every performance figure of `docs/performance.md`, measured in one go on
//! this machine, and written into that page between its `bench:start` / `bench:end` markers.
//!
//! Needs cargo, and python3 with pip (the official Python SDK is installed into
//! `target/bench-venv`). Everything runs on 127.0.0.1.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

const DEMO_TOKEN: &str = "5cbfb079f15b150122261c8537086d77a";

pub fn run(root: &Path) -> Result<(), String> {
    let mut page = Page::default();
    step("building release binaries");
    cargo(
        root,
        &[
            "build",
            "--release",
            "--quiet",
            "-p",
            "pockyt-cli",
            "-p",
            "pockyt-bench",
            "--bin",
            "pockyt",
            "--bin",
            "loopback",
        ],
    )?;
    step("criterion benchmarks (sign, client)");
    let quick = ["--", "--warm-up-time", "1", "--measurement-time", "3"];
    cargo(
        root,
        &[
            &["bench", "--quiet", "-p", "pockyt-sign", "--bench", "sign"][..],
            &quick,
        ]
        .concat(),
    )?;
    cargo(
        root,
        &[
            &["bench", "--quiet", "-p", "pockyt", "--bench", "client"][..],
            &quick,
        ]
        .concat(),
    )?;
    let criterion = Criterion(root.join("target/criterion"));
    step("official Python SDK in target/bench-venv");
    let python = crate::python::sdk_venv(root)?;
    let script = root.join("bench/python_sdk.py");
    let py_sign =
        json_of(
            Command::new(&python)
                .arg(&script)
                .args(["sign", "--iterations", "20000"]),
        )?;

    step("simulator in its own process");
    let pockyt = root.join("target/release/pockyt");
    let loopback = root.join("target/release/loopback");
    let (mut simulator, base) = start_simulator(&pockyt)?;
    let result = measure(
        &mut page, &criterion, &py_sign, &python, &script, &pockyt, &loopback, &base,
    );
    let _ = simulator.kill();
    let _ = simulator.wait();
    result?;
    crate::page::replace_block(root, "docs/performance.md", "bench", &page.0)?;
    println!("bench: wrote docs/performance.md");
    step("the cost of depending on us: three programs built cold");
    crate::build_cost::run(root)
}

/// The run with the median throughput.
fn median_run(mut runs: Vec<Value>) -> Value {
    runs.sort_by(|a, b| {
        let rps = |v: &Value| v["requests_per_second"].as_f64().unwrap_or(0.0);
        rps(a).total_cmp(&rps(b))
    });
    let middle = runs.len() / 2;
    runs.into_iter().nth(middle).unwrap_or(Value::Null)
}

fn step(what: &str) {
    eprintln!("bench: {what}");
}

#[allow(clippy::too_many_arguments)]
fn measure(
    page: &mut Page,
    criterion: &Criterion,
    py_sign: &Value,
    python: &Path,
    script: &Path,
    pockyt: &Path,
    loopback: &Path,
    base: &str,
) -> Result<(), String> {
    let load = |mode: &str, concurrency: usize, requests: usize| {
        json_of(
            Command::new(loopback)
                .args(["--base-url", base, "--mode", mode])
                .args([
                    "--concurrency",
                    &concurrency.to_string(),
                    "--requests",
                    &requests.to_string(),
                ]),
        )
    };
    step("loopback: sequential (interleaved, median of 5 runs each)");
    // Client and simulator share 2 cores, so single runs swing by 20%: interleave and take medians.
    let (mut bares, mut clients) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        bares.push(load("bare", 1, 10_000)?);
        clients.push(load("client", 1, 10_000)?);
    }
    let bare_seq = median_run(bares);
    let client_seq = median_run(clients);
    let transaction_no = create_payment(pockyt, base)?;
    let py_rt = json_of(Command::new(python).arg(script).args([
        "roundtrip",
        "--base-url",
        base,
        "--requests",
        "2000",
        "--merchant-no",
        "200043",
        "--store-no",
        "300014",
        "--token",
        DEMO_TOKEN,
        "--transaction-no",
        &transaction_no,
    ]))?;
    step("loopback: 64 in flight, and 1 to 256 connections");
    let bare_64 = load("bare", 64, 50_000)?;
    let client_64 = load("client", 64, 50_000)?;
    let mut scaling = Vec::new();
    for c in [1usize, 4, 16, 64, 256] {
        scaling.push((c, load("bare", c, 25_600)?));
    }
    step("memory");
    let demo = demo_summary(pockyt)?;

    let (date, cores) = (crate::page::today(), crate::page::cores());
    page.line(&format!("Measured {date} on {cores} cores by `cargo xtask bench`. Simulator: `pockyt mock` (release, multi-thread runtime) in its own process; load: `target/release/loopback` (Tokio current-thread runtime) in another."));
    page.line("");
    signing_table(page, criterion, py_sign);
    client_table(page, criterion);
    roundtrip_table(page, &bare_seq, &client_seq, &py_rt, &bare_64, &client_64);
    growth_tables(page, criterion, &scaling);
    page.line("### Peak memory");
    page.line("");
    page.line("| run | peak RSS (VmHWM) |");
    page.line("|---|---|");
    page.line(&format!(
        "| `pockyt demo` (simulator + receiver + client in one process) | {} KiB |",
        num(&demo["max_rss_kib"])
    ));
    page.line(&format!(
        "| 10,000 sequential `Client` round trips (`loopback --mode client`) | {} KiB |",
        num(&client_seq["max_rss_kib"])
    ));
    page.line(&format!(
        "| 50,000 `Client` round trips, 64 in flight | {} KiB |",
        num(&client_64["max_rss_kib"])
    ));
    page.line("");
    Ok(())
}

fn signing_table(page: &mut Page, criterion: &Criterion, py_sign: &Value) {
    let ours = criterion.median_ns("sign/secure_pay");
    let raw = criterion.median_ns("sign/raw_md5");
    let py = py_sign["us_per_sign_median"].as_f64().unwrap_or(f64::NAN) * 1000.0;
    page.line("### Signing the V1 secure-pay parameters");
    page.line("");
    page.line("| measure | time per signature | ratio | target |");
    page.line("|---|---|---|---|");
    page.line(&format!("| `sign/secure_pay` (ours) | {} | | |", us(ours)));
    page.line(&format!("| `sign/raw_md5` (md5 of the same bytes, contiguous) | {} | ours / raw = **{:.2}×** | ≤ 1.2× |", us(raw), ours / raw));
    page.line(&format!(
        "| official Python SDK (`{}`) | {} | Python / ours = **{:.1}×** | information (the 25× target is retired) |",
        py_sign["sdk"].as_str().unwrap_or("yuansfer"),
        us(py),
        py / ours
    ));
    page.line("");
}

fn client_table(page: &mut Page, criterion: &Criterion) {
    page.line("### The client's own work (no sockets)");
    page.line("");
    page.line("| benchmark | what | median | target |");
    page.line("|---|---|---|---|");
    for (name, what, target) in [
        (
            "encode/secure_pay",
            "validate + identity + sign + JSON body, request to bytes",
            "",
        ),
        (
            "decode/tran_query",
            "envelope + typed result from a body",
            "",
        ),
        (
            "send/mock_transport",
            "a whole `Client::send` through an in-memory transport",
            "≤ 10 µs",
        ),
        (
            "ipn/verify_form",
            "parse + verify a typical IPN form body",
            "",
        ),
    ] {
        page.line(&format!(
            "| `{name}` | {what} | {} | {target} |",
            us(criterion.median_ns(name))
        ));
    }
    page.line("");
}

fn roundtrip_table(
    page: &mut Page,
    bare: &Value,
    client: &Value,
    py: &Value,
    bare_64: &Value,
    client_64: &Value,
) {
    let rps = |v: &Value| v["requests_per_second"].as_f64().unwrap_or(f64::NAN);
    page.line("### Loopback round trips against the simulator");
    page.line("");
    page.line(
        "Sequential rows (a) and (b): the median of five interleaved runs of 10,000 requests each.",
    );
    page.line("");
    page.line("| client | in flight | requests | errors | requests/s | p50 | p99 |");
    page.line("|---|---|---|---|---|---|---|");
    for (label, v) in [
        ("(a) bare hyper-util, pre-signed bytes", bare),
        ("(b) `pockyt::Client`, full work", client),
    ] {
        page.line(&format!(
            "| {label} | 1 | {} | {} | {:.0} | {} | {} |",
            num(&v["requests"]),
            num(&v["errors"]),
            rps(v),
            us_v(&v["p50_us"]),
            us_v(&v["p99_us"])
        ));
    }
    page.line(&format!(
        "| (c) official Python SDK | 1 | {} | {} | {:.0} | {:.0} µs | {:.0} µs |",
        num(&py["requests"]),
        num(&py["errors"]),
        rps(py),
        py["p50_ms"].as_f64().unwrap_or(f64::NAN) * 1000.0,
        py["p99_ms"].as_f64().unwrap_or(f64::NAN) * 1000.0
    ));
    for (label, v) in [
        ("(a) bare hyper-util", bare_64),
        ("(b) `pockyt::Client`", client_64),
    ] {
        page.line(&format!(
            "| {label} | 64 | {} | {} | {:.0} | {} | {} |",
            num(&v["requests"]),
            num(&v["errors"]),
            rps(v),
            us_v(&v["p50_us"]),
            us_v(&v["p99_us"])
        ));
    }
    page.line("");
    page.line("| ratio | value | target |");
    page.line("|---|---|---|");
    page.line(&format!(
        "| b / a, sequential | **{:.2}** | ≥ 0.9 |",
        rps(client) / rps(bare)
    ));
    page.line(&format!(
        "| b / c, sequential | **{:.1}×** | information (the 10× target is retired) |",
        rps(client) / rps(py)
    ));
    page.line(&format!("| simulator, signed requests/s with 64 in flight (b), errors | **{:.0}**, {} | ≥ 15,000, 0 |", rps(client_64), num(&client_64["errors"])));
    page.line("");
}

fn growth_tables(page: &mut Page, criterion: &Criterion, scaling: &[(usize, Value)]) {
    page.line("### Growth");
    page.line("");
    page.line("Signing, by number of parameters (20-byte values): `sign_params/N`.");
    page.line("");
    page.line("| parameters | 2 | 4 | 8 | 16 | 32 | 64 |");
    page.line("|---|---|---|---|---|---|---|");
    let cells: Vec<String> = [2, 4, 8, 16, 32, 64]
        .iter()
        .map(|n| us(criterion.median_ns(&format!("sign_params/{n}"))))
        .collect();
    page.line(&format!("| time | {} |", cells.join(" | ")));
    page.line("");
    page.line("Encoding a customer update as optional fields fill in (pairs signed, identity and signature included): `encode_params/N`.");
    page.line("");
    page.line("| pairs | 5 | 9 | 13 | 21 |");
    page.line("|---|---|---|---|---|");
    let cells: Vec<String> = [5, 9, 13, 21]
        .iter()
        .map(|n| us(criterion.median_ns(&format!("encode_params/{n}"))))
        .collect();
    page.line(&format!("| time | {} |", cells.join(" | ")));
    page.line("");
    page.line("Simulator throughput by concurrent connections (bare client, pre-signed bytes):");
    page.line("");
    page.line("| connections | requests/s | p50 | p99 | errors |");
    page.line("|---|---|---|---|---|");
    for (c, v) in scaling {
        page.line(&format!(
            "| {c} | {:.0} | {} | {} | {} |",
            v["requests_per_second"].as_f64().unwrap_or(f64::NAN),
            us_v(&v["p50_us"]),
            us_v(&v["p99_us"]),
            num(&v["errors"])
        ));
    }
    page.line("");
}

#[derive(Default)]
struct Page(String);

impl Page {
    fn line(&mut self, text: &str) {
        self.0.push_str(text);
        self.0.push('\n');
    }
}

struct Criterion(PathBuf);

impl Criterion {
    /// The median of a criterion benchmark, in nanoseconds (NaN if it did not run).
    fn median_ns(&self, id: &str) -> f64 {
        let path = self.0.join(id).join("new/estimates.json");
        std::fs::read_to_string(path)
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
            .and_then(|v| v["median"]["point_estimate"].as_f64())
            .unwrap_or(f64::NAN)
    }
}

fn us(ns: f64) -> String {
    if ns.is_nan() {
        "n/a".into()
    } else if ns < 10_000.0 {
        format!("{:.2} µs", ns / 1000.0)
    } else {
        format!("{:.0} µs", ns / 1000.0)
    }
}

fn us_v(v: &Value) -> String {
    v.as_f64().map_or("n/a".into(), |x| format!("{x:.0} µs"))
}

fn num(v: &Value) -> String {
    match v {
        Value::Null => "n/a".into(),
        other => other.to_string(),
    }
}

fn cargo(root: &Path, args: &[&str]) -> Result<(), String> {
    crate::process::run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(root)
            .args(args),
        &format!("cargo {}", args.join(" ")),
    )
}

fn json_of(command: &mut Command) -> Result<Value, String> {
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("{command:?}: {e}"))?;
    if !output.status.success() {
        return Err(format!("{command:?} failed ({})", output.status));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let last = text
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('{'))
        .unwrap_or_default();
    serde_json::from_str(last).map_err(|e| format!("{command:?}: not JSON ({e}): {text}"))
}

fn start_simulator(pockyt: &Path) -> Result<(Child, String), String> {
    let mut child = Command::new(pockyt)
        .args(["mock", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start the simulator: {e}"))?;
    let mut first = String::new();
    if let Some(stdout) = child.stdout.take() {
        let _ = BufReader::new(stdout).read_line(&mut first);
    }
    let base = first
        .trim()
        .rsplit(' ')
        .next()
        .unwrap_or_default()
        .to_owned();
    if !base.starts_with("http://") {
        let _ = child.kill();
        return Err(format!("the simulator did not print its address: {first}"));
    }
    Ok((child, base))
}

/// A payment for the Python SDK to query, so it gets a full success answer like our client.
fn create_payment(pockyt: &Path, base: &str) -> Result<String, String> {
    let output = Command::new(pockyt)
        .args([
            "call",
            "--base-url",
            base,
            "/online/v3/secure-pay",
            "amount=12.50",
            "currency=USD",
        ])
        .args([
            "settleCurrency=USD",
            "vendor=alipay",
            "terminal=ONLINE",
            "ipnUrl=https://m.example.com/ipn",
        ])
        .args(["callbackUrl=https://m.example.com/back"])
        .arg(format!("reference=bench-python-{}", std::process::id()))
        .env("POCKYT_MERCHANT_NO", "200043")
        .env("POCKYT_STORE_NO", "300014")
        .env("POCKYT_TOKEN", DEMO_TOKEN)
        .output()
        .map_err(|e| format!("pockyt call: {e}"))?;
    // `pockyt call` pretty-prints the whole answer.
    let answer: Value =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("secure-pay answer: {e}"))?;
    answer["result"]["transactionNo"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("no transactionNo in {answer}"))
}

fn demo_summary(pockyt: &Path) -> Result<Value, String> {
    let summary = json_of(Command::new(pockyt).args(["demo", "--json"]))?;
    Ok(summary["summary"].clone())
}
