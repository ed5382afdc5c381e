//! Recording and replaying (`pockyt::testing`): what a cassette keeps, what it never keeps, and
//! how a replay matches requests.

use md5::Digest as _;
use pockyt::testing::{
    Cassette, CassetteError, REDACTED, REDACTED_FIELDS, RecordingTransport, ReplayError,
    ReplayTransport,
};
use pockyt::transport::MockTransport;
use pockyt::types::{RetCode, TranQueryRequest, TransactionStatus};
use pockyt::{Client, Config, RetryPolicy};

const TOKEN: &str = "a-token-that-must-never-be-recorded";

fn config() -> Config {
    Config::new("200043", "300014", TOKEN)
        .unwrap()
        .with_base_url("https://gateway.test")
        .with_retry(RetryPolicy::never())
}

fn client(transport: impl pockyt::Transport) -> Client {
    Client::builder(config())
        .transport(transport)
        .build()
        .unwrap()
}

/// Every kind of secret, from outside the library's own list: each request field the description
/// marks sensitive, and the personal data and signature no cassette may keep.
fn secret_fields() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../api/pockyt-api.json");
    let text = std::fs::read_to_string(path).expect("the description");
    let api: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let mut fields: Vec<String> = api["endpoints"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|e| e["request"].as_array().into_iter().flatten())
        .filter(|f| f["sensitive"] == true)
        .filter_map(|f| f["wire"].as_str().map(str::to_owned))
        .collect();
    let personal = [
        "verifySign",
        "firstName",
        "lastName",
        "email",
        "phone",
        "mobileNumber",
        "dateOfBirth",
        "street",
        "street2",
        "city",
        "zip",
        "token",
    ];
    fields.extend(personal.iter().map(|f| f.to_string()));
    fields.sort();
    fields.dedup();
    fields
}

/// A secret-looking value per redacted field, distinct so a leak names its field.
fn secret_of(field: &str) -> String {
    format!("secret-{field}-value")
}

#[tokio::test]
async fn no_secret_of_any_kind_reaches_the_cassette() {
    // Every redacted field, in the request and (nested) in the answer, plus the token itself
    // echoed by a careless gateway.
    let secret = secret_fields();
    assert!(secret.len() > 15, "{secret:?}");
    let nested: Vec<String> = secret
        .iter()
        .map(|f| format!("\"{f}\":\"{}\"", secret_of(f)))
        .collect();
    let answer = format!(
        r#"{{"ret_code":"000100","ret_msg":"echo {TOKEN}","result":{{{},"list":[{{{}}}],"amount":12.50}}}}"#,
        nested.join(","),
        nested.join(",")
    );
    let gateway = MockTransport::new();
    gateway.push_json(200, answer.clone());
    let recorder = RecordingTransport::new(gateway).redact_text(TOKEN);
    let params: Vec<(String, String)> = secret
        .iter()
        .map(|f| (f.to_string(), secret_of(f)))
        .chain([("note".to_owned(), format!("token is {TOKEN}"))])
        .collect();
    let pairs: Vec<(&str, &str)> = params
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    client(recorder.clone())
        .send_raw("/v1/customers/create", &pairs)
        .await
        .unwrap();
    let json = recorder.cassette().to_json().unwrap();
    for field in &secret {
        assert!(
            !json.contains(&secret_of(field)),
            "{field} leaked into the cassette"
        );
        assert!(
            REDACTED_FIELDS.contains(&field.as_str()),
            "{field} is not in REDACTED_FIELDS"
        );
    }
    assert!(!json.contains(TOKEN), "the token leaked into the cassette");
    let key_hex = hex::encode(md5::Md5::digest(TOKEN.as_bytes()));
    assert!(
        !json.contains(&key_hex),
        "md5(token) leaked into the cassette"
    );
    // What is not secret is kept as it was: the other pairs, and numbers with their text.
    let cassette = Cassette::from_json(&json).unwrap();
    let exchange = &cassette.exchanges[0];
    assert_eq!(exchange.request.pairs["merchantNo"], "200043");
    assert_eq!(exchange.request.pairs["verifySign"], REDACTED);
    assert_eq!(
        exchange.request.pairs["note"],
        format!("token is {REDACTED}")
    );
    assert!(
        exchange.response.body().contains("\"amount\":12.50"),
        "{}",
        exchange.response.body()
    );
}

const FOUND: &str = r#"{"ret_code":"000100","ret_msg":"query success ","result":{"status":"success","amount":12.50}}"#;

