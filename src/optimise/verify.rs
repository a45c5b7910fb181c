//! The independent checker every plan passes before it is written.
//!
//! It re-derives everything from dates and the calendar — hard rules, windows,
//! the move budget, and exposure through [`crate::exposure::totals`] — and shares
//! no code with the engine. A plan it rejects is never written: that is a bug.

use chrono::{Datelike, NaiveDate};

use super::PlanError;
use crate::calendar::WorkingCalendar;
use crate::exposure::{totals, Totals};
use crate::model::{
    Infrastructure, Release, SeriesIndex, SeriesRules, Status, Weight, WindowRules,
};

/// What the engine claims about its plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claims {
    /// Peak exposure.
    pub peak: Weight,
    /// Clash pairs.
    pub clash_pairs: u64,
    /// Releases whose date changed.
    pub moved: usize,
    /// Sum of |shift| in working days.
    pub total_shift: u64,
}

/// A plan and everything needed to judge it.
#[derive(Debug, Clone, Copy)]
pub struct PlanToCheck<'a> {
    /// The releases as read (their `date` is the starting point).
    pub releases: &'a [Release],
    /// Each release's failure points.
    pub failure_sets: &'a [Vec<usize>],
    /// The failure points.
    pub infrastructure: &'a Infrastructure,
    /// Working days.
    pub calendar: &'a WorkingCalendar,
    /// Window rules the plan had to respect.
    pub rules: WindowRules,
    /// The series of the calendar.
    pub series: &'a SeriesIndex,
    /// How the series rules apply.
    pub series_rules: SeriesRules,
    /// Move budget, if any.
    pub max_moves: Option<u32>,
    /// The planned date of each release.
    pub scheduled: &'a [NaiveDate],
    /// Whether the plan must be no worse than the input calendar on peak, then
    /// clash pairs (true for the default objective).
    pub compare_with_input: bool,
    /// The engine's figures.
    pub claims: Claims,
}

/// Exposure before and after a verified plan.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The input calendar's exposure.
    pub before: Totals,
    /// The plan's exposure.
    pub after: Totals,
}

