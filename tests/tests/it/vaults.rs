//! Saved payment methods, end to end against the simulator: the re-vaulting guide
//! (`crates/pockyt/guide/migrating.md`, "The Update Token API: re-vault instead") followed step by
//! step. A card is
//! vaulted, the `vaultId` is read from the typed response, and a later payment is charged with it;
//! an id the gateway never issued, or another store's, is refused.

use pockyt::types::*;
use pockyt::{Client, Config};
use pockyt_e2e::{PATIENCE, World, config};
use pockyt_mock::{Merchant, MockGateway};

fn usd(text: &str) -> Amount {
    Amount::parse(text).expect("a valid amount")
}

/// Step 1 of the v3 route (Pockyt's hosted-checkout guide): a card payment that asks to save the
/// method, completed by `process`. Returns the new `vaultId`.
async fn vault_with_v3(world: &World, reference: &str) -> String {
    let first = SecurePayRequest::new(
        usd("1.00"),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::CreditCard,
        reference,
        Terminal::Yip,
    )
    .credit_type(CreditType::Cit)
    .ipn_url(world.receiver.url());
    let opened = world.client.secure_pay(&first).await.unwrap();
    assert!(opened.client_token.is_some(), "YIP answers a client token");
    let number = opened.transaction_no.unwrap();
    let process = CreditPayProcessRequest::new(number.as_str(), PaymentMethod::CreditCard)
        .payment_method_nonce("nonce-from-the-drop-in");
    let processed = world.client.credit_pay_process(&process).await.unwrap();
    assert_eq!(processed.status, Some(TransactionStatus::Success));
    processed.vault_id.expect("process answers the vaultId")
}

/// A later payment, charged to the saved method: no cashier, paid at once.
fn charge(vault_id: &str, reference: &str) -> SecurePayRequest {
    SecurePayRequest::new(
        usd("9.99"),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::CreditCard,
        reference,
        Terminal::Online,
    )
    .vault_id(vault_id)
    .callback_url("https://merchant.example.com/return")
}

#[tokio::test]
async fn a_card_vaulted_on_v3_is_charged_later_with_its_vault_id() {
    let world = World::start().await;
    let vault_id = vault_with_v3(&world, "vault-first").await;
    world.receiver.wait_for(1, PATIENCE).await.unwrap();

    let later = world
        .client
        .secure_pay(&charge(&vault_id, "vault-later"))
        .await
        .unwrap();
    assert_eq!(later.cashier_url, None, "nobody has to come back to pay");
    let found = world
        .client
        .tran_query(&TranQueryRequest::new().reference("vault-later"))
        .await
        .unwrap();
    assert_eq!(found.status, Some(TransactionStatus::Success));
    assert_eq!(found.amount, Some(usd("9.99")));

    // Re-vaulting (the guide's answer to "Update Token"): a new card gives a new id, and both
    // charge; the merchant keeps the new one.
    let replaced = vault_with_v3(&world, "vault-new-card").await;
    assert_ne!(replaced, vault_id);
    world
        .client
        .secure_pay(&charge(&replaced, "vault-after-update"))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_vault_id_the_gateway_never_issued_is_refused() {
    let world = World::start().await;
    let err = world
        .client
        .secure_pay(&charge("vault-made-up", "vault-nothing"))
        .await
        .unwrap_err();
    assert_eq!(err.ret_code(), Some(&RetCode::NoRecord), "{err}");
    // Nothing was created under that reference.
    let missing = world
        .client
        .tran_query(&TranQueryRequest::new().reference("vault-nothing"))
        .await
        .unwrap_err();
    assert_eq!(missing.ret_code(), Some(&RetCode::NoRecord));
}

#[tokio::test]
async fn the_v4_route_capture_then_process_gives_the_vault_id() {
    let world = World::start().await;
    let capture = OrderCaptureV4Request::new(
        usd("2.00"),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::CreditCard,
        "v4-capture",
        Terminal::Online,
        "4111111111111111",
        "2030",
        "12",
    )
    .ipn_url(world.receiver.url());
    let captured = world.client.order_capture_v4(&capture).await.unwrap();
    assert_eq!(captured.auth_url, None, "no customer, no 3-D Secure");
    let number = captured.transaction_no.unwrap();
    let processed = world
        .client
        .order_process_v4(&OrderProcessV4Request::new(number.as_str()))
        .await
        .unwrap();
    let vault_id = processed.vault_id.expect("process v4 answers the vaultId");
    world.receiver.wait_for(1, PATIENCE).await.unwrap();
    // Processing again answers the same id: a retry after a lost answer is safe.
    let again = world
        .client
        .order_process_v4(&OrderProcessV4Request::new(number.as_str()))
        .await
        .unwrap();
    assert_eq!(again.vault_id.as_deref(), Some(vault_id.as_str()));

    // v4 pays a saved method with both vaultId and creditType (PHP `YipSecurePayVaultSaved`).
    let later = SecurePayV4Request::new(
        usd("4.00"),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::CreditCard,
        "v4-later",
        Terminal::Online,
        world.receiver.url(),
    )
    .vault_id(vault_id.as_str())
    .credit_type(CreditType::Cit);
    world.client.secure_pay_v4(&later).await.unwrap();
    let found = world
        .client
        .tran_query(&TranQueryRequest::new().reference("v4-later"))
        .await
        .unwrap();
    assert_eq!(found.status, Some(TransactionStatus::Success));
}

#[tokio::test]
async fn with_3d_secure_the_shopper_passes_at_auth_url_before_the_vault_id() {
    let world = World::start().await;
    let capture = OrderCaptureV4Request::new(
        usd("3.00"),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::CreditCard,
        "v4-3ds",
        Terminal::Online,
        "4111111111111111",
        "2030",
        "12",
    )
    .customer_no("1000000000000000000042")
    .ipn_url(world.receiver.url());
    let captured = world.client.order_capture_v4(&capture).await.unwrap();
    let auth_url = captured
        .auth_url
        .expect("3-D Secure sends the shopper somewhere");
    let number = captured.transaction_no.unwrap();
    assert!(auth_url.contains(&number), "{auth_url}");
    // The shopper passes the check on the page; then process completes it with the vault id.
    world.gateway.pay(&number).unwrap();
    let processed = world
        .client
        .order_process_v4(&OrderProcessV4Request::new(number.as_str()))
        .await
        .unwrap();
    assert!(processed.vault_id.is_some());
    assert_eq!(processed.status, Some(TransactionStatus::Success));
}

#[tokio::test]
async fn another_store_cannot_charge_a_vault() {
    let gateway = MockGateway::builder()
        .merchant(Merchant::demo())
        .merchant(Merchant::new("200043", "300099", "another-store-token"))
        .start()
        .await
        .unwrap();
    let receiver = pockyt::ipn::testing::IpnReceiver::start(pockyt::SigningKey::from_token(
        Merchant::DEMO_TOKEN,
    ))
    .await
    .unwrap();
    let world = World {
        client: Client::new(config(&gateway)).unwrap(),
        gateway,
        receiver,
    };
    let vault_id = vault_with_v3(&world, "store-a-card").await;
    let other = Client::new(
        Config::new("200043", "300099", "another-store-token")
            .unwrap()
            .with_base_url(world.gateway.base_url()),
    )
    .unwrap();
    let err = other
        .secure_pay(&charge(&vault_id, "store-b-charge"))
        .await
        .unwrap_err();
    assert_eq!(err.ret_code(), Some(&RetCode::NoRecord), "{err}");
}
