//! `pockyt mock`: the gateway simulator as a standalone server.

use std::net::SocketAddr;
use std::time::{Duration, SystemTime};

use clap::Args as ClapArgs;
use pockyt_mock::{Fault, FaultKind, Merchant, MockGateway, SimClock};

use crate::Outcome;

/// Arguments of `pockyt mock`.
#[derive(Debug, ClapArgs)]
pub(crate) struct Args {
    /// Where to listen.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The merchant number to accept (with --store-no and --token; default: the demo merchant).
    #[arg(long, requires_all = ["store_no", "token"])]
    merchant_no: Option<String>,
    /// The store number to accept.
    #[arg(long, requires_all = ["merchant_no", "token"])]
    store_no: Option<String>,
    /// The token that merchant signs with.
    #[arg(long, requires_all = ["merchant_no", "store_no"], hide_env_values = true)]
    token: Option<String>,
    /// Another merchant to accept, as MERCHANT_NO:STORE_NO:TOKEN. Repeatable.
    #[arg(long = "merchant", value_name = "MERCHANT_NO:STORE_NO:TOKEN")]
    merchants: Vec<String>,
    /// A fault, as PATH=KIND[@WHEN] with KIND one of latency:MS, status:CODE[:RETRY_AFTER], drop,
    /// truncate, html, oversize:BYTES, slow:MS, lose, late:MS (PATH `*` for every path), and WHEN
    /// `once`, N (the first N requests) or 1/N (one request in N); without WHEN, every request.
    /// Repeatable; the banner lists the active faults.
    #[arg(long = "fault", value_name = "PATH=KIND")]
    faults: Vec<String>,
    /// How many milliseconds one minute of a payment's `timeout` lasts. An open payment closes,
    /// and its IPN is sent, when its timeout elapses; shorten the minute to see that happen.
    #[arg(long, value_name = "MS", default_value_t = 60_000,
          value_parser = clap::value_parser!(u64).range(1..))]
    payment_minute: u64,
    /// Starts the simulator's clock at this instant instead of now, as RFC 3339 in UTC (e.g.
    /// 2026-12-06T15:59:00Z, 23:59 on the gateway's UTC+8 clock); it runs on at the real rate.
    /// Payment, refund and IPN times, trans-list's days and settlements read it.
    #[arg(long, value_name = "RFC3339-UTC", value_parser = StartTime::parse)]
    start_time: Option<StartTime>,
    /// How many of the gateway's days after a payment's (or refund's) day settle-list settles it
    /// (default 1). The simulator's terms: Pockyt documents none.
    #[arg(long, value_name = "N")]
    settle_after_days: Option<u32>,
    /// The fee settle-list keeps of each payment, in basis points, rounded half up to the minor unit
    /// (default 290, 2.90 %). The simulator's terms, not Pockyt's pricing.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=10_000))]
    fee_basis_points: Option<u32>,
}

pub(crate) async fn run(args: &Args) -> Outcome {
    let merchant = match (&args.merchant_no, &args.store_no, &args.token) {
        (Some(m), Some(s), Some(t)) => Merchant::new(m.clone(), s.clone(), t),
        _ => Merchant::demo(),
    };
    let mut builder = MockGateway::builder()
        .bind(args.addr)
        .merchant(merchant.clone())
        .payment_minute(Duration::from_millis(args.payment_minute))
        // A developer's simulator: the dashboard's payment pages may act.
        .workbench_actions(true);
    let mut terms = Vec::new();
    if let Some(start) = &args.start_time {
        builder = builder.clock(SimClock::starting_at(start.at));
    }
    if let Some(days) = args.settle_after_days {
        builder = builder.settle_after_days(days);
        terms.push(format!(
            "settlement {days} day(s) after the payment's day (UTC+8)"
        ));
    }
    if let Some(basis_points) = args.fee_basis_points {
        builder = builder.fee_basis_points(basis_points);
        terms.push(format!(
            "fee        {basis_points} basis points of each payment"
        ));
    }
    let mut extra = Vec::new();
    for spec in &args.merchants {
        match parse_merchant(spec) {
            Ok(other) => {
                extra.push(format!(
                    "merchantNo {}  storeNo {}",
                    other.merchant_no(),
                    other.store_no()
                ));
                builder = builder.merchant(other);
            }
            Err(reason) => return Outcome::BadInput(reason),
        }
    }
    let mut faults = Vec::new();
    for spec in &args.faults {
        match parse_fault(spec) {
            Ok((path, fault, when)) => {
                faults.push(format!(
                    "fault      {path}: {spec_kind} ({when})",
                    spec_kind = fault_kind(spec)
                ));
                builder = builder.fault(path, fault);
            }
            Err(reason) => return Outcome::BadInput(reason),
        }
    }
    let gateway = match builder.start().await {
        Ok(gateway) => gateway,
        Err(e) => return Outcome::BadInput(crate::chain(&e)),
    };
    say!("pockyt mock: listening at {}", gateway.base_url());
    say!(
        "  merchantNo {}  storeNo {}",
        merchant.merchant_no(),
        merchant.store_no()
    );
    for line in &extra {
        say!("  {line}");
    }
    for line in &faults {
        say!("  {line}");
    }
    if args.payment_minute != 60_000 {
        say!(
            "  a payment's timeout minute lasts {} ms",
            args.payment_minute
        );
    }
    if let Some(start) = &args.start_time {
        say!(
            "  clock      started at {} (the gateway's clock is UTC+8)",
            start.text
        );
    }
    for line in &terms {
        say!("  {line}");
    }
    if args.token.is_none() {
        say!(
            "  token      {} (the public demo token)",
            Merchant::DEMO_TOKEN
        );
    }
    say!(
        "  try: POCKYT_MERCHANT_NO={} POCKYT_STORE_NO={} POCKYT_TOKEN=… pockyt call --base-url {} /app-data-search/v3/tran-query reference=x",
        merchant.merchant_no(),
        merchant.store_no(),
        gateway.base_url()
    );
    say!("Ctrl-C stops it.");
    match tokio::signal::ctrl_c().await {
        Ok(()) => {
            gateway.shutdown().await;
            Outcome::Ok
        }
        Err(e) => Outcome::BadInput(format!("cannot wait for Ctrl-C: {}", crate::chain(&e))),
    }
}

