//! Emits `crates/pockyt/tests/it/endpoints.rs`: one test per endpoint that sends a sample request
//! through `MockTransport` and checks the path, the body and the signature.

use std::fmt::Write as _;

use super::model::{Api, EndpointDef, RequestField};
use super::types::header;

pub fn endpoints_test_rs(api: &Api) -> String {
    let mut out = header();
    out.push_str(
        "//! Every endpoint: a valid sample request goes to the right path, as a JSON body of strings\n\
         //! whose `verifySign` verifies with the merchant's key.\n\n\
         use pockyt::types::*;\nuse pockyt_types::FromWire;\n\nuse crate::support;\n\n",
    );
    for endpoint in &api.endpoints {
        let params: Vec<String> = sample_fields(api, endpoint)
            .map(|(wire, value)| format!("({wire:?}, {value:?})"))
            .collect();
        // A deprecated endpoint's named method is deprecated, its request type is not: the test
        // goes through the generic `send`, so no lint escape is needed.
        let call = if endpoint.deprecated.is_some() {
            "send".to_owned()
        } else {
            endpoint.method.clone()
        };
        let _ = write!(
            out,
            r#"#[tokio::test]
async fn {method}() {{
    let request = {name}Request::from_wire(&support::params(&[{params}]))
        .expect("the sample is valid");
    let (client, mock) = support::client();
    client.{call}(&request).await.expect("the scripted answer is a success");
    support::assert_signed_post(&mock, {path:?}, &request.wire_pairs());
}}

"#,
            method = endpoint.method,
            name = endpoint.name,
            params = params.join(", "),
            path = endpoint.path,
        );
    }
    out
}

/// Required fields, the first field of each one-of and any-of group, and every field a condition
/// may require.
fn sample_fields<'a>(
    api: &'a Api,
    endpoint: &'a EndpointDef,
) -> impl Iterator<Item = (&'a str, String)> + 'a {
    endpoint
        .request
        .iter()
        .filter(|f| {
            f.required
                || endpoint
                    .one_of
                    .iter()
                    .chain(&endpoint.any_of)
                    .any(|group| group.first() == Some(&f.wire))
                || endpoint.conditions.iter().any(|c| c.require == f.wire)
        })
        .map(|f| (f.wire.as_str(), sample_value(api, f)))
}

/// A valid value for the field: by format, by type, or the enum's first known value.
pub(super) fn sample_value(api: &Api, field: &RequestField) -> String {
    if let Some(name) = field.ty.strip_prefix("enum:")
        && let Some(first) = api
            .enums
            .iter()
            .find(|e| e.name == name)
            .and_then(|e| e.values.first())
    {
        return first.wire.clone();
    }
    let by_format = field.format.as_deref().map(|format| match format {
        "yyyymmdd" => "20240101",
        "yyyy-mm-dd" => "1990-01-31",
        "utc-timestamp" => "2024-01-01T12:00:00Z",
        "url" => "https://merchant.example.com/hook",
        "json" => r#"[{"goods_name":"T","quantity":"1"}]"#,
        "digits" => "4111111111111111",
        _ => "sample",
    });
    let value = match field.ty.as_str() {
        "amount" => "1.00",
        "integer" => "1",
        "bool" => "true",
        _ => by_format.unwrap_or("sample"),
    };
    value.to_string()
}
