//! `stagger chart` and `stagger report`: charts and the one-page HTML report.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use super::{load, plan_loaded_until, InputPaths, Loaded, PlanResult, PlanSettings};
use crate::calendar::Region;
use crate::exposure::{assess, Assessment};
use crate::io::read_releases;
use crate::model::Weight;
use crate::optimise::ObjectiveKind;
use crate::optimise::Status as SolveStatus;
use crate::optimise::{Deadline, StopReason};
use crate::report::{
    headline, render_html, Bound, ChartFormat, ChartSpec, ClashRow, DailyReleasesDay,
    DailyReleasesInput, DayKind, FindingRow, HeadlineFacts, HeatmapDay, HeatmapInput, HeatmapPanel,
    NoticeRow, ReportChart, ReportInput, RiskBar, RiskChange, RiskInput, RiskRow, RiskSection,
    TradeoffInput, TradeoffPoint, WorstDayInput, WorstDayRow,
};
use crate::rules::{findings, long_date, Rule};
use crate::Error;

/// Which image formats `chart` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormats {
    /// SVG only.
    Svg,
    /// PNG only.
    Png,
    /// Both.
    Both,
}

/// Options shared by `chart` and `report`.
#[derive(Debug, Clone)]
pub struct VisualOptions {
    /// Input files.
    pub inputs: InputPaths,
    /// A schedule written by `plan` to show as "after"; planned afresh when `None`.
    pub schedule: Option<PathBuf>,
    /// How to plan (for the plan itself, its bounds and the trade-off curve).
    pub settings: PlanSettings,
    /// Month for the releases-per-day chart (default: the month of the worst clash).
    pub month: Option<(i32, u32)>,
}

/// Before and after, with the plan behind it.
pub struct Story {
    /// The inputs.
    pub loaded: Loaded,
    /// Dates of the "after" calendar.
    pub after_dates: Vec<NaiveDate>,
    /// Exposure before.
    pub before: Assessment,
    /// Exposure after.
    pub after: Assessment,
    /// The plan computed from the inputs (the "after" one unless a schedule was given).
    pub plan: PlanResult,
    /// Peak and clash pairs against the number of moves, read off the plan
    /// (see [`crate::optimise::tradeoff`]).
    pub tradeoff: Vec<TradeoffPoint>,
    /// Failure risk of the calendar before the plan.
    pub risk_before: crate::risk::RiskFigures,
    /// Failure risk after.
    pub risk_after: crate::risk::RiskFigures,
    /// Whether the time limit cut the plan or the trade-off curve short: another run,
    /// or another machine, may then draw other figures.
    pub stopped_by_time: bool,
}

/// What `chart` and `report` say (on standard error, and in the report's headline)
/// when the time limit cut the plan or the trade-off curve short.
pub const STOPPED_BY_TIME: &str = "Stopped by the time limit: the plan and the trade-off curve are the best found in time; with more time (--time-limit) they may improve, and another run may draw other figures.";

/// A spinner on stderr naming the current step, when stderr is a terminal.
pub(crate) struct Steps(Option<indicatif::ProgressBar>);

impl Steps {
    /// A spinner when `enabled` and stderr is a terminal; silent otherwise.
    pub(crate) fn new(enabled: bool) -> Steps {
        use std::io::IsTerminal;
        Steps((enabled && std::io::stderr().is_terminal()).then(|| {
            let b = indicatif::ProgressBar::new_spinner();
            b.enable_steady_tick(std::time::Duration::from_millis(120));
            b
        }))
    }

    /// Shows `message`.
    pub(crate) fn step(&self, message: &str) {
        if let Some(b) = &self.0 {
            b.set_message(message.to_string());
        }
    }
}

