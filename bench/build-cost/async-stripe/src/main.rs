//! A Stripe Checkout session on async-stripe 1.0: the same kind of call (a hosted payment page),
//! with only the client and the checkout crate compiled.

use stripe::Client;
use stripe_checkout::CheckoutSessionMode;
use stripe_checkout::checkout_session::CreateCheckoutSession;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::new("sk_test_not_a_key");
    let session = CreateCheckoutSession::new()
        .mode(CheckoutSessionMode::Payment)
        .success_url("https://merchant.example.com/back")
        .client_reference_id("order-1")
        .send(&client)
        .await?;
    println!("{}", session.url.unwrap_or_default());
    Ok(())
}
