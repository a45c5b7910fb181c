//! Weekly series, as in real calendars: published every week on a fixed weekday,
//! one working day later in a week with a bank holiday on or before that weekday.
//!
//! Modelled on the ONS 2026 calendar, whose two weekly series are "Deaths registered
//! weekly in England and Wales, provisional: week ending 2 January 2026" (Wednesdays,
//! about 12 days after the Friday the week ends on) and "Economic activity and social
//! change in the UK, real-time indicators: 8 January 2026" (Thursdays, titled with the
//! publication date). In the weeks of Easter Monday and the May and August bank
//! holidays they move to a later day (4 of the 50 real-time indicators are on a
//! Friday); the Christmas week and New Year have no weekly release.
//!
//! About one weekly series per 400 releases (at least one from 300 releases up).
//! Their releases are provisional with narrow windows (1 to 3 working days either
//! side, capped by `--max-window`), on the producing team's own website. They are
//! drawn from their own random stream, so the other series of a seed are those of a
//! calendar without weekly series (only fewer of them fit).

use chrono::{Datelike, Days, NaiveDate, Weekday};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::frequency::Frequency;
use super::infrastructure::{SyntheticInfrastructure, GOVUK_ROUTE};
use super::releases::{window, ReleaseRow, REGION};
use super::series::pick_weighted;
use super::topics::QUALIFIERS;
use crate::calendar::WorkingCalendar;

/// How the issues of a weekly series name their reference period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WeeklyReference {
    /// "week ending 25 December 2026": the week ends `lag_days` calendar days before
    /// the usual publication day.
    WeekEnding {
        /// Calendar days from the end of the week to the usual publication day.
        lag_days: u64,
    },
    /// Titled with the publication date, e.g. "8 January 2027".
    PublicationDate,
}

/// A weekly statistical topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct WeeklyTopic {
    /// Title stem, e.g. `Weekly deaths registered`.
    pub name: &'static str,
    /// The usual publication weekday.
    pub weekday: Weekday,
    /// How each issue names its week.
    pub reference: WeeklyReference,
}

/// The weekly topics, taken in turn: the first weekly series of a calendar is
/// deaths-like (Wednesdays), the second real-time-indicators-like (Thursdays).
pub(super) const WEEKLY_TOPICS: &[WeeklyTopic] = &[
    WeeklyTopic {
        name: "Weekly deaths registered",
        weekday: Weekday::Wed,
        // Week ending Friday, published on the Wednesday of the week after next.
        reference: WeeklyReference::WeekEnding { lag_days: 12 },
    },
    WeeklyTopic {
        name: "Economic activity and social change, real-time indicators",
        weekday: Weekday::Thu,
        reference: WeeklyReference::PublicationDate,
    },
    WeeklyTopic {
        name: "Respiratory infection surveillance",
        weekday: Weekday::Thu,
        // Week ending Sunday, published on the Thursday after.
        reference: WeeklyReference::WeekEnding { lag_days: 4 },
    },
    WeeklyTopic {
        name: "Weekly road fuel prices",
        weekday: Weekday::Tue,
        reference: WeeklyReference::PublicationDate,
    },
];

/// Releases per weekly series: the weekly series of a calendar of `releases`
/// releases number one per 400 (rounded), at least one from 300 releases up.
pub(super) fn weekly_series_count(releases: usize) -> usize {
    if releases < 300 {
        0
    } else {
        (releases.saturating_add(200) / 400).max(1)
    }
}

/// A weekly series.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct WeeklySeries {
    /// Id written to the `series` column, e.g. `w001`.
    pub id: String,
    /// Title stem with its qualifier, e.g. `Weekly deaths registered, England`.
    pub title: String,
    /// Its topic (weekday and reference period).
    pub topic: WeeklyTopic,
    /// Website and team ids it depends on.
    pub depends_on: Vec<String>,
    /// Weight 1 or 2.
    pub weight: u32,
    /// Whether it can fall back to the GOV.UK route.
    pub has_fallback: bool,
}

