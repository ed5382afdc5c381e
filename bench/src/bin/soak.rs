//! The soak run behind `cargo xtask soak`: N concurrent checkouts with refunds and IPN retries
//! against an in-process simulator for a fixed time (or count), then the invariants:
//! every payment final, refunds never above the paid amount, each IPN acknowledged exactly once
//! from the merchant's point of view, nothing lost, nothing duplicated. Loopback only.
//!
//! ```text
//! soak [--seconds S] [--concurrency N] [--max-checkouts M]
//! ```
//! Prints one JSON object; exits 1 if an invariant failed.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use pockyt::ipn::testing::IpnReceiver;
use pockyt::types::*;
use pockyt::{Client, RetryPolicy};
use pockyt_mock::{IpnSchedule, Merchant, MockGateway, Until};

struct Counters {
    checkouts: AtomicUsize,
    refunds: AtomicUsize,
    over_refunds_refused: AtomicUsize,
    queries: AtomicUsize,
    unexpected: AtomicUsize,
}

fn arg(name: &str, default: u64) -> Result<u64, String> {
    let args: Vec<String> = std::env::args().collect();
    match args.iter().position(|a| a == name) {
        Some(i) => args
            .get(i + 1)
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{name} needs a number")),
        None => Ok(default),
    }
}