/// A cassette of two queries, recorded through the client.
async fn recorded() -> Cassette {
    let gateway = MockTransport::new();
    gateway.push_json(200, FOUND);
    gateway.push_json(200, r#"{"ret_code":"000021","ret_msg":"no record"}"#);
    let recorder = RecordingTransport::new(gateway);
    let client = client(recorder.clone());
    client
        .tran_query(&TranQueryRequest::new().reference("order-1"))
        .await
        .unwrap();
    let _ = client
        .tran_query(&TranQueryRequest::new().reference("order-2"))
        .await;
    recorder.cassette()
}

#[tokio::test]
async fn a_replay_answers_what_was_recorded_in_any_order() {
    let json = recorded().await.to_json().unwrap();
    let replay = ReplayTransport::new(Cassette::from_json(&json).unwrap());
    let client = client(replay.clone());
    // Asked the other way round: each request finds its own exchange.
    let missing = client
        .tran_query(&TranQueryRequest::new().reference("order-2"))
        .await
        .unwrap_err();
    assert_eq!(missing.ret_code(), Some(&RetCode::NoRecord));
    let found = client
        .tran_query(&TranQueryRequest::new().reference("order-1"))
        .await
        .unwrap();
    assert_eq!(found.status, Some(TransactionStatus::Success));
    assert_eq!(found.amount.as_ref().map(|a| a.as_str()), Some("12.50"));
    assert_eq!(replay.all_played(), Ok(()));
}

#[tokio::test]
async fn an_unmatched_request_fails_clearly_and_unplayed_exchanges_are_reported() {
    let replay = ReplayTransport::new(recorded().await);
    let client = client(replay.clone());
    let err = client
        .tran_query(&TranQueryRequest::new().reference("order-3"))
        .await
        .unwrap_err();
    // The replay's refusal is the transport error's source, two layers below the facade's.
    let text = pockyt::DisplayChain(&err).to_string();
    assert!(
        text.contains("no recorded exchange matches POST /app-data-search/v3/tran-query"),
        "{text}"
    );
    assert!(text.contains("differs in reference"), "{text}");
    match replay.all_played() {
        Err(ReplayError::Unmatched { differing, .. }) => assert_eq!(differing, ["reference"]),
        other => panic!("expected the unmatched request, got {other:?}"),
    }
    // A fresh replay asked for one of two: the other is reported by place and path.
    let replay = ReplayTransport::new(recorded().await);
    client_of(&replay)
        .tran_query(&TranQueryRequest::new().reference("order-1"))
        .await
        .unwrap();
    assert_eq!(
        replay.all_played(),
        Err(ReplayError::Unplayed {
            unplayed: vec!["#1 /app-data-search/v3/tran-query".into()]
        })
    );
}

fn client_of(replay: &ReplayTransport) -> Client {
    client(replay.clone())
}

#[tokio::test]
async fn redacted_values_and_ignored_fields_match_anything() {
    // Recorded with a card number (redacted): a replay with another number still matches.
    let gateway = MockTransport::new();
    gateway.push_json(200, r#"{"ret_code":"000100","ret_msg":"ok","result":{}}"#);
    let recorder = RecordingTransport::new(gateway);
    client(recorder.clone())
        .send_raw(
            "/micropay/v3/express-pay",
            &[("cardNumber", "4111111111111111"), ("reference", "r-1")],
        )
        .await
        .unwrap();
    let cassette = recorder.cassette();
    let replay = ReplayTransport::new(cassette.clone());
    client(replay.clone())
        .send_raw(
            "/micropay/v3/express-pay",
            &[("cardNumber", "5555555555554444"), ("reference", "r-1")],
        )
        .await
        .unwrap();
    assert_eq!(replay.all_played(), Ok(()));
    // A field made anew on every run can be ignored by name.
    let replay = ReplayTransport::new(cassette).ignore_field("reference");
    client(replay.clone())
        .send_raw(
            "/micropay/v3/express-pay",
            &[("cardNumber", "4111111111111111"), ("reference", "r-2")],
        )
        .await
        .unwrap();
    assert_eq!(replay.all_played(), Ok(()));
}

#[test]
fn a_cassette_of_another_format_is_refused() {
    let err = Cassette::from_json(r#"{"format":"pockyt-cassette/9","exchanges":[]}"#).unwrap_err();
    assert!(matches!(err, CassetteError::Format { .. }), "{err}");
    assert!(matches!(
        Cassette::from_json("[]"),
        Err(CassetteError::Json(_))
    ));
}
