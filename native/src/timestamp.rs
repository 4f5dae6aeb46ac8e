//! Timestamps the Genesys way: UTC, whole seconds, truncated. Only the common ISO-8601 form
//! (`2026-01-05T10:00:00Z`, optionally `.250` and a `+01:00` offset or none) is read here;
//! any other form Python's `datetime.fromisoformat` takes is declined to the Python engine.

/// Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number (the inverse of `days_from_civil`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn digits(text: &[u8]) -> Option<i64> {
    if text.is_empty() || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(text.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
}

/// Milliseconds from the epoch of `YYYY-MM-DDTHH:MM:SS[.mmm][Z|±HH:MM]` (naive means UTC).
pub fn parse_timestamp_ms(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() < 19 || bytes[4] != b'-' || bytes[7] != b'-' || bytes[10] != b'T' {
        return None;
    }
    if bytes[13] != b':' || bytes[16] != b':' {
        return None;
    }
    let year = digits(&bytes[0..4])?;
    let month = digits(&bytes[5..7])?;
    let day = digits(&bytes[8..10])?;
    let (hour, minute, second) = (
        digits(&bytes[11..13])?,
        digits(&bytes[14..16])?,
        digits(&bytes[17..19])?,
    );
    if year < 1 || !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut rest = &bytes[19..];
    let mut millis = 0;
    if rest.first() == Some(&b'.') {
        if rest.len() < 4 {
            return None;
        }
        millis = digits(&rest[1..4])?;
        rest = &rest[4..];
    }
    let offset_minutes = match rest {
        [] | [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hours = digits(&[*h1, *h2])?;
            let minutes = digits(&[*m1, *m2])?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let total = hours * 60 + minutes;
            if *sign == b'-' {
                -total
            } else {
                total
            }
        }
        _ => return None,
    };
    let seconds = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
        - offset_minutes * 60;
    if seconds < days_from_civil(1, 1, 1) * 86_400 {
        return None; // before year 1 in UTC: Python cannot hold it
    }
    Some(seconds * 1000 + millis)
}

/// `YYYY-MM-DDTHH:MM:SSZ` of an instant in ms from the epoch, truncated to the second.
pub fn format_timestamp(ms: i64) -> String {
    let seconds = ms.div_euclid(1000);
    let (days, in_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        in_day / 3600,
        in_day % 3600 / 60,
        in_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timestamp_round_trips_through_milliseconds() {
        let ms = parse_timestamp_ms("2026-01-05T10:00:00.250Z").unwrap();
        assert_eq!(format_timestamp(ms + 59_999), "2026-01-05T10:01:00Z");
        assert_eq!(
            format_timestamp(parse_timestamp_ms("0999-03-01T00:00:00").unwrap()),
            "0999-03-01T00:00:00Z"
        );
    }

    #[test]
    fn an_offset_is_taken_back_to_utc() {
        let ms = parse_timestamp_ms("2024-02-29T23:30:00-01:00").unwrap();
        assert_eq!(format_timestamp(ms), "2024-03-01T00:30:00Z");
    }

    #[test]
    fn other_forms_are_left_to_python() {
        for text in [
            "2024-02-30T00:00:00Z",
            "2024-01-01 00:00:00",
            "2024-01-01T00:00:00.5Z",
            " 2024-01-01T00:00:00Z",
        ] {
            assert_eq!(parse_timestamp_ms(text), None, "{text}");
        }
    }
}

/// Seconds of a millisecond offset as Python's `f"{ms / 1000:g}"` writes them: six
/// significant digits, no trailing zeros, exponent form below 1e-4 or from 1e6.
pub fn seconds_g(ms: i64) -> String {
    let x = ms as f64 / 1000.0;
    if x == 0.0 {
        return "0".to_string();
    }
    let scientific = format!("{x:.5e}");
    let (mantissa, exponent) = scientific.split_once('e').expect("an exponent");
    let exponent: i32 = exponent.parse().expect("a number");
    if (-4..6).contains(&exponent) {
        let fixed = format!("{x:.*}", (5 - exponent) as usize);
        return strip_zeros(&fixed).to_string();
    }
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{}e{sign}{:02}", strip_zeros(mantissa), exponent.abs())
}

fn strip_zeros(number: &str) -> &str {
    if number.contains('.') {
        number.trim_end_matches('0').trim_end_matches('.')
    } else {
        number
    }
}

#[cfg(test)]
mod seconds_tests {
    use super::seconds_g;

    #[test]
    fn seconds_are_written_as_python_g_writes_them() {
        let cases = [
            (0, "0"),
            (570_000, "570"),
            (1_234_500, "1234.5"),
            (1_250, "1.25"),
            (999_999_000, "999999"),
            (1_234_567_000, "1.23457e+06"),
            (10_000_000_000_000, "1e+10"),
            (1, "0.001"),
        ];
        for (ms, text) in cases {
            assert_eq!(seconds_g(ms), text, "{ms}");
        }
    }
}
