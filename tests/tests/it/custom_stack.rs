//! The custom-stack example (`examples/custom-stack`: pockyt-types, pockyt-sign and ureq, no tokio
//! or hyper) against the simulator: the same bytes as the facade, and a whole flow.

use std::collections::{BTreeMap, BTreeSet};

use pockyt::transport::MockTransport;
use pockyt::types::*;
use pockyt::{Client, Config};
use pockyt_custom_stack::{Gateway, is_refusal, verify_ipn};
use pockyt_e2e::{PATIENCE, World};
use pockyt_mock::{Merchant, Until};
use pockyt_sign::SigningKey;

fn secure_pay(reference: &str) -> SecurePayRequest {
    SecurePayRequest::new(
        Amount::parse("12.50").unwrap(),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        reference,
        Terminal::Online,
    )
    .callback_url("https://merchant.example.com/return?status={status}")
    .note("gift \"wrap\" & bow\n")
    .description("T-shirt, 日本")
}

/// What the facade would send for `request` with this identity and token.
fn facade_body<E: Endpoint>(config: Config, request: &E) -> Vec<u8> {
    let client = Client::builder(config.with_base_url("http://127.0.0.1:1"))
        .transport(MockTransport::new())
        .build()
        .unwrap();
    client.encode(request).unwrap().into_body().to_vec()
}

#[test]
fn the_example_sends_the_facades_bytes() {
    let token = Merchant::DEMO_TOKEN;
    let identity = Identity::new("200043", "300014")
        .mer_group_no("900001")
        .store_admin_no("clerk-7");
    let gateway = Gateway::new("http://127.0.0.1:1", identity, token);
    let config = || {
        Config::new("200043", "300014", token)
            .unwrap()
            .with_mer_group_no("900001")
            .with_store_admin_no("clerk-7")
    };
    let pay = secure_pay("bytes-1");
    let ours = gateway.encode(&pay).unwrap();
    assert_eq!(ours, facade_body(config(), &pay));
    // storeAdminNo goes only where the endpoint takes it, in both.
    let add = InstoreAddRequest::new(Amount::parse("2.00").unwrap())
        .currency(Currency::Usd)
        .settle_currency(SettleCurrency::Usd);
    let ours = gateway.encode(&add).unwrap();
    assert_eq!(ours, facade_body(config(), &add));
    assert!(String::from_utf8_lossy(&ours).contains(r#""storeAdminNo":"clerk-7""#));
    // The signature in the body verifies with the merchant's key.
    let fields: BTreeMap<String, String> = serde_json::from_slice(&ours).unwrap();
    let pairs = fields.iter().map(|(n, v)| (n.as_str(), v.as_str()));
    pockyt_sign::verify_embedded(pairs, &SigningKey::from_token(token)).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_runs_a_checkout_against_the_simulator() {
    let world = World::start().await;
    let base_url = world.gateway.base_url();
    let ipn_url = world.receiver.url();
    // ureq is synchronous: the flow runs on a blocking thread, as it would in a sync service.
    let number = tokio::task::spawn_blocking(move || {
        let gateway = Gateway::new(
            base_url,
            Identity::new("200043", "300014"),
            Merchant::DEMO_TOKEN,
        );
        let payment = gateway
            .call(&secure_pay("custom-1").ipn_url(ipn_url))
            .unwrap();
        let number = payment.transaction_no.unwrap();
        gateway
            .pay_on_cashier(&payment.cashier_url.unwrap())
            .unwrap();
        let found = gateway
            .call(&TranQueryRequest::new().transaction_no(number.as_str()))
            .unwrap();
        assert_eq!(found.status, Some(TransactionStatus::Success));
        let refund = |amount: &str| {
            RefundRequest::new(
                Amount::parse(amount).unwrap(),
                Currency::Usd,
                SettleCurrency::Usd,
            )
            .transaction_no(number.as_str())
        };
        let refunded = gateway.call(&refund("5.00")).unwrap();
        assert_eq!(refunded.refund_amount, Some(Amount::parse("5.00").unwrap()));
        // The same error classes as the facade: a refusal is an Api error with its code.
        let err = gateway.call(&refund("100.00")).unwrap_err();
        assert!(is_refusal(&err, "000023"), "{err}");
        number
    })
    .await
    .unwrap();

    // The notification the simulator sent, verified by the example exactly as received.
    let attempts = world
        .gateway
        .ipn()
        .wait(Until::Acknowledged(&number), PATIENCE)
        .await
        .unwrap();
    let body = attempts.last().unwrap().body.clone();
    let key = SigningKey::from_token(Merchant::DEMO_TOKEN);
    let fields = verify_ipn(body.as_bytes(), &key).unwrap();
    assert_eq!(fields.get("status").map(String::as_str), Some("success"));
    assert!(verify_ipn(body.replace("success", "closed").as_bytes(), &key).is_err());
}

/// The example's dependencies, from `Cargo.lock` (which lists every dependency of every package).
fn dependency_closure(lock: &str, root: &str) -> BTreeSet<String> {
    let mut deps: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for package in lock.split("[[package]]").skip(1) {
        let name = package
            .lines()
            .find_map(|l| l.strip_prefix("name = \""))
            .map(|n| n.trim_end_matches('"').to_owned())
            .unwrap_or_default();
        let list = package
            .split_once("dependencies = [")
            .map(|(_, rest)| rest.split(']').next().unwrap_or_default())
            .unwrap_or_default();
        let names = list
            .split('"')
            .skip(1)
            .step_by(2)
            .map(|d| d.split(' ').next().unwrap_or(d).to_owned())
            .collect();
        deps.entry(name).or_insert(names);
    }
    let mut seen = BTreeSet::new();
    let mut todo = vec![root.to_owned()];
    while let Some(name) = todo.pop() {
        if seen.insert(name.clone()) {
            todo.extend(deps.get(&name).cloned().unwrap_or_default());
        }
    }
    seen
}

#[test]
fn the_examples_dependency_tree_has_no_tokio_or_hyper() {
    let lock =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock")).unwrap();
    let tree = dependency_closure(&lock, "pockyt-custom-stack");
    for expected in ["pockyt-types", "pockyt-sign", "ureq"] {
        assert!(tree.contains(expected), "{expected} missing from {tree:?}");
    }
    for banned in ["tokio", "hyper", "hyper-util", "pockyt", "pockyt-transport"] {
        assert!(
            !tree.contains(banned),
            "{banned} is in the example's tree: {tree:?}"
        );
    }
    // The facade's tree, read the same way, does have them: the check can fail.
    assert!(dependency_closure(&lock, "pockyt").contains("tokio"));
}
