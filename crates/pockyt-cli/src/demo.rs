//! `pockyt demo`: a whole hosted checkout, step by step, against the embedded simulator.

use std::time::{Duration, Instant};

use bytes::Bytes;
use clap::Args as ClapArgs;
use pockyt::ipn::testing::IpnReceiver;
use pockyt::testing::{Cassette, RecordingTransport, ReplayTransport};
use pockyt::types::*;
use pockyt::{Client, Config, Error};
use pockyt_mock::{Merchant, MockGateway};
use pockyt_transport::{HyperTransport, Transport};
use serde_json::json;

use crate::Outcome;

/// Arguments of `pockyt demo`.
#[derive(Debug, ClapArgs)]
pub(crate) struct Args {
    /// Print each step as a JSON line, for scripts.
    #[arg(long)]
    json: bool,
    /// Use the real sandbox (POCKYT_MERCHANT_NO, POCKYT_STORE_NO, POCKYT_TOKEN) and stop at the
    /// cashier URL for a human to pay.
    #[arg(long)]
    live: bool,
    /// Leave the simulator running afterwards (until Ctrl-C), to look at what the demo did on its
    /// dashboard.
    #[arg(long)]
    keep: bool,
    /// Record the client's exchanges with the gateway (secrets redacted) into this cassette file.
    #[arg(long, value_name = "FILE", conflicts_with = "replay")]
    record: Option<std::path::PathBuf>,
    /// Replay the client's calls from a cassette `--record` wrote, offline: no simulator, nothing
    /// sent (the shopper's and the webhook's steps are the simulator's, so they are skipped).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["live", "keep"])]
    replay: Option<std::path::PathBuf>,
}

/// How long the demo waits for the simulator's notification.
const PATIENCE: Duration = Duration::from_secs(10);

/// Prints steps as lines or JSON, and counts what held.
struct Report {
    json: bool,
    total: usize,
    steps: usize,
    passed: usize,
}

impl Report {
    fn step(&mut self, name: &str, result: Result<String, String>) -> bool {
        self.steps += 1;
        let ok = result.is_ok();
        self.passed += usize::from(ok);
        let detail = result.unwrap_or_else(|e| e);
        if self.json {
            say!(
                "{}",
                json!({ "step": self.steps, "name": name, "ok": ok, "detail": detail })
            );
        } else {
            let mark = if ok { "ok  " } else { "FAIL" };
            say!("[{}/{}] {mark} {name}: {detail}", self.steps, self.total);
        }
        ok
    }

    fn finish(&self, started: Instant) -> Outcome {
        let elapsed = started.elapsed().as_secs_f64();
        if self.json {
            say!(
                "{}",
                json!({ "summary": { "steps": self.steps, "passed": self.passed, "seconds": elapsed, "max_rss_kib": max_rss_kib() } })
            );
        } else {
            say!(
                "summary: {}/{} checks passed in {elapsed:.3} s",
                self.passed,
                self.total
            );
        }
        if self.passed == self.total {
            Outcome::Ok
        } else {
            Outcome::Failed(format!(
                "{} of {} demo steps failed",
                self.total - self.passed,
                self.total
            ))
        }
    }
}

