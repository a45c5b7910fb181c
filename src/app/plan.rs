//! `stagger plan`: move provisional releases to the proven minimum shared-failure
//! exposure with the fewest date changes, verify, and write the schedule.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use serde_json::json;

use super::instance::{build_instance_with, CalendarRules};
use super::{load, InputPaths, Loaded};
use crate::io::{event_state, schedule_csv, ScheduleRow};
use crate::model::{
    frozen, LinkReason, SeriesIndex, SeriesOrigin, SeriesRules, SeriesSource, Status, Weight,
    WindowRules,
};
use crate::notice::{Audience, NoticeBuilder};
use crate::optimise::verify::{verify, Claims, PlanToCheck, Verified};
use crate::optimise::{
    solve_until, Backend, Deadline, ObjectiveKind, PlanError, Solution, SolveOptions, StageReport,
    Status as SolveStatus, StopReason,
};
use crate::{Error, ExitCode};

/// How to plan (everything but the files).
#[derive(Debug, Clone)]
pub struct PlanSettings {
    /// Window rules.
    pub rules: WindowRules,
    /// Move budget.
    pub max_moves: Option<u32>,
    /// Wall-clock limit of the whole command (reading, planning, checking, writing); the
    /// engine's search stops early enough for the rest to fit within about a second.
    pub time_limit: Duration,
    /// Objective order.
    pub objective: ObjectiveKind,
    /// MILP backend.
    pub backend: Backend,
    /// Show a spinner on stderr when it is a terminal.
    pub progress: bool,
    /// Where series come from (`--series`).
    pub series_source: SeriesSource,
    /// How the series rules apply (`--min-gap-ratio`, `--any-weekday`).
    pub series_rules: SeriesRules,
    /// Wording of the change notices (`reasons`): public (no infrastructure names) or internal.
    pub notice: Audience,
    /// Threads of the anytime rounds (`--threads`); the plan does not depend on it.
    pub threads: std::num::NonZeroUsize,
}

impl Default for PlanSettings {
    fn default() -> Self {
        PlanSettings {
            rules: WindowRules::default(),
            max_moves: None,
            time_limit: Duration::from_secs(60),
            objective: ObjectiveKind::Default,
            backend: Backend::Microlp,
            progress: false,
            series_source: SeriesSource::default(),
            series_rules: SeriesRules::default(),
            notice: Audience::Public,
            threads: std::num::NonZeroUsize::MIN,
        }
    }
}

/// Options of `stagger plan`.
#[derive(Debug, Clone)]
pub struct PlanOptions {
    /// Input files.
    pub inputs: InputPaths,
    /// How to plan.
    pub settings: PlanSettings,
    /// Where to write the schedule CSV (stdout when `None`).
    pub out: Option<PathBuf>,
    /// Also write the plan as an iCalendar file here.
    pub ics: Option<PathBuf>,
    /// Print the summary as JSON.
    pub json: bool,
    /// Write a UTF-8 byte-order mark for spreadsheet programs.
    pub excel: bool,
    /// The run's date: the iCalendar `DTSTAMP` is never later (see [`super::calendar_stamp`]).
    pub today: NaiveDate,
}

/// A verified plan.
#[derive(Debug, Clone)]
pub struct PlanResult {
    /// Planned date per release (cancelled ones keep their date).
    pub scheduled: Vec<NaiveDate>,
    /// Signed working-day shift per release.
    pub shifts: Vec<i32>,
    /// Change notice per release (empty when not moved), worded for `PlanSettings::notice`.
    pub reasons: Vec<String>,
    /// Exposure before and after, recomputed independently.
    pub verified: Verified,
    /// The engine's report.
    pub solution: Solution,
    /// Releases moved.
    pub moved: usize,
    /// Sum of |shift|.
    pub total_shift: u64,
    /// Wall-clock seconds spent planning.
    pub seconds: f64,
    /// The series each release was found in from its title (empty when in none of two
    /// or more releases), for `schedule.csv`'s `series` column; `None` when the input
    /// has a `series` column or series are off (`--series none`).
    pub inferred_series: Option<Vec<String>>,
    /// The rules the plan kept, for the summary.
    pub rules: RulesInForce,
    /// Things about the plan a release team should look at before publishing it.
    pub warnings: Vec<String>,
}

