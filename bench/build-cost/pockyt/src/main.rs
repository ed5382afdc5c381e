//! A signed secure-pay request on `pockyt`.

use pockyt::types::{Amount, Currency, SecurePayRequest, SettleCurrency, Terminal, Vendor};
use pockyt::{Client, Config};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:8080".into());
    let config = Config::new("200043", "300014", "5cbfb079f15b150122261c8537086d77a")?
        .with_base_url(base_url);
    let client = Client::new(config)?;
    let request = SecurePayRequest::new(
        Amount::parse("12.50")?,
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        "order-1",
        Terminal::Online,
    )
    .ipn_url("https://merchant.example.com/ipn")
    .callback_url("https://merchant.example.com/back");
    let payment = client.secure_pay(&request).await?;
    println!("{}", payment.cashier_url.unwrap_or_default());
    Ok(())
}