impl Drop for Steps {
    fn drop(&mut self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

/// Loads the inputs, plans, reads the schedule if given, and computes the trade-off curve.
///
/// The time limit covers the plan and the trade-off curve together (a curve cut short
/// jumps to the plan's own point).
pub fn story(options: &VisualOptions) -> Result<Story, Error> {
    let deadline = Deadline::after(options.settings.time_limit);
    let loaded = load(&options.inputs)?;
    // The figures, charts and page after the plan cost about what the plan's own
    // check, notices and outputs cost: the plan stops that much earlier (at most half
    // the limit), so that the whole command keeps the limit.
    let extra = super::plan::work_after_search(&loaded).min(options.settings.time_limit / 2);
    let plan = plan_loaded_until(&loaded, &options.settings, &deadline.before(extra))?;
    let steps = Steps::new(options.settings.progress);
    let after_dates = match &options.schedule {
        Some(path) => schedule_dates(path, &loaded, options.inputs.region)?,
        None => plan.scheduled.clone(),
    };
    steps.step("exposure before and after");
    let rel = &loaded.dataset.releases;
    let infra = &loaded.dataset.infrastructure;
    let before_dates: Vec<NaiveDate> = rel.iter().map(|r| r.date).collect();
    let before = assess(
        rel,
        &loaded.failure_sets,
        infra,
        &before_dates,
        &loaded.calendar,
    );
    let after = assess(
        rel,
        &loaded.failure_sets,
        infra,
        &after_dates,
        &loaded.calendar,
    );
    steps.step("trade-off curve");
    let tradeoff = tradeoff_curve(&loaded, &options.settings, &plan, &deadline)?;
    steps.step("risk figures");
    let risk_options = crate::risk::RiskOptions {
        region: options.inputs.region,
        ..crate::risk::RiskOptions::default()
    };
    let risk_before = super::figures_for(&loaded, &before_dates, &risk_options);
    let risk_after = super::figures_for(&loaded, &after_dates, &risk_options);
    let stopped_by_time = deadline.fired() || plan.solution.stopped_by == StopReason::Time;
    Ok(Story {
        loaded,
        after_dates,
        before,
        after,
        plan,
        tradeoff,
        risk_before,
        risk_after,
        stopped_by_time,
    })
}

/// [`STOPPED_BY_TIME`] and a newline when the time limit cut the story short, else nothing.
fn time_note(story: &Story) -> String {
    if story.stopped_by_time {
        format!("{STOPPED_BY_TIME}\n")
    } else {
        String::new()
    }
}

/// The scheduled date of every release, from a schedule file matched by id.
fn schedule_dates(path: &Path, loaded: &Loaded, region: Region) -> Result<Vec<NaiveDate>, Error> {
    let file = read_releases(path, &loaded.dataset.infrastructure, region)?;
    let by_id: BTreeMap<&str, NaiveDate> = file
        .releases
        .iter()
        .map(|r| (r.id.as_str(), r.date))
        .collect();
    let mut missing = Vec::new();
    let dates = loaded
        .dataset
        .releases
        .iter()
        .map(|r| match by_id.get(r.id.as_str()) {
            Some(&d) => d,
            None => {
                missing.push(r.id.clone());
                r.date
            }
        })
        .collect();
    if missing.is_empty() {
        Ok(dates)
    } else {
        Err(crate::io::InputError::new(
            path,
            vec![crate::io::Diagnostic::new(format!(
                "the schedule has no row for {} release(s) of the releases file: {}",
                missing.len(),
                missing.join(", ")
            ))
            .with_hint("was it planned from another releases file? Run `stagger plan` again")],
        )
        .into())
    }
}

/// Peak and clash pairs against the number of moves, from the moves that are forced
/// anyway up to all of `plan`'s: one point per move count, each the best calendar
/// found using at most that many of the plan's own moves, applied most useful first
/// (one pass over the plan, no re-planning; see [`crate::optimise::tradeoff`]). The
/// last point is the plan itself. Within `deadline` (see
/// [`crate::optimise::tradeoff::curve_from_plan`]).
pub fn tradeoff_curve(
    loaded: &Loaded,
    settings: &PlanSettings,
    plan: &PlanResult,
    deadline: &Deadline,
) -> Result<Vec<TradeoffPoint>, Error> {
    let built = super::build_instance(loaded, settings)?;
    let curve = crate::optimise::tradeoff::curve_from_plan(
        &built.instance,
        &plan.solution.days,
        settings.objective,
        deadline,
    );
    Ok(curve
        .iter()
        .map(|p| TradeoffPoint {
            moves: p.moves,
            peak: p.peak as f64 / 1000.0,
            clash_pairs: p.clash_pairs as f64,
        })
        .collect())
}

/// The change budget the curve recommends: the fewest moves that reach the plan's
/// peak, and the fewest that give 90% of its clash-pair drop (None without a drop).
pub fn change_budget(curve: &[TradeoffPoint]) -> Option<(u32, Option<u32>)> {
    let (first, last) = (curve.first()?, curve.last()?);
    let peak = curve
        .iter()
        .find(|p| p.peak <= last.peak + 1e-9)
        .map_or(last.moves, |p| p.moves);
    let drop = first.clash_pairs - last.clash_pairs;
    let pairs = (drop > 0.0).then(|| {
        let target = last.clash_pairs + 0.1 * drop;
        curve
            .iter()
            .find(|p| p.clash_pairs <= target + 1e-9)
            .map_or(last.moves, |p| p.moves)
    });
    Some((peak, pairs))
}

fn heatmap_panel(
    label: &str,
    a: &Assessment,
    story: &Story,
    region: Region,
    from: NaiveDate,
    to: NaiveDate,
) -> HeatmapPanel {
    let cal = &story.loaded.calendar;
    let mut days = Vec::new();
    let mut d = from;
    while d <= to {
        let kind = match cal.non_working_reason(d, region) {
            None => DayKind::Working,
            Some(crate::calendar::NonWorking::Weekend(_)) => DayKind::Weekend,
            Some(crate::calendar::NonWorking::BankHoliday(n)) => DayKind::BankHoliday(n),
            Some(crate::calendar::NonWorking::Closure(n)) => DayKind::Closure(n),
        };
        days.push(HeatmapDay {
            date: d,
            value: a.day_peaks.get(&d).map_or(0.0, |w| w.as_f64()),
            kind,
        });
        match d.succ_opt() {
            Some(n) => d = n,
            None => break,
        }
    }
    HeatmapPanel {
        label: label.to_string(),
        days,
    }
}

fn month_bounds(y: i32, m: u32) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)?
    };
    Some((first, next.pred_opt()?))
}

