//! Reading `releases.csv` (and schedules written by `stagger plan`, which are valid release files).
//!
//! A schedule's `date` is the release's current (planned) date and `proposed_date`
//! the originally proposed one, the anchor of its window. Schedules written before
//! `date` held the planned date have a `scheduled_date` column instead: there `date`
//! is the proposal and `scheduled_date` the current date.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveTime;

use super::columns::{apply_aliases, header_like, RELEASE_ALIASES, RELEASE_COLUMNS};
use super::fields::{nearest, parse_supported_date, parse_time, split_ids};
use super::period::parse_period;
use super::revision::EventRevision;
use super::table::{delimiter_name, Row, Table};
use super::{Diagnostic, InputError};
use crate::calendar::Region;
use crate::limits;
use crate::model::{Infrastructure, Release, Status, Weight};

/// A parsed releases file: the validated releases and the raw table (so that
/// unknown columns can be carried to every output). `releases[i]` came from `table.rows[i]`.
#[derive(Debug, Clone)]
pub struct ReleaseFile {
    /// The raw rows with their original header.
    pub table: Table,
    /// The releases, in file order.
    pub releases: Vec<Release>,
    /// Remarks on the header: aliases read (`Release date` as `date`) and unknown
    /// columns that look like misspelt ones.
    pub notes: Vec<String>,
    /// The calendar-event revision each row records (`sequence`, `sequence_of`), in file order.
    pub revisions: Vec<EventRevision>,
}

/// The default release time, 09:30 (UK Code of Practice for Statistics, T3.6).
pub fn standard_release_time() -> NaiveTime {
    NaiveTime::from_hms_opt(9, 30, 0).unwrap_or_default()
}

/// Reads and validates a releases file against the failure points of `infrastructure`.
/// `default_region` applies to rows without a `region`.
pub fn read_releases(
    path: &Path,
    infrastructure: &Infrastructure,
    default_region: Region,
) -> Result<ReleaseFile, InputError> {
    let table = Table::read(path)?;
    parse_releases(table, infrastructure, default_region)
}

/// Validates an already-read table as a releases file.
pub fn parse_releases(
    table: Table,
    infrastructure: &Infrastructure,
    default_region: Region,
) -> Result<ReleaseFile, InputError> {
    parse_releases_with(table, Some(infrastructure), default_region)
}

