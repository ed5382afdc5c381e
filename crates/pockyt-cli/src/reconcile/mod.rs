//! `pockyt reconcile --ledger FILE.csv --from DATE --to DATE`: the gateway's transaction and
//! settlement lists against the merchant's books; each difference on a line, exit 0 only if none.

mod ledger_csv;

use clap::Args as ClapArgs;
use pockyt::reconcile::{Progress, Report, Window};
use pockyt::types::{GatewayDate, Settlement};

use crate::Outcome;

/// Arguments of `pockyt reconcile`.
#[derive(Debug, ClapArgs)]
#[command(
    after_help = "The ledger is a CSV file whose first line names its columns: reference, amount, \
                  currency, time (required) and status, refunded, transaction_no (optional), in \
                  any order. `time` is when your books file the payment: RFC 3339 \
                  (2026-12-07T01:00:00Z) or the gateway's own `yyyy-MM-dd HH:mm:ss`, which is \
                  UTC+8. Days are the gateway's (UTC+8). Credentials come from POCKYT_MERCHANT_NO, \
                  POCKYT_STORE_NO and POCKYT_TOKEN.\n\nExit: 0 the books agree; 1 differences \
                  (one per line on stdout); 2 bad input or a failed call."
)]
pub(crate) struct Args {
    /// The merchant's records, a CSV file (see below).
    #[arg(long, value_name = "FILE.csv")]
    ledger: std::path::PathBuf,
    /// The first gateway day, `YYYYMMDD` or `YYYY-MM-DD`.
    #[arg(long, value_name = "DATE")]
    from: String,
    /// The last gateway day (included), `YYYYMMDD` or `YYYY-MM-DD`.
    #[arg(long, value_name = "DATE")]
    to: String,
    /// Days per list call (the official JS SDK allows at most 15).
    #[arg(long, default_value_t = Window::DEFAULT_DAYS_PER_CALL, value_name = "N")]
    days_per_call: u32,
    /// The gateway's base URL, e.g. the simulator's `http://127.0.0.1:PORT` (default: POCKYT_ENV,
    /// else the sandbox).
    #[arg(long)]
    base_url: Option<String>,
}

pub(crate) async fn run(args: &Args) -> Outcome {
    let (window, records) = match inputs(args) {
        Ok(inputs) => inputs,
        Err(reason) => return Outcome::BadInput(reason),
    };
    let client = match crate::call::client(args.base_url.as_deref()) {
        Ok(client) => client,
        Err(reason) => return Outcome::BadInput(reason),
    };
    let report = match client.reconcile(&window, records, tell).await {
        Ok(report) => report,
        Err(e) => return Outcome::BadInput(crate::chain(&e)),
    };
    for difference in &report.differences {
        say!("{difference}");
    }
    say!("{}", summary(&report));
    match report.differences.len() {
        0 => Outcome::Ok,
        1 => Outcome::Failed("1 difference".into()),
        n => Outcome::Failed(format!("{n} differences")),
    }
}

fn inputs(args: &Args) -> Result<(Window, Vec<pockyt::reconcile::LedgerRecord>), String> {
    let day = |flag: &str, text: &str| {
        GatewayDate::parse_lenient(text).map_err(|e| format!("--{flag}: {e}"))
    };
    let window = Window::days(day("from", &args.from)?, day("to", &args.to)?)
        .map_err(|e| crate::chain(&e))?
        .days_per_call(args.days_per_call);
    let text = std::fs::read_to_string(&args.ledger).map_err(|e| {
        format!(
            "cannot read {}: {}",
            args.ledger.display(),
            crate::chain(&e)
        )
    })?;
    let records =
        ledger_csv::parse(&text).map_err(|e| format!("{}: {e}", args.ledger.display()))?;
    Ok((window, records))
}

/// The progress line, on stderr so stdout stays the differences alone.
fn tell(progress: &Progress) {
    warn!(
        "reconcile: {} {}/{} days, {} call{}, {} record{}",
        progress.list,
        progress.days_done,
        progress.days_total,
        progress.calls,
        plural(progress.calls as usize),
        progress.records,
        plural(progress.records),
    );
}

fn summary(report: &Report) -> String {
    let window = &report.window;
    let mut line = format!(
        "{} difference{} from {} to {} (gateway days, UTC+8): {} gateway record{}, {} ledger row{}, {} call{}",
        report.differences.len(),
        plural(report.differences.len()),
        window.from(),
        window.to(),
        report.transactions,
        plural(report.transactions),
        report.records,
        plural(report.records),
        report.calls,
        plural(report.calls as usize),
    );
    for settlement in &report.settlements {
        line.push_str(&format!("\nsettled: {}", settled(settlement)));
    }
    line
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// A settlement as one line: its date, net amount and currency, and its fee when it shows one.
fn settled(s: &Settlement) -> String {
    let mut line = format!(
        "{} {} {}",
        s.date.as_deref().unwrap_or("?"),
        s.amount
            .as_ref()
            .map_or_else(|| "?".to_owned(), ToString::to_string),
        s.currency.as_ref().map_or("", |c| c.as_str()),
    );
    if let Some(fee) = &s.fee {
        line.push_str(&format!(" (fee {fee})"));
    }
    line
}