/// The charts of a story, each with its file stem, caption and text alternative.
pub fn charts(
    story: &Story,
    region: Region,
    month: Option<(i32, u32)>,
) -> Vec<(String, String, String, Box<dyn ChartDyn>)> {
    let rel = &story.loaded.dataset.releases;
    let infra = &story.loaded.dataset.infrastructure;
    let mut out: Vec<(String, String, String, Box<dyn ChartDyn>)> = Vec::new();
    let active_dates = rel
        .iter()
        .zip(&story.after_dates)
        .filter(|(r, _)| r.is_active())
        .flat_map(|(r, &d)| [r.date, d]);
    let (lo, hi) = active_dates.fold((NaiveDate::MAX, NaiveDate::MIN), |(lo, hi), d| {
        (lo.min(d), hi.max(d))
    });
    if lo <= hi {
        let from = NaiveDate::from_ymd_opt(lo.year(), lo.month(), 1).unwrap_or(lo);
        let to = month_bounds(hi.year(), hi.month()).map_or(hi, |(_, e)| e);
        out.push((
            "heatmap".into(),
            "Peak exposure per day, before and after".into(),
            format!(
                "Calendar heatmap, one cell per weekday from {} to {}, coloured by the day's largest exposure of any failure point; bank holidays and closures are marked. Peak {} before, {} after.",
                long_date(from),
                long_date(to),
                story.before.peak,
                story.after.peak
            ),
            Box::new(HeatmapInput {
                title: "Peak exposure per day".into(),
                panels: vec![
                    heatmap_panel("Before (proposed calendar)", &story.before, story, region, from, to),
                    heatmap_panel("After (planned calendar)", &story.after, story, region, from, to),
                ],
            }),
        ));
    }
    let rows: Vec<WorstDayRow> = story
        .before
        .components
        .iter()
        .zip(&story.after.components)
        .filter(|(b, _)| b.releases > 0)
        .map(|(b, a)| {
            let p = infra.point(b.component);
            WorstDayRow {
                name: p.name.clone(),
                kind: p.kind.clone(),
                before: b.worst.as_f64(),
                after: a.worst.as_f64(),
            }
        })
        .collect();
    out.push((
        "worst-day".into(),
        "Worst day per failure point, before and after".into(),
        "Horizontal bars for the most exposed failure points: the largest exposure on any one day before the plan and after it.".into(),
        Box::new(WorstDayInput {
            title: "Worst day per failure point".into(),
            rows,
        }),
    ));
    if !story.tradeoff.is_empty() {
        let summary: Vec<String> = story
            .tradeoff
            .iter()
            .map(|p| {
                format!(
                    "{} moves: peak {}, {} clash pairs",
                    p.moves, p.peak, p.clash_pairs
                )
            })
            .collect();
        out.push((
            "tradeoff".into(),
            "How many changes buy how much safety".into(),
            format!(
                "Peak exposure and clash pairs against the number of releases allowed to move. {}.",
                summary.join("; ")
            ),
            Box::new(TradeoffInput {
                title: "How many changes buy how much safety".into(),
                points: story.tradeoff.clone(),
                plan_moves: Some(story.plan.moved as u32),
                plan_proven: story.plan.solution.status == SolveStatus::Optimal,
            }),
        ));
    }
    // Releases per day per website for one month.
    let worst_month = story
        .before
        .clashes
        .first()
        .map(|c| (c.date.year(), c.date.month()));
    if let Some((y, m)) = month.or(worst_month) {
        if let Some((first, last)) = month_bounds(y, m) {
            let mut sites: Vec<usize> = infra
                .points()
                .iter()
                .enumerate()
                .filter(|(_, p)| p.kind.eq_ignore_ascii_case("website"))
                .map(|(i, _)| i)
                .collect();
            if sites.is_empty() {
                let mut by_use: Vec<(usize, usize)> = story
                    .before
                    .components
                    .iter()
                    .map(|c| (c.releases, c.component))
                    .collect();
                by_use.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                sites = by_use.into_iter().take(6).map(|(_, c)| c).collect();
            }
            let working = story.loaded.calendar.working_days_in(first, last, region);
            let count_days = |dates: &dyn Fn(usize) -> NaiveDate| -> Vec<DailyReleasesDay> {
                // (site slot, date) → releases, one pass over the releases.
                let mut counts: BTreeMap<NaiveDate, Vec<u32>> =
                    working.iter().map(|&d| (d, vec![0; sites.len()])).collect();
                for (i, r) in rel.iter().enumerate() {
                    if !r.is_active() {
                        continue;
                    }
                    if let Some(row) = counts.get_mut(&dates(i)) {
                        for (slot, c) in sites.iter().enumerate() {
                            if story.loaded.failure_sets[i].binary_search(c).is_ok() {
                                row[slot] += 1;
                            }
                        }
                    }
                }
                counts
                    .into_iter()
                    .map(|(date, counts)| DailyReleasesDay { date, counts })
                    .collect()
            };
            let after_days = count_days(&|i| story.after_dates[i]);
            let before_days = count_days(&|i| rel[i].date);
            let month_name = crate::io::fields::month_name(m);
            out.push((
                format!("releases-per-day-{y}-{m:02}"),
                format!("Releases per day per website, {month_name} {y}, before and after"),
                format!("Stacked bars in two panels, before and after the plan: for each working day of {month_name} {y}, how many releases go out through each website (the six busiest named, the others together)."),
                Box::new(DailyReleasesInput {
                    title: format!("Releases per day per website, {month_name} {y}"),
                    websites: sites.iter().map(|&c| infra.point(c).name.clone()).collect(),
                    before: before_days,
                    after: after_days,
                }),
            ));
        }
    }
    let ks: Vec<u32> = story
        .risk_before
        .p_at_least_k
        .keys()
        .chain(story.risk_after.p_at_least_k.keys())
        .copied()
        .collect::<std::collections::BTreeSet<u32>>()
        .into_iter()
        .collect();
    let p = |f: &crate::risk::RiskFigures, k: u32| f.p_at_least_k.get(&k).copied().unwrap_or(0.0);
    let bars: Vec<RiskBar> = ks
        .iter()
        .map(|&k| RiskBar {
            k,
            before: p(&story.risk_before, k),
            after: p(&story.risk_after, k),
        })
        .collect();
    let described: Vec<String> = bars
        .iter()
        .map(|b| {
            format!(
                "k = {}: {:.2}% before, {:.2}% after",
                b.k,
                b.before * 100.0,
                b.after * 100.0
            )
        })
        .collect();
    out.push((
        "risk".into(),
        "Chance that one failure delays k or more releases at once".into(),
        format!(
            "Grouped bars: the probability, over the planning period, that a single failure delays k or more releases together. {}.",
            described.join("; ")
        ),
        Box::new(RiskInput {
            title: "P(one failure delays k or more releases)".into(),
            bars,
        }),
    ));
    out
}

