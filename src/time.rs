//! Timestamps (unix milliseconds) as people and files read them: on screen in the user's own
//! time zone (the system's tz database, through `jiff`), in files as UTC RFC 3339 stamps.

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// `2026-11-27 11:43 CET`, in the time zone of the user's system.
pub fn format_local(ms: i64) -> String {
    format_in(ms, &TimeZone::system())
}

/// `2026-11-27 11:43 CET`, in `zone`, with the zone's abbreviation for that moment.
pub fn format_in(ms: i64, zone: &TimeZone) -> String {
    match Timestamp::from_millisecond(ms) {
        Ok(at) => at
            .to_zoned(zone.clone())
            .strftime("%Y-%m-%d %H:%M %Z")
            .to_string(),
        Err(_) => "an unknown time".to_string(),
    }
}

/// `2026-11-27T10:43:05Z` (RFC 3339 in UTC, whole seconds), as REFI-QDA and JSON exports want.
pub fn format_rfc3339(ms: i64) -> String {
    let at = Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH);
    at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use jiff::tz::{Offset, TimeZone};

    use super::{format_in, format_rfc3339};

    #[test]
    fn utc_stamps_for_files() {
        assert_eq!(format_rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_rfc3339(1_795_776_185_999), "2026-11-27T10:43:05Z");
        assert_eq!(format_rfc3339(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(format_rfc3339(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn screen_times_in_a_fixed_zone_and_across_midnight() {
        let oslo_winter = TimeZone::fixed(Offset::constant(1));
        assert_eq!(
            format_in(1_795_776_180_000, &oslo_winter),
            "2026-11-27 11:43 +01"
        );
        // 23:30 UTC is the next day two hours east.
        let two_east = TimeZone::fixed(Offset::constant(2));
        assert_eq!(
            format_in(1_795_822_200_000, &two_east),
            "2026-11-28 01:30 +02"
        );
        assert_eq!(format_in(0, &TimeZone::UTC), "1970-01-01 00:00 UTC");
    }

    #[test]
    fn screen_times_follow_daylight_saving_in_a_named_zone() {
        let oslo = TimeZone::get("Europe/Oslo").expect("the system's tz database");
        assert_eq!(format_in(1_795_776_180_000, &oslo), "2026-11-27 11:43 CET");
        // 1 July 2026 10:00 UTC.
        assert_eq!(format_in(1_782_900_000_000, &oslo), "2026-07-01 12:00 CEST");
    }

    #[test]
    fn a_time_out_of_range_is_named_not_a_panic() {
        assert_eq!(format_in(i64::MAX, &TimeZone::UTC), "an unknown time");
    }
}
