//! From a loaded calendar to the engine's abstract instance: candidate days per
//! release (windows, notice, weekday rule), `together` groups as blocks, series and
//! `after` links, and every conflict among them named by release.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};

use super::plan::{no_plan_yet, PlanSettings};
use super::Loaded;
use crate::exposure::PlanningAxis;
use crate::model::{
    candidate_days, find_cycle, links, same_day_blocks, together_groups, CandidateDay, Link,
    LinkReason, Release, SeriesIndex, Status, TogetherGroup,
};
use crate::optimise::{
    prune_by_links, Block, Candidate, Component, Deadline, Instance, Item, Link as ItemLink,
    PlanError,
};
use crate::rules::long_date;
use crate::Error;

/// The hard rules between releases of a calendar: its series, the links they and
/// the `after` column give, and its `together` groups.
#[derive(Debug, Clone)]
pub struct CalendarRules {
    /// The series (from the `series` column or the titles).
    pub series: SeriesIndex,
    /// Series order/rhythm and `after` links between releases.
    pub links: Vec<Link>,
    /// Releases published together.
    pub groups: Vec<TogetherGroup>,
}

impl CalendarRules {
    /// The rules of `loaded` under `settings`.
    pub fn of(loaded: &Loaded, settings: &PlanSettings) -> CalendarRules {
        let releases = &loaded.dataset.releases;
        let has_column = loaded.file.table.column("series").is_some();
        let series = SeriesIndex::build(releases, has_column, settings.series_source);
        let links = links(releases, &series, settings.series_rules);
        let groups = together_groups(releases);
        CalendarRules {
            series,
            links,
            groups,
        }
    }
}

/// The engine instance for a data set, with the maps back to releases and dates.
#[derive(Debug, Clone)]
pub struct BuiltInstance {
    /// The instance.
    pub instance: Instance,
    /// The releases of each item: one, or the members of a `together` group.
    pub item_releases: Vec<Vec<usize>>,
    /// The day axis.
    pub axis: PlanningAxis,
}

/// Builds the engine instance; reports every release and rule that cannot be met.
pub fn build_instance(loaded: &Loaded, settings: &PlanSettings) -> Result<BuiltInstance, Error> {
    build_instance_until(loaded, settings, &Deadline::never())
}

/// [`build_instance`], giving up with [`PlanError::TimeLimit`] once `deadline` passes.
pub fn build_instance_until(
    loaded: &Loaded,
    settings: &PlanSettings,
    deadline: &Deadline,
) -> Result<BuiltInstance, Error> {
    let rules = CalendarRules::of(loaded, settings);
    build_instance_with(loaded, settings, &rules, deadline)
}

fn describe(r: &Release) -> String {
    format!("{} (line {})", r.id, r.line)
}

