//! `pockyt conformance --live`: the same safe script of calls against a real gateway (the sandbox,
//! never production) and against a fresh local simulator, compared call by call: codes, statuses,
//! the fields one answer has and the other lacks, and their JSON shapes. What the live gateway
//! answered can be kept as a cassette and as response fixtures, so a difference becomes a failing
//! test in the SDK's own suite.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::Args as ClapArgs;
use pockyt::testing::RecordingTransport;
use pockyt::transport::HyperTransport;
use pockyt::types::Endpoint;
use pockyt::types::*;
use pockyt::{Client, Config, Environment};
use pockyt_mock::{Merchant, MockGateway};
use serde_json::{Map, Value};

use crate::Outcome;

/// Arguments of `pockyt conformance`.
#[derive(Debug, ClapArgs)]
pub(crate) struct Args {
    /// Run the script against a live gateway (required: this command always talks to one).
    #[arg(long)]
    live: bool,
    /// `sandbox` (the default) or a base URL; `production` is refused.
    #[arg(long)]
    env: Option<String>,
    /// The gateway's base URL (instead of --env or POCKYT_ENV), e.g. a sandbox proxy.
    #[arg(long)]
    base_url: Option<String>,
    /// Print the calls the script would make, and send nothing.
    #[arg(long)]
    dry_run: bool,
    /// Write the live exchanges, redacted, to this cassette file.
    #[arg(long)]
    cassette: Option<PathBuf>,
    /// Write each live answer as a response fixture (tests/conformance/responses format) here.
    #[arg(long)]
    save_fixtures: Option<PathBuf>,
}

/// The hosts that take real money: the script never runs there.
const PRODUCTION_HOSTS: [&str; 2] = ["mapi.yuansfer.com", "mapi.pockyt.com"];

/// A call's name/value pairs, or why they could not be built.
type Pairs = Result<Vec<(String, String)>, String>;

/// One call of the script: its name, path and how to build its pairs from what came before.
struct Step {
    name: &'static str,
    path: &'static str,
    pairs: fn(&Run) -> Pairs,
}

/// What earlier calls answered, for the calls after them.
#[derive(Default)]
struct Run {
    reference: String,
    transaction_no: Option<String>,
    instore_no: Option<String>,
}

fn amount() -> Amount {
    Amount::from_minor(1, &Currency::Usd).unwrap_or_else(|_| Amount::zero())
}

fn pairs_of<E: Endpoint>(request: &E) -> Pairs {
    request.validate().map_err(|e| crate::chain(&e))?;
    Ok(request
        .wire_pairs()
        .iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect())
}

fn transaction_no(run: &Run) -> Result<String, String> {
    run.transaction_no
        .clone()
        .ok_or_else(|| "secure-pay answered no transactionNo".to_owned())
}

/// The script: a one-cent hosted payment that nobody pays, queried, refunded (refused: unpaid),
/// cancelled and queried again; a one-cent in-store order with a QR code. Nothing is charged.
const SCRIPT: &[Step] = &[
    Step {
        name: "secure-pay",
        path: SecurePayRequest::PATH,
        pairs: |run| {
            pairs_of(
                &SecurePayRequest::new(
                    amount(),
                    Currency::Usd,
                    SettleCurrency::Usd,
                    Vendor::Alipay,
                    run.reference.as_str(),
                    Terminal::Online,
                )
                .ipn_url("https://example.com/pockyt-conformance/ipn")
                .callback_url("https://example.com/pockyt-conformance/return")
                .description("pockyt conformance check: never paid"),
            )
        },
    },
    Step {
        name: "tran-query",
        path: TranQueryRequest::PATH,
        pairs: |run| pairs_of(&TranQueryRequest::new().reference(run.reference.as_str())),
    },
    Step {
        name: "refund (of an unpaid payment)",
        path: RefundRequest::PATH,
        pairs: |run| {
            pairs_of(
                &RefundRequest::new(amount(), Currency::Usd, SettleCurrency::Usd)
                    .transaction_no(transaction_no(run)?),
            )
        },
    },
    Step {
        name: "cancel",
        path: CancelRequest::PATH,
        pairs: |run| pairs_of(&CancelRequest::new().transaction_no(transaction_no(run)?)),
    },
    Step {
        name: "tran-query (after cancel)",
        path: TranQueryRequest::PATH,
        pairs: |run| pairs_of(&TranQueryRequest::new().transaction_no(transaction_no(run)?)),
    },
    Step {
        name: "in-store add",
        path: InstoreAddRequest::PATH,
        pairs: |run| {
            pairs_of(
                &InstoreAddRequest::new(amount())
                    .currency(Currency::Usd)
                    .settle_currency(SettleCurrency::Usd)
                    .reference(format!("{}-pos", run.reference)),
            )
        },
    },
    Step {
        name: "create-trans-qrcode",
        path: CreateTransQrcodeRequest::PATH,
        pairs: |run| {
            let number = run
                .instore_no
                .clone()
                .ok_or_else(|| "in-store add answered no transactionNo".to_owned())?;
            pairs_of(
                &CreateTransQrcodeRequest::new(amount(), Currency::Usd)
                    .settle_currency(SettleCurrency::Usd)
                    .transaction_no(number)
                    .vendor(Vendor::Alipay)
                    .ipn_url("https://example.com/pockyt-conformance/ipn")
                    .need_qrcode(true),
            )
        },
    },
];