/// `MERCHANT_NO:STORE_NO:TOKEN` (the token may itself contain `:`).
pub(crate) fn parse_merchant(spec: &str) -> Result<Merchant, String> {
    let mut parts = spec.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(m), Some(s), Some(t)) if !m.is_empty() && !s.is_empty() && !t.is_empty() => {
            Ok(Merchant::new(m, s, t))
        }
        // Not echoed: the value may hold a token.
        _ => Err("a --merchant value is not MERCHANT_NO:STORE_NO:TOKEN".to_owned()),
    }
}

/// `PATH=KIND[@WHEN]`, e.g. `/app-data-search/v3/tran-query=status:503@once`; KIND in
/// `FaultKind`'s grammar, WHEN `once`, `N` (the first N requests) or `1/N` (one in N). The fault,
/// and when it fires in words, for the banner.
pub(crate) fn parse_fault(spec: &str) -> Result<(String, Fault, String), String> {
    let (path, rest) = spec
        .rsplit_once('=')
        .ok_or_else(|| format!("fault `{spec}` is not PATH=KIND"))?;
    if path.is_empty() {
        return Err(format!("fault `{spec}` has no path"));
    }
    let (kind, when) = match rest.rsplit_once('@') {
        Some((kind, when)) => (kind, Some(when)),
        None => (rest, None),
    };
    let kind: FaultKind = kind
        .parse()
        .map_err(|why| format!("fault `{spec}`: {why}"))?;
    let count = |text: &str| {
        text.parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("fault `{spec}`: `{text}` is not a count of 1 or more"))
    };
    let (fault, words) = match when {
        None => (Fault::always(kind), "every request".to_owned()),
        Some("once") => (Fault::times(kind, 1), "the next request only".to_owned()),
        Some(when) => match when.strip_prefix("1/") {
            Some(n) => {
                let n = count(n)?;
                (Fault::one_in(kind, n), format!("one request in {n}"))
            }
            None => {
                let n = count(when)?;
                (Fault::times(kind, n), format!("the next {n} requests"))
            }
        },
    };
    Ok((path.to_owned(), fault, words))
}

/// The instant `--start-time` names, and its text for the banner.
#[derive(Debug, Clone)]
pub(crate) struct StartTime {
    at: SystemTime,
    text: String,
}

