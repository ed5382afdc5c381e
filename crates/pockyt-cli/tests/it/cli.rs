//! The `pockyt` binary driven as a process, as scripts use it.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_pockyt");
const DEMO_TOKEN: &str = "5cbfb079f15b150122261c8537086d77a";

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("POCKYT_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    if let Some(mut input) = child.stdin.take() {
        // A command that exits early (a usage error) closes stdin first: a broken pipe is fine.
        let _ = input.write_all(stdin);
    }
    child.wait_with_output().expect("the binary ends")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Exit code, and stderr is one line that names the problem (no panic, no backtrace).
fn assert_one_line_error(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stderr: {}",
        text(&output.stderr)
    );
    let stderr = text(&output.stderr);
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn demo_walks_the_whole_checkout() {
    let output = run(&["demo"], b"");
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}\n{}",
        text(&output.stderr)
    );
    for step in [
        "simulator",
        "IPN receiver",
        "secure-pay",
        "cashier",
        "verified IPN",
        "tran-query",
        "partial refund",
        "over-refund refused",
    ] {
        assert!(
            stdout.lines().any(|l| l.contains("ok") && l.contains(step)),
            "step {step} missing:\n{stdout}"
        );
    }
    assert!(stdout.contains("summary: 8/8 checks passed"), "{stdout}");
    assert!(stdout.contains("cashierUrl http://127.0.0.1:"), "{stdout}");
}