/// The publishing rules a plan kept, as the summary states them.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RulesInForce {
    /// The planning date (`--today`), when notice periods applied.
    pub today: Option<NaiveDate>,
    /// Working days of notice (`--min-notice`).
    pub min_notice: u32,
    /// Working days of notice for market-sensitive releases (`--min-notice-sensitive`).
    pub min_notice_sensitive: u32,
    /// Provisional releases inside their notice period, kept on their dates.
    pub frozen: usize,
    /// Series of two or more releases.
    pub series: usize,
    /// Whether the series came from titles (else from the `series` column).
    pub series_from_titles: bool,
    /// Least share of a series' proposed spacing kept (`--min-gap-ratio`).
    pub min_gap_ratio: f64,
    /// Series that keep their weekday (weekday-regular, unless `--any-weekday`).
    pub weekday_regular: usize,
    /// `together` groups.
    pub together_groups: usize,
    /// `after` links.
    pub after_links: usize,
}

impl RulesInForce {
    fn of(loaded: &Loaded, settings: &PlanSettings, rules: &CalendarRules) -> RulesInForce {
        let releases = &loaded.dataset.releases;
        let notice = settings.rules.notice;
        let multi: Vec<_> = rules.series.multi().collect();
        RulesInForce {
            today: notice.map(|n| n.today),
            min_notice: notice.map_or(0, |n| n.min_notice),
            min_notice_sensitive: notice.map_or(0, |n| n.min_notice_sensitive),
            frozen: releases
                .iter()
                .filter(|r| r.is_movable())
                .filter(|r| frozen(r, &loaded.calendar, settings.rules).is_some())
                .count(),
            series: multi.len(),
            min_gap_ratio: settings.series_rules.min_gap_ratio,
            series_from_titles: multi.iter().any(|s| s.origin == SeriesOrigin::Title),
            weekday_regular: if settings.series_rules.any_weekday {
                0
            } else {
                multi
                    .iter()
                    .filter(|s| {
                        s.regular_weekday(settings.series_rules.weekday_share)
                            .is_some()
                    })
                    .count()
            },
            together_groups: rules.groups.len(),
            after_links: rules
                .links
                .iter()
                .filter(|l| l.reason == LinkReason::After)
                .count(),
        }
    }

    /// The summary's lines about the rules.
    fn text(&self) -> String {
        let mut s = String::new();
        if let Some(today) = self.today {
            let frozen = match self.frozen {
                0 => "no provisional release is inside its notice period".to_string(),
                1 => "1 provisional release inside its notice period stays on its date".to_string(),
                n => format!(
                    "{n} provisional releases inside their notice period stay on their dates"
                ),
            };
            let _ = writeln!(
                s,
                "Today {}: {} working days' notice ({} if market-sensitive); {frozen}.",
                crate::rules::long_date(today),
                self.min_notice,
                self.min_notice_sensitive,
            );
        }
        if self.series > 0 {
            let _ = writeln!(
                s,
                "Series: {} of two or more releases ({}), kept in order and at least {} of their proposed spacing; {} keep their weekday.",
                self.series,
                if self.series_from_titles { "from titles; --series none turns this off" } else { "from the series column" },
                self.min_gap_ratio,
                self.weekday_regular
            );
        }
        if self.together_groups + self.after_links > 0 {
            let _ = writeln!(
                s,
                "Links: {} together {}, {} after {}.",
                self.together_groups,
                if self.together_groups == 1 {
                    "group"
                } else {
                    "groups"
                },
                self.after_links,
                if self.after_links == 1 {
                    "link"
                } else {
                    "links"
                },
            );
        }
        s
    }
}

/// The Christmas period, when publishing is avoided: 24 December to 1 January.
fn in_christmas_period(date: NaiveDate) -> bool {
    use chrono::Datelike;
    (date.month() == 12 && date.day() >= 24) || (date.month() == 1 && date.day() == 1)
}

/// Things to look at before publishing the plan: moves into the Christmas period, and
/// moves to another month when months were not kept.
fn plan_warnings(loaded: &Loaded, settings: &PlanSettings, scheduled: &[NaiveDate]) -> Vec<String> {
    use chrono::Datelike;
    let releases = &loaded.dataset.releases;
    let moved = || {
        releases
            .iter()
            .zip(scheduled)
            .filter(|(r, &d)| r.is_active() && d != r.date)
    };
    let mut warnings = Vec::new();
    let christmas: Vec<String> = moved()
        .filter(|(_, &d)| in_christmas_period(d))
        .map(|(r, &d)| format!("{} (to {})", r.id, crate::rules::long_date(d)))
        .collect();
    if !christmas.is_empty() {
        warnings.push(format!(
            "{} moved into 24 December to 1 January, when few users and staff are about: {}. To keep releases out of those days, list them in a closures file (--closures).",
            count_releases(christmas.len()),
            list_some(&christmas)
        ));
    }
    if !settings.rules.keep_month {
        let other_month: Vec<String> = moved()
            .filter(|(r, &d)| (d.year(), d.month()) != (r.date.year(), r.date.month()))
            .map(|(r, &d)| format!("{} (to {})", r.id, crate::rules::long_date(d)))
            .collect();
        if !other_month.is_empty() {
            warnings.push(format!(
                "{} moved to another month: {}. If their month was announced, plan with --keep-month (or give each its announced period in the period column).",
                count_releases(other_month.len()),
                list_some(&other_month)
            ));
        }
    }
    warnings
}

