//! Synthetic but realistic release calendars for benchmarks (`stagger generate`).
//!
//! A generated year looks like a large producer's calendar: regular monthly,
//! quarterly and annual series; weekly series on a fixed weekday (one working day
//! later in bank-holiday weeks, narrow windows of 1 to 3 working days; about one per
//! 400 releases from 300 up); releases bunched on Thursdays and at month and
//! quarter ends; websites that share content management, database and cache servers
//! and hosting providers; one shared DNS service; about one team per 25 releases;
//! about 10% confirmed dates; weights 1 to 3; provisional windows of 2 to
//! `max_window` working days either side; series ids in a `series` column; linked
//! releases as in real calendars (a dataset published with its bulletin in a
//! `together` group, revised results `after` the provisional ones) and the
//! market-sensitive 07:00 series marked in `market_sensitive`. Output is
//! deterministic for a seed (ChaCha8).

mod csv_text;
mod day_rule;
#[cfg(test)]
mod example_data_tests;
mod frequency;
mod infrastructure;
mod links;
mod releases;
mod series;
mod topics;
mod weekly;

use std::ops::RangeInclusive;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::calendar::WorkingCalendar;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateOptions {
    /// Number of releases (rows of `releases.csv`).
    pub releases: usize,
    /// Random seed: the same seed gives the same bytes.
    pub seed: u64,
    /// The calendar year the releases fall in; clamped to [`GenerateOptions::SUPPORTED_YEARS`].
    pub year: i32,
    /// Largest window, in working days either side, of a provisional release (default 10;
    /// capped at [`GenerateOptions::MAX_WINDOW_LIMIT`]).
    pub max_window: u32,
    /// Size the infrastructure as for a calendar of this many releases instead of
    /// [`GenerateOptions::releases`]: a smaller number gives fewer, busier failure points
    /// (e.g. 75 gives 12 failure points, one per ~60 releases a website and one per ~25 a
    /// team otherwise). `None` sizes it by `releases`.
    pub infrastructure_for: Option<usize>,
}

impl GenerateOptions {
    /// The years a calendar can be generated for: the years whose bank holidays the
    /// calendar module supports (1978 to 2199).
    pub const SUPPORTED_YEARS: RangeInclusive<i32> = 1978..=2199;

    /// The default largest window, in working days either side.
    pub const DEFAULT_MAX_WINDOW: u32 = 10;

    /// The largest `max_window` honoured: about one working year.
    pub const MAX_WINDOW_LIMIT: u32 = 250;

    /// The largest window actually used: `max_window` capped at
    /// [`GenerateOptions::MAX_WINDOW_LIMIT`].
    pub fn effective_max_window(&self) -> u32 {
        self.max_window.min(Self::MAX_WINDOW_LIMIT)
    }

    /// The year actually used: `year` clamped to [`GenerateOptions::SUPPORTED_YEARS`].
    pub fn effective_year(&self) -> i32 {
        self.year
            .clamp(*Self::SUPPORTED_YEARS.start(), *Self::SUPPORTED_YEARS.end())
    }
}

impl Default for GenerateOptions {
    /// 500 releases in 2027, seed 1, windows up to 10 working days.
    fn default() -> Self {
        GenerateOptions {
            releases: 500,
            seed: 1,
            year: 2027,
            max_window: Self::DEFAULT_MAX_WINDOW,
            infrastructure_for: None,
        }
    }
}

/// A generated calendar as the text of its two input files.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GeneratedCalendar {
    /// The text of `releases.csv`.
    pub releases_csv: String,
    /// The text of `infrastructure.csv`.
    pub infrastructure_csv: String,
}

