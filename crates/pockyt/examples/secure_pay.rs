//! Create a hosted-checkout payment and print the cashier URL.
//!
//! ```sh
//! POCKYT_MERCHANT_NO=… POCKYT_STORE_NO=… POCKYT_TOKEN=… cargo run -p pockyt --example secure_pay
//! ```
//! Set `POCKYT_ENV` to a base URL (e.g. the simulator's `http://127.0.0.1:PORT`) to aim elsewhere.

use pockyt::types::{Amount, Currency, SecurePayRequest, SettleCurrency, Terminal, Vendor};
use pockyt::{Client, Config};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::new(Config::from_env()?)?;
    let reference = format!("example-{}", std::process::id());
    let request = SecurePayRequest::new(
        Amount::parse("12.50")?,
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        reference.as_str(),
        Terminal::Online,
    )
    .ipn_url("https://merchant.example.com/pockyt/ipn")
    .callback_url("https://merchant.example.com/return?status={status}&reference={reference}")
    .description("Example order")
    .timeout(30);
    match client.secure_pay(&request).await {
        Ok(payment) => {
            println!(
                "transactionNo: {}",
                payment.transaction_no.unwrap_or_default()
            );
            println!(
                "send the shopper to: {}",
                payment.cashier_url.unwrap_or_default()
            );
        }
        Err(error) if error.outcome_unknown() => {
            // No idempotency key exists: find out before trying again.
            let found = client.find_by_reference(&reference).await?;
            println!(
                "ambiguous failure ({}); payment exists: {}",
                // Every layer: the error's own message is only the top one.
                pockyt::DisplayChain(&error),
                found.is_some()
            );
        }
        Err(error) => return Err(error.into()),
    }
    Ok(())
}
