//! `stagger risk`: the failure risk of a calendar in numbers (chance that one failure
//! delays several releases at once, expected delays), before and after a plan.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde_json::{json, Map, Value};

use super::{load, InputPaths, Loaded};
use crate::io::{read_releases, Diagnostic, InputError};
use crate::risk::{
    busiest_year, risk_figures, working_days_in_year, RiskFigures, RiskOptions,
    DEFAULT_FAILURES_PER_YEAR, DEFAULT_RECOVERY_MINUTES,
};
use crate::Error;

/// Options of `stagger risk`.
#[derive(Debug, Clone)]
pub struct RiskCommandOptions {
    /// Input files (their dates are the "before" calendar); `inputs.region` is also
    /// the nation whose working days per year turn failure rates into daily probabilities.
    pub inputs: InputPaths,
    /// A schedule written by `stagger plan`: its `scheduled_date`s are the "after" calendar.
    pub schedule: Option<PathBuf>,
    /// Print one JSON object instead of text.
    pub json: bool,
    /// Minutes to switch a release over to its fallback route (`--fallback-minutes`,
    /// default [`crate::risk::DEFAULT_FALLBACK_MINUTES`]).
    pub fallback_minutes: f64,
    /// How many failure points the text lists as top contributors (JSON lists all).
    pub top: usize,
}

/// The figures of the input calendar and, with a schedule, of the planned one.
#[derive(Debug, Clone)]
pub struct RiskReport {
    /// The calendar as read from `--releases`.
    pub before: RiskFigures,
    /// The calendar of `--schedule`, if given.
    pub after: Option<RiskFigures>,
}

/// What `stagger risk` prints.
#[derive(Debug, Clone)]
pub struct RiskOutput {
    /// The figures, as text or JSON.
    pub stdout: String,
    /// Notes and hints for standard error.
    pub stderr: String,
}

/// Runs `stagger risk`.
pub fn risk(options: &RiskCommandOptions) -> Result<RiskOutput, Error> {
    let loaded = load(&options.inputs)?;
    let after_dates = match &options.schedule {
        Some(path) => Some(scheduled_dates(&loaded, path, &options.inputs)?),
        None => None,
    };
    let risk_options = RiskOptions {
        region: options.inputs.region,
        fallback_minutes: options.fallback_minutes,
    };
    let before_dates: Vec<NaiveDate> = loaded.dataset.releases.iter().map(|r| r.date).collect();
    let report = RiskReport {
        before: figures_for(&loaded, &before_dates, &risk_options),
        after: after_dates.map(|d| figures_for(&loaded, &d, &risk_options)),
    };
    let stdout = if options.json {
        let mut s = serde_json::to_string_pretty(&risk_json(&loaded, &report, &risk_options))
            .unwrap_or_default();
        s.push('\n');
        s
    } else {
        risk_text(&loaded, &report, &risk_options, options.top)
    };
    Ok(RiskOutput {
        stdout,
        stderr: super::warnings_text(&loaded),
    })
}

/// The risk figures of the loaded releases placed on `dates`.
pub fn figures_for(loaded: &Loaded, dates: &[NaiveDate], options: &RiskOptions) -> RiskFigures {
    let infra = &loaded.dataset.infrastructure;
    let fallback_sets: Vec<Vec<usize>> = loaded
        .dataset
        .releases
        .iter()
        .map(|r| infra.closure_of(&r.fallback))
        .collect();
    risk_figures(
        &loaded.dataset.releases,
        &loaded.failure_sets,
        &fallback_sets,
        infra,
        dates,
        &loaded.calendar,
        options,
    )
}

/// The planned date of every loaded release, read from a schedule written by
/// `stagger plan` and matched by id. Ids missing from either file are reported with
/// the schedule's path (and line).
pub fn scheduled_dates(
    loaded: &Loaded,
    schedule: &std::path::Path,
    inputs: &InputPaths,
) -> Result<Vec<NaiveDate>, Error> {
    let file = read_releases(schedule, &loaded.dataset.infrastructure, inputs.region)?;
    let planned: BTreeMap<&str, NaiveDate> = file
        .releases
        .iter()
        .map(|r| (r.id.as_str(), r.date))
        .collect();
    let input_ids: BTreeMap<&str, ()> = loaded
        .dataset
        .releases
        .iter()
        .map(|r| (r.id.as_str(), ()))
        .collect();
    let releases_name = inputs.releases.display().to_string();
    let mut diags: Vec<Diagnostic> = file
        .releases
        .iter()
        .filter(|r| !input_ids.contains_key(r.id.as_str()))
        .map(|r| {
            Diagnostic::new(format!("no release with this id in {releases_name}"))
                .at_line(r.line)
                .in_column("id")
                .with_value(r.id.clone())
                .with_hint("pass the releases file the schedule was planned from")
        })
        .collect();
    let mut dates = Vec::with_capacity(loaded.dataset.releases.len());
    for r in &loaded.dataset.releases {
        match planned.get(r.id.as_str()) {
            Some(&d) => dates.push(d),
            None => {
                diags.push(
                    Diagnostic::new(format!(
                        "release '{}' (line {} of {releases_name}) is missing from the schedule",
                        crate::limits::echo(&r.id),
                        r.line
                    ))
                    .with_hint("pass the schedule `stagger plan` wrote for this releases file"),
                );
                dates.push(r.date);
            }
        }
    }
    if diags.is_empty() {
        Ok(dates)
    } else {
        Err(InputError::new(schedule, diags).into())
    }
}