pub(crate) async fn run(args: &Args) -> Outcome {
    if !args.live {
        return Outcome::BadInput(
            "conformance needs --live: it calls a real gateway (the sandbox) and compares it with the simulator".into(),
        );
    }
    let base_url = match target(args) {
        Ok(url) => url,
        Err(reason) => return Outcome::BadInput(reason),
    };
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let (Some(merchant_no), Some(store_no), Some(token)) = (
        env("POCKYT_MERCHANT_NO"),
        env("POCKYT_STORE_NO"),
        env("POCKYT_TOKEN"),
    ) else {
        return Outcome::BadInput(
            "set POCKYT_MERCHANT_NO, POCKYT_STORE_NO and POCKYT_TOKEN to your sandbox credentials"
                .into(),
        );
    };
    say!(
        "pockyt conformance: {} calls to {base_url} as merchant {merchant_no}, store {store_no}, then the same against a local simulator:",
        SCRIPT.len()
    );
    for (i, step) in SCRIPT.iter().enumerate() {
        say!("  {}. {} ({})", i + 1, step.name, step.path);
    }
    say!("  Amounts are USD 0.01; nothing is paid, the payment is cancelled.");
    if args.dry_run {
        say!("--dry-run: nothing was sent.");
        return Outcome::Ok;
    }
    let config = |url: &str| {
        Config::new(merchant_no.as_str(), store_no.as_str(), token.as_str())
            .map(|c| c.with_environment(Environment::Custom(url.to_owned())))
            .map_err(|e| crate::chain(&e))
    };
    let transport = match HyperTransport::new() {
        Ok(t) => t,
        Err(e) => return Outcome::BadInput(crate::chain(&e)),
    };
    let recorder = RecordingTransport::new(transport).redact_text(token.as_str());
    let live = match config(&base_url).and_then(|c| {
        Client::builder(c)
            .transport(recorder.clone())
            .build()
            .map_err(|e| crate::chain(&e))
    }) {
        Ok(client) => client,
        Err(reason) => return Outcome::BadInput(reason),
    };
    let reference = format!("pockyt-conformance-{}", unix_seconds());
    let live_answers = script(&live, &reference).await;
    let gateway = match MockGateway::builder()
        .merchant(Merchant::new(
            merchant_no.as_str(),
            store_no.as_str(),
            &token,
        ))
        .start()
        .await
    {
        Ok(gateway) => gateway,
        Err(e) => {
            return Outcome::BadInput(format!("the simulator did not start: {}", crate::chain(&e)));
        }
    };
    let local = match config(&gateway.base_url())
        .and_then(|c| Client::new(c).map_err(|e| crate::chain(&e)))
    {
        Ok(client) => client,
        Err(reason) => return Outcome::BadInput(reason),
    };
    let local_answers = script(&local, &reference).await;
    gateway.shutdown().await;
    if let Some(path) = &args.cassette {
        let written = recorder.cassette().save(path);
        if let Err(e) = written {
            return Outcome::BadInput(crate::chain(&e));
        }
        say!("cassette: {}", path.display());
    }
    if let Some(dir) = &args.save_fixtures
        && let Err(e) = save_fixtures(dir, &base_url, &recorder.cassette())
    {
        return Outcome::BadInput(format!("{}: {e}", dir.display()));
    }
    report(&live_answers, &local_answers)
}