/// Object-safe view of a chart (the report's `ChartSpec` is generic over backends).
pub trait ChartDyn {
    /// Renders in `format`.
    fn render_dyn(&self, format: ChartFormat) -> Result<Vec<u8>, crate::report::ReportError>;
}

impl<T: ChartSpec> ChartDyn for T {
    fn render_dyn(&self, format: ChartFormat) -> Result<Vec<u8>, crate::report::ReportError> {
        self.render(format)
    }
}

/// Runs `stagger chart`: writes the charts into `dir`; returns what it wrote.
pub fn chart(options: &VisualOptions, dir: &Path, formats: ImageFormats) -> Result<String, Error> {
    let guard = output_guard(options);
    let story = story(options)?;
    let mut fmts = Vec::new();
    if formats != ImageFormats::Png {
        fmts.push((ChartFormat::Svg, "svg"));
    }
    if formats != ImageFormats::Svg {
        fmts.push((ChartFormat::Png, "png"));
    }
    let charts = charts(&story, options.inputs.region, options.month);
    let path = |stem: &str, ext: &str| dir.join(format!("{stem}.{ext}"));
    // Every chart path is checked before the first is written.
    let paths: Vec<std::path::PathBuf> = charts
        .iter()
        .flat_map(|(stem, ..)| fmts.iter().map(|(_, ext)| path(stem, ext)))
        .collect();
    guard.check_all(paths.iter().map(|p| p.as_path()))?;
    let mut written = super::warnings_text(&story.loaded);
    written.push_str(&time_note(&story));
    for (stem, _, _, chart) in &charts {
        for &(f, ext) in &fmts {
            let path = path(stem, ext);
            let bytes = chart.render_dyn(f)?;
            guard.write(&path, &bytes)?;
            written.push_str(&format!("wrote {}\n", path.display()));
        }
    }
    Ok(written)
}