/// "one release", "12 releases".
fn count_releases(n: usize) -> String {
    if n == 1 {
        "1 release".to_string()
    } else {
        format!("{n} releases")
    }
}

/// The first five items, then how many more.
fn list_some(items: &[String]) -> String {
    let shown = items.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > 5 {
        format!("{shown} and {} more", items.len() - 5)
    } else {
        shown
    }
}

/// What `plan` prints.
#[derive(Debug, Clone)]
pub struct PlanOutput {
    /// For stdout: the schedule CSV (no `--out`) or the summary.
    pub stdout: Vec<u8>,
    /// For stderr: the summary when the CSV went to stdout.
    pub stderr: String,
    /// Exit code.
    pub exit: ExitCode,
}

/// Runs `stagger plan`.
///
/// The time limit counts from here: reading, planning and checking share it (writing
/// the outputs and the summary come after, within the documented slack). When it passes
/// before a first plan exists, [`PlanError::TimeLimit`] and nothing is written.
pub fn plan(options: &PlanOptions) -> Result<PlanOutput, Error> {
    let deadline = Deadline::after(options.settings.time_limit);
    let loaded = load(&options.inputs)?;
    no_plan_yet(&deadline, &options.settings, "reading the inputs")?;
    loaded
        .guard
        .check_all(options.out.iter().chain(&options.ics).map(PathBuf::as_path))?;
    let result = plan_loaded_until(&loaded, &options.settings, &deadline)?;
    let trace = |what: &str| {
        if std::env::var_os("STAGGER_ENGINE_TRACE").is_some() {
            eprintln!(
                "plan: {what}, {:.3}s left",
                deadline.remaining().as_secs_f64()
            );
        }
    };
    let rows = schedule_rows(&loaded, &result);
    let csv = schedule_csv(&loaded.file, &rows, options.excel);
    trace("schedule written");
    let summary = if options.json {
        let mut s =
            serde_json::to_string_pretty(&summary_json(&loaded, &result)).unwrap_or_default();
        s.push('\n');
        s
    } else {
        summary_text(&loaded, &result)
    };
    trace("summary written");
    if let Some(path) = &options.ics {
        let releases = &loaded.dataset.releases;
        let moved_from: Vec<Option<NaiveDate>> = releases
            .iter()
            .zip(&rows)
            .map(|(r, row)| (row.scheduled != r.anchor).then_some(r.anchor))
            .collect();
        let notices: Vec<String> = rows.iter().map(|r| r.reason.clone()).collect();
        let mut events = super::ics_events(
            releases,
            &loaded.dataset.infrastructure,
            &loaded.failure_sets,
            &result.scheduled,
            &moved_from,
            &notices,
        );
        for (event, row) in events.iter_mut().zip(&rows) {
            event.sequence = row.sequence;
        }
        let (stamp, _) = super::calendar_stamp(None, options.today);
        let text = crate::io::ics::write_ics(
            &events,
            &crate::io::ics::IcsOptions {
                calendar_name: "Release calendar".into(),
                stamp,
                duration_minutes: 30,
                name_failure_points: options.settings.notice == Audience::Internal,
            },
        );
        loaded.guard.write(path, text.as_bytes())?;
    }
    match options
        .out
        .as_deref()
        .filter(|p| !crate::io::stdio::is_stdio(p))
    {
        Some(path) => {
            loaded.guard.write(path, &csv)?;
            Ok(PlanOutput {
                stdout: summary.into_bytes(),
                stderr: super::warnings_text(&loaded),
                exit: ExitCode::Success,
            })
        }
        _ => Ok(PlanOutput {
            stdout: csv,
            stderr: format!("{}{summary}", super::warnings_text(&loaded)),
            exit: ExitCode::Success,
        }),
    }
}