#[test]
fn demo_json_lines_for_scripts() {
    let output = run(&["demo", "--json"], b"");
    assert_eq!(output.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = text(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect();
    assert_eq!(lines.len(), 9);
    assert!(lines[..8].iter().all(|l| l["ok"] == true));
    assert_eq!(lines[8]["summary"]["passed"], 8);
}

#[derive(serde::Deserialize)]
struct Vector {
    token: String,
    params: serde_json::Map<String, serde_json::Value>,
    #[serde(rename = "verifySign")]
    verify_sign: String,
}

#[test]
fn sign_matches_the_fixtures() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../pockyt-sign/tests/fixtures");
    for (file, take) in [("published-vectors.json", 6), ("sign-vectors.json", 25)] {
        let vectors: Vec<Vector> =
            serde_json::from_str(&std::fs::read_to_string(format!("{dir}/{file}")).unwrap())
                .unwrap();
        for v in vectors.iter().take(take) {
            let input = serde_json::to_vec(&v.params).unwrap();
            let output = run(&["sign", "--token", &v.token], &input);
            assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
            assert_eq!(text(&output.stdout).trim(), v.verify_sign);
        }
    }
}

#[test]
fn sign_rejects_bad_input_with_exit_2() {
    for (input, args) in [
        (&b"{\"a\":1}"[..], &["sign", "--token", "t"][..]),
        (b"not json", &["sign", "--token", "t"]),
        (b"[\"a\"]", &["sign", "--token", "t"]),
        (b"{\"a\":\"1\",\"a\":\"2\"}", &["sign", "--token", "t"]),
        (b"{\"a\":\"1\"}", &["sign", "--token", ""]),
        (b"\xff\xfe", &["sign", "--token", "t"]),
    ] {
        let output = run(args, input);
        assert_one_line_error(&output, 2);
    }
    // A missing token or an unknown flag is a usage error: exit 2, one line too.
    assert_one_line_error(&run(&["sign"], b"{}"), 2);
    assert_one_line_error(&run(&["demo", "--bogus"], b""), 2);
    assert_eq!(run(&["--help"], b"").status.code(), Some(0));
}

const IPN: &str = "transactionNo=305680500880311999&status=success&amount=12.50&currency=USD&settleCurrency=USD&reference=order-20240101-0001&time=20240101123045&note=gift+%26+wrap&verifySign=483259834717a8229294aece8041a8e3";

#[test]
fn verify_ipn_accepts_valid_and_rejects_tampered() {
    let valid = run(
        &["verify-ipn", "--token", "my-test-token-001"],
        IPN.as_bytes(),
    );
    assert_eq!(valid.status.code(), Some(0));
    assert_eq!(text(&valid.stdout).trim(), "valid");
    let with_newline = run(
        &["verify-ipn", "--token", "my-test-token-001"],
        format!("{IPN}\n").as_bytes(),
    );
    assert_eq!(with_newline.status.code(), Some(0));
    for ending in ["\r\n", "\r\n\r\n", "\n\n"] {
        let output = run(
            &["verify-ipn", "--token", "my-test-token-001"],
            format!("{IPN}{ending}").as_bytes(),
        );
        assert_eq!(output.status.code(), Some(0), "{ending:?}");
    }

    let tampered = IPN.replace("amount=12.50", "amount=1250.00");
    let output = run(
        &["verify-ipn", "--token", "my-test-token-001"],
        tampered.as_bytes(),
    );
    assert_one_line_error(&output, 1);
    assert!(text(&output.stderr).contains("does not match"));

    let unsigned = run(
        &["verify-ipn", "--token", "my-test-token-001"],
        b"status=success",
    );
    assert_one_line_error(&unsigned, 1);
    let wrong_token = run(&["verify-ipn", "--token", "other"], IPN.as_bytes());
    assert_one_line_error(&wrong_token, 1);
}

#[test]
fn verify_ipn_refuses_what_is_not_a_form_with_exit_2() {
    for input in [&b"a=%zz"[..], b"", b"=x", b"a=\xff"] {
        let output = run(&["verify-ipn", "--token", "t"], input);
        assert_one_line_error(&output, 2);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn call_reflects_ret_code() {
    let gateway = pockyt_mock::MockGateway::builder().start().await.unwrap();
    let base = gateway.base_url();
    let call = move |args: Vec<String>| {
        Command::new(BIN)
            .args(args)
            .env("POCKYT_MERCHANT_NO", "200043")
            .env("POCKYT_STORE_NO", "300014")
            .env("POCKYT_TOKEN", DEMO_TOKEN)
            .output()
            .unwrap()
    };
    let args = |extra: &[&str]| {
        let mut all = vec!["call".to_owned(), "--base-url".to_owned(), base.clone()];
        all.extend(extra.iter().map(|s| s.to_string()));
        all
    };
    let missing = tokio::task::spawn_blocking({
        let a = args(&["/app-data-search/v3/tran-query", "reference=nothing"]);
        move || call(a)
    })
    .await
    .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&missing.stdout).unwrap();
    assert_eq!(json["ret_code"], "000021");

    let pay = args(&[
        "/online/v3/secure-pay",
        "amount=1.00",
        "currency=USD",
        "settleCurrency=USD",
        "vendor=alipay",
        "reference=cli-1",
        "terminal=ONLINE",
        "ipnUrl=https://m.example.com/ipn",
        "callbackUrl=https://m.example.com/back",
    ]);
    let paid = tokio::task::spawn_blocking(move || call(pay))
        .await
        .unwrap();
    assert_eq!(paid.status.code(), Some(0), "{}", text(&paid.stderr));
    let json: serde_json::Value = serde_json::from_slice(&paid.stdout).unwrap();
    assert!(json["result"]["cashierUrl"].is_string());

    let bad = tokio::task::spawn_blocking({
        let a = args(&["/online/v3/secure-pay", "no-equals-sign"]);
        move || call(a)
    })
    .await
    .unwrap();
    assert_eq!(bad.status.code(), Some(2));

    // A path without its leading `/` is a bad argument, not a base-URL problem.
    let no_slash = tokio::task::spawn_blocking({
        let a = args(&["app-data-search/v3/tran-query", "reference=x"]);
        move || call(a)
    })
    .await
    .unwrap();
    assert_eq!(no_slash.status.code(), Some(2));
    let stderr = text(&no_slash.stderr);
    assert!(stderr.contains("is not an endpoint path"), "{stderr}");
    assert!(!stderr.contains("base URL"), "{stderr}");
}

/// Starts `pockyt mock` on a free port with `extra` flags; returns it and its base URL.
fn spawn_mock(extra: &[&str]) -> (std::process::Child, String) {
    let mut child = Command::new(BIN)
        .args(["mock", "--addr", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    if let Some(stdout) = child.stdout.take() {
        BufReader::new(stdout).read_line(&mut first).unwrap();
    }
    let base = first
        .trim()
        .rsplit(' ')
        .next()
        .unwrap_or_default()
        .to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{first}");
    (child, base)
}

/// `pockyt call` against `base` as the demo merchant; the JSON it printed.
fn call_demo(base: &str, path: &str, params: &[&str]) -> serde_json::Value {
    let output = Command::new(BIN)
        .args(["call", "--base-url", base, path])
        .args(params)
        .env("POCKYT_MERCHANT_NO", "200043")
        .env("POCKYT_STORE_NO", "300014")
        .env("POCKYT_TOKEN", DEMO_TOKEN)
        .output()
        .unwrap();
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn mock_serves_until_killed() {
    let (mut child, base) = spawn_mock(&[]);
    let json = call_demo(&base, "/app-data-search/v3/tran-query", &["reference=none"]);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        json["ret_code"], "000021",
        "the standalone simulator authenticated and answered"
    );
}

#[test]
fn mock_closes_an_unpaid_payment_after_its_shortened_timeout() {
    let (mut child, base) = spawn_mock(&["--payment-minute", "1"]);
    let created = call_demo(
        &base,
        "/online/v3/secure-pay",
        &[
            "amount=1.00",
            "currency=USD",
            "settleCurrency=USD",
            "vendor=alipay",
            "reference=soon-closed",
            "terminal=ONLINE",
            "ipnUrl=http://127.0.0.1:9/ipn",
            "callbackUrl=https://merchant.example.com/return",
            "timeout=2",
        ],
    );
    assert_eq!(created["ret_code"], "000100", "{created}");
    // Two milliseconds of timeout; each query is a new process, so this polls without sleeping.
    let status = (0..200)
        .map(|_| {
            call_demo(
                &base,
                "/app-data-search/v3/tran-query",
                &["reference=soon-closed"],
            )
        })
        .map(|json| {
            json["result"]["status"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .find(|status| status == "closed");
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status.as_deref(), Some("closed"));
}

#[test]
fn mock_refuses_a_zero_payment_minute() {
    let output = Command::new(BIN)
        .args(["mock", "--addr", "127.0.0.1:0", "--payment-minute", "0"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("payment-minute"));
}

/// A plain `GET` on loopback; the body.
fn http_get(url: &str) -> String {
    use std::io::Read;
    let rest = url.strip_prefix("http://").expect("an http URL");
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_owned()), |(h, p)| (h, format!("/{p}")));
    let mut stream = std::net::TcpStream::connect(host).expect("the simulator listens");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").expect("an HTTP answer");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    if !head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return body.to_owned();
    }
    // Chunks: a hex size line, the data, CRLF; a zero size ends them.
    let (mut rest, mut out) = (body, String::new());
    while let Some((size, after)) = rest.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).expect("a chunk size");
        if size == 0 {
            break;
        }
        out.push_str(&after[..size]);
        rest = &after[size + 2..];
    }
    out
}

#[test]
fn demo_keep_leaves_a_dashboard_that_shows_the_checkout() {
    let mut child = Command::new(BIN)
        .args(["demo", "--keep"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("piped");
    let mut dashboard = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("the simulator keeps running: dashboard at ") {
            dashboard = rest.split(' ').next().map(str::to_owned);
            break;
        }
    }
    let dashboard = dashboard.expect("--keep names the dashboard");
    let payments = http_get(&format!("{dashboard}_mock/payments"));
    let page = http_get(&dashboard);
    let payments: serde_json::Value = serde_json::from_str(&payments).unwrap();
    let paid_and_refunded = payments
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["status"] == "success" && !p["refunds"].as_array().unwrap().is_empty())
        .map(|p| p["transactionNo"].as_str().unwrap().to_owned());
    // Kept, the simulator acts as under `pockyt mock`: the paid payment offers a refund.
    let payment_page = paid_and_refunded
        .as_ref()
        .map(|number| http_get(&format!("{dashboard}payments/{number}")));
    let _ = child.kill();
    let _ = child.wait();
    assert!(paid_and_refunded.is_some(), "{payments}");
    assert!(page.contains("Payments, newest first"), "{page}");
    let payment_page = payment_page.unwrap_or_default();
    assert!(payment_page.contains("id=\"refund\""), "{payment_page}");
}

/// Issue 24, item 4: a proxy password in `HTTPS_PROXY` (scheme-less, or holding `/`, `#`, `?`)
/// reached stderr of `pockyt call` and `pockyt ipn send`. Each shape now either works or is
/// refused with a one-line error that shows none of it.
#[test]
fn proxy_password_never_reaches_stderr() {
    let shapes = [
        "alice:s3cret@proxy.invalid:3128",
        "http://alice:s3/cret@proxy.invalid:3128",
        "http://alice:s3#cret@proxy.invalid:3128",
        "http://alice:s3?cret@proxy.invalid:3128",
        "alice:s3/cret@proxy.invalid:3128",
        "http://alice:s3cret@proxy.invalid:3128/path",
        "http://alice:s3cret@proxy invalid:3128",
    ];
    for shape in shapes {
        for variable in ["HTTPS_PROXY", "https_proxy", "ALL_PROXY"] {
            let call = Command::new(BIN)
                .args(["call", "--base-url", "https://gateway.invalid"])
                .args(["/app-data-search/v3/tran-query", "reference=x"])
                .env("POCKYT_MERCHANT_NO", "200043")
                .env("POCKYT_STORE_NO", "300014")
                .env("POCKYT_TOKEN", DEMO_TOKEN)
                .env_remove("HTTPS_PROXY")
                .env_remove("https_proxy")
                .env_remove("ALL_PROXY")
                .env_remove("all_proxy")
                .env(variable, shape)
                .output()
                .unwrap();
            let send = Command::new(BIN)
                .args([
                    "ipn",
                    "send",
                    "--to",
                    "http://127.0.0.1:9/ipn",
                    "--token",
                    "t",
                ])
                .env_remove("HTTPS_PROXY")
                .env_remove("https_proxy")
                .env_remove("ALL_PROXY")
                .env_remove("all_proxy")
                .env(variable, shape)
                .output()
                .unwrap();
            for output in [call, send] {
                let stderr = text(&output.stderr);
                let stdout = text(&output.stdout);
                assert_ne!(
                    output.status.code(),
                    Some(0),
                    "{variable}={shape}: {stderr}"
                );
                assert!(
                    !stderr.contains("s3") && !stdout.contains("s3") && !stderr.contains("alice"),
                    "{variable}={shape} leaked: {stderr}{stdout}"
                );
                assert!(!stderr.contains("panicked"), "{stderr}");
                assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
            }
        }
    }
}

/// Issue 24, items 5 and 6: `verify-ipn` applies the library's checks, not the signature alone:
/// a re-split of a genuine signed body and a genuine body padded with empty pairs are invalid
/// (exit 1), with the reason.
#[test]
fn verify_ipn_refuses_a_resplit_and_a_padded_notification() {
    let key = pockyt::SigningKey::from_token("my-test-token-001");
    let genuine = [
        ("note", "x&reference=VICTIM-ORDER&status=success"),
        ("reference", "attacker-order"),
        ("status", "failed"),
        ("transactionNo", "305680500880311999"),
    ];
    let signature = pockyt::sign::sign(genuine, &key).unwrap().to_string();
    let resplit = pockyt::form::encode([
        ("note", "x"),
        ("reference", "VICTIM-ORDER"),
        ("status", "success&reference=attacker-order&status=failed"),
        ("transactionNo", "305680500880311999"),
        ("verifySign", signature.as_str()),
    ]);
    let output = run(
        &["verify-ipn", "--token", "my-test-token-001"],
        resplit.as_bytes(),
    );
    assert_one_line_error(&output, 1);
    assert!(
        text(&output.stderr).contains("&reference="),
        "{}",
        text(&output.stderr)
    );

    let empties: String = (0..6000).map(|i| format!("&p{i}=")).collect();
    let padded = format!("{IPN}&isRefund={empties}");
    let output = run(
        &["verify-ipn", "--token", "my-test-token-001"],
        padded.as_bytes(),
    );
    assert_one_line_error(&output, 1);
    assert!(
        text(&output.stderr).contains("at most 32"),
        "{}",
        text(&output.stderr)
    );
}

/// Issue 24, item 10: `pockyt call` against a 429 or 503 whose `Retry-After` is past the
/// deadline said only "answered HTTP 429 Too Many Requests without a ret_code"; it now says when
/// to retry, as pockyt's errors-and-retries guide
/// (`crates/pockyt/guide/errors-and-retries.md`) promises.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn call_says_when_to_retry_after_a_429_or_503() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    for (status, after, expected) in [
        ("429 Too Many Requests", "120", "retry after 120 s"),
        ("503 Service Unavailable", "3600", "retry after 3600 s"),
    ] {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let answer = format!(
            "HTTP/1.1 {status}\r\nRetry-After: {after}\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbusy"
        );
        let server = tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let _ = socket.write_all(answer.as_bytes()).await;
            }
        });
        let output = tokio::task::spawn_blocking(move || {
            Command::new(BIN)
                .args([
                    "call",
                    "--base-url",
                    &base,
                    "/app-data-search/v3/tran-query",
                ])
                .arg("reference=x")
                .env("POCKYT_MERCHANT_NO", "200043")
                .env("POCKYT_STORE_NO", "300014")
                .env("POCKYT_TOKEN", DEMO_TOKEN)
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        server.abort();
        assert_one_line_error(&output, 1);
        let stderr = text(&output.stderr);
        assert!(
            stderr.contains(&status[..3]) && stderr.contains(expected),
            "{stderr}"
        );
    }
}