/// Protects every input of a chart or report command, the `--schedule` included.
fn output_guard(options: &VisualOptions) -> crate::io::OutputGuard {
    let i = &options.inputs;
    crate::io::OutputGuard::new(
        [
            Some(&i.releases),
            Some(&i.infrastructure),
            i.closures.as_ref(),
            i.depends_on_rule.as_ref(),
            options.schedule.as_ref(),
        ]
        .into_iter()
        .flatten(),
    )
}

/// Why a clash remains in the plan.
fn why_it_stays(story: &Story, releases: &[usize], settings: &PlanSettings) -> String {
    let rel = &story.loaded.dataset.releases;
    let movable = releases.iter().filter(|&&i| rel[i].is_movable()).count();
    if movable == 0 {
        return "all of these releases are confirmed: announced dates never move".into();
    }
    let budget = settings.max_moves.map_or(String::new(), |m| {
        format!(" within the budget of {m} moves")
    });
    if story.plan.solution.status == SolveStatus::Optimal
        && story.after_dates == story.plan.scheduled
    {
        if movable == 1 {
            format!("only one of them may move, and moving it would raise the peak or add clash pairs elsewhere{budget}")
        } else {
            format!("unavoidable: every alternative within the releases' windows has a higher peak or more clash pairs{budget}")
        }
    } else {
        "kept by the plan; not proven unavoidable".into()
    }
}