/// [`PlanError::TimeLimit`] when `deadline` has passed while `phase` was still running
/// (so no plan exists yet).
pub(crate) fn no_plan_yet(
    deadline: &Deadline,
    settings: &PlanSettings,
    phase: &str,
) -> Result<(), Error> {
    if deadline.expired() {
        return Err(PlanError::TimeLimit {
            seconds: settings.time_limit.as_secs_f64(),
            phase: phase.to_string(),
        }
        .into());
    }
    Ok(())
}

/// Processor time the phases after the search need (the engine's final bookkeeping,
/// the independent check, the change notices, the outputs, freeing memory): linear in
/// the releases and in the (release, failure point, outage day) cells they touch.
/// Measured at about 20 µs per release on the 2-core benchmark machine (100,000
/// generated releases: 2 s) and 0.02 µs per cell (the check and the notices group
/// failure points that carry the same releases: a 10,000-deep dependency chain, 5 × 10⁷
/// cells, in 1 s); kept back at 0.05 µs per cell, and 50 ms more for small inputs.
pub(crate) fn work_after_search(loaded: &Loaded) -> Duration {
    let cells: u64 = loaded
        .dataset
        .releases
        .iter()
        .zip(&loaded.failure_sets)
        .filter(|(r, _)| r.is_active())
        .flat_map(|(_, set)| set)
        .map(|&c| u64::from(loaded.dataset.infrastructure.point(c).outage_days.max(1)))
        .sum();
    let releases = loaded.dataset.releases.len() as u64;
    Duration::from_millis(50) + Duration::from_micros(20 * releases + cells / 20)
}

/// Time kept back from the search for what must follow it: [`work_after_search`] on a
/// machine running `slowdown` times slower than its processor time (shared with other
/// work), at most three quarters of the limit (the search always builds a first plan).
fn reserve_after_search(loaded: &Loaded, limit: Duration, slowdown: f64) -> Duration {
    work_after_search(loaded)
        .mul_f64(slowdown)
        .min(limit.mul_f64(0.75))
}

/// The series names inferred from titles, per release (see
/// [`PlanResult::inferred_series`]).
fn inferred_series(index: &SeriesIndex, n: usize) -> Option<Vec<String>> {
    let mut names = vec![String::new(); n];
    let mut any = false;
    for s in index.multi() {
        if s.origin != SeriesOrigin::Title {
            return None;
        }
        any = true;
        for &i in &s.all {
            names[i] = s.name.clone();
        }
    }
    any.then_some(names)
}

/// The rows of `schedule.csv` for a plan: `date` the planned date, `proposed_date`
/// the window's anchor, the iCalendar revision carried on from the input, the shift
/// from the proposal, and the notice of the release's latest move (this plan's, or
/// the input's `reason` when this plan left a moved release where it was).
pub fn schedule_rows(loaded: &Loaded, result: &PlanResult) -> Vec<ScheduleRow> {
    let file = &loaded.file;
    let reason_column = file.table.column("reason");
    loaded
        .dataset
        .releases
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let scheduled = result.scheduled[i];
            let row_state = event_state(r.date, r.time, r.status);
            let state = event_state(scheduled, r.time, r.status);
            let revision = file.revisions.get(i).cloned().unwrap_or_default();
            let next = revision.next(&row_state, &state);
            let reason = if scheduled != r.date {
                result.reasons[i].clone()
            } else if scheduled != r.anchor {
                reason_column
                    .and_then(|c| file.table.rows.get(i).and_then(|row| row.fields.get(c)))
                    .map(|v| v.trim().to_string())
                    .unwrap_or_default()
            } else {
                String::new()
            };
            ScheduleRow {
                scheduled,
                proposed: r.anchor,
                sequence: next.sequence,
                sequence_of: state,
                shift: loaded
                    .calendar
                    .working_days_between(r.anchor, scheduled, r.region),
                reason,
                series: result.inferred_series.as_ref().map(|s| s[i].clone()),
            }
        })
        .collect()
}

/// Plans already-loaded inputs: builds the engine instance, solves, maps back to
/// dates, verifies independently, and writes the change notices. The time limit counts
/// from this call; see [`plan_loaded_until`].
pub fn plan_loaded(loaded: &Loaded, settings: &PlanSettings) -> Result<PlanResult, Error> {
    plan_loaded_until(loaded, settings, &Deadline::after(settings.time_limit))
}

