//! The gateway's calendar, in UTC+8: the forms its timestamps take, and its days, which turn at
//! 16:00 UTC. What time it is comes from [`crate::SimClock`].

use std::time::SystemTime;

/// Seconds since 1970-01-01T00:00:00 on the gateway's wall clock (UTC+8); an instant before
/// 1970 reads as its start, as no simulated record predates it.
fn gateway_seconds(now: SystemTime) -> u64 {
    now.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
        .saturating_add(8 * 3600)
}

/// The gateway's day of `now`: days since 1970-01-01 in UTC+8, where its midnight falls at
/// 16:00 UTC.
pub(crate) fn gateway_day(now: SystemTime) -> i64 {
    i64::try_from(gateway_seconds(now) / 86_400).unwrap_or(i64::MAX)
}

/// The civil date (year, month, day) of `days` since 1970-01-01 (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A gateway day as `YYYYMMDD`, the form of its date fields (`startDate`, `paymentDate`).
pub(crate) fn day_text(days: i64) -> String {
    let (year, month, day) = civil(days);
    format!("{year:04}{month:02}{day:02}")
}

/// `YYYYMMDDHHMMSS` in UTC+8, the gateway's clock.
pub(crate) fn gateway_time(now: SystemTime) -> String {
    let secs = gateway_seconds(now);
    let rest = secs % 86_400;
    format!(
        "{}{:02}{:02}{:02}",
        day_text(i64::try_from(secs / 86_400).unwrap_or(i64::MAX)),
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// An ISO 8601 UTC time, `2024-01-01T00:00:00Z`, as the capture webhook's `completedAt`.
pub(crate) fn iso_utc(now: SystemTime) -> String {
    let utc = now
        .checked_sub(std::time::Duration::from_secs(8 * 3600))
        .unwrap_or(SystemTime::UNIX_EPOCH);
    let compact = gateway_time(utc);
    let part = |range: std::ops::Range<usize>| compact.get(range).unwrap_or("00");
    format!(
        "{}-{}-{}T{}:{}:{}Z",
        part(0..4),
        part(4..6),
        part(6..8),
        part(8..10),
        part(10..12),
        part(12..14)
    )
}

/// `YYYYMMDDHHMMSS` as `yyyy-MM-dd HH:mm:ss`, the form transaction records use.
pub(crate) fn readable(compact: &str) -> String {
    let part = |range: std::ops::Range<usize>| compact.get(range).unwrap_or("00");
    format!(
        "{}{}-{}-{} {}:{}:{}",
        part(0..2),
        part(2..4),
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
        assert_eq!(day_text(gateway_day(before)), "20240101");
        assert_eq!(day_text(gateway_day(after)), "20240102");
        assert_eq!(gateway_day(after) - gateway_day(before), 1);
        // Across a month's and a leap year's end.
        assert_eq!(day_text(gateway_day(before) + 31), "20240201");
        assert_eq!(day_text(gateway_day(before) + 59), "20240229");
        assert_eq!(day_text(gateway_day(before) + 60), "20240301");
        assert_eq!(day_text(gateway_day(before) + 366), "20250101");
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
