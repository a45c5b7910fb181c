//! The documented input limits (`docs/cli.md`, "Limits and guarantees").
//!
//! Every value `stagger` accepts is inside these limits, and inside them no
//! arithmetic can overflow: a weight sum is at most
//! `MAX_RELEASES × MAX_WEIGHT` = 10^6 × 10^3 = 10^9 (10^12 in thousandths), below the
//! engine's total of 2^40 thousandths, `u64::MAX` (≈ 1.8 × 10^19) and 2^53 (≈ 9.0 ×
//! 10^15, the largest integer an `f64` holds exactly, which the bounds and the MILP
//! use); a count of clash pairs is at most `MAX_RELEASES² / 2 × MAX_FAILURE_POINTS`
//! = 5 × 10^17, below `u64::MAX`. Values outside the limits are input errors (exit 3,
//! with file and line) or usage errors (exit 2).

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

/// The largest weight of one release (weights are relative: 1 for a routine release).
pub const MAX_WEIGHT: u64 = 1_000;

/// The most releases (data rows) one releases file may hold.
pub const MAX_RELEASES: usize = 1_000_000;

/// The most failure points one infrastructure file may hold.
pub const MAX_FAILURE_POINTS: usize = 1_000_000;

/// The largest total weight the engine accepts, in thousandths (2^40, about 1.1 × 10^9
/// weight units); [`MAX_RELEASES`] × [`MAX_WEIGHT`] stays below it.
pub const ENGINE_MAX_TOTAL_WEIGHT: u64 = 1 << 40;

/// The largest sum of weights: every release at the largest weight.
pub const MAX_WEIGHT_SUM: f64 = MAX_RELEASES as f64 * MAX_WEIGHT as f64;

/// The largest `failures_per_year` of a failure point.
pub const MAX_FAILURES_PER_YEAR: f64 = 1_000_000.0;

/// The largest `recovery_minutes` of a failure point (one year of minutes).
pub const MAX_RECOVERY_MINUTES: f64 = 525_600.0;

/// The largest `--time-limit`, in seconds (about 11.6 days).
pub const MAX_TIME_LIMIT_SECONDS: f64 = 1_000_000.0;

/// The largest `risk --fallback-minutes` (one year of minutes).
pub const MAX_FALLBACK_MINUTES: f64 = 525_600.0;

/// The most characters of a value that messages repeat; longer values are cut.
pub const MAX_ECHOED_CHARS: usize = 80;

/// The most characters of one message (or help line) about an input problem.
pub const MAX_MESSAGE_CHARS: usize = 1_000;

/// The most problems listed for one input file (the count of the rest is given).
pub const MAX_SHOWN_PROBLEMS: usize = 100;

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
            "outside the supported dates {FIRST_DATE} to {LAST_DATE} (bank holidays are known for {} to {} only)",
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

/// `Ok` when a window bound (`earliest` or `latest`) lies within [`MAX_WINDOW_DAYS`]
/// of the release's own date, so that even a one-sided window stays bounded.
pub fn check_bound_distance(date: NaiveDate, bound: NaiveDate) -> Result<(), String> {
    let days = (bound - date).num_days().abs();
    if days >= MAX_WINDOW_DAYS {
        Err(format!(
            "{days} days from the release's date {date}; a window may reach at most {} days (two years) from it",
            MAX_WINDOW_DAYS - 1
        ))
    } else {
        Ok(())
    }
}

/// `value` ready to be quoted in a message: control characters (NUL, line breaks,
/// escape sequences, …) escaped as `\n`, `\0`, `\u{1b}`, and cut to
/// [`MAX_ECHOED_CHARS`] characters with a note of how long it really is.
pub fn echo(value: &str) -> String {
    echo_within(value, MAX_ECHOED_CHARS)
}

