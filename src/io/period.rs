//! Provisional release periods as producers announce them: "October 2026",
//! "October to November 2026", "December 2026 to January 2027", or an exact day
//! ("19 November 2026 9:30am").
//!
//! These are the forms of the ONS release calendar (`provisional_date`) and of GOV.UK
//! statistics announcements (`display_date`, written by GOV.UK's publishing platform as
//! `%B %Y` for one month, `<month> to %B %Y` for two months — so a period over the new
//! year reads "December to January 2027" — and `%e %B %Y %l:%M%P` for an exact date).

use chrono::{Datelike, NaiveDate};

use super::fields::month_name;

/// The first and last day (inclusive) of a period written as a producer announces it.
///
/// Accepted forms (case-insensitive; month names in full or as three-letter
/// abbreviations, `Sept` too; a trailing `(provisional)` or `(confirmed)` is ignored):
///
/// | text | period |
/// |---|---|
/// | `October 2026` | 1–31 October 2026 |
/// | `October to November 2026` | 1 October – 30 November 2026 |
/// | `December to January 2027` | 1 December 2026 – 31 January 2027 |
/// | `December 2026 to January 2027` | the same |
/// | `19 November 2026`, `19 November 2026 9:30am`, `1 January 2050 09:30` | that day |
/// | `2026-10`, `2026-10 to 2026-11` | months in ISO form |
/// | `2026-11-19` | that day |
///
/// The error says which forms are accepted.
pub fn parse_period(s: &str) -> Result<(NaiveDate, NaiveDate), String> {
    let cleaned = clean(s);
    let err = || {
        format!(
            "'{}' is not a period: expected a month ('October 2026'), two months \
             ('October to November 2026', 'December 2026 to January 2027') or a day \
             ('19 November 2026')",
            s.trim()
        )
    };
    if cleaned.is_empty() {
        return Err("the period is empty".into());
    }
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    if let Some(to) = words.iter().position(|w| *w == "to") {
        let (left, right) = (&words[..to], &words[to + 1..]);
        let (end_year, end_month) = month_year(right).ok_or_else(err)?;
        let (start_year, start_month) = match left {
            [m] if month_year(left).is_none() => {
                let m = month_number(m).ok_or_else(err)?;
                // "December to January 2027": the opening month is in the year before.
                let y = if m > end_month {
                    end_year - 1
                } else {
                    end_year
                };
                (y, m)
            }
            _ => month_year(left).ok_or_else(err)?,
        };
        let first = first_day(start_year, start_month).ok_or_else(err)?;
        let last = last_day(end_year, end_month).ok_or_else(err)?;
        if first > last {
            return Err(format!(
                "'{}' ends before it starts ({} {start_year} is after {} {end_year})",
                s.trim(),
                month_name(start_month),
                month_name(end_month)
            ));
        }
        return Ok((first, last));
    }
    if let Some((y, m)) = month_year(&words) {
        let first = first_day(y, m).ok_or_else(err)?;
        let last = last_day(y, m).ok_or_else(err)?;
        return Ok((first, last));
    }
    let day = exact_day(&words).ok_or_else(err)??;
    Ok((day, day))
}

/// Lower-cases, drops commas and a trailing "(provisional)"/"(confirmed)", and collapses
/// whitespace (producers' text sometimes ends in a line break).
fn clean(s: &str) -> String {
    let mut t = s.trim().to_lowercase().replace(',', " ");
    for suffix in ["(provisional)", "(confirmed)", "(cancelled)"] {
        if let Some(rest) = t.trim_end().strip_suffix(suffix) {
            t = rest.to_string();
        }
    }
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `[month, year]` or `["YYYY-MM"]`.
fn month_year(words: &[&str]) -> Option<(i32, u32)> {
    match words {
        [m, y] => Some((year(y)?, month_number(m)?)),
        [iso] => {
            let (y, m) = iso.split_once('-')?;
            let m: u32 = m.parse().ok()?;
            (m.to_string().len() <= 2 && (1..=12).contains(&m)).then_some((year(y)?, m))
        }
        _ => None,
    }
}

/// A day: `[d, month, year, time?]` or `["YYYY-MM-DD", time?]`. `Some(Err)` when it has
/// the shape of a day that does not exist.
fn exact_day(words: &[&str]) -> Option<Result<NaiveDate, String>> {
    let (date_words, time) = match words {
        [d, m, y] => (vec![*d, *m, *y], None),
        [d, m, y, t] => (vec![*d, *m, *y], Some(*t)),
        [iso] => (vec![*iso], None),
        [iso, t] => (vec![*iso], Some(*t)),
        _ => return None,
    };
    if let Some(t) = time {
        if !is_time(t) {
            return None;
        }
    }
    match date_words.as_slice() {
        [d, m, y] => {
            let d: u32 = d
                .trim_end_matches(|c: char| c.is_ascii_alphabetic())
                .parse()
                .ok()?;
            let (y, m) = (year(y)?, month_number(m)?);
            Some(NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
                format!(
                    "no such date: {} {y} has {} days",
                    month_name(m),
                    last_day(y, m).map_or(31, |l| l.day())
                )
            }))
        }
        [iso] => {
            let parts: Vec<&str> = iso.split('-').collect();
            if parts.len() != 3 || parts[0].len() != 4 {
                return None;
            }
            Some(super::fields::parse_date(iso))
        }
        _ => None,
    }
}

