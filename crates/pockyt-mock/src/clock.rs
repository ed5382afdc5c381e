//! The gateway's calendar, in UTC+8: the forms its timestamps take, and its days, which turn at
//! 16:00 UTC. What time it is comes from [`crate::SimClock`]; the calendar is the SDK's own
//! (`pockyt_types::clock`), so the simulator and the client cannot disagree on a day.

use std::time::SystemTime;

use pockyt_types::time::{OffsetDateTime, PrimitiveDateTime};
use pockyt_types::{GatewayDate, GatewayTime, UtcTimestamp};

/// `now` as an instant of the `time` crate: before 1970 it reads as 1970 (no simulated record
/// predates it), and past the calendar's end as its last second, so a clock advanced that far
/// stands still there instead of going back.
fn instant(now: SystemTime) -> OffsetDateTime {
    let Ok(since) = now.duration_since(SystemTime::UNIX_EPOCH) else {
        return OffsetDateTime::UNIX_EPOCH;
    };
    i64::try_from(since.as_secs())
        .ok()
        .and_then(|seconds| OffsetDateTime::from_unix_timestamp(seconds).ok())
        .unwrap_or_else(|| PrimitiveDateTime::MAX.assume_utc())
}

/// The gateway's day at `now`.
pub(crate) fn gateway_day(now: SystemTime) -> GatewayDate {
    GatewayDate::containing(instant(now))
}

/// `yyyy-MM-dd HH:mm:ss` in UTC+8, the form transaction records use; the calendar's last second
/// past its end.
fn on_gateway_clock(now: SystemTime) -> String {
    GatewayTime::on_gateway_clock(instant(now)).map_or_else(
        |_| "9999-12-31 23:59:59".to_owned(),
        |t| t.as_str().to_owned(),
    )
}

/// `YYYYMMDDHHMMSS` in UTC+8, the gateway's clock (the notification's `time`).
pub(crate) fn gateway_time(now: SystemTime) -> String {
    on_gateway_clock(now)
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

/// An ISO 8601 UTC time, `2024-01-01T00:00:00Z`, as the capture webhook's `completedAt`.
pub(crate) fn iso_utc(now: SystemTime) -> String {
    UtcTimestamp::at(instant(now)).map_or_else(
        |_| "9999-12-31T23:59:59Z".to_owned(),
        |stamp| stamp.as_str().to_owned(),
    )
}

/// `YYYYMMDDHHMMSS` as `yyyy-MM-dd HH:mm:ss`, the form transaction records use.
pub(crate) fn readable(compact: &str) -> String {
    let part = |range: std::ops::Range<usize>| compact.get(range).unwrap_or("00");
    format!(
        "{}-{}-{} {}:{}:{}",
        part(0..4),
        part(4..6),
        part(6..8),
        part(8..10),
        part(10..12),
        part(12..14)
    )
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn gateway_time_is_utc_plus_8() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_067_200); // 2024-01-01T00:00:00Z
        assert_eq!(gateway_time(t), "20240101080000");
        let leap = SystemTime::UNIX_EPOCH + Duration::from_secs(1_709_164_800); // 2024-02-29T00:00:00Z
        assert_eq!(gateway_time(leap), "20240229080000");
        let late = SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_124_799); // 2024-01-01T15:59:59Z
        assert_eq!(gateway_time(late), "20240101235959");
        let next = SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_124_800); // 2024-01-01T16:00:00Z
        assert_eq!(gateway_time(next), "20240102000000");
    }

    #[test]
    fn the_gateway_day_turns_at_16_00_utc() {
        let before = SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_124_799); // 2024-01-01T15:59:59Z
        let after = before + Duration::from_secs(1);
        assert_eq!(gateway_day(before).as_str(), "20240101");
        assert_eq!(gateway_day(after).as_str(), "20240102");
        assert_eq!(gateway_day(before).days_until(gateway_day(after)), 1);
        // Before the epoch reads as its day; far past the calendar, as its last.
        assert_eq!(gateway_day(SystemTime::UNIX_EPOCH).as_str(), "19700101");
        let far = SystemTime::UNIX_EPOCH + Duration::from_secs(400_000_000_000);
        assert_eq!(gateway_day(far).as_str(), "99991231");
        assert_eq!(gateway_time(far), "99991231235959");
        assert_eq!(iso_utc(far), "9999-12-31T23:59:59Z");
        let before = SystemTime::UNIX_EPOCH - Duration::from_secs(1);
        assert_eq!(iso_utc(before), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn iso_utc_is_utc() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_124_799); // 2024-01-01T15:59:59Z
        assert_eq!(iso_utc(t), "2024-01-01T15:59:59Z");
    }

    #[test]
    fn readable_form() {
        assert_eq!(readable("20240229081502"), "2024-02-29 08:15:02");
    }
}