fn percent(p: f64) -> String {
    if p == 0.0 {
        "0%".into()
    } else if p < 0.001 {
        format!("{:.3}%", p * 100.0)
    } else {
        format!("{:.1}%", p * 100.0)
    }
}

/// The report's risk table.
fn risk_section(story: &Story) -> RiskSection {
    let (b, a) = (&story.risk_before, &story.risk_after);
    let mut rows = Vec::new();
    for (&k, &pb) in &b.p_at_least_k {
        let pa = a.p_at_least_k.get(&k).copied().unwrap_or(0.0);
        rows.push(RiskRow {
            measure: format!(
                "Chance that one failure delays {k} or more releases at once (planning period)"
            ),
            before: percent(pb),
            after: percent(pa),
        });
    }
    let num = |x: f64| format!("{x:.3}");
    rows.push(RiskRow {
        measure: "Failures delaying two or more releases, expected per year".into(),
        before: num(b.expected_multi_hit_failures_per_year),
        after: num(a.expected_multi_hit_failures_per_year),
    });
    rows.push(RiskRow {
        measure: "Release delays, expected per year".into(),
        before: num(b.expected_release_delays_per_year),
        after: num(a.expected_release_delays_per_year),
    });
    rows.push(RiskRow {
        measure: "Delay minutes, expected per year".into(),
        before: format!("{:.1}", b.expected_delay_minutes_per_year),
        after: format!("{:.1}", a.expected_delay_minutes_per_year),
    });
    RiskSection {
        note: format!(
            "Failures of different failure points are independent; each fails on a working day with probability failures_per_year / working days in the year (default {} failure a year when not given). A failure delays a release by its recovery time, or by the switch-over time when the release has a fallback route the failure does not reach. Formulas: docs/risk.md.",
            crate::risk::DEFAULT_FAILURES_PER_YEAR
        ),
        rows,
    }
}

/// A stage's lower bound in the figure's own unit (the peak in releases), if the
/// engine reported one.
fn stage_bound(plan: &PlanResult, name: &str) -> Option<Bound> {
    let s = plan.solution.stages.iter().find(|s| s.name == name)?;
    let scale = if name == "peak" { 1000.0 } else { 1.0 };
    Some(Bound {
        value: s.lower_bound / scale,
    })
}

