//! The documented input limits (`docs/cli.md`, "Limits and guarantees").
//!
//! Every value `stagger` accepts is inside these limits, and inside them no
//! arithmetic can overflow: a weight sum is at most
//! `MAX_RELEASES × MAX_WEIGHT` = 10^6 × 10^6 = 10^12 (10^15 in thousandths), well
//! below both `u64::MAX` (≈ 1.8 × 10^19) and 2^53 (≈ 9.0 × 10^15, the largest integer
//! an `f64` holds exactly, which the bounds and the MILP use). Values outside the
//! limits are input errors (exit 3, with file and line) or usage errors (exit 2).

use chrono::{Datelike, NaiveDate};

use crate::calendar::{FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR};

/// The first date a release, window bound, closure or date option may name:
/// 1 January of the first year with the modern bank-holiday rules (1978).
pub const FIRST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(FIRST_SUPPORTED_YEAR, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// The last date a release, window bound, closure or date option may name:
/// 31 December of the last year the bank-holiday rules are computed for (2199).
pub const LAST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(LAST_SUPPORTED_YEAR, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

/// The widest window a release may have, in calendar days from `earliest` to
/// `latest` inclusive: two years.
pub const MAX_WINDOW_DAYS: i64 = 731;

/// The largest `--max-shift`: 250 working days (about a year) either side.
pub const MAX_SHIFT_WORKING_DAYS: u32 = 250;

/// The largest weight of one release.
pub const MAX_WEIGHT: u64 = 1_000_000;

/// The most releases (data rows) one releases file may hold.
pub const MAX_RELEASES: usize = 1_000_000;

/// The largest sum of weights: every release at the largest weight.
pub const MAX_WEIGHT_SUM: f64 = MAX_RELEASES as f64 * MAX_WEIGHT as f64;

/// The largest `--time-limit`, in seconds (about 11.6 days).
pub const MAX_TIME_LIMIT_SECONDS: f64 = 1_000_000.0;

/// The largest `risk --fallback-minutes` (one year of minutes).
pub const MAX_FALLBACK_MINUTES: f64 = 525_600.0;

/// The most characters of a value that messages repeat; longer values are cut.
pub const MAX_ECHOED_CHARS: usize = 80;

/// Whether `date` is inside the supported range [`FIRST_DATE`]..=[`LAST_DATE`].
pub fn date_supported(date: NaiveDate) -> bool {
    (FIRST_DATE..=LAST_DATE).contains(&date)
}

/// `Ok` for a supported date; otherwise what is wrong, for an error message.
pub fn check_date(date: NaiveDate) -> Result<NaiveDate, String> {
    if date_supported(date) {
        Ok(date)
    } else {
        Err(format!(
            "{date} is outside the supported dates {FIRST_DATE} to {LAST_DATE} (bank holidays are known for {} to {} only)",
            FIRST_DATE.year(),
            LAST_DATE.year()
        ))
    }
}

/// `Ok` for a window from `earliest` to `latest` no wider than [`MAX_WINDOW_DAYS`].
pub fn check_window(earliest: NaiveDate, latest: NaiveDate) -> Result<(), String> {
    let days = (latest - earliest).num_days() + 1;
    if days > MAX_WINDOW_DAYS {
        Err(format!(
            "the window from {earliest} to {latest} spans {days} days; at most {MAX_WINDOW_DAYS} (two years) are supported"
        ))
    } else {
        Ok(())
    }
}

/// `value` ready to be quoted in a message: control characters (NUL, line breaks,
/// escape sequences, …) escaped as `\n`, `\0`, `\u{1b}`, and cut to
/// [`MAX_ECHOED_CHARS`] characters with a note of how long it really is.
pub fn echo(value: &str) -> String {
    let total = value.chars().count();
    let mut out = String::new();
    for c in value.chars().take(MAX_ECHOED_CHARS) {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if total > MAX_ECHOED_CHARS {
        out.push_str(&format!("… ({total} characters)"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_inside_and_outside_the_range() {
        assert!(check_date(FIRST_DATE).is_ok());
        assert!(check_date(LAST_DATE).is_ok());
        let before = FIRST_DATE.pred_opt().unwrap();
        assert!(check_date(before)
            .unwrap_err()
            .contains("outside the supported dates 1978-01-01 to 2199-12-31"));
        assert!(check_date(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap()).is_err());
    }

    #[test]
    fn windows_up_to_two_years() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(check_window(d("2027-01-01"), d("2028-12-31")).is_ok());
        assert!(check_window(d("2027-01-01"), d("2029-01-02"))
            .unwrap_err()
            .contains("spans 733 days"));
    }

    #[test]
    fn the_largest_weight_sum_is_exact_in_f64_and_u64() {
        let thousandths = MAX_RELEASES as u64 * MAX_WEIGHT * 1000;
        assert!(thousandths < 1 << 53);
        assert_eq!(MAX_WEIGHT_SUM * 1000.0, thousandths as f64);
    }

    #[test]
    fn echo_cuts_and_escapes() {
        assert_eq!(echo("a\0b\nc"), "a\\u{0}b\\nc");
        let long = "x".repeat(1_000_000);
        let e = echo(&long);
        assert!(e.len() < 120, "{e}");
        assert!(e.ends_with("… (1000000 characters)"), "{e}");
        assert_eq!(echo("bso-website"), "bso-website");
    }
}
