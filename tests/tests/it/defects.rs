//! Defects found by a first integration and by an attack on the simulator, each pinned by a test.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use pockyt::types::*;
use pockyt::{Client, Config, Error, RetryPolicy};
use pockyt_e2e::{PATIENCE, World};
use pockyt_mock::{Fault, FaultKind, IpnSchedule, Merchant, MockGateway, Until};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

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
    assert!(
        matches!(&err, Error::InvalidPath { path, .. } if path == "app-data-search/v3/tran-query")
    );
    assert!(!err.request_may_have_been_sent() && !err.outcome_unknown());
    assert!(!err.to_string().contains("base URL"), "{err}");
}

/// What the errors-and-retries guide (`crates/pockyt/guide/errors-and-retries.md`) tells a
/// merchant to do, as code: on an unknown outcome, look the payment up by reference before sending
/// it again; on a refusal, never.
async fn pay_once(client: &Client, request: &SecurePayRequest) -> Result<(String, bool), Error> {
    match client.secure_pay(request).await {
        Ok(payment) => Ok((payment.transaction_no.unwrap_or_default(), false)),
        Err(error) if error.outcome_unknown() => {
            match client.find_by_reference(&request.reference).await? {
                Some(existing) => Ok((existing.transaction_no.unwrap_or_default(), true)),
                None => {
                    let payment = client.secure_pay(request).await?;
                    Ok((payment.transaction_no.unwrap_or_default(), false))
                }
            }
        }
        Err(error) => Err(error),
    }
}

#[tokio::test]
async fn recovery_finds_the_payment_whose_answer_was_lost() {
    let world = World::start().await;
    // The simulator makes the payment, then drops the connection: the outcome is unknown.
    world.gateway.set_fault(
        SecurePayRequest::PATH,
        Fault::times(FaultKind::LoseAnswer, 1),
    );
    let request = world.payment("12.00", "lost-1");
    let err = world.client.secure_pay(&request).await.unwrap_err();
    assert!(err.outcome_unknown(), "{err}");
    assert_eq!(world.gateway.payments().len(), 1, "the gateway acted");

    // Following the docs: the lookup finds it, and nothing is sent twice.
    world.gateway.set_fault(
        SecurePayRequest::PATH,
        Fault::times(FaultKind::LoseAnswer, 1),
    );
    let request = world.payment("12.00", "lost-2");
    let (number, recovered) = pay_once(&world.client, &request).await.unwrap();
    assert!(recovered);
    assert_eq!(
        world.gateway.payment(&number).unwrap().reference.as_deref(),
        Some("lost-2")
    );
    assert_eq!(world.gateway.payments().len(), 2);
}

#[tokio::test]
async fn recovery_after_an_answer_later_than_the_deadline() {
    let gateway = MockGateway::builder()
        .merchant(Merchant::demo())
        .fault(
            SecurePayRequest::PATH,
            Fault::times(FaultKind::AnswerAfter(Duration::from_millis(300)), 1),
        )
        .start()
        .await
        .unwrap();
    let config = pockyt_e2e::config(&gateway)
        .with_attempt_timeout(Duration::from_millis(100))
        .with_overall_timeout(Duration::from_secs(5));
    let client = Client::new(config).unwrap();
    let request = SecurePayRequest::new(
        usd("3.00"),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        "late-1",
        Terminal::Online,
    )
    .callback_url("https://merchant.example.com/back");
    let (number, recovered) = pay_once(&client, &request).await.unwrap();
    assert!(recovered, "the payment made behind the timeout was found");
    assert_eq!(gateway.payments().len(), 1);
    assert_eq!(gateway.payments()[0].transaction_no, number);
}

#[tokio::test]
async fn a_refusal_never_sends_anyone_to_the_lookup() {
    let world = World::start().await;
    let request = world.payment("5.00", "dup-1");
    world.client.secure_pay(&request).await.unwrap();
    // The same reference again is refused: a known outcome, returned as is.
    let err = pay_once(&world.client, &request).await.unwrap_err();
    assert_eq!(err.ret_code(), Some(&RetCode::InvalidParameter));
    assert!(!err.outcome_unknown());
}

