//! Property tests of `plan` end to end, on random tiny calendars: the plan breaks no
//! hard rule, is never worse than a valid input, is byte-identical on a repeated
//! run, and equals a brute-force lexicographic optimum computed here from dates alone
//! (independently of the engine and of `model::candidate_days`).

use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate};
use proptest::prelude::*;

use super::{plan_loaded, Loaded, PlanSettings};
use crate::calendar::{Region, WorkingCalendar};
use crate::exposure::assess;
use crate::io::{
    parse_infrastructure, parse_releases, schedule_csv, OutputGuard, ScheduleRow, Table,
};
use crate::model::{Dataset, Status, WindowRules};
use crate::optimise::PlanError;
use crate::Error;

#[derive(Debug, Clone)]
struct TinyRelease {
    day: i64,
    status: u8,
    deps: Vec<usize>,
    weight: u32,
    earliest: Option<i64>,
    latest: Option<i64>,
}

#[derive(Debug, Clone)]
struct Tiny {
    points: Vec<Vec<usize>>, // point i depends on these (all > i: acyclic)
    releases: Vec<TinyRelease>,
    max_shift: u32,
    keep_month: bool,
    max_moves: Option<u32>,
    outage: Vec<u32>,
    not_before: Option<i64>,
}

fn base() -> NaiveDate {
    // Wednesday 25 August 2027: windows cross a weekend, the Summer bank holiday
    // (Monday 30 August in England and Wales) and a month end.
    NaiveDate::from_ymd_opt(2027, 8, 25).unwrap()
}

fn tiny() -> impl Strategy<Value = Tiny> {
    (1usize..=4).prop_flat_map(|n_points| {
        let points = (0..n_points)
            .map(|i| {
                proptest::sample::subsequence(
                    (i + 1..n_points).collect::<Vec<_>>(),
                    0..=(n_points - i - 1),
                )
            })
            .collect::<Vec<_>>();
        let release = (
            0i64..10,
            0u8..10,
            proptest::sample::subsequence((0..n_points).collect::<Vec<_>>(), 0..=n_points.min(2)),
            1u32..=3,
            proptest::option::weighted(0.2, -2i64..=0),
            proptest::option::weighted(0.2, 0i64..=2),
        )
            .prop_map(|(day, status, deps, weight, e, l)| TinyRelease {
                day,
                status,
                deps,
                weight,
                earliest: e.map(|x| day + x),
                latest: l.map(|x| day + x),
            });
        (
            points,
            proptest::collection::vec(release, 1..=6),
            0u32..=2,
            any::<bool>(),
            proptest::option::weighted(0.3, 0u32..=3),
            proptest::collection::vec(prop_oneof![4 => Just(1u32), 1 => Just(2u32)], n_points),
            proptest::option::weighted(0.2, 0i64..6),
        )
            .prop_map(
                |(points, releases, max_shift, keep_month, max_moves, outage, not_before)| Tiny {
                    points,
                    releases,
                    max_shift,
                    keep_month,
                    max_moves,
                    outage,
                    not_before,
                },
            )
    })
}

fn date(day: i64) -> NaiveDate {
    base() + Duration::days(day)
}

fn load_tiny(t: &Tiny) -> Loaded {
    let mut infra = String::from("id,kind,depends_on,outage_days\n");
    for (i, deps) in t.points.iter().enumerate() {
        let d: Vec<String> = deps.iter().map(|j| format!("p{j}")).collect();
        infra.push_str(&format!("p{i},x,{},{}\n", d.join(";"), t.outage[i]));
    }
    let mut rel = String::from("id,date,status,earliest,latest,depends_on,weight\n");
    for (i, r) in t.releases.iter().enumerate() {
        let status = match r.status {
            0 => "cancelled",
            1 | 2 => "confirmed",
            _ => "provisional",
        };
        let deps: Vec<String> = r.deps.iter().map(|j| format!("p{j}")).collect();
        rel.push_str(&format!(
            "r{i},{},{status},{},{},{},{}\n",
            date(r.day),
            r.earliest.map(|d| date(d).to_string()).unwrap_or_default(),
            r.latest.map(|d| date(d).to_string()).unwrap_or_default(),
            deps.join(";"),
            r.weight
        ));
    }
    let infrastructure =
        parse_infrastructure(&Table::parse(Path::new("i.csv"), infra.as_bytes()).unwrap()).unwrap();
    let file = parse_releases(
        Table::parse(Path::new("r.csv"), rel.as_bytes()).unwrap(),
        &infrastructure,
        Region::EnglandAndWales,
    )
    .unwrap();
    let dataset = Dataset {
        releases: file.releases.clone(),
        infrastructure,
    };
    let failure_sets = dataset.failure_sets();
    Loaded {
        file,
        dataset,
        calendar: WorkingCalendar::new(2026, 2028, vec![]),
        failure_sets,
        guard: OutputGuard::default(),
        region: Region::EnglandAndWales,
        unmatched_by_rules: Vec::new(),
        warnings: Vec::new(),
    }
}