/// The headline figures and words of a story.
fn headline_facts(story: &Story, settings: &PlanSettings, changes: usize) -> HeadlineFacts {
    let plan = &story.plan;
    let is_plan = story.after_dates == plan.scheduled;
    let same_peak = story.after.peak == plan.verified.after.peak;
    let same_pairs = same_peak && story.after.clash_pairs == plan.verified.after.clash_pairs;
    let risk_objective = settings.objective == ObjectiveKind::Risk;
    // Bounds of later stages hold for plans at the earlier stages' values.
    let peak_bound = if risk_objective && !is_plan {
        None
    } else {
        stage_bound(plan, "peak")
    };
    let risk = {
        let (b, a) = (&story.risk_before, &story.risk_after);
        let mut v: Vec<RiskChange> = b
            .p_at_least_k
            .iter()
            .filter(|(&k, &pb)| {
                // k = 2, 3, 4, and any larger k that gets worse.
                let pa = a.p_at_least_k.get(&k).copied().unwrap_or(0.0);
                k <= 4 || round_for(pa) > round_for(pb)
            })
            .map(|(&k, &pb)| {
                let pa = a.p_at_least_k.get(&k).copied().unwrap_or(0.0);
                RiskChange {
                    measure: format!(
                        "the chance that one failure delays {k} or more releases at once"
                    ),
                    short: format!("{k} or more"),
                    before_text: percent(pb),
                    after_text: percent(pa),
                    before: round_for(pb),
                    after: round_for(pa),
                }
            })
            .collect();
        v.push(RiskChange {
            measure: "the expected number of failures a year that delay two or more releases"
                .into(),
            short: String::new(),
            before_text: format!("{:.3}", b.expected_multi_hit_failures_per_year),
            after_text: format!("{:.3}", a.expected_multi_hit_failures_per_year),
            before: (b.expected_multi_hit_failures_per_year * 1000.0).round(),
            after: (a.expected_multi_hit_failures_per_year * 1000.0).round(),
        });
        v
    };
    HeadlineFacts {
        peak_before: story.before.peak,
        peak_after: story.after.peak,
        peak_bound,
        pairs_before: story.before.clash_pairs,
        pairs_after: story.after.clash_pairs,
        pairs_bound: same_peak
            .then(|| stage_bound(plan, "clash_pairs"))
            .flatten(),
        changes,
        changes_bound: (same_pairs && is_plan)
            .then(|| stage_bound(plan, "moves"))
            .flatten(),
        risk_objective,
        risk,
        shared_days: (story.before.clashes.len(), story.after.clashes.len()),
        budget: if is_plan {
            change_budget(&story.tradeoff)
        } else {
            None
        },
    }
}

/// A probability compared at the precision it is shown with (so "0.0403%" → "0.0403%"
/// is not called worse because of a difference in the tenth decimal).
fn round_for(p: f64) -> f64 {
    (p * 1e6).round()
}

/// The remaining clashes, one row per day and group of releases (failure points
/// carrying the same releases are listed together), worst first, then by date.
fn clash_rows(story: &Story, settings: &PlanSettings) -> Vec<ClashRow> {
    let rel = &story.loaded.dataset.releases;
    let infra = &story.loaded.dataset.infrastructure;
    let mut rows: Vec<(Weight, ClashRow)> = Vec::new();
    let mut index: BTreeMap<(NaiveDate, Vec<usize>), usize> = BTreeMap::new();
    for c in &story.after.clashes {
        let p = infra.point(c.component);
        let label = format!("{} ({})", p.name, p.kind);
        match index.get(&(c.date, c.releases.clone())) {
            Some(&at) => {
                rows[at].1.failure_point.push_str(&format!("; {label}"));
            }
            None => {
                index.insert((c.date, c.releases.clone()), rows.len());
                rows.push((
                    c.exposure,
                    ClashRow {
                        date: c.date,
                        failure_point: label,
                        exposure: c.exposure.to_string(),
                        releases: c.releases.iter().map(|&i| rel[i].id.clone()).collect(),
                        reason: why_it_stays(story, &c.releases, settings),
                    },
                ));
            }
        }
    }
    rows.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.releases.len().cmp(&a.1.releases.len()))
            .then(a.1.date.cmp(&b.1.date))
            .then(a.1.failure_point.cmp(&b.1.failure_point))
    });
    rows.into_iter().map(|(_, r)| r).collect()
}

