//! The clock types against the calendar's edges, the gateway's midnight, and any text.

use proptest::prelude::*;
use time::{Duration, OffsetDateTime, UtcOffset};

use super::*;

fn utc(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::UNIX_EPOCH + Duration::seconds(seconds)
}

#[test]
fn the_gateways_day_turns_at_sixteen_hundred_utc() {
    // 2024-01-01T15:59:59Z is 23:59:59 on the gateway's January 1st; a second later it is the 2nd.
    let before = utc(1_704_124_799);
    let after = utc(1_704_124_800);
    assert_eq!(GatewayDate::containing(before).as_str(), "20240101");
    assert_eq!(GatewayDate::containing(after).as_str(), "20240102");
    let second = GatewayDate::containing(after);
    assert_eq!(second.starts_at(), after);
    assert!(second.contains(after) && !second.contains(before));
    assert_eq!(second.previous().map(|d| d.ends_at()), Some(after));
}

#[test]
fn the_three_forms_read_as_the_same_instant() {
    let forms = [
        "2024-01-02 00:00:00",
        "20240102000000",
        "2024-01-01T16:00:00Z",
        "2024-01-01T16:00:00+00:00",
        "2024-01-02T00:00:00+08:00",
        "2024-01-01T16:00:00.000Z",
    ];
    for form in forms {
        let time = GatewayTime::new(form);
        assert_eq!(time.to_utc(), Ok(utc(1_704_124_800)), "{form}");
        assert_eq!(
            time.gateway_day().map(String::from).as_deref(),
            Ok("20240102")
        );
        assert_eq!(time.as_str(), form);
    }
}

#[test]
fn what_is_not_a_time_is_kept_and_refused_on_reading() {
    for text in [
        "",
        "2024-02-30 00:00:00",
        "2024-01-01 24:00:00",
        "2023-02-29 00:00:00",
        "20240101",
        "2024-01-01T12:00:00",
        "2024-01-01T12:00:00+8",
        "2024-01-01T12:00:00.Z",
        "2024-01-01T12:00:00.1234567890Z",
        "+024-01-01 00:00:00",
        "٢٠٢٤-01-01 00:00:00",
    ] {
        let time = GatewayTime::new(text);
        assert_eq!(time.as_str(), text);
        assert!(
            matches!(time.to_utc(), Err(TimeError::NotATime { .. })),
            "{text}"
        );
    }
    assert!(GatewayTime::new("2024-02-29 00:00:00").to_utc().is_ok());
}

#[test]
fn dates_are_refused_outside_the_calendar_and_the_four_digit_years() {
    assert!(GatewayDate::parse("20230229").is_err());
    assert!(GatewayDate::parse("00000101").is_err());
    assert!(GatewayDate::parse("2024-01-01").is_err());
    assert!(GatewayDate::parse_lenient("2024-01-01").is_ok());
    assert!(GatewayDate::from_calendar_date(0, 1, 1).is_err());
    assert!(GatewayDate::from_calendar_date(10_000, 1, 1).is_err());
    assert!(GatewayDate::from_calendar_date(2024, 13, 1).is_err());
    let last = GatewayDate::from_calendar_date(9999, 12, 31);
    assert_eq!(last.map(GatewayDate::next), Ok(None));
    assert_eq!(
        GatewayDate::from_calendar_date(1, 1, 1).map(GatewayDate::previous),
        Ok(None)
    );
    assert_eq!(
        GatewayDate::parse("20240101").and_then(|d| d.add_days(-1)),
        GatewayDate::parse("20231231")
    );
    for far in [i64::MAX, i64::MIN, 3_652_060, -3_652_060] {
        let moved = GatewayDate::parse("20240101").and_then(|d| d.add_days(far));
        assert_eq!(moved, Err(TimeError::OutOfRange), "{far}");
    }
}

#[test]
fn the_calendars_ends_neither_panic_nor_wrap() {
    let max = time::PrimitiveDateTime::MAX.assume_offset(UtcOffset::UTC);
    let min = time::PrimitiveDateTime::MIN.assume_offset(UtcOffset::UTC);
    assert_eq!(GatewayDate::containing(max).as_str(), "99991231");
    assert_eq!(GatewayDate::containing(min).as_str(), "00010101");
    assert!(UtcTimestamp::at(max).is_ok());
    assert_eq!(UtcTimestamp::at(min), Err(TimeError::OutOfRange));
    assert_eq!(
        GatewayTime::on_gateway_clock(max),
        Err(TimeError::OutOfRange)
    );
    let last = GatewayDate::MAX;
    assert!(last.starts_at() < last.ends_at());
}

