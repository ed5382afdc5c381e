//! The response examples of Pockyt's and Yuansfer's API reference pages
//! (`tests/conformance/responses/`, each with its URL), decoded by the typed responses: every
//! field an example shows must be a typed field (recursively, by the description), decode into
//! the typed response without landing in `extra`, and survive a round trip.

use std::path::PathBuf;

use pockyt::types::*;
use serde_json::{Map, Value};

/// One documented example.
struct Example {
    file: String,
    url: String,
    path: String,
    example: Value,
    /// Why the example is no evidence for its call (a copy of another page's example).
    broken: Option<String>,
}

fn examples() -> Vec<Example> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("conformance/responses");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the examples directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|file| {
            let text = std::fs::read_to_string(file).expect("readable example");
            let json: Value = serde_json::from_str(&text).expect("JSON example");
            Example {
                file: file
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
                url: json["url"].as_str().unwrap_or_default().to_owned(),
                path: json["path"].as_str().unwrap_or_default().to_owned(),
                example: json["example"].clone(),
                broken: json["broken"].as_str().map(str::to_owned),
            }
        })
        .collect()
}

fn description() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../api/pockyt-api.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("the description")).expect("JSON")
}

/// The payload as the client finds it: under the first of the call's keys present, or the
/// envelope itself for top-level payloads.
fn payload(example: &Value, keys: &[&str]) -> Option<Map<String, Value>> {
    for key in keys {
        if *key == "." {
            let mut top = example.as_object()?.clone();
            for envelope in ["ret_code", "ret_msg", "re_code"] {
                top.remove(envelope);
            }
            return Some(top);
        }
        if let Some(Value::Object(map)) = example.get(*key) {
            return Some(map.clone());
        }
    }
    None
}

/// The described fields of a response or object: name → type.
fn described(fields: &Value) -> Vec<(&str, &str)> {
    fields
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["wire"].as_str().unwrap_or_default(),
                f["type"].as_str().unwrap_or_default(),
            )
        })
        .collect()
}

fn object_fields<'a>(api: &'a Value, name: &str) -> &'a Value {
    api["objects"]
        .as_array()
        .and_then(|objects| objects.iter().find(|o| o["name"] == name))
        .map(|o| &o["fields"])
        .unwrap_or(&Value::Null)
}

/// Every key of `payload` (recursively into objects and arrays of objects) that the description
/// does not model, as `a.b` paths.
fn unmodelled(api: &Value, fields: &Value, payload: &Map<String, Value>, at: &str) -> Vec<String> {
    let known = described(fields);
    let mut missing = Vec::new();
    for (key, value) in payload {
        let here = format!("{at}{key}");
        let Some((_, ty)) = known.iter().find(|(wire, _)| wire == key) else {
            missing.push(here);
            continue;
        };
        let nested = ty
            .strip_prefix("object:")
            .or_else(|| ty.strip_prefix("array:"));
        let Some(object) = nested.filter(|n| *n != "string") else {
            continue;
        };
        let inner = object_fields(api, object);
        let items: Vec<&Map<String, Value>> = match value {
            Value::Object(map) => vec![map],
            Value::Array(items) => items.iter().filter_map(Value::as_object).collect(),
            _ => Vec::new(),
        };
        for item in items {
            missing.extend(unmodelled(api, inner, item, &format!("{here}.")));
        }
    }
    missing
}

/// Decodes the example with the typed response of `E` and checks that nothing lands in `extra`
/// and that every non-null field comes back out.
fn decodes<E>(example: &Example) -> Result<(), String>
where
    E: Endpoint,
    E::Response: HasExtra,
{
    let body = serde_json::to_vec(&example.example).map_err(|e| e.to_string())?;
    let envelope = RawEnvelope::parse(&body).map_err(|e| format!("{}: {e}", example.file))?;
    let typed = envelope
        .payload::<E::Response>(E::RESPONSE_KEYS)
        .map_err(|e| format!("{}: does not decode: {e}", example.file))?
        .ok_or_else(|| format!("{}: no payload under {:?}", example.file, E::RESPONSE_KEYS))?;
    if !typed.extra_is_empty() {
        return Err(format!(
            "{}: fields landed in `extra`: {:?} ({})",
            example.file,
            typed.extra_keys(),
            example.url
        ));
    }
    let back = serde_json::to_value(&typed).map_err(|e| e.to_string())?;
    let shown = payload(&example.example, E::RESPONSE_KEYS).unwrap_or_default();
    for (key, value) in shown {
        if !value.is_null() && back.get(&key).is_none() {
            return Err(format!(
                "{}: `{key}` was lost ({})",
                example.file, example.url
            ));
        }
    }
    Ok(())
}

