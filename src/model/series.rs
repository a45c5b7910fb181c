//! Release series: the weekly, monthly and quarterly runs users plan around.
//!
//! A release belongs to a series through the `series` column, or, where the file has
//! no such column, through its title: the title with its dates, months, years and
//! periods removed ("Deaths registered weekly in England and Wales, provisional: week
//! ending 2 January 2026" → "Deaths registered weekly in England and Wales,
//! provisional"). The rule and real examples are in `docs/formats.md`.

use chrono::{Datelike, Weekday};

use super::Release;

/// Where series come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SeriesSource {
    /// The `series` column where the file has one, else inferred from titles.
    #[default]
    Titles,
    /// No series at all (the series rules are off).
    Off,
}

/// How a release's series was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesOrigin {
    /// Written in the `series` column.
    Column,
    /// Inferred from the title.
    Title,
}

/// One series and its releases.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Display name (the column's value, or the title stem of its first release).
    pub name: String,
    /// Where the name came from.
    pub origin: SeriesOrigin,
    /// The non-cancelled releases, ordered by date then id.
    pub members: Vec<usize>,
    /// Every release of the series, cancelled ones included, in file order.
    pub all: Vec<usize>,
    /// The weekday most of its non-cancelled releases are on (the earliest in the week
    /// on ties) and how many are on it; `None` without releases.
    pub usual: Option<(Weekday, usize)>,
}

impl Series {
    /// The weekday the series keeps when it is *weekday-regular*: three or more
    /// non-cancelled releases, at least `share` of them (rounded up) on one weekday.
    /// With `share` 1 every release must be on it.
    pub fn regular_weekday(&self, share: f64) -> Option<Weekday> {
        let (day, count) = self.usual?;
        let n = self.members.len();
        let need = (share.clamp(0.0, 1.0) * n as f64 - 1e-9).ceil().max(1.0) as usize;
        (n >= 3 && count >= need).then_some(day)
    }
}

/// The most common weekday of `dates` (earliest in the week on ties) and its count.
pub fn usual_weekday(
    dates: impl IntoIterator<Item = chrono::NaiveDate>,
) -> Option<(Weekday, usize)> {
    let mut counts = [0usize; 7];
    let mut any = false;
    for d in dates {
        counts[d.weekday().num_days_from_monday() as usize] += 1;
        any = true;
    }
    if !any {
        return None;
    }
    let (best, &count) = counts
        .iter()
        .enumerate()
        .max_by_key(|&(d, &n)| (n, std::cmp::Reverse(d)))?;
    Weekday::try_from(best as u8).ok().map(|w| (w, count))
}

/// The series of a calendar.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SeriesIndex {
    /// The series, in order of their first release in the file.
    pub series: Vec<Series>,
    /// The series (index into `series`) of each release, if any.
    pub of_release: Vec<Option<usize>>,
}

impl SeriesIndex {
    /// Groups `releases` into series. `has_column` says whether the file has a
    /// `series` column (then its values are used and empty cells mean "no series").
    pub fn build(releases: &[Release], has_column: bool, source: SeriesSource) -> SeriesIndex {
        let mut index = SeriesIndex {
            series: Vec::new(),
            of_release: vec![None; releases.len()],
        };
        if source == SeriesSource::Off {
            return index;
        }
        let mut by_key: std::collections::BTreeMap<String, usize> = Default::default();
        for (i, r) in releases.iter().enumerate() {
            let found = if has_column {
                r.series.as_deref().map(|s| {
                    let name = s.split_whitespace().collect::<Vec<_>>().join(" ");
                    (name.to_lowercase(), name, SeriesOrigin::Column)
                })
            } else {
                series_stem(&r.title).map(|(key, name)| (key, name, SeriesOrigin::Title))
            };
            let Some((key, name, origin)) = found else {
                continue;
            };
            let s = *by_key.entry(key).or_insert_with(|| {
                index.series.push(Series {
                    name,
                    origin,
                    members: Vec::new(),
                    all: Vec::new(),
                    usual: None,
                });
                index.series.len() - 1
            });
            index.series[s].all.push(i);
            index.of_release[i] = Some(s);
        }
        for s in &mut index.series {
            let mut members: Vec<usize> = s
                .all
                .iter()
                .copied()
                .filter(|&i| releases[i].is_active())
                .collect();
            members.sort_by(|&a, &b| {
                (releases[a].date, &releases[a].id).cmp(&(releases[b].date, &releases[b].id))
            });
            s.usual = usual_weekday(members.iter().map(|&i| releases[i].date));
            s.members = members;
        }
        index
    }