#[test]
fn a_request_timestamp_keeps_its_text() {
    for text in ["2024-05-01T12:00:00Z", "2024-05-01T12:00:00+00:00"] {
        let stamp = UtcTimestamp::parse(text);
        assert_eq!(stamp.as_ref().map(UtcTimestamp::as_str), Ok(text));
    }
    for text in [
        "2024-05-01T12:00:00+08:00",
        "2024-05-01T12:00:00.5Z",
        "2024-05-01 12:00:00Z",
        "2024-05-01T12:00:00",
        "2024-05-01t12:00:00Z",
    ] {
        assert!(UtcTimestamp::parse(text).is_err(), "{text}");
    }
}

proptest! {
    #[test]
    fn every_date_reads_back_as_written(day in 0i64..3_652_058) {
        let first = GatewayDate::from_calendar_date(1, 1, 1).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let date = first.add_days(day).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(GatewayDate::parse(date.as_str()), Ok(date));
        prop_assert_eq!(first.days_until(date), day);
    }

    #[test]
    fn written_times_read_back_as_the_same_instant(seconds in -62_135_596_800i64..253_402_300_799) {
        let at = utc(seconds);
        if let Ok(stamp) = UtcTimestamp::at(at) {
            prop_assert_eq!(stamp.instant(), at);
            prop_assert_eq!(UtcTimestamp::parse(stamp.as_str()).map(|s| s.instant()), Ok(at));
        }
        if let Ok(local) = GatewayTime::on_gateway_clock(at) {
            prop_assert_eq!(local.to_utc(), Ok(at));
            let day = GatewayDate::containing(at);
            prop_assert!(day.contains(at));
            prop_assert_eq!(local.gateway_day(), Ok(day));
        }
    }

    #[test]
    fn no_text_panics_any_reader(text in "\\PC{0,40}") {
        let _ = GatewayTime::new(text.as_str()).to_utc();
        let _ = GatewayDate::parse_lenient(&text);
        let _ = UtcTimestamp::parse(&text);
    }

    #[test]
    fn no_digit_pattern_panics_any_reader(text in "[0-9T:+. Z-]{0,30}") {
        let _ = GatewayTime::new(text.as_str()).gateway_day();
        let _ = GatewayDate::parse(&text);
        let _ = UtcTimestamp::parse(&text);
    }
}

#[test]
fn the_calendar_knows_every_months_length_and_each_separator() {
    use super::parse::{compact_date, dashed_date};
    assert!(compact_date("20240229").is_some() && compact_date("20230229").is_none());
    assert!(compact_date("2024-02-29").is_none() && dashed_date("2024-02-29").is_some());
    assert!(compact_date("20241301").is_none() && compact_date("2024010").is_none());
    assert!(compact_date("２０２４０１０１").is_none());
    for (ok, bad) in [
        ("2024-04-30", "2024-04-31"),
        ("2024-11-30", "2024-11-31"),
        ("2023-02-28", "2023-02-29"),
        ("2000-02-29", "1900-02-29"),
        ("2024-12-31", "2024-00-10"),
        ("2024-01-01", "2024-01-00"),
        ("2024-01-01", "2024x01-01"),
        ("2024-01-01", "2024-01x01"),
    ] {
        assert!(
            dashed_date(ok).is_some() && dashed_date(bad).is_none(),
            "{bad}"
        );
    }
    assert!(compact_date("+0240101").is_none() && compact_date("2024+101").is_none());
    for bad in [
        "2024-01-01T24:00:00Z",
        "2024-01-01T12x30:45Z",
        "2024-01-01T12:30x45Z",
        "2024-01-01x12:30:45Z",
        "2024-01-01T12:30:45x",
        "2024-01-01T12:60:00Z",
        "2024-01-01T12:00:60Z",
    ] {
        assert!(UtcTimestamp::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_time_in_another_json_type_decodes_and_says_it_is_not_a_time() {
    for json in ["1.7e9", "true", "1700000000"] {
        let time: GatewayTime = serde_json::from_str(json).unwrap();
        assert!(time.to_utc().is_err(), "{json}");
    }
    let absent: Option<GatewayTime> = serde_json::from_str("null").unwrap();
    assert!(absent.is_none());
}