#[tokio::test]
async fn transport_errors_say_where_and_why_once() {
    // A port nothing listens on.
    let port = pockyt_e2e::free_port();
    let config = Config::new("200043", "300014", Merchant::DEMO_TOKEN)
        .unwrap()
        .with_base_url(format!("http://127.0.0.1:{port}"))
        .with_retry(RetryPolicy::never());
    let client = Client::new(config).unwrap();
    let err = client
        .tran_query(&TranQueryRequest::new().reference("x"))
        .await
        .unwrap_err();
    // The facade's message is its own layer; the whole chain says where and why.
    assert_eq!(
        err.to_string(),
        "the call to the gateway failed after 1 attempt(s)"
    );
    let text = pockyt::DisplayChain(&err).to_string();
    assert!(text.contains(&format!("127.0.0.1:{port}")), "{text}");
    assert!(text.contains("connection refused"), "{text}");
    assert!(text.contains("nothing was sent"), "{text}");
    // Every layer of the chain is shown once: no message repeats the one below it.
    let transport = err.transport_error().expect("a transport error");
    let mut layer: &(dyn std::error::Error + 'static) = &err;
    let mut depth = 0;
    while let Some(next) = layer.source() {
        assert!(
            !layer.to_string().contains(&next.to_string()),
            "`{layer}` repeats `{next}`"
        );
        layer = next;
        depth += 1;
    }
    assert!(depth >= 2, "the HTTP stack's error stays reachable: {text}");
    // The transport's error is the facade's source, the typed accessor the same value.
    let source = std::error::Error::source(&err).expect("the transport error is the source");
    assert!(std::ptr::addr_eq(source, transport));
}

/// Issue 26, item 2: the chain runs from `pockyt::Error` down to the I/O error that caused it, so
/// `anyhow`, Sentry or a `downcast_ref::<io::Error>()` walk sees the operating system's answer.
#[tokio::test]
async fn the_error_chain_reaches_the_io_error_that_caused_it() {
    let port = pockyt_e2e::free_port();
    let config = Config::new("200043", "300014", Merchant::DEMO_TOKEN)
        .unwrap()
        .with_base_url(format!("http://127.0.0.1:{port}"))
        .with_retry(RetryPolicy::never());
    let err = Client::new(config)
        .unwrap()
        .tran_query(&TranQueryRequest::new().reference("x"))
        .await
        .unwrap_err();
    let mut layers = Vec::new();
    let mut io = None;
    let mut layer: Option<&(dyn std::error::Error + 'static)> = Some(&err);
    while let Some(current) = layer {
        layers.push(current.to_string());
        if let Some(found) = current.downcast_ref::<std::io::Error>() {
            io = Some(found.kind());
        }
        layer = current.source();
    }
    assert_eq!(
        io,
        Some(std::io::ErrorKind::ConnectionRefused),
        "no io::Error in the chain: {layers:#?}"
    );
    // The top is the facade's, the next the transport's: each says its own part.
    assert!(
        layers[0].starts_with("the call to the gateway failed"),
        "{layers:#?}"
    );
    assert!(
        layers[1].starts_with("could not connect to the server"),
        "{layers:#?}"
    );
    // No layer shows the token or the signing key (md5 of the demo token).
    for layer in &layers {
        for secret in [Merchant::DEMO_TOKEN, "186abea4b8610d7ff03768255588597a"] {
            assert!(!layer.contains(secret), "{layer}");
        }
    }
}

/// How long [`silent_receiver`] holds each connection before closing it, unanswered. Long enough
/// that an unbounded simulator would have all its deliveries connected at once; the bound checked
/// does not depend on it.
const HOLD: Duration = Duration::from_millis(500);

/// A receiver that never answers: it reads the request, holds the connection for [`HOLD`], and
/// closes it without a word. It counts the connections it holds, and the most held at once.
///
/// The receiver, not the simulator's attempt timeout, ends each attempt, and it takes the
/// connection off its count *before* closing it. An attempt frees its delivery slot only when it
/// sees that close, so a new connection can arrive only after the count went down: the count is
/// never ahead of the slots in use, however slow the machine. (Counting down when the simulator
/// timed out and closed was not exact: its close reached the receiver later than the freed slot's
/// next connection, and under load more than the bound appeared to be open.)
async fn silent_receiver() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/ipn", listener.local_addr().unwrap());
    let (open, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let seen = peak.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let now = open.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            let open = open.clone();
            tokio::spawn(async move {
                // The request's head and body (a few hundred bytes), then silence.
                let mut request = Vec::new();
                let mut buffer = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buffer).await {
                        Ok(n) if n > 0 => request.extend_from_slice(&buffer[..n]),
                        _ => break,
                    }
                }
                tokio::time::sleep(HOLD).await;
                open.fetch_sub(1, Ordering::SeqCst);
                drop(stream);
            });
        }
    });
    (url, seen)
}

