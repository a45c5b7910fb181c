//! Parsing single field values: dates, times, id lists; and "did you mean" suggestions.

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};

/// Parses `YYYY-MM-DD` or UK `DD/MM/YYYY` (also `D/M/YYYY`).
/// The error says what was expected, or why the date does not exist.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let s = s.trim();
    let parts: Option<(i32, u32, u32)> = if let Some((y, rest)) = s.split_once('-') {
        rest.split_once('-').and_then(|(m, d)| {
            (y.len() == 4 && !m.is_empty() && m.len() <= 2 && !d.is_empty() && d.len() <= 2)
                .then(|| Some((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)))
                .flatten()
        })
    } else if let Some((d, rest)) = s.split_once('/') {
        rest.split_once('/').and_then(|(m, y)| {
            (y.len() == 4 && !m.is_empty() && m.len() <= 2 && !d.is_empty() && d.len() <= 2)
                .then(|| Some((y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)))
                .flatten()
        })
    } else {
        None
    };
    let Some((y, m, d)) = parts else {
        return Err(
            "expected a date as YYYY-MM-DD (e.g. 2027-08-05) or DD/MM/YYYY (e.g. 05/08/2027)"
                .into(),
        );
    };
    if !(1..=12).contains(&m) {
        return Err(format!("there is no month {m}: months run from 1 to 12"));
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        let days = days_in_month(y, m);
        format!("no such date: {} {y} has {days} days", month_name(m))
    })
}

/// A date as [`parse_date`] reads it that is also inside the supported range
/// (1978-01-01 to 2199-12-31, [`crate::limits::check_date`]).
pub fn parse_supported_date(s: &str) -> Result<NaiveDate, String> {
    parse_date(s).and_then(crate::limits::check_date)
}

fn days_in_month(y: i32, m: u32) -> u32 {
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).map_or(31, |d| d.day())
}

/// The English name of month `m` (1–12).
pub fn month_name(m: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES
        .get((m as usize).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

/// Parses a local time: 24-hour `HH:MM` (or `H:MM`, `HH:MM:SS`), or 12-hour with
/// AM/PM as spreadsheet programs write it when they re-save a file (`09:30:00 AM`,
/// `9:30 am`, `07:00 PM`, `9:30AM`).
pub fn parse_time(s: &str) -> Result<NaiveTime, String> {
    let s = s.trim();
    let err = || {
        "expected a time as HH:MM, e.g. 09:30 or 07:00 (12-hour times such as 09:30:00 AM are read too)".to_string()
    };
    let lower = s.to_ascii_lowercase();
    let twelve_hour = ["am", "pm", "a.m.", "p.m."].iter().find_map(|suffix| {
        lower
            .strip_suffix(suffix)
            .map(|rest| (rest.trim_end(), suffix.starts_with('p')))
    });
    match twelve_hour {
        Some((clock, pm)) => {
            let t = NaiveTime::parse_from_str(clock, "%H:%M")
                .or_else(|_| NaiveTime::parse_from_str(clock, "%H:%M:%S"))
                .map_err(|_| err())?;
            let hour = t.hour();
            if !(1..=12).contains(&hour) {
                return Err(format!(
                    "'{}' is not a 12-hour time: with AM or PM the hour runs from 1 to 12",
                    crate::limits::echo(s)
                ));
            }
            let hour24 = match (hour, pm) {
                (12, false) => 0,
                (12, true) => 12,
                (h, false) => h,
                (h, true) => h + 12,
            };
            t.with_hour(hour24).ok_or_else(err)
        }
        None => NaiveTime::parse_from_str(s, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S"))
            .map_err(|_| err()),
    }
}

/// Splits a `;`-separated list of ids, trimming and dropping empty entries.
pub fn split_ids(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// The known id closest to `unknown` by edit distance, if it is close enough to be a likely typo.
pub fn nearest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Edit distances cost the product of the lengths: a long value is no typo of an id.
    const LONGEST: usize = 200;
    if unknown.len() > LONGEST {
        return None;
    }
    let known = known.into_iter().filter(|k| k.len() <= LONGEST);
    let u = unknown.to_ascii_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for k in known {
        let score = strsim::jaro_winkler(&u, &k.to_ascii_lowercase());
        // Ties keep the first known id: deterministic for a given input order.
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, k));
        }
    }
    best.filter(|(s, _)| *s >= 0.75).map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_formats() {
        let want = NaiveDate::from_ymd_opt(2027, 8, 5).unwrap();
        assert_eq!(parse_date("2027-08-05"), Ok(want));
        assert_eq!(parse_date("05/08/2027"), Ok(want));
        assert_eq!(parse_date("5/8/2027"), Ok(want));
    }

    #[test]
    fn impossible_dates_say_why() {
        assert_eq!(
            parse_date("2027-02-30").unwrap_err(),
            "no such date: February 2027 has 28 days"
        );
        assert!(parse_date("2027-13-01").unwrap_err().contains("month 13"));
        assert!(parse_date("next Tuesday")
            .unwrap_err()
            .contains("YYYY-MM-DD"));
        assert!(parse_date("08/05/27").is_err());
    }

    #[test]
    fn times() {
        assert_eq!(
            parse_time("07:00"),
            Ok(NaiveTime::from_hms_opt(7, 0, 0).unwrap())
        );
        assert!(parse_time("9.30am").is_err());
    }

    #[test]
    fn twelve_hour_times_as_spreadsheets_write_them() {
        let t = |h, m| Ok(NaiveTime::from_hms_opt(h, m, 0).unwrap());
        assert_eq!(parse_time("09:30:00 AM"), t(9, 30));
        assert_eq!(parse_time("9:30 am"), t(9, 30));
        assert_eq!(parse_time("9:30AM"), t(9, 30));
        assert_eq!(parse_time("07:00:00 PM"), t(19, 0));
        assert_eq!(parse_time("12:00:00 PM"), t(12, 0));
        assert_eq!(parse_time("12:15 AM"), t(0, 15));
        assert_eq!(parse_time("9:30 a.m."), t(9, 30));
        assert!(parse_time("13:00 PM").unwrap_err().contains("1 to 12"));
        assert!(parse_time("0:30 AM").is_err());
        assert!(parse_time("AM").is_err());
    }

    #[test]
    fn suggests_near_ids() {
        let known = ["bso-website", "bso-db", "govuk"];
        assert_eq!(nearest("bso-webiste", known), Some("bso-website"));
        assert_eq!(nearest("zzzzzz", known), None);
    }
}