/// [`echo`] with a limit of `max` characters.
pub fn echo_within(value: &str, max: usize) -> String {
    let total = value.chars().count();
    let mut out = String::new();
    for c in value.chars().take(max) {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if total > max {
        out.push_str(&format!("… ({total} characters)"));
    }
    out
}

/// `items` as lines `  - item`, each cut to [`MAX_MESSAGE_CHARS`] with control
/// characters escaped, at most [`MAX_SHOWN_PROBLEMS`] of them, then how many more.
pub fn bullet_list(items: &[String]) -> String {
    let mut lines: Vec<String> = items
        .iter()
        .take(MAX_SHOWN_PROBLEMS)
        .map(|c| format!("  - {}", echo_within(c, MAX_MESSAGE_CHARS)))
        .collect();
    if items.len() > MAX_SHOWN_PROBLEMS {
        lines.push(format!(
            "  … and {} more (the first {MAX_SHOWN_PROBLEMS} are shown)",
            items.len() - MAX_SHOWN_PROBLEMS
        ));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimise::{
        evaluate, solve, Candidate, Component, Instance, Item, ObjectiveKind, PlanError,
        SolveOptions,
    };
    use proptest::prelude::*;

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
    fn bounds_within_two_years_of_the_date() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(check_bound_distance(d("2027-01-01"), d("2028-12-31")).is_ok());
        assert!(check_bound_distance(d("2027-01-01"), d("2024-12-31")).is_err());
        assert!(check_bound_distance(d("2027-01-19"), d("2199-01-05"))
            .unwrap_err()
            .contains("at most 730 days"));
    }

    #[test]
    fn the_largest_weight_sum_is_exact_in_f64_and_u64() {
        let thousandths = MAX_RELEASES as u64 * MAX_WEIGHT * 1000;
        assert!(thousandths <= ENGINE_MAX_TOTAL_WEIGHT);
        assert!(thousandths < 1 << 53);
        let pairs = (MAX_RELEASES as u64).pow(2) / 2;
        assert!(pairs.checked_mul(MAX_FAILURE_POINTS as u64).is_some());
        assert_eq!(MAX_WEIGHT_SUM * 1000.0, thousandths as f64);
    }

    /// A small engine instance whose weights add up to the largest total the readers
    /// accept (every release at [`MAX_WEIGHT`], [`MAX_RELEASES`] of them).
    fn heaviest_instance() -> impl Strategy<Value = (Instance, ObjectiveKind, Option<u32>)> {
        (1usize..4, 4usize..8, 1usize..7).prop_flat_map(|(n_comps, n_days, n_items)| {
            let item = (
                1u64..5,
                proptest::sample::subsequence((0..n_comps as u32).collect::<Vec<_>>(), 0..=n_comps),
                proptest::sample::subsequence((0..n_days as u32).collect::<Vec<_>>(), 1..=3),
                proptest::option::of(0..n_days as u32),
            );
            (
                proptest::collection::vec((1u32..3, 0.0f64..1.0), n_comps),
                proptest::collection::vec(item, n_items),
                prop_oneof![Just(ObjectiveKind::Default), Just(ObjectiveKind::Risk)],
                proptest::option::of(0u32..4),
            )
                .prop_map(move |(comps, items, kind, budget)| {
                    let total_parts: u64 = items.iter().map(|i| i.0).sum();
                    let largest = MAX_RELEASES as u64 * MAX_WEIGHT * 1000;
                    let unit = largest / total_parts;
                    let items = items
                        .into_iter()
                        .map(|(parts, components, days, proposed)| Item {
                            weight: parts * unit,
                            components,
                            candidates: days
                                .iter()
                                .map(|&day| Candidate {
                                    day,
                                    shift: proposed.map_or(1, |p| p.abs_diff(day)),
                                })
                                .collect(),
                            proposed,
                            block: None,
                        })
                        .collect();
                    let components = comps
                        .into_iter()
                        .map(|(window, risk)| Component {
                            window,
                            risk,
                            multiplicity: 1,
                        })
                        .collect();
                    (
                        Instance {
                            n_days,
                            components,
                            items,
                            ..Instance::default()
                        },
                        kind,
                        budget,
                    )
                })
        })
    }

    proptest! {
        #![proptest_config(crate::prop_config(64))]

        /// With overflow checks on (debug builds, as in CI), no sum in the engine
        /// overflows at the heaviest calendar the readers accept.
        #[test]
        fn the_engine_never_overflows_at_the_largest_accepted_weights(
            (instance, kind, budget) in heaviest_instance()
        ) {
            let total: u64 = instance.items.iter().map(|i| i.weight).sum();
            prop_assert!(total <= ENGINE_MAX_TOTAL_WEIGHT);
            let options = SolveOptions {
                objective: kind,
                max_moves: budget,
                ..SolveOptions::default()
            };
            match solve(&instance, &options) {
                Ok(solution) => {
                    prop_assert!(solution.objective.peak <= total);
                    prop_assert_eq!(evaluate(&instance, &solution.days), solution.objective);
                }
                // A move budget too small for the fixed moves: a typed refusal.
                Err(PlanError::Infeasible { .. }) => {}
                Err(e) => prop_assert!(false, "{e}"),
            }
        }
    }

    #[test]
    fn bullet_lists_are_capped() {
        let items: Vec<String> = (0..250).map(|i| format!("r{i} cannot move")).collect();
        let text = bullet_list(&items);
        assert_eq!(text.lines().count(), MAX_SHOWN_PROBLEMS + 1);
        assert!(text.starts_with("  - r0 cannot move\n"));
        assert!(text.ends_with("  … and 150 more (the first 100 are shown)"));
        assert_eq!(bullet_list(&["a\nb".to_string()]), "  - a\\nb");
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