/// A float for JSON, rounded to six significant digits so output bytes are stable
/// and readable; `null` when not finite.
fn fixed(x: f64) -> Value {
    if !x.is_finite() {
        return Value::Null;
    }
    let rounded: f64 = format!("{x:.5e}").parse().unwrap_or(x);
    json!(rounded)
}

/// The JSON object of one set of figures.
pub fn figures_json(loaded: &Loaded, f: &RiskFigures) -> Value {
    let infra = &loaded.dataset.infrastructure;
    let p_at_least_k: Map<String, Value> = f
        .p_at_least_k
        .iter()
        .map(|(k, p)| (k.to_string(), fixed(*p)))
        .collect();
    let contributors: Vec<Value> = f
        .top_contributors
        .iter()
        .map(|c| {
            let p = infra.point(c.component);
            json!({
                "id": p.id,
                "name": p.name,
                "kind": p.kind,
                "multi_hit_failures_per_year": fixed(c.multi_hit_failures_per_year),
                "p_multi_hit": fixed(c.p_multi_hit),
                "release_delays_per_year": fixed(c.release_delays_per_year),
                "delay_minutes_per_year": fixed(c.delay_minutes_per_year),
            })
        })
        .collect();
    json!({
        "planning_days": f.planning_days,
        "planning_years": fixed(f.planning_years),
        "max_releases_hit": f.max_releases_hit,
        "expected_multi_hit_failures_per_year": fixed(f.expected_multi_hit_failures_per_year),
        "p_at_least_k": p_at_least_k,
        "expected_release_delays_per_year": fixed(f.expected_release_delays_per_year),
        "expected_delay_minutes_per_year": fixed(f.expected_delay_minutes_per_year),
        "top_contributors": contributors,
    })
}

/// The JSON of `risk --json`: the figures of the calendar at top level (the planned
/// one when a schedule is given, with the input's under `before`), plus `assumptions`.
pub fn risk_json(loaded: &Loaded, report: &RiskReport, options: &RiskOptions) -> Value {
    let main = report.after.as_ref().unwrap_or(&report.before);
    let mut obj = match figures_json(loaded, main) {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    obj.insert(
        "assumptions".into(),
        json!({
            "region": options.region.slug(),
            "default_failures_per_year": DEFAULT_FAILURES_PER_YEAR,
            "default_recovery_minutes": DEFAULT_RECOVERY_MINUTES,
            "fallback_minutes": fixed(options.fallback_minutes.max(0.0)),
            "failure_points_without_failures_per_year": without_rate(loaded),
        }),
    );
    if report.after.is_some() {
        obj.insert("before".into(), figures_json(loaded, &report.before));
    }
    Value::Object(obj)
}

fn without_rate(loaded: &Loaded) -> usize {
    loaded
        .dataset
        .infrastructure
        .points()
        .iter()
        .filter(|p| p.failures_per_year.is_none())
        .count()
}

/// `x` with three significant digits (whole numbers from 100 up), e.g. `0.424`, `12.6`, `26785`.
fn sig3(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return "0".into();
    }
    let digits = (2 - x.abs().log10().floor() as i32).clamp(0, 12) as usize;
    format!("{x:.digits$}")
}

