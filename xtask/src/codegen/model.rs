//! The shape of `api/pockyt-api.json` (documented in `api/SCHEMA.md`).

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Api {
    pub about: String,
    pub notes: Vec<String>,
    pub groups: Vec<Group>,
    pub enums: Vec<EnumDef>,
    pub objects: Vec<ObjectDef>,
    pub endpoints: Vec<EndpointDef>,
    /// Paths a source calls that are deliberately not modelled, each with the reason.
    #[serde(default)]
    pub unmodelled: Vec<Unmodelled>,
}

/// A path left out of the description on purpose.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unmodelled {
    pub path: String,
    pub why: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub module: String,
    pub title: String,
    pub doc: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumDef {
    pub name: String,
    pub doc: String,
    pub source: String,
    pub values: Vec<EnumValue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumValue {
    pub wire: String,
    pub variant: String,
    pub doc: String,
    /// Where this value comes from, when not from the enum's own `source`.
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectDef {
    pub name: String,
    pub doc: String,
    #[serde(default)]
    pub source: Option<String>,
    pub fields: Vec<ResponseField>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointDef {
    pub name: String,
    pub method: String,
    pub path: String,
    pub group: String,
    pub idempotent: bool,
    pub doc: String,
    pub source: String,
    #[serde(default)]
    pub note: Option<String>,
    pub request: Vec<RequestField>,
    #[serde(default)]
    pub one_of: Vec<Vec<String>>,
    #[serde(default)]
    pub any_of: Vec<Vec<String>>,
    #[serde(default)]
    pub conditions: Vec<Condition>,
    /// Set for an older name of a call: what to use instead.
    #[serde(default)]
    pub deprecated: Option<String>,
    pub response: ResponseDef,
}

/// `require` must be set when `when` is set (and, with `is`, has one of those wire values).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub require: String,
    pub when: String,
    #[serde(default)]
    pub is: Vec<String>,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestField {
    pub wire: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub required: bool,
    pub doc: String,
    #[serde(default)]
    pub max_len: Option<usize>,
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub sensitive: bool,
    /// Where this field comes from, when not from its endpoint's `source`.
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseDef {
    pub keys: Vec<String>,
    /// The payload's fields, when they are this call's own.
    #[serde(default)]
    pub fields: Vec<ResponseField>,
    /// The shared object the payload is, when several calls answer the same shape.
    #[serde(default)]
    pub object: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseField {
    pub wire: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub doc: String,
    /// Where this field comes from, when not from its endpoint's (or object's) `source`.
    #[serde(default)]
    pub source: Option<String>,
}