/// Allowed days of a release, straight from the rules in docs/objective.md.
fn allowed(loaded: &Loaded, i: usize, rules: WindowRules) -> Vec<NaiveDate> {
    let r = &loaded.dataset.releases[i];
    let cal = &loaded.calendar;
    if r.status != Status::Provisional || rules.not_before.is_some_and(|n| r.date < n) {
        return vec![r.date];
    }
    (-30..=30)
        .map(|k| r.anchor + Duration::days(k))
        .filter(|&d| {
            let off = cal.working_days_between(r.anchor, d, r.region);
            cal.is_working_day(d, r.region)
                && rules.not_before.is_none_or(|n| d >= n)
                && r.earliest.is_none_or(|e| d >= e)
                && r.latest.is_none_or(|l| d <= l)
                && (if off < 0 {
                    r.earliest.is_some()
                } else {
                    r.latest.is_some()
                } || off.unsigned_abs() <= rules.max_shift)
                && (!rules.keep_month
                    || (d.year(), d.month()) == (r.anchor.year(), r.anchor.month()))
        })
        .collect()
}

type Key = (u64, u64, usize, u64);

fn objective(loaded: &Loaded, dates: &[NaiveDate]) -> Key {
    let rel = &loaded.dataset.releases;
    let a = assess(
        rel,
        &loaded.failure_sets,
        &loaded.dataset.infrastructure,
        dates,
        &loaded.calendar,
    );
    let moves = rel.iter().zip(dates).filter(|(r, d)| r.date != **d).count();
    let shift: u64 = rel
        .iter()
        .zip(dates)
        .map(|(r, &d)| {
            loaded
                .calendar
                .working_days_between(r.date, d, r.region)
                .unsigned_abs() as u64
        })
        .sum();
    (a.peak.0, a.clash_pairs, moves, shift)
}

/// The lexicographic optimum by enumeration, or `None` if no plan meets the rules.
fn brute_force(loaded: &Loaded, rules: WindowRules, max_moves: Option<u32>) -> Option<Key> {
    let rel = &loaded.dataset.releases;
    for r in rel {
        if r.status == Status::Confirmed && !loaded.calendar.is_working_day(r.date, r.region) {
            return None;
        }
    }
    let options: Vec<Vec<NaiveDate>> = (0..rel.len()).map(|i| allowed(loaded, i, rules)).collect();
    if options.iter().any(|o| o.is_empty()) {
        return None;
    }
    let mut best: Option<Key> = None;
    let mut pick = vec![0usize; rel.len()];
    loop {
        let dates: Vec<NaiveDate> = pick
            .iter()
            .enumerate()
            .map(|(i, &k)| options[i][k])
            .collect();
        let key = objective(loaded, &dates);
        if max_moves.is_none_or(|m| key.2 <= m as usize) && best.is_none_or(|b| key < b) {
            best = Some(key);
        }
        let mut i = 0;
        loop {
            if i == pick.len() {
                return best;
            }
            pick[i] += 1;
            if pick[i] < options[i].len() {
                break;
            }
            pick[i] = 0;
            i += 1;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    #[test]
    fn plan_is_the_brute_force_optimum_and_deterministic(t in tiny()) {
        let loaded = load_tiny(&t);
        let rules = WindowRules { max_shift: t.max_shift, keep_month: t.keep_month, not_before: t.not_before.map(date) };
        let settings = PlanSettings { rules, max_moves: t.max_moves, ..PlanSettings::default() };
        let expected = brute_force(&loaded, rules, t.max_moves);
        match plan_loaded(&loaded, &settings) {
            Err(Error::Plan(PlanError::Infeasible { conflicts })) => {
                prop_assert!(expected.is_none(), "engine says infeasible ({conflicts:?}) but brute force found {expected:?}");
            }
            Err(e) => prop_assert!(false, "unexpected error: {e}"),
            Ok(result) => {
                let Some(expected) = expected else {
                    return Err(TestCaseError::fail("a plan was made but brute force finds none"));
                };
                // Hard rules, checked here from the dates.
                for (i, r) in loaded.dataset.releases.iter().enumerate() {
                    prop_assert!(allowed(&loaded, i, rules).contains(&result.scheduled[i]) || r.status == Status::Cancelled,
                        "{} on {} is not allowed", r.id, result.scheduled[i]);
                }
                prop_assert_eq!(objective(&loaded, &result.scheduled), expected);
                // Same bytes on a repeated run.
                let again = plan_loaded(&loaded, &settings).unwrap();
                let rows = |res: &super::PlanResult| -> Vec<ScheduleRow> { super::schedule_rows(&loaded, res) };
                prop_assert_eq!(schedule_csv(&loaded.file, &rows(&result), false), schedule_csv(&loaded.file, &rows(&again), false));
            }
        }
    }
}