/// Runs `stagger report`: writes one self-contained HTML file.
pub fn report(options: &VisualOptions, out: &Path) -> Result<String, Error> {
    let guard = output_guard(options);
    guard.check(out)?;
    let story = story(options)?;
    let steps = Steps::new(options.settings.progress);
    steps.step("change notices");
    let loaded = &story.loaded;
    let rel = &loaded.dataset.releases;
    let infra = &loaded.dataset.infrastructure;
    let moved: Vec<usize> = (0..rel.len())
        .filter(|&i| story.after_dates[i] != rel[i].date)
        .collect();
    let before_dates: Vec<NaiveDate> = rel.iter().map(|r| r.date).collect();
    let builder = crate::notice::NoticeBuilder::new(
        rel,
        &loaded.failure_sets,
        infra,
        &loaded.calendar,
        &before_dates,
        &story.after_dates,
        options.settings.objective,
    );
    let rules = super::instance::CalendarRules::of(loaded, &options.settings);
    let builder = builder.with_links(&rules.links, &rules.series, &rules.groups);
    let notices = moved
        .iter()
        .map(|&i| NoticeRow {
            release_id: rel[i].id.clone(),
            title: rel[i].title.clone(),
            from: rel[i].date,
            to: story.after_dates[i],
            shift_working_days: loaded.calendar.working_days_between(
                rel[i].date,
                story.after_dates[i],
                rel[i].region,
            ) as i64,
            notice: builder.text(i, options.settings.notice),
        })
        .collect();
    steps.step("remaining clashes");
    let remaining = clash_rows(&story, &options.settings);
    let found = findings(rel, &loaded.calendar)
        .into_iter()
        .map(|f| FindingRow {
            severity: match f.rule {
                Rule::Weekend | Rule::BankHoliday | Rule::Closure | Rule::OutsideWindow => {
                    "warning"
                }
                _ => "note",
            }
            .into(),
            location: format!(
                "{} line {} ({})",
                loaded.file.table.path.display(),
                rel[f.release].line,
                rel[f.release].id
            ),
            message: f.message,
        })
        .collect();
    steps.step("charts");
    let mut rendered = Vec::new();
    for (_, title, alt, chart) in charts(&story, options.inputs.region, options.month) {
        let svg = String::from_utf8(chart.render_dyn(ChartFormat::Svg)?).unwrap_or_default();
        rendered.push(ReportChart { title, alt, svg });
    }
    steps.step("writing the report");
    let notices_elsewhere = match &options.schedule {
        Some(p) => format!(
            "Every notice is also in the reason column of {}.",
            p.display()
        ),
        None => "Every notice is also in the reason column of the schedule that `stagger plan --out schedule.csv` writes with the same options.".to_string(),
    };
    let input = ReportInput {
        title: "Release calendar plan".into(),
        subtitle: format!(
            "{} releases from {} on {} failure points",
            crate::report::headline::thousands(rel.len() as u64),
            loaded.file.table.path.display(),
            infra.points().len()
        ),
        headline: {
            let mut headline = headline(&headline_facts(&story, &options.settings, moved.len()));
            if story.stopped_by_time {
                headline.verdict.push(STOPPED_BY_TIME.to_string());
            }
            headline
        },
        charts: rendered,
        notices,
        notices_elsewhere,
        remaining_clashes: remaining,
        findings: found,
        risk: Some(risk_section(&story)),
    };
    let html = render_html(&input);
    guard.write(out, html.as_bytes())?;
    drop(steps);
    Ok(format!(
        "{}{}wrote {}\n",
        super::warnings_text(&story.loaded),
        time_note(&story),
        if crate::io::stdio::is_stdio(out) {
            "the report to standard output".to_string()
        } else {
            out.display().to_string()
        }
    ))
}
