//! Reading the calendars producers already publish into releases:
//! the ONS release-calendar API ([`ons`]), GOV.UK statistics announcements from the
//! GOV.UK search API ([`govuk`]) and iCalendar files ([`icalendar`]).
//!
//! Each reader turns its source into [`ImportedRelease`]s, keeping every source field
//! that has a column in `releases.csv` (see `docs/formats.md`, *Imported columns*), and
//! lists the records it could not map with the reason ([`Skipped`]). [`releases_csv`]
//! writes the result as a valid `releases.csv`.

pub mod govuk;
pub mod icalendar;
mod json;
pub mod ons;

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Europe::London;

use super::period::parse_period;

/// The calendar formats `stagger import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// ONS release-calendar API JSON (`{"releases": [...]}`, or a list of such pages).
    Ons,
    /// GOV.UK search API statistics announcements (`{"results": [...]}`, or a list of pages).
    Govuk,
    /// iCalendar (`.ics`).
    Ics,
}

impl Source {
    /// The file name extension of this source, for reading a directory.
    pub fn extension(self) -> &'static str {
        match self {
            Source::Ons | Source::Govuk => "json",
            Source::Ics => "ics",
        }
    }

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Source::Ons => "ons",
            Source::Govuk => "govuk",
            Source::Ics => "ics",
        }
    }
}

/// A release's status as the source states it. `published` is kept (it reads as
/// confirmed: a published date never moves).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ImportStatus {
    /// Date proposed, may move.
    Provisional,
    /// Date announced.
    Confirmed,
    /// Already published.
    Published,
    /// Cancelled.
    Cancelled,
}

impl ImportStatus {
    /// The word written to `releases.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportStatus::Provisional => "provisional",
            ImportStatus::Confirmed => "confirmed",
            ImportStatus::Published => "published",
            ImportStatus::Cancelled => "cancelled",
        }
    }
}

/// One release read from a producer's calendar.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportedRelease {
    /// Unique id (ONS: last segment of the URI; GOV.UK: slug; iCalendar: UID).
    pub id: String,
    /// Title, whitespace collapsed.
    pub title: String,
    /// Local (Europe/London) release date.
    pub date: Option<NaiveDate>,
    /// Local (Europe/London) release time; `None` for an all-day event (09:30 applies).
    pub time: Option<NaiveTime>,
    /// Status.
    pub status: Option<ImportStatus>,
    /// The provisional period as the source wrote it (whitespace collapsed), when it
    /// parses with [`parse_period`].
    pub period: String,
    /// A provisional period the source gave that [`parse_period`] cannot read.
    pub period_note: String,
    /// Series this release belongs to (iCalendar: the UID of a recurring event).
    pub series: String,
    /// Failure points, from `--depends-on-rule` (empty otherwise).
    pub depends_on: Vec<String>,
    /// Summary or description.
    pub summary: String,
    /// Web page.
    pub url: String,
    /// Publishing organisations (GOV.UK slugs).
    pub organisations: Vec<String>,
    /// Publication type (GOV.UK `display_type`, e.g. "Official Statistics").
    pub kind: String,
    /// Categories (iCalendar `CATEGORIES`).
    pub categories: Vec<String>,
    /// Earlier dates, oldest first (ONS: local dates; GOV.UK: the previous display date).
    pub previous_dates: Vec<String>,
    /// Why the date changed, in the same order as `previous_dates`.
    pub change_notes: Vec<String>,
    /// Why the release was cancelled.
    pub cancellation_reason: String,
    /// Where it came from, for messages: file and record (e.g. `upcoming.json: releases[3]`).
    pub origin: String,
}

/// A record that could not be turned into a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// File and record.
    pub origin: String,
    /// Why, and what to do.
    pub reason: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.origin, self.reason)
    }
}

/// What a reader found in one or more files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    /// The releases, in source order.
    pub releases: Vec<ImportedRelease>,
    /// Records that could not be mapped, with the reason.
    pub skipped: Vec<Skipped>,
    /// Other remarks worth telling (e.g. a response that holds fewer results than its total).
    pub notes: Vec<String>,
}

impl Imported {
    /// Appends another file's result.
    pub fn extend(&mut self, other: Imported) {
        self.releases.extend(other.releases);
        self.skipped.extend(other.skipped);
        self.notes.extend(other.notes);
    }

    /// Keeps the first of releases sharing an id (pages of one calendar may overlap);
    /// a later copy that differs is reported as skipped.
    pub fn dedupe(&mut self) {
        let mut first: BTreeMap<String, usize> = BTreeMap::new();
        let mut keep = Vec::with_capacity(self.releases.len());
        for r in std::mem::take(&mut self.releases) {
            match first.get(&r.id) {
                Some(&i) => {
                    let kept: &ImportedRelease = &keep[i];
                    let same = ImportedRelease {
                        origin: kept.origin.clone(),
                        ..r.clone()
                    } == *kept;
                    if !same {
                        self.skipped.push(Skipped {
                            origin: r.origin.clone(),
                            reason: format!(
                                "id '{}' again, with different fields (first at {}): kept the first",
                                r.id, kept.origin
                            ),
                        });
                    }
                }
                None => {
                    first.insert(r.id.clone(), keep.len());
                    keep.push(r);
                }
            }
        }
        self.releases = keep;
    }

    /// Sorts by date, time, then id (the order of the ONS calendar exports).
    pub fn sort(&mut self) {
        self.releases
            .sort_by(|a, b| (a.date, a.time, &a.id).cmp(&(b.date, b.time, &b.id)));
    }
}

/// Converts a UTC instant to the Europe/London local date and time.
pub fn london_local(t: DateTime<Utc>) -> (NaiveDate, NaiveTime) {
    let local = t.with_timezone(&London).naive_local();
    (local.date(), local.time())
}