/// [`build_instance`] with the calendar's rules already derived.
pub fn build_instance_with(
    loaded: &Loaded,
    settings: &PlanSettings,
    rules: &CalendarRules,
    deadline: &Deadline,
) -> Result<BuiltInstance, Error> {
    let releases = &loaded.dataset.releases;
    let cal = &loaded.calendar;
    let mut conflicts = Vec::new();

    // Candidate days per active release.
    let mut cands: Vec<Vec<CandidateDay>> = vec![Vec::new(); releases.len()];
    let weekday_bound: Vec<bool> = weekday_bound_releases(releases, rules, settings);
    for (i, r) in releases.iter().enumerate() {
        if i % 1024 == 0 {
            no_plan_yet(deadline, settings, "building the planning problem")?;
        }
        if !r.is_active() {
            continue;
        }
        let mut c = candidate_days(r, cal, settings.rules);
        if weekday_bound[i] {
            c.retain(|d| d.date.weekday() == r.date.weekday());
        }
        if r.status == Status::Confirmed {
            if let Some(why) = cal.non_working_reason(r.date, r.region) {
                conflicts.push(format!(
                    "{} is confirmed on {}, {}: a confirmed date never moves, so correct the announced date or mark it provisional",
                    describe(r),
                    long_date(r.date),
                    why.describe(r.region)
                ));
            }
        } else if c.is_empty() {
            conflicts.push(empty_window_message(loaded, settings, i, weekday_bound[i]));
        }
        cands[i] = c;
    }

    // Items: together groups (joined with releases their order rules tie to the
    // same day) become blocks, every other active release an item.
    let blocks = same_day_blocks(releases.len(), &rules.links, &rules.groups);
    let mut item_releases: Vec<Vec<usize>> = Vec::new();
    let mut in_block = vec![false; releases.len()];
    let mut block_at: Vec<Option<usize>> = vec![None; releases.len()];
    for (bi, b) in blocks.iter().enumerate() {
        for &m in b {
            in_block[m] = true;
        }
        block_at[b[0]] = Some(bi);
    }
    for (i, r) in releases.iter().enumerate() {
        if !r.is_active() {
            continue;
        }
        if let Some(bi) = block_at[i] {
            item_releases.push(blocks[bi].clone());
        } else if !in_block[i] {
            item_releases.push(vec![i]);
        }
    }
    // A block's days: the days every member may use.
    let mut item_days: Vec<Vec<NaiveDate>> = Vec::with_capacity(item_releases.len());
    for members in &item_releases {
        let mut days: BTreeSet<NaiveDate> = cands[members[0]].iter().map(|c| c.date).collect();
        for &m in &members[1..] {
            let other: BTreeSet<NaiveDate> = cands[m].iter().map(|c| c.date).collect();
            days = days.intersection(&other).copied().collect();
        }
        if members.len() > 1 && days.is_empty() && members.iter().all(|&m| !cands[m].is_empty()) {
            let each: Vec<String> = members
                .iter()
                .map(|&m| {
                    let r = &releases[m];
                    let c = &cands[m];
                    match (c.first(), c.last()) {
                        (Some(a), Some(b)) if a.date == b.date => {
                            format!("{} only on {}", describe(r), long_date(a.date))
                        }
                        (Some(a), Some(b)) => format!(
                            "{} from {} to {}",
                            describe(r),
                            long_date(a.date),
                            long_date(b.date)
                        ),
                        _ => describe(r),
                    }
                })
                .collect();
            let group = rules
                .groups
                .iter()
                .find(|g| g.members.as_slice() == members.as_slice());
            conflicts.push(match group {
                Some(g) => format!(
                    "the releases to be published together ('{}') have no day in common: {}; widen a window or split the group",
                    g.name.trim(),
                    each.join("; ")
                ),
                None => format!(
                    "these releases must share one day (a `together` group and series releases proposed on one day tie them) but have no day in common: {}; widen a window, split the group or correct the series",
                    each.join("; ")
                ),
            });
        }
        item_days.push(days.into_iter().collect());
    }

    // Releases that must move because their own date is not allowed.
    let forced: Vec<usize> = item_releases
        .iter()
        .zip(&item_days)
        .flat_map(|(members, days)| {
            members
                .iter()
                .copied()
                .filter(|&m| !days.contains(&releases[m].date))
                .collect::<Vec<_>>()
        })
        .collect();
    if let Some(m) = settings.max_moves {
        if forced.len() > m as usize {
            let names: Vec<&str> = forced.iter().map(|&i| releases[i].id.as_str()).collect();
            conflicts.push(format!(
                "--max-moves {m} is too small: {} releases must move because their dates are not allowed ({}); allow at least {} moves",
                forced.len(),
                names.join(", "),
                forced.len()
            ));
        }
    }
    if let Some(cycle) = find_cycle(releases.len(), &rules.links, &rules.groups) {
        conflicts.push(cycle_message(releases, rules, &cycle));
    }
    if !conflicts.is_empty() {
        return Err(PlanError::Infeasible { conflicts }.into());
    }

    // The axis: every day some item may use.
    let all_days = item_days.iter().flatten().copied();
    let lo = all_days.clone().min();
    let hi = all_days.clone().max();
    let mut regions: Vec<_> = item_releases
        .iter()
        .flatten()
        .map(|&i| releases[i].region)
        .collect();
    regions.sort();
    regions.dedup();
    let axis = match (lo, hi) {
        (Some(lo), Some(hi)) => PlanningAxis::new(lo, hi, &regions, cal, all_days),
        _ => PlanningAxis::new(NaiveDate::MIN, NaiveDate::MIN, &[], cal, std::iter::empty()),
    };
    let pos = |d: NaiveDate| axis.position(d).map(|p| p as u32);
    let shift_of = |i: usize, date: NaiveDate| -> u32 {
        cands[i]
            .iter()
            .find(|c| c.date == date)
            .map_or(0, |c| c.shift.unsigned_abs())
    };
    let mut items = Vec::with_capacity(item_releases.len());
    for (members, days) in item_releases.iter().zip(&item_days) {
        let on_axis: Vec<(u32, NaiveDate)> = days
            .iter()
            .filter_map(|&d| pos(d).map(|p| (p, d)))
            .collect();
        let candidates: Vec<Candidate> = on_axis
            .iter()
            .map(|&(day, date)| Candidate {
                day,
                shift: members.iter().map(|&m| shift_of(m, date)).sum(),
            })
            .collect();
        if let [single] = members.as_slice() {
            let r = &releases[*single];
            items.push(Item::single(
                r.weight.0,
                loaded.failure_sets[*single]
                    .iter()
                    .map(|&c| c as u32)
                    .collect(),
                candidates,
                pos(r.date),
            ));
            continue;
        }
        // A block: per-component counts and weights, per-candidate moves.
        let mut components: Vec<u32> = members
            .iter()
            .flat_map(|&m| loaded.failure_sets[m].iter().map(|&c| c as u32))
            .collect();
        components.sort_unstable();
        components.dedup();
        let mut counts = vec![0u32; components.len()];
        let mut weights = vec![0u64; components.len()];
        for &m in members {
            for &c in &loaded.failure_sets[m] {
                if let Ok(j) = components.binary_search(&(c as u32)) {
                    counts[j] += 1;
                    weights[j] += releases[m].weight.0;
                }
            }
        }
        let moves: Vec<u32> = on_axis
            .iter()
            .map(|&(_, date)| {
                members
                    .iter()
                    .filter(|&&m| releases[m].date != date)
                    .count() as u32
            })
            .collect();
        let proposed = on_axis
            .iter()
            .zip(&moves)
            .find(|(_, &mv)| mv == 0)
            .map(|(&(day, _), _)| day);
        items.push(Item {
            weight: weights.iter().copied().max().unwrap_or(0),
            components,
            candidates,
            proposed,
            block: Some(Box::new(Block {
                releases: members.len() as u32,
                counts,
                weights,
                moves,
            })),
        });
    }
    let mut item_of_release: Vec<Option<u32>> = vec![None; releases.len()];
    for (item, members) in item_releases.iter().enumerate() {
        for &m in members {
            item_of_release[m] = Some(item as u32);
        }
    }
    let item_links: Vec<ItemLink> = rules
        .links
        .iter()
        .filter_map(|l| {
            let (a, b) = (item_of_release[l.before]?, item_of_release[l.after]?);
            (a != b).then_some(ItemLink {
                before: a,
                after: b,
                min_days: l.min_days,
            })
        })
        .collect();
    let risk = crate::risk::component_risk_weights(
        &loaded.dataset.infrastructure,
        axis.days(),
        loaded.region,
        cal,
    );
    let components = loaded
        .dataset
        .infrastructure
        .points()
        .iter()
        .zip(risk)
        .map(|(p, risk)| Component {
            window: p.outage_days.max(1),
            risk,
            multiplicity: 1,
        })
        .collect();
    let epoch = axis.days().first().copied().unwrap_or(NaiveDate::MIN);
    let instance = Instance {
        n_days: axis.days().len(),
        components,
        items,
        links: item_links,
        day_numbers: axis
            .days()
            .iter()
            .map(|&d| (d - epoch).num_days())
            .collect(),
    };
    if let Err(conflict) = prune_by_links(&instance) {
        let names = |chain: &[usize]| -> Vec<String> {
            chain
                .iter()
                .map(|&it| {
                    let members = &item_releases[it];
                    let r = &releases[members[0]];
                    let days = &instance.items[it].candidates;
                    let when = match (days.first(), days.last()) {
                        (Some(a), Some(b)) if a.day == b.day => {
                            format!("fixed on {}", long_date(axis.days()[a.day as usize]))
                        }
                        (Some(a), Some(b)) => format!(
                            "may go {} to {}",
                            long_date(axis.days()[a.day as usize]),
                            long_date(axis.days()[b.day as usize])
                        ),
                        _ => "has no day".into(),
                    };
                    format!("{} {when}", describe(r))
                })
                .collect()
        };
        let target = &releases[item_releases[conflict.item][0]];
        let mut text = format!(
            "no day is left for {} under the series, `after` and `together` rules:",
            describe(target)
        );
        if conflict.pushed_late_by.len() > 1 {
            text.push_str(&format!(
                " pushed later by {}",
                names(&conflict.pushed_late_by).join(", then ")
            ));
        }
        if conflict.pushed_early_by.len() > 1 {
            text.push_str(&format!(
                "; pushed earlier by {}",
                names(&conflict.pushed_early_by).join(", then ")
            ));
        }
        text.push_str(
            ". Widen a window, lower --min-gap-ratio, or correct the series (`series` column) or the `after` links",
        );
        return Err(PlanError::Infeasible {
            conflicts: vec![text],
        }
        .into());
    }
    Ok(BuiltInstance {
        instance,
        item_releases,
        axis,
    })
}

