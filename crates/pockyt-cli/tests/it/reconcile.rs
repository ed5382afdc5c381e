//! `pockyt reconcile` on a simulator run that crosses the gateway's midnight (issue 27, item 4):
//! it finds a payment missing from the ledger, a ledger row the gateway does not know and a refund
//! total that differs, and does not report the payment created before midnight and paid after it.

use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use pockyt::types::*;
use pockyt::{Client, Config};
use pockyt_mock::{Merchant, MockGateway, SimClock};

const BIN: &str = env!("CARGO_BIN_EXE_pockyt");

/// 2026-12-06T15:59:00Z: 23:59 on the gateway's clock (UTC+8).
fn a_minute_before_the_gateways_midnight() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_572_740)
}

async fn reconcile(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || {
        Command::new(BIN)
            .arg("reconcile")
            .args(&args)
            .env("POCKYT_MERCHANT_NO", "200043")
            .env("POCKYT_STORE_NO", "300014")
            .env("POCKYT_TOKEN", Merchant::DEMO_TOKEN)
            .env_remove("POCKYT_ENV")
            .output()
            .expect("the binary runs")
    })
    .await
    .expect("the command ends")
}

fn usd(text: &str) -> Amount {
    Amount::parse(text).unwrap()
}

/// Creates and pays a payment of `amount` under `reference`; its transaction number.
async fn paid(client: &Client, gateway: &MockGateway, reference: &str, amount: &str) -> String {
    let order = SecurePayRequest::new(
        usd(amount),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        reference,
        Terminal::Online,
    );
    let number = client
        .secure_pay(&order)
        .await
        .unwrap()
        .transaction_no
        .unwrap();
    gateway.pay(&number).unwrap();
    number
}

/// When the gateway says `reference` was paid, as its own `yyyy-MM-dd HH:mm:ss` (UTC+8): what
/// a merchant's books would hold from the notification.
async fn paid_at(client: &Client, reference: &str) -> String {
    let day = |text: &str| GatewayDate::parse(text).unwrap();
    let list = TransListRequest::new(day("20261206"), day("20261207"));
    let answer = client.trans_list(&list).await.unwrap();
    let found = answer
        .transactions
        .into_iter()
        .find(|t| t.reference.as_deref() == Some(reference))
        .unwrap();
    found.payment_time.unwrap().as_str().to_owned()
}

