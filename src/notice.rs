//! Plain-English change notices for moved releases, ready to publish.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::calendar::WorkingCalendar;
use crate::model::{Infrastructure, Release};
use crate::rules::long_date;

/// Small numbers in words, as a statistician would write them in a notice.
pub fn count_words(n: usize) -> String {
    const WORDS: [&str; 13] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| w.to_string())
}

/// The change notice for release `index` moved from its `date` to `to`.
///
/// Counts over all releases on every call; for the notices of a whole plan use
/// [`ChangeNotices`], which counts once.
pub fn change_notice(
    index: usize,
    releases: &[Release],
    failure_sets: &[Vec<usize>],
    infrastructure: &Infrastructure,
    calendar: &WorkingCalendar,
    scheduled: &[NaiveDate],
) -> String {
    ChangeNotices::new(releases, failure_sets, infrastructure, calendar, scheduled).notice(index)
}

/// The change notices of one plan: the same-day counts they quote are counted once, so
/// writing every notice takes time linear in the releases and their failure points.
pub struct ChangeNotices<'a> {
    releases: &'a [Release],
    failure_sets: &'a [Vec<usize>],
    infrastructure: &'a Infrastructure,
    calendar: &'a WorkingCalendar,
    scheduled: &'a [NaiveDate],
    /// Active releases per (old date of a moved release, failure point), before the plan.
    before: BTreeMap<(NaiveDate, usize), usize>,
    /// The same after the plan.
    after: BTreeMap<(NaiveDate, usize), usize>,
    /// Releases (any status) relying on each failure point.
    users: Vec<usize>,
}

impl<'a> ChangeNotices<'a> {
    /// Counts what the notices of the plan `scheduled` quote.
    pub fn new(
        releases: &'a [Release],
        failure_sets: &'a [Vec<usize>],
        infrastructure: &'a Infrastructure,
        calendar: &'a WorkingCalendar,
        scheduled: &'a [NaiveDate],
    ) -> Self {
        let old_days: BTreeSet<NaiveDate> = releases
            .iter()
            .zip(scheduled)
            .filter(|(r, &to)| r.date != to)
            .map(|(r, _)| r.date)
            .collect();
        let mut before = BTreeMap::new();
        let mut after = BTreeMap::new();
        let mut users = vec![0usize; infrastructure.points().len()];
        for (j, r) in releases.iter().enumerate() {
            let set = failure_sets.get(j).map_or(&[][..], Vec::as_slice);
            for &c in set {
                if let Some(u) = users.get_mut(c) {
                    *u += 1;
                }
            }
            if !r.is_active() {
                continue;
            }
            for (counts, day) in [(&mut before, r.date), (&mut after, scheduled[j])] {
                if old_days.contains(&day) {
                    for &c in set {
                        *counts.entry((day, c)).or_insert(0) += 1;
                    }
                }
            }
        }
        ChangeNotices {
            releases,
            failure_sets,
            infrastructure,
            calendar,
            scheduled,
            before,
            after,
            users,
        }
    }

