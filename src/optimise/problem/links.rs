//! Precedence links between items (series order and rhythm, `after` columns):
//! the adjacency the searches consult, and bounds propagation.
//!
//! A link `before → after` with gap `g` requires
//! `num(day(after)) − num(day(before)) >= g`, `num` the calendar day number of an
//! axis day. For such difference
//! constraints, bounds propagation is complete: a value `v` of `before` has a
//! support in `after` exactly when `v + g <= max(after)`, and a value `w` of `after`
//! exactly when `min(before) <= w − g`. At the fixpoint every item placed on its
//! lowest remaining candidate satisfies every link, so a propagated instance with
//! no empty domain is feasible, and placing items one by one while propagating
//! after each placement never dead-ends.

use crate::optimise::instance::Instance;

/// Incoming and outgoing links of every item (compressed rows).
#[derive(Debug, Clone, Default)]
pub(crate) struct LinkGraph {
    pred_start: Vec<usize>,
    /// `(item, min_days)` of the links into each item.
    preds: Vec<(u32, i64)>,
    succ_start: Vec<usize>,
    /// `(item, min_days)` of the links out of each item.
    succs: Vec<(u32, i64)>,
}

impl LinkGraph {
    /// The adjacency of `instance.links` (links naming unknown items are ignored;
    /// the engine validates them first).
    pub(crate) fn new(instance: &Instance) -> LinkGraph {
        let n = instance.items.len();
        if instance.links.is_empty() {
            return LinkGraph::default();
        }
        let valid = || {
            instance
                .links
                .iter()
                .filter(move |l| (l.before as usize) < n && (l.after as usize) < n)
        };
        let mut pred_count = vec![0usize; n + 1];
        let mut succ_count = vec![0usize; n + 1];
        for l in valid() {
            pred_count[l.after as usize + 1] += 1;
            succ_count[l.before as usize + 1] += 1;
        }
        for i in 0..n {
            pred_count[i + 1] += pred_count[i];
            succ_count[i + 1] += succ_count[i];
        }
        let mut preds = vec![(0u32, 0i64); pred_count[n]];
        let mut succs = vec![(0u32, 0i64); succ_count[n]];
        let mut pred_fill = pred_count.clone();
        let mut succ_fill = succ_count.clone();
        for l in valid() {
            let a = l.after as usize;
            preds[pred_fill[a]] = (l.before, l.min_days);
            pred_fill[a] += 1;
            let b = l.before as usize;
            succs[succ_fill[b]] = (l.after, l.min_days);
            succ_fill[b] += 1;
        }
        LinkGraph {
            pred_start: pred_count,
            preds,
            succ_start: succ_count,
            succs,
        }
    }

    /// Whether there are no links at all.
    pub(crate) fn is_empty(&self) -> bool {
        self.preds.is_empty()
    }

    /// Links into item `i`: `(earlier item, min_days)`.
    pub(crate) fn preds(&self, i: usize) -> &[(u32, i64)] {
        match (self.pred_start.get(i), self.pred_start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.preds[a..b],
            _ => &[],
        }
    }

    /// Links out of item `i`: `(later item, min_days)`.
    pub(crate) fn succs(&self, i: usize) -> &[(u32, i64)] {
        match (self.succ_start.get(i), self.succ_start.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.succs[a..b],
            _ => &[],
        }
    }

    /// Whether item `i` on axis day `day` keeps every link to the items that have a
    /// day (`day_of(j)` is `None` for items without one).
    pub(crate) fn allows(
        &self,
        instance: &Instance,
        i: usize,
        day: u32,
        day_of: impl Fn(usize) -> Option<u32>,
    ) -> bool {
        if self.is_empty() {
            return true;
        }
        let num = instance.day_number(day);
        self.preds(i)
            .iter()
            .all(|&(j, g)| day_of(j as usize).is_none_or(|d| num - instance.day_number(d) >= g))
            && self
                .succs(i)
                .iter()
                .all(|&(j, g)| day_of(j as usize).is_none_or(|d| instance.day_number(d) - num >= g))
    }
}

/// Candidate-index bounds per item: item `i` may use candidates `lo[i] ..= hi[i]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Domains {
    pub(crate) lo: Vec<usize>,
    pub(crate) hi: Vec<usize>,
    /// Scratch: items in the propagation queue.
    queued: Vec<bool>,
    /// The item that last raised each lower bound / lowered each upper bound
    /// (`u32::MAX`: none), for explaining conflicts.
    raised_by: Vec<u32>,
    lowered_by: Vec<u32>,
}

/// Why propagation failed: the item whose domain became empty, with the chains of
/// links that pushed its lower bound up and its upper bound down (each a list of
/// item indices from the origin of the push to the item).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkConflict {
    /// The item left without a day.
    pub item: usize,
    /// Items whose placement forces the item late, earliest first, ending with it.
    pub pushed_late_by: Vec<usize>,
    /// Items whose placement forces the item early, latest first, ending with it.
    pub pushed_early_by: Vec<usize>,
}

