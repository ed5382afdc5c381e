//! `pockyt conformance --live`, without the network: against a simulator it agrees with itself;
//! against a gateway that differs on purpose (a field renamed, a number for a string, another
//! code) it names each difference and exits 1; production is refused; `--dry-run` sends nothing;
//! the cassette it writes keeps no secret.

use std::convert::Infallible;
use std::process::{Command, Output};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use md5::Digest as _;
use pockyt::Transport;
use pockyt::transport::HyperTransport;
use pockyt_mock::{Merchant, MockGateway};

const BIN: &str = env!("CARGO_BIN_EXE_pockyt");
const TOKEN: &str = "conformance-test-token-0001";

fn conformance(args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("conformance")
        .args(args)
        .env("POCKYT_MERCHANT_NO", "200043")
        .env("POCKYT_STORE_NO", "300014")
        .env("POCKYT_TOKEN", TOKEN)
        .env_remove("POCKYT_ENV")
        .output()
        .expect("the binary runs")
}

async fn conformance_async(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        conformance(&args)
    })
    .await
    .expect("the command ends")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn simulator() -> MockGateway {
    MockGateway::builder()
        .merchant(Merchant::new("200043", "300014", TOKEN))
        .start()
        .await
        .expect("the simulator starts")
}

#[tokio::test]
async fn against_the_simulator_it_agrees_with_itself() {
    let gateway = simulator().await;
    let dir = std::env::temp_dir().join(format!("pockyt-conformance-{}", std::process::id()));
    let cassette = dir.join("live.json");
    let fixtures = dir.join("fixtures");
    std::fs::create_dir_all(&dir).unwrap();
    let output = conformance_async(vec![
        "--live".into(),
        "--base-url".into(),
        gateway.base_url(),
        "--cassette".into(),
        cassette.display().to_string(),
        "--save-fixtures".into(),
        fixtures.display().to_string(),
    ])
    .await;
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}\n{}",
        text(&output.stderr)
    );
    assert!(stdout.contains("agree on every call"), "{stdout}");
    // It said what it would do before doing it.
    let plan = stdout.find("1. secure-pay").unwrap_or(usize::MAX);
    let first_result = stdout.find(": agree").unwrap_or(0);
    assert!(plan < first_result, "{stdout}");
    // The cassette replays what happened and keeps no secret.
    let json = std::fs::read_to_string(&cassette).unwrap();
    assert!(!json.contains(TOKEN));
    let recorded = pockyt::testing::Cassette::from_json(&json).unwrap();
    assert_eq!(recorded.exchanges.len(), 7);
    assert!(
        recorded
            .exchanges
            .iter()
            .all(|e| e.request.pairs["verifySign"] == pockyt::testing::REDACTED)
    );
    // One fixture per answer, in the shape the SDK's response test reads.
    let saved = std::fs::read_dir(&fixtures).unwrap().count();
    assert_eq!(saved, 7);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A gateway that answers like the simulator but differs on purpose, by path.
async fn divergent_gateway(upstream: String) -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let transport = std::sync::Arc::new(HyperTransport::new().unwrap());
        while let Ok((socket, _)) = listener.accept().await {
            let transport = transport.clone();
            let upstream = upstream.clone();
            tokio::spawn(async move {
                let service =
                    hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
                        let transport = transport.clone();
                        let upstream = upstream.clone();
                        async move {
                            let (parts, body) = request.into_parts();
                            let body = body
                                .collect()
                                .await
                                .map(|b| b.to_bytes())
                                .unwrap_or_default();
                            let path = parts.uri.path().to_owned();
                            let mut forward = http::Request::post(format!("{upstream}{path}"));
                            if let Some(ct) = parts.headers.get(http::header::CONTENT_TYPE) {
                                forward = forward.header(http::header::CONTENT_TYPE, ct);
                            }
                            let answer = transport.send(forward.body(body).unwrap()).await.unwrap();
                            let text = String::from_utf8_lossy(answer.body()).into_owned();
                            let changed = match path.as_str() {
                                "/online/v3/secure-pay" => {
                                    text.replace("\"cashierUrl\"", "\"cashierURL\"")
                                }
                                "/app-data-search/v3/tran-query" => {
                                    text.replace("\"amount\":\"0.01\"", "\"amount\":0.01")
                                }
                                "/app-data-search/v3/refund" => {
                                    let envelope: serde_json::Value =
                                        serde_json::from_str(&text).unwrap();
                                    let code = envelope["ret_code"].as_str().unwrap_or_default();
                                    text.replace(code, "000999")
                                }
                                _ => text,
                            };
                            Ok::<_, Infallible>(
                                hyper::Response::builder()
                                    .header(http::header::CONTENT_TYPE, "application/json")
                                    .body(Full::new(Bytes::from(changed)))
                                    .unwrap(),
                            )
                        }
                    });
                let io = hyper_util::rt::TokioIo::new(socket);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(io, service)
                    .await;
            });
        }
    });
    (base, task)
}

