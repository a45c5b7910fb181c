//! Hard rules between releases: series order and rhythm, `after` links and
//! `together` groups.
//!
//! A [`Link`] says "release `after` goes out at least `min_days` calendar days after
//! release `before`". Series give links between consecutive releases (by date, then
//! id); the `after` column gives links of one day. A [`TogetherGroup`] is published
//! on one day. The rules are described in `docs/objective.md`.

use std::collections::BTreeMap;

use super::{Release, SeriesIndex};

/// How the series rules are applied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeriesRules {
    /// Smallest share of its proposed gap two consecutive releases of a series keep
    /// (0 keeps their order only); in `0.0..=1.0`.
    pub min_gap_ratio: f64,
    /// Lift the weekday rule (weekday-regular series may then change weekday).
    pub any_weekday: bool,
    /// Share of a series' releases (three or more) on one weekday that makes it
    /// weekday-regular (`--weekday-share`, default 0.8, which tolerates bank-holiday weeks; 1: all of them).
    pub weekday_share: f64,
}

impl Default for SeriesRules {
    fn default() -> Self {
        SeriesRules {
            min_gap_ratio: 0.5,
            any_weekday: false,
            weekday_share: 0.8,
        }
    }
}

/// Why two releases are linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkReason {
    /// Consecutive releases of a series (index into [`SeriesIndex::series`]).
    Series(usize),
    /// The later release's `after` column names the earlier one.
    After,
}

/// Release `after` goes out at least `min_days` calendar days after release `before`
/// (0: on the same day or later).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    /// Index of the earlier release.
    pub before: usize,
    /// Index of the later release.
    pub after: usize,
    /// Smallest gap in calendar days.
    pub min_days: i64,
    /// Which rule.
    pub reason: LinkReason,
}

/// Releases published on one day (the `together` column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TogetherGroup {
    /// The column's value (as first written).
    pub name: String,
    /// The non-cancelled releases of the group, in file order.
    pub members: Vec<usize>,
}

/// The smallest calendar-day gap between two consecutive releases of a series that
/// were `proposed_gap` days apart: 0 when they were on one day (their order is
/// kept), else at least 1 and at least `ratio × proposed_gap`, rounded up.
pub fn min_series_gap(proposed_gap: i64, ratio: f64) -> i64 {
    if proposed_gap <= 0 {
        return 0;
    }
    let ratio = if ratio.is_finite() {
        ratio.clamp(0.0, 1.0)
    } else {
        0.0
    };
    // Tolerance so that 0.1 × 30 is 3, not 3.0000000000000004 → 4.
    let scaled = (ratio * proposed_gap as f64 - 1e-9).ceil() as i64;
    scaled.clamp(1, proposed_gap)
}

/// The links of a calendar: consecutive series releases (when `index` has series)
/// and the `after` column. Cancelled releases take part in no link.
pub fn links(releases: &[Release], index: &SeriesIndex, rules: SeriesRules) -> Vec<Link> {
    let mut out = Vec::new();
    for (s, series) in index.series.iter().enumerate() {
        for pair in series.members.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let gap = (releases[b].date - releases[a].date).num_days();
            out.push(Link {
                before: a,
                after: b,
                min_days: min_series_gap(gap, rules.min_gap_ratio),
                reason: LinkReason::Series(s),
            });
        }
    }
    let id_index: BTreeMap<&str, usize> = releases
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    for (b, r) in releases.iter().enumerate() {
        if !r.is_active() {
            continue;
        }
        for id in &r.after {
            if let Some(&a) = id_index.get(id.as_str()) {
                if a != b && releases[a].is_active() {
                    out.push(Link {
                        before: a,
                        after: b,
                        min_days: 1,
                        reason: LinkReason::After,
                    });
                }
            }
        }
    }
    out
}

/// The `together` groups with at least two non-cancelled releases, in order of
/// their first release. Values are compared trimmed and case-insensitively.
pub fn together_groups(releases: &[Release]) -> Vec<TogetherGroup> {
    let mut by_key: BTreeMap<String, usize> = BTreeMap::new();
    let mut groups: Vec<TogetherGroup> = Vec::new();
    for (i, r) in releases.iter().enumerate() {
        let Some(name) = r
            .together
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        else {
            continue;
        };
        if !r.is_active() {
            continue;
        }
        let g = *by_key.entry(name.to_lowercase()).or_insert_with(|| {
            groups.push(TogetherGroup {
                name: name.to_string(),
                members: Vec::new(),
            });
            groups.len() - 1
        });
        groups[g].members.push(i);
    }
    groups.retain(|g| g.members.len() >= 2);
    groups
}

