//! Timestamps (unix milliseconds) as readable UTC dates, without a date crate.

/// `2026-11-27 10:43 UTC`.
pub fn format_utc(ms: i64) -> String {
    let (date, secs) = split(ms);
    format!("{date} {:02}:{:02} UTC", secs / 3600, secs / 60 % 60)
}

/// `2026-11-27T10:43:05Z` (RFC 3339), as REFI-QDA and JSON exports want.
pub fn format_rfc3339(ms: i64) -> String {
    let (date, secs) = split(ms);
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

fn split(ms: i64) -> (String, i64) {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    (format!("{y:04}-{m:02}-{d:02}"), secs.rem_euclid(86_400))
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_dates() {
        assert_eq!(super::format_rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::format_utc(1_795_776_180_000), "2026-11-27 10:43 UTC");
        assert_eq!(
            super::format_rfc3339(951_782_400_000),
            "2000-02-29T00:00:00Z"
        );
    }
}