    /// The notice of release `index` (moved from its `date` to its scheduled date).
    ///
    /// It names the failure point whose same-day count on the old date fell the most
    /// (ties: one the release depends on directly, then the one fewest releases rely on,
    /// then input order), e.g. "Moved from Thursday
    /// 6 August 2020 to Tuesday 11 August 2020 so that a single failure of the BSO website
    /// database server cannot delay more than one release that day (it would have delayed
    /// four)." A release moved off a non-working day says so instead.
    pub fn notice(&self, index: usize) -> String {
        let r = &self.releases[index];
        let from = r.date;
        let to = self.scheduled[index];
        let head = format!("Moved from {} to {}", long_date(from), long_date(to));
        if let Some(why) = self.calendar.non_working_reason(from, r.region) {
            return format!(
                "{head} because {} is {}, and releases go out on working days only.",
                long_date(from),
                why.describe(r.region)
            );
        }
        if r.earliest.is_some_and(|e| from < e) || r.latest.is_some_and(|l| from > l) {
            return format!("{head} to bring it inside its own window of allowed dates.");
        }
        // Same-day counts on the old date, before and after the plan, per failure point.
        let count = |counts: &BTreeMap<(NaiveDate, usize), usize>, c: usize| {
            counts.get(&(from, c)).copied().unwrap_or(0)
        };
        let users = |c: usize| self.users.get(c).copied().unwrap_or(0);
        // Among the failure points whose load on the old day fell the most, name the one
        // the release is published through directly (its website rather than the DNS
        // under everything), then the most specific one (fewest releases rely on it).
        let own = &self.failure_sets[index];
        let direct = |c: usize| {
            r.depends_on
                .iter()
                .any(|id| *id == self.infrastructure.point(c).id)
        };
        // (count drop, direct dependency, fewest users) → best first.
        type Key = (usize, bool, std::cmp::Reverse<usize>);
        let mut best: Option<(Key, usize, usize)> = None; // (key, before, c)
        for &c in own {
            let before = count(&self.before, c);
            let after = count(&self.after, c);
            let key = (
                before.saturating_sub(after),
                direct(c),
                std::cmp::Reverse(users(c)),
            );
            // Strictly better only: ties keep the earlier failure point (input order).
            if best.is_none_or(|(k, _, _)| key > k) {
                best = Some((key, before, c));
            }
        }
        match best {
            Some((_, before, c)) if before >= 2 => {
                let after = count(&self.after, c);
                let name = &self.infrastructure.point(c).name;
                let limit = if after <= 1 {
                    "more than one release".to_string()
                } else {
                    format!("more than {} releases", count_words(after))
                };
                format!(
                    "{head} so that a single failure of the {name} cannot delay {limit} that day (it would have delayed {}).",
                    count_words(before)
                )
            }
            Some((_, _, c)) => format!(
                "{head} to spread the releases that rely on the {} more evenly, so that one failure delays fewer releases together.",
                self.infrastructure.point(c).name
            ),
            None => format!("{head}."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Region;
    use crate::model::FailurePoint;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn rel(id: &str, date: &str) -> Release {
        let mut r = Release::new(id, d(date)).depending_on(&["web"]);
        r.region = Region::NorthernIreland;
        r
    }

    #[test]
    fn the_six_august_notice() {
        // Two websites on one database server; four releases on one day.
        let mut db = FailurePoint::new("db", "database", &[]);
        db.name = "BSO website database server".into();
        let infra = Infrastructure::new(vec![
            FailurePoint::new("web1", "website", &["db"]),
            FailurePoint::new("web2", "website", &["db"]),
            db,
        ])
        .unwrap();
        let mut rels: Vec<Release> = ["a", "b", "c", "e"]
            .iter()
            .map(|i| rel(i, "2020-08-06"))
            .collect();
        rels[0].depends_on = vec!["web1".into()];
        rels[1].depends_on = vec!["web1".into()];
        rels[2].depends_on = vec!["web2".into()];
        rels[3].depends_on = vec!["web2".into()];
        let sets: Vec<Vec<usize>> = rels
            .iter()
            .map(|r| infra.closure_of(&r.depends_on))
            .collect();
        let sched = vec![
            d("2020-08-06"),
            d("2020-08-11"),
            d("2020-08-07"),
            d("2020-08-10"),
        ];
        let cal = WorkingCalendar::new(2020, 2020, vec![]);
        assert_eq!(
            change_notice(1, &rels, &sets, &infra, &cal, &sched),
            "Moved from Thursday 6 August 2020 to Tuesday 11 August 2020 so that a single failure of the \
             BSO website database server cannot delay more than one release that day (it would have delayed four)."
        );
    }

    #[test]
    fn names_the_direct_dependency_over_shared_layers_below_it() {
        let infra = Infrastructure::new(vec![
            FailurePoint::new("web", "website", &["dns"]),
            FailurePoint::new("dns", "dns", &[]),
        ])
        .unwrap();
        let rels: Vec<Release> = ["a", "b"].iter().map(|i| rel(i, "2020-08-06")).collect();
        let sets: Vec<Vec<usize>> = rels
            .iter()
            .map(|r| infra.closure_of(&r.depends_on))
            .collect();
        let cal = WorkingCalendar::new(2020, 2020, vec![]);
        let n = change_notice(
            1,
            &rels,
            &sets,
            &infra,
            &cal,
            &[d("2020-08-06"), d("2020-08-07")],
        );
        assert!(
            n.contains("a single failure of the web cannot delay more than one release"),
            "{n}"
        );
    }

    #[test]
    fn weekend_notice() {
        let infra = Infrastructure::new(vec![FailurePoint::new("web", "website", &[])]).unwrap();
        let rels = vec![rel("a", "2020-08-08")];
        let sets = vec![vec![0]];
        let cal = WorkingCalendar::new(2020, 2020, vec![]);
        let n = change_notice(0, &rels, &sets, &infra, &cal, &[d("2020-08-10")]);
        assert!(
            n.contains("because Saturday 8 August 2020 is a weekend day"),
            "{n}"
        );
    }
}
