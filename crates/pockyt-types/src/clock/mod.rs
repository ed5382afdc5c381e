//! The gateway's time, typed: its clock runs on UTC+8, and it writes times in three forms.
//!
//! Pockyt's servers keep China Standard Time (UTC+8, with no daylight saving since 1991), so a
//! transaction's `createTime` of `2024-01-01 00:30:00` happened at `2023-12-31T16:30:00Z`, and the
//! day a date-range query such as trans-list means by `20240101` is the gateway's day, which
//! starts at 16:00 UTC the evening before. Three forms appear on the wire:
//!
//! | Form | Where | Clock |
//! |---|---|---|
//! | `yyyy-MM-dd HH:mm:ss` | transaction records (`createTime`, `paymentTime`) | UTC+8 |
//! | `yyyyMMddHHmmss` | the payment notification's `time` | UTC+8 |
//! | `yyyy-MM-ddTHH:mm:ssZ` | customers, payees, payouts, request `timestamp`s | UTC |
//!
//! - [`GatewayTime`]: a time the gateway sent, in any of these forms. It keeps the text exactly as
//!   received (so a response re-serialises byte for byte and a changed format never fails a
//!   decode) and reads it as an instant on demand: [`GatewayTime::to_utc`],
//!   [`GatewayTime::gateway_day`].
//! - [`GatewayDate`]: a calendar day on the gateway's clock, as date-range requests take it
//!   (`YYYYMMDD`); [`GatewayDate::today`] is the gateway's today, wherever your server is.
//! - [`UtcTimestamp`]: a request's `timestamp`, `yyyy-MM-ddTHH:mm:ssZ`;
//!   [`UtcTimestamp::now`] is what a request usually wants.
//!
//! The instants are [`time::OffsetDateTime`] values of the `time` crate, re-exported as
//! [`crate::time`].
//!
//! ```
//! use pockyt_types::{GatewayDate, GatewayTime};
//!
//! // Half past midnight on the gateway's clock is the previous evening in UTC.
//! let paid = GatewayTime::new("2024-01-01 00:30:00");
//! assert_eq!(paid.to_utc()?.hour(), 16);
//! assert_eq!(paid.gateway_day()?, GatewayDate::parse("20240101")?);
//! assert_eq!(paid.to_utc()?.day(), 31);
//!
//! // The same instant as the notification's `time` writes it.
//! assert_eq!(GatewayTime::new("20240101003000").to_utc()?, paid.to_utc()?);
//!
//! // A day's bounds, for a window of your own records.
//! let day = GatewayDate::from_calendar_date(2024, 1, 1)?;
//! assert_eq!(day.to_string(), "20240101");
//! assert_eq!(day.starts_at(), paid.to_utc()? - pockyt_types::time::Duration::minutes(30));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod date;
mod error;
mod gateway_time;
pub(crate) mod parse;
#[cfg(test)]
mod tests;
mod utc_timestamp;

pub use date::GatewayDate;
pub use error::TimeError;
pub use gateway_time::GatewayTime;
pub use utc_timestamp::UtcTimestamp;

/// The offset of the gateway's clock from UTC: +08:00, all year.
pub const GATEWAY_OFFSET: time::UtcOffset = match time::UtcOffset::from_hms(8, 0, 0) {
    Ok(offset) => offset,
    // Evaluated at compile time: an impossible offset would fail the build, never a run.
    Err(_) => panic!("UTC+8 is a valid offset"),
};
