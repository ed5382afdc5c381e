//! `pockyt ipn send` against the two example IPN handlers (`crates/pockyt/examples/ipn_server.rs`
//! on hyper, `ipn_axum.rs` on axum), included as they are.

#[allow(dead_code)]
#[path = "../../../pockyt/examples/ipn_axum.rs"]
mod ipn_axum;
#[allow(dead_code)]
#[path = "../../../pockyt/examples/ipn_server.rs"]
mod ipn_server;

use std::net::SocketAddr;
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::Duration;

use pockyt::SigningKey;
use tokio::net::TcpListener;

const BIN: &str = env!("CARGO_BIN_EXE_pockyt");
const TOKEN: &str = "ipn-send-test-token";

async fn hyper_handler() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let limits = ipn_server::Limits {
        headers: Duration::from_secs(5),
        body: Duration::from_secs(5),
    };
    tokio::spawn(ipn_server::serve(
        listener,
        Arc::new(SigningKey::from_token(TOKEN)),
        limits,
    ));
    addr
}

async fn axum_handler() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = ipn_axum::app(ipn_axum::Receiver {
        key: SigningKey::from_token(TOKEN),
        body_deadline: Duration::from_secs(5),
    });
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

async fn send(addr: SocketAddr, token: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "ipn".to_owned(),
        "send".to_owned(),
        "--to".to_owned(),
        format!("http://{addr}/pockyt/ipn"),
        "--token".to_owned(),
        token.to_owned(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    tokio::task::spawn_blocking(move || Command::new(BIN).args(args).output().unwrap())
        .await
        .unwrap()
}

async fn drive(addr: SocketAddr) {
    let ok = send(addr, TOKEN, &["--status", "success", "--reference", "o-1"]).await;
    let out = String::from_utf8_lossy(&ok.stdout);
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{out} {}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(out.contains("acknowledged"), "{out}");
    // A forgery must be refused, and that is what --tamper checks.
    let forged = send(addr, TOKEN, &["--tamper"]).await;
    assert_eq!(
        forged.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&forged.stderr)
    );
    assert!(String::from_utf8_lossy(&forged.stdout).contains("refused"));
    // Signed with another token, the handler refuses it, so `send` reports a failure.
    let wrong = send(addr, "another-token", &[]).await;
    assert_eq!(wrong.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&wrong.stderr);
    assert!(stderr.contains("did not answer `success`"), "{stderr}");
    assert!(
        !stderr.contains("another-token"),
        "the token is never printed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ipn_send_drives_the_hyper_example() {
    drive(hyper_handler().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ipn_send_drives_the_axum_example() {
    drive(axum_handler().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ipn_send_reports_bad_input_and_unreachable_handlers() {
    let addr = hyper_handler().await;
    let bad = send(addr, TOKEN, &["--amount", "ten"]).await;
    assert_eq!(bad.status.code(), Some(2));
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let gone = send(port, TOKEN, &[]).await;
    assert_eq!(gone.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&gone.stderr).contains("could not be reached"));
}
