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
use crate::model::{Dataset, NoticeRules, SeriesRules, Status, WindowRules};
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
    /// Series s0/s1 or none.
    series: Option<u8>,
    /// Together group g0 or none.
    together: bool,
    /// Must come after release r{after} (when that exists and is another release).
    after: Option<usize>,
    market_sensitive: bool,
}

#[derive(Debug, Clone)]
struct Tiny {
    points: Vec<Vec<usize>>, // point i depends on these (all > i: acyclic)
    releases: Vec<TinyRelease>,
    max_shift: u32,
    keep_month: bool,
    max_moves: Option<u32>,
    outage: Vec<u32>,
    /// Planning date (day offset) with the notice periods in working days.
    notice: Option<(i64, u32, u32)>,
    min_gap_ratio: f64,
    any_weekday: bool,
    weekday_share: f64,
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
            (
                prop_oneof![3 => 0i64..10, 1 => (0i64..3).prop_map(|w| 7 * w)],
                0u8..10,
                proptest::sample::subsequence(
                    (0..n_points).collect::<Vec<_>>(),
                    0..=n_points.min(2),
                ),
                1u32..=3,
                proptest::option::weighted(0.2, -2i64..=0),
                proptest::option::weighted(0.2, 0i64..=2),
            ),
            (
                proptest::option::weighted(0.5, 0u8..2),
                proptest::bool::weighted(0.15),
                proptest::option::weighted(0.15, 0usize..6),
                proptest::bool::weighted(0.2),
            ),
        )
            .prop_map(
                |(
                    (day, status, deps, weight, e, l),
                    (series, together, after, market_sensitive),
                )| {
                    TinyRelease {
                        day,
                        status,
                        deps,
                        weight,
                        earliest: e.map(|x| day + x),
                        latest: l.map(|x| day + x),
                        series,
                        together,
                        after,
                        market_sensitive,
                    }
                },
            );
        (
            points,
            proptest::collection::vec(release, 1..=6),
            0u32..=2,
            any::<bool>(),
            proptest::option::weighted(0.3, 0u32..=3),
            proptest::collection::vec(prop_oneof![4 => Just(1u32), 1 => Just(2u32)], n_points),
            (
                proptest::option::weighted(0.4, (-3i64..6, 0u32..=2, 0u32..=4)),
                prop_oneof![Just(0.5), Just(0.0), Just(1.0)],
                proptest::bool::weighted(0.2),
                prop_oneof![Just(0.8), Just(0.6), Just(1.0)],
            ),
        )
            .prop_map(
                |(
                    points,
                    releases,
                    max_shift,
                    keep_month,
                    max_moves,
                    outage,
                    (notice, min_gap_ratio, any_weekday, weekday_share),
                )| Tiny {
                    points,
                    releases,
                    max_shift,
                    keep_month,
                    max_moves,
                    outage,
                    notice,
                    min_gap_ratio,
                    any_weekday,
                    weekday_share,
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
    let mut rel = String::from(
        "id,date,status,earliest,latest,depends_on,weight,series,together,after,market_sensitive\n",
    );
    for (i, r) in t.releases.iter().enumerate() {
        let status = match r.status {
            0 => "cancelled",
            1 | 2 => "confirmed",
            _ => "provisional",
        };
        let deps: Vec<String> = r.deps.iter().map(|j| format!("p{j}")).collect();
        let after = r
            .after
            .filter(|&a| a != i && a < t.releases.len())
            .map(|a| format!("r{a}"))
            .unwrap_or_default();
        rel.push_str(&format!(
            "r{i},{},{status},{},{},{},{},{},{},{after},{}\n",
            date(r.day),
            r.earliest.map(|d| date(d).to_string()).unwrap_or_default(),
            r.latest.map(|d| date(d).to_string()).unwrap_or_default(),
            deps.join(";"),
            r.weight,
            r.series.map(|s| format!("s{s}")).unwrap_or_default(),
            if r.together { "g0" } else { "" },
            r.market_sensitive
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

/// The first day at least `n` working days after `from` (counted here, day by day).
fn after_working_days(loaded: &Loaded, from: NaiveDate, n: u32, r: usize) -> NaiveDate {
    let region = loaded.dataset.releases[r].region;
    let mut d = from;
    let mut left = n;
    while left > 0 {
        d += Duration::days(1);
        if loaded.calendar.is_working_day(d, region) {
            left -= 1;
        }
    }
    d
}

fn rules_of(t: &Tiny) -> WindowRules {
    WindowRules {
        max_shift: t.max_shift,
        keep_month: t.keep_month,
        notice: t.notice.map(|(today, normal, sensitive)| NoticeRules {
            today: date(today),
            min_notice: normal,
            min_notice_sensitive: sensitive,
        }),
    }
}

/// Active releases of series `s` by date then id (the file order is the id order here).
fn series_members(loaded: &Loaded, t: &Tiny, s: u8) -> Vec<usize> {
    let rel = &loaded.dataset.releases;
    let mut m: Vec<usize> = (0..rel.len())
        .filter(|&i| t.releases[i].series == Some(s) && rel[i].status != Status::Cancelled)
        .collect();
    m.sort_by_key(|&i| (rel[i].date, i));
    m
}

/// Allowed days of a release, straight from the rules in docs/objective.md.
fn allowed(loaded: &Loaded, t: &Tiny, i: usize) -> Vec<NaiveDate> {
    let rules = rules_of(t);
    let r = &loaded.dataset.releases[i];
    let cal = &loaded.calendar;
    let open = t.notice.map(|(today, normal, sensitive)| {
        let n = if r.market_sensitive {
            sensitive
        } else {
            normal
        };
        after_working_days(loaded, date(today), n, i)
    });
    if r.status != Status::Provisional || open.is_some_and(|o| r.date < o) {
        return vec![r.date];
    }
    // Weekday-regular: three or more releases, at least the share of them (rounded
    // up) on the most common weekday (the earliest in the week on ties); the
    // releases on that day keep it.
    let weekday_regular = !t.any_weekday
        && t.releases[i].series.is_some_and(|s| {
            let m = series_members(loaded, t, s);
            let on = |w: chrono::Weekday| {
                m.iter()
                    .filter(|&&j| loaded.dataset.releases[j].date.weekday() == w)
                    .count()
            };
            let days = [
                chrono::Weekday::Mon,
                chrono::Weekday::Tue,
                chrono::Weekday::Wed,
                chrono::Weekday::Thu,
                chrono::Weekday::Fri,
                chrono::Weekday::Sat,
                chrono::Weekday::Sun,
            ];
            let mut usual = days[0];
            for w in days {
                if on(w) > on(usual) {
                    usual = w;
                }
            }
            let need = ((t.weekday_share * m.len() as f64) - 1e-9).ceil() as usize;
            m.len() >= 3 && on(usual) >= need.max(1) && r.date.weekday() == usual
        });
    (-30..=30)
        .map(|k| r.anchor + Duration::days(k))
        .filter(|&d| {
            let off = cal.working_days_between(r.anchor, d, r.region);
            cal.is_working_day(d, r.region)
                && open.is_none_or(|o| d >= o)
                && (!weekday_regular || d.weekday() == r.date.weekday())
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

/// Whether `dates` keep the series, `together` and `after` rules (written out here).
fn keeps_links(loaded: &Loaded, t: &Tiny, dates: &[NaiveDate]) -> bool {
    let rel = &loaded.dataset.releases;
    let active = |i: usize| rel[i].status != Status::Cancelled;
    for s in 0..2 {
        let m = series_members(loaded, t, s);
        for w in m.windows(2) {
            let proposed = (rel[w[1]].date - rel[w[0]].date).num_days();
            let gap = (dates[w[1]] - dates[w[0]]).num_days();
            let need = if proposed == 0 {
                0
            } else {
                ((t.min_gap_ratio * proposed as f64 - 1e-9).ceil() as i64).clamp(1, proposed)
            };
            if gap < need {
                return false;
            }
        }
    }
    let together: Vec<usize> = (0..rel.len())
        .filter(|&i| t.releases[i].together && active(i))
        .collect();
    if together.windows(2).any(|w| dates[w[0]] != dates[w[1]]) {
        return false;
    }
    (0..rel.len()).all(|b| {
        let a = t.releases[b].after.filter(|&a| a != b && a < rel.len());
        !active(b) || a.is_none_or(|a| !active(a) || dates[b] > dates[a])
    })
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
fn brute_force(loaded: &Loaded, t: &Tiny, max_moves: Option<u32>) -> Option<Key> {
    let rel = &loaded.dataset.releases;
    for r in rel {
        if r.status == Status::Confirmed && !loaded.calendar.is_working_day(r.date, r.region) {
            return None;
        }
    }
    let options: Vec<Vec<NaiveDate>> = (0..rel.len()).map(|i| allowed(loaded, t, i)).collect();
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
        if max_moves.is_none_or(|m| key.2 <= m as usize)
            && best.is_none_or(|b| key < b)
            && keeps_links(loaded, t, &dates)
        {
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
    #![proptest_config(crate::prop_config(1000))]

    #[test]
    fn plan_is_the_brute_force_optimum_and_deterministic(t in tiny()) {
        let loaded = load_tiny(&t);
        let rules = rules_of(&t);
        let settings = PlanSettings {
            rules,
            max_moves: t.max_moves,
            series_rules: SeriesRules {
                min_gap_ratio: t.min_gap_ratio,
                any_weekday: t.any_weekday,
                weekday_share: t.weekday_share,
            },
            ..PlanSettings::default()
        };
        let expected = brute_force(&loaded, &t, t.max_moves);
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
                    prop_assert!(allowed(&loaded, &t, i).contains(&result.scheduled[i]) || r.status == Status::Cancelled,
                        "{} on {} is not allowed", r.id, result.scheduled[i]);
                }
                prop_assert!(keeps_links(&loaded, &t, &result.scheduled), "a series, together or after rule is broken");
                prop_assert_eq!(objective(&loaded, &result.scheduled), expected);
                // Same bytes on a repeated run.
                let again = plan_loaded(&loaded, &settings).unwrap();
                let rows = |res: &super::PlanResult| -> Vec<ScheduleRow> { super::schedule_rows(&loaded, res) };
                prop_assert_eq!(schedule_csv(&loaded.file, &rows(&result), false), schedule_csv(&loaded.file, &rows(&again), false));
            }
        }
    }
}