#[tokio::test]
async fn ipn_deliveries_to_a_silent_receiver_are_bounded() {
    let (url, peak) = silent_receiver().await;
    let gateway = MockGateway::builder()
        .merchant(Merchant::demo())
        .ipn_schedule(IpnSchedule::new([Duration::ZERO]))
        // Never fires within the test (PATIENCE ends it first): every attempt ends when the
        // receiver closes, which keeps the receiver's count exact.
        .ipn_attempt_timeout(Duration::from_secs(3600))
        .start()
        .await
        .unwrap();
    let client = Client::new(pockyt_e2e::config(&gateway)).unwrap();
    const PAYMENTS: usize = 150;
    for i in 0..PAYMENTS {
        let request = SecurePayRequest::new(
            usd("1.00"),
            Currency::Usd,
            SettleCurrency::Usd,
            Vendor::Alipay,
            format!("silent-{i}"),
            Terminal::Yip,
        )
        .ipn_url(url.clone());
        let number = client
            .secure_pay(&request)
            .await
            .unwrap()
            .transaction_no
            .unwrap();
        gateway.pay(&number).unwrap();
    }
    gateway
        .ipn()
        .wait(Until::AttemptsMade(PAYMENTS), PATIENCE)
        .await
        .unwrap();
    // At most 64 attempts talk to receivers at once, exactly: no margin is needed now that the
    // receiver's count cannot lag behind the slots. Unbounded, it saw all 150.
    let peak = peak.load(Ordering::SeqCst);
    assert!((1..=64).contains(&peak), "{peak} connections open at once");
    assert!(gateway.ipn().attempts().iter().all(|a| !a.acknowledged));
}

#[tokio::test]
async fn the_ipn_log_keeps_the_latest_attempts_and_counts_all() {
    let world = World::start_with(MockGateway::builder().ipn_log_limit(5)).await;
    for i in 0..12 {
        let payment = world
            .client
            .secure_pay(&world.payment("1.00", &format!("log-{i}")))
            .await
            .unwrap();
        world.gateway.pay(&payment.transaction_no.unwrap()).unwrap();
    }
    world
        .gateway
        .ipn()
        .wait(Until::AcknowledgedCount(12), PATIENCE)
        .await
        .unwrap();
    assert_eq!(world.gateway.ipn().attempts().len(), 5);
    assert_eq!(world.gateway.ipn().made(), 12);
    assert_eq!(world.gateway.ipn().acknowledged(), 12);
}

#[tokio::test]
async fn a_trickling_body_is_cut_off_at_its_deadline() {
    let gateway = MockGateway::builder()
        .body_read_timeout(Duration::from_millis(100))
        .start()
        .await
        .unwrap();
    let mut stream = tokio::net::TcpStream::connect(gateway.addr())
        .await
        .unwrap();
    stream
        .write_all(b"POST /app-data-search/v3/tran-query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"merchantNo\"")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(PATIENCE, stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the connection was held open");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[tokio::test]
async fn each_simulator_numbers_its_transactions_from_its_own_start() {
    let first = World::start().await;
    let second = World::start().await;
    let number = |world: &World| {
        let request = world.payment("1.00", "numbering-1");
        let client = world.client.clone();
        async move {
            client
                .secure_pay(&request)
                .await
                .unwrap()
                .transaction_no
                .unwrap()
        }
    };
    let (a, b) = (number(&first).await, number(&second).await);
    assert_eq!((a.len(), b.len()), (18, 18));
    assert_ne!(a, b);
}

#[tokio::test]
async fn ipn_attempts_carry_a_typed_status() {
    let world = World::start().await;
    let payment = world
        .client
        .secure_pay(&world.payment("2.00", "typed-1"))
        .await
        .unwrap();
    let number = payment.transaction_no.unwrap();
    world.gateway.pay(&number).unwrap();
    let attempts = world
        .gateway
        .ipn()
        .wait(Until::Acknowledged(&number), PATIENCE)
        .await
        .unwrap();
    assert!(
        attempts
            .iter()
            .all(|a| a.status == TransactionStatus::Success)
    );
}
