//! Fuzz-style property test of the command entry points: arbitrary calendars (empty
//! `depends_on`, single releases, all releases on one day, deep chains, the first and
//! last supported days, odd weights and windows) go through `check`, `plan`, `risk`,
//! `report` and `chart`. Each must return `Ok` or a typed error, never panic, never
//! report an internal error (exit 6), and agree with each other: a calendar `check`
//! accepts is never invalid input to the other commands.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{Days, NaiveDate};
use proptest::prelude::*;

use super::{
    chart, check, plan, report, risk, CheckOptions, ImageFormats, InputPaths, PlanOptions,
    PlanSettings, RiskCommandOptions, VisualOptions,
};
use crate::calendar::Region;
use crate::model::{NoticeRules, SeriesRules, SeriesSource, WindowRules};
use crate::{Error, ExitCode};

/// One generated release.
#[derive(Debug, Clone)]
struct Rel {
    day: u64,
    status: &'static str,
    earliest: Option<u64>,
    latest: Option<u64>,
    deps: Vec<usize>,
    weight: &'static str,
    region: &'static str,
}

/// A generated calendar and the planning options to run it with.
#[derive(Debug, Clone)]
struct Case {
    /// First day of the calendar (a Monday).
    start: NaiveDate,
    /// `points[i]`: the points `i` relies on (all of lower index, so no cycle).
    points: Vec<Vec<usize>>,
    outage: Vec<u32>,
    releases: Vec<Rel>,
    /// An invalid weight given to the first release, sometimes.
    bad_weight: Option<&'static str>,
    max_moves: Option<u32>,
    max_shift: u32,
    keep_month: bool,
    not_before: Option<u64>,
}

fn start() -> impl Strategy<Value = NaiveDate> {
    let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    prop_oneof![
        4 => Just(d(2027, 3, 1)),
        1 => Just(d(2027, 12, 20)),
        1 => Just(d(1978, 1, 2)),
        1 => Just(d(2199, 12, 16)),
    ]
}

/// Failure points: a small random graph, or a deep chain (each relies on the one before).
fn points() -> impl Strategy<Value = Vec<Vec<usize>>> {
    let random = (1usize..6).prop_flat_map(|n| {
        (0..n)
            .map(|i| proptest::sample::subsequence((0..i).collect::<Vec<_>>(), 0..=i.min(2)))
            .collect::<Vec<_>>()
    });
    let chain = (20usize..300).prop_map(|n| {
        (0..n)
            .map(|i| if i == 0 { vec![] } else { vec![i - 1] })
            .collect()
    });
    prop_oneof![4 => random, 1 => chain]
}

fn release(n_points: usize, all_one_day: bool) -> impl Strategy<Value = Rel> {
    let day = if all_one_day {
        Just(0u64).boxed()
    } else {
        prop_oneof![3 => 0u64..20, 1 => 40u64..60].boxed()
    };
    let deps = prop_oneof![
        1 => Just(Vec::new()),
        2 => proptest::sample::subsequence((0..n_points).collect::<Vec<_>>(), 1..=n_points.min(3)),
        1 => Just(vec![n_points - 1]),
    ];
    (
        day,
        prop_oneof![
            6 => Just("provisional"),
            2 => Just("confirmed"),
            1 => Just("cancelled")
        ],
        proptest::option::weighted(0.15, 0u64..25),
        proptest::option::weighted(0.15, 0u64..25),
        deps,
        prop_oneof![
            Just(""),
            Just("1"),
            Just("2.5"),
            Just("0.001"),
            Just("1000"),
        ],
        prop_oneof![
            Just(""),
            Just("england-and-wales"),
            Just("scotland"),
            Just("northern-ireland")
        ],
    )
        .prop_map(
            |(day, status, earliest, latest, deps, weight, region)| Rel {
                day,
                status,
                earliest,
                latest,
                deps,
                weight,
                region,
            },
        )
}

fn case() -> impl Strategy<Value = Case> {
    (start(), points(), any::<bool>(), 1usize..10).prop_flat_map(
        |(start, points, all_one_day, n)| {
            let n_points = points.len();
            (
                Just(start),
                Just(points),
                proptest::collection::vec(1u32..4, n_points),
                proptest::collection::vec(release(n_points, all_one_day), n),
                proptest::option::weighted(
                    0.1,
                    prop_oneof![Just("0"), Just("2147483648"), Just("x")],
                ),
                proptest::option::weighted(0.3, 0u32..6),
                prop_oneof![1 => Just(0u32), 4 => 1u32..5],
                proptest::bool::weighted(0.2),
                proptest::option::weighted(0.2, 0u64..20),
            )
                .prop_map(
                    |(
                        start,
                        points,
                        outage,
                        releases,
                        bad_weight,
                        max_moves,
                        max_shift,
                        keep_month,
                        not_before,
                    )| Case {
                        start,
                        points,
                        outage,
                        releases,
                        bad_weight,
                        max_moves,
                        max_shift,
                        keep_month,
                        not_before,
                    },
                )
        },
    )
}

impl Case {
    /// The `offset`-th weekday from the start (a Monday), or for odd offsets past 40
    /// any day, weekends included.
    fn day(&self, offset: u64) -> String {
        let days = if offset < 40 {
            offset / 5 * 7 + offset % 5
        } else {
            offset - 40
        };
        self.start
            .checked_add_days(Days::new(days))
            .unwrap_or(self.start)
            .to_string()
    }