/// The base URL the script runs against; production, by name or by host, is refused.
fn target(args: &Args) -> Result<String, String> {
    let chosen = args
        .base_url
        .clone()
        .or_else(|| args.env.clone())
        .or_else(|| std::env::var("POCKYT_ENV").ok())
        .unwrap_or_else(|| "sandbox".to_owned());
    let url = match chosen.as_str() {
        "sandbox" => Environment::SANDBOX_URL.to_owned(),
        "production" => {
            return Err("conformance never runs against production: use the sandbox".into());
        }
        other => other.trim_end_matches('/').to_owned(),
    };
    let host = url
        .split("://")
        .nth(1)
        .unwrap_or(&url)
        .split(['/', ':'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if PRODUCTION_HOSTS.contains(&host.as_str()) {
        return Err(format!(
            "{host} is production: conformance never runs there; use the sandbox"
        ));
    }
    Ok(url)
}

fn unix_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// One answer of the script: the envelope as JSON, or why there was none.
type Answer = Result<Value, String>;

/// Each call of the script with its answer.
type Answers = Vec<(&'static Step, Answer)>;

async fn script(client: &Client, reference: &str) -> Answers {
    let mut run = Run {
        reference: reference.to_owned(),
        ..Run::default()
    };
    let mut answers = Vec::new();
    for step in SCRIPT {
        let answer = call(client, step, &run).await;
        if let Ok(envelope) = &answer {
            let number = payload(envelope)
                .and_then(|p| p.get("transactionNo"))
                .and_then(Value::as_str)
                .map(str::to_owned);
            match step.path {
                SecurePayRequest::PATH => run.transaction_no = number,
                InstoreAddRequest::PATH => run.instore_no = number,
                _ => {}
            }
        }
        answers.push((step, answer));
    }
    answers
}

async fn call(client: &Client, step: &Step, run: &Run) -> Answer {
    let pairs = (step.pairs)(run)?;
    let borrowed: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let response = client
        .send_raw(step.path, &borrowed)
        .await
        .map_err(|e| crate::chain(&e))?;
    serde_json::from_slice(response.body())
        .map_err(|_| format!("HTTP {} without a JSON envelope", response.status()))
}

/// The payload object of an envelope: under `result` or another key, or the envelope's own
/// fields for calls that answer at the top level.
fn payload(envelope: &Value) -> Option<&Map<String, Value>> {
    let object = envelope.as_object()?;
    object.values().find_map(Value::as_object).or(Some(object))
}

/// A JSON value's shape, as the comparison reports it.
fn shape(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The differences between the live answer and the simulator's, for one call.
fn differences(live: &Answer, local: &Answer) -> Vec<String> {
    let (live, local) = match (live, local) {
        (Ok(live), Ok(local)) => (live, local),
        (Err(live), Err(local)) if live == local => return Vec::new(),
        (Err(live), Err(local)) => return vec![format!("live: {live}; simulator: {local}")],
        (Err(live), Ok(_)) => return vec![format!("live failed: {live}")],
        (Ok(_), Err(local)) => return vec![format!("simulator failed: {local}")],
    };
    let mut out = Vec::new();
    for key in ["ret_code"] {
        if live[key] != local[key] {
            out.push(format!(
                "{key}: live {}, simulator {}",
                live[key], local[key]
            ));
        }
    }
    let fields = |envelope: &Value| -> BTreeMap<String, Value> {
        let mut fields: BTreeMap<String, Value> = payload(envelope)
            .map(|p| p.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        for key in ["ret_code", "ret_msg", "re_code"] {
            fields.remove(key);
        }
        fields
    };
    let (live, local) = (fields(live), fields(local));
    for (name, value) in &live {
        match local.get(name) {
            None => out.push(format!("`{name}`: live only")),
            Some(other) if shape(value) != shape(other) && !value.is_null() && !other.is_null() => {
                out.push(format!(
                    "`{name}`: live a {}, simulator a {}",
                    shape(value),
                    shape(other)
                ))
            }
            Some(other)
                if ["status", "transactionStatus"].contains(&name.as_str()) && value != other =>
            {
                out.push(format!("`{name}`: live {value}, simulator {other}"))
            }
            Some(_) => {}
        }
    }
    for name in local.keys().filter(|name| !live.contains_key(*name)) {
        out.push(format!("`{name}`: simulator only"));
    }
    out
}

fn report(live: &[(&Step, Answer)], local: &[(&Step, Answer)]) -> Outcome {
    let mut disagreements = 0;
    for ((step, live), (_, local)) in live.iter().zip(local) {
        let differences = differences(live, local);
        if differences.is_empty() {
            say!("{} ({}): agree", step.name, step.path);
        } else {
            disagreements += 1;
            say!(
                "{} ({}): {} difference(s)",
                step.name,
                step.path,
                differences.len()
            );
            for difference in differences {
                say!("  - {difference}");
            }
        }
    }
    if disagreements == 0 {
        say!("the gateway and the simulator agree on every call");
        Outcome::Ok
    } else {
        Outcome::Failed(format!(
            "the gateway and the simulator differ on {disagreements} of {} calls; see above",
            live.len()
        ))
    }
}

/// Each live answer as a response fixture, as the SDK's response-example test reads them
/// (`tests/conformance/responses/`): taken from the cassette, so redacted and exactly as received.
fn save_fixtures(
    dir: &std::path::Path,
    base_url: &str,
    cassette: &pockyt::testing::Cassette,
) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| crate::chain(&e))?;
    for (i, exchange) in cassette.exchanges.iter().enumerate() {
        let Some(json) = &exchange.response.json else {
            continue;
        };
        let quoted = |text: &str| serde_json::to_string(text).map_err(|e| crate::chain(&e));
        let fixture = format!(
            "{{\n  \"url\": {},\n  \"path\": {},\n  \"example\": {}\n}}\n",
            quoted(&format!(
                "live answer of {base_url} (pockyt conformance --live)"
            ))?,
            quoted(&exchange.request.path)?,
            json.get()
        );
        let name = exchange
            .request
            .path
            .trim_start_matches('/')
            .replace(['/', '-'], "_");
        let file = dir.join(format!("live_{:02}_{name}.json", i + 1));
        std::fs::write(&file, fixture).map_err(|e| format!("{}: {e}", file.display()))?;
        say!("fixture: {}", file.display());
    }
    Ok(())
}
