//! The blocking client over real HTTP against the simulator, from synchronous code.

use pockyt::blocking::Client;
use pockyt::types::*;
use pockyt_e2e::World;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_checkout_from_synchronous_code_over_one_kept_connection() {
    let world = World::start().await;
    let config = pockyt_e2e::config(&world.gateway);
    let request = world.payment("9.00", "blocking-1");
    // As a synchronous service would run it: on a plain thread, outside any runtime.
    let thread = std::thread::spawn(move || {
        let client = Client::new(config).unwrap();
        let payment = client.secure_pay(&request).unwrap();
        let number = payment.transaction_no.unwrap();
        for _ in 0..3 {
            let found = client
                .tran_query(&TranQueryRequest::new().transaction_no(number.as_str()))
                .unwrap();
            assert_eq!(found.status, Some(TransactionStatus::Init));
        }
        assert_eq!(
            client
                .find_by_reference("blocking-1")
                .unwrap()
                .and_then(|p| p.transaction_no),
            Some(number.clone())
        );
        number
    });
    let number = tokio::task::spawn_blocking(move || thread.join())
        .await
        .unwrap()
        .unwrap();
    assert!(world.gateway.payment(&number).is_some());
    // The client's own runtime keeps its pooled connections alive between calls: five calls,
    // fewer connections (a connection returns to the pool a moment after its answer is read, so
    // the next call may open a second one; a pool that died between calls would open five).
    let connections = world.gateway.connections_accepted();
    assert!(
        (1..5).contains(&connections),
        "{connections} connections for 5 calls"
    );
}