pub(crate) async fn run(args: &Args) -> Outcome {
    if args.live {
        return live(args).await;
    }
    if let Some(cassette) = &args.replay {
        return replay(args, cassette).await;
    }
    let started = Instant::now();
    if !args.json {
        say!(
            "pockyt demo: a hosted checkout against the embedded Pockyt simulator (nothing leaves 127.0.0.1)"
        );
    }
    let mut report = Report {
        json: args.json,
        total: 8,
        steps: 0,
        passed: 0,
    };
    let merchant = Merchant::demo();
    // Kept running, the simulator is the newcomer's workbench, with its buttons as under `mock`.
    let gateway = match MockGateway::builder()
        .merchant(merchant.clone())
        .workbench_actions(args.keep)
        .start()
        .await
    {
        Ok(gateway) => gateway,
        Err(e) => {
            report.step("simulator", Err(crate::chain(&e)));
            return report.finish(started);
        }
    };
    report.step(
        "simulator",
        Ok(format!(
            "listening at {} for merchant {} / store {}; dashboard at {}/",
            gateway.base_url(),
            merchant.merchant_no(),
            merchant.store_no(),
            gateway.base_url()
        )),
    );
    let key = pockyt::SigningKey::from_token(Merchant::DEMO_TOKEN);
    let receiver = match IpnReceiver::start(key).await {
        Ok(receiver) => receiver,
        Err(e) => {
            report.step("IPN receiver", Err(crate::chain(&e)));
            return report.finish(started);
        }
    };
    report.step(
        "IPN receiver",
        Ok(format!(
            "the merchant's webhook listens at {}",
            receiver.url()
        )),
    );
    let recorder = match HyperTransport::new() {
        Ok(transport) => RecordingTransport::new(transport).redact_text(Merchant::DEMO_TOKEN),
        Err(e) => {
            report.step("secure-pay", Err(crate::chain(&e)));
            return report.finish(started);
        }
    };
    let flow = Flow {
        gateway: &gateway,
        receiver: &receiver,
        transport: recorder.clone(),
    };
    flow.checkout(&mut report).await;
    if let Some(path) = &args.record {
        let written = recorder.cassette().save(path);
        if let Err(e) = written {
            return Outcome::BadInput(crate::chain(&e));
        }
        if !args.json {
            say!(
                "recorded {} exchanges into {}",
                recorder.exchanges().len(),
                path.display()
            );
        }
    }
    let outcome = report.finish(started);
    if args.keep {
        keep_running(&gateway, args.json).await;
    }
    gateway.shutdown().await;
    outcome
}

/// Serves on until Ctrl-C, so the dashboard shows what the demo did.
async fn keep_running(gateway: &MockGateway, json: bool) {
    let url = format!("{}/", gateway.base_url());
    if json {
        say!("{}", json!({ "keep": { "dashboard": url } }));
    } else {
        say!("the simulator keeps running: dashboard at {url} (Ctrl-C stops it)");
    }
    // A failed signal handler leaves nothing to wait for: stop as without --keep.
    let _ = tokio::signal::ctrl_c().await;
}

struct Flow<'a> {
    gateway: &'a MockGateway,
    receiver: &'a IpnReceiver,
    /// The client's transport: the simulator's, through a recorder (kept only with `--record`).
    transport: RecordingTransport,
}

impl Flow<'_> {
    async fn checkout(&self, report: &mut Report) {
        let config = Config::new("200043", "300014", Merchant::DEMO_TOKEN)
            .map(|c| c.with_base_url(self.gateway.base_url()));
        let client = match config
            .map_err(Error::from)
            .and_then(|c| Client::builder(c).transport(self.transport.clone()).build())
        {
            Ok(client) => client,
            Err(e) => {
                report.step("secure-pay", Err(crate::chain(&e)));
                return;
            }
        };
        let reference = format!("demo-{}", std::process::id());
        let Some((number, cashier)) =
            secure_pay(report, &client, &reference, &self.receiver.url()).await
        else {
            return;
        };
        if !self.cashier(report, &cashier).await {
            return;
        }
        if !self.ipn(report, &number).await {
            return;
        }
        if !query(report, &client, &reference).await {
            return;
        }
        refunds(report, &client, &number).await;
    }

    async fn cashier(&self, report: &mut Report, cashier: &str) -> bool {
        let result = async {
            let page = browse(http::Method::GET, cashier).await?;
            if !String::from_utf8_lossy(page.body()).contains("12.50") {
                return Err("the cashier page does not show the amount".to_owned());
            }
            let paid = browse(http::Method::POST, &format!("{cashier}/pay")).await?;
            let location = paid
                .headers()
                .get(http::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .ok_or("the cashier did not redirect back to callbackUrl")?;
            if !location.contains("status=success") {
                return Err(format!(
                    "the redirect does not carry status=success: {location}"
                ));
            }
            Ok(format!(
                "the shopper opened the page and paid; browser sent back to {location}"
            ))
        }
        .await;
        report.step("cashier", result)
    }

    async fn ipn(&self, report: &mut Report, number: &str) -> bool {
        let result = match self.receiver.wait_for(1, PATIENCE).await {
            Ok(notes) => match notes.first() {
                Some(n) if n.transaction_no.as_deref() == Some(number) && n.is_success() => {
                    Ok(format!(
                        "received and verified (status success, {} {}, transactionNo {number}); acknowledged with `success`",
                        n.amount.as_ref().map(|a| a.to_string()).unwrap_or_default(),
                        n.currency
                            .as_ref()
                            .map(|c| c.to_string())
                            .unwrap_or_default(),
                    ))
                }
                Some(n) => Err(format!(
                    "unexpected notification: {:?} {:?}",
                    n.transaction_no, n.status
                )),
                None => Err("no notification".to_owned()),
            },
            Err(e) => Err(format!(
                "{}; rejected: {:?}",
                crate::chain(&e),
                self.receiver.rejected()
            )),
        };
        report.step("verified IPN", result)
    }
}