/// Builds weekly series number `index` (0-based): the topics in turn, qualifiers
/// keeping the titles distinct, a random team publishing on its home website.
fn random_weekly_series(
    index: usize,
    infrastructure: &SyntheticInfrastructure,
    rng: &mut ChaCha8Rng,
) -> WeeklySeries {
    let topic = WEEKLY_TOPICS[index % WEEKLY_TOPICS.len()];
    let round = index / WEEKLY_TOPICS.len();
    let qualifier = QUALIFIERS[round % QUALIFIERS.len()];
    let set = round / QUALIFIERS.len();
    let title = if set == 0 {
        format!("{}{}", topic.name, qualifier)
    } else {
        format!("{}{} (set {})", topic.name, qualifier, set + 1)
    };
    let teams = infrastructure.teams.len();
    let team = match u32::try_from(teams) {
        Ok(0) => None,
        Ok(bound) => Some(rng.random_range(0..bound) as usize),
        Err(_) => Some(rng.random_range(0..u32::MAX) as usize),
    };
    let website = team
        .and_then(|t| infrastructure.team_home_website.get(t).copied())
        .and_then(|w| infrastructure.websites.get(w).cloned());
    let team = team.and_then(|t| infrastructure.teams.get(t).cloned());
    WeeklySeries {
        id: format!("w{:03}", index + 1),
        title,
        topic,
        depends_on: [website, team].into_iter().flatten().collect(),
        weight: pick_weighted(&[(1u32, 70), (2, 30)], rng).unwrap_or(1),
        has_fallback: rng.random_ratio(6, 10),
    }
}

/// The publication day of a weekly series usually out on `weekday`, in the week
/// (Monday to Friday) starting `monday`: that weekday, or, if the week has a
/// non-working day on or before it (a bank holiday Monday), the next working day
/// after it in the same week. `None` if no such day is left in the week.
pub(super) fn publication_day(
    monday: NaiveDate,
    weekday: Weekday,
    calendar: &WorkingCalendar,
) -> Option<NaiveDate> {
    let offset = u64::from(weekday.num_days_from_monday());
    let nominal = monday.checked_add_days(Days::new(offset))?;
    let working = |d: NaiveDate| calendar.is_working_day(d, REGION);
    let holiday_before = (0..=offset)
        .filter_map(|k| monday.checked_add_days(Days::new(k)))
        .any(|d| !working(d));
    if !holiday_before {
        return Some(nominal);
    }
    (offset + 1..5)
        .filter_map(|k| monday.checked_add_days(Days::new(k)))
        .find(|&d| working(d))
}

/// `2 January 2027`.
fn long_date(date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        date.day(),
        crate::io::fields::month_name(date.month()),
        date.year()
    )
}

/// Whether `date` is in the Christmas and New Year break (24 December to 1
/// January), when producers publish no weekly release.
fn in_christmas_break(date: NaiveDate) -> bool {
    (date.month() == 12 && date.day() >= 24) || (date.month() == 1 && date.day() == 1)
}

/// The window `earliest..=latest` around `date` with its ends pulled back to working
/// days outside the Christmas break: a weekly series that skips that week does not
/// offer it as a window either.
fn outside_christmas_break(
    date: NaiveDate,
    mut earliest: NaiveDate,
    mut latest: NaiveDate,
    calendar: &WorkingCalendar,
) -> (NaiveDate, NaiveDate) {
    let working = |d: NaiveDate| calendar.is_working_day(d, REGION);
    while earliest < date && (in_christmas_break(earliest) || !working(earliest)) {
        earliest = earliest.succ_opt().unwrap_or(date);
    }
    while latest > date && (in_christmas_break(latest) || !working(latest)) {
        latest = latest.pred_opt().unwrap_or(date);
    }
    (earliest, latest)
}