    /// Writes releases.csv and infrastructure.csv into `dir`.
    fn write(&self, dir: &Path) -> InputPaths {
        let mut infra = String::from("id,name,kind,depends_on,outage_days,failures_per_year\n");
        for (i, deps) in self.points.iter().enumerate() {
            let d: Vec<String> = deps.iter().map(|j| format!("p{j}")).collect();
            infra.push_str(&format!(
                "p{i},Point {i},server,{},{},{}\n",
                d.join(";"),
                self.outage[i],
                if i % 2 == 0 { "1.5" } else { "" }
            ));
        }
        let mut rel =
            String::from("id,title,date,status,earliest,latest,depends_on,weight,region\n");
        for (i, r) in self.releases.iter().enumerate() {
            let deps: Vec<String> = r.deps.iter().map(|j| format!("p{j}")).collect();
            rel.push_str(&format!(
                "r{i},Release {i},{},{},{},{},{},{},{}\n",
                self.day(r.day),
                r.status,
                r.earliest.map(|d| self.day(d)).unwrap_or_default(),
                r.latest.map(|d| self.day(d)).unwrap_or_default(),
                deps.join(";"),
                match self.bad_weight {
                    Some(w) if i == 0 => w,
                    _ => r.weight,
                },
                r.region
            ));
        }
        let releases = dir.join("releases.csv");
        let infrastructure = dir.join("infrastructure.csv");
        let written =
            std::fs::write(&releases, rel).and_then(|()| std::fs::write(&infrastructure, infra));
        assert!(written.is_ok(), "cannot write the test calendar");
        let mut inputs = InputPaths::new(releases, infrastructure);
        inputs.region = Region::EnglandAndWales;
        inputs
    }

    fn settings(&self) -> PlanSettings {
        PlanSettings {
            rules: WindowRules {
                max_shift: self.max_shift,
                keep_month: self.keep_month,
                notice: self
                    .not_before
                    .and_then(|d| self.start.checked_add_days(Days::new(d)))
                    .map(|today| NoticeRules {
                        today,
                        min_notice: 1,
                        min_notice_sensitive: 3,
                    }),
            },
            max_moves: self.max_moves,
            time_limit: Duration::from_secs(5),
            ..PlanSettings::default()
        }
    }
}

/// `Ok`, or a typed error that is not an internal one (a bug) and, when the input
/// passed `check`, not an input error either.
fn acceptable<T>(what: &str, r: &Result<T, Error>, input_ok: bool) -> Result<(), TestCaseError> {
    if let Err(e) = r {
        let code = e.exit_code();
        prop_assert!(code != ExitCode::Internal, "{what}: internal error: {e}");
        if input_ok {
            prop_assert!(
                matches!(code, ExitCode::Infeasible | ExitCode::TimeLimit),
                "{what}: {e} (exit {code}) although check accepted the input"
            );
        }
    }
    Ok(())
}

proptest! {
    // Each case runs five commands, two of which plan: keep the count modest.
    #![proptest_config(crate::prop_config(24))]

    #[test]
    fn every_command_returns_a_result_or_a_typed_error(c in case()) {
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let inputs = c.write(dir.path());
        let checked = check(&CheckOptions {
            inputs: inputs.clone(),
            json: true,
            top: 10,
            deny_findings: false,
            max_peak: None,
            series_source: SeriesSource::Titles,
            series_rules: SeriesRules::default(),
        });
        acceptable("check", &checked, false)?;
        let input_ok = checked.is_ok();
        let planned = plan(&PlanOptions {
            inputs: inputs.clone(),
            settings: c.settings(),
            out: Some(dir.path().join("schedule.csv")),
            ics: Some(dir.path().join("plan.ics")),
            json: true,
            excel: false,
            today: c.start,
        });
        acceptable("plan", &planned, input_ok)?;
        let schedule: Option<PathBuf> = planned
            .is_ok()
            .then(|| dir.path().join("schedule.csv"));
        let risked = risk(&RiskCommandOptions {
            inputs: inputs.clone(),
            schedule: schedule.clone(),
            json: false,
            fallback_minutes: 15.0,
            top: 5,
        });
        // Risk does not plan: a calendar check accepts is always one it can assess.
        acceptable("risk", &risked, false)?;
        if input_ok {
            prop_assert!(risked.is_ok(), "risk failed on a valid calendar: {:?}", risked.err());
        }
        let visual = VisualOptions {
            inputs,
            schedule,
            settings: c.settings(),
            month: None,
        };
        let reported = report(&visual, &dir.path().join("report.html"));
        acceptable("report", &reported, input_ok)?;
        let charted = chart(&visual, &dir.path().join("charts"), ImageFormats::Svg);
        acceptable("chart", &charted, input_ok)?;
        // A plan once made is reproduced by the report and charts (same inputs, same plan).
        if planned.is_ok() {
            prop_assert!(reported.is_ok(), "report failed after plan: {:?}", reported.err());
            prop_assert!(charted.is_ok(), "chart failed after plan: {:?}", charted.err());
        }
    }
}
