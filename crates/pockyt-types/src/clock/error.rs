//! Why a text is not a time or a date.

/// A text that is not a time, a date or a timestamp in the form expected, or a day outside the
/// calendar the wire can write (years 1 to 9999).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimeError {
    /// Not one of the forms the gateway writes times in.
    #[error(
        "`{text}` is not a time the gateway writes (expected `yyyy-MM-dd HH:mm:ss` or \
         `yyyyMMddHHmmss` on its UTC+8 clock, or RFC 3339 such as `2024-01-01T12:00:00Z`)"
    )]
    NotATime {
        /// The text, shortened to 64 characters.
        text: String,
    },
    /// Not a date as `YYYYMMDD` (or, where accepted, `yyyy-MM-dd`).
    #[error("`{text}` is not a date (expected `YYYYMMDD`, such as `20240131`)")]
    NotADate {
        /// The text, shortened to 64 characters.
        text: String,
    },
    /// Not a UTC timestamp as `yyyy-MM-ddTHH:mm:ssZ`.
    #[error("`{text}` is not a UTC timestamp (expected `yyyy-MM-ddTHH:mm:ssZ`)")]
    NotATimestamp {
        /// The text, shortened to 64 characters.
        text: String,
    },
    /// A day the wire's four-digit years cannot write, or no such calendar date.
    #[error("{year:04}-{month:02}-{day:02} is not a date between the years 1 and 9999")]
    NoSuchDate {
        /// The year given.
        year: i32,
        /// The month given (1 to 12).
        month: u8,
        /// The day given.
        day: u8,
    },
    /// Moving a day or a time would leave the years 1 to 9999.
    #[error("the result lies outside the years 1 to 9999")]
    OutOfRange,
}

/// `text` for an error message: long input is cut, so an error never carries a whole body.
pub(super) fn shown(text: &str) -> String {
    text.chars().take(64).collect()
}