/// Generates a synthetic calendar: `options.releases` releases in `options.year`
/// (England and Wales working days) and the infrastructure they depend on.
///
/// Deterministic: the same options give byte-identical output.
pub fn generate(options: &GenerateOptions) -> GeneratedCalendar {
    let year = options.effective_year();
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    // The linked releases draw from their own stream of the same seed, so that the
    // series and their issues are drawn exactly as before links existed.
    let mut links_rng = ChaCha8Rng::seed_from_u64(options.seed);
    links_rng.set_stream(1);
    // The weekly series draw from a third stream, for the same reason: the other
    // series of a seed are those of a calendar without weekly series (fewer fit).
    let mut weekly_rng = ChaCha8Rng::seed_from_u64(options.seed);
    weekly_rng.set_stream(2);
    // Windows can reach into the neighbouring years.
    let calendar = WorkingCalendar::new(year - 1, year + 1, Vec::new());
    let infrastructure = infrastructure::build_infrastructure(
        options.infrastructure_for.unwrap_or(options.releases),
        &mut rng,
    );
    let weekly = weekly::build_weekly(
        options.releases,
        year,
        options.effective_max_window(),
        &infrastructure,
        &calendar,
        &mut weekly_rng,
    );
    let mut releases = releases::build_releases(
        options.releases.saturating_sub(weekly.len()),
        year,
        options.effective_max_window(),
        &infrastructure,
        &calendar,
        &mut rng,
        Some(&mut links_rng),
    );
    releases.extend(weekly);
    releases.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    let release_rows: Vec<Vec<String>> = releases.iter().map(|r| r.fields()).collect();
    let infrastructure_rows: Vec<Vec<String>> =
        infrastructure.rows.iter().map(|r| r.fields()).collect();
    // Writing CSV into memory cannot fail; an empty text would only mark that impossibility.
    GeneratedCalendar {
        releases_csv: csv_text::to_csv(&releases::HEADER, &release_rows).unwrap_or_default(),
        infrastructure_csv: csv_text::to_csv(&infrastructure::HEADER, &infrastructure_rows)
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::time::Instant;

    use chrono::{Datelike, NaiveDate, Weekday};

    use super::*;
    use crate::calendar::Region;
    use crate::model::{FailurePoint, Infrastructure};

    fn options(releases: usize, seed: u64) -> GenerateOptions {
        GenerateOptions {
            releases,
            seed,
            ..GenerateOptions::default()
        }
    }

    /// Rows of a CSV text as header-keyed maps.
    fn rows(text: &str) -> Vec<BTreeMap<String, String>> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        reader
            .records()
            .map(|r| {
                header
                    .iter()
                    .cloned()
                    .zip(r.unwrap().iter().map(str::to_string))
                    .collect()
            })
            .collect()
    }

    fn ids(field: &str) -> Vec<String> {
        field
            .split(';')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn same_seed_gives_same_bytes_and_other_seeds_differ() {
        let a = generate(&options(400, 42));
        let b = generate(&options(400, 42));
        let c = generate(&options(400, 43));
        assert_eq!(a, b);
        assert_ne!(a.releases_csv, c.releases_csv);
    }

    #[test]
    fn row_counts_and_ids_are_exact() {
        for n in [0, 1, 7, 60, 333] {
            let cal = generate(&options(n, 9));
            let releases = rows(&cal.releases_csv);
            assert_eq!(releases.len(), n);
            let unique: BTreeSet<&String> = releases.iter().map(|r| &r["id"]).collect();
            assert_eq!(unique.len(), n, "ids must be unique");
            assert!(cal.releases_csv.starts_with("id,title,date,time,status,"));
        }
    }

    #[test]
    fn dependencies_exist_and_form_an_acyclic_graph() {
        let cal = generate(&options(1500, 5));
        let points: Vec<FailurePoint> = rows(&cal.infrastructure_csv)
            .iter()
            .map(|r| {
                let deps = ids(&r["depends_on"]);
                let deps: Vec<&str> = deps.iter().map(String::as_str).collect();
                FailurePoint::new(&r["id"], &r["kind"], &deps)
            })
            .collect();
        let infra = Infrastructure::new(points).expect("valid graph");
        let kinds: BTreeSet<&str> = infra.points().iter().map(|p| p.kind.as_str()).collect();
        for kind in [
            "website", "cms", "database", "cache", "hosting", "dns", "team",
        ] {
            assert!(kinds.contains(kind), "missing kind {kind}");
        }
        for r in rows(&cal.releases_csv) {
            for id in ids(&r["depends_on"])
                .iter()
                .chain(ids(&r["fallback"]).iter())
            {
                assert!(infra.index_of(id).is_some(), "unknown id {id}");
            }
        }
        // Websites share servers: fewer CMS than websites.
        let count = |k: &str| infra.points().iter().filter(|p| p.kind == k).count();
        assert!(count("cms") < count("website") - 1);
        assert!(count("team") > count("website"));
        // Every website and team publishes something.
        let used: BTreeSet<String> = rows(&cal.releases_csv)
            .iter()
            .flat_map(|r| ids(&r["depends_on"]))
            .collect();
        for p in infra.points() {
            if p.kind == "team" || (p.kind == "website" && p.id != "govuk") {
                assert!(used.contains(&p.id), "{} unused", p.id);
            }
        }
    }

    #[test]
    fn about_ten_percent_are_confirmed_and_weights_are_one_to_three() {
        let cal = generate(&options(5000, 17));
        let releases = rows(&cal.releases_csv);
        let confirmed = releases
            .iter()
            .filter(|r| r["status"] == "confirmed")
            .count();
        let share = confirmed as f64 / releases.len() as f64;
        assert!((0.07..=0.13).contains(&share), "confirmed share {share}");
        assert!(releases
            .iter()
            .all(|r| ["confirmed", "provisional"].contains(&r["status"].as_str())));
        let weights: Vec<u32> = releases
            .iter()
            .map(|r| r["weight"].parse().unwrap())
            .collect();
        assert!(weights.iter().all(|w| (1..=3).contains(w)));
        let ones = weights.iter().filter(|&&w| w == 1).count();
        assert!(ones * 2 > weights.len(), "mostly weight 1");
    }

    #[test]
    fn windows_contain_the_date_and_respect_the_cap() {
        let cal_days = WorkingCalendar::new(2026, 2028, Vec::new());
        let region = Region::EnglandAndWales;
        for max_window in [0, 1, 4, 10] {
            let opts = GenerateOptions {
                max_window,
                ..options(600, 23)
            };
            let mut widest = 0;
            for r in rows(&generate(&opts).releases_csv) {
                let d = date(&r["date"]);
                assert!(
                    cal_days.is_working_day(d, region),
                    "{} not a working day",
                    d
                );
                assert_eq!(r["region"], "england-and-wales");
                if r["status"] == "confirmed" {
                    assert!(r["earliest"].is_empty() && r["latest"].is_empty());
                    continue;
                }
                let (e, l) = (date(&r["earliest"]), date(&r["latest"]));
                assert!(e <= d && d <= l, "{e} {d} {l}");
                let before = cal_days.working_days_between(e, d, region);
                let after = cal_days.working_days_between(d, l, region);
                // Weekly series have narrow windows: 1 to 3 working days (less
                // next to the Christmas break, which they leave out).
                let (floor, cap) = if r["frequency"] == "weekly" {
                    let near_christmas = matches!(d.month(), 1 | 12);
                    let floor = if near_christmas { 0 } else { max_window.min(1) };
                    (floor, max_window.min(3))
                } else {
                    (max_window.min(2), max_window)
                };
                for side in [before, after] {
                    assert!(side >= floor as i32 && side <= cap as i32, "{side}");
                    widest = widest.max(side);
                }
            }
            if max_window >= 4 {
                assert!(widest > 2, "windows vary up to the cap");
            }
        }
    }

    #[test]
    fn releases_bunch_on_thursdays_and_at_month_ends() {
        let releases = rows(&generate(&options(3000, 8)).releases_csv);
        let dates: Vec<NaiveDate> = releases.iter().map(|r| date(&r["date"])).collect();
        let on = |w: Weekday| dates.iter().filter(|d| d.weekday() == w).count();
        let thursdays = on(Weekday::Thu);
        assert!(thursdays * 4 > dates.len(), "{thursdays} Thursdays");
        for other in [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Fri] {
            assert!(thursdays > on(other), "Thursday is the busiest weekday");
        }
        // The last 7 days are under a quarter of a month; more releases fall there.
        let month_end = dates
            .iter()
            .filter(|d| {
                let next_week = **d + chrono::Days::new(7);
                next_week.month() != d.month()
            })
            .count();
        assert!(
            month_end * 10 > dates.len() * 3,
            "{month_end} at month ends"
        );
        assert!(dates.iter().all(|d| d.year() == 2027));
    }

    #[test]
    fn linked_releases_already_satisfy_their_rules() {
        for (n, seed) in [(500, 1), (3000, 3), (5000, 17)] {
            let releases = rows(&generate(&options(n, seed)).releases_csv);
            let by_id: BTreeMap<&str, &BTreeMap<String, String>> =
                releases.iter().map(|r| (r["id"].as_str(), r)).collect();
            // together: a bulletin and its dataset, on one day with one window.
            let mut groups: BTreeMap<&str, Vec<&BTreeMap<String, String>>> = BTreeMap::new();
            for r in releases.iter().filter(|r| !r["together"].is_empty()) {
                groups.entry(r["together"].as_str()).or_default().push(r);
            }
            assert!(groups.len() * 50 > n, "{n}: {} groups", groups.len());
            for (group, members) in &groups {
                assert_eq!(members.len(), 2, "{group}");
                assert!(by_id.contains_key(group), "{group} names its bulletin");
                for key in ["date", "time", "status", "earliest", "latest", "depends_on"] {
                    assert!(
                        members.iter().all(|m| m[key] == members[0][key]),
                        "{group}: {key} differs"
                    );
                }
            }
            // after: revised results strictly later than the provisional ones they follow.
            let mut links = 0;
            for r in &releases {
                for id in ids(&r["after"]) {
                    let first = by_id.get(id.as_str()).expect("after names a release");
                    assert!(
                        date(&first["date"]) < date(&r["date"]),
                        "{} after {id}",
                        r["id"]
                    );
                    assert_eq!(first["depends_on"], r["depends_on"]);
                    links += 1;
                }
            }
            assert!(links * 200 > n, "{n}: {links} after links");
            // market_sensitive: the 07:00 headline series and their datasets.
            let sensitive = releases
                .iter()
                .filter(|r| r["market_sensitive"] == "true")
                .count();
            assert!(
                sensitive > 0 && sensitive * 10 < n,
                "{n}: {sensitive} sensitive"
            );
            for r in &releases {
                assert!(["true", "false"].contains(&r["market_sensitive"].as_str()));
                assert_eq!(
                    r["market_sensitive"] == "true",
                    r["time"] == "07:00",
                    "{}",
                    r["id"]
                );
            }
        }
    }

    #[test]
    fn linked_releases_read_like_real_ones() {
        let releases = rows(&generate(&options(4000, 5)).releases_csv);
        let by_id: BTreeMap<&str, &BTreeMap<String, String>> =
            releases.iter().map(|r| (r["id"].as_str(), r)).collect();
        let (mut time_series, mut data_tables, mut revised) = (0, 0, 0);
        for r in &releases {
            let group = r["together"].as_str();
            if !group.is_empty() && group != r["id"] {
                let bulletin = by_id[group];
                let title = &r["title"];
                assert!(title.starts_with(bulletin["title"].as_str()), "{title}");
                if title.ends_with(" time series") {
                    time_series += 1;
                    assert_eq!(r["market_sensitive"], "true");
                    assert_eq!(r["series"], format!("{}-ts", bulletin["series"]));
                } else {
                    assert!(title.ends_with(" data tables"), "{title}");
                    data_tables += 1;
                    assert_eq!(r["weight"], "1");
                }
            }
            if let Some(first) = ids(&r["after"]).first() {
                let first = by_id[first.as_str()];
                assert_eq!(
                    r["title"],
                    format!("{} revised results", first["title"]),
                    "{}",
                    r["id"]
                );
                assert_eq!(first["frequency"], "quarterly");
                let months = date(&r["date"]).month() - date(&first["date"]).month();
                assert!((1..=2).contains(&months), "{months} months");
                revised += 1;
            }
        }
        assert!(time_series > 0 && data_tables > 0 && revised > 0);
    }

    #[test]
    fn links_leave_the_bulletins_as_they_were() {
        use rand::SeedableRng;
        let calendar = WorkingCalendar::new(2026, 2028, Vec::new());
        let build = |with_links: bool| {
            let mut rng = ChaCha8Rng::seed_from_u64(7);
            let mut links_rng = ChaCha8Rng::seed_from_u64(7);
            links_rng.set_stream(1);
            let infra = infrastructure::build_infrastructure(2000, &mut rng);
            releases::build_releases(
                2000,
                2027,
                10,
                &infra,
                &calendar,
                &mut rng,
                with_links.then_some(&mut links_rng),
            )
        };
        let plain = build(false);
        let linked = build(true);
        assert_eq!(linked.len(), 2000);
        assert!(plain
            .iter()
            .all(|r| r.together.is_empty() && r.after.is_empty()));
        // The columns written before links existed, for every bulletin.
        let old_columns = |r: &releases::ReleaseRow| r.fields()[..13].to_vec();
        let plain: BTreeSet<Vec<String>> = plain.iter().map(old_columns).collect();
        let bulletins: Vec<Vec<String>> = linked
            .iter()
            .filter(|r| r.series.len() == "s0001".len())
            .map(old_columns)
            .collect();
        assert!(
            bulletins.len() * 10 > 2000 * 8,
            "{} bulletins",
            bulletins.len()
        );
        for b in &bulletins {
            assert!(
                plain.contains(b),
                "{b:?} differs from the calendar without links"
            );
        }
    }

    #[test]
    fn weekly_series_from_300_releases_leave_the_other_releases_as_they_were() {
        use rand::SeedableRng;
        let calendar = WorkingCalendar::new(2026, 2028, Vec::new());
        for (n, seed, weekly_series) in [(299, 3, 0), (300, 3, 1), (1000, 7, 3), (5000, 1, 13)] {
            let generated = rows(&generate(&options(n, seed)).releases_csv);
            assert_eq!(generated.len(), n);
            let weekly: BTreeSet<&str> = generated
                .iter()
                .filter(|r| r["frequency"] == "weekly")
                .map(|r| r["series"].as_str())
                .collect();
            assert_eq!(weekly.len(), weekly_series, "{n}");
            assert!(weekly.iter().all(|s| s.starts_with('w')));
            // The calendar as written before weekly series existed.
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut links_rng = ChaCha8Rng::seed_from_u64(seed);
            links_rng.set_stream(1);
            let infra = infrastructure::build_infrastructure(n, &mut rng);
            let before: BTreeSet<Vec<String>> = releases::build_releases(
                n,
                2027,
                10,
                &infra,
                &calendar,
                &mut rng,
                Some(&mut links_rng),
            )
            .iter()
            .map(releases::ReleaseRow::fields)
            .collect();
            let header = releases::HEADER;
            for r in generated.iter().filter(|r| r["frequency"] != "weekly") {
                let fields: Vec<String> = header.iter().map(|h| r[*h].clone()).collect();
                assert!(before.contains(&fields), "{n}: {} changed", r["id"]);
            }
            // The infrastructure is drawn before any series, as before.
            let infra_rows: Vec<Vec<String>> = infra.rows.iter().map(|r| r.fields()).collect();
            assert_eq!(
                generate(&options(n, seed)).infrastructure_csv,
                csv_text::to_csv(&infrastructure::HEADER, &infra_rows).unwrap()
            );
        }
    }

    #[test]
    fn a_smaller_infrastructure_gives_fewer_busier_failure_points() {
        let opts = GenerateOptions {
            infrastructure_for: Some(75),
            ..options(800, 12)
        };
        let cal = generate(&opts);
        let infra = rows(&cal.infrastructure_csv);
        assert_eq!(infra.len(), 12);
        let releases = rows(&cal.releases_csv);
        assert_eq!(releases.len(), 800);
        // Every failure point a release names is one of the twelve.
        let ids: std::collections::BTreeSet<&str> =
            infra.iter().map(|r| r["id"].as_str()).collect();
        for r in &releases {
            for dep in r["depends_on"].split(';').filter(|d| !d.is_empty()) {
                assert!(ids.contains(dep), "{dep} is not a generated failure point");
            }
        }
        // The default sizes the infrastructure by the releases: many more points.
        let default = rows(&generate(&options(800, 12)).infrastructure_csv);
        assert!(default.len() > 40, "{}", default.len());
    }

    #[test]
    fn out_of_range_years_are_clamped_not_panicking() {
        let opts = GenerateOptions {
            year: i32::MAX,
            ..options(30, 1)
        };
        assert_eq!(opts.effective_year(), 2199);
        let releases = rows(&generate(&opts).releases_csv);
        assert_eq!(releases.len(), 30);
        assert!(releases.iter().all(|r| r["date"].starts_with("2199-")));
    }

    #[test]
    fn huge_windows_are_capped() {
        let opts = GenerateOptions {
            max_window: u32::MAX,
            ..options(20, 4)
        };
        assert_eq!(
            opts.effective_max_window(),
            GenerateOptions::MAX_WINDOW_LIMIT
        );
        assert_eq!(rows(&generate(&opts).releases_csv).len(), 20);
    }

    #[test]
    fn five_thousand_releases_generate_quickly() {
        let start = Instant::now();
        let cal = generate(&options(5000, 99));
        let elapsed = start.elapsed();
        assert_eq!(cal.releases_csv.lines().count(), 5001);
        // Debug build; a release build is several times faster.
        assert!(elapsed.as_millis() < 1000, "took {elapsed:?}");
    }
}
