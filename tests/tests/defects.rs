//! Defects found by a first integration and by an attack on the simulator, each pinned by a test.

use pockyt::Error;
use pockyt::types::*;
use pockyt_e2e::World;
use pockyt_mock::{Fault, FaultKind};

fn usd(amount: &str) -> Amount {
    Amount::parse(amount).expect("valid amount")
}

async fn paid(world: &World, amount: &str, reference: &str) -> String {
    let payment = world
        .client
        .secure_pay(&world.payment(amount, reference))
        .await
        .unwrap();
    let number = payment.transaction_no.unwrap();
    world.gateway.pay(&number).unwrap();
    number
}

fn refund(amount: &str, number: &str) -> RefundRequest {
    RefundRequest::new(usd(amount), Currency::Usd, SettleCurrency::Usd).transaction_no(number)
}

#[tokio::test]
async fn amounts_above_the_maximum_are_refused_by_client_and_simulator() {
    let world = World::start().await;
    let huge = world.payment("10000000000000.00", "huge-1");
    match world.client.secure_pay(&huge).await.unwrap_err() {
        Error::InvalidRequest(e) => {
            assert_eq!(e.field(), "amount");
            assert_eq!(e.problem(), &Problem::AboveMaximum);
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    // What the attack sent, straight to the simulator: refused, not stored.
    let response = world
        .client
        .send_raw(
            "/online/v3/secure-pay",
            &[
                ("amount", "100000000000000000"),
                ("currency", "USD"),
                ("settleCurrency", "USD"),
                ("vendor", "alipay"),
                ("reference", "huge-raw"),
                ("terminal", "ONLINE"),
                ("callbackUrl", "https://m.example.com/back"),
            ],
        )
        .await
        .unwrap();
    let envelope: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
    assert_eq!(envelope["ret_code"], RetCode::InvalidParameter.as_str());
    assert!(world.gateway.payments().is_empty());
}

#[tokio::test]
async fn refunds_at_the_maximum_add_up_exactly_and_never_beyond() {
    let world = World::start().await;
    let number = paid(&world, MAX_REQUEST_AMOUNT, "max-1").await;
    world.client.refund(&refund("0.01", &number)).await.unwrap();
    world
        .client
        .refund(&refund("9999999999999.98", &number))
        .await
        .unwrap();
    let err = world
        .client
        .refund(&refund("0.01", &number))
        .await
        .unwrap_err();
    assert_eq!(err.ret_code(), Some(&RetCode::InvalidParameter), "{err}");
    let payment = world.gateway.payment(&number).unwrap();
    assert_eq!(payment.refunded(), Some(usd(MAX_REQUEST_AMOUNT)));
    assert_eq!(payment.refundable(), Some(Amount::zero()));
    assert_eq!(payment.amount.as_str(), MAX_REQUEST_AMOUNT);
}

#[tokio::test]
async fn a_refund_in_another_settle_currency_is_refused() {
    let world = World::start().await;
    let number = paid(&world, "10.00", "settle-1").await;
    let other = RefundRequest::new(usd("1.00"), Currency::Usd, SettleCurrency::Gbp)
        .transaction_no(number.clone());
    let err = world.client.refund(&other).await.unwrap_err();
    assert_eq!(err.ret_code(), Some(&RetCode::InconsistentParameters));
    assert!(err.to_string().contains("settleCurrency"), "{err}");
    assert_eq!(
        world.gateway.payment(&number).unwrap().refunded(),
        Some(Amount::zero())
    );
}

#[tokio::test]
async fn a_status_fault_page_is_titled_by_its_own_status() {
    let world = World::start().await;
    world.gateway.set_fault(
        TranQueryRequest::PATH,
        Fault::always(FaultKind::Status(503)),
    );
    let err = world
        .client
        .tran_query(&TranQueryRequest::new().reference("x"))
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(err, Error::HttpStatus { status: 503, .. }),
        "{text}"
    );
    assert!(text.contains("503 Service Unavailable"), "{text}");
    assert!(!text.contains("502"), "{text}");
}

#[tokio::test]
async fn send_raw_without_a_leading_slash_is_a_bad_argument() {
    let world = World::start().await;
    let err = world
        .client
        .send_raw("app-data-search/v3/tran-query", &[("reference", "x")])
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::InvalidPath { path } if path == "app-data-search/v3/tran-query"));
    assert!(!err.request_may_have_been_sent() && !err.outcome_unknown());
    assert!(!err.to_string().contains("base URL"), "{err}");
}