/// [`plan_loaded`] within the caller's `deadline` (shared with the caller's other
/// phases): building the instance and the search check it, the search stops early
/// enough for the check and the notices to follow. [`PlanError::TimeLimit`] when it
/// passes before the planning problem is built.
pub fn plan_loaded_until(
    loaded: &Loaded,
    settings: &PlanSettings,
    deadline: &Deadline,
) -> Result<PlanResult, Error> {
    let started = Instant::now();
    let cpu_at_start = super::cpu::process_cpu_time();
    let trace = |what: &str| {
        if std::env::var_os("STAGGER_ENGINE_TRACE").is_some() {
            let cpu = super::cpu::process_cpu_time()
                .zip(cpu_at_start)
                .map_or(0.0, |(now, then)| now.saturating_sub(then).as_secs_f64());
            eprintln!(
                "plan: {what} at {:.3}s (processor {cpu:.2}s), {:.3}s left",
                started.elapsed().as_secs_f64(),
                deadline.remaining().as_secs_f64()
            );
        }
    };
    let releases = &loaded.dataset.releases;
    let rules = CalendarRules::of(loaded, settings);
    let built = build_instance_with(loaded, settings, &rules, deadline)?;
    trace("instance built");
    no_plan_yet(deadline, settings, "building the planning problem")?;
    let spinner = settings.progress && std::io::stderr().is_terminal();
    let bar = spinner.then(|| {
        let b = indicatif::ProgressBar::new_spinner();
        b.enable_steady_tick(Duration::from_millis(120));
        b.set_message("planning");
        b
    });
    type Progress = Arc<dyn Fn(&str) + Send + Sync>;
    let progress: Option<Progress> = bar.clone().map(|b| {
        let f: Progress = Arc::new(move |m: &str| b.set_message(m.to_string()));
        f
    });
    // Building the instance shows how fast this machine runs just now.
    let slowdown = super::cpu::slowdown(cpu_at_start, started.elapsed());
    let search_deadline =
        deadline.before(reserve_after_search(loaded, settings.time_limit, slowdown));
    let solution = solve_until(
        &built.instance,
        &SolveOptions {
            time_limit: settings.time_limit,
            max_moves: settings.max_moves,
            objective: settings.objective,
            backend: settings.backend,
            progress,
            threads: settings.threads,
        },
        &search_deadline,
    );
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let solution = solution?;
    trace("searched");
    let mut scheduled: Vec<NaiveDate> = releases.iter().map(|r| r.date).collect();
    for (item, members) in built.item_releases.iter().enumerate() {
        let day = solution.days.get(item).copied().unwrap_or(0) as usize;
        let Some(&date) = built.axis.days().get(day) else {
            return Err(PlanError::Verification {
                problems: vec![format!(
                    "the engine chose day {day}, which is not on the planning axis"
                )],
            }
            .into());
        };
        for &release in members {
            scheduled[release] = date;
        }
    }
    let verified = verify(&PlanToCheck {
        releases,
        failure_sets: &loaded.failure_sets,
        infrastructure: &loaded.dataset.infrastructure,
        calendar: &loaded.calendar,
        rules: settings.rules,
        series: &rules.series,
        series_rules: settings.series_rules,
        max_moves: settings.max_moves,
        scheduled: &scheduled,
        compare_with_input: settings.objective == ObjectiveKind::Default,
        claims: Claims {
            peak: Weight(solution.objective.peak),
            clash_pairs: solution.objective.clash_pairs,
            moved: solution.objective.moves as usize,
            total_shift: solution.objective.total_shift,
        },
    })?;
    let shifts: Vec<i32> = releases
        .iter()
        .zip(&scheduled)
        .map(|(r, &d)| loaded.calendar.working_days_between(r.date, d, r.region))
        .collect();
    trace("verified");
    let before: Vec<NaiveDate> = releases.iter().map(|r| r.date).collect();
    let notices = NoticeBuilder::new(
        releases,
        &loaded.failure_sets,
        &loaded.dataset.infrastructure,
        &loaded.calendar,
        &before,
        &scheduled,
        settings.objective,
    )
    .with_links(&rules.links, &rules.series, &rules.groups);
    let reasons: Vec<String> = (0..releases.len())
        .map(|i| notices.text(i, settings.notice))
        .collect();
    let moved = reasons.iter().filter(|r| !r.is_empty()).count();
    trace("notices written");
    let total_shift = shifts.iter().map(|s| s.unsigned_abs() as u64).sum();
    let warnings = plan_warnings(loaded, settings, &scheduled);
    Ok(PlanResult {
        scheduled,
        shifts,
        reasons,
        verified,
        solution,
        moved,
        total_shift,
        seconds: started.elapsed().as_secs_f64(),
        inferred_series: inferred_series(&rules.series, releases.len()),
        rules: RulesInForce::of(loaded, settings, &rules),
        warnings,
    })
}