async fn secure_pay(
    report: &mut Report,
    client: &Client,
    reference: &str,
    ipn_url: &str,
) -> Option<(String, String)> {
    let request = Amount::parse("12.50").map(|amount| {
        SecurePayRequest::new(
            amount,
            Currency::Usd,
            SettleCurrency::Usd,
            Vendor::Alipay,
            reference,
            Terminal::Online,
        )
        .ipn_url(ipn_url)
        .callback_url("https://merchant.example.com/return?status={status}&amount={amount}&reference={reference}")
        .description("Demo T-shirt")
    });
    let result = match request {
        Ok(request) => client
            .secure_pay(&request)
            .await
            .map_err(|e| crate::chain(&e)),
        Err(e) => Err(crate::chain(&e)),
    };
    let found = result.and_then(
        |payment| match (payment.transaction_no, payment.cashier_url) {
            (Some(number), Some(cashier)) => Ok((number, cashier)),
            _ => Err("the answer has no transactionNo or cashierUrl".to_owned()),
        },
    );
    let detail = found
        .as_ref()
        .map(|(number, cashier)| format!("sent 12.50 USD via alipay, reference {reference}; got transactionNo {number}, cashierUrl {cashier}"))
        .map_err(Clone::clone);
    report
        .step("secure-pay", detail)
        .then(|| found.ok())
        .flatten()
}

async fn query(report: &mut Report, client: &Client, reference: &str) -> bool {
    let result = match client
        .tran_query(&TranQueryRequest::new().reference(reference))
        .await
    {
        Ok(found) if found.status == Some(TransactionStatus::Success) => Ok(format!(
            "by reference {reference}: status success, amount {}",
            found.amount.map(|a| a.to_string()).unwrap_or_default()
        )),
        Ok(found) => Err(format!("status is {:?}, expected success", found.status)),
        Err(e) => Err(crate::chain(&e)),
    };
    report.step("tran-query", result)
}

async fn refunds(report: &mut Report, client: &Client, number: &str) {
    let refund = |amount: &str, id: &str| {
        Amount::parse(amount).map(|a| {
            RefundRequest::new(a, Currency::Usd, SettleCurrency::Usd)
                .refund_reference(id)
                .transaction_no(number)
        })
    };
    let partial = match refund("5.00", "demo-refund-1") {
        Ok(request) => match client.refund(&request).await {
            Ok(r) => Ok(format!(
                "5.00 USD refunded (refundTransactionNo {}); 7.50 USD left",
                r.refund_transaction_no.unwrap_or_default()
            )),
            Err(e) => Err(crate::chain(&e)),
        },
        Err(e) => Err(crate::chain(&e)),
    };
    if !report.step("partial refund", partial) {
        return;
    }
    let over = match refund("8.00", "demo-refund-2") {
        Ok(request) => match client.refund(&request).await {
            Err(e @ Error::Api { .. }) => Ok(format!(
                "8.00 USD refused by the gateway as it should be: {e}"
            )),
            Err(e) => Err(format!(
                "refused, but not by the gateway: {}",
                crate::chain(&e)
            )),
            Ok(_) => Err("a refund above the remaining amount was accepted".to_owned()),
        },
        Err(e) => Err(crate::chain(&e)),
    };
    report.step("over-refund refused", over);
}