impl Domains {
    /// Every candidate of every item.
    pub(crate) fn full(instance: &Instance) -> Domains {
        let n = instance.items.len();
        Domains {
            lo: vec![0; n],
            hi: instance
                .items
                .iter()
                .map(|it| it.candidates.len().saturating_sub(1))
                .collect(),
            queued: vec![false; n],
            raised_by: vec![u32::MAX; n],
            lowered_by: vec![u32::MAX; n],
        }
    }

    /// Fixes item `i` to candidate `k` and propagates; on a conflict the domains are
    /// left as they were when it was found.
    pub(crate) fn fix(
        &mut self,
        instance: &Instance,
        graph: &LinkGraph,
        i: usize,
        k: usize,
    ) -> Result<(), LinkConflict> {
        self.lo[i] = k;
        self.hi[i] = k;
        self.propagate(instance, graph, [i])
    }

    /// Propagates the links from the items in `changed` until nothing changes.
    /// Effort is linear in the candidates removed (each removal is counted once).
    pub(crate) fn propagate(
        &mut self,
        instance: &Instance,
        graph: &LinkGraph,
        changed: impl IntoIterator<Item = usize>,
    ) -> Result<(), LinkConflict> {
        let n = instance.items.len();
        let mut queue: std::collections::VecDeque<usize> = Default::default();
        for i in changed {
            if i < n && !self.queued[i] {
                self.queued[i] = true;
                queue.push_back(i);
            }
        }
        let result = self.run(instance, graph, &mut queue);
        for i in queue {
            self.queued[i] = false;
        }
        result
    }

    fn run(
        &mut self,
        instance: &Instance,
        graph: &LinkGraph,
        queue: &mut std::collections::VecDeque<usize>,
    ) -> Result<(), LinkConflict> {
        let num = |i: usize, k: usize| instance.day_number(instance.items[i].candidates[k].day);
        while let Some(a) = queue.pop_front() {
            self.queued[a] = false;
            if self.lo[a] > self.hi[a] {
                return Err(self.conflict(a));
            }
            let earliest = num(a, self.lo[a]);
            let latest = num(a, self.hi[a]);
            for &(b, g) in graph.succs(a) {
                let b = b as usize;
                let cands = &instance.items[b].candidates;
                let mut lo = self.lo[b];
                while lo <= self.hi[b] && lo < cands.len() && num(b, lo) < earliest + g {
                    lo += 1;
                }
                if lo != self.lo[b] {
                    self.lo[b] = lo;
                    self.raised_by[b] = a as u32;
                    if self.lo[b] > self.hi[b] {
                        return Err(self.conflict(b));
                    }
                    if !self.queued[b] {
                        self.queued[b] = true;
                        queue.push_back(b);
                    }
                }
            }
            for &(b, g) in graph.preds(a) {
                let b = b as usize;
                let mut hi = self.hi[b];
                while hi >= self.lo[b] && num(b, hi) > latest - g {
                    if hi == 0 {
                        self.lo[b] = 1;
                        break;
                    }
                    hi -= 1;
                }
                if hi != self.hi[b] || self.lo[b] > self.hi[b] {
                    self.hi[b] = hi;
                    self.lowered_by[b] = a as u32;
                    if self.lo[b] > self.hi[b] {
                        return Err(self.conflict(b));
                    }
                    if !self.queued[b] {
                        self.queued[b] = true;
                        queue.push_back(b);
                    }
                }
            }
        }
        Ok(())
    }

    fn conflict(&self, item: usize) -> LinkConflict {
        let (raised_by, lowered_by) = (&self.raised_by, &self.lowered_by);
        let chain = |by: &[u32]| {
            let mut chain = vec![item];
            let mut at = item;
            while let Some(&p) = by.get(at) {
                if p == u32::MAX || chain.contains(&(p as usize)) || chain.len() > 50 {
                    break;
                }
                at = p as usize;
                chain.push(at);
            }
            chain.reverse();
            chain
        };
        LinkConflict {
            item,
            pushed_late_by: chain(raised_by),
            pushed_early_by: chain(lowered_by),
        }
    }
}