/// Releases that may move by whole weeks only: provisional members of a
/// weekday-regular series on its usual weekday (unless `--any-weekday`).
fn weekday_bound_releases(
    releases: &[Release],
    rules: &CalendarRules,
    settings: &PlanSettings,
) -> Vec<bool> {
    let mut bound = vec![false; releases.len()];
    if settings.series_rules.any_weekday {
        return bound;
    }
    for s in &rules.series.series {
        if let Some(day) = s.regular_weekday(settings.series_rules.weekday_share) {
            // Releases on the usual day keep it; the exceptions (often a bank
            // holiday's week) may go to any working day of their window.
            for &m in &s.members {
                bound[m] = releases[m].is_movable() && releases[m].date.weekday() == day;
            }
        }
    }
    bound
}

fn empty_window_message(
    loaded: &Loaded,
    settings: &PlanSettings,
    i: usize,
    weekday_bound: bool,
) -> String {
    let r = &loaded.dataset.releases[i];
    let cal = &loaded.calendar;
    let n = settings.rules.max_shift;
    let (lo, hi) = crate::model::window_bounds(r, cal, settings.rules);
    let window = match (r.earliest, r.latest) {
        (Some(e), Some(l)) => format!("its window {e} to {l}"),
        (Some(e), None) => format!(
            "its window from its earliest date {e} to {hi} ({n} working days after its date {}; give it a latest date or raise --max-shift)",
            r.anchor
        ),
        (None, Some(l)) => format!(
            "its window from {lo} ({n} working days before its date {}) to its latest date {l} (give it an earliest date or raise --max-shift)",
            r.anchor
        ),
        (None, None) => format!("{lo} to {hi} (±{n} working days of {})", r.anchor),
    };
    let mut also = Vec::new();
    if let Some((first, last)) = r.period {
        if r.earliest.is_none() || r.latest.is_none() {
            also.push(format!("within its announced period {first} to {last}"));
        }
    }
    if settings.rules.keep_month {
        also.push("in its own month (--keep-month)".into());
    }
    if let Some(notice) = settings.rules.notice {
        let open = notice.first_open_date(r, cal);
        if open > lo {
            also.push(format!(
                "not before {open} ({} working days of notice from --today {})",
                notice.notice_for(r),
                notice.today
            ));
        }
    }
    if weekday_bound {
        also.push(format!(
            "on a {} like the rest of its series (--any-weekday lifts this)",
            crate::calendar::full_weekday(r.date.weekday())
        ));
    }
    let also = if also.is_empty() {
        String::new()
    } else {
        format!(", {}", also.join(", "))
    };
    format!(
        "{} has no working day within {window}{also}: widen its window",
        describe(r)
    )
}

