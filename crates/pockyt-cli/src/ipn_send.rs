//! `pockyt ipn send`: post a signed notification to a merchant's handler, as the gateway would.

use std::time::Duration;

use bytes::Bytes;
use clap::{Args as ClapArgs, Subcommand};
use pockyt::SigningKey;
use pockyt::ipn::testing::TestIpn;
use pockyt::types::{Amount, TransactionStatus};
use pockyt_transport::{HyperTransport, Transport};

use crate::Outcome;

/// `pockyt ipn …`.
#[derive(Debug, Subcommand)]
pub(crate) enum IpnCommand {
    /// Posts a signed payment notification to a handler and says whether it answered `success`.
    Send(SendArgs),
}

/// Arguments of `pockyt ipn send`.
#[derive(Debug, ClapArgs)]
pub(crate) struct SendArgs {
    /// The handler's URL, e.g. `http://127.0.0.1:8787/pockyt/ipn`.
    #[arg(long)]
    to: String,
    /// The API token the handler verifies with (never printed).
    #[arg(long, env = "POCKYT_TOKEN", hide_env_values = true)]
    token: String,
    /// The payment status to announce.
    #[arg(long, default_value = "success")]
    status: String,
    /// The merchant's order reference.
    #[arg(long, default_value = "cli-order-1")]
    reference: String,
    /// The amount, a decimal.
    #[arg(long, default_value = "1.00")]
    amount: String,
    /// Sends a signature that does not match: the handler must refuse it.
    #[arg(long)]
    tamper: bool,
}

pub(crate) async fn run(command: &IpnCommand) -> Outcome {
    match command {
        IpnCommand::Send(args) => send(args).await,
    }
}

async fn send(args: &SendArgs) -> Outcome {
    let amount = match Amount::parse(&args.amount) {
        Ok(amount) => amount,
        Err(e) => return Outcome::BadInput(format!("--amount: {}", crate::chain(&e))),
    };
    if args.token.is_empty() {
        return Outcome::BadInput("--token is empty".into());
    }
    let key = SigningKey::from_token(&args.token);
    let status = TransactionStatus::from(args.status.as_str());
    let ipn = TestIpn::payment(status, &args.reference, &amount);
    let body = if args.tamper {
        ipn.tampered_form(&key)
    } else {
        ipn.form(&key)
    };
    let request = match http::Request::post(args.to.as_str())
        .header(
            http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(Bytes::from(body))
    {
        Ok(request) => request,
        Err(e) => return Outcome::BadInput(format!("--to `{}` is not a URL: {e}", args.to)),
    };
    let transport = match HyperTransport::builder()
        .connect_timeout(Duration::from_secs(5))
        .build()
    {
        Ok(transport) => transport,
        Err(e) => {
            return Outcome::BadInput(format!(
                "cannot create the HTTP client: {}",
                crate::chain(&e)
            ));
        }
    };
    let response =
        match tokio::time::timeout(Duration::from_secs(30), transport.send(request)).await {
            Ok(Ok(response)) => response,
            Ok(Err(e)) => {
                return Outcome::Failed(format!(
                    "the handler could not be reached: {}",
                    crate::chain(&e)
                ));
            }
            Err(_) => return Outcome::Failed("the handler did not answer within 30 s".into()),
        };
    let answer = String::from_utf8_lossy(response.body());
    let acknowledged = response.status().is_success() && response.body().as_ref() == b"success";
    say!(
        "{} notification ({}) to {}: HTTP {}, {:?}",
        if args.tamper { "forged" } else { "signed" },
        args.status,
        args.to,
        response.status().as_u16(),
        answer.chars().take(80).collect::<String>()
    );
    match (args.tamper, acknowledged) {
        (false, true) => {
            say!("acknowledged: the handler answered `success`");
            Outcome::Ok
        }
        (false, false) => Outcome::Failed(
            "the handler did not answer `success`: the gateway would send it again".into(),
        ),
        (true, false) => {
            say!("refused: the handler did not accept the forged notification");
            Outcome::Ok
        }
        (true, true) => Outcome::Failed(
            "the handler answered `success` to a forged notification: verify before acknowledging"
                .into(),
        ),
    }
}