/// Validates a table as a releases file; `depends_on` and `fallback` ids are checked
/// against `infrastructure` when it is given (it is not when that file itself is
/// broken: the other problems of this file are still reported).
pub fn parse_releases_with(
    mut table: Table,
    infrastructure: Option<&Infrastructure>,
    default_region: Region,
) -> Result<ReleaseFile, InputError> {
    let notes = apply_aliases(&mut table, RELEASE_COLUMNS, RELEASE_ALIASES);
    let mut diags = Vec::new();
    let header_line = table.header_line;
    for required in ["id", "date"] {
        if table.column(required).is_none() {
            diags.push(missing_column(&table, required, header_line));
        }
    }
    if table.rows.len() > limits::MAX_RELEASES {
        diags.push(too_many_rows(&table, "releases", limits::MAX_RELEASES));
    }
    if diags.is_empty() && table.rows.is_empty() {
        diags.push(
            Diagnostic::new("the file has a header but no releases: there is nothing to plan")
                .at_line(header_line)
                .with_hint("add one row per release under the header (see docs/formats.md)"),
        );
    }
    if !diags.is_empty() {
        return Err(InputError::new(&table.path, diags));
    }
    let known: Vec<&str> = infrastructure
        .map(|i| i.points().iter().map(|p| p.id.as_str()).collect())
        .unwrap_or_default();
    let mut first_line: BTreeMap<String, usize> = BTreeMap::new();
    let mut releases = Vec::with_capacity(table.rows.len());
    let mut revisions = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let mut c = RowCheck {
            table: &table,
            row,
            diags: &mut diags,
        };

        let id = c.get("id").unwrap_or_default().to_string();
        if id.is_empty() {
            c.bad(
                "id",
                "",
                "every release needs an id".into(),
                Some("give the release a unique id, e.g. its page name"),
            );
        } else if let Some(&first) = first_line.get(&id) {
            c.bad(
                "id",
                &id,
                format!("duplicate id: already used on line {first}"),
                Some("ids must be unique; rename one of the two releases"),
            );
        } else {
            first_line.insert(id.clone(), row.line);
        }

        if c.get("date").is_none() {
            c.bad(
                "date",
                "",
                "every release needs a date".into(),
                Some("write the proposed release date as YYYY-MM-DD"),
            );
        }
        let written = c.date("date");
        let legacy_scheduled = c.date("scheduled_date");
        let proposed = c.date("proposed_date");
        // (current date, anchor): see the module documentation.
        let (current, anchor) = match (legacy_scheduled, proposed) {
            (Some(s), _) => (Some(s), written),
            (None, Some(p)) => (written, Some(p)),
            (None, None) => (written, written),
        };
        let sequence = c.parsed("sequence", None, |v| {
            v.parse::<u32>().map(Some).map_err(|_| {
                (
                    "expected a whole number 0 or more (the iCalendar SEQUENCE last published)"
                        .to_string(),
                    Some("leave it empty for a release never published in a calendar"),
                )
            })
        });
        let sequence_of = c.get("sequence_of").map(str::to_string);
        let earliest = c.date("earliest");
        let latest = c.date("latest");
        let time = c.parsed("time", standard_release_time(), |v| {
            parse_time(v).map_err(|m| (m, None))
        });
        let status = c.parsed("status", Status::Provisional, |v| {
            Status::parse(v).ok_or((
                "unknown status: expected provisional, confirmed or cancelled".into(),
                Some("leave it empty for provisional"),
            ))
        });
        let weight = c.parsed("weight", Weight::ONE, |v| {
            Weight::parse_checked(v)
                .map_err(|m| (m, Some("leave it empty for the default weight 1")))
        });
        let region = c.parsed("region", default_region, |v| {
            v.parse::<Region>()
                .map_err(|e| (e.to_string(), Some("leave it empty to use --region")))
        });
        if let (Some(e), Some(l)) = (earliest, latest) {
            if e > l {
                c.bad(
                    "earliest",
                    &e.to_string(),
                    format!("earliest ({e}) is after latest ({l})"),
                    Some("swap the two dates, or clear one of them"),
                );
            } else if let Err(msg) = limits::check_window(e, l) {
                c.bad(
                    "latest",
                    &l.to_string(),
                    msg,
                    Some("narrow the window, or split the release"),
                );
            }
        }
        for (col, bound) in [("earliest", earliest), ("latest", latest)] {
            if let (Some(anchor), Some(bound)) = (anchor, bound) {
                if let Err(msg) = limits::check_bound_distance(anchor, bound) {
                    c.bad(
                        col,
                        &bound.to_string(),
                        msg,
                        Some("check the year of the date and of the window"),
                    );
                }
            }
        }
        let depends_on = c.ids("depends_on", infrastructure, &known);
        let fallback = c.ids("fallback", infrastructure, &known);
        let title = c.get("title").unwrap_or_default().to_string();
        let series = c.get("series").map(str::to_string);
        let together = c.get("together").map(str::to_string);
        let after = c.get("after").map(split_ids).unwrap_or_default();
        let market_sensitive = c.parsed("market_sensitive", false, |v| {
            parse_flag(v).ok_or((
                "expected true or false (also yes/no, y/n, 1/0)".into(),
                Some("leave it empty for false"),
            ))
        });
        let period = c.parsed("period", None, |v| {
            parse_period(v).map(Some).map_err(|m| {
                (
                    m,
                    Some("write the announced period as a month or a span of months, or leave it empty"),
                )
            })
        });

        if let (
            Some(current),
            Some(anchor),
            Some(time),
            Some(status),
            Some(weight),
            Some(region),
            Some(sequence),
            Some(market_sensitive),
            Some(period),
        ) = (
            current,
            anchor,
            time,
            status,
            weight,
            region,
            sequence,
            market_sensitive,
            period,
        ) {
            // A schedule from before the `sequence` column published a moved release
            // with SEQUENCE 1.
            let legacy_moved = legacy_scheduled.is_some_and(|s| Some(s) != written);
            revisions.push(EventRevision {
                sequence: sequence.unwrap_or(u32::from(legacy_moved)),
                state: sequence_of,
            });
            releases.push(Release {
                id,
                title,
                date: current,
                anchor,
                time,
                status,
                earliest,
                latest,
                depends_on,
                fallback,
                weight,
                region,
                series,
                together,
                after,
                market_sensitive,
                period,
                line: row.line,
            });
        }
    }
    check_after_links(&table, &releases, &first_line, &mut diags);
    if diags.is_empty() {
        Ok(ReleaseFile {
            table,
            releases,
            notes,
            revisions,
        })
    } else {
        Err(InputError::new(&table.path, diags))
    }
}

/// Every id in an `after` column must name another release of the file.
fn check_after_links(
    table: &Table,
    releases: &[Release],
    line_of: &BTreeMap<String, usize>,
    diags: &mut Vec<Diagnostic>,
) {
    if table.column("after").is_none() {
        return;
    }
    for r in releases {
        for id in &r.after {
            let problem = if id == &r.id {
                Some(("a release cannot come after itself".to_string(), None))
            } else if !line_of.contains_key(id) {
                let hint = match nearest(id, line_of.keys().map(String::as_str)) {
                    Some(k) => format!("did you mean '{k}'?"),
                    None => "use the id of another release in this file".into(),
                };
                Some(("unknown release id".to_string(), Some(hint)))
            } else {
                None
            };
            if let Some((msg, hint)) = problem {
                let mut d = Diagnostic::new(msg)
                    .at_line(r.line)
                    .in_column("after")
                    .with_value(id);
                d.hint = hint;
                diags.push(d);
            }
        }
    }
}

