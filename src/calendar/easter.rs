//! Easter Sunday by the Anonymous Gregorian computus (Meeus/Jones/Butcher).

use chrono::NaiveDate;

/// Easter Sunday of `year` in the Gregorian calendar, or `None` when the date
/// is outside the range chrono can represent.
///
/// Uses the Anonymous Gregorian algorithm (published by Meeus, after Jones and
/// Butcher), valid for every Gregorian year; earlier years get the proleptic
/// Gregorian result. Euclidean division keeps it total for negative years.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let y = i64::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let n = h + l - 7 * m + 114;
    let month = u32::try_from(n.div_euclid(31)).ok()?;
    let day = u32::try_from(n.rem_euclid(31) + 1).ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Weekday};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn known_easter_sundays() {
        // Published Easter dates, including the extremes (22 March, 25 April).
        for s in [
            "1818-03-22",
            "1943-04-25",
            "1961-04-02",
            "1978-03-26",
            "1981-04-19",
            "1995-04-16",
            "1999-04-04",
            "2000-04-23",
            "2001-04-15",
            "2008-03-23",
            "2010-04-04",
            "2011-04-24",
            "2016-03-27",
            "2018-04-01",
            "2019-04-21",
            "2020-04-12",
            "2021-04-04",
            "2022-04-17",
            "2023-04-09",
            "2024-03-31",
            "2025-04-20",
            "2026-04-05",
            "2027-03-28",
            "2038-04-25",
            "2285-03-22",
        ] {
            let date = d(s);
            assert_eq!(easter_sunday(date.year()), Some(date), "{s}");
        }
    }

    /// Gauss's Easter algorithm with its two exceptions: an independent
    /// formulation to cross-check the computus over many years.
    fn gauss_easter(year: i32) -> NaiveDate {
        let k = year / 100;
        let p = (13 + 8 * k) / 25;
        let q = k / 4;
        let m = (15 - p + k - q).rem_euclid(30);
        let n = (4 + k - q).rem_euclid(7);
        let a = year % 19;
        let b = year % 4;
        let c = year % 7;
        let dd = (19 * a + m) % 30;
        let e = (2 * b + 4 * c + 6 * dd + n) % 7;
        if dd == 29 && e == 6 {
            return NaiveDate::from_ymd_opt(year, 4, 19).unwrap();
        }
        if dd == 28 && e == 6 && (11 * m + 11) % 30 < 19 {
            return NaiveDate::from_ymd_opt(year, 4, 18).unwrap();
        }
        let march_day = 22 + dd + e;
        if march_day <= 31 {
            NaiveDate::from_ymd_opt(year, 3, march_day as u32).unwrap()
        } else {
            NaiveDate::from_ymd_opt(year, 4, (march_day - 31) as u32).unwrap()
        }
    }

    #[test]
    fn agrees_with_gauss_for_every_year_1583_to_4099() {
        for year in 1583..=4099 {
            assert_eq!(easter_sunday(year), Some(gauss_easter(year)), "{year}");
        }
    }

    #[test]
    fn always_a_sunday_between_22_march_and_25_april() {
        for year in 1583..=4099 {
            let e = easter_sunday(year).unwrap();
            assert_eq!(e.weekday(), Weekday::Sun, "{year}");
            let md = (e.month(), e.day());
            assert!(((3, 22)..=(4, 25)).contains(&md), "{year}: {e}");
        }
    }

    #[test]
    fn never_panics_at_the_extremes() {
        for year in [i32::MIN, i32::MIN + 1, -262_144, -1, 0, 262_143, i32::MAX] {
            let _ = easter_sunday(year);
        }
        assert_eq!(easter_sunday(i32::MAX), None);
    }
}
