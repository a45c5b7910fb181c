//! Writing `schedule.csv`: every input column, plus the plan's columns.

use chrono::NaiveDate;

use super::ReleaseFile;

/// The columns a schedule adds (replacing them if the input already had them).
pub const SCHEDULE_COLUMNS: [&str; 5] = [
    "proposed_date",
    "scheduled_date",
    "shift",
    "moved",
    "reason",
];

/// One release's plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleRow {
    /// The date the plan started from.
    pub proposed: NaiveDate,
    /// The planned date.
    pub scheduled: NaiveDate,
    /// Signed working days from proposed to scheduled.
    pub shift: i32,
    /// Change notice for a moved release, empty otherwise.
    pub reason: String,
}

/// Renders the schedule CSV: the input's header and fields as they were, then
/// `proposed_date, scheduled_date, shift, moved, reason`; dates ISO 8601; a UTF-8
/// byte-order mark first when `excel` is set.
pub fn schedule_csv(file: &ReleaseFile, rows: &[ScheduleRow], excel: bool) -> Vec<u8> {
    let keep: Vec<usize> = (0..file.table.headers.len())
        .filter(|&i| !SCHEDULE_COLUMNS.contains(&file.table.keys[i].as_str()))
        .collect();
    let mut out = Vec::new();
    if excel {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let mut w = csv::Writer::from_writer(out);
    let mut header: Vec<&str> = keep
        .iter()
        .map(|&i| file.table.headers[i].as_str())
        .collect();
    header.extend(SCHEDULE_COLUMNS);
    let _ = w.write_record(&header);
    for (row, plan) in file.table.rows.iter().zip(rows) {
        let mut rec: Vec<String> = keep.iter().map(|&i| row.fields[i].clone()).collect();
        rec.push(plan.proposed.to_string());
        rec.push(plan.scheduled.to_string());
        rec.push(plan.shift.to_string());
        rec.push((plan.scheduled != plan.proposed).to_string());
        rec.push(plan.reason.clone());
        let _ = w.write_record(&rec);
    }
    w.into_inner().unwrap_or_default()
}