/// `9:30am`, `09:30`, `9.30am`, `7am`.
fn is_time(t: &str) -> bool {
    let t = t
        .strip_suffix("am")
        .or_else(|| t.strip_suffix("pm"))
        .unwrap_or(t);
    let (h, m) = match t.split_once([':', '.']) {
        Some((h, m)) => (h, Some(m)),
        None => (t, None),
    };
    let ok_h = !h.is_empty() && h.len() <= 2 && h.chars().all(|c| c.is_ascii_digit());
    let ok_m = m.is_none_or(|m| m.len() == 2 && m.chars().all(|c| c.is_ascii_digit()));
    ok_h && ok_m
}

fn year(y: &str) -> Option<i32> {
    (y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()))
        .then(|| y.parse().ok())
        .flatten()
}

/// A month name in full or abbreviated (`oct`, `sept`), lower case.
fn month_number(m: &str) -> Option<u32> {
    let m = m.trim_end_matches('.');
    if m.len() < 3 {
        return None;
    }
    (1..=12).find(|&n| {
        let full = month_name(n).to_lowercase();
        full == m || (m.len() == 3 && full.starts_with(m)) || (n == 9 && m == "sept")
    })
}

fn first_day(y: i32, m: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, 1)
}

fn last_day(y: i32, m: u32) -> Option<NaiveDate> {
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    next?.pred_opt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn one_month() {
        assert_eq!(
            parse_period("October 2026"),
            Ok((d(2026, 10, 1), d(2026, 10, 31)))
        );
        assert_eq!(
            parse_period("february 2028"),
            Ok((d(2028, 2, 1), d(2028, 2, 29)))
        );
        assert_eq!(
            parse_period("Sept 2026"),
            Ok((d(2026, 9, 1), d(2026, 9, 30)))
        );
        assert_eq!(
            parse_period("2026-10"),
            Ok((d(2026, 10, 1), d(2026, 10, 31)))
        );
    }

    #[test]
    fn two_months_in_every_written_form() {
        let want = Ok((d(2026, 12, 1), d(2027, 1, 31)));
        // ONS form.
        assert_eq!(parse_period("December 2026 to January 2027"), want);
        // GOV.UK form over the new year: the opening month has no year.
        assert_eq!(parse_period("December to January 2027"), want);
        assert_eq!(parse_period("2026-12 to 2027-01"), want);
        assert_eq!(
            parse_period("October to November 2026"),
            Ok((d(2026, 10, 1), d(2026, 11, 30)))
        );
        assert_eq!(
            parse_period("January to February 2027 (provisional)"),
            Ok((d(2027, 1, 1), d(2027, 2, 28)))
        );
    }

    #[test]
    fn exact_days() {
        let want = Ok((d(2026, 11, 19), d(2026, 11, 19)));
        assert_eq!(parse_period("19 November 2026 9:30am"), want);
        assert_eq!(parse_period("19 November 2026"), want);
        assert_eq!(parse_period("19 November 2026 09:30 (confirmed)"), want);
        assert_eq!(parse_period("2026-11-19"), want);
        assert_eq!(parse_period("2026-11-19 07:00"), want);
        assert_eq!(
            parse_period(" 1 January 2050 09:30 "),
            Ok((d(2050, 1, 1), d(2050, 1, 1)))
        );
    }

    #[test]
    fn whitespace_and_line_breaks_are_collapsed() {
        assert_eq!(
            parse_period("December 2026 to\nJanuary 2027\n"),
            Ok((d(2026, 12, 1), d(2027, 1, 31)))
        );
    }

    #[test]
    fn errors_say_what_is_accepted() {
        for bad in [
            "Autumn 2026",
            "soon",
            "October",
            "13 2026",
            "2026",
            "October 26",
        ] {
            let e = parse_period(bad).unwrap_err();
            assert!(e.contains("expected a month"), "{bad}: {e}");
        }
        assert!(parse_period("").unwrap_err().contains("empty"));
        assert!(parse_period("30 February 2027")
            .unwrap_err()
            .contains("February 2027 has 28 days"));
        assert!(parse_period("March 2027 to January 2027")
            .unwrap_err()
            .contains("ends before it starts"));
        assert!(parse_period("19 November 2026 soon").is_err());
    }

    #[test]
    fn every_period_of_the_ons_2026_calendar_parses() {
        for p in [
            "November 2026",
            "October 2026",
            "December 2026 to January 2027",
            "November to December 2026",
            "October to November 2026",
            "December 2026",
            "19 November 2026 9:30am",
            "16 December 2026 9:30am",
            "September 2026",
            "May 2026",
            "March 2026",
            "August 2026",
        ] {
            let (a, b) = parse_period(p).unwrap();
            assert!(a <= b, "{p}");
        }
    }
}
