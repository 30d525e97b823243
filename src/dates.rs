//! Calendar dates: day numbers, today, and dates in French.
//!
//! Takes: `YYYY-MM-DD` texts and the front matter's TOML dates. Gives: day
//! numbers (days since 1970-01-01) to compare dates, today's date (the
//! `FICHES_TODAY` variable or the clock), and "15 janvier 2025" for readers.
//! Reports: nothing; `parse` refuses a date that is not a real day (`is_real`).

/// Today as a day number: `FICHES_TODAY=YYYY-MM-DD` when set (so tests do not
/// depend on the clock), else the system clock (UTC).
pub fn today() -> i64 {
    if let Some(d) = std::env::var("FICHES_TODAY")
        .ok()
        .and_then(|s| parse_iso(&s))
    {
        return d;
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    (secs / 86_400) as i64
}

/// The day number of a `YYYY-MM-DD` text, if it names a real day.
pub fn parse_iso(s: &str) -> Option<i64> {
    let mut parts = s.trim().splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    is_real(y, m, d).then(|| days_from_civil(y, m, d))
}

/// Whether year, month and day name a day of the calendar (no 31 February).
pub fn is_real(y: i64, m: i64, d: i64) -> bool {
    (1..=12).contains(&m) && (1..=days_in_month(y, m)).contains(&d)
}

/// The number of days of a month (1 to 12) of a year.
pub fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Day number of a calendar date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Year, month and day of a day number (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A day number as `YYYY-MM-DD`.
pub fn iso(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The day number of a front-matter date (`None` for a date with no day).
pub fn day_of(d: &toml::value::Datetime) -> Option<i64> {
    let date = d.date?;
    Some(days_from_civil(
        i64::from(date.year),
        i64::from(date.month),
        i64::from(date.day),
    ))
}

/// The months in French, January first.
pub const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// "2025-01-15" → "15 janvier 2025".
pub fn date_fr(d: &toml::value::Datetime) -> String {
    match d.date {
        Some(date) => {
            let day = if date.day == 1 {
                "1er".to_string()
            } else {
                date.day.to_string()
            };
            format!(
                "{day} {} {}",
                MONTHS
                    .get(usize::from(date.month).saturating_sub(1))
                    .unwrap_or(&""),
                date.year
            )
        }
        None => d.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_from_civil_counts_from_1970() {
        for (date, want) in [
            ((1970, 1, 1), 0),
            ((2000, 3, 1), 11_017),
            ((2026, 11, 22), 20_779),
        ] {
            assert_eq!(days_from_civil(date.0, date.1, date.2), want, "{date:?}");
            assert_eq!(civil_from_days(want), date, "{want}");
        }
    }

    #[test]
    fn only_real_days_are_read() {
        for (text, want) in [
            ("2026-11-22", Some(20_779)),
            ("2024-02-29", Some(19_782)),
            ("2026-02-29", None),
            ("2026-02-31", None),
            ("2026-04-31", None),
            ("2026-13-01", None),
            ("2026-00-10", None),
            ("hier", None),
        ] {
            assert_eq!(parse_iso(text), want, "{text}");
        }
        assert_eq!(iso(19_782), "2024-02-29");
    }

    #[test]
    fn dates_read_in_french() {
        for (text, want) in [
            ("2025-01-15", "15 janvier 2025"),
            ("2026-08-01", "1er août 2026"),
            ("2024-12-31", "31 décembre 2024"),
        ] {
            let d: toml::value::Datetime = text.parse().unwrap();
            assert_eq!(date_fr(&d), want);
        }
    }
}