/// The typed responses' `extra`, for the check above.
trait HasExtra: serde::Serialize {
    fn extra_is_empty(&self) -> bool;
    fn extra_keys(&self) -> Vec<String>;
}

macro_rules! has_extra {
    ($($t:ty),* $(,)?) => {$(
        impl HasExtra for $t {
            fn extra_is_empty(&self) -> bool {
                self.extra.is_empty()
            }
            fn extra_keys(&self) -> Vec<String> {
                self.extra.keys().cloned().collect()
            }
        }
    )*};
}

has_extra!(
    AcquireCreateResponse,
    AuthCaptureResponse,
    AuthUnfreezeResponse,
    AutoDebitApplyTokenResponse,
    AutoDebitConsultResponse,
    AutoDebitPayResponse,
    AutoDebitRevokeResponse,
    CancelResult,
    CreateTransQrcodeResponse,
    CreditPayProcessResponse,
    Customer,
    DataStatusResponse,
    InstoreReverseResponse,
    InstoreTransaction,
    MixedCancelResponse,
    MixedQrcodeResponse,
    MixedQueryResponse,
    OrderCaptureV4Response,
    OrderProcessV4Response,
    Payee,
    PayeeAccountCreateResponse,
    PayeeAccountDeleteResponse,
    PayeeAccountRetrieveResponse,
    PayeeBankAccountCreateResponse,
    PayeeFundingAccountsResponse,
    PaymentSummary,
    PayoutBalanceResponse,
    PayoutInquiryResponse,
    PayoutPayResponse,
    PaypalCreatePlanResponse,
    PreAuthorization,
    PrepayResponse,
    RefundResponse,
    SecurePayResponse,
    SecurePayV4Response,
    SettleListResponse,
    TranQueryResponse,
    TransListResponse,
    UpdateRecurringResponse,
    WithdrawalListResponse,
);

#[test]
fn every_documented_response_example_decodes_into_typed_fields() {
    let api = description();
    let examples = examples();
    assert!(examples.len() >= 19, "the documented examples are all here");
    let mut failures = Vec::new();
    let mut broken = Vec::new();
    for example in &examples {
        if let Some(why) = &example.broken {
            println!("{}: set aside: {why}", example.file);
            broken.push(example.file.as_str());
            continue;
        }
        let Some(endpoint) = api["endpoints"]
            .as_array()
            .and_then(|all| all.iter().find(|e| e["path"] == example.path.as_str()))
        else {
            failures.push(format!(
                "{}: no endpoint has path {}",
                example.file, example.path
            ));
            continue;
        };
        let keys: Vec<&str> = endpoint["response"]["keys"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let fields = match endpoint["response"]["object"].as_str() {
            Some(object) => object_fields(&api, object),
            None => &endpoint["response"]["fields"],
        };
        match payload(&example.example, &keys) {
            Some(shown) => {
                for key in unmodelled(&api, fields, &shown, "") {
                    failures.push(format!(
                        "{}: `{key}` is shown by {} and not in the description",
                        example.file, example.url
                    ));
                }
            }
            None => failures.push(format!("{}: no payload under {keys:?}", example.file)),
        }
        match by_path!(example.path.as_str(), E => decodes::<E>(example)) {
            Some(Err(e)) => failures.push(e),
            Some(Ok(())) => {}
            None => failures.push(format!(
                "{}: no request type has {}",
                example.file, example.path
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // A new example marked broken must be looked at, not set aside silently.
    assert_eq!(broken, ["customer_retrieve.json", "customer_update.json"]);
}

#[test]
fn the_check_catches_a_field_the_types_do_not_model() {
    // A made-up field in a real example: the description check and the typed decode both object.
    let api = description();
    let mut example = examples()
        .into_iter()
        .find(|e| e.path == RefundRequest::PATH)
        .expect("the refund example");
    example.example["result"]["refundChannel"] = Value::from("card");
    let err = decodes::<RefundRequest>(&example).unwrap_err();
    assert!(err.contains("refundChannel"), "{err}");
    let endpoint = api["endpoints"]
        .as_array()
        .and_then(|all| all.iter().find(|e| e["path"] == RefundRequest::PATH))
        .expect("refund in the description");
    let shown = payload(&example.example, &["result"]).expect("a payload");
    let missing = unmodelled(&api, &endpoint["response"]["fields"], &shown, "");
    assert_eq!(missing, ["refundChannel"]);
}