fn main() {
    let parsed = (|| {
        Ok::<_, String>((
            arg("--seconds", 20)?,
            arg("--concurrency", 32)?,
            arg("--max-checkouts", 1_000_000)?,
        ))
    })();
    let (seconds, concurrency, max) = match parsed {
        Ok(values) => values,
        Err(e) => {
            eprintln!("soak: {e}");
            std::process::exit(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("soak: {e}");
            std::process::exit(2);
        }
    };
    match runtime.block_on(soak(
        Duration::from_secs(seconds),
        concurrency as usize,
        max as usize,
    )) {
        Ok((report, true)) => println!("{report}"),
        Ok((report, false)) => {
            println!("{report}");
            std::process::exit(1);
        }
        Err(e) => {
            eprintln!("soak: {e}");
            std::process::exit(1);
        }
    }
}

async fn soak(
    duration: Duration,
    concurrency: usize,
    max: usize,
) -> Result<(serde_json::Value, bool), String> {
    let gateway = MockGateway::builder()
        .merchant(Merchant::demo())
        .ipn_schedule(IpnSchedule::fast(Duration::from_millis(5)))
        .start()
        .await
        .map_err(|e| e.to_string())?;
    let receiver = IpnReceiver::start(pockyt::SigningKey::from_token(Merchant::DEMO_TOKEN))
        .await
        .map_err(|e| e.to_string())?;
    // Every third notification is refused once, so retries happen all the time.
    receiver.fail_one_in(3);
    let config = pockyt::Config::new("200043", "300014", Merchant::DEMO_TOKEN)
        .map_err(|e| e.to_string())?
        .with_base_url(gateway.base_url())
        .with_retry(
            RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(10)),
        );
    let client = Client::new(config).map_err(|e| e.to_string())?;
    let counters = Arc::new(Counters {
        checkouts: AtomicUsize::new(0),
        refunds: AtomicUsize::new(0),
        over_refunds_refused: AtomicUsize::new(0),
        queries: AtomicUsize::new(0),
        unexpected: AtomicUsize::new(0),
    });
    let gateway = Arc::new(gateway);
    let started = Instant::now();
    let deadline = started + duration;
    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..concurrency {
        let (client, gateway, counters, ipn_url) = (
            client.clone(),
            gateway.clone(),
            counters.clone(),
            receiver.url(),
        );
        workers.spawn(async move {
            let mut numbers = Vec::new();
            let mut i = 0usize;
            while Instant::now() < deadline && counters.checkouts.load(Ordering::Relaxed) < max {
                i += 1;
                match checkout(
                    &client,
                    &gateway,
                    &counters,
                    &ipn_url,
                    &format!("soak-{worker}-{i}"),
                )
                .await
                {
                    Ok(number) => numbers.push(number),
                    Err(_) => {
                        counters.unexpected.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            numbers
        });
    }
    let mut created = Vec::new();
    while let Some(result) = workers.join_next().await {
        created.extend(result.map_err(|e| e.to_string())?);
    }
    let load_seconds = started.elapsed().as_secs_f64();
    // Let every notification settle (retries included) before judging.
    if gateway
        .ipn()
        .wait(
            Until::AcknowledgedCount(created.len()),
            Duration::from_secs(60),
        )
        .await
        .is_err()
    {
        return Err(format!(
            "only {} of {} notifications were acknowledged within 60 s",
            gateway.ipn().acknowledged(),
            created.len()
        ));
    }
    Ok(judge(
        &gateway,
        &receiver,
        &created,
        &counters,
        load_seconds,
        concurrency,
    ))
}

async fn checkout(
    client: &Client,
    gateway: &MockGateway,
    counters: &Counters,
    ipn_url: &str,
    reference: &str,
) -> Result<String, String> {
    let amount = Amount::parse("10.00").map_err(|e| e.to_string())?;
    let request = SecurePayRequest::new(
        amount,
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        reference,
        Terminal::Online,
    )
    .ipn_url(ipn_url)
    .callback_url("https://merchant.example.com/back?s={status}");
    let number = client
        .secure_pay(&request)
        .await
        .map_err(|e| e.to_string())?
        .transaction_no
        .ok_or("no number")?;
    counters.checkouts.fetch_add(1, Ordering::Relaxed);
    gateway.pay(&number).map_err(|e| e.to_string())?;
    for (part, id) in [("4.00", "a"), ("6.00", "b")] {
        let refund = RefundRequest::new(
            Amount::parse(part).map_err(|e| e.to_string())?,
            Currency::Usd,
            SettleCurrency::Usd,
        )
        .refund_reference(format!("{reference}-{id}"))
        .transaction_no(number.clone());
        client.refund(&refund).await.map_err(|e| e.to_string())?;
        counters.refunds.fetch_add(1, Ordering::Relaxed);
    }
    let over = RefundRequest::new(
        Amount::parse("0.01").map_err(|e| e.to_string())?,
        Currency::Usd,
        SettleCurrency::Usd,
    )
    .refund_reference(format!("{reference}-c"))
    .transaction_no(number.clone());
    match client.refund(&over).await {
        Err(pockyt::Error::Api { .. }) => {
            counters
                .over_refunds_refused
                .fetch_add(1, Ordering::Relaxed);
        }
        _ => return Err("a refund above the paid amount was not refused".into()),
    }
    let found = client
        .tran_query(&TranQueryRequest::new().transaction_no(number.clone()))
        .await
        .map_err(|e| e.to_string())?;
    counters.queries.fetch_add(1, Ordering::Relaxed);
    if found.status != Some(TransactionStatus::Success) || found.refund_info.len() != 2 {
        return Err("the query disagrees with what was done".into());
    }
    Ok(number)
}

fn judge(
    gateway: &MockGateway,
    receiver: &IpnReceiver,
    created: &[String],
    counters: &Counters,
    seconds: f64,
    concurrency: usize,
) -> (serde_json::Value, bool) {
    let payments = gateway.payments();
    let open = payments
        .iter()
        .filter(|p| {
            matches!(
                p.status,
                TransactionStatus::Init | TransactionStatus::Pending
            )
        })
        .count();
    let over_refunded = payments
        .iter()
        .filter(|p| p.refunded().is_none_or(|r| r > p.amount))
        .count();
    let verified = receiver.verified();
    let mut per_tx: HashMap<String, usize> = HashMap::new();
    for n in &verified {
        *per_tx
            .entry(n.transaction_no.clone().unwrap_or_default())
            .or_default() += 1;
    }
    let created_set: HashSet<&String> = created.iter().collect();
    let lost = created.iter().filter(|n| !per_tx.contains_key(*n)).count();
    let duplicated =
        per_tx.values().filter(|count| **count > 1).count() + (created.len() - created_set.len());
    let attempts = gateway.ipn().attempts();
    let retried = attempts.iter().filter(|a| !a.acknowledged).count();
    let unexpected = counters.unexpected.load(Ordering::Relaxed);
    let ok = open == 0
        && over_refunded == 0
        && lost == 0
        && duplicated == 0
        && unexpected == 0
        && payments.len() == created.len();
    let report = serde_json::json!({
        "what": "soak",
        "ok": ok,
        "seconds": seconds,
        "concurrency": concurrency,
        "checkouts": counters.checkouts.load(Ordering::Relaxed),
        "payments_in_gateway": payments.len(),
        "refunds": counters.refunds.load(Ordering::Relaxed),
        "over_refunds_refused": counters.over_refunds_refused.load(Ordering::Relaxed),
        "queries": counters.queries.load(Ordering::Relaxed),
        "ipn_deliveries": attempts.len(),
        "ipn_refused_then_retried": retried,
        "ipn_acknowledged": verified.len(),
        "open_payments": open,
        "over_refunded_payments": over_refunded,
        "lost": lost,
        "duplicated": duplicated,
        "unexpected_errors": unexpected,
        "error_budget": "0 unexpected errors allowed; refused over-refunds and refused IPN deliveries are part of the load",
    });
    (report, ok)
}
