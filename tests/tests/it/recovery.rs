//! Recovering every call that moves money: the simulator handles the call and loses its answer
//! (`FaultKind::LoseAnswer`), the client reports the outcome unknown, and `resolve_*` says it
//! happened, so it is not sent again and nothing is duplicated. A call that never reached the
//! gateway resolves as not happened, and is then sent again safely. A call sent again blind with
//! the same id is refused as a reused reference, which `is_reused_reference` tells from other bad
//! values.

use pockyt::types::*;
use pockyt::{Resolution, RetryPolicy};
use pockyt_e2e::{World, config};
use pockyt_mock::{Fault, FaultKind, MockGateway};

fn usd(text: &str) -> Amount {
    Amount::parse(text).expect("an amount")
}

#[tokio::test]
async fn a_refund_a_payout_and_an_auto_debit_charge_whose_answers_were_lost_are_not_duplicated() {
    let world = World::start_with(MockGateway::builder()).await;
    let client =
        pockyt::Client::new(config(&world.gateway).with_retry(RetryPolicy::never())).unwrap();
    let lose = |path: &str| {
        world
            .gateway
            .set_fault(path, Fault::times(FaultKind::LoseAnswer, 1))
    };

    // A refund: handled, its answer lost.
    let paid = world.paid_through(&client, "30.00", "recover-1").await;
    let refund = RefundRequest::new(usd("4.00"), Currency::Usd, SettleCurrency::Usd)
        .transaction_no(paid.as_str())
        .refund_reference("recover-refund-1");
    lose(RefundRequest::PATH);
    let err = client.refund(&refund).await.unwrap_err();
    assert!(err.outcome_unknown(), "{err}");
    match client.resolve_refund(&paid, "recover-refund-1").await {
        Resolution::Happened(found) => assert_eq!(found.refund_amount, Some(usd("4.00"))),
        other => panic!("the refund was made: {other:?}"),
    }
    // Another reference was never sent: safe to send.
    assert!(
        client
            .resolve_refund(&paid, "recover-refund-2")
            .await
            .safe_to_send_again()
    );
    assert_eq!(
        world.gateway.payment(&paid).unwrap().refunds.len(),
        1,
        "no duplicate"
    );

    // A payout.
    let customer = client
        .customer_create(
            &CustomerCreateRequest::new("Ada", "Lovelace", "ada@example.com", "GB")
                .timestamp(UtcTimestamp::parse("2024-01-01T00:00:00Z").unwrap()),
        )
        .await
        .unwrap()
        .customer_no
        .unwrap();
    let token = client
        .payee_account_create(&PayeeAccountCreateRequest::new(
            customer.as_str(),
            PayeeAccountType::Paypal,
            "tag",
            "203.0.113.9",
        ))
        .await
        .unwrap()
        .account_token
        .unwrap();
    let payout = PayoutPayRequest::new(usd("5.00"), Currency::Usd)
        .customer_no(customer.as_str())
        .account_token(token.as_str())
        .invoice_id("recover-invoice-1");
    lose(PayoutPayRequest::PATH);
    assert!(
        client
            .payout_pay(&payout)
            .await
            .unwrap_err()
            .outcome_unknown()
    );
    assert!(client.resolve_payout("recover-invoice-1").await.happened());
    assert!(
        client
            .resolve_payout("recover-invoice-2")
            .await
            .safe_to_send_again()
    );

    // An auto-debit charge.
    let agreement = client
        .auto_debit_consult(
            &AutoDebitConsultRequest::new(
                Vendor::Alipay,
                Terminal::Online,
                "https://merchant.example.com/agreed",
                "recover-agreement",
            )
            .auto_ipn_url(world.receiver.url()),
        )
        .await
        .unwrap()
        .auto_debit_no
        .unwrap();
    world.gateway.authorize_auto_debit(&agreement).unwrap();
    let charge = AutoDebitPayRequest::new(
        agreement.as_str(),
        usd("6.00"),
        Currency::Usd,
        SettleCurrency::Usd,
        "recover-charge-1",
    )
    .ipn_url(world.receiver.url());
    lose(AutoDebitPayRequest::PATH);
    assert!(
        client
            .auto_debit_pay(&charge)
            .await
            .unwrap_err()
            .outcome_unknown()
    );
    match client.resolve_auto_debit_charge("recover-charge-1").await {
        Resolution::Happened(found) => assert_eq!(found.status, Some(TransactionStatus::Success)),
        other => panic!("the charge was made: {other:?}"),
    }
    let charges = world
        .gateway
        .payments()
        .into_iter()
        .filter(|p| p.reference.as_deref() == Some("recover-charge-1"))
        .count();
    assert_eq!(charges, 1, "no duplicate");
}

