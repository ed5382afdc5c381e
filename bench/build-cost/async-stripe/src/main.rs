//! A Stripe Checkout session on async-stripe: the same kind of call (a hosted payment page).

use stripe::{CheckoutSession, CheckoutSessionMode, Client, CreateCheckoutSession};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::new("sk_test_not_a_key");
    let mut params = CreateCheckoutSession::new();
    params.mode = Some(CheckoutSessionMode::Payment);
    params.success_url = Some("https://merchant.example.com/back");
    params.client_reference_id = Some("order-1");
    let session = CheckoutSession::create(&client, params).await?;
    println!("{}", session.url.unwrap_or_default());
    Ok(())
}