/// What the shopper's browser does: one request, no redirect following.
async fn browse(method: http::Method, url: &str) -> Result<http::Response<Bytes>, String> {
    let transport = HyperTransport::new().map_err(|e| crate::chain(&e))?;
    let request = http::Request::builder()
        .method(method)
        .uri(url)
        .body(Bytes::new())
        .map_err(|e| crate::chain(&e))?;
    transport.send(request).await.map_err(|e| crate::chain(&e))
}

/// `--replay FILE`: the client's calls of a recorded demo, answered from the cassette. The
/// reference and the IPN URL are made anew on every run, so they do not decide the match.
async fn replay(args: &Args, path: &std::path::Path) -> Outcome {
    let started = Instant::now();
    let cassette = match std::fs::read_to_string(path)
        .map_err(|e| crate::chain(&e))
        .and_then(|text| Cassette::from_json(&text).map_err(|e| crate::chain(&e)))
    {
        Ok(cassette) => cassette,
        Err(e) => return Outcome::BadInput(format!("{}: {e}", path.display())),
    };
    if !args.json {
        say!(
            "pockyt demo --replay: the client's calls answered from {} (nothing is sent)",
            path.display()
        );
    }
    let mut report = Report {
        json: args.json,
        total: 5,
        steps: 0,
        passed: 0,
    };
    let replay = ReplayTransport::new(cassette)
        .ignore_field("reference")
        .ignore_field("ipnUrl");
    let config = Config::new("200043", "300014", Merchant::DEMO_TOKEN)
        .map(|c| c.with_base_url("https://cassette.invalid"));
    let client = match config
        .map_err(Error::from)
        .and_then(|c| Client::builder(c).transport(replay.clone()).build())
    {
        Ok(client) => client,
        Err(e) => return Outcome::BadInput(crate::chain(&e)),
    };
    let reference = format!("demo-{}", std::process::id());
    let ipn_url = "http://127.0.0.1:9/ipn";
    if let Some((number, _)) = secure_pay(&mut report, &client, &reference, ipn_url).await
        && query(&mut report, &client, &reference).await
    {
        refunds(&mut report, &client, &number).await;
    }
    report.step(
        "cassette played through",
        replay
            .all_played()
            .map(|()| "every recorded exchange was asked for, in a matching request".to_owned())
            .map_err(|e| crate::chain(&e)),
    );
    report.finish(started)
}

/// `--live`: the real sandbox, up to the cashier URL.
async fn live(args: &Args) -> Outcome {
    let started = Instant::now();
    let mut report = Report {
        json: args.json,
        total: 2,
        steps: 0,
        passed: 0,
    };
    let client = match Config::from_env()
        .map_err(Error::from)
        .and_then(Client::new)
    {
        Ok(client) => client,
        Err(e) => {
            return Outcome::BadInput(format!(
                "{} (set POCKYT_MERCHANT_NO, POCKYT_STORE_NO, POCKYT_TOKEN)",
                crate::chain(&e)
            ));
        }
    };
    report.step(
        "configuration",
        Ok(format!(
            "gateway {}",
            client.config().environment().base_url()
        )),
    );
    let reference = format!(
        "pockyt-demo-{}-{}",
        std::process::id(),
        started.elapsed().as_nanos()
    );
    let result = match Amount::parse("0.01") {
        Ok(amount) => client
            .secure_pay(
                &SecurePayRequest::new(
                    amount,
                    Currency::Usd,
                    SettleCurrency::Usd,
                    Vendor::Alipay,
                    reference.as_str(),
                    Terminal::Online,
                )
                .ipn_url("https://merchant.example.com/pockyt/ipn")
                .callback_url("https://merchant.example.com/return?status={status}")
                .description("pockyt demo --live"),
            )
            .await
            .map(|p| {
                format!(
                    "open this cashier URL to pay: {}",
                    p.cashier_url.unwrap_or_default()
                )
            })
            .map_err(|e| crate::chain(&e)),
        Err(e) => Err(crate::chain(&e)),
    };
    report.step("secure-pay", result);
    report.finish(started)
}

/// Peak resident memory of this process (Linux `VmHWM`), for `cargo xtask bench`.
fn max_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