    /// The series name of release `i`, if it has one.
    pub fn name_of(&self, i: usize) -> Option<&str> {
        self.of_release
            .get(i)
            .copied()
            .flatten()
            .map(|s| self.series[s].name.as_str())
    }

    /// Series with at least two non-cancelled releases (the ones rules apply to).
    pub fn multi(&self) -> impl Iterator<Item = &Series> {
        self.series.iter().filter(|s| s.members.len() >= 2)
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Words that introduce a period when they stand right before a date ("week ending
/// 2 January 2026", "financial year ending 2025", "quarter 3 2026").
const PERIOD_WORDS: [&str; 14] = [
    "week",
    "weeks",
    "year",
    "years",
    "financial",
    "calendar",
    "quarter",
    "month",
    "ending",
    "ended",
    "beginning",
    "starting",
    "period",
    "academic",
];

/// The series stem of a title: `(grouping key, display name)`, or `None` when
/// nothing but dates is left. The key is the stem's words, lower-cased, without
/// punctuation; the display name keeps the title's own spelling.
///
/// Removed: month names (and `Jan`, `Sept`, …), years (1900–2199), day numbers next
/// to a month, `Q1`–`Q4`, `mid-2025`, `2024-based`, `2025/26`, `2015 to 2024`
/// (`to`, `and` or `-` between two removed words), and the words that introduce a
/// period right before one (`week ending`, `financial year ending`, `quarter`, …).
pub fn series_stem(title: &str) -> Option<(String, String)> {
    let normalised = title
        .replace(['–', '—'], "-")
        .replace("timeseries", "time series");
    let tokens = tokenize(&normalised);
    let lower: Vec<String> = tokens.iter().map(|t| t.to_lowercase()).collect();
    let n = tokens.len();
    let mut dated: Vec<bool> = lower.iter().map(|t| is_date_word(t)).collect();
    // Day numbers next to a month.
    for i in 0..n {
        if is_day_number(&lower[i]) {
            let near_month =
                (i > 0 && is_month(&lower[i - 1])) || (i + 1 < n && is_month(&lower[i + 1]));
            dated[i] = dated[i] || near_month;
        }
    }
    // Joiners between two dates, and period words before a date, until nothing changes.
    loop {
        let mut changed = false;
        for i in 0..n {
            if dated[i] {
                continue;
            }
            let joiner = matches!(lower[i].as_str(), "to" | "and" | "-" | "&")
                && i > 0
                && i + 1 < n
                && dated[i - 1]
                && dated[i + 1];
            let lead = PERIOD_WORDS.contains(&lower[i].as_str()) && i + 1 < n && dated[i + 1];
            if joiner || lead {
                dated[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let kept: Vec<&str> = tokens
        .iter()
        .zip(&dated)
        .filter(|(_, &d)| !d)
        .map(|(t, _)| t.as_str())
        .collect();
    let key: Vec<String> = kept
        .iter()
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .map(|t| t.to_lowercase())
        .collect();
    if key.is_empty() {
        return None;
    }
    Some((key.join(" "), display(&kept)))
}

/// Joins kept tokens back into readable text: no space before `:`, `,` or `)`, none
/// after `(`; empty brackets and dangling punctuation dropped.
fn display(kept: &[&str]) -> String {
    let mut out = String::new();
    for t in kept {
        let punct = matches!(*t, ":" | "," | ")" | ";");
        if punct {
            // Collapse "a: ," into "a:" and drop punctuation at the start.
            let trimmed = out.trim_end();
            if trimmed.is_empty() {
                continue;
            }
            if *t == ")" && trimmed.ends_with('(') {
                out.truncate(trimmed.len() - 1);
                continue;
            }
            if trimmed.ends_with([':', ',', ';']) {
                continue;
            }
            out.truncate(trimmed.len());
            out.push_str(t);
            out.push(' ');
        } else if *t == "(" {
            // "times: (management information)" once the date between them is gone.
            let trimmed = out.trim_end();
            if trimmed.ends_with(':') {
                out.truncate(trimmed.len() - 1);
                out.push(' ');
            }
            out.push('(');
        } else {
            out.push_str(t);
            out.push(' ');
        }
    }
    let mut s = out.trim().to_string();
    while s.ends_with([':', ',', ';', '-', '(']) {
        s.pop();
        s = s.trim_end().to_string();
    }
    s
}

fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    // Brackets glued to a word ("CPI(H)") stay part of it.
    let mut glued = 0usize;
    for ch in text.chars() {
        if ch.is_alphanumeric() || matches!(ch, '&' | '\'' | '’' | '/' | '-' | '.') {
            word.push(ch);
        } else if ch == '(' && !word.is_empty() {
            glued += 1;
            word.push(ch);
        } else if ch == ')' && glued > 0 {
            glued -= 1;
            word.push(ch);
        } else {
            if !word.is_empty() {
                tokens.push(std::mem::take(&mut word));
            }
            if matches!(ch, ':' | ',' | '(' | ')' | ';') {
                tokens.push(ch.to_string());
            }
        }
    }
    if !word.is_empty() {
        tokens.push(word);
    }
    // A lone "-" between words stays a token (a joiner); trailing dots go.
    tokens
        .into_iter()
        .map(|t| {
            if t.len() > 1 {
                t.trim_end_matches('.').to_string()
            } else {
                t
            }
        })
        .filter(|t| !t.is_empty() && t != ".")
        .collect()
}

fn is_month(t: &str) -> bool {
    MONTHS
        .iter()
        .any(|m| *m == t || (t.len() == 3 && m.starts_with(t)))
        || t == "sept"
}

fn is_year(t: &str) -> bool {
    t.len() == 4 && t.parse::<u32>().is_ok_and(|y| (1900..=2199).contains(&y))
}

fn is_day_number(t: &str) -> bool {
    let digits = t.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h']);
    !digits.is_empty()
        && digits.len() <= 2
        && digits.chars().all(|c| c.is_ascii_digit())
        && digits.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d))
}

/// A word that is a date or period on its own: month, year, `Q3`, `mid-2025`,
/// `2024-based`, `2025/26`, `2025-26`, `2015-2024`, `2026q3`.
fn is_date_word(t: &str) -> bool {
    if is_month(t) || is_year(t) {
        return true;
    }
    let quarter =
        |q: &str| q.len() == 2 && q.starts_with('q') && matches!(&q[1..], "1" | "2" | "3" | "4");
    if quarter(t) {
        return true;
    }
    if let Some(y) = t.strip_prefix("mid-").or_else(|| t.strip_prefix("mid")) {
        return is_year(y);
    }
    if let Some(y) = t.strip_suffix("-based") {
        return is_year(y);
    }
    if t.len() == 6 && is_year(&t[..4]) && quarter(&t[4..]) {
        return true;
    }
    if let Some((a, b)) = t.split_once(['/', '-']) {
        return is_year(a)
            && (is_year(b) || (b.len() == 2 && b.chars().all(|c| c.is_ascii_digit())));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn stem(t: &str) -> String {
        series_stem(t).map(|(_, d)| d).unwrap_or_default()
    }

    fn key(t: &str) -> String {
        series_stem(t).map(|(k, _)| k).unwrap_or_default()
    }

    #[test]
    fn real_ons_titles() {
        let cases = [
            (
                "Deaths registered weekly in England and Wales, provisional: week ending 2 January 2026",
                "Deaths registered weekly in England and Wales, provisional",
            ),
            ("UK Trade: January 2026", "UK Trade"),
            ("Retail sales, Great Britain: November 2026 time series", "Retail sales, Great Britain: time series"),
            (
                "Public service productivity, quarterly, UK: October to December 2025",
                "Public service productivity, quarterly, UK",
            ),
            (
                "Economic activity and social change in the UK, real-time indicators : 8 January 2026",
                "Economic activity and social change in the UK, real-time indicators",
            ),
            (
                "Average household income, UK: financial year ending 2025",
                "Average household income, UK",
            ),
            (
                "Low Carbon and Renewable Energy Economy Survey indirect estimates, UK: 2015 to 2024",
                "Low Carbon and Renewable Energy Economy Survey indirect estimates, UK",
            ),
            ("Population estimates for England and Wales: mid-2025", "Population estimates for England and Wales"),
            ("National population projections: 2024-based", "National population projections"),
            (
                "Emergency department attendances and waiting times: December 2026 (management information)",
                "Emergency department attendances and waiting times (management information)",
            ),
            ("Quarterly personal well-being statistics, August 2026", "Quarterly personal well-being statistics"),
            (
                "Business investment in the UK: July to September 2026 revised results",
                "Business investment in the UK: revised results",
            ),
            (
                "Long-term international migration, provisional: year ending December 2025",
                "Long-term international migration, provisional",
            ),
            (
                "Contributions to the 12-month rate of CPI(H) by import intensity: March 2026",
                "Contributions to the 12-month rate of CPI(H) by import intensity",
            ),
        ];
        for (title, expected) in cases {
            assert_eq!(stem(title), expected, "{title}");
        }
    }

    #[test]
    fn keys_ignore_case_punctuation_and_spacing() {
        assert_eq!(key("UK Trade: January 2026"), key("UK trade: October 2026"));
        assert_eq!(
            key("Retail Sales, Great Britain: December 2025"),
            key("Retail sales Great Britain: March 2026")
        );
        assert_eq!(
            key("GDP quarterly national accounts, UK: April to June 2026 timeseries"),
            key("GDP quarterly national accounts, UK: July to September 2026 time series")
        );
        assert_ne!(
            key("UK Trade: January 2026"),
            key("UK Trade: January 2026 time series")
        );
    }

    #[test]
    fn titles_that_are_only_dates_have_no_series() {
        assert_eq!(series_stem("January 2026"), None);
        assert_eq!(series_stem(""), None);
        assert_eq!(series_stem("2025 to 2026"), None);
    }

    fn rel(id: &str, date: &str, title: &str) -> Release {
        let mut r = Release::new(id, NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap());
        r.title = title.into();
        r
    }

    #[test]
    fn index_orders_members_and_finds_weekday_regular_series() {
        let releases = vec![
            rel("c", "2026-01-21", "CPI: February 2026"), // Wednesday
            rel("a", "2026-01-07", "CPI: December 2025"),
            rel("b", "2026-01-14", "CPI: January 2026"),
            rel("x", "2026-01-08", "Trade: January 2026"), // Thursday
            rel("y", "2026-01-13", "Trade: February 2026"), // Tuesday
            rel("z", "2026-01-20", "Trade: March 2026"),
            rel("solo", "2026-01-20", "One-off article"),
        ];
        let index = SeriesIndex::build(&releases, false, SeriesSource::Titles);
        assert_eq!(index.series.len(), 3);
        let cpi = &index.series[0];
        assert_eq!(cpi.name, "CPI");
        assert_eq!(cpi.members, vec![1, 2, 0]);
        assert_eq!(cpi.regular_weekday(1.0), Some(Weekday::Wed));
        assert_eq!(index.series[1].regular_weekday(0.8), None, "two of three");
        assert_eq!(index.series[1].usual, Some((Weekday::Tue, 2)));
        assert_eq!(index.series[1].regular_weekday(0.6), Some(Weekday::Tue));
        assert_eq!(index.series[1].regular_weekday(0.7), None);
        assert_eq!(index.multi().count(), 2);
        assert_eq!(index.name_of(6), Some("One-off article"));
        let off = SeriesIndex::build(&releases, false, SeriesSource::Off);
        assert!(off.series.is_empty());
    }

    #[test]
    fn the_column_wins_and_empty_cells_mean_no_series() {
        let mut releases = vec![
            rel("a", "2026-01-07", "CPI: December 2025"),
            rel("b", "2026-01-14", "CPI: January 2026"),
        ];
        releases[0].series = Some(" Prices  monthly ".into());
        let index = SeriesIndex::build(&releases, true, SeriesSource::Titles);
        assert_eq!(index.series.len(), 1);
        assert_eq!(index.series[0].name, "Prices monthly");
        assert_eq!(index.series[0].origin, SeriesOrigin::Column);
        assert_eq!(index.of_release, vec![Some(0), None]);
    }
}