fn stage<'a>(result: &'a PlanResult, name: &str) -> Option<&'a StageReport> {
    result.solution.stages.iter().find(|s| s.name == name)
}

fn status_word(result: &PlanResult) -> &'static str {
    match result.solution.status {
        SolveStatus::Optimal => "optimal",
        SolveStatus::Feasible => "feasible",
    }
}

/// The JSON summary of `plan --json`.
pub fn summary_json(loaded: &Loaded, result: &PlanResult) -> serde_json::Value {
    let v = &result.verified;
    let bound = |name: &str| stage(result, name).map(|s| s.lower_bound);
    let releases = &loaded.dataset.releases;
    let changes: Vec<_> = releases
        .iter()
        .enumerate()
        .filter(|(i, _)| !result.reasons[*i].is_empty())
        .map(|(i, r)| {
            json!({
                "id": r.id,
                "from": r.date.to_string(),
                "to": result.scheduled[i].to_string(),
                "shift": result.shifts[i],
                "reason": result.reasons[i],
            })
        })
        .collect();
    let stages: Vec<_> = result
        .solution
        .stages
        .iter()
        .map(|s| json!({"stage": s.name, "value": s.value, "lower_bound": s.lower_bound, "proven": s.proven}))
        .collect();
    json!({
        "peak_before": v.before.peak,
        "peak_after": v.after.peak,
        "peak_lower_bound": bound("peak").map(|b| Weight(b as u64)),
        "clash_pairs_before": v.before.clash_pairs,
        "clash_pairs_after": v.after.clash_pairs,
        "clash_pairs_lower_bound": bound("clash_pairs"),
        "moved": result.moved,
        "moves_lower_bound": bound("moves"),
        "total_shift": result.total_shift,
        "status": status_word(result),
        "stopped_by": result.solution.stopped_by.as_str(),
        "stages": stages,
        "seconds": (result.seconds * 1000.0).round() / 1000.0,
        "rules": result.rules,
        "warnings": result.warnings,
        "changes": changes,
    })
}

/// Most change notices the text summary lists (all are in the schedule and the JSON).
const SUMMARY_NOTICES: usize = 25;

