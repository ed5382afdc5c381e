//! Refund part of a payment.
//!
//! ```sh
//! POCKYT_MERCHANT_NO=… POCKYT_STORE_NO=… POCKYT_TOKEN=… \
//!   cargo run -p pockyt --example refund -- TRANSACTION_NO 1.00
//! ```

use pockyt::types::{Amount, Currency, RefundRequest, SettleCurrency};
use pockyt::{Client, Config};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(transaction_no), Some(amount)) = (args.next(), args.next()) else {
        return Err("usage: refund TRANSACTION_NO AMOUNT".into());
    };
    let client = Client::new(Config::from_env()?)?;
    // Your own id for the refund: reuse it if you retry, so the refund is recognisable.
    let refund_reference = format!("refund-{transaction_no}-1");
    let request = RefundRequest::new(Amount::parse(&amount)?, Currency::Usd, SettleCurrency::Usd)
        .refund_reference(refund_reference)
        .transaction_no(transaction_no);
    let refund = client.refund(&request).await?;
    println!(
        "refund {} {:?}: {}",
        refund.refund_transaction_no.unwrap_or_default(),
        refund.status,
        refund
            .refund_amount
            .map(|a| a.to_string())
            .unwrap_or_default()
    );
    Ok(())
}
