//! `stagger export`: a schedule as an iCalendar file for Outlook, Google Calendar, …

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};

use crate::calendar::Region;
use crate::io::ics::{write_ics, IcsEvent, IcsOptions};
use crate::io::{
    fields::split_ids, parse_releases, read_infrastructure, DependsRules, OutputGuard, Table,
};
use crate::model::{FailurePoint, Infrastructure, Release};
use crate::Error;

/// Options of `stagger export`.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// A schedule written by `stagger plan` (any releases file works: unplanned releases keep their date).
    pub schedule: PathBuf,
    /// The infrastructure file, for failure-point names in descriptions (optional: ids otherwise).
    pub infrastructure: Option<PathBuf>,
    /// Nation for rows without a region.
    pub region: Region,
    /// Where to write the `.ics` file.
    pub ics: PathBuf,
    /// DTSTAMP of every event; default derived from the data (see [`default_stamp`]).
    pub stamp: Option<DateTime<Utc>>,
    /// Calendar name shown by clients.
    pub calendar_name: String,
    /// Failure points of releases whose `depends_on` is empty.
    pub default_depends_on: Vec<String>,
    /// `--depends-on-rule FILE` for releases whose `depends_on` is empty.
    pub depends_on_rule: Option<PathBuf>,
}

/// The default DTSTAMP: 00:00 UTC on the calendar's earliest release date, so the
/// same schedule always gives the same bytes (pass `--stamp` to record when a plan was made).
pub fn default_stamp(releases: &[Release]) -> DateTime<Utc> {
    let first = releases
        .iter()
        .map(|r| r.date)
        .min()
        .unwrap_or(NaiveDate::MIN);
    first.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

/// One event per release: `scheduled[i]` is its date, `moved_from[i]` its earlier date
/// when it moved, `notices[i]` the change notice (empty when not moved).
pub fn ics_events(
    releases: &[Release],
    infrastructure: &Infrastructure,
    failure_sets: &[Vec<usize>],
    scheduled: &[NaiveDate],
    moved_from: &[Option<NaiveDate>],
    notices: &[String],
) -> Vec<IcsEvent> {
    releases
        .iter()
        .enumerate()
        .map(|(i, r)| IcsEvent {
            id: r.id.clone(),
            title: r.title.clone(),
            date: scheduled[i],
            time: r.time,
            status: r.status,
            moved_from: moved_from[i],
            failure_points: failure_sets[i]
                .iter()
                .map(|&c| infrastructure.point(c).name.clone())
                .collect(),
            notice: (!notices[i].is_empty()).then(|| notices[i].clone()),
        })
        .collect()
}

/// Writes the iCalendar file; returns a one-line summary.
pub fn export(options: &ExportOptions) -> Result<String, Error> {
    let mut named: Vec<&std::path::Path> = vec![&options.schedule];
    named.extend(options.infrastructure.as_deref());
    named.extend(options.depends_on_rule.as_deref());
    if crate::io::stdio::stdin_twice(named) {
        return Err(Error::Usage(
            "only one input can be read from standard input ('-')".into(),
        ));
    }
    let mut errors = Vec::new();
    let table = Table::read(&options.schedule)
        .map_err(|e| errors.push(e))
        .ok();
    let infrastructure = match options.infrastructure.as_deref().map(read_infrastructure) {
        Some(Ok(i)) => Some(i),
        Some(Err(e)) => {
            errors.push(e);
            None
        }
        None => None,
    };
    let rules = match options.depends_on_rule.as_deref().map(DependsRules::read) {
        Some(Ok(r)) => Some(r),
        Some(Err(e)) => {
            errors.push(e);
            None
        }
        None => None,
    };
    if let (Some(infra), false) = (&infrastructure, options.default_depends_on.is_empty()) {
        let points: Vec<&str> = infra.points().iter().map(|p| p.id.as_str()).collect();
        let diags = super::unknown_default_ids(&options.default_depends_on, &points);
        if let (false, Some(p)) = (diags.is_empty(), &options.infrastructure) {
            errors.push(crate::io::InputError::new(p, diags));
        }
    }
    crate::io::InputErrors::into_result(errors)?;
    let Some(table) = table else {
        return Err(Error::Usage("the schedule could not be read".into()));
    };
    let infrastructure = match infrastructure {
        Some(i) => i,
        None => {
            let mut extra = options.default_depends_on.clone();
            for r in rules.iter().flat_map(|r| &r.rules) {
                extra.extend(r.depends_on.iter().cloned());
            }
            referenced_infrastructure(&table, &extra)
        }
    };
    let mut file = parse_releases(table, &infrastructure, options.region)?;
    super::fill_depends_on(&mut file, rules.as_ref(), &options.default_depends_on);
    let cell = |row: &crate::io::Row, key: &str| {
        file.table
            .column(key)
            .and_then(|c| row.fields.get(c))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let scheduled: Vec<NaiveDate> = file.releases.iter().map(|r| r.date).collect();
    let mut moved_from = Vec::new();
    let mut notices = Vec::new();
    for (row, r) in file.table.rows.iter().zip(&file.releases) {
        let proposed = crate::io::fields::parse_date(&cell(row, "proposed_date")).ok();
        moved_from.push(proposed.filter(|&p| p != r.date));
        notices.push(cell(row, "reason"));
    }
    let sets: Vec<Vec<usize>> = file
        .releases
        .iter()
        .map(|r| infrastructure.closure_of(&r.depends_on))
        .collect();
    let events = ics_events(
        &file.releases,
        &infrastructure,
        &sets,
        &scheduled,
        &moved_from,
        &notices,
    );
    let text = write_ics(
        &events,
        &IcsOptions {
            calendar_name: options.calendar_name.clone(),
            stamp: options
                .stamp
                .unwrap_or_else(|| default_stamp(&file.releases)),
            duration_minutes: 30,
        },
    );
    let mut inputs = vec![options.schedule.clone()];
    inputs.extend(options.infrastructure.clone());
    inputs.extend(options.depends_on_rule.clone());
    OutputGuard::new(inputs).write(&options.ics, text.as_bytes())?;
    Ok(format!(
        "wrote {} ({} events, {} moved)\n",
        if crate::io::stdio::is_stdio(&options.ics) {
            "the calendar to standard output".to_string()
        } else {
            options.ics.display().to_string()
        },
        events.len(),
        moved_from.iter().filter(|m| m.is_some()).count()
    ))
}

/// Without an infrastructure file, every id a release (or `extra`) mentions is a failure
/// point of its own.
fn referenced_infrastructure(table: &Table, extra: &[String]) -> Infrastructure {
    let mut ids: std::collections::BTreeSet<String> = extra.iter().cloned().collect();
    for key in ["depends_on", "fallback"] {
        if let Some(c) = table.column(key) {
            for row in &table.rows {
                ids.extend(row.fields.get(c).map(|v| split_ids(v)).unwrap_or_default());
            }
        }
    }
    let points = ids
        .iter()
        .map(|id| FailurePoint::new(id, "", &[]))
        .collect();
    Infrastructure::new(points)
        .unwrap_or_else(|_| Infrastructure::new(Vec::new()).expect("empty graph"))
}
