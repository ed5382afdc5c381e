//! 200 checkouts at once through one client: nothing lost, nothing duplicated.

use std::collections::HashSet;

use pockyt::types::*;
use pockyt_e2e::{PATIENCE, World};
use pockyt_mock::Until;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_checkouts_at_once() {
    const N: usize = 200;
    let world = std::sync::Arc::new(World::start().await);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..N {
        let world = world.clone();
        tasks.spawn(async move {
            let request = world.payment("1.00", &format!("bulk-{i}"));
            let payment = world
                .client
                .secure_pay(&request)
                .await
                .expect("payment created");
            let number = payment.transaction_no.expect("transaction number");
            world.gateway.pay(&number).expect("paid");
            number
        });
    }
    let mut numbers = HashSet::new();
    while let Some(result) = tasks.join_next().await {
        assert!(
            numbers.insert(result.expect("task")),
            "a transaction number was issued twice"
        );
    }
    assert_eq!(numbers.len(), N);

    let notes = world.receiver.wait_for(N, PATIENCE).await.unwrap();
    assert_eq!(
        notes.len(),
        N,
        "each notification acknowledged exactly once"
    );
    let notified: HashSet<String> = notes
        .iter()
        .filter_map(|n| n.transaction_no.clone())
        .collect();
    assert_eq!(notified, numbers, "every payment notified, none twice");

    // The receiver records before its answer reaches the gateway: wait for the gateway's side too.
    for number in &numbers {
        world
            .gateway
            .ipn()
            .wait(Until::Acknowledged(number), PATIENCE)
            .await
            .unwrap();
    }
    let payments = world.gateway.payments();
    assert_eq!(payments.len(), N);
    assert!(
        payments
            .iter()
            .all(|p| p.status == TransactionStatus::Success)
    );
    let acknowledged = world
        .gateway
        .ipn()
        .attempts()
        .iter()
        .filter(|a| a.acknowledged)
        .count();
    assert_eq!(acknowledged, N);
    assert_eq!(
        world.receiver.verified().len(),
        N,
        "no notification acknowledged twice"
    );
}
