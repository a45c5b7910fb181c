//! The synthetic releases: issues of random series, with statuses, windows and weights.

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::frequency::{period_label, Frequency};
use super::infrastructure::{SyntheticInfrastructure, GOVUK_ROUTE};
use super::series::random_series;
use crate::calendar::{Region, WorkingCalendar};

/// The nation all synthetic releases belong to.
pub(super) const REGION: Region = Region::EnglandAndWales;

/// The columns of `releases.csv` (the last two are extra columns carried to outputs).
pub(super) const HEADER: [&str; 13] = [
    "id",
    "title",
    "date",
    "time",
    "status",
    "earliest",
    "latest",
    "depends_on",
    "weight",
    "region",
    "fallback",
    "series",
    "frequency",
];

/// One row of `releases.csv`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ReleaseRow {
    /// Unique id, e.g. `s0042-2027-03`.
    pub id: String,
    /// Title with its reference period.
    pub title: String,
    /// Proposed (or announced) date, always a working day.
    pub date: NaiveDate,
    /// `HH:MM`.
    pub time: &'static str,
    /// `provisional` or `confirmed`.
    pub status: &'static str,
    /// Earliest allowed date (provisional releases only).
    pub earliest: Option<NaiveDate>,
    /// Latest allowed date (provisional releases only).
    pub latest: Option<NaiveDate>,
    /// Website and team ids.
    pub depends_on: Vec<String>,
    /// 1 to 3.
    pub weight: u32,
    /// Fallback route ids (possibly empty).
    pub fallback: Vec<String>,
    /// Series id.
    pub series: String,
    /// Series frequency.
    pub frequency: Frequency,
}

impl ReleaseRow {
    /// The row as CSV fields, in the order of [`HEADER`].
    pub fn fields(&self) -> Vec<String> {
        let date = |d: Option<NaiveDate>| d.map(iso).unwrap_or_default();
        vec![
            self.id.clone(),
            self.title.clone(),
            iso(self.date),
            self.time.to_string(),
            self.status.to_string(),
            date(self.earliest),
            date(self.latest),
            self.depends_on.join(";"),
            self.weight.to_string(),
            REGION.slug().to_string(),
            self.fallback.join(";"),
            self.series.clone(),
            self.frequency.as_str().to_string(),
        ]
    }
}

/// `YYYY-MM-DD`.
fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// Whether an issue published in `month` is confirmed: announced dates cluster in
/// the first quarter (22%), later ones are mostly provisional (6%); about 10% overall.
fn is_confirmed(month: u32, rng: &mut ChaCha8Rng) -> bool {
    if month <= 3 {
        rng.random_ratio(22, 100)
    } else {
        rng.random_ratio(6, 100)
    }
}

/// A window of `before` working days before `date` to `after` working days after it.
fn window(
    date: NaiveDate,
    before: u32,
    after: u32,
    calendar: &WorkingCalendar,
) -> (NaiveDate, NaiveDate) {
    let earliest = calendar
        .window_around(date, before, REGION)
        .first()
        .copied()
        .unwrap_or(date);
    let latest = calendar
        .window_around(date, after, REGION)
        .last()
        .copied()
        .unwrap_or(date);
    (earliest.min(date), latest.max(date))
}

/// Builds exactly `count` releases in `year` (fewer only if the year has no working
/// days), from as many random series as needed.
pub(super) fn build_releases(
    count: usize,
    year: i32,
    max_window: u32,
    infrastructure: &SyntheticInfrastructure,
    calendar: &WorkingCalendar,
    rng: &mut ChaCha8Rng,
) -> Vec<ReleaseRow> {
    let min_window = max_window.min(2);
    let mut rows: Vec<ReleaseRow> = Vec::with_capacity(count);
    // Every series yields at least one issue unless the year has no working days;
    // the bound stops the loop in that case.
    let series_limit = count.saturating_add(16);
    let mut index = 0;
    while rows.len() < count && index < series_limit {
        let series = random_series(index, infrastructure, rng);
        index += 1;
        let website = infrastructure.websites.get(series.website).cloned();
        let team = infrastructure.teams.get(series.team).cloned();
        let depends_on: Vec<String> = [website, team].into_iter().flatten().collect();
        for &month in &series.months {
            if rows.len() >= count {
                break;
            }
            let Some(date) = series.day_rule.date_in(year, month, calendar, REGION) else {
                continue;
            };
            let confirmed = is_confirmed(month, rng);
            let (earliest, latest) = if confirmed {
                (None, None)
            } else {
                let before = rng.random_range(min_window..=max_window);
                let after = rng.random_range(min_window..=max_window);
                let (e, l) = window(date, before, after, calendar);
                (Some(e), Some(l))
            };
            let period = period_label(
                series.frequency,
                year,
                date.month(),
                series.lag_months,
                series.financial_year,
            );
            rows.push(ReleaseRow {
                id: format!("{}-{}-{:02}", series.id, year, month),
                title: format!("{}: {}", series.title, period),
                date,
                time: series.time,
                status: if confirmed {
                    "confirmed"
                } else {
                    "provisional"
                },
                earliest,
                latest,
                depends_on: depends_on.clone(),
                weight: series.weight,
                fallback: if series.has_fallback {
                    vec![GOVUK_ROUTE.to_string()]
                } else {
                    Vec::new()
                },
                series: series.id.clone(),
                frequency: series.frequency,
            });
        }
    }
    rows.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    rows
}