fn cycle_message(releases: &[Release], rules: &CalendarRules, cycle: &[Link]) -> String {
    let steps: Vec<String> = cycle
        .iter()
        .map(|l| {
            let why = match l.reason {
                LinkReason::Series(s) => format!("series '{}'", rules.series.series[s].name),
                LinkReason::After => "its `after` column".into(),
            };
            format!(
                "{} must come after {} ({why})",
                describe(&releases[l.after]),
                describe(&releases[l.before])
            )
        })
        .collect();
    format!(
        "the order rules contradict each other: {}; correct the `after` links, the `together` groups or the series",
        steps.join("; ")
    )
}

/// The engine instance of a calendar as JSON, for checking the engine against an
/// external exact solver (`stagger model`, see `docs/engine.md`): the instance
/// (items, candidates, components, links, calendar day numbers), the releases of each
/// item and the axis dates.
pub fn model_json(loaded: &Loaded, settings: &PlanSettings) -> Result<String, Error> {
    let built = build_instance(loaded, settings)?;
    let releases = &loaded.dataset.releases;
    let value = serde_json::json!({
        "instance": built.instance,
        "item_releases": built
            .item_releases
            .iter()
            .map(|m| m.iter().map(|&i| releases[i].id.as_str()).collect::<Vec<_>>())
            .collect::<Vec<_>>(),
        "axis": built.axis.days().iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        "objective": match settings.objective {
            crate::optimise::ObjectiveKind::Default => "default",
            crate::optimise::ObjectiveKind::Risk => "risk",
        },
        "max_moves": settings.max_moves,
    });
    let mut text = serde_json::to_string(&value).map_err(|e| PlanError::Solver(e.to_string()))?;
    text.push('\n');
    Ok(text)
}