#[tokio::test]
async fn against_a_gateway_that_differs_it_names_each_difference() {
    let gateway = simulator().await;
    let (fake, task) = divergent_gateway(gateway.base_url()).await;
    let output = conformance_async(vec!["--live".into(), "--base-url".into(), fake]).await;
    task.abort();
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{stdout}\n{}",
        text(&output.stderr)
    );
    for expected in [
        "`cashierURL`: live only",
        "`cashierUrl`: simulator only",
        "`amount`: live a number, simulator a string",
        "ret_code: live \"000999\"",
    ] {
        assert!(
            stdout.contains(expected),
            "missing `{expected}` in:\n{stdout}"
        );
    }
    let stderr = text(&output.stderr);
    assert!(stderr.contains("differ on"), "{stderr}");
}

#[test]
fn production_is_refused_and_a_dry_run_sends_nothing() {
    for args in [
        vec!["--live", "--env", "production"],
        vec!["--live", "--base-url", "https://mapi.yuansfer.com"],
        vec!["--live", "--base-url", "https://MAPI.pockyt.com:443/"],
    ] {
        let output = conformance(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = text(&output.stderr);
        assert!(stderr.contains("production"), "{stderr}");
        assert!(
            output.stdout.is_empty(),
            "nothing was announced or sent: {args:?}"
        );
    }
    let by_env = Command::new(BIN)
        .args(["conformance", "--live"])
        .env("POCKYT_ENV", "production")
        .env("POCKYT_MERCHANT_NO", "200043")
        .env("POCKYT_STORE_NO", "300014")
        .env("POCKYT_TOKEN", TOKEN)
        .output()
        .unwrap();
    assert_eq!(by_env.status.code(), Some(2));
    // A dry run against a port nobody listens on: the plan, and success, since nothing is sent.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let output = conformance(&[
        "--live",
        "--dry-run",
        "--base-url",
        &format!("http://127.0.0.1:{port}"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("7. create-trans-qrcode") && stdout.contains("nothing was sent"),
        "{stdout}"
    );
    // Without --live it explains itself.
    let output = conformance(&[]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_recorded_demo_replays_offline_and_keeps_no_secret() {
    let dir = std::env::temp_dir().join(format!("pockyt-demo-cassette-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cassette = dir.join("demo.json");
    let path = cassette.display().to_string();
    let recorded = Command::new(BIN)
        .args(["demo", "--record", &path])
        .output()
        .unwrap();
    assert_eq!(
        recorded.status.code(),
        Some(0),
        "{}",
        text(&recorded.stderr)
    );
    let json = std::fs::read_to_string(&cassette).unwrap();
    let demo_token = "5cbfb079f15b150122261c8537086d77a";
    let key_hex = hex::encode(md5::Md5::digest(demo_token.as_bytes()));
    assert!(
        !json.contains(demo_token) && !json.contains(&key_hex),
        "{json}"
    );
    // Offline: no simulator runs, and every recorded exchange is asked for.
    let replayed = Command::new(BIN)
        .args(["demo", "--replay", &path])
        .output()
        .unwrap();
    let stdout = text(&replayed.stdout);
    assert_eq!(
        replayed.status.code(),
        Some(0),
        "{stdout}\n{}",
        text(&replayed.stderr)
    );
    assert!(
        stdout.contains("cassette played through") && stdout.contains("5/5"),
        "{stdout}"
    );
    // A cassette whose refund differs (8.00 recorded as 9.00) no longer matches: the replay fails.
    std::fs::write(
        &cassette,
        json.replace("\"refundAmount\": \"8.00\"", "\"refundAmount\": \"9.00\""),
    )
    .unwrap();
    let tampered = Command::new(BIN)
        .args(["demo", "--replay", &path])
        .output()
        .unwrap();
    assert_eq!(
        tampered.status.code(),
        Some(1),
        "{}",
        text(&tampered.stdout)
    );
    assert!(
        text(&tampered.stdout).contains("differs in refundAmount"),
        "{}",
        text(&tampered.stdout)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
