//! Checks that the bundled example calendar (`data/example/`) keeps the shape its
//! README promises: valid references, no confirmed release on a non-working day,
//! one provisional release on a bank holiday, and the 5 August 2027 clash.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{NaiveDate, Weekday};

use crate::calendar::{bank_holidays, Closure, Region, WorkingCalendar};
use crate::model::{FailurePoint, Infrastructure};

const RELEASES: &str = include_str!("../../data/example/releases.csv");
const INFRASTRUCTURE: &str = include_str!("../../data/example/infrastructure.csv");
const CLOSURES: &str = include_str!("../../data/example/closures.csv");

/// Northern Ireland bank holidays of 2027 (days off, substitutes included).
const NI_BANK_HOLIDAYS_2027: [&str; 10] = [
    "2027-01-01",
    "2027-03-17",
    "2027-03-26",
    "2027-03-29",
    "2027-05-03",
    "2027-05-31",
    "2027-07-12",
    "2027-08-30",
    "2027-12-27",
    "2027-12-28",
];

fn rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.to_ascii_lowercase())
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
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn infrastructure() -> Infrastructure {
    let points = rows(INFRASTRUCTURE)
        .iter()
        .map(|r| {
            let deps = ids(&r["depends_on"]);
            let deps: Vec<&str> = deps.iter().map(String::as_str).collect();
            FailurePoint::new(&r["id"], &r["kind"], &deps)
        })
        .collect();
    Infrastructure::new(points).expect("example infrastructure is a valid graph")
}

#[test]
fn references_are_valid_and_sizes_as_documented() {
    let infra = infrastructure();
    assert!((12..=20).contains(&infra.points().len()));
    let teams = infra.points().iter().filter(|p| p.kind == "team").count();
    assert!((3..=5).contains(&teams));
    let releases = rows(RELEASES);
    assert!((60..=90).contains(&releases.len()));
    let unique: BTreeSet<&String> = releases.iter().map(|r| &r["id"]).collect();
    assert_eq!(unique.len(), releases.len());
    for r in &releases {
        for id in ids(&r["depends_on"]).iter().chain(&ids(&r["fallback"])) {
            assert!(infra.index_of(id).is_some(), "{}: unknown {id}", r["id"]);
        }
        assert!(r["region"].parse::<Region>().is_ok(), "{}", r["id"]);
        if !r["earliest"].is_empty() {
            assert!(date(&r["earliest"]) <= date(&r["date"]));
            assert!(date(&r["date"]) <= date(&r["latest"]));
        }
    }
    let confirmed = releases
        .iter()
        .filter(|r| r["status"] == "confirmed")
        .count();
    let share = confirmed as f64 / releases.len() as f64;
    assert!((0.15..=0.25).contains(&share), "confirmed share {share}");
    assert!(releases.iter().any(|r| r["status"] == "cancelled"));
    assert!(releases.iter().any(|r| r["time"] != "09:30"));
    assert!(releases.iter().any(|r| r["weight"] == "3"));
}

#[test]
fn confirmed_releases_are_on_working_days_and_one_provisional_is_on_a_holiday() {
    let closures: Vec<Closure> = rows(CLOSURES)
        .iter()
        .map(|r| Closure {
            date: date(&r["date"]),
            name: r["name"].clone(),
            region: (!r["region"].is_empty()).then(|| r["region"].parse().unwrap()),
        })
        .collect();
    let calendar = WorkingCalendar::new(2027, 2027, closures);
    let holidays: BTreeSet<NaiveDate> = NI_BANK_HOLIDAYS_2027.iter().map(|s| date(s)).collect();
    let mut provisional_on_holiday = 0;
    for r in rows(RELEASES) {
        let d = date(&r["date"]);
        let region: Region = r["region"].parse().unwrap();
        let ni_holiday = region == Region::NorthernIreland && holidays.contains(&d);
        if r["status"] == "confirmed" {
            assert!(calendar.is_working_day(d, region), "{} on {d}", r["id"]);
            assert!(!ni_holiday, "{} on a bank holiday", r["id"]);
        } else if ni_holiday {
            provisional_on_holiday += 1;
        }
        assert!(!matches!(
            chrono::Datelike::weekday(&d),
            Weekday::Sat | Weekday::Sun
        ));
    }
    assert_eq!(provisional_on_holiday, 1);
    // Once the calendar knows NI bank holidays, they must agree with this list.
    let computed: BTreeSet<NaiveDate> = bank_holidays(Region::NorthernIreland, 2027)
        .into_iter()
        .map(|h| h.date)
        .collect();
    if !computed.is_empty() {
        assert_eq!(computed, holidays);
    }
}

#[test]
fn contains_the_august_clash_on_one_website() {
    let infra = infrastructure();
    let clash: Vec<BTreeMap<String, String>> = rows(RELEASES)
        .into_iter()
        .filter(|r| r["date"] == "2027-08-05")
        .collect();
    assert_eq!(clash.len(), 4);
    for r in &clash {
        assert_eq!(r["status"], "provisional");
        assert_eq!(r["time"], "09:30");
        assert!(ids(&r["depends_on"]).contains(&"bso-website".to_string()));
    }
    let website = infra.closure_of(&["bso-website".to_string()]);
    let database = infra.index_of("bso-database").unwrap();
    assert!(website.contains(&database), "database is a separate point");
}
