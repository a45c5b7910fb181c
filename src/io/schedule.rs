//! Writing `schedule.csv`: every input column (with `date` holding the planned date),
//! plus the plan's columns.

use chrono::NaiveDate;

use super::ReleaseFile;

/// The columns a schedule adds after the input's (replacing them if the input
/// already had them).
pub const SCHEDULE_COLUMNS: [&str; 6] = [
    "proposed_date",
    "sequence",
    "sequence_of",
    "shift",
    "moved",
    "reason",
];

/// Columns of older schedules that a schedule drops when it is written again
/// (`scheduled_date`: the planned date, now in `date`).
pub const RETIRED_COLUMNS: [&str; 1] = ["scheduled_date"];

/// One release's plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleRow {
    /// The planned date (written in the `date` column).
    pub scheduled: NaiveDate,
    /// The originally proposed date, the anchor of the release's window.
    pub proposed: NaiveDate,
    /// The iCalendar `SEQUENCE` of the release's event for this schedule.
    pub sequence: u32,
    /// What `sequence` stands for (see [`super::event_state`]).
    pub sequence_of: String,
    /// Signed working days from `proposed` to `scheduled`.
    pub shift: i32,
    /// The change notice of the release's latest move when it is not on its proposed
    /// date, empty otherwise.
    pub reason: String,
    /// The series inferred from the title, written in a `series` column (before the
    /// plan's columns) when the input has none; `None` leaves the column out.
    pub series: Option<String>,
}

/// Renders the schedule CSV: the input's header and fields as they were, except that
/// `date` holds the planned date, then the inferred `series` when the input had no such
/// column (see [`ScheduleRow::series`]), then `proposed_date, sequence, sequence_of, shift,
/// moved, reason`; dates ISO 8601; a UTF-8 byte-order mark first when `excel` is set.
pub fn schedule_csv(file: &ReleaseFile, rows: &[ScheduleRow], excel: bool) -> Vec<u8> {
    let keep: Vec<usize> = (0..file.table.headers.len())
        .filter(|&i| {
            let key = file.table.keys[i].as_str();
            !SCHEDULE_COLUMNS.contains(&key) && !RETIRED_COLUMNS.contains(&key)
        })
        .collect();
    let date_column = file.table.column("date");
    let mut out = Vec::new();
    if excel {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let mut w = csv::Writer::from_writer(out);
    let mut header: Vec<&str> = keep
        .iter()
        .map(|&i| file.table.headers[i].as_str())
        .collect();
    let add_series =
        file.table.column("series").is_none() && rows.iter().any(|r| r.series.is_some());
    if add_series {
        header.push("series");
    }
    header.extend(SCHEDULE_COLUMNS);
    let _ = w.write_record(&header);
    for (row, plan) in file.table.rows.iter().zip(rows) {
        let mut rec: Vec<String> = keep
            .iter()
            .map(|&i| {
                if Some(i) == date_column {
                    plan.scheduled.to_string()
                } else {
                    row.fields[i].clone()
                }
            })
            .collect();
        if add_series {
            rec.push(plan.series.clone().unwrap_or_default());
        }
        rec.push(plan.proposed.to_string());
        rec.push(plan.sequence.to_string());
        rec.push(plan.sequence_of.clone());
        rec.push(plan.shift.to_string());
        rec.push((plan.scheduled != plan.proposed).to_string());
        rec.push(plan.reason.clone());
        let _ = w.write_record(&rec);
    }
    w.into_inner().unwrap_or_default()
}