/// The issues of `series` published in `year`, in date order.
fn weekly_issues(
    series: &WeeklySeries,
    year: i32,
    max_window: u32,
    calendar: &WorkingCalendar,
    rng: &mut ChaCha8Rng,
) -> Vec<ReleaseRow> {
    let (low, high) = (max_window.min(1), max_window.min(3));
    let Some(first) = NaiveDate::from_ymd_opt(year, 1, 1) else {
        return Vec::new();
    };
    let back = u64::from(first.weekday().num_days_from_monday());
    let Some(mut monday) = first.checked_sub_days(Days::new(back)) else {
        return Vec::new();
    };
    let fallback = if series.has_fallback {
        vec![GOVUK_ROUTE.to_string()]
    } else {
        Vec::new()
    };
    let offset = u64::from(series.topic.weekday.num_days_from_monday());
    let mut rows = Vec::new();
    while monday.year() <= year {
        let this_monday = monday;
        match monday.checked_add_days(Days::new(7)) {
            Some(next) => monday = next,
            None => break,
        }
        let Some(nominal) = this_monday.checked_add_days(Days::new(offset)) else {
            continue;
        };
        let Some(date) = publication_day(this_monday, series.topic.weekday, calendar) else {
            continue;
        };
        if date.year() != year || in_christmas_break(date) {
            continue;
        }
        let period = match series.topic.reference {
            WeeklyReference::WeekEnding { lag_days } => nominal
                .checked_sub_days(Days::new(lag_days))
                .map(|end| format!("week ending {}", long_date(end))),
            WeeklyReference::PublicationDate => Some(long_date(date)),
        };
        let Some(period) = period else {
            continue;
        };
        let before = rng.random_range(low..=high);
        let after = rng.random_range(low..=high);
        let (earliest, latest) = window(date, before, after, calendar);
        let (earliest, latest) = outside_christmas_break(date, earliest, latest, calendar);
        let week = nominal.iso_week();
        rows.push(ReleaseRow {
            id: format!("{}-{}-w{:02}", series.id, week.year(), week.week()),
            title: format!("{}: {}", series.title, period),
            date,
            time: "09:30",
            status: "provisional",
            earliest: Some(earliest),
            latest: Some(latest),
            depends_on: series.depends_on.clone(),
            weight: series.weight,
            fallback: fallback.clone(),
            series: series.id.clone(),
            frequency: Frequency::Weekly,
            together: String::new(),
            after: Vec::new(),
            market_sensitive: false,
        });
    }
    rows
}