/// Checks the plan; returns the recomputed exposure or every problem found.
pub fn verify(plan: &PlanToCheck) -> Result<Verified, PlanError> {
    let mut problems = Vec::new();
    let cal = plan.calendar;
    if plan.scheduled.len() != plan.releases.len() {
        return Err(PlanError::Verification {
            problems: vec![format!(
                "the plan has {} dates for {} releases",
                plan.scheduled.len(),
                plan.releases.len()
            )],
        });
    }
    let mut moved = 0usize;
    let mut total_shift = 0u64;
    for (r, &d) in plan.releases.iter().zip(plan.scheduled) {
        if d != r.date {
            moved += 1;
            total_shift += cal.working_days_between(r.date, d, r.region).unsigned_abs() as u64;
        }
        match r.status {
            Status::Cancelled | Status::Confirmed => {
                if d != r.date {
                    problems.push(format!(
                        "{} is {} but was moved from {} to {d}",
                        r.id,
                        r.status.as_str(),
                        r.date
                    ));
                }
            }
            Status::Provisional => {
                if let Some(notice) = plan.rules.notice {
                    // Re-derived here: the first date after the notice in working days.
                    let days = if r.market_sensitive {
                        notice.min_notice_sensitive
                    } else {
                        notice.min_notice
                    };
                    let open = cal.working_days_after(notice.today, days, r.region);
                    if r.date < open {
                        // Frozen: it must stay, wherever it is.
                        if d != r.date {
                            problems.push(format!(
                                "{} is dated {} inside its notice period (open from {open}) but was moved to {d}",
                                r.id, r.date
                            ));
                        }
                        continue;
                    }
                    if d < open {
                        problems.push(format!(
                            "{} was moved to {d}, inside the notice period (open from {open})",
                            r.id
                        ));
                    }
                }
                if let Some((first, last)) = r.period {
                    let outside =
                        (r.earliest.is_none() && d < first) || (r.latest.is_none() && d > last);
                    if outside && d != r.date {
                        problems.push(format!(
                            "{} was moved to {d}, outside its announced period {first} to {last}",
                            r.id
                        ));
                    }
                }
                if let Some(why) = cal.non_working_reason(d, r.region) {
                    problems.push(format!("{} is scheduled on {d}, which is {why}", r.id));
                }
                if r.earliest.is_some_and(|e| d < e) || r.latest.is_some_and(|l| d > l) {
                    problems.push(format!(
                        "{} is scheduled on {d}, outside its earliest/latest window",
                        r.id
                    ));
                }
                let offset = cal.working_days_between(r.anchor, d, r.region);
                let side_open = if offset < 0 {
                    r.earliest.is_none()
                } else {
                    r.latest.is_none()
                };
                if side_open && offset.unsigned_abs() > plan.rules.max_shift {
                    problems.push(format!(
                        "{} is scheduled {} working days from its proposed date {}, more than the maximum shift {}",
                        r.id,
                        offset.abs(),
                        r.anchor,
                        plan.rules.max_shift
                    ));
                }
                if plan.rules.keep_month
                    && (d.year(), d.month()) != (r.anchor.year(), r.anchor.month())
                {
                    problems.push(format!(
                        "{} left the month of its proposed date {}",
                        r.id, r.anchor
                    ));
                }
            }
        }
    }
    if let Some(m) = plan.max_moves {
        if moved > m as usize {
            problems.push(format!(
                "{moved} releases moved, more than the budget of {m}"
            ));
        }
    }
    let before_dates: Vec<NaiveDate> = plan.releases.iter().map(|r| r.date).collect();
    for f in crate::rules::link_findings(
        plan.releases,
        plan.series,
        plan.series_rules,
        &before_dates,
        plan.scheduled,
    ) {
        problems.push(f.message);
    }
    let input_links_hold = crate::rules::link_findings(
        plan.releases,
        plan.series,
        plan.series_rules,
        &before_dates,
        &before_dates,
    )
    .is_empty();
    let before = totals(
        plan.releases,
        plan.failure_sets,
        plan.infrastructure,
        &before_dates,
        cal,
    );
    let after = totals(
        plan.releases,
        plan.failure_sets,
        plan.infrastructure,
        plan.scheduled,
        cal,
    );
    let c = plan.claims;
    if after.peak != c.peak {
        problems.push(format!(
            "the engine claims peak {} but the plan's peak is {}",
            c.peak, after.peak
        ));
    }
    if after.clash_pairs != c.clash_pairs {
        problems.push(format!(
            "the engine claims {} clash pairs but the plan has {}",
            c.clash_pairs, after.clash_pairs
        ));
    }
    if moved != c.moved || total_shift != c.total_shift {
        problems.push(format!(
            "the engine claims {} moves and total shift {}, the plan has {moved} and {total_shift}",
            c.moved, c.total_shift
        ));
    }
    // The input calendar is itself a valid plan when it breaks no hard rule; the
    // optimiser must then never be worse on the first two objectives.
    let input_valid = input_links_hold
        && plan.releases.iter().all(|r| {
            r.status != Status::Provisional
                || (cal.is_working_day(r.date, r.region)
                    && r.earliest.is_none_or(|e| r.date >= e)
                    && r.latest.is_none_or(|l| r.date <= l)
                    && r.period.is_none_or(|(first, last)| {
                        (r.earliest.is_some() || r.date >= first)
                            && (r.latest.is_some() || r.date <= last)
                    })
                    && (!plan.rules.keep_month
                        || (r.date.year(), r.date.month()) == (r.anchor.year(), r.anchor.month()))
                    && {
                        let off = cal.working_days_between(r.anchor, r.date, r.region);
                        let open = if off < 0 {
                            r.earliest.is_none()
                        } else {
                            r.latest.is_none()
                        };
                        !open || off.unsigned_abs() <= plan.rules.max_shift
                    })
        });
    if plan.compare_with_input
        && input_valid
        && (after.peak > before.peak
            || (after.peak == before.peak && after.clash_pairs > before.clash_pairs))
    {
        problems.push(format!(
            "the plan is worse than the input calendar (peak {} → {}, clash pairs {} → {})",
            before.peak, after.peak, before.clash_pairs, after.clash_pairs
        ));
    }
    if problems.is_empty() {
        Ok(Verified { before, after })
    } else {
        Err(PlanError::Verification { problems })
    }
}
