//! Reading and writing the gateway's forms by hand: they are fixed-width digits, and a format
//! description language (and its crate features) would cost more than these few lines.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use super::GATEWAY_OFFSET;

/// The number written by the ASCII digits `text[range]`, if they are all digits.
fn number(text: &[u8], range: std::ops::Range<usize>) -> Option<u32> {
    let digits = text.get(range)?;
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

/// A calendar date from its parts, within the years 1 to 9999.
pub(super) fn date(year: u32, month: u32, day: u32) -> Option<Date> {
    if !(1..=9999).contains(&year) {
        return None;
    }
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?).ok()
}

/// `YYYYMMDD`.
pub(super) fn compact_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    if b.len() != 8 {
        return None;
    }
    date(number(b, 0..4)?, number(b, 4..6)?, number(b, 6..8)?)
}

/// `yyyy-MM-dd`.
pub(crate) fn dashed_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    date(number(b, 0..4)?, number(b, 5..7)?, number(b, 8..10)?)
}

/// `HH:mm:ss` at `b[at..at + 8]`, or `HHmmss` at `b[at..at + 6]` when `colons` is false.
fn clock_time(b: &[u8], at: usize, colons: bool) -> Option<Time> {
    let step = if colons { 3 } else { 2 };
    if colons && (b.get(at + 2) != Some(&b':') || b.get(at + 5) != Some(&b':')) {
        return None;
    }
    let part = |i: usize| {
        let start = at + i * step;
        number(b, start..start + 2)
    };
    let (h, m, s) = (part(0)?, part(1)?, part(2)?);
    Time::from_hms(
        u8::try_from(h).ok()?,
        u8::try_from(m).ok()?,
        u8::try_from(s).ok()?,
    )
    .ok()
}

/// Any of the gateway's forms, as an instant with the offset it was written in.
pub(super) fn instant(text: &str) -> Option<OffsetDateTime> {
    let b = text.as_bytes();
    match b.len() {
        // yyyyMMddHHmmss, UTC+8 (the notification's `time`).
        14 => {
            let day = date(number(b, 0..4)?, number(b, 4..6)?, number(b, 6..8)?)?;
            let at = clock_time(b, 8, false)?;
            Some(PrimitiveDateTime::new(day, at).assume_offset(GATEWAY_OFFSET))
        }
        // yyyy-MM-dd HH:mm:ss, UTC+8 (transaction records).
        19 if b[10] == b' ' => {
            let day = dashed_date(text.get(..10)?)?;
            let at = clock_time(b, 11, true)?;
            Some(PrimitiveDateTime::new(day, at).assume_offset(GATEWAY_OFFSET))
        }
        _ => rfc3339(text),
    }
}

/// `yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:MM)`.
pub(super) fn rfc3339(text: &str) -> Option<OffsetDateTime> {
    let b = text.as_bytes();
    if b.len() < 20 || !matches!(b[10], b'T' | b't') {
        return None;
    }
    let day = dashed_date(text.get(..10)?)?;
    let mut at = clock_time(b, 11, true)?;
    let mut rest = 19;
    if b.get(rest) == Some(&b'.') {
        let digits = b[rest + 1..]
            .iter()
            .take_while(|d| d.is_ascii_digit())
            .count();
        if digits == 0 || digits > 9 {
            return None;
        }
        let fraction = number(b, rest + 1..rest + 1 + digits)?;
        let nanos = fraction * 10u32.pow(u32::try_from(9 - digits).ok()?);
        at = at.replace_nanosecond(nanos).ok()?;
        rest += 1 + digits;
    }
    let offset = match &b[rest..] {
        [b'Z' | b'z'] => UtcOffset::UTC,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let h = i8::try_from(number(b, rest + 1..rest + 3)?).ok()?;
            let m = i8::try_from(number(b, rest + 4..rest + 6)?).ok()?;
            let (h, m) = if *sign == b'-' { (-h, -m) } else { (h, m) };
            UtcOffset::from_hms(h, m, 0).ok()?
        }
        _ => return None,
    };
    Some(PrimitiveDateTime::new(day, at).assume_offset(offset))
}

/// `YYYYMMDD` of a date within the years 1 to 9999 (others are never built).
pub(super) fn write_compact(day: Date) -> [u8; 8] {
    let mut out = [b'0'; 8];
    put(&mut out[0..4], day.year().unsigned_abs());
    put(&mut out[4..6], u32::from(u8::from(day.month())));
    put(&mut out[6..8], u32::from(day.day()));
    out
}

/// `yyyy-MM-ddTHH:mm:ssZ` of an instant in UTC, if its year is 1 to 9999 there.
pub(super) fn write_utc(instant: OffsetDateTime) -> Option<String> {
    write(instant, UtcOffset::UTC, 'T', "Z")
}

/// `yyyy-MM-dd HH:mm:ss` of an instant on the gateway's clock, if its year is 1 to 9999 there.
pub(super) fn write_gateway(instant: OffsetDateTime) -> Option<String> {
    write(instant, GATEWAY_OFFSET, ' ', "")
}

/// `instant` on the clock `offset` as `yyyy-MM-dd{between}HH:mm:ss{zone}`.
fn write(instant: OffsetDateTime, offset: UtcOffset, between: char, zone: &str) -> Option<String> {
    let local = instant.checked_to_offset(offset)?;
    let (day, at) = (local.date(), local.time());
    if !(1..=9999).contains(&day.year()) {
        return None;
    }
    Some(format!(
        "{:04}-{:02}-{:02}{between}{:02}:{:02}:{:02}{zone}",
        day.year(),
        u8::from(day.month()),
        day.day(),
        at.hour(),
        at.minute(),
        at.second()
    ))
}

/// Writes `n` as zero-padded digits filling `out`.
fn put(out: &mut [u8], mut n: u32) {
    for slot in out.iter_mut().rev() {
        // `n % 10` is below 10, so the cast keeps it.
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
}
