//! A calendar day on the gateway's clock.

use std::fmt;
use std::str::FromStr;

use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time};

use super::error::{TimeError, shown};
use super::{GATEWAY_OFFSET, parse};

/// A calendar day on the gateway's UTC+8 clock, as date-range requests (`trans-list`,
/// `settle-list`, `data-status`) take it: written `YYYYMMDD`.
///
/// The gateway's day `D` runs from `D−1 16:00 UTC` to `D 16:00 UTC`: a payment made at 17:00 UTC
/// on January 1st is on the gateway's January 2nd. [`GatewayDate::containing`] makes that
/// conversion, [`GatewayDate::today`] is the gateway's today, and [`starts_at`](Self::starts_at) /
/// [`ends_at`](Self::ends_at) bound a day for your own records.
///
/// ```
/// use pockyt_types::GatewayDate;
/// use pockyt_types::time::{Date, Month, PrimitiveDateTime, Time, UtcOffset};
///
/// // 17:00 UTC on January 1st is already January 2nd on the gateway's clock.
/// let at = PrimitiveDateTime::new(
///     Date::from_calendar_date(2024, Month::January, 1)?,
///     Time::from_hms(17, 0, 0)?,
/// )
/// .assume_offset(UtcOffset::UTC);
/// let day = GatewayDate::containing(at);
/// assert_eq!(day.to_string(), "20240102");
/// assert!(day.contains(at) && day.starts_at() < at);
/// assert_eq!(day.previous().map(|d| d.to_string()).as_deref(), Some("20240101"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GatewayDate {
    day: Date,
    /// `YYYYMMDD`, kept so a request can lend it to its wire pairs.
    text: [u8; 8],
}

impl GatewayDate {
    fn of(day: Date) -> Result<Self, TimeError> {
        if !(1..=9999).contains(&day.year()) {
            return Err(TimeError::OutOfRange);
        }
        Ok(Self {
            day,
            text: parse::write_compact(day),
        })
    }

    /// The day `year`-`month`-`day` (month 1 to 12), refused when there is no such date or the
    /// year is outside 1 to 9999.
    pub fn from_calendar_date(year: i32, month: u8, day: u8) -> Result<Self, TimeError> {
        let no_such = TimeError::NoSuchDate { year, month, day };
        let (Ok(y), true) = (u32::try_from(year), year > 0) else {
            return Err(no_such);
        };
        parse::date(y, u32::from(month), u32::from(day))
            .ok_or(no_such)
            .and_then(Self::of)
    }

    /// Reads `YYYYMMDD`, the form the gateway's requests and answers use.
    pub fn parse(text: &str) -> Result<Self, TimeError> {
        parse::compact_date(text)
            .ok_or_else(|| TimeError::NotADate { text: shown(text) })
            .and_then(Self::of)
    }

    /// Reads `YYYYMMDD` or `yyyy-MM-dd`, for dates people type (the CLI's `--from`).
    pub fn parse_lenient(text: &str) -> Result<Self, TimeError> {
        parse::compact_date(text)
            .or_else(|| parse::dashed_date(text))
            .ok_or_else(|| TimeError::NotADate { text: shown(text) })
            .and_then(Self::of)
    }

    /// The gateway's day at `instant` (any offset; converted to UTC+8 first). Instants before
    /// the year 1 or after 9999 on that clock give the first or the last day.
    pub fn containing(instant: OffsetDateTime) -> Self {
        let day = instant
            .checked_to_offset(GATEWAY_OFFSET)
            .map(|local| local.date())
            .filter(|day| (1..=9999).contains(&day.year()));
        match day.map(Self::of) {
            Some(Ok(day)) => day,
            _ if instant.year() > 0 => Self::MAX,
            _ => Self::MIN,
        }
    }

    /// The gateway's today, by this machine's clock.
    pub fn today() -> Self {
        Self::containing(OffsetDateTime::now_utc())
    }

    /// The first day the wire's four-digit years can write: 0001-01-01.
    pub const MIN: Self = match Date::from_ordinal_date(1, 1) {
        Ok(day) => Self {
            day,
            text: *b"00010101",
        },
        Err(_) => panic!("the first day of the year 1 exists"),
    };

    /// The last day the wire's four-digit years can write: 9999-12-31.
    pub const MAX: Self = match Date::from_ordinal_date(9999, 365) {
        Ok(day) => Self {
            day,
            text: *b"99991231",
        },
        Err(_) => panic!("the last day of the year 9999 exists"),
    };

    /// The calendar date, as the `time` crate's [`Date`].
    pub fn date(self) -> Date {
        self.day
    }

    /// `YYYYMMDD`.
    pub fn as_str(&self) -> &str {
        // Always ASCII digits: written by `parse::write_compact`.
        std::str::from_utf8(&self.text).unwrap_or_default()
    }

    /// The next day, unless this is 9999-12-31.
    pub fn next(self) -> Option<Self> {
        self.day.next_day().and_then(|d| Self::of(d).ok())
    }

    /// The day before, unless this is 0001-01-01.
    pub fn previous(self) -> Option<Self> {
        self.day.previous_day().and_then(|d| Self::of(d).ok())
    }

    /// The day `days` after this one (before it, for a negative count).
    pub fn add_days(self, days: i64) -> Result<Self, TimeError> {
        // The calendar spans fewer days than this; a longer move would overflow the duration.
        const SPAN: i64 = 3_652_059;
        if !(-SPAN..=SPAN).contains(&days) {
            return Err(TimeError::OutOfRange);
        }
        self.day
            .checked_add(Duration::days(days))
            .ok_or(TimeError::OutOfRange)
            .and_then(Self::of)
    }

    /// Days from this day to `later` (negative when `later` comes first).
    pub fn days_until(self, later: Self) -> i64 {
        (later.day - self.day).whole_days()
    }

    /// The instant this day begins: midnight on the gateway's clock.
    pub fn starts_at(self) -> OffsetDateTime {
        PrimitiveDateTime::new(self.day, Time::MIDNIGHT).assume_offset(GATEWAY_OFFSET)
    }

    /// The instant this day ends, which is the next day's beginning (exclusive); for
    /// 9999-12-31, the last instant the calendar has.
    pub fn ends_at(self) -> OffsetDateTime {
        match self.day.next_day() {
            Some(next) => PrimitiveDateTime::new(next, Time::MIDNIGHT),
            None => PrimitiveDateTime::MAX,
        }
        .assume_offset(GATEWAY_OFFSET)
    }

    /// Whether `instant` falls on this day of the gateway's.
    pub fn contains(self, instant: OffsetDateTime) -> bool {
        self.starts_at() <= instant && instant < self.ends_at()
    }
}

impl fmt::Display for GatewayDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for GatewayDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "GatewayDate({})", self.as_str())
    }
}

impl FromStr for GatewayDate {
    type Err = TimeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl From<GatewayDate> for String {
    fn from(day: GatewayDate) -> Self {
        day.as_str().to_owned()
    }
}

impl serde::Serialize for GatewayDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for GatewayDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}
