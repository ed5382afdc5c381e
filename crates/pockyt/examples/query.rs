//! Look a transaction up by `transactionNo` or by your `reference`.
//!
//! ```sh
//! POCKYT_MERCHANT_NO=… POCKYT_STORE_NO=… POCKYT_TOKEN=… cargo run -p pockyt --example query -- REFERENCE
//! ```

use pockyt::types::TranQueryRequest;
use pockyt::{Client, Config};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let reference = std::env::args().nth(1).ok_or("usage: query REFERENCE")?;
    let client = Client::new(Config::from_env()?)?;
    let result = client
        .tran_query(&TranQueryRequest::new().reference(reference))
        .await?;
    println!(
        "{} {} {} {:?}",
        result.transaction_no.unwrap_or_default(),
        result.amount.map(|a| a.to_string()).unwrap_or_default(),
        result.currency.map(|c| c.to_string()).unwrap_or_default(),
        result.status
    );
    for refund in result.refund_info {
        println!(
            "  refunded {:?} ({:?})",
            refund.refund_amount, refund.refund_reference
        );
    }
    Ok(())
}
