//! `stagger export`: a schedule as an iCalendar file for Outlook, Google Calendar, …

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};

use crate::calendar::Region;
use crate::io::ics::{write_ics, IcsEvent, IcsOptions};
use crate::io::{fields::split_ids, parse_releases, read_infrastructure, OutputGuard, Table};
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
    let table = Table::read(&options.schedule)?;
    let infrastructure = match &options.infrastructure {
        Some(p) => read_infrastructure(p)?,
        None => referenced_infrastructure(&table),
    };
    let file = parse_releases(table, &infrastructure, options.region)?;
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
    OutputGuard::new(inputs).write(&options.ics, text.as_bytes())?;
    Ok(format!(
        "wrote {} ({} events, {} moved)\n",
        options.ics.display(),
        events.len(),
        moved_from.iter().filter(|m| m.is_some()).count()
    ))
}

/// Without an infrastructure file, every id a release mentions is a failure point of its own.
fn referenced_infrastructure(table: &Table) -> Infrastructure {
    let mut ids = std::collections::BTreeSet::new();
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
