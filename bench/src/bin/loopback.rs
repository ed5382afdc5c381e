//! Loopback load against a running simulator (`pockyt mock`), for `cargo xtask bench` and
//! `cargo xtask soak`.
//!
//! ```text
//! loopback --base-url http://127.0.0.1:PORT --mode bare|client --concurrency N --requests M
//! ```
//! `bare`: a hyper-util client posting one pre-built, pre-signed tran-query body again and again.
//! `client`: `pockyt::Client::tran_query` doing the full work every time (validate, sign, encode,
//! send, decode the envelope and the typed result). Both on Tokio's current-thread runtime, both
//! over keep-alive connections. Prints one JSON object.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use pockyt::types::*;
use pockyt::{Client, Config, RetryPolicy};
use pockyt_mock::Merchant;

struct Args {
    base_url: String,
    mode: String,
    concurrency: usize,
    requests: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        base_url: String::new(),
        mode: "client".into(),
        concurrency: 1,
        requests: 10_000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--base-url" => args.base_url = value,
            "--mode" => args.mode = value,
            "--concurrency" => args.concurrency = value.parse().map_err(|_| "bad --concurrency")?,
            "--requests" => args.requests = value.parse().map_err(|_| "bad --requests")?,
            other => return Err(format!("unknown flag {other}")),
        }
    }
    if args.base_url.is_empty() {
        return Err("--base-url is required".into());
    }
    Ok(args)
}

fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("loopback: {e}");
            std::process::exit(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("loopback: {e}");
            std::process::exit(2);
        }
    };
    match runtime.block_on(run(args)) {
        Ok(report) => println!("{report}"),
        Err(e) => {
            eprintln!("loopback: {e}");
            std::process::exit(1);
        }
    }
}

async fn run(args: Args) -> Result<serde_json::Value, String> {
    let config = Config::new("200043", "300014", Merchant::DEMO_TOKEN)
        .map_err(|e| e.to_string())?
        .with_base_url(args.base_url.clone())
        .with_retry(RetryPolicy::never());
    let client = Client::new(config).map_err(|e| e.to_string())?;
    // One paid payment to query, so every answer is a full success envelope.
    let reference = format!(
        "loopback-{}-{}",
        std::process::id(),
        Instant::now().elapsed().as_nanos()
    );
    let payment = client
        .secure_pay(
            &SecurePayRequest::new(
                Amount::parse("12.50").map_err(|e| e.to_string())?,
                Currency::Usd,
                SettleCurrency::Usd,
                Vendor::Alipay,
                reference.as_str(),
                Terminal::Online,
            )
            .ipn_url("https://merchant.example.com/ipn")
            .callback_url("https://merchant.example.com/back"),
        )
        .await
        .map_err(|e| e.to_string())?;
    let number = payment.transaction_no.ok_or("no transactionNo")?;
    let query = TranQueryRequest::new().transaction_no(number);

    let per_worker = args.requests / args.concurrency.max(1);
    let started = Instant::now();
    let mut latencies: Vec<Duration> = Vec::with_capacity(args.requests);
    let mut errors = 0usize;
    let mut workers = tokio::task::JoinSet::new();
    match args.mode.as_str() {
        "bare" => {
            let request = client.encode(&query).map_err(|e| e.to_string())?;
            let (parts, body) = request.into_parts();
            let uri = parts.uri.clone();
            let hyper: HyperClient<HttpConnector, Full<Bytes>> =
                HyperClient::builder(TokioExecutor::new()).build_http();
            let shared = Arc::new((hyper, uri, body));
            for _ in 0..args.concurrency {
                let shared = shared.clone();
                workers.spawn(async move {
                    let (hyper, uri, body) = &*shared;
                    let mut times = Vec::with_capacity(per_worker);
                    let mut failed = 0;
                    for _ in 0..per_worker {
                        let t = Instant::now();
                        let request = http::Request::post(uri.clone())
                            .header("content-type", "application/json; charset=utf-8")
                            .body(Full::new(body.clone()));
                        let ok = match request {
                            Ok(request) => match hyper.request(request).await {
                                Ok(response) => response.into_body().collect().await.is_ok(),
                                Err(_) => false,
                            },
                            Err(_) => false,
                        };
                        failed += usize::from(!ok);
                        times.push(t.elapsed());
                    }
                    (times, failed)
                });
            }
        }
        "transport" => {
            // Our HyperTransport with pre-built bytes: separates the transport's cost from the client's.
            let request = client.encode(&query).map_err(|e| e.to_string())?;
            let (parts, body) = request.into_parts();
            let transport = pockyt_transport::HyperTransport::new().map_err(|e| e.to_string())?;
            let shared = Arc::new((transport, parts.uri.clone(), body));
            for _ in 0..args.concurrency {
                let shared = shared.clone();
                workers.spawn(async move {
                    use pockyt_transport::Transport as _;
                    let (transport, uri, body) = &*shared;
                    let mut times = Vec::with_capacity(per_worker);
                    let mut failed = 0;
                    for _ in 0..per_worker {
                        let t = Instant::now();
                        let ok = match http::Request::post(uri.clone()).body(body.clone()) {
                            Ok(request) => transport.send(request).await.is_ok(),
                            Err(_) => false,
                        };
                        failed += usize::from(!ok);
                        times.push(t.elapsed());
                    }
                    (times, failed)
                });
            }
        }
        "client" => {
            let shared = Arc::new((client.clone(), query));
            for _ in 0..args.concurrency {
                let shared = shared.clone();
                workers.spawn(async move {
                    let (client, query) = &*shared;
                    let mut times = Vec::with_capacity(per_worker);
                    let mut failed = 0;
                    for _ in 0..per_worker {
                        let t = Instant::now();
                        let ok = client.tran_query(query).await.is_ok();
                        failed += usize::from(!ok);
                        times.push(t.elapsed());
                    }
                    (times, failed)
                });
            }
        }
        other => return Err(format!("unknown mode {other}")),
    }
    while let Some(result) = workers.join_next().await {
        let (times, failed) = result.map_err(|e| e.to_string())?;
        latencies.extend(times);
        errors += failed;
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1e6)
    };
    Ok(serde_json::json!({
        "what": "loopback",
        "mode": args.mode,
        "runtime": "tokio current_thread",
        "concurrency": args.concurrency,
        "requests": latencies.len(),
        "errors": errors,
        "seconds": seconds,
        "requests_per_second": latencies.len() as f64 / seconds,
        "p50_us": pct(0.50),
        "p99_us": pct(0.99),
        "max_rss_kib": max_rss_kib(),
    }))
}

/// Peak resident memory of this process (Linux `VmHWM`), if known.
fn max_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
