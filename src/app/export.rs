//! `stagger export`: a schedule as an iCalendar file for Outlook, Google Calendar, …

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};

use crate::calendar::Region;
use crate::io::ics::{write_ics, IcsEvent, IcsOptions};
use crate::io::{
    event_state, fields::split_ids, parse_releases, read_infrastructure, DependsRules, OutputGuard,
    Table,
};
use crate::model::{FailurePoint, Infrastructure, Release};
use crate::notice::Audience;
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
    /// DTSTAMP of every event; default the run's date (see [`calendar_stamp`]).
    pub stamp: Option<DateTime<Utc>>,
    /// Calendar name shown by clients.
    pub calendar_name: String,
    /// Failure points of releases whose `depends_on` is empty.
    pub default_depends_on: Vec<String>,
    /// `--depends-on-rule FILE` for releases whose `depends_on` is empty.
    pub depends_on_rule: Option<PathBuf>,
    /// The run's date: `DTSTAMP` is never later.
    pub today: NaiveDate,
    /// Public calendars (the default) do not list failure points in descriptions.
    pub notice: Audience,
}

/// The `DTSTAMP` of a calendar written on `today`: `stamp` when given, else 00:00 UTC
/// on `today`; never later than `today` (a later `stamp` is replaced by 00:00 UTC on
/// `today`, and the note says so). RFC 5546 clients use `DTSTAMP` to order two
/// versions of an event with the same `SEQUENCE`, so a stamp in the future would make
/// every later correction look stale.
pub fn calendar_stamp(
    stamp: Option<DateTime<Utc>>,
    today: NaiveDate,
) -> (DateTime<Utc>, Option<String>) {
    let start_of_today = today.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    match stamp {
        None => (start_of_today, None),
        Some(s) if s.date_naive() <= today => (s, None),
        Some(s) => (
            start_of_today,
            Some(format!(
                "note: --stamp {} is after today ({today}); DTSTAMP is {} instead\n",
                s.format("%Y-%m-%dT%H:%M:%SZ"),
                start_of_today.format("%Y-%m-%dT%H:%M:%SZ")
            )),
        ),
    }
}

/// One event per release: `scheduled[i]` is its date, `moved_from[i]` its proposed date
/// when it is elsewhere, `notices[i]` the change notice (empty when not moved). The
/// `SEQUENCE` is 1 for a moved release and 0 otherwise: callers with a schedule's
/// revisions set it from them.
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
            sequence: u32::from(moved_from[i].is_some_and(|m| m != scheduled[i])),
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
        moved_from.push((r.anchor != r.date).then_some(r.anchor));
        notices.push(cell(row, "reason"));
    }
    let sets: Vec<Vec<usize>> = file
        .releases
        .iter()
        .map(|r| infrastructure.closure_of(&r.depends_on))
        .collect();
    let mut events = ics_events(
        &file.releases,
        &infrastructure,
        &sets,
        &scheduled,
        &moved_from,
        &notices,
    );
    // The schedule's own sequence, one more where the row was edited after it was planned.
    let mut edited = 0;
    for ((event, r), revision) in events.iter_mut().zip(&file.releases).zip(&file.revisions) {
        let state = event_state(r.date, r.time, r.status);
        let next = revision.next(&state, &state);
        edited += usize::from(next.sequence != revision.sequence);
        event.sequence = next.sequence;
    }
    let (stamp, note) = calendar_stamp(options.stamp, options.today);
    let text = write_ics(
        &events,
        &IcsOptions {
            calendar_name: options.calendar_name.clone(),
            stamp,
            duration_minutes: 30,
            name_failure_points: options.notice == Audience::Internal,
        },
    );
    let mut inputs = vec![options.schedule.clone()];
    inputs.extend(options.infrastructure.clone());
    inputs.extend(options.depends_on_rule.clone());
    OutputGuard::new(inputs).write(&options.ics, text.as_bytes())?;
    let mut msg = note.unwrap_or_default();
    if edited > 0 {
        msg.push_str(&format!(
            "note: {edited} release(s) changed date, time or status since the schedule was planned: their SEQUENCE is one higher\n"
        ));
    }
    msg.push_str(&format!(
        "wrote {} ({} events, {} not on their proposed date)\n",
        if crate::io::stdio::is_stdio(&options.ics) {
            "the calendar to standard output".to_string()
        } else {
            options.ics.display().to_string()
        },
        events.len(),
        moved_from.iter().filter(|m| m.is_some()).count()
    ));
    Ok(msg)
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
    Infrastructure::new(points).unwrap_or_else(|_| Infrastructure::empty())
}