/// The weekly series of a calendar of `releases` releases in `year`: their issues,
/// at most `releases` of them, series after series.
pub(super) fn build_weekly(
    releases: usize,
    year: i32,
    max_window: u32,
    infrastructure: &SyntheticInfrastructure,
    calendar: &WorkingCalendar,
    rng: &mut ChaCha8Rng,
) -> Vec<ReleaseRow> {
    let mut rows = Vec::new();
    for index in 0..weekly_series_count(releases) {
        let series = random_weekly_series(index, infrastructure, rng);
        let issues = weekly_issues(&series, year, max_window, calendar, rng);
        let room = releases.saturating_sub(rows.len());
        rows.extend(issues.into_iter().take(room));
    }
    rows
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use rand::SeedableRng;

    use super::*;
    use crate::generate::infrastructure::build_infrastructure;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn calendar() -> WorkingCalendar {
        WorkingCalendar::new(2026, 2028, Vec::new())
    }

    fn weekly(releases: usize, seed: u64, max_window: u32) -> Vec<ReleaseRow> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let infra = build_infrastructure(releases, &mut rng);
        build_weekly(releases, 2027, max_window, &infra, &calendar(), &mut rng)
    }

    #[test]
    fn about_one_weekly_series_per_400_releases() {
        assert_eq!(weekly_series_count(0), 0);
        assert_eq!(weekly_series_count(299), 0);
        assert_eq!(weekly_series_count(300), 1);
        assert_eq!(weekly_series_count(599), 1);
        assert_eq!(weekly_series_count(600), 2);
        assert_eq!(weekly_series_count(5000), 13);
        assert_eq!(weekly_series_count(usize::MAX), usize::MAX / 400);
    }

    #[test]
    fn a_weekly_series_has_one_release_every_week_of_the_year() {
        let rows = weekly(800, 3, 10);
        let series: BTreeSet<&str> = rows.iter().map(|r| r.series.as_str()).collect();
        assert_eq!(series, BTreeSet::from(["w001", "w002"]));
        for s in series {
            let issues: Vec<&ReleaseRow> = rows.iter().filter(|r| r.series == s).collect();
            // 52 weeks of 2027 with a Wednesday or Thursday, less Christmas week.
            assert_eq!(issues.len(), 51, "{s}");
            let weeks: BTreeSet<u32> = issues.iter().map(|r| r.date.iso_week().week()).collect();
            assert_eq!(weeks.len(), issues.len(), "{s}: one release a week");
            for pair in issues.windows(2) {
                let gap = (pair[1].date - pair[0].date).num_days();
                assert!((6..=8).contains(&gap), "{s}: gap {gap}");
            }
            for r in &issues {
                assert_eq!(r.frequency, Frequency::Weekly);
                assert_eq!(r.frequency.as_str(), "weekly");
                assert_eq!(r.date.year(), 2027);
                assert!(!in_christmas_break(r.date), "{}", r.date);
                assert_eq!(r.status, "provisional");
                assert!(r.id.starts_with(&format!("{s}-")));
                assert_eq!(r.time, "09:30");
                assert!(!r.market_sensitive && r.together.is_empty() && r.after.is_empty());
                assert!(calendar().is_working_day(r.date, REGION));
            }
        }
    }

    #[test]
    fn weekly_series_keep_their_weekday_except_in_bank_holiday_weeks() {
        let rows = weekly(1600, 8, 10);
        let expected = [Weekday::Wed, Weekday::Thu, Weekday::Thu, Weekday::Tue];
        for (i, weekday) in expected.iter().enumerate() {
            let s = format!("w{:03}", i + 1);
            let issues: Vec<&ReleaseRow> = rows.iter().filter(|r| r.series == s).collect();
            assert!(!issues.is_empty(), "{s}");
            let moved: Vec<NaiveDate> = issues
                .iter()
                .filter(|r| r.date.weekday() != *weekday)
                .map(|r| r.date)
                .collect();
            // The weeks of Easter Monday (29 March 2027), the early and spring May
            // bank holidays and the summer bank holiday: the next working day.
            let next = |nominal: &str| d(nominal).succ_opt().unwrap();
            let monday_holidays = ["2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30"];
            let nominal: Vec<NaiveDate> = monday_holidays
                .iter()
                .map(|m| d(m) + Days::new(u64::from(weekday.num_days_from_monday())))
                .collect();
            let want: Vec<NaiveDate> = nominal
                .iter()
                .map(|n| next(&n.format("%Y-%m-%d").to_string()))
                .collect();
            assert_eq!(moved, want, "{s}");
        }
    }

    #[test]
    fn holiday_weeks_move_to_the_next_working_day() {
        let cal = calendar();
        // Easter Monday 29 March 2027.
        let easter_week = d("2027-03-29");
        assert_eq!(
            publication_day(easter_week, Weekday::Thu, &cal),
            Some(d("2027-04-02"))
        );
        assert_eq!(
            publication_day(easter_week, Weekday::Wed, &cal),
            Some(d("2027-04-01"))
        );
        // Good Friday 26 March 2027 comes after Thursday: no move.
        assert_eq!(
            publication_day(d("2027-03-22"), Weekday::Thu, &cal),
            Some(d("2027-03-25"))
        );
        // An ordinary week.
        assert_eq!(
            publication_day(d("2027-01-11"), Weekday::Wed, &cal),
            Some(d("2027-01-13"))
        );
        // Christmas 2026: Friday 25 December and the substitute Boxing Day Monday
        // 28 December; a Friday series has no later day in the week.
        assert_eq!(publication_day(d("2026-12-21"), Weekday::Fri, &cal), None);
        assert_eq!(
            publication_day(d("2026-12-28"), Weekday::Wed, &cal),
            Some(d("2026-12-31"))
        );
    }

    #[test]
    fn titles_name_the_week_or_the_publication_day() {
        let rows = weekly(800, 1, 10);
        let deaths: Vec<&ReleaseRow> = rows.iter().filter(|r| r.series == "w001").collect();
        // Wednesday 6 January 2027: the week ending Friday 25 December 2026.
        assert_eq!(deaths[0].date, d("2027-01-06"));
        assert_eq!(
            deaths[0].title,
            "Weekly deaths registered: week ending 25 December 2026"
        );
        assert_eq!(deaths[0].id, "w001-2027-w01");
        // Moved in the week of Easter Monday, still naming its own week.
        let easter = deaths.iter().find(|r| r.date == d("2027-04-01")).unwrap();
        assert_eq!(
            easter.title,
            "Weekly deaths registered: week ending 19 March 2027"
        );
        let indicators: Vec<&ReleaseRow> = rows.iter().filter(|r| r.series == "w002").collect();
        assert_eq!(
            indicators[0].title,
            "Economic activity and social change, real-time indicators: 7 January 2027"
        );
        let easter = indicators
            .iter()
            .find(|r| r.date == d("2027-04-02"))
            .unwrap();
        assert!(easter.title.ends_with(": 2 April 2027"), "{}", easter.title);
        // Titles stay distinct however many series there are.
        let many = weekly(40_000, 2, 10);
        let stems: BTreeSet<(String, String)> = many
            .iter()
            .map(|r| (r.series.clone(), r.title.split(": ").next().unwrap().into()))
            .collect();
        let titles: BTreeSet<&String> = stems.iter().map(|(_, t)| t).collect();
        assert_eq!(stems.len(), 100);
        assert_eq!(titles.len(), 100, "one title stem per series");
    }

    #[test]
    fn windows_stay_out_of_the_christmas_break() {
        let cal = calendar();
        // Thursday 23 December 2027, three working days later is Thursday 30 December.
        let (e, l) = window(d("2027-12-23"), 3, 3, &cal);
        assert_eq!(l, d("2027-12-30"));
        assert_eq!(
            outside_christmas_break(d("2027-12-23"), e, l, &cal),
            (e, d("2027-12-23"))
        );
        // Wednesday 6 January 2027, three working days earlier is 31 December 2026.
        let (e, l) = window(d("2027-01-06"), 3, 2, &cal);
        assert_eq!(e, d("2026-12-31"));
        assert_eq!(
            outside_christmas_break(d("2027-01-06"), e, l, &cal),
            (d("2027-01-04"), l)
        );
        for r in weekly(2000, 5, 10) {
            let (e, l) = (r.earliest.unwrap(), r.latest.unwrap());
            assert!(!in_christmas_break(e) && !in_christmas_break(l), "{}", r.id);
            assert!(e <= r.date && r.date <= l);
            assert!(cal.is_working_day(e, REGION) && cal.is_working_day(l, REGION));
        }
    }

    #[test]
    fn windows_are_narrow_and_on_the_teams_own_website() {
        let cal = calendar();
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let infra = build_infrastructure(2000, &mut rng);
        for max_window in [0, 1, 2, 10] {
            let rows = build_weekly(2000, 2027, max_window, &infra, &cal, &mut rng);
            let mut sides = BTreeSet::new();
            for r in &rows {
                let (e, l) = (r.earliest.unwrap(), r.latest.unwrap());
                let before = cal.working_days_between(e, r.date, REGION);
                let after = cal.working_days_between(r.date, l, REGION);
                // At least one day either side, except where the window stops
                // short of the Christmas break.
                let in_december_or_january = matches!(r.date.month(), 1 | 12);
                for side in [before, after] {
                    assert!(
                        side >= max_window.min(1) as i32 || in_december_or_january,
                        "{side}"
                    );
                    assert!(side <= max_window.min(3) as i32, "{side}");
                    sides.insert(side);
                }
                let [website, team] = &r.depends_on[..] else {
                    panic!("{:?}", r.depends_on)
                };
                let t = infra.teams.iter().position(|x| x == team).unwrap();
                assert_eq!(website, &infra.websites[infra.team_home_website[t]]);
            }
            if max_window >= 3 {
                assert!(sides.is_superset(&BTreeSet::from([1, 2, 3])), "{sides:?}");
            }
        }
    }

    #[test]
    fn weekly_series_start_at_300_releases() {
        assert!(weekly(299, 1, 10).is_empty());
        let rows = weekly(300, 1, 10);
        assert_eq!(rows.len(), 51);
        assert!(rows.iter().all(|r| r.series == "w001"));
    }
}
