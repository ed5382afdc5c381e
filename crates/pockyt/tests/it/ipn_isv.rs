//! The ISV example (`examples/ipn_isv.rs`, included as it is): one router serves the notifications
//! of several merchants, of several kinds, each verified with its own merchant's key; a forged one
//! and one for an unknown merchant never reach the handler.

#[path = "../../examples/ipn_isv.rs"]
mod isv;

use std::collections::HashMap;

use bytes::Bytes;
use pockyt::transport::HyperTransport;
use pockyt::{SigningKey, Transport};

fn signed(pairs: &[(&str, &str)], token: &str) -> String {
    let key = SigningKey::from_token(token);
    let signature = pockyt::sign::sign(pairs.iter().copied(), &key)
        .unwrap()
        .to_string();
    pockyt::form::encode(
        pairs
            .iter()
            .copied()
            .chain([("verifySign", signature.as_str())]),
    )
}

async fn post(base: &str, merchant: &str, body: String) -> (u16, String) {
    let transport = HyperTransport::new().unwrap();
    let request = http::Request::post(format!("{base}/pockyt/ipn/{merchant}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Bytes::from(body))
        .unwrap();
    let response = transport.send(request).await.unwrap();
    (
        response.status().as_u16(),
        String::from_utf8_lossy(response.body()).into_owned(),
    )
}

#[tokio::test]
async fn one_router_serves_many_merchants_and_refuses_a_forgery() {
    let merchants = ["shop-a", "shop-b", "shop-c"];
    let keys: HashMap<String, SigningKey> = merchants
        .iter()
        .map(|m| {
            (
                m.to_string(),
                SigningKey::from_token(&format!("token-of-{m}")),
            )
        })
        .collect();
    let isv = isv::Isv::new(keys);
    let recorded = isv.recorded.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, isv::app(isv)).await });

    let payment = [
        ("amount", "12.50"),
        ("currency", "USD"),
        ("reference", "order-1"),
        ("settleCurrency", "USD"),
        ("status", "success"),
        ("time", "20240101123045"),
        ("transactionNo", "305680500880311999"),
    ];
    let payout = [
        ("amount", "25.00"),
        ("currency", "USD"),
        ("invoiceId", "invoice-1"),
        ("status", "success"),
        ("transactionNo", "305680500880312000"),
        ("accountToken", "acct_1"),
    ];
    let agreement = [
        ("autoDebitNo", "305680500880312001"),
        ("autoReference", "agreement-1"),
        ("vendor", "alipay"),
    ];
    assert_eq!(
        post(&base, "shop-a", signed(&payment, "token-of-shop-a")).await,
        (200, "success".into())
    );
    assert_eq!(
        post(&base, "shop-b", signed(&payout, "token-of-shop-b")).await,
        (200, "success".into())
    );
    assert_eq!(
        post(&base, "shop-c", signed(&agreement, "token-of-shop-c")).await,
        (200, "success".into())
    );
    // shop-a's notification signed with shop-b's key: forged, as far as shop-a is concerned.
    let (status, _) = post(&base, "shop-a", signed(&payment, "token-of-shop-b")).await;
    assert_eq!(status, 400);
    // A merchant the ISV does not know (a typo in an ipnUrl): no key, so nothing to verify with.
    let (status, _) = post(&base, "shop-z", signed(&payment, "token-of-shop-a")).await;
    assert_eq!(status, 404);
    server.abort();

    let recorded = recorded.lock().unwrap().clone();
    assert_eq!(
        recorded,
        [
            (
                "shop-a".to_owned(),
                "305680500880311999".to_owned(),
                "payment"
            ),
            (
                "shop-b".to_owned(),
                "305680500880312000".to_owned(),
                "payout"
            ),
            (
                "shop-c".to_owned(),
                "305680500880312001".to_owned(),
                "auto-debit"
            ),
        ]
    );
}