fn write_ledger(name: &str, rows: &[String]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("pockyt-reconcile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let mut text = "reference,amount,currency,refunded,time\n".to_owned();
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    std::fs::write(&path, text).unwrap();
    path
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test]
async fn a_run_across_the_gateways_midnight_finds_each_planted_difference_and_no_other() {
    let clock = SimClock::frozen_at(a_minute_before_the_gateways_midnight());
    let gateway = MockGateway::builder()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let config = Config::new("200043", "300014", Merchant::DEMO_TOKEN)
        .unwrap()
        .with_base_url(gateway.base_url());
    let client = Client::new(config).unwrap();

    // Created at 23:59 on the 6th, paid at 00:01 on the 7th: trans-list files it under the 6th.
    let order = SecurePayRequest::new(
        usd("10.00"),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        "across-midnight",
        Terminal::Online,
    );
    let late = client
        .secure_pay(&order)
        .await
        .unwrap()
        .transaction_no
        .unwrap();
    clock.advance(Duration::from_secs(120));
    gateway.pay(&late).unwrap();
    // Paid on the 7th, and the books never heard of it.
    paid(&client, &gateway, "not-booked", "20.00").await;
    // Paid on the 7th, 5.00 refunded; the books say 3.00.
    let refunded = paid(&client, &gateway, "refunded", "30.00").await;
    let refund = RefundRequest::new(usd("5.00"), Currency::Usd, SettleCurrency::Usd)
        .transaction_no(refunded)
        .refund_reference("refund-1");
    client.refund(&refund).await.unwrap();

    let late_at = paid_at(&client, "across-midnight").await;
    let refunded_at = paid_at(&client, "refunded").await;
    assert!(late_at.starts_with("2026-12-07 00:01"), "{late_at}");
    let ledger = write_ledger(
        "books.csv",
        &[
            format!("across-midnight,10.00,USD,,{late_at}"),
            format!("refunded,30.00,USD,3.00,{refunded_at}"),
            // Booked at 09:00 on the 7th (01:00 UTC), unknown to the gateway.
            "ghost,7.50,USD,,2026-12-07T01:00:00Z".to_owned(),
        ],
    );

    let output = reconcile(vec![
        "--ledger".into(),
        ledger.display().to_string(),
        "--from".into(),
        "2026-12-07".into(),
        "--to".into(),
        "20261207".into(),
        "--base-url".into(),
        gateway.base_url(),
    ])
    .await;
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    let differences: Vec<&str> = stdout
        .lines()
        .filter(|l| !l.contains("difference"))
        .collect();
    assert_eq!(differences.len(), 3, "{stdout}");
    assert!(
        differences[0].starts_with("missing in the ledger: not-booked (transaction "),
        "{stdout}"
    );
    assert!(
        differences[0].ends_with("20.00 USD, success, at 2026-12-07 00:01:00 UTC+8)"),
        "{stdout}"
    );
    assert_eq!(
        differences[1],
        "refund total differs: refunded: ledger 3.00, gateway 5.00"
    );
    assert_eq!(
        differences[2],
        "missing at the gateway: ghost (7.50 USD, at 2026-12-07T01:00:00Z)"
    );
    assert!(!stdout.contains("across-midnight"), "{stdout}");
    assert!(
        stdout.contains("3 differences from 20261207 to 20261207"),
        "{stdout}"
    );
    // The progress line, on stderr: trans-list asked for the 6th to the 8th (a day of margin).
    assert!(
        stderr.contains("reconcile: trans-list 3/3 days, 1 call, 3 records"),
        "{stderr}"
    );
    assert!(
        stderr.contains("reconcile: settle-list 1/1 days"),
        "{stderr}"
    );
    assert!(stderr.ends_with("pockyt: 3 differences\n"), "{stderr}");

    // A day later the 7th has settled. With the books put right, the run over the 6th to the 8th
    // is clean, and shows the settlement of the 7th's payments, less the simulator's fees.
    clock.advance(Duration::from_secs(86_400));
    let not_booked_at = paid_at(&client, "not-booked").await;
    let corrected = write_ledger(
        "corrected.csv",
        &[
            format!("across-midnight,10.00,USD,,{late_at}"),
            format!("not-booked,20.00,USD,,{not_booked_at}"),
            format!("refunded,30.00,USD,5.00,{refunded_at}"),
        ],
    );
    let output = reconcile(vec![
        "--ledger".into(),
        corrected.display().to_string(),
        "--from".into(),
        "20261206".into(),
        "--to".into(),
        "20261208".into(),
        "--base-url".into(),
        gateway.base_url(),
    ])
    .await;
    let stdout = text(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout}\n{}",
        text(&output.stderr)
    );
    assert!(
        stdout.starts_with("0 differences from 20261206 to 20261208"),
        "{stdout}"
    );
    // 60.00 paid on the 7th; fees 0.29 + 0.58 + 0.87 = 1.74; the 5.00 refund of the 7th as well.
    assert!(
        stdout.contains("settled: 20261208 53.26 USD (fee 1.74)"),
        "{stdout}"
    );
    gateway.shutdown().await;
}

#[tokio::test]
async fn bad_input_is_one_line_and_exit_2_before_any_call() {
    let ledger = write_ledger("bad.csv", &["x,ten,USD,,2026-12-07T01:00:00Z".to_owned()]);
    let cases = [
        (
            vec!["--from", "20261208", "--to", "20261207"],
            "the window ends on 20261207, before it starts on 20261208",
        ),
        (
            vec!["--from", "2026-13-01", "--to", "20261207"],
            "--from: `2026-13-01` is not a date",
        ),
        (
            vec!["--from", "20261207", "--to", "20261207"],
            "line 2: `amount` is not an amount",
        ),
    ];
    for (args, expected) in cases {
        let mut all: Vec<String> = vec!["--ledger".into(), ledger.display().to_string()];
        all.extend(args.iter().map(|a| (*a).to_owned()));
        // Nothing listens here: a call would fail differently.
        all.extend(["--base-url".to_owned(), "http://127.0.0.1:9".to_owned()]);
        let output = reconcile(all).await;
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
}
