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

/// Release classes under the `together` groups: `rep[i]` is the first member of
/// `i`'s group, or `i`.
fn group_reps(n_releases: usize, groups: &[TogetherGroup]) -> Vec<usize> {
    let mut rep: Vec<usize> = (0..n_releases).collect();
    for g in groups {
        for &m in &g.members {
            rep[m] = g.members[0];
        }
    }
    rep
}

/// Strongly connected components of the graph whose nodes are `rep` classes and
/// whose edges are `links` (iterative Tarjan, linear time): `comp[i]` for every
/// release `i` (releases of one class share it).
fn components(n_releases: usize, links: &[Link], rep: &[usize]) -> Vec<usize> {
    let mut out_edges: Vec<Vec<usize>> = vec![Vec::new(); n_releases];
    for l in links {
        if rep[l.before] != rep[l.after] {
            out_edges[rep[l.before]].push(rep[l.after]);
        }
    }
    const UNSEEN: usize = usize::MAX;
    let mut index = vec![UNSEEN; n_releases];
    let mut low = vec![0usize; n_releases];
    let mut on_stack = vec![false; n_releases];
    let mut comp = vec![UNSEEN; n_releases];
    let mut stack: Vec<usize> = Vec::new();
    let mut next_index = 0;
    for start in 0..n_releases {
        if rep[start] != start || index[start] != UNSEEN {
            continue;
        }
        let mut calls: Vec<(usize, usize)> = vec![(start, 0)];
        index[start] = next_index;
        low[start] = next_index;
        next_index += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some(&mut (node, ref mut next)) = calls.last_mut() {
            if let Some(&to) = out_edges[node].get(*next) {
                *next += 1;
                if index[to] == UNSEEN {
                    index[to] = next_index;
                    low[to] = next_index;
                    next_index += 1;
                    stack.push(to);
                    on_stack[to] = true;
                    calls.push((to, 0));
                } else if on_stack[to] {
                    low[node] = low[node].min(index[to]);
                }
            } else {
                calls.pop();
                if let Some(&(parent, _)) = calls.last() {
                    low[parent] = low[parent].min(low[node]);
                }
                if low[node] == index[node] {
                    while let Some(m) = stack.pop() {
                        on_stack[m] = false;
                        comp[m] = node;
                        if m == node {
                            break;
                        }
                    }
                }
            }
        }
    }
    (0..n_releases).map(|i| comp[rep[i]]).collect()
}

/// Releases the rules put on one day: each `together` group, joined with every
/// release tied to it by a cycle of links that all allow the same day (for example
/// three releases of a series proposed on one day whose first and last are
/// published together: each must be on or after the one before, so all share a
/// day). Blocks of two or more releases, each in index order, ordered by their
/// first release. A cycle with a positive gap is a contradiction ([`find_cycle`]).
pub fn same_day_blocks(
    n_releases: usize,
    links: &[Link],
    groups: &[TogetherGroup],
) -> Vec<Vec<usize>> {
    let rep = group_reps(n_releases, groups);
    let comp = components(n_releases, links, &rep);
    let mut by_comp: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &c) in comp.iter().enumerate() {
        by_comp.entry(c).or_default().push(i);
    }
    let mut blocks: Vec<Vec<usize>> = by_comp.into_values().filter(|m| m.len() >= 2).collect();
    blocks.sort();
    blocks
}

/// A cycle of links with a positive gap somewhere (each release must come on or
/// after the one before it, one of them strictly later, and the first after the
/// last), or two releases of one `together` group linked with a gap of at least a
/// day: no calendar can satisfy them. Returns the links of one such cycle. Cycles
/// whose links all allow the same day are not contradictions: they tie their
/// releases to one day ([`same_day_blocks`]).
pub fn find_cycle(
    n_releases: usize,
    links: &[Link],
    groups: &[TogetherGroup],
) -> Option<Vec<Link>> {
    let rep = group_reps(n_releases, groups);
    // A positive link inside a together group is a cycle of length one.
    if let Some(l) = links
        .iter()
        .find(|l| rep[l.before] == rep[l.after] && l.min_days > 0)
    {
        return Some(vec![*l]);
    }
    let comp = components(n_releases, links, &rep);
    let positive = links
        .iter()
        .find(|l| comp[l.before] == comp[l.after] && l.min_days > 0)?;
    // Close the cycle: a shortest path of links inside the component from the
    // positive link's later release back to its earlier one (breadth first on the
    // group classes).
    let c = comp[positive.before];
    let mut out_edges: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (k, l) in links.iter().enumerate() {
        if comp[l.before] == c && comp[l.after] == c && rep[l.before] != rep[l.after] {
            out_edges.entry(rep[l.before]).or_default().push(k);
        }
    }
    let from = rep[positive.after];
    let to = rep[positive.before];
    let mut via: BTreeMap<usize, usize> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([from]);
    let mut seen = std::collections::BTreeSet::from([from]);
    while let Some(node) = queue.pop_front() {
        if node == to {
            break;
        }
        for &k in out_edges.get(&node).map(Vec::as_slice).unwrap_or(&[]) {
            let next = rep[links[k].after];
            if seen.insert(next) {
                via.insert(next, k);
                queue.push_back(next);
            }
        }
    }
    let mut path = Vec::new();
    let mut at = to;
    while at != from {
        let k = via[&at];
        path.push(links[k]);
        at = rep[links[k].before];
    }
    path.reverse();
    let mut cycle = vec![*positive];
    cycle.extend(path);
    Some(cycle)
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
        // A cycle through a together group whose links all allow the same day is no
        // contradiction: it ties its releases to one day.
        let zero = vec![link(0, 1, 0), link(1, 2, 0)];
        let ends = vec![TogetherGroup {
            name: "g".into(),
            members: vec![0, 2],
        }];
        assert_eq!(find_cycle(3, &zero, &ends), None);
        assert_eq!(same_day_blocks(3, &zero, &ends), vec![vec![0, 1, 2]]);
        // With one positive gap on the way it is, and the cycle closes.
        let mixed = vec![link(0, 1, 0), link(1, 2, 1), link(3, 4, 0)];
        let c = find_cycle(5, &mixed, &ends).unwrap();
        assert_eq!(c, vec![link(1, 2, 1), link(0, 1, 0)]);
        // Without a cycle a together group is a block on its own.
        assert_eq!(same_day_blocks(5, &mixed[2..], &ends), vec![vec![0, 2]]);
        // A long chain is not a cycle (and the search is iterative: no stack overflow).
        let chain: Vec<Link> = (0..200_000).map(|i| link(i, i + 1, 1)).collect();
        assert_eq!(find_cycle(200_001, &chain, &[]), None);
        assert!(same_day_blocks(200_001, &chain, &[]).is_empty());
    }
}