impl StartTime {
    /// `YYYY-MM-DDTHH:MM:SSZ`, RFC 3339 in UTC to the second, from 1970 to 9998; anything else (an
    /// offset, a fraction, a lowercase `t`) is refused, so a typo cannot start the clock hours
    /// off.
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        parse_utc(text).map(|at| Self {
            at,
            text: text.to_owned(),
        })
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` as an instant, read by the SDK's own `UtcTimestamp` (one calendar for
/// the whole house). From 1970 (a `SystemTime` before the epoch is awkward for no gain) to 9998,
/// so the gateway's UTC+8 day still has a four-digit year.
fn parse_utc(text: &str) -> Result<SystemTime, String> {
    // clap names the value refused; this says what it wanted.
    let wanted = || {
        "expected a real RFC 3339 UTC time from 1970 to 9998, such as 2026-12-06T15:59:00Z"
            .to_owned()
    };
    if !text.ends_with('Z') {
        return Err(wanted());
    }
    let instant = pockyt::types::UtcTimestamp::parse(text)
        .map_err(|_| wanted())?
        .instant();
    if instant.year() > 9998 {
        return Err(wanted());
    }
    let seconds = u64::try_from(instant.unix_timestamp()).map_err(|_| wanted())?;
    Ok(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds))
}

/// The KIND part of a `--fault` spec, as given.
fn fault_kind(spec: &str) -> &str {
    let rest = spec.rsplit_once('=').map_or(spec, |(_, rest)| rest);
    rest.rsplit_once('@').map_or(rest, |(kind, _)| kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_merchant_specs() {
        let m = parse_merchant("1001:2001:tok:en").unwrap();
        assert_eq!((m.merchant_no(), m.store_no()), ("1001", "2001"));
        assert!(parse_merchant("1001:2001").is_err());
        assert!(parse_merchant("1001::t").is_err());
        // The token is never echoed in the error.
        assert!(
            !parse_merchant("1001:secret-token")
                .unwrap_err()
                .contains("secret-token")
        );
    }

    #[test]
    fn a_start_time_is_rfc_3339_in_utc_to_the_second() {
        let at = |text: &str| {
            StartTime::parse(text).map(|s| {
                s.at.duration_since(SystemTime::UNIX_EPOCH)
                    .unwrap()
                    .as_secs()
            })
        };
        assert_eq!(at("2026-12-06T15:59:00Z"), Ok(1_796_572_740));
        assert_eq!(at("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(at("2024-02-29T23:59:59Z"), Ok(1_709_251_199));
        assert_eq!(at("2024-03-01T00:00:00Z"), Ok(1_709_251_200));
        assert_eq!(at("9998-12-31T23:59:59Z"), Ok(253_370_764_799));
        for bad in [
            "2026-12-06T15:59:00+08:00",
            "2026-12-06T15:59:00.5Z",
            "2026-12-06t15:59:00z",
            "2026-12-06 15:59:00Z",
            "2026-12-06T15:59Z",
            "2023-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-00-10T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-12-06T24:00:00Z",
            "2026-12-06T23:60:00Z",
            "2026-12-06T23:59:60Z",
            "1969-12-31T23:59:59Z",
            "9999-01-01T00:00:00Z",
            "2026-12-06T15:59:00+00:00",
            "２026-12-06T15:59:00Z",
            "",
            "tomorrow",
        ] {
            assert!(StartTime::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn parses_fault_specs() {
        let (path, fault, _) = parse_fault("/app-data-search/v3/tran-query=status:503").unwrap();
        assert_eq!(path, "/app-data-search/v3/tran-query");
        assert_eq!(fault, Fault::always(FaultKind::Status(503)));
        let (_, fault, _) = parse_fault("/x=status:503:120").unwrap();
        assert_eq!(
            fault,
            Fault::always(FaultKind::StatusRetryAfter(503, "120".into()))
        );
        let (_, fault, _) = parse_fault("/x=status:429:Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        assert_eq!(
            fault,
            Fault::always(FaultKind::StatusRetryAfter(
                429,
                "Wed, 21 Oct 2015 07:28:00 GMT".into()
            ))
        );
        assert!(parse_fault("/x=status:503:").is_err());
        assert!(parse_fault("*=latency:20").is_ok());
        assert!(parse_fault("x=status:99").is_err());
        assert!(parse_fault("x=nap").is_err());
        assert!(parse_fault("no-equals").is_err());
        assert!(parse_fault("=drop").is_err());
    }

    #[test]
    fn a_fault_fires_once_the_first_n_times_or_one_in_n() {
        let kind = FaultKind::Status(503);
        let (_, fault, when) = parse_fault("/x=status:503@once").unwrap();
        assert_eq!(
            (fault, when.as_str()),
            (Fault::times(kind.clone(), 1), "the next request only")
        );
        let (_, fault, when) = parse_fault("/x=status:503@3").unwrap();
        assert_eq!(
            (fault, when.as_str()),
            (Fault::times(kind.clone(), 3), "the next 3 requests")
        );
        let (_, fault, when) = parse_fault("/x=status:503@1/4").unwrap();
        assert_eq!(
            (fault, when.as_str()),
            (Fault::one_in(kind.clone(), 4), "one request in 4")
        );
        let (_, fault, when) = parse_fault("/x=status:503").unwrap();
        assert_eq!(
            (fault, when.as_str()),
            (Fault::always(kind), "every request")
        );
        for bad in [
            "/x=status:503@0",
            "/x=status:503@1/0",
            "/x=status:503@twice",
            "/x=status:503@",
        ] {
            assert!(parse_fault(bad).is_err(), "{bad}");
        }
    }
}