/// A cycle of links (each release must come after the one before it, and the first
/// after the last), or two releases of one `together` group linked with a gap of at
/// least a day: no calendar can satisfy them. Returns the links of one such cycle.
pub fn find_cycle(
    n_releases: usize,
    links: &[Link],
    groups: &[TogetherGroup],
) -> Option<Vec<Link>> {
    // Contract each together group to its first member: a link inside a group with
    // a positive gap is a cycle of length one.
    let mut rep: Vec<usize> = (0..n_releases).collect();
    for g in groups {
        for &m in &g.members {
            rep[m] = g.members[0];
        }
    }
    if let Some(l) = links
        .iter()
        .find(|l| rep[l.before] == rep[l.after] && l.min_days > 0)
    {
        return Some(vec![*l]);
    }
    // Iterative depth-first search on the contracted graph (linear time).
    let mut out_edges: Vec<Vec<usize>> = vec![Vec::new(); n_releases];
    for (k, l) in links.iter().enumerate() {
        if rep[l.before] != rep[l.after] {
            out_edges[rep[l.before]].push(k);
        }
    }
    // 0 = unvisited, 1 = on the stack, 2 = done.
    let mut state = vec![0u8; n_releases];
    let mut via: Vec<Option<usize>> = vec![None; n_releases];
    for start in 0..n_releases {
        if state[start] != 0 || rep[start] != start {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&k) = out_edges[node].get(*next) {
                *next += 1;
                let to = rep[links[k].after];
                match state[to] {
                    0 => {
                        state[to] = 1;
                        via[to] = Some(k);
                        stack.push((to, 0));
                    }
                    1 => {
                        // Walk back from `node` to `to` along the edges taken.
                        let mut cycle = vec![links[k]];
                        let mut at = node;
                        while at != to {
                            let Some(e) = via[at] else { break };
                            cycle.push(links[e]);
                            at = rep[links[e].before];
                        }
                        cycle.reverse();
                        return Some(cycle);
                    }
                    _ => {}
                }
            } else {
                state[node] = 2;
                stack.pop();
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SeriesSource, Status};
    use chrono::NaiveDate;

    fn rel(id: &str, date: &str, series: &str) -> Release {
        let mut r = Release::new(id, NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap());
        r.series = (!series.is_empty()).then(|| series.to_string());
        r
    }

    #[test]
    fn gaps_round_up_and_keep_at_least_a_day() {
        assert_eq!(min_series_gap(7, 0.5), 4);
        assert_eq!(min_series_gap(30, 0.1), 3);
        assert_eq!(min_series_gap(28, 0.5), 14);
        assert_eq!(min_series_gap(7, 0.0), 1, "ratio 0 keeps the order only");
        assert_eq!(min_series_gap(1, 0.5), 1);
        assert_eq!(
            min_series_gap(0, 0.5),
            0,
            "same day: order kept, same day allowed"
        );
        assert_eq!(min_series_gap(10, 1.0), 10);
        assert_eq!(min_series_gap(10, f64::NAN), 1);
    }

    #[test]
    fn series_links_join_consecutive_releases_and_skip_cancelled_ones() {
        let mut releases = vec![
            rel("w2", "2026-01-14", "weekly"),
            rel("w1", "2026-01-07", "weekly"),
            rel("w3", "2026-01-21", "weekly"),
            rel("w4", "2026-01-28", "weekly"),
        ];
        releases[2].status = Status::Cancelled;
        let index = SeriesIndex::build(&releases, true, SeriesSource::Titles);
        let l = links(&releases, &index, SeriesRules::default());
        let pairs: Vec<(usize, usize, i64)> =
            l.iter().map(|l| (l.before, l.after, l.min_days)).collect();
        assert_eq!(pairs, vec![(1, 0, 4), (0, 3, 7)]);
    }

    #[test]
    fn after_links_and_together_groups() {
        let mut releases = vec![
            rel("first", "2026-01-07", ""),
            rel("second", "2026-01-14", ""),
            rel("bulletin", "2026-01-14", ""),
            rel("dataset", "2026-01-14", ""),
        ];
        releases[1].after = vec!["first".into()];
        releases[2].together = Some("GDP Jan".into());
        releases[3].together = Some(" gdp jan ".into());
        let index = SeriesIndex::default();
        let l = links(&releases, &index, SeriesRules::default());
        assert_eq!(l.len(), 1);
        assert_eq!((l[0].before, l[0].after, l[0].min_days), (0, 1, 1));
        let g = together_groups(&releases);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].members, vec![2, 3]);
        assert_eq!(find_cycle(4, &l, &g), None);
    }

    #[test]
    fn cycles_are_found() {
        let link = |before, after, min_days| Link {
            before,
            after,
            min_days,
            reason: LinkReason::After,
        };
        let l = vec![link(0, 1, 1), link(1, 2, 1), link(2, 0, 1), link(3, 4, 1)];
        let c = find_cycle(5, &l, &[]).unwrap();
        assert_eq!(c.len(), 3);
        for w in c.windows(2) {
            assert_eq!(w[0].after, w[1].before);
        }
        assert_eq!(c[2].after, c[0].before);
        // A positive link inside a together group.
        let g = vec![TogetherGroup {
            name: "g".into(),
            members: vec![3, 4],
        }];
        assert_eq!(find_cycle(5, &l[3..], &g), Some(vec![link(3, 4, 1)]));
        // A long chain is not a cycle (and the search is iterative: no stack overflow).
        let chain: Vec<Link> = (0..200_000).map(|i| link(i, i + 1, 1)).collect();
        assert_eq!(find_cycle(200_001, &chain, &[]), None);
    }
}