/// The text summary of `plan`.
pub fn summary_text(loaded: &Loaded, result: &PlanResult) -> String {
    let v = &result.verified;
    let releases = &loaded.dataset.releases;
    let movable = releases.iter().filter(|r| r.is_movable()).count();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} releases, {} provisional (may move), {} confirmed, {} cancelled",
        releases.len(),
        movable,
        releases
            .iter()
            .filter(|r| r.status == Status::Confirmed)
            .count(),
        releases
            .iter()
            .filter(|r| r.status == Status::Cancelled)
            .count()
    );
    s.push_str(&result.rules.text());
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{:<28}{:>10}{:>10}{:>14}",
        "", "before", "after", "lower bound"
    );
    let fmt_bound = |name: &str, scale: f64| {
        stage(result, name).map_or("-".to_string(), |st| {
            let b = st.lower_bound / scale;
            let txt = if (b - b.round()).abs() < 1e-9 {
                format!("{}", b.round())
            } else {
                format!("{b:.3}")
            };
            if st.proven {
                format!("{txt} proven")
            } else {
                txt
            }
        })
    };
    let _ = writeln!(
        s,
        "{:<28}{:>10}{:>10}{:>14}",
        "Peak exposure",
        v.before.peak.to_string(),
        v.after.peak.to_string(),
        fmt_bound("peak", 1000.0)
    );
    let _ = writeln!(
        s,
        "{:<28}{:>10}{:>10}{:>14}",
        "Clash pairs",
        v.before.clash_pairs,
        v.after.clash_pairs,
        fmt_bound("clash_pairs", 1.0)
    );
    let _ = writeln!(
        s,
        "{:<28}{:>10}{:>10}{:>14}",
        "Releases moved",
        0,
        result.moved,
        fmt_bound("moves", 1.0)
    );
    let _ = writeln!(
        s,
        "{:<28}{:>10}{:>10}{:>14}",
        "Total shift (working days)",
        0,
        result.total_shift,
        fmt_bound("total_shift", 1.0)
    );
    let _ = writeln!(s);
    if result.solution.stopped_by == StopReason::Time {
        let _ = writeln!(
            s,
            "Stopped by the time limit: this is the best plan found in time; with more time (--time-limit) it may improve, and another run may give another plan."
        );
    }
    match result.solution.status {
        SolveStatus::Optimal => {
            let _ = writeln!(s, "Status: proven optimal ({:.2} s).", result.seconds);
        }
        SolveStatus::Feasible => {
            let open: Vec<String> = result
                .solution
                .stages
                .iter()
                .filter(|st| !st.proven)
                .map(|st| {
                    let gap = st.value - st.lower_bound;
                    let gap = if st.name == "peak" { gap / 1000.0 } else { gap };
                    if gap.abs() < 1e-9 {
                        // Never "not proven … gap 0": the value meets a bound that holds
                        // only if the stages before it are optimal.
                        format!(
                            "{} (meets its lower bound for the earlier stages' values)",
                            st.name
                        )
                    } else if (gap - gap.round()).abs() < 1e-9 {
                        format!("{} (gap {})", st.name, gap.round())
                    } else {
                        format!("{} (gap {gap:.4})", st.name)
                    }
                })
                .collect();
            let _ = writeln!(
                s,
                "Status: best plan found in {:.2} s; not proven optimal for: {}.",
                result.seconds,
                open.join(", ")
            );
        }
    }
    if !result.warnings.is_empty() {
        let _ = writeln!(s);
        for w in &result.warnings {
            let _ = writeln!(s, "Warning: {w}");
        }
    }
    if result.moved > 0 {
        let _ = writeln!(s);
        let _ = writeln!(s, "Change notices:");
        let listed = releases
            .iter()
            .enumerate()
            .filter(|(i, _)| !result.reasons[*i].is_empty());
        for (i, r) in listed.take(SUMMARY_NOTICES) {
            let _ = writeln!(s, "  {}: {}", r.id, result.reasons[i]);
        }
        if result.moved > SUMMARY_NOTICES {
            let _ = writeln!(
                s,
                "  … and {} more: every notice is in the schedule's reason column (and in --json).",
                result.moved - SUMMARY_NOTICES
            );
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{load, InputPaths};
    use crate::calendar::Region;

    /// One event of a parsed iCalendar file: (SEQUENCE, DTSTART, DTSTAMP, STATUS).
    type Event = (u32, String, String, String);

    /// Parses an iCalendar file with the `icalendar` crate's parser: UID → event.
    fn parse_ics(text: &str) -> std::collections::BTreeMap<String, Event> {
        let unfolded = icalendar::parser::unfold(text);
        let cal = icalendar::parser::read_calendar(&unfolded).expect("the calendar parses");
        let mut out = std::collections::BTreeMap::new();
        for c in cal.components.iter().filter(|c| c.name == "VEVENT") {
            let prop = |k: &str| {
                c.properties
                    .iter()
                    .find(|p| p.name == k)
                    .map(|p| p.val.as_ref().to_string())
                    .unwrap_or_else(|| panic!("event without {k}"))
            };
            let seq: u32 = prop("SEQUENCE").parse().expect("SEQUENCE is a number");
            out.insert(
                prop("UID"),
                (seq, prop("DTSTART"), prop("DTSTAMP"), prop("STATUS")),
            );
        }
        out
    }

    /// Plan, move again (a closure lands on a moved release's new day), re-plan
    /// unchanged: every file parses, SEQUENCE never goes down for a UID, goes up exactly
    /// when DTSTART changes, and DTSTAMP is never after the run's date.
    #[test]
    fn three_plan_history_keeps_sequence_rising_and_dtstamp_in_the_past() {
        let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/example");
        let dir = tempfile::tempdir().unwrap();
        let closures = std::fs::read_to_string(example.join("closures.csv")).unwrap();
        let more = dir.path().join("closures-2.csv");
        std::fs::write(
            &more,
            format!("{closures}2027-08-02,Office flood,northern-ireland\n"),
        )
        .unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let run = |releases: PathBuf, closures: PathBuf, n: usize| {
            let out = dir.path().join(format!("schedule-{n}.csv"));
            let ics = dir.path().join(format!("plan-{n}.ics"));
            plan(&PlanOptions {
                inputs: InputPaths {
                    releases,
                    infrastructure: example.join("infrastructure.csv"),
                    closures: Some(closures),
                    holidays: None,
                    region: Region::NorthernIreland,
                    default_depends_on: Vec::new(),
                    depends_on_rule: None,
                },
                // The series rules would give another plan; this test follows one
                // release moved twice.
                settings: PlanSettings {
                    series_source: SeriesSource::Off,
                    ..PlanSettings::default()
                },
                out: Some(out.clone()),
                ics: Some(ics.clone()),
                json: false,
                excel: false,
                today,
            })
            .expect("plans");
            (out, parse_ics(&std::fs::read_to_string(ics).unwrap()))
        };
        let (s1, first) = run(
            example.join("releases.csv"),
            example.join("closures.csv"),
            1,
        );
        let (s2, second) = run(s1.clone(), more.clone(), 2);
        let (s3, third) = run(s2.clone(), more, 3);
        let uid = "dental-services-2027-q3@stagger";
        assert_eq!(first[uid].0, 1, "moved once");
        assert_eq!(second[uid].0, 2, "moved again off the closure");
        assert_ne!(first[uid].1, second[uid].1);
        assert_eq!(third[uid], second[uid], "re-planned unchanged");
        assert_eq!(first.len(), 83);
        for (a, b) in [(&first, &second), (&second, &third)] {
            for (uid, old) in a {
                let new = &b[uid];
                assert!(
                    new.0 >= old.0,
                    "{uid}: SEQUENCE went down {} -> {}",
                    old.0,
                    new.0
                );
                let changed = new.1 != old.1 || new.3 != old.3;
                assert_eq!(
                    new.0 > old.0,
                    changed,
                    "{uid}: SEQUENCE {} -> {} with DTSTART {} -> {}",
                    old.0,
                    new.0,
                    old.1,
                    new.1
                );
            }
        }
        for cal in [&first, &second, &third] {
            for (uid, e) in cal {
                assert!(
                    e.2.as_str() <= "20261121T235959Z",
                    "{uid}: DTSTAMP {} after today",
                    e.2
                );
            }
        }
        // The schedule's date column holds the planned date; proposed_date the proposal.
        let mut reader = csv::Reader::from_path(&s3).unwrap();
        let headers = reader.headers().unwrap().clone();
        let col = |k: &str| headers.iter().position(|h| h == k).unwrap();
        let row = reader
            .records()
            .map(|r| r.unwrap())
            .find(|r| &r[col("id")] == "dental-services-2027-q3")
            .unwrap();
        let start = &second[uid].1;
        assert_eq!(
            &row[col("date")],
            format!("{}-{}-{}", &start[..4], &start[4..6], &start[6..8])
        );
        assert_eq!(&row[col("proposed_date")], "2027-08-05");
        assert_eq!(&row[col("moved")], "true");
        assert_eq!(&row[col("sequence")], "2");
        assert!(
            row[col("reason")].starts_with("Moved from Monday 2 August to "),
            "{:?}",
            &row[col("reason")]
        );
        assert!(
            row[col("reason")].contains("a closure day (Office flood)"),
            "{:?}",
            &row[col("reason")]
        );
        assert!(!headers.iter().any(|h| h == "scheduled_date"));
    }

    /// The bundled example's lexicographic optimum, proven by the exact HiGHS MILP
    /// (`solve_exact_milp` with `Backend::Highs`): peak 4000, 39 clash pairs, 31 moves,
    /// total shift 57. The default pure-Rust engine must reach it and prove it.
    #[test]
    fn bundled_example_reaches_the_exact_optimum() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/example");
        let loaded = load(&InputPaths {
            releases: dir.join("releases.csv"),
            infrastructure: dir.join("infrastructure.csv"),
            closures: Some(dir.join("closures.csv")),
            holidays: None,
            region: Region::NorthernIreland,
            default_depends_on: Vec::new(),
            depends_on_rule: None,
        })
        .expect("the bundled example loads");
        // Without the series rules (they are tested below and in plan_props).
        let settings = PlanSettings {
            series_source: SeriesSource::Off,
            ..PlanSettings::default()
        };
        let result = plan_loaded(&loaded, &settings).expect("the example plans");
        let o = &result.solution.objective;
        assert_eq!(
            (o.peak, o.clash_pairs, o.moves, o.total_shift),
            (4000, 39, 31, 57)
        );
        assert_eq!(result.moved, 31);
        assert_eq!(result.total_shift, 57);
        // Every stage is proven (moves and shift by the bounds at the pairs bound).
        let proven: Vec<(&str, bool)> = result
            .solution
            .stages
            .iter()
            .map(|s| (s.name, s.proven))
            .collect();
        assert_eq!(
            proven,
            vec![
                ("peak", true),
                ("clash_pairs", true),
                ("moves", true),
                ("total_shift", true)
            ]
        );
        assert_eq!(result.solution.status, crate::optimise::Status::Optimal);
    }
}
