//! What the simulator's tests share: a client for a gateway, and a payee with an account.

use pockyt::types::*;
use pockyt::{Client, Config, RetryPolicy};
use pockyt_mock::{Merchant, MockGateway};

/// A client of the demo merchant aimed at `gateway`, never retrying (so every refusal shows).
pub fn client(gateway: &MockGateway) -> Client {
    let config = Config::new("200043", "300014", Merchant::DEMO_TOKEN)
        .unwrap()
        .with_base_url(gateway.base_url())
        .with_retry(RetryPolicy::never());
    Client::new(config).unwrap()
}

/// A new customer named `last_name` with a PayPal account tagged `tag`: (customerNo, accountToken).
pub async fn payee(client: &Client, last_name: &str, tag: &str) -> (String, String) {
    let customer =
        CustomerCreateRequest::new("Grace", last_name, format!("{tag}@example.com"), "US")
            .timestamp(UtcTimestamp::parse("2024-01-01T00:00:00Z").unwrap());
    let customer_no = client
        .customer_create(&customer)
        .await
        .unwrap()
        .customer_no
        .unwrap();
    let account = PayeeAccountCreateRequest::new(
        customer_no.clone(),
        PayeeAccountType::Paypal,
        tag,
        "203.0.113.9",
    )
    .timestamp(UtcTimestamp::parse("2024-01-01T00:00:00Z").unwrap());
    let token = client
        .payee_account_create(&account)
        .await
        .unwrap()
        .account_token
        .unwrap();
    (customer_no, token)
}
