//! Notices that are not about a payment: auto-debit authorisations and payouts reach the
//! merchant, signed with its key.

use std::time::Duration;

use crate::support;
use pockyt::ipn::Webhook;
use pockyt::ipn::testing::IpnReceiver;
use pockyt::types::*;
use pockyt::{Client, SigningKey};
use pockyt_mock::{Merchant, MockGateway, Until};

const PATIENCE: Duration = Duration::from_secs(10);

async fn start() -> (MockGateway, Client, IpnReceiver) {
    let gateway = MockGateway::builder().start().await.unwrap();
    let client = support::client(&gateway);
    let receiver = IpnReceiver::start(SigningKey::from_token(Merchant::DEMO_TOKEN))
        .await
        .unwrap();
    (gateway, client, receiver)
}

#[tokio::test]
async fn an_authorised_agreement_is_announced_once() {
    let (gateway, client, receiver) = start().await;
    let consult = AutoDebitConsultRequest::new(
        Vendor::Gcash,
        Terminal::Online,
        "https://merchant.example.com/after",
        "agreement-1",
    )
    .auto_ipn_url(receiver.url());
    let number = client
        .auto_debit_consult(&consult)
        .await
        .unwrap()
        .auto_debit_no
        .unwrap();
    gateway.authorize_auto_debit(&number).unwrap();
    gateway.authorize_auto_debit(&number).unwrap();
    receiver.wait_for(1, PATIENCE).await.unwrap();
    gateway
        .ipn()
        .wait(Until::AcknowledgedCount(1), PATIENCE)
        .await
        .unwrap();
    match receiver.webhooks().as_slice() {
        [Webhook::AutoDebit(notice)] => {
            assert_eq!(notice.auto_debit_no.as_deref(), Some(number.as_str()));
        }
        other => panic!("expected one auto-debit notice, got {other:?}"),
    }
}

#[tokio::test]
async fn a_payout_with_an_ipn_url_is_announced_there() {
    let (_gateway, client, receiver) = start().await;
    let (customer_no, token) = support::payee(&client, "Hopper", "tag-1").await;
    let pay = PayoutPayRequest::new(Amount::parse("25.00").unwrap(), Currency::Usd)
        .customer_no(customer_no)
        .account_token(token)
        .invoice_id("invoice-1")
        .ipn_url(receiver.url());
    client.payout_pay(&pay).await.unwrap();
    receiver.wait_for(1, PATIENCE).await.unwrap();
    match receiver.webhooks().as_slice() {
        [Webhook::Payout(notice)] => assert_eq!(notice.invoice_id.as_deref(), Some("invoice-1")),
        other => panic!("expected one payout notice, got {other:?}"),
    }
}
