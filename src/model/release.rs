//! A release of official statistics and its scheduling status.

use chrono::{NaiveDate, NaiveTime};

use super::Weight;
use crate::calendar::Region;

/// Whether a release's date may move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The date is proposed and may move within its window.
    Provisional,
    /// The date has been announced: never moved.
    Confirmed,
    /// Cancelled: ignored for exposure, copied to outputs.
    Cancelled,
}

impl Status {
    /// The word used in files: `provisional`, `confirmed` or `cancelled`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Provisional => "provisional",
            Status::Confirmed => "confirmed",
            Status::Cancelled => "cancelled",
        }
    }

    /// Parses a status word, case-insensitively (`published`, as in release-calendar
    /// exports, reads as confirmed).
    pub fn parse(s: &str) -> Option<Status> {
        match s.trim().to_ascii_lowercase().as_str() {
            "provisional" => Some(Status::Provisional),
            // A published release is already out: it is as fixed as a confirmed one.
            "confirmed" | "published" => Some(Status::Confirmed),
            "cancelled" | "canceled" => Some(Status::Cancelled),
            _ => None,
        }
    }
}

/// One release of the calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    /// Unique id.
    pub id: String,
    /// Title (may be empty).
    pub title: String,
    /// The date the plan starts from: the `scheduled_date` of a schedule file,
    /// else the `date` column.
    pub date: NaiveDate,
    /// The date the window is measured from: the `date` column (the originally
    /// proposed date), so re-planning a schedule keeps the same window.
    pub anchor: NaiveDate,
    /// Local release time (Europe/London), default 09:30.
    pub time: NaiveTime,
    /// Provisional, confirmed or cancelled.
    pub status: Status,
    /// Earliest allowed date (inclusive), if given.
    pub earliest: Option<NaiveDate>,
    /// Latest allowed date (inclusive), if given.
    pub latest: Option<NaiveDate>,
    /// Ids of the failure points the release is published through.
    pub depends_on: Vec<String>,
    /// Ids of the failure points of a fallback publication route (may be empty).
    pub fallback: Vec<String>,
    /// Importance weight (default 1).
    pub weight: Weight,
    /// The nation whose bank holidays apply.
    pub region: Region,
    /// The `series` column's value (trimmed), if the column is present and the cell
    /// is not empty. Where the file has no `series` column, series are inferred from
    /// titles instead (see [`crate::model::SeriesIndex`]).
    pub series: Option<String>,
    /// The `together` column's value: releases sharing it are published on one day.
    pub together: Option<String>,
    /// Ids of releases this one must come strictly after (the `after` column).
    pub after: Vec<String>,
    /// Market-sensitive: needs the longer notice period (`--min-notice-sensitive`).
    pub market_sensitive: bool,
    /// The announced provisional period (first and last day), e.g. "October 2026".
    pub period: Option<(NaiveDate, NaiveDate)>,
    /// 1-based line of the release in its input file (for messages).
    pub line: usize,
}

impl Release {
    /// A provisional release of weight 1 at 09:30 in England and Wales, with no
    /// window and no dependencies: a starting point to fill in.
    pub fn new(id: &str, date: NaiveDate) -> Release {
        Release {
            id: id.to_string(),
            title: String::new(),
            date,
            anchor: date,
            time: NaiveTime::from_hms_opt(9, 30, 0).unwrap_or_default(),
            status: Status::Provisional,
            earliest: None,
            latest: None,
            depends_on: Vec::new(),
            fallback: Vec::new(),
            weight: Weight::ONE,
            region: Region::EnglandAndWales,
            series: None,
            together: None,
            after: Vec::new(),
            market_sensitive: false,
            period: None,
            line: 0,
        }
    }

    /// The same release depending on `ids`.
    pub fn depending_on(mut self, ids: &[&str]) -> Release {
        self.depends_on = ids.iter().map(|s| s.to_string()).collect();
        self
    }

    /// Whether the release takes part in exposure (it is not cancelled).
    pub fn is_active(&self) -> bool {
        self.status != Status::Cancelled
    }

    /// Whether the optimiser may move the release.
    pub fn is_movable(&self) -> bool {
        self.status == Status::Provisional
    }
}
