//! Synthetic but realistic release calendars for benchmarks (`stagger generate`).
//!
//! A generated year looks like a large producer's calendar: regular monthly,
//! quarterly and annual series; releases bunched on Thursdays and at month and
//! quarter ends; websites that share content management, database and cache servers
//! and hosting providers; one shared DNS service; about one team per 25 releases;
//! about 10% confirmed dates; weights 1 to 3; provisional windows of 2 to
//! `max_window` working days either side. Output is deterministic for a seed
//! (ChaCha8).

mod csv_text;
mod day_rule;
#[cfg(test)]
mod example_data_tests;
mod frequency;
mod infrastructure;
mod releases;
mod series;
mod topics;

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
    // Windows can reach into the neighbouring years.
    let calendar = WorkingCalendar::new(year - 1, year + 1, Vec::new());
    let infrastructure = infrastructure::build_infrastructure(options.releases, &mut rng);
    let releases = releases::build_releases(
        options.releases,
        year,
        options.effective_max_window(),
        &infrastructure,
        &calendar,
        &mut rng,
    );
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
                let floor = max_window.min(2) as i32;
                for side in [before, after] {
                    assert!(side >= floor && side <= max_window as i32, "{side}");
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
