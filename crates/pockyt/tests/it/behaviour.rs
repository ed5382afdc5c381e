//! How the client maps failures, retries and times out. No network: MockTransport and paused time.

use crate::support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use pockyt::TransportErrorKind;
use pockyt::types::*;
use pockyt::{Client, Error, RetryPolicy, TransportError};
use pockyt_transport::{MockTransport, transport_fn};
use support::{SUCCESS, TOKEN, TOKEN_MD5, client_with, config};

fn payment() -> SecurePayRequest {
    SecurePayRequest::new(
        Amount::parse("12.50").unwrap(),
        Currency::Usd,
        SettleCurrency::Usd,
        Vendor::Alipay,
        "order-1",
        Terminal::Online,
    )
    .ipn_url("https://m.example.com/ipn")
    .callback_url("https://m.example.com/back")
}

fn query() -> TranQueryRequest {
    TranQueryRequest::new().reference("order-1")
}

fn mock() -> MockTransport {
    MockTransport::new()
}

#[tokio::test]
async fn invalid_request_sends_nothing() {
    let mock = mock();
    let client = client_with(&mock, config());
    let err = client.secure_pay(&payment().note("")).await.unwrap_err();
    assert!(
        matches!(err, Error::InvalidRequest(ref v) if v.field() == "note"),
        "{err}"
    );
    assert!(!err.request_may_have_been_sent());
    assert!(mock.requests().is_empty());
}

#[tokio::test]
async fn api_error_is_not_a_json_error() {
    let mock = mock();
    mock.push_json(
        200,
        r#"{"ret_code":"000021","ret_msg":"record not found "}"#,
    );
    let err = client_with(&mock, config())
        .tran_query(&query())
        .await
        .unwrap_err();
    assert_eq!(err.ret_code(), Some(&RetCode::NoRecord));
    assert!(err.to_string().contains("record not found"), "{err}");
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn html_page_with_status_200_is_a_decode_error_with_a_snippet() {
    let mock = mock();
    mock.push_response(200, "<html><body>Maintenance</body></html>");
    let err = client_with(&mock, config())
        .tran_query(&query())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Decode { ref snippet, .. } if snippet.contains("Maintenance")),
        "{err}"
    );
}

#[tokio::test]
async fn truncated_json_is_a_decode_error() {
    let mock = mock();
    mock.push_json(
        200,
        r#"{"ret_code":"000100","ret_msg":"ok","result":{"amou"#,
    );
    let err = client_with(&mock, config())
        .tran_query(&query())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err}");
}

#[tokio::test]
async fn wrong_payload_shape_is_a_decode_error() {
    let mock = mock();
    mock.push_json(
        200,
        r#"{"ret_code":"000100","ret_msg":"ok","result":{"amount":"lots"}}"#,
    );
    let err = client_with(&mock, config())
        .tran_query(&query())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err}");
}

#[tokio::test]
async fn http_status_keeps_a_redacted_snippet() {
    let mock = mock();
    mock.push_response(404, format!("not found {TOKEN_MD5}"));
    let err = client_with(&mock, config())
        .tran_query(&query())
        .await
        .unwrap_err();
    match &err {
        Error::HttpStatus {
            status,
            snippet,
            attempts,
            ..
        } => {
            assert_eq!((*status, *attempts), (404, 1));
            assert!(!snippet.contains(TOKEN_MD5), "{snippet}");
        }
        other => panic!("expected HttpStatus, got {other:?}"),
    }
}

#[tokio::test]
async fn error_envelope_with_an_error_status_is_an_api_error() {
    let mock = mock();
    mock.push_json(400, r#"{"ret_code":"000023","ret_msg":"invalid amount"}"#);
    let err = client_with(&mock, config())
        .secure_pay(&payment())
        .await
        .unwrap_err();
    assert_eq!(err.ret_code(), Some(&RetCode::InvalidParameter));
}

#[tokio::test]
async fn connect_failures_are_retried_even_for_payments() {
    let mock = mock();
    mock.push_error(TransportError::connect("refused"));
    mock.push_json(200, SUCCESS);
    client_with(&mock, config())
        .secure_pay(&payment())
        .await
        .unwrap();
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn connect_failures_give_up_after_max_attempts() {
    let mock = mock();
    for _ in 0..3 {
        mock.push_error(TransportError::connect("refused"));
    }
    let err = client_with(&mock, config())
        .secure_pay(&payment())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { attempts: 3, .. }), "{err}");
    assert!(!err.request_may_have_been_sent());
    assert_eq!(mock.remaining(), 0);
}