/// The instance with every candidate that no plan keeping the links can use
/// removed (bounds propagation to the fixpoint), or the conflict that makes the
/// links unsatisfiable. Without links the instance is returned unchanged.
pub fn prune_by_links(instance: &Instance) -> Result<Instance, LinkConflict> {
    if instance.links.is_empty() {
        return Ok(instance.clone());
    }
    let graph = LinkGraph::new(instance);
    let mut domains = Domains::full(instance);
    if let Some(i) = instance
        .items
        .iter()
        .position(|it| it.candidates.is_empty())
    {
        return Err(LinkConflict {
            item: i,
            pushed_late_by: vec![i],
            pushed_early_by: vec![i],
        });
    }
    domains.propagate(instance, &graph, 0..instance.items.len())?;
    let mut pruned = instance.clone();
    for (i, item) in pruned.items.iter_mut().enumerate() {
        let (lo, hi) = (domains.lo[i], domains.hi[i]);
        if lo == 0 && hi + 1 == item.candidates.len() {
            continue;
        }
        if let Some(b) = item.block.as_mut() {
            b.moves = b
                .moves
                .get(lo..=hi)
                .map(<[u32]>::to_vec)
                .unwrap_or_default();
        }
        item.candidates = item.candidates[lo..=hi].to_vec();
    }
    Ok(pruned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimise::instance::{Candidate, Item, Link};

    fn item(days: &[u32]) -> Item {
        Item::single(
            1000,
            vec![0],
            days.iter()
                .map(|&day| Candidate { day, shift: 0 })
                .collect(),
            days.first().copied(),
        )
    }

    fn chain(items: Vec<Item>, gaps: &[i64]) -> Instance {
        Instance {
            n_days: 30,
            components: vec![crate::optimise::Component {
                window: 1,
                risk: 0.0,
                multiplicity: 1,
            }],
            links: gaps
                .iter()
                .enumerate()
                .map(|(i, &g)| Link {
                    before: i as u32,
                    after: i as u32 + 1,
                    min_days: g,
                })
                .collect(),
            items,
            ..Default::default()
        }
    }

    #[test]
    fn propagation_cuts_both_ends() {
        // a in 0..=10, b in 0..=10, c in 0..=10; b >= a + 4, c >= b + 4.
        let days: Vec<u32> = (0..=10).collect();
        let instance = chain(vec![item(&days), item(&days), item(&days)], &[4, 4]);
        let pruned = prune_by_links(&instance).unwrap();
        let span = |i: usize| {
            let c = &pruned.items[i].candidates;
            (c[0].day, c[c.len() - 1].day)
        };
        assert_eq!(span(0), (0, 2));
        assert_eq!(span(1), (4, 6));
        assert_eq!(span(2), (8, 10));
    }

    #[test]
    fn day_numbers_measure_calendar_gaps() {
        // Axis days are Mondays and Fridays: numbers 0, 4, 7, 11.
        let mut instance = chain(vec![item(&[0, 1, 2, 3]), item(&[0, 1, 2, 3])], &[5]);
        instance.day_numbers = vec![0, 4, 7, 11];
        let pruned = prune_by_links(&instance).unwrap();
        assert_eq!(
            pruned.items[0]
                .candidates
                .iter()
                .map(|c| c.day)
                .collect::<Vec<_>>(),
            vec![0, 1]
        );
        assert_eq!(
            pruned.items[1]
                .candidates
                .iter()
                .map(|c| c.day)
                .collect::<Vec<_>>(),
            vec![2, 3]
        );
        let graph = LinkGraph::new(&pruned);
        assert!(graph.allows(&pruned, 1, 2, |j| (j == 0).then_some(0)));
        assert!(!graph.allows(&pruned, 1, 2, |j| (j == 0).then_some(1)));
    }

    #[test]
    fn conflicts_name_the_chain() {
        // c is fixed on day 5 but must come 4 days after b, which is 4 after a >= 0.
        let days: Vec<u32> = (0..=10).collect();
        let instance = chain(vec![item(&days), item(&days), item(&[5])], &[4, 4]);
        let conflict = prune_by_links(&instance).unwrap_err();
        assert!(conflict.pushed_late_by.len() >= 2 || conflict.pushed_early_by.len() >= 2);
        assert!([0usize, 1, 2].contains(&conflict.item));
    }

    #[test]
    fn a_long_chain_propagates_in_linear_time() {
        let n = 20_000;
        let items: Vec<Item> = (0..n).map(|i| item(&[i as u32, i as u32 + 1])).collect();
        let mut instance = chain(items, &vec![1; n - 1]);
        instance.n_days = n + 2;
        let pruned = prune_by_links(&instance).unwrap();
        assert_eq!(pruned.items.len(), n);
    }
}

#[cfg(test)]
mod solve_tests {
    use crate::optimise::instance::{Candidate, Instance, Item, Link};
    use crate::optimise::{solve, SolveOptions};

    #[test]
    fn a_link_the_input_breaks_is_kept_even_without_failure_points() {
        let item = |p: u32| {
            Item::single(
                1000,
                vec![],
                (0..3)
                    .map(|day| Candidate {
                        day,
                        shift: day.abs_diff(p),
                    })
                    .collect(),
                Some(p),
            )
        };
        let instance = Instance {
            n_days: 3,
            components: vec![],
            items: vec![item(1), item(1)],
            links: vec![Link {
                before: 1,
                after: 0,
                min_days: 1,
            }],
            day_numbers: vec![0, 1, 2],
        };
        let s = solve(&instance, &SolveOptions::default()).unwrap();
        assert!(s.days[0] > s.days[1], "{:?}", s.days);
    }
}
