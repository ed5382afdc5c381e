//! The server side under abuse: the simulator and the IPN receiver answer bad input with a clear
//! error and stay up.

use pockyt::types::*;
use pockyt_e2e::World;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

/// Posts `body` as is and returns the status and the body of the answer.
async fn send(url: String, content_type: &str, body: &[u8]) -> (u16, String) {
    use pockyt_transport::Transport as _;
    let request = http::Request::post(url)
        .header("content-type", content_type)
        .body(bytes::Bytes::copy_from_slice(body))
        .unwrap();
    let response = pockyt_transport::HyperTransport::new()
        .unwrap()
        .send(request)
        .await
        .unwrap();
    (
        response.status().as_u16(),
        String::from_utf8_lossy(response.body()).into_owned(),
    )
}

async fn still_up(world: &World) {
    let err = world
        .client
        .tran_query(&TranQueryRequest::new().reference("alive"))
        .await
        .unwrap_err();
    assert_eq!(
        err.ret_code(),
        Some(&RetCode::NoRecord),
        "the simulator still answers"
    );
}

#[tokio::test]
async fn simulator_refuses_bad_bodies_clearly() {
    let world = World::start().await;
    let url = || format!("{}/app-data-search/v3/tran-query", world.gateway.base_url());
    let cases: [(&str, Vec<u8>, &str); 5] = [
        (
            "application/x-www-form-urlencoded",
            b"a=%zz".to_vec(),
            "malformed form",
        ),
        (
            "application/x-www-form-urlencoded",
            b"merchantNo=1&merchantNo=2".to_vec(),
            "more than once",
        ),
        (
            "application/json",
            b"{\"merchantNo\":\"\xff\xfe\"}".to_vec(),
            "UTF-8",
        ),
        (
            "application/json",
            br#"{"merchantNo":"1","merchantNo":"2"}"#.to_vec(),
            "more than once",
        ),
        (
            "application/json",
            b"{\"merchantNo\":".to_vec(),
            "malformed JSON",
        ),
    ];
    for (content_type, body, expected) in cases {
        let (status, answer) = send(url(), content_type, &body).await;
        assert_eq!(status, 200);
        let json: serde_json::Value = serde_json::from_str(&answer).unwrap();
        assert_eq!(json["ret_code"], "000023", "{answer}");
        assert!(
            json["ret_msg"]
                .as_str()
                .unwrap_or_default()
                .contains(expected),
            "{answer}"
        );
    }
    let big = vec![b'a'; 200 * 1024];
    let (status, _) = send(url(), "application/json", &big).await;
    assert_eq!(status, 413);
    still_up(&world).await;
}

#[tokio::test]
async fn simulator_survives_slow_and_vanishing_clients() {
    let world = World::start().await;
    let addr = world.gateway.addr();
    // A client that sends half a request and goes quiet, and one that disconnects mid-body.
    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(
        b"POST /app-data-search/v3/tran-query HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{",
    )
    .await
    .unwrap();
    let mut gone = TcpStream::connect(addr).await.unwrap();
    gone.write_all(
        b"POST /online/v3/secure-pay HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{\"a\"",
    )
    .await
    .unwrap();
    drop(gone);
    still_up(&world).await;
    drop(slow);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simulator_serves_a_thousand_connections_at_once() {
    let world = std::sync::Arc::new(World::start().await);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..1000 {
        let world = world.clone();
        tasks.spawn(async move {
            // A fresh connection each: a new client per task.
            let client = pockyt::Client::new(pockyt_e2e::config(&world.gateway)).unwrap();
            client
                .tran_query(&TranQueryRequest::new().reference(format!("c{i}")))
                .await
                .unwrap_err()
                .ret_code()
                .cloned()
        });
    }
    let mut answered = 0;
    while let Some(result) = tasks.join_next().await {
        assert_eq!(result.unwrap(), Some(RetCode::NoRecord));
        answered += 1;
    }
    assert_eq!(answered, 1000);
    still_up(&world).await;
}

#[tokio::test]
async fn ipn_receiver_rejects_forgeries_and_garbage_and_stays_up() {
    let world = World::start().await;
    let url = world.receiver.url();
    let form = "application/x-www-form-urlencoded";
    let forged =
        b"transactionNo=1&status=success&amount=999.00&verifySign=00000000000000000000000000000000";
    let cases: [&[u8]; 5] = [
        forged,
        b"a=%zz",
        b"status=success&status=closed",
        b"a=\xff",
        b"no signature at all",
    ];
    for body in cases {
        let (status, answer) = send(url.clone(), form, body).await;
        assert_eq!(status, 400, "{answer}");
        assert_ne!(answer, "success");
    }
    let (status, _) = send(url.clone(), form, &vec![b'a'; 200 * 1024]).await;
    assert_eq!(status, 413);
    assert_eq!(world.receiver.rejected().len(), 5);
    assert!(world.receiver.verified().is_empty());

    // A real notification still goes through afterwards.
    let number = world
        .client
        .secure_pay(&world.payment("1.00", "after-abuse"))
        .await
        .unwrap()
        .transaction_no
        .unwrap();
    world.gateway.pay(&number).unwrap();
    world
        .receiver
        .wait_for(1, pockyt_e2e::PATIENCE)
        .await
        .unwrap();
}