#[tokio::test]
async fn server_errors_retry_queries_but_never_payments() {
    let mock = mock();
    mock.push_response(503, "unavailable");
    mock.push_response(502, "bad gateway");
    mock.push_json(200, SUCCESS);
    client_with(&mock, config())
        .tran_query(&query())
        .await
        .unwrap();
    assert_eq!(mock.requests().len(), 3);

    let mock = self::mock();
    mock.push_response(503, "unavailable");
    mock.push_json(200, SUCCESS);
    let err = client_with(&mock, config())
        .secure_pay(&payment())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::HttpStatus {
                status: 503,
                attempts: 1,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.request_may_have_been_sent());
    assert_eq!(mock.requests().len(), 1, "a payment is sent once");
}

#[tokio::test]
async fn io_failures_after_sending_are_never_retried_for_refunds() {
    let mock = mock();
    mock.push_error(TransportError::io("connection reset"));
    mock.push_json(200, SUCCESS);
    let refund = RefundRequest::new(
        Amount::parse("1.00").unwrap(),
        Currency::Usd,
        SettleCurrency::Usd,
    )
    .refund_reference("r1")
    .transaction_no("1");
    let err = client_with(&mock, config())
        .refund(&refund)
        .await
        .unwrap_err();
    assert!(err.request_may_have_been_sent());
    assert_eq!(mock.requests().len(), 1);
}

#[tokio::test]
async fn mutating_retries_are_opt_in() {
    let mock = mock();
    mock.push_response(503, "unavailable");
    mock.push_json(200, SUCCESS);
    let config = config().with_retry(
        RetryPolicy::default()
            .backoff(Duration::ZERO, Duration::ZERO)
            .retry_mutating(true),
    );
    client_with(&mock, config)
        .secure_pay(&payment())
        .await
        .unwrap();
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn too_many_requests_is_retried_even_for_payments() {
    let mock = mock();
    mock.push_response(429, "slow down");
    mock.push_json(200, SUCCESS);
    client_with(&mock, config())
        .secure_pay(&payment())
        .await
        .unwrap();
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn oversized_bodies_and_tls_failures_are_final() {
    for kind in [TransportErrorKind::BodyTooLarge, TransportErrorKind::Tls] {
        let mock = mock();
        mock.push_error(TransportError::new(kind, false));
        mock.push_json(200, SUCCESS);
        let err = client_with(&mock, config())
            .tran_query(&query())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Transport { attempts: 1, .. }), "{err}");
        assert_eq!(mock.requests().len(), 1);
    }
}

/// A transport that never answers, counting how often it was asked.
fn silent(calls: Arc<AtomicU32>) -> impl pockyt::Transport {
    transport_fn(move |_request| {
        calls.fetch_add(1, Ordering::SeqCst);
        std::future::pending::<Result<http::Response<bytes::Bytes>, TransportError>>()
    })
}

