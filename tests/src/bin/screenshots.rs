//! Takes the workbench screenshots shown in `crates/pockyt-mock/guide/testing.md`: `cargo xtask screenshots` runs
//! this (`cargo run -p pockyt-e2e --features browser --bin screenshots -- <dir>`).
//!
//! It plays a short session against the simulator (a refunded payment, an unpaid one, and one
//! waiting in the cashier) and photographs the dashboard, a payment's page and the cashier in
//! Debian's headless chromium, writing `dashboard.png`, `payment.png` and `cashier.png` to `<dir>`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use fantoccini::Locator;
use pockyt::types::*;
use pockyt_e2e::browser::Browser;
use pockyt_e2e::{PATIENCE, World};
use pockyt_mock::{MockGateway, Until};

#[tokio::main]
async fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: screenshots <directory for the PNG files>");
        return ExitCode::from(2);
    };
    match run(&dir).await {
        Ok(written) => {
            for file in written {
                println!("wrote {}", file.display());
            }
            ExitCode::SUCCESS
        }
        Err(why) => {
            eprintln!("screenshots: {why}");
            ExitCode::FAILURE
        }
    }
}

async fn run(dir: &Path) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let world = World::start_with(MockGateway::builder().workbench_actions(true)).await;
    let base = world.gateway.base_url();
    let pay = |amount: &str, reference: &str| {
        world
            .payment(amount, reference)
            .callback_url(format!("{base}/payments/{{transactionNo}}"))
    };

    // A paid payment with a part refund and its notification.
    let paid = create(&world, pay("24.00", "order-1041").description("Two mugs")).await?;
    world.gateway.pay(&paid).map_err(|e| e.to_string())?;
    world
        .gateway
        .ipn()
        .wait(Until::Acknowledged(&paid), PATIENCE)
        .await
        .map_err(|e| e.to_string())?;
    world
        .client
        .refund(
            &RefundRequest::new(
                Amount::parse("4.00").map_err(|e| e.to_string())?,
                Currency::Usd,
                SettleCurrency::Usd,
            )
            .transaction_no(paid.as_str()),
        )
        .await
        .map_err(|e| e.to_string())?;
    // One left unpaid, and one the shopper is looking at.
    create(&world, pay("9.90", "order-1042")).await?;
    let open = create(
        &world,
        pay("31.50", "order-1043")
            .description("Tea for the office")
            .goods_info(r#"[{"goods_name":"Green tea, 100 g","quantity":"3"},{"goods_name":"Teapot","quantity":"1"}]"#),
    )
    .await?;

    let browser = Browser::start(1000, 760).await;
    let web = &browser.client;
    let mut written = Vec::new();
    for (file, url) in [
        ("dashboard.png", format!("{base}/")),
        ("payment.png", format!("{base}/payments/{paid}")),
        ("cashier.png", format!("{base}/cashier/{open}")),
    ] {
        web.goto(&url).await.map_err(|e| format!("{url}: {e}"))?;
        web.find(Locator::Css("h1"))
            .await
            .map_err(|e| format!("{url} has no heading: {e}"))?;
        let png = web.screenshot().await.map_err(|e| e.to_string())?;
        let path = dir.join(file);
        std::fs::write(&path, png).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    browser.close().await;
    Ok(written)
}

async fn create(world: &World, request: SecurePayRequest) -> Result<String, String> {
    let created = world
        .client
        .secure_pay(&request)
        .await
        .map_err(|e| e.to_string())?;
    created
        .transaction_no
        .ok_or_else(|| "the simulator returned no transactionNo".to_owned())
}
