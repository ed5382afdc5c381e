//! The cassette: recorded exchanges as stable, reviewable JSON.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// The format this version writes and reads.
pub(crate) const FORMAT: &str = "pockyt-cassette/1";

/// Recorded exchanges with the gateway, in the order they happened.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cassette {
    /// Always `pockyt-cassette/1`; another value is refused when reading.
    pub format: String,
    /// The exchanges.
    pub exchanges: Vec<Exchange>,
}

/// One request and its answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Exchange {
    /// What was sent.
    pub request: RecordedRequest,
    /// What came back.
    pub response: RecordedResponse,
}

/// A request as the gateway read it: its path and its name/value pairs (secrets redacted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// The HTTP method (`POST` for every API call).
    pub method: String,
    /// The request path, e.g. `/online/v3/secure-pay`.
    pub path: String,
    /// Every pair of the body, by name; redacted values read `<redacted>`.
    pub pairs: BTreeMap<String, String>,
}

/// A response: status, the headers that matter, and the body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecordedResponse {
    /// The HTTP status.
    pub status: u16,
    /// `Content-Type`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// `Retry-After`, if any (it decides when the client tries again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<String>,
    /// A JSON body exactly as received (numbers keep their text), personal fields redacted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<Box<RawValue>>,
    /// A body that is not JSON, as text (lossy for bytes that are not UTF-8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl PartialEq for RecordedResponse {
    fn eq(&self, other: &Self) -> bool {
        self.status == other.status
            && self.content_type == other.content_type
            && self.retry_after == other.retry_after
            && self.json.as_ref().map(|j| j.get()) == other.json.as_ref().map(|j| j.get())
            && self.text == other.text
    }
}

impl RecordedResponse {
    /// The body's bytes, as they are replayed.
    pub fn body(&self) -> &str {
        match (&self.json, &self.text) {
            (Some(json), _) => json.get(),
            (None, Some(text)) => text,
            (None, None) => "",
        }
    }
}

/// A cassette could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CassetteError {
    /// The text is not a cassette (bad JSON, or a field of the wrong type): the `source()` is
    /// the parser's account.
    #[error("not a pockyt cassette")]
    Json(#[from] serde_json::Error),
    /// A cassette of another format version.
    #[error("cassette format `{found}` is not `{FORMAT}`; record it again with this version")]
    Format {
        /// The format the file names.
        found: String,
    },
    /// The cassette file could not be written: the `source()` is the I/O error.
    #[error("cannot write the cassette to {}", path.display())]
    Write {
        /// Where it was to go.
        path: std::path::PathBuf,
        /// Why it could not.
        source: std::io::Error,
    },
}

impl Default for Cassette {
    fn default() -> Self {
        Self {
            format: FORMAT.to_owned(),
            exchanges: Vec::new(),
        }
    }
}

impl Cassette {
    /// Reads a cassette written by [`Cassette::to_json`].
    pub fn from_json(text: &str) -> Result<Cassette, CassetteError> {
        let cassette: Cassette = serde_json::from_str(text)?;
        if cassette.format != FORMAT {
            return Err(CassetteError::Format {
                found: cassette.format,
            });
        }
        Ok(cassette)
    }

    /// Writes the cassette as [`Cassette::to_json`] gives it.
    pub fn save(&self, path: &std::path::Path) -> Result<(), CassetteError> {
        std::fs::write(path, self.to_json()?).map_err(|source| CassetteError::Write {
            path: path.to_owned(),
            source,
        })
    }

    /// The cassette as pretty JSON, one exchange after another, pairs sorted by name.
    pub fn to_json(&self) -> Result<String, CassetteError> {
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        Ok(text)
    }
}