#[tokio::test]
async fn a_call_that_never_reached_the_gateway_is_sent_again_safely() {
    let world = World::start().await;
    let client =
        pockyt::Client::new(config(&world.gateway).with_retry(RetryPolicy::never())).unwrap();
    let paid = world.paid_through(&client, "10.00", "recover-2").await;
    // A 503 before any handler ran: nothing was made.
    world
        .gateway
        .set_fault(RefundRequest::PATH, Fault::times(FaultKind::Status(503), 1));
    let refund = RefundRequest::new(usd("1.00"), Currency::Usd, SettleCurrency::Usd)
        .transaction_no(paid.as_str())
        .refund_reference("recover-refund-3");
    assert!(client.refund(&refund).await.is_err());
    assert!(
        client
            .resolve_refund(&paid, "recover-refund-3")
            .await
            .safe_to_send_again()
    );
    client.refund(&refund).await.unwrap();
    assert!(
        client
            .resolve_refund(&paid, "recover-refund-3")
            .await
            .happened()
    );
    // While the gateway cannot be asked, the outcome stays unknown.
    world.gateway.set_fault(
        TranQueryRequest::PATH,
        Fault::always(FaultKind::Status(503)),
    );
    assert!(matches!(
        client.resolve_refund(&paid, "recover-refund-3").await,
        Resolution::StillUnknown(_)
    ));
}

/// Issue 27, item 2: a payment sent again with the `reference` of one whose answer was lost, and a
/// refund sent again with its `refundReference`, are refused as reused references; resolving finds
/// the first of each, and nothing is duplicated. Another bad value under the same code is not a
/// reused reference.
#[tokio::test]
async fn a_reused_reference_is_refused_as_one_and_the_first_attempt_resolves() {
    let world = World::start().await;
    let client =
        pockyt::Client::new(config(&world.gateway).with_retry(RetryPolicy::never())).unwrap();

    // A payment whose answer was lost, then sent again blind.
    let payment = world.payment("12.00", "reuse-pay-1");
    world.gateway.set_fault(
        SecurePayRequest::PATH,
        Fault::times(FaultKind::LoseAnswer, 1),
    );
    let lost = client.secure_pay(&payment).await.unwrap_err();
    assert!(
        lost.outcome_unknown() && !lost.is_reused_reference(),
        "{lost}"
    );
    let again = client.secure_pay(&payment).await.unwrap_err();
    assert!(again.is_reused_reference(), "{again}");
    assert_eq!(again.ret_code(), Some(&RetCode::InvalidParameter));
    assert!(!again.outcome_unknown(), "a refusal is a known outcome");
    // The refusal says the first attempt landed: resolving finds it.
    assert!(client.resolve_payment("reuse-pay-1").await.happened());
    let made = world
        .gateway
        .payments()
        .into_iter()
        .filter(|p| p.reference.as_deref() == Some("reuse-pay-1"))
        .count();
    assert_eq!(made, 1, "no duplicate");

    // A refund sent twice with one refundReference (whose own words, quoted in the message, are
    // not read as the gateway's).
    let paid = world.paid_through(&client, "20.00", "reuse-pay-2").await;
    let refund = RefundRequest::new(usd("2.00"), Currency::Usd, SettleCurrency::Usd)
        .transaction_no(paid.as_str())
        .refund_reference("do-not-refund-twice");
    client.refund(&refund).await.unwrap();
    let again = client.refund(&refund).await.unwrap_err();
    assert!(again.is_reused_reference(), "{again}");
    assert_eq!(again.ret_code(), Some(&RetCode::InvalidParameter));
    assert!(
        client
            .resolve_refund(&paid, "do-not-refund-twice")
            .await
            .happened()
    );
    assert_eq!(
        world.gateway.payment(&paid).unwrap().refunds.len(),
        1,
        "no duplicate"
    );

    // The same code for another bad value (more than is left to refund): not a reused reference.
    let too_much = RefundRequest::new(usd("500.00"), Currency::Usd, SettleCurrency::Usd)
        .transaction_no(paid.as_str())
        .refund_reference("reuse-refund-2");
    let refused = client.refund(&too_much).await.unwrap_err();
    assert_eq!(refused.ret_code(), Some(&RetCode::InvalidParameter));
    assert!(!refused.is_reused_reference(), "{refused}");
    // It changed nothing, so its reference is still free.
    assert!(
        client
            .resolve_refund(&paid, "reuse-refund-2")
            .await
            .safe_to_send_again()
    );
}
