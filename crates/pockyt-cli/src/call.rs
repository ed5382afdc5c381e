//! `pockyt call PATH name=value…`: any endpoint, signed, with the response printed as JSON.

use clap::Args as ClapArgs;
use pockyt::types::RawEnvelope;
use pockyt::{Client, Config, Environment};

use crate::Outcome;
use crate::input::StringParams;

/// Arguments of `pockyt call`.
#[derive(Debug, ClapArgs)]
pub(crate) struct Args {
    /// The endpoint path, e.g. `/app-data-search/v3/tran-query`.
    path: String,
    /// Parameters as `name=value` (identity and verifySign are added).
    params: Vec<String>,
    /// Parameters as a JSON object of strings, merged with the `name=value` ones.
    #[arg(long)]
    body: Option<String>,
    /// The gateway's base URL, e.g. the simulator's `http://127.0.0.1:PORT` (default: POCKYT_ENV,
    /// else the sandbox).
    #[arg(long)]
    base_url: Option<String>,
}

pub(crate) async fn run(args: &Args) -> Outcome {
    let params = match collect(args) {
        Ok(params) => params,
        Err(reason) => return Outcome::BadInput(reason),
    };
    let client = match client(args.base_url.as_deref()) {
        Ok(client) => client,
        Err(reason) => return Outcome::BadInput(reason),
    };
    let pairs: Vec<(&str, &str)> = params
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let response = match client.send_raw(&args.path, &pairs).await {
        Ok(response) => response,
        Err(e) => return Outcome::BadInput(crate::chain(&e)),
    };
    print_body(response.body());
    match RawEnvelope::parse(response.body()).map(|env| env.ret_code()) {
        Ok(Ok(code)) if code.is_success() => Outcome::Ok,
        Ok(Ok(code)) => {
            Outcome::Failed(format!("the gateway answered {code} ({})", code.meaning()))
        }
        _ => Outcome::Failed(format!(
            "the gateway answered HTTP {} without a ret_code{}",
            response.status(),
            retry_hint(pockyt::retry_after(&response))
        )),
    }
}

/// A client from the environment's credentials, aimed at `base_url` when one is given.
pub(crate) fn client(base_url: Option<&str>) -> Result<Client, String> {
    // With --base-url, POCKYT_ENV is not consulted (a stale value must not break the call).
    let lookup = |name: &str| {
        if name == "POCKYT_ENV" && base_url.is_some() {
            None
        } else {
            std::env::var(name).ok()
        }
    };
    let config = Config::from_lookup(lookup).map_err(|e| crate::chain(&e))?;
    let config = match base_url {
        Some(url) => config.with_environment(Environment::Custom(url.to_owned())),
        None => config,
    };
    Client::new(config).map_err(|e| crate::chain(&e))
}

/// When a 429 or 503 said to come back (`Retry-After`), in whole seconds rounded up, as the
/// library's `Error::HttpStatus` says it: the client already gave up because the wait did not
/// fit in the call's deadline, so the script is told when to try again.
fn retry_hint(wait: Option<std::time::Duration>) -> String {
    match wait {
        Some(wait) => format!(
            "; it asks to retry after {} s",
            wait.as_secs()
                .saturating_add(u64::from(wait.subsec_nanos() > 0))
        ),
        None => String::new(),
    }
}

fn collect(args: &Args) -> Result<Vec<(String, String)>, String> {
    let mut params = match &args.body {
        Some(body) => StringParams::parse(body.as_bytes())?.0,
        None => Vec::new(),
    };
    for param in &args.params {
        let (name, value) = param
            .split_once('=')
            .ok_or_else(|| format!("`{param}` is not name=value"))?;
        if name.is_empty() {
            return Err(format!("`{param}` has an empty name"));
        }
        if params.iter().any(|(n, _)| n == name) {
            return Err(format!("`{name}` is given more than once"));
        }
        params.push((name.to_owned(), value.to_owned()));
    }
    Ok(params)
}

fn print_body(body: &[u8]) {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(json) => say!(
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        ),
        Err(_) => say!("{}", String::from_utf8_lossy(body)),
    }
}
