//! The synthetic releases: issues of random series, with statuses, windows and weights.

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::frequency::{period_label, Frequency};
use super::infrastructure::{SyntheticInfrastructure, GOVUK_ROUTE};
use super::links::{random_links, Links};
use super::series::random_series;
use crate::calendar::{Region, WorkingCalendar};

/// The nation all synthetic releases belong to.
pub(super) const REGION: Region = Region::EnglandAndWales;

/// The columns of `releases.csv`: the first ten as in every releases file, then
/// `fallback`, `series` and `frequency`, then the linked-release columns
/// `together`, `after` and `market_sensitive` (added last, so that the earlier
/// columns keep their places across versions).
pub(super) const HEADER: [&str; 16] = [
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
    "together",
    "after",
    "market_sensitive",
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
    /// Group id shared by releases published on one day (a bulletin and its
    /// dataset): the bulletin's id; empty for a release without companions.
    pub together: String,
    /// Ids this release must come strictly after (revised after provisional results).
    pub after: Vec<String>,
    /// Market-sensitive (the 07:00 headline series and their datasets).
    pub market_sensitive: bool,
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
            self.together.clone(),
            self.after.join(";"),
            self.market_sensitive.to_string(),
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
pub(super) fn window(
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
/// days), from as many random series as needed, with their linked releases
/// (companions published the same day, revised results published later).
///
/// `rng` draws the series and their issues exactly as a calendar without links
/// would; `links_rng` draws everything about the linked releases, so that adding
/// them leaves the bulletins of a seed unchanged (only fewer series fit in
/// `count`). Without `links_rng` no linked release is made.
pub(super) fn build_releases(
    count: usize,
    year: i32,
    max_window: u32,
    infrastructure: &SyntheticInfrastructure,
    calendar: &WorkingCalendar,
    rng: &mut ChaCha8Rng,
    mut links_rng: Option<&mut ChaCha8Rng>,
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
        let links = match links_rng.as_deref_mut() {
            Some(r) => random_links(&series, r),
            None => Links::default(),
        };
        let website = infrastructure.websites.get(series.website).cloned();
        let team = infrastructure.teams.get(series.team).cloned();
        let depends_on: Vec<String> = [website, team].into_iter().flatten().collect();
        let fallback = if series.has_fallback {
            vec![GOVUK_ROUTE.to_string()]
        } else {
            Vec::new()
        };
        // (month, id, date, period) of each issue, for its revised results.
        let mut issues: Vec<(u32, String, NaiveDate, String)> = Vec::new();
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
            let id = format!("{}-{}-{:02}", series.id, year, month);
            let mut bulletin = ReleaseRow {
                id: id.clone(),
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
                fallback: fallback.clone(),
                series: series.id.clone(),
                frequency: series.frequency,
                together: String::new(),
                after: Vec::new(),
                market_sensitive: series.market_sensitive,
            };
            // The dataset shares the bulletin's day, status and window: the pair
            // moves as one block.
            let companion = links
                .companion
                .filter(|_| rows.len() + 2 <= count)
                .map(|kind| {
                    bulletin.together = id.clone();
                    let companion_series = format!("{}-{}", series.id, kind.id_suffix());
                    ReleaseRow {
                        id: format!("{companion_series}-{year}-{month:02}"),
                        title: format!("{}: {} {}", series.title, period, kind.title_suffix()),
                        weight: if series.market_sensitive {
                            series.weight
                        } else {
                            1
                        },
                        series: companion_series,
                        ..bulletin.clone()
                    }
                });
            rows.push(bulletin);
            rows.extend(companion);
            issues.push((month, id, date, period));
        }
        if let (Some(revision), Some(links_rng)) = (links.revision, links_rng.as_deref_mut()) {
            for (month, provisional, provisional_date, period) in issues {
                if rows.len() >= count {
                    break;
                }
                let month = month + revision.lag_months;
                if month > 12 {
                    continue;
                }
                let Some(date) = revision.day_rule.date_in(year, month, calendar, REGION) else {
                    continue;
                };
                // A later month: always strictly after the provisional results.
                if date <= provisional_date {
                    continue;
                }
                let confirmed = is_confirmed(month, links_rng);
                let (earliest, latest) = if confirmed {
                    (None, None)
                } else {
                    let before = links_rng.random_range(min_window..=max_window);
                    let after = links_rng.random_range(min_window..=max_window);
                    let (e, l) = window(date, before, after, calendar);
                    (Some(e), Some(l))
                };
                let revised_series = format!("{}-r", series.id);
                rows.push(ReleaseRow {
                    id: format!("{revised_series}-{year}-{month:02}"),
                    title: format!("{}: {} revised results", series.title, period),
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
                    fallback: fallback.clone(),
                    series: revised_series,
                    frequency: series.frequency,
                    together: String::new(),
                    after: vec![provisional],
                    market_sensitive: series.market_sensitive,
                });
            }
        }
    }
    rows.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    rows
}
