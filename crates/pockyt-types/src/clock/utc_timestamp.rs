//! A request's `timestamp`.

use std::fmt;
use std::str::FromStr;

use time::OffsetDateTime;

use super::error::{TimeError, shown};
use super::parse;

/// A request's `timestamp`: an instant in UTC, written `yyyy-MM-ddTHH:mm:ssZ`.
///
/// [`UtcTimestamp::now`] is what a request usually wants. A parsed timestamp keeps its text, so
/// a request read back from the wire is signed over the bytes it came with; `+00:00` in place of
/// `Z` (what PHP's `gmdate('c')` writes, and so the official PHP SDK) is accepted for that reason.
///
/// ```
/// use pockyt_types::UtcTimestamp;
///
/// let stamp = UtcTimestamp::parse("2024-01-01T12:00:00Z")?;
/// assert_eq!(stamp.instant().hour(), 12);
/// assert!(UtcTimestamp::parse("2024-01-01 12:00:00").is_err());
/// assert!(UtcTimestamp::now().as_str().ends_with('Z'));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct UtcTimestamp {
    text: String,
    instant: OffsetDateTime,
}

impl UtcTimestamp {
    /// Now, to the second.
    pub fn now() -> Self {
        let now = OffsetDateTime::now_utc();
        // A clock outside the years 1 to 9999 is a broken clock; the epoch is then as good as any.
        Self::at(now).unwrap_or_else(|_| Self {
            text: "1970-01-01T00:00:00Z".to_owned(),
            instant: OffsetDateTime::UNIX_EPOCH,
        })
    }

    /// `instant` (any offset) in UTC, to the second; refused outside the years 1 to 9999.
    pub fn at(instant: OffsetDateTime) -> Result<Self, TimeError> {
        let text = parse::write_utc(instant).ok_or(TimeError::OutOfRange)?;
        let instant = parse::rfc3339(&text).ok_or(TimeError::OutOfRange)?;
        Ok(Self { text, instant })
    }

    /// Reads `yyyy-MM-ddTHH:mm:ssZ` (or the same with `+00:00`), keeping the text.
    pub fn parse(text: &str) -> Result<Self, TimeError> {
        let refused = || TimeError::NotATimestamp { text: shown(text) };
        // The documented form exactly: an upper-case `T`, and `Z` (or `+00:00`, see above).
        let utc =
            (text.ends_with('Z') || text.ends_with("+00:00")) && text.get(10..11) == Some("T");
        // Whole seconds only: the form the API documents.
        if !utc || text.len() != if text.ends_with('Z') { 20 } else { 25 } {
            return Err(refused());
        }
        let instant = parse::rfc3339(text).ok_or_else(refused)?;
        Ok(Self {
            text: text.to_owned(),
            instant,
        })
    }

    /// The text sent.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The instant, in UTC.
    pub fn instant(&self) -> OffsetDateTime {
        // Only `Z` and `+00:00` are accepted, so it is in UTC already.
        self.instant
    }
}

impl fmt::Display for UtcTimestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for UtcTimestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UtcTimestamp({})", self.text)
    }
}

impl FromStr for UtcTimestamp {
    type Err = TimeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl From<UtcTimestamp> for String {
    fn from(stamp: UtcTimestamp) -> Self {
        stamp.text
    }
}

impl TryFrom<&str> for UtcTimestamp {
    type Error = TimeError;

    fn try_from(text: &str) -> Result<Self, Self::Error> {
        Self::parse(text)
    }
}