/// A yes/no cell: `true`/`false`, `yes`/`no`, `y`/`n`, `1`/`0` (case-insensitive).
fn parse_flag(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" => Some(true),
        "false" | "no" | "n" | "0" => Some(false),
        _ => None,
    }
}

/// Validation of one row, collecting diagnostics.
struct RowCheck<'a> {
    table: &'a Table,
    row: &'a Row,
    diags: &'a mut Vec<Diagnostic>,
}

impl<'a> RowCheck<'a> {
    fn get(&self, key: &str) -> Option<&'a str> {
        cell(self.table, self.row, key)
    }

    fn bad(&mut self, col: &str, value: &str, msg: String, hint: Option<&str>) {
        let mut d = Diagnostic::new(msg)
            .at_line(self.row.line)
            .in_column(col)
            .with_value(value);
        d.hint = hint.map(str::to_string);
        self.diags.push(d);
    }

    /// An optional date column.
    fn date(&mut self, col: &str) -> Option<chrono::NaiveDate> {
        let v = self.get(col)?;
        match parse_supported_date(v) {
            Ok(d) => Some(d),
            Err(msg) => {
                self.bad(col, v, msg, None);
                None
            }
        }
    }

    /// An optional column with a default; `None` when the value is invalid.
    fn parsed<T>(
        &mut self,
        col: &str,
        default: T,
        parse: impl FnOnce(&str) -> Result<T, (String, Option<&'static str>)>,
    ) -> Option<T> {
        let Some(v) = self.get(col) else {
            return Some(default);
        };
        match parse(v) {
            Ok(x) => Some(x),
            Err((msg, hint)) => {
                self.bad(col, v, msg, hint);
                None
            }
        }
    }

    /// A `;`-separated list of infrastructure ids, each checked to exist (when the
    /// infrastructure is known).
    fn ids(
        &mut self,
        col: &str,
        infrastructure: Option<&Infrastructure>,
        known: &[&str],
    ) -> Vec<String> {
        let ids = self.get(col).map(split_ids).unwrap_or_default();
        let Some(infrastructure) = infrastructure else {
            return ids;
        };
        for dep in &ids {
            if infrastructure.index_of(dep).is_none() {
                // Suggestions cost a pass over every id: only for the problems shown.
                let suggestion = (self.diags.len() < crate::limits::MAX_SHOWN_PROBLEMS)
                    .then(|| nearest(dep, known.iter().copied()))
                    .flatten();
                let hint = match suggestion {
                    Some(k) => format!("did you mean '{k}'?"),
                    None => "add it to the infrastructure file, or correct the id".to_string(),
                };
                self.bad(col, dep, "unknown infrastructure id".into(), Some(&hint));
            }
        }
        ids
    }
}

/// The trimmed value of column `key` in `row`, or `None` when the column is absent or the cell empty.
pub fn cell<'a>(table: &Table, row: &'a Row, key: &str) -> Option<&'a str> {
    let i = table.column(key)?;
    let v = row.fields.get(i)?.trim();
    (!v.is_empty()).then_some(v)
}

/// A diagnostic for a file with more rows than `stagger` supports.
pub(crate) fn too_many_rows(table: &Table, what: &str, max: usize) -> Diagnostic {
    Diagnostic::new(format!(
        "the file has {} {what}; at most {max} are supported",
        table.rows.len()
    ))
    .at_line(table.rows.get(max).map_or(table.header_line, |r| r.line))
    .with_hint("split the calendar, e.g. by year or by producer")
}

/// A diagnostic for a required column missing from the header: it names the header
/// as read (and the separator), and the header most like the missing column.
pub(crate) fn missing_column(table: &Table, column: &str, header_line: usize) -> Diagnostic {
    let sep = delimiter_name(table.delimiter);
    let hint = match header_like(table, column, RELEASE_ALIASES) {
        Some(h) => format!("did you mean '{h}'? rename it to '{column}'"),
        None if table.headers.len() == 1 => format!(
            "the header was read as {sep}-separated and has one column: separate the \
             column names with commas (or semicolons, or tabs)"
        ),
        None => format!("add a '{column}' column to the header row"),
    };
    const SHOWN: usize = 20;
    let mut has: Vec<String> = table
        .headers
        .iter()
        .take(SHOWN)
        .map(|h| crate::limits::echo(h))
        .collect();
    if table.headers.len() > SHOWN {
        has.push(format!("… {} more", table.headers.len() - SHOWN));
    }
    Diagnostic::new(format!(
        "missing required column '{column}' (the header has: {}; read as {sep}-separated)",
        has.join(", ")
    ))
    .at_line(header_line)
    .with_hint(hint)
}
