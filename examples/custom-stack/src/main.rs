//! A checkout over `ureq` against `pockyt mock` (or the sandbox):
//!
//! ```text
//! pockyt mock --addr 127.0.0.1:8080 &
//! cargo run -p pockyt-custom-stack -- http://127.0.0.1:8080
//! ```
//! Uses the simulator's demo merchant unless `POCKYT_MERCHANT_NO`, `POCKYT_STORE_NO` and
//! `POCKYT_TOKEN` are set.

use std::process::ExitCode;

use pockyt_custom_stack::Gateway;
use pockyt_types::*;

fn main() -> ExitCode {
    let Some(base_url) = std::env::args().nth(1) else {
        eprintln!("usage: pockyt-custom-stack BASE_URL   (e.g. http://127.0.0.1:8080)");
        return ExitCode::from(2);
    };
    let var = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.into());
    let identity = Identity::new(
        var("POCKYT_MERCHANT_NO", "200043"),
        var("POCKYT_STORE_NO", "300014"),
    );
    let token = var("POCKYT_TOKEN", "5cbfb079f15b150122261c8537086d77a");
    let gateway = Gateway::new(base_url, identity, &token);
    match checkout(&gateway) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // Each layer's message is its own part (the workspace's error rule): print them all.
            let mut text = error.to_string();
            let mut cause = error.source();
            while let Some(inner) = cause {
                text.push_str(&format!(": {inner}"));
                cause = inner.source();
            }
            eprintln!("custom-stack: {text}");
            ExitCode::FAILURE
        }
    }
}

fn checkout(gateway: &Gateway) -> Result<(), pockyt_custom_stack::Error> {
    let reference = format!("custom-{}", std::process::id());
    let request = SecurePayRequest::new(
        Amount::parse("12.50")?,
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        reference.as_str(),
        Terminal::Online,
    )
    .callback_url("https://merchant.example.com/return");
    let payment = gateway.call(&request)?;
    let number = payment.transaction_no.unwrap_or_default();
    println!("secure-pay: transaction {number}");
    gateway.pay_on_cashier(&payment.cashier_url.unwrap_or_default())?;
    let found = gateway.call(&TranQueryRequest::new().transaction_no(number.as_str()))?;
    println!("tran-query: {:?}", found.status);
    let refund = RefundRequest::new(Amount::parse("5.00")?, Currency::Usd, SettleCurrency::Usd)
        .transaction_no(number.as_str());
    let refunded = gateway.call(&refund)?;
    println!("refund: {:?} refunded", refunded.refund_amount);
    Ok(())
}