fn silent_client(calls: &Arc<AtomicU32>) -> Client {
    let config = config()
        .with_attempt_timeout(Duration::from_secs(30))
        .with_overall_timeout(Duration::from_secs(60))
        .with_retry(
            RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(100)),
        );
    Client::builder(config)
        .transport(silent(calls.clone()))
        .build()
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn attempt_timeout_fires_and_a_payment_is_not_retried() {
    let calls = Arc::new(AtomicU32::new(0));
    let started = tokio::time::Instant::now();
    let err = silent_client(&calls)
        .secure_pay(&payment())
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(
        matches!(
            err,
            Error::Timeout {
                attempts: 1,
                overall: false,
                maybe_sent: true,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(started.elapsed(), Duration::from_secs(30));
}

#[tokio::test(start_paused = true)]
async fn a_query_is_retried_until_the_overall_deadline() {
    let calls = Arc::new(AtomicU32::new(0));
    let started = tokio::time::Instant::now();
    let err = silent_client(&calls)
        .tran_query(&query())
        .await
        .unwrap_err();
    // 30 s, back-off, then the second attempt is cut short by the 60 s deadline.
    assert!(
        matches!(
            err,
            Error::Timeout {
                attempts: 2,
                overall: true,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(started.elapsed(), Duration::from_secs(60));
}

#[tokio::test]
async fn find_by_reference_tells_whether_a_payment_exists() {
    let mock = mock();
    mock.push_json(200, r#"{"ret_code":"000021","ret_msg":"no record"}"#);
    mock.push_json(200, r#"{"ret_code":"000100","ret_msg":"ok","result":{"reference":"order-1","status":"success"}}"#);
    let client = client_with(&mock, config());
    assert!(client.find_by_reference("order-1").await.unwrap().is_none());
    let found = client.find_by_reference("order-1").await.unwrap().unwrap();
    assert_eq!(found.status, Some(TransactionStatus::Success));
    let body: serde_json::Value = serde_json::from_slice(&mock.requests()[0].body).unwrap();
    assert_eq!(body["reference"], "order-1");
    assert_eq!(
        mock.requests()[0].uri.path(),
        "/app-data-search/v3/tran-query"
    );
}

#[tokio::test]
async fn identity_fields_are_added_and_signed() {
    let mock = mock();
    mock.push_json(200, SUCCESS);
    let config = config()
        .with_mer_group_no("900001")
        .with_store_admin_no("clerk-7");
    let client = client_with(&mock, config);
    let add = InstoreAddRequest::new(Amount::parse("3.00").unwrap())
        .currency(Currency::Usd)
        .settle_currency(SettleCurrency::Usd)
        .reference("pos-1");
    client.instore_add(&add).await.unwrap();
    let body: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&mock.requests()[0].body).unwrap();
    assert_eq!(body["merGroupNo"], "900001");
    assert_eq!(body["storeAdminNo"], "clerk-7");
    let pairs: Vec<(&str, &str)> = body
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str().unwrap()))
        .collect();
    pockyt::sign::verify_embedded(pairs, &pockyt::SigningKey::from_token(TOKEN)).unwrap();
}

#[tokio::test]
async fn debug_output_never_shows_secrets() {
    let mock = mock();
    let client = client_with(&mock, config());
    let express = ExpressPayRequest::new(
        "4111111111111111",
        "2030",
        "12",
        "737",
        Amount::parse("5.00").unwrap(),
        Currency::Usd,
        SettleCurrency::Usd,
        "o",
        "203.0.113.7",
    );
    let shown = format!(
        "{client:?} {:?} {:?} {:?} {express:?} {:#?}",
        client.config(),
        client.config().signing_key(),
        pockyt::SigningKey::from_token(TOKEN),
        payment()
    );
    for secret in [TOKEN, TOKEN_MD5, "4111111111111111"] {
        assert!(!shown.contains(secret), "{secret} leaked");
    }
}

#[tokio::test]
async fn user_agent_names_the_crate() {
    let mock = mock();
    mock.push_json(200, SUCCESS);
    client_with(&mock, config().with_user_agent_suffix("shop/1.2"))
        .tran_query(&query())
        .await
        .unwrap();
    let ua = mock.requests()[0].headers["user-agent"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        ua.starts_with("pockyt-rs/") && ua.ends_with(" shop/1.2"),
        "{ua}"
    );
}

#[tokio::test]
async fn every_attempt_carries_the_full_uri_and_headers() {
    let mock = mock();
    mock.push_json(503, "{}");
    mock.push_json(200, SUCCESS);
    client_with(&mock, config())
        .tran_query(&query())
        .await
        .unwrap();
    let requests = mock.requests();
    assert_eq!(requests.len(), 2, "retried once");
    for request in &requests {
        assert_eq!(request.method, http::Method::POST);
        assert_eq!(
            request.uri.to_string(),
            "https://gateway.test/app-data-search/v3/tran-query"
        );
        assert_eq!(
            request.headers["content-type"],
            "application/json; charset=utf-8"
        );
        assert_eq!(request.headers["accept"], "application/json");
        assert!(request.headers.contains_key("user-agent"));
        assert_eq!(request.headers.len(), 3, "{:?}", request.headers);
    }
    assert_eq!(requests[0].body, requests[1].body, "the same signed body");
}

#[tokio::test]
async fn send_raw_refuses_a_path_that_would_corrupt_the_uri() {
    let mock = mock();
    let client = client_with(&mock, config());
    let err = client
        .send_raw("/a path with spaces", &[])
        .await
        .unwrap_err();
    // The facade's message is its own layer; the configuration's problem is its source.
    let text = pockyt::DisplayChain(&err).to_string();
    assert!(text.contains("not a valid URL"), "{text}");
    assert!(mock.requests().is_empty(), "nothing sent");
}

/// A transport that answers `first` once (with `Retry-After: after` when given), then succeeds;
/// it counts the calls.
fn busy_then_ok(
    calls: &Arc<AtomicU32>,
    first: u16,
    after: Option<String>,
) -> impl pockyt::Transport {
    let calls = calls.clone();
    transport_fn(move |_request| {
        let n = calls.fetch_add(1, Ordering::SeqCst);
        let after = after.clone();
        async move {
            let mut response = if n == 0 {
                let mut busy = http::Response::new(bytes::Bytes::from_static(b"busy"));
                *busy.status_mut() = http::StatusCode::from_u16(first).unwrap();
                if let Some(after) = after {
                    busy.headers_mut()
                        .insert(http::header::RETRY_AFTER, after.parse().unwrap());
                }
                busy
            } else {
                http::Response::new(bytes::Bytes::from_static(SUCCESS.as_bytes()))
            };
            response.headers_mut().insert(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_static("application/json"),
            );
            Ok(response)
        }
    })
}

fn client_over(transport: impl pockyt::Transport) -> Client {
    Client::builder(config())
        .transport(transport)
        .build()
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn retry_after_in_seconds_replaces_the_backoff() {
    let calls = Arc::new(AtomicU32::new(0));
    let client = client_over(busy_then_ok(&calls, 503, Some("20".into())));
    let started = tokio::time::Instant::now();
    client.tran_query(&query()).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(started.elapsed(), Duration::from_secs(20));
}

#[tokio::test(start_paused = true)]
async fn retry_after_as_a_date_is_honoured() {
    let calls = Arc::new(AtomicU32::new(0));
    let at = std::time::SystemTime::now() + Duration::from_secs(11);
    let client = client_over(busy_then_ok(&calls, 429, Some(httpdate::fmt_http_date(at))));
    let started = tokio::time::Instant::now();
    client.tran_query(&query()).await.unwrap();
    let waited = started.elapsed();
    // The date has whole seconds: 10 to 11 s from now.
    assert!(
        waited >= Duration::from_secs(9) && waited <= Duration::from_secs(11),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn retry_after_past_the_deadline_fails_at_once_and_says_when() {
    let calls = Arc::new(AtomicU32::new(0));
    let client = client_over(busy_then_ok(&calls, 503, Some("120".into())));
    let started = tokio::time::Instant::now();
    let err = client.tran_query(&query()).await.unwrap_err();
    assert_eq!(started.elapsed(), Duration::ZERO);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    match &err {
        Error::HttpStatus {
            status: 503,
            retry_after: Some(wait),
            ..
        } => assert_eq!(*wait, Duration::from_secs(120)),
        other => panic!("expected a 503 with its Retry-After, got {other:?}"),
    }
    assert!(err.to_string().contains("retry after 120 s"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn a_per_call_deadline_shorter_and_longer_than_the_clients() {
    let calls = Arc::new(AtomicU32::new(0));
    let client = silent_client(&calls);
    // Shorter: the view gives up at 5 s, the client would wait 60.
    let quick = client
        .with_options(pockyt::CallOptions::new().with_overall_timeout(Duration::from_secs(5)))
        .unwrap();
    let started = tokio::time::Instant::now();
    let err = quick.tran_query(&query()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { overall: true, .. }), "{err}");
    assert_eq!(started.elapsed(), Duration::from_secs(5));
    // Longer: four 30 s attempts fit in a 150 s deadline where the client allows two.
    let patient = client
        .with_options(
            pockyt::CallOptions::new()
                .with_overall_timeout(Duration::from_secs(150))
                .with_retry(
                    RetryPolicy::default()
                        .max_attempts(4)
                        .backoff(Duration::ZERO, Duration::ZERO),
                ),
        )
        .unwrap();
    calls.store(0, Ordering::SeqCst);
    let started = tokio::time::Instant::now();
    let err = patient.tran_query(&query()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { attempts: 4, .. }), "{err}");
    assert_eq!(calls.load(Ordering::SeqCst), 4);
    assert_eq!(started.elapsed(), Duration::from_secs(120));
    // The client itself is unchanged by its views.
    assert_eq!(client.options(), &pockyt::CallOptions::new());
}

#[tokio::test(start_paused = true)]
async fn per_call_no_retry_and_a_payment_never_retried_whatever_the_options() {
    let calls = Arc::new(AtomicU32::new(0));
    let client = client_over(busy_then_ok(&calls, 503, None));
    let once = client
        .with_options(pockyt::CallOptions::new().without_retry())
        .unwrap();
    let err = once.tran_query(&query()).await.unwrap_err();
    assert!(
        matches!(err, Error::HttpStatus { attempts: 1, .. }),
        "{err}"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    let calls = Arc::new(AtomicU32::new(0));
    let client = client_over(busy_then_ok(&calls, 503, None));
    let eager = client
        .with_options(
            pockyt::CallOptions::new()
                .with_retry(RetryPolicy::default().max_attempts(5).retry_mutating(true)),
        )
        .unwrap();
    let err = eager.secure_pay(&payment()).await.unwrap_err();
    assert!(
        matches!(err, Error::HttpStatus { attempts: 1, .. }),
        "{err}"
    );
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "a 503 payment was sent again"
    );
    // Options that make no sense are refused, not applied.
    let bad = client.with_options(
        pockyt::CallOptions::new()
            .with_overall_timeout(Duration::from_secs(1))
            .with_attempt_timeout(Duration::from_secs(2)),
    );
    assert!(matches!(bad, Err(Error::Config(_))));
}

#[tokio::test]
async fn the_default_transport_reaches_the_gateway() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (seen_tx, seen) = tokio::sync::oneshot::channel::<String>();
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut request = vec![0u8; 8192];
        let read = stream.read(&mut request).await.unwrap_or(0);
        let _ = seen_tx.send(String::from_utf8_lossy(&request[..read]).into_owned());
        let answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{SUCCESS}",
            SUCCESS.len()
        );
        stream.write_all(answer.as_bytes()).await.unwrap();
    });
    let client = Client::new(config().with_base_url(format!("http://{addr}"))).unwrap();
    client
        .tran_query(&query())
        .await
        .expect("an answer over a real socket");
    // The call really went out over the socket, to the endpoint's path.
    let request = seen.await.expect("the server saw a request");
    assert!(
        request.starts_with("POST /app-data-search/v3/tran-query HTTP/1.1"),
        "{request}"
    );
}

#[test]
fn a_clients_debug_names_its_merchant_and_never_its_token() {
    let client = client_with(&mock(), config());
    let debug = format!("{client:?}");
    assert!(
        debug.starts_with("Client") && debug.contains("200043"),
        "{debug}"
    );
    assert!(
        !debug.contains(TOKEN) && !debug.contains(TOKEN_MD5),
        "{debug}"
    );
}

#[test]
fn a_view_reports_its_own_options() {
    let client = client_with(&mock(), config());
    assert_eq!(client.options(), &pockyt::CallOptions::default());
    let options = pockyt::CallOptions::new().with_overall_timeout(Duration::from_secs(7));
    let view = client.with_options(options.clone()).unwrap();
    assert_eq!(view.options(), &options);
    assert_eq!(
        client.options(),
        &pockyt::CallOptions::default(),
        "the original is unchanged"
    );
}

/// Issue 24, item 3: `overall_timeout(Duration::MAX)` passed validation and then panicked on the
/// first call ("overflow when adding duration to instant"). Every duration the configuration and
/// the call options take, at its largest, with retries, back-off and `Retry-After` in play: no
/// panic, and a deadline too far for the clock is no deadline.
#[tokio::test(start_paused = true)]
async fn duration_max_timeouts_never_panic() {
    let huge = [
        Duration::MAX,
        Duration::from_secs(u64::MAX / 2),
        Duration::from_secs(u64::MAX),
    ];
    for overall in huge {
        // In the configuration: connect, attempt and overall, with the largest back-off.
        let calls = Arc::new(AtomicU32::new(0));
        let config = config()
            .with_connect_timeout(overall)
            .with_attempt_timeout(overall)
            .with_overall_timeout(overall)
            .with_retry(RetryPolicy::default().backoff(overall, overall));
        let client = Client::builder(config)
            .transport(busy_then_ok(&calls, 503, None))
            .build()
            .unwrap();
        client.tran_query(&query()).await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 2, "{overall:?}");

        // In the call options, over a client with ordinary settings.
        let calls = Arc::new(AtomicU32::new(0));
        let view = client_over(busy_then_ok(&calls, 429, Some(u64::MAX.to_string())))
            .with_options(
                pockyt::CallOptions::new()
                    .with_overall_timeout(overall)
                    .with_attempt_timeout(overall),
            )
            .unwrap();
        // `Retry-After: 18446744073709551615` without a deadline: the client waits (paused time
        // jumps ahead) and tries again; no sum overflows on the way.
        view.tran_query(&query()).await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 2, "{overall:?}");
    }
    // A silent gateway under a deadline that does not fit: the attempt timeout still applies.
    let calls = Arc::new(AtomicU32::new(0));
    let err = silent_client(&calls)
        .with_options(pockyt::CallOptions::new().with_overall_timeout(Duration::MAX))
        .unwrap()
        .tran_query(&query())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                attempts: 3,
                overall: false,
                ..
            }
        ),
        "{err}"
    );
}