/// `x` as [`sig3`] without trailing zeros, e.g. `1`, `60`, `12.5`.
fn plain(x: f64) -> String {
    let s = sig3(x);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn percent(p: f64) -> String {
    format!("{}%", sig3(p * 100.0))
}

/// The text of `stagger risk`.
pub fn risk_text(
    loaded: &Loaded,
    report: &RiskReport,
    options: &RiskOptions,
    top: usize,
) -> String {
    let rel = &loaded.dataset.releases;
    let infra = &loaded.dataset.infrastructure;
    let mut s = String::new();
    let active = rel.iter().filter(|r| r.is_active()).count();
    let _ = writeln!(
        s,
        "Failure risk of {active} releases on {} failure points",
        infra.points().len()
    );
    let dates: Vec<NaiveDate> = rel.iter().map(|r| r.date).collect();
    let year = busiest_year(&dates);
    let w = year.map(|y| (y, working_days_in_year(&loaded.calendar, y, options.region)));
    let missing = without_rate(loaded);
    let _ = write!(
        s,
        "Failure rates are spread over the working days of {}",
        options.region.name()
    );
    if let Some((y, w)) = w {
        let _ = write!(s, " ({w} in {y})");
    }
    let _ = writeln!(s, ".");
    if missing > 0 {
        let _ = writeln!(
            s,
            "{missing} failure point(s) without failures_per_year: {} a year assumed.",
            plain(DEFAULT_FAILURES_PER_YEAR)
        );
    }
    let _ = writeln!(
        s,
        "A failure delays a release by recovery_minutes (default {}), or by {} minutes when the release\nhas a fallback route the failure does not reach.",
        plain(DEFAULT_RECOVERY_MINUTES),
        plain(options.fallback_minutes.max(0.0))
    );
    let _ = writeln!(s);

    let mut columns: Vec<(&str, &RiskFigures)> = vec![("before", &report.before)];
    if let Some(a) = &report.after {
        columns.push(("after", a));
    }
    if columns.len() > 1 {
        let _ = write!(s, "{:<52}", "");
        for (name, _) in &columns {
            let _ = write!(s, "{name:>12}");
        }
        let _ = writeln!(s);
    }
    let mut row = |label: &str, cell: &dyn Fn(&RiskFigures) -> String| {
        let _ = write!(s, "{label:<52}");
        for (_, f) in &columns {
            let _ = write!(s, "{:>12}", cell(f));
        }
        let _ = writeln!(s);
    };
    row("Planning period (working days)", &|f| {
        f.planning_days.to_string()
    });
    row("Most releases one failure can delay", &|f| {
        f.max_releases_hit.to_string()
    });
    for k in [2u32, 3, 4] {
        row(
            &format!("P(one failure delays {k} or more) in the period"),
            &|f| percent(f.p_at_least_k.get(&k).copied().unwrap_or(0.0)),
        );
    }
    row("Failures delaying 2 or more, expected per year", &|f| {
        sig3(f.expected_multi_hit_failures_per_year)
    });
    row("Release delays, expected per year", &|f| {
        sig3(f.expected_release_delays_per_year)
    });
    row("Delay minutes, expected per year", &|f| {
        sig3(f.expected_delay_minutes_per_year)
    });
    let _ = writeln!(s);

    let (which, main) = match &report.after {
        Some(a) => (" after the plan", a),
        None => ("", &report.before),
    };
    if main.top_contributors.is_empty() {
        let _ = writeln!(s, "No failure point can delay a release.");
        return s;
    }
    let shown = main.top_contributors.len().min(top);
    let _ = writeln!(
        s,
        "Top contributors{which} ({shown} of {}), expected per year:",
        main.top_contributors.len()
    );
    for (n, c) in main.top_contributors.iter().take(top).enumerate() {
        let p = infra.point(c.component);
        let multi = if c.multi_hit_failures_per_year > 0.0 {
            format!(
                "{} failures delaying 2 or more ({} chance in the period), ",
                sig3(c.multi_hit_failures_per_year),
                percent(c.p_multi_hit)
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "{:>3}. {} ({}): {multi}{} release delays, {} delay minutes",
            n + 1,
            p.name,
            p.id,
            sig3(c.release_delays_per_year),
            sig3(c.delay_minutes_per_year)
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Region;
    use crate::ExitCode;

    const INFRASTRUCTURE: &str = "\
id,name,kind,depends_on,failures_per_year,outage_days,recovery_minutes
web,Website,website,db,25.3,1,120
db,Database server,database,,50.6,2,240
team,Statistics team,team,,,,
govuk,GOV.UK,website,,0,,
";

    const RELEASES: &str = "\
id,title,date,depends_on,fallback
a,Alpha,2027-08-05,web,
b,Beta,2027-08-05,web,govuk
c,Gamma,2027-08-06,db;team,
";

    struct Files {
        dir: tempfile::TempDir,
    }

    impl Files {
        fn new() -> Self {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("infrastructure.csv"), INFRASTRUCTURE).unwrap();
            std::fs::write(dir.path().join("releases.csv"), RELEASES).unwrap();
            Files { dir }
        }

        fn schedule(&self, rows: &str) -> PathBuf {
            let path = self.dir.path().join("schedule.csv");
            std::fs::write(
                &path,
                format!("id,title,date,depends_on,fallback,scheduled_date\n{rows}"),
            )
            .unwrap();
            path
        }

        fn options(&self, schedule: Option<PathBuf>, json: bool) -> RiskCommandOptions {
            RiskCommandOptions {
                inputs: InputPaths {
                    releases: self.dir.path().join("releases.csv"),
                    infrastructure: self.dir.path().join("infrastructure.csv"),
                    closures: None,
                    holidays: None,
                    region: Region::EnglandAndWales,
                    default_depends_on: Vec::new(),
                    depends_on_rule: None,
                },
                schedule,
                json,
                fallback_minutes: 15.0,
                top: 5,
            }
        }
    }

    const SPREAD: &str = "\
a,Alpha,2027-08-05,web,,2027-08-02
b,Beta,2027-08-05,web,govuk,2027-08-05
c,Gamma,2027-08-06,db;team,,2027-08-10
";

    #[test]
    fn text_of_the_docs_example() {
        let files = Files::new();
        let out = risk(&files.options(None, false)).unwrap().stdout;
        assert!(out.contains("Failure risk of 3 releases on 4 failure points"));
        assert!(out.contains("(253 in 2027)"));
        assert!(out.contains("1 failure point(s) without failures_per_year"));
        let line = |label: &str| {
            out.lines()
                .find(|l| l.starts_with(label))
                .unwrap_or_else(|| panic!("no line {label} in\n{out}"))
                .split_whitespace()
                .last()
                .unwrap()
                .to_string()
        };
        assert_eq!(line("P(one failure delays 2 or more)"), "42.4%");
        assert_eq!(line("P(one failure delays 3 or more)"), "20.0%");
        assert_eq!(line("P(one failure delays 4 or more)"), "0%");
        assert_eq!(line("Failures delaying 2 or more"), "63.3");
        assert_eq!(line("Delay minutes"), "26785");
        let top: Vec<&str> = out.lines().filter(|l| l.starts_with("  ")).collect();
        assert!(top[0].contains("Database server (db)"), "{out}");
        assert!(top[1].contains("Website (web)"));
        assert!(top[2].contains("Statistics team (team)"));
        assert!(!out.contains("after"));
    }

    #[test]
    fn json_before_and_after_a_schedule() {
        let files = Files::new();
        let schedule = files.schedule(SPREAD);
        let out = risk(&files.options(Some(schedule.clone()), true))
            .unwrap()
            .stdout;
        let again = risk(&files.options(Some(schedule), true)).unwrap().stdout;
        assert_eq!(out, again);
        let v: Value = serde_json::from_str(&out).unwrap();
        // After: no failure point carries two releases in one window.
        assert_eq!(v["max_releases_hit"], 1);
        assert_eq!(v["p_at_least_k"]["2"], 0.0);
        assert_eq!(v["expected_multi_hit_failures_per_year"], 0.0);
        assert_eq!(v["planning_days"], 7);
        // Before: the worked example of docs/risk.md.
        let b = &v["before"];
        assert_eq!(b["planning_days"], 2);
        assert_eq!(b["p_at_least_k"]["2"], 0.424);
        assert_eq!(b["p_at_least_k"]["3"], 0.2);
        assert_eq!(b["expected_multi_hit_failures_per_year"], 63.25);
        assert_eq!(b["expected_delay_minutes_per_year"], 26784.8);
        assert_eq!(b["top_contributors"][0]["id"], "db");
        assert_eq!(v["assumptions"]["fallback_minutes"], 15.0);
        assert_eq!(v["assumptions"]["region"], "england-and-wales");
        let text = risk(&files.options(Some(files.schedule(SPREAD)), false))
            .unwrap()
            .stdout;
        assert!(text.contains("before       after"));
        assert!(text.contains("Top contributors after the plan (3 of 3)"));
        assert!(!text.contains("failures delaying 2 or more ("));
    }

    #[test]
    fn schedule_ids_must_match_the_releases() {
        let files = Files::new();
        let schedule = files.schedule(
            "\
a,Alpha,2027-08-05,web,,2027-08-02
z,Zeta,2027-08-05,web,,2027-08-05
",
        );
        let err = risk(&files.options(Some(schedule), false)).unwrap_err();
        assert_eq!(err.exit_code(), ExitCode::InvalidInput);
        let msg = err.to_string();
        assert!(msg.contains("schedule.csv:3: column 'id': 'z': no release with this id"));
        assert!(msg.contains("release 'b' (line 3 of"));
        assert!(msg.contains("release 'c' (line 4 of"));
    }

    #[test]
    fn formatting_helpers() {
        assert_eq!(sig3(0.0), "0");
        assert_eq!(sig3(0.42399), "0.424");
        assert_eq!(sig3(63.25), "63.2");
        assert_eq!(sig3(26784.75), "26785");
        assert_eq!(sig3(0.000123456), "0.000123");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(plain(1.0), "1");
        assert_eq!(plain(12.5), "12.5");
        assert_eq!(plain(60.0), "60");
        assert_eq!(fixed(0.123_456_789), json!(0.123457));
        assert_eq!(fixed(f64::NAN), Value::Null);
    }
}