/// Collapses runs of whitespace (including line breaks) to single spaces and trims.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Sets `period` (or `period_note` when it cannot be read) from a source's text.
pub fn set_period(r: &mut ImportedRelease, text: &str) {
    let text = collapse(text);
    if text.is_empty() {
        return;
    }
    if parse_period(&text).is_ok() {
        r.period = text;
    } else {
        r.period_note = text;
    }
}

/// The columns of an imported `releases.csv`, in order. `id`, `title`, `date`, `time`,
/// `status`, `period` and `depends_on` are always written; the others only when some
/// release has a value.
pub const IMPORT_COLUMNS: [&str; 16] = [
    "id",
    "title",
    "date",
    "time",
    "status",
    "period",
    "depends_on",
    "series",
    "summary",
    "url",
    "organisations",
    "type",
    "categories",
    "previous_dates",
    "change_notes",
    "cancellation_reason",
];

/// Columns kept even when every value is empty.
const ALWAYS: usize = 7;

/// The extra column for periods that could not be read.
const PERIOD_NOTE: &str = "period_note";

/// The value an imported release writes in `column` (empty for an unknown column).
pub fn column_value(r: &ImportedRelease, column: &str) -> String {
    let join = |v: &[String], sep: &str| v.join(sep);
    match column {
        "id" => r.id.clone(),
        "title" => r.title.clone(),
        "date" => r.date.map(|d| d.to_string()).unwrap_or_default(),
        "time" => r
            .time
            .map(|t| t.format("%H:%M").to_string())
            .unwrap_or_default(),
        "status" => r.status.map(|s| s.as_str().to_string()).unwrap_or_default(),
        "period" => r.period.clone(),
        "depends_on" => join(&r.depends_on, ";"),
        "series" => r.series.clone(),
        "summary" => r.summary.clone(),
        "url" => r.url.clone(),
        "organisations" => join(&r.organisations, ";"),
        "type" => r.kind.clone(),
        "categories" => join(&r.categories, ";"),
        "previous_dates" => join(&r.previous_dates, ";"),
        "change_notes" => join(&r.change_notes, " | "),
        "cancellation_reason" => r.cancellation_reason.clone(),
        PERIOD_NOTE => r.period_note.clone(),
        _ => String::new(),
    }
}

/// Writes the releases as `releases.csv` (comma-separated, UTF-8, header row).
pub fn releases_csv(releases: &[ImportedRelease]) -> String {
    let mut columns: Vec<&str> = IMPORT_COLUMNS
        .iter()
        .enumerate()
        .filter(|(i, c)| *i < ALWAYS || releases.iter().any(|r| !column_value(r, c).is_empty()))
        .map(|(_, c)| *c)
        .collect();
    if releases.iter().any(|r| !r.period_note.is_empty()) {
        columns.push(PERIOD_NOTE);
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(&columns);
    for r in releases {
        let _ = w.write_record(columns.iter().map(|c| column_value(r, c)));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn release(id: &str, day: u32) -> ImportedRelease {
        ImportedRelease {
            id: id.into(),
            title: format!("Title {id}"),
            date: NaiveDate::from_ymd_opt(2026, 10, day),
            time: NaiveTime::from_hms_opt(9, 30, 0),
            status: Some(ImportStatus::Confirmed),
            origin: format!("f.json: releases[{day}]"),
            ..ImportedRelease::default()
        }
    }

    #[test]
    fn csv_has_the_fixed_columns_and_only_used_optional_ones() {
        let mut a = release("a", 2);
        a.summary = "Has, a comma".into();
        let text = releases_csv(&[a, release("b", 3)]);
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("id,title,date,time,status,period,depends_on,summary")
        );
        assert_eq!(
            lines.next(),
            Some("a,Title a,2026-10-02,09:30,confirmed,,,\"Has, a comma\"")
        );
    }

    #[test]
    fn dedupe_keeps_identical_copies_quietly_and_reports_different_ones() {
        let mut imported = Imported {
            releases: vec![release("a", 2), release("a", 2), release("b", 3)],
            ..Imported::default()
        };
        imported.releases[1].origin = "g.json: releases[0]".into();
        let mut changed = release("b", 4);
        changed.id = "b".into();
        imported.releases.push(changed);
        imported.dedupe();
        assert_eq!(imported.releases.len(), 2);
        assert_eq!(imported.skipped.len(), 1);
        assert!(imported.skipped[0].reason.contains("kept the first"));
    }

    #[test]
    fn unreadable_periods_go_to_the_note_column() {
        let mut r = release("a", 2);
        set_period(&mut r, "Autumn\n2026");
        assert_eq!(r.period, "");
        assert_eq!(r.period_note, "Autumn 2026");
        set_period(&mut r, " December 2026 to\nJanuary 2027 ");
        assert_eq!(r.period, "December 2026 to January 2027");
        assert!(releases_csv(&[r])
            .lines()
            .next()
            .unwrap()
            .ends_with("period_note"));
    }

    #[test]
    fn london_local_follows_the_clock_change() {
        let summer = DateTime::parse_from_rfc3339("2026-10-02T08:30:00Z").unwrap();
        let winter = DateTime::parse_from_rfc3339("2026-11-19T09:30:00Z").unwrap();
        assert_eq!(
            london_local(summer.with_timezone(&Utc)).1,
            NaiveTime::from_hms_opt(9, 30, 0).unwrap()
        );
        assert_eq!(
            london_local(winter.with_timezone(&Utc)).1,
            NaiveTime::from_hms_opt(9, 30, 0).unwrap()
        );
    }
}