/// Issue 24, item 10: `pockyt ipn send` to a receiver that is not listening said "could not
/// connect to the gateway"; the receiver is the merchant's handler, not the gateway.
#[test]
fn ipn_send_to_a_closed_port_does_not_blame_the_gateway() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/ipn", closed.local_addr().unwrap());
    drop(closed);
    let output = Command::new(BIN)
        .args(["ipn", "send", "--to", &url, "--token", "t"])
        .output()
        .unwrap();
    assert_one_line_error(&output, 1);
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("could not connect to the server"),
        "{stderr}"
    );
    assert!(!stderr.contains("gateway"), "{stderr}");
}

/// `pockyt mock`'s banner, up to its last line (`Ctrl-C stops it.`).
fn read_banner(child: &mut std::process::Child) -> Vec<String> {
    let mut banner = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.unwrap();
            let last = line.starts_with("Ctrl-C");
            banner.push(line);
            if last {
                break;
            }
        }
    }
    banner
}

/// Issue 27, item 6: a fault can fire once, the first N times or one time in N, and the banner says
/// which faults are on (after the lines scripts read, which stay as they were).
#[test]
fn mock_banner_lists_the_active_faults() {
    let mut child = Command::new(BIN)
        .args(["mock", "--addr", "127.0.0.1:0"])
        .args(["--fault", "/app-data-search/v3/refund=lose@once"])
        .args(["--fault", "*=status:503@1/10"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let banner = read_banner(&mut child);
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        banner[0].starts_with("pockyt mock: listening at http://127.0.0.1:"),
        "{banner:?}"
    );
    assert!(
        banner[1].contains("merchantNo 200043  storeNo 300014"),
        "{banner:?}"
    );
    for expected in [
        "fault      /app-data-search/v3/refund: lose (the next request only)",
        "fault      *: status:503 (one request in 10)",
    ] {
        assert!(
            banner.iter().any(|l| l.trim() == expected),
            "missing `{expected}` in {banner:?}"
        );
    }
    // A count that is not one is refused, with exit 2.
    let bad = run(&["mock", "--fault", "*=drop@0"], b"");
    assert_one_line_error(&bad, 2);
}

/// Issue 27, item 4: `--start-time` is RFC 3339 in UTC or nothing: anything else is one line on
/// stderr and exit 2, before anything listens. The settlement flags are in `--help`.
#[test]
fn mock_refuses_a_start_time_that_is_not_rfc_3339_utc() {
    for bad in [
        "2026-12-06T23:59:00+08:00",
        "2026-12-06",
        "2026-02-30T00:00:00Z",
        "yesterday",
    ] {
        let output = run(&["mock", "--addr", "127.0.0.1:0", "--start-time", bad], b"");
        assert_one_line_error(&output, 2);
        let stderr = text(&output.stderr);
        assert!(
            stderr.contains("--start-time") && stderr.contains("2026-12-06T15:59:00Z"),
            "{stderr}"
        );
    }
    let too_dear = run(&["mock", "--fee-basis-points", "10001"], b"");
    assert_one_line_error(&too_dear, 2);
    let help = run(&["mock", "--help"], b"");
    assert_eq!(help.status.code(), Some(0));
    let help = text(&help.stdout);
    for flag in [
        "--start-time <RFC3339-UTC>",
        "--settle-after-days <N>",
        "--fee-basis-points <N>",
    ] {
        assert!(help.contains(flag), "{flag} in {help}");
    }
}

/// Issue 27, item 4: the simulator's clock starts where `--start-time` says and settles after
/// `--settle-after-days`; the banner says so after the lines scripts read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mock_starts_its_clock_and_settles_as_told() {
    // Noon on the gateway's clock (UTC+8): its day does not turn while the test runs.
    let mut child = Command::new(BIN)
        .args(["mock", "--addr", "127.0.0.1:0"])
        .args(["--start-time", "2026-12-06T04:00:00Z"])
        .args(["--settle-after-days", "2", "--fee-basis-points", "100"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let banner = read_banner(&mut child);
    let base_url = banner[0]
        .strip_prefix("pockyt mock: listening at ")
        .map(str::to_owned);
    assert!(
        banner[1].contains("merchantNo 200043  storeNo 300014"),
        "{banner:?}"
    );
    for expected in [
        "clock      started at 2026-12-06T04:00:00Z (the gateway's clock is UTC+8)",
        "settlement 2 day(s) after the payment's day (UTC+8)",
        "fee        100 basis points of each payment",
    ] {
        assert!(
            banner.iter().any(|l| l.trim() == expected),
            "missing `{expected}` in {banner:?}"
        );
    }
    let statuses = async {
        let config = pockyt::Config::new("200043", "300014", DEMO_TOKEN)?
            .with_base_url(base_url.clone().unwrap_or_default());
        let client = pockyt::Client::new(config)?;
        let mut statuses = Vec::new();
        for day in ["20261204", "20261205"] {
            let day = pockyt::types::GatewayDate::parse(day).unwrap();
            let request = pockyt::types::DataStatusRequest::new(day);
            statuses.push(client.data_status(&request).await?.status);
        }
        Ok::<_, pockyt::Error>(statuses)
    }
    .await;
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        statuses.unwrap(),
        [Some("settled".to_owned()), Some("unsettled".to_owned())],
        "{banner:?}"
    );
}
