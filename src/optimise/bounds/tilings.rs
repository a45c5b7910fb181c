//! Lower bounds for every lexicographic stage, on any independent set of items.
//!
//! All bounds use a *block tiling* of the day axis for a component of window `w`:
//! for an offset `r` in `0..w`, the blocks `[0, r-1]`, `[r, r+w-1]`, `[r+w, r+2w-1]`, ...
//! are disjoint and each is exactly the day range of one window cell, so every item of
//! the component lands in exactly one block, and each block's load and count are those
//! of a real cell. Proof sketches are in `docs/engine.md`.

use std::collections::BTreeMap;

use crate::optimise::deadline::{Deadline, Work};
use crate::optimise::instance::Instance;
use crate::optimise::objective::risk_units;

/// Per-component view of the items of a set: (first candidate day, last candidate day, weight, item).
pub(crate) struct Span {
    pub(crate) lo: u32,
    pub(crate) hi: u32,
    pub(crate) weight: u64,
    pub(crate) item: usize,
}

pub(crate) fn spans_by_component(instance: &Instance, items: &[usize]) -> Vec<Vec<Span>> {
    let mut spans: Vec<Vec<Span>> = (0..instance.components.len()).map(|_| Vec::new()).collect();
    for &i in items {
        let item = &instance.items[i];
        let (Some(first), Some(last)) = (item.candidates.first(), item.candidates.last()) else {
            continue;
        };
        for (j, &c) in item.components.iter().enumerate() {
            if let Some(list) = spans.get_mut(c as usize) {
                list.push(Span {
                    lo: first.day,
                    hi: last.day,
                    weight: item.weight_on(j),
                    item: i,
                });
            }
        }
    }
    spans
}

pub(crate) fn block_of(day: u32, window: usize, offset: usize) -> usize {
    (day as usize + window - offset) / window
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Smallest multiple of `step` that is at least `value`.
fn round_up(value: u64, step: u64) -> u64 {
    if step <= 1 {
        value
    } else {
        value.div_ceil(step) * step
    }
}

/// The minimum of `sum n_b (n_b - 1) / 2` over `k` blocks holding `m` items in total.
pub(crate) fn spread_pairs(m: u64, k: u64) -> u64 {
    if k == 0 {
        return 0;
    }
    let q = m / k;
    let r = m % k;
    r * (q + 1) * q / 2 + (k - r) * q * q.saturating_sub(1) / 2
}

/// `m(a, b)` tables: number and weight of spans whose blocks lie within `[a, b]`, over
/// the blocks from the first span's first block to the last span's last block (blocks
/// outside hold no item, so they add nothing to any bound: memory and time follow the
/// component's own range, not the axis).
pub(crate) struct BlockTable {
    pub(crate) n_blocks: usize,
    /// Absolute index of block 0 of the table.
    first: usize,
    window: usize,
    offset: usize,
    /// `count[a * n + b]`, `weight[a * n + b]` for spans with lo-block a, hi-block b.
    count: Vec<u64>,
    weight: Vec<u64>,
}

impl BlockTable {
    /// The table of `spans` (at least one) for the tiling of `window` at `offset`.
    pub(crate) fn new(spans: &[Span], window: usize, offset: usize) -> Self {
        let first = spans
            .iter()
            .map(|s| block_of(s.lo, window, offset))
            .min()
            .unwrap_or(0);
        let last = spans
            .iter()
            .map(|s| block_of(s.hi, window, offset))
            .max()
            .unwrap_or(0);
        let n_blocks = last - first + 1;
        let mut count = vec![0; n_blocks * n_blocks];
        let mut weight = vec![0; n_blocks * n_blocks];
        for span in spans {
            let a = block_of(span.lo, window, offset) - first;
            let b = block_of(span.hi, window, offset) - first;
            count[a * n_blocks + b] += 1;
            weight[a * n_blocks + b] += span.weight;
        }
        BlockTable {
            n_blocks,
            first,
            window,
            offset,
            count,
            weight,
        }
    }

    /// The table's block holding `day` (clamped to the table).
    pub(crate) fn block(&self, day: u32) -> usize {
        block_of(day, self.window, self.offset)
            .saturating_sub(self.first)
            .min(self.n_blocks.saturating_sub(1))
    }

    /// Calls `f(a, b, items within, weight within)` for all block intervals, `b` ascending
    /// and for each `b`, `a` descending.
    pub(crate) fn for_each_interval(&self, mut f: impl FnMut(usize, usize, u64, u64)) {
        let n = self.n_blocks;
        let mut column_count = vec![0u64; n];
        let mut column_weight = vec![0u64; n];
        for b in 0..n {
            for a in 0..=b {
                column_count[a] += self.count[a * n + b];
                column_weight[a] += self.weight[a * n + b];
            }
            let mut running_count = 0;
            let mut running_weight = 0;
            for a in (0..=b).rev() {
                running_count += column_count[a];
                running_weight += column_weight[a];
                f(a, b, running_count, running_weight);
            }
        }
    }

    /// Max over partitions of the blocks into intervals of the sum of `value(m, k)`.
    fn partition_dp(&self, value: impl Fn(u64, u64) -> u64) -> u64 {
        let n = self.n_blocks;
        // best[b + 1] = best over partitions of blocks 0..=b.
        let mut best = vec![0u64; n + 1];
        let mut current_b = 0usize;
        let mut candidate = 0u64;
        self.for_each_interval(|a, b, m, _| {
            if b != current_b {
                best[current_b + 1] = best[current_b + 1].max(best[current_b]).max(candidate);
                current_b = b;
                candidate = 0;
            }
            candidate = candidate.max(best[a] + value(m, (b - a + 1) as u64));
        });
        if n > 0 {
            best[current_b + 1] = best[current_b + 1].max(best[current_b]).max(candidate);
        }
        best[n]
    }
}

fn window_offsets(window: usize) -> std::ops::Range<usize> {
    0..window
}

/// Lower bound on the peak over the items (an independent set of items).
///
/// Interval bound: for every component, block tiling and block interval `[a, b]`, the items
/// whose candidates all lie in those blocks put their total weight `W` on `b - a + 1` cells,
/// so some cell carries at least `ceil(W / (b - a + 1))`, rounded up to a multiple of the
/// gcd of the component's weights. Single-item bound: each item on its best day, together
/// with the fixed items' loads there.
///
/// Every term is a valid bound on its own, so a run cut short by `deadline` returns the
/// largest found so far (still a valid bound).
pub(crate) fn peak_lower_bound(instance: &Instance, items: &[usize], deadline: &Deadline) -> u64 {
    if deadline.expired() {
        return 0;
    }
    let spans = spans_by_component(instance, items);
    let mut bound = 0u64;
    for (c, spans) in spans.iter().enumerate() {
        if spans.is_empty() {
            continue;
        }
        let step = spans.iter().fold(0, |g, s| gcd(g, s.weight));
        let window = instance.components[c].window.max(1) as usize;
        for offset in window_offsets(window) {
            if deadline.expired() {
                return bound.max(single_item_bound(instance, items, deadline));
            }
            let table = BlockTable::new(spans, window, offset);
            table.for_each_interval(|a, b, _, w| {
                let k = (b - a + 1) as u64;
                bound = bound.max(round_up(w.div_ceil(k), step));
            });
        }
    }
    bound.max(single_item_bound(instance, items, deadline))
}

/// The highest load some item must meet wherever it goes: its own weight on top of the
/// fixed items' load. Once `deadline` has passed it returns 0 (still a bound): on a
/// calendar whose items touch thousands of failure points it is not cheap.
fn single_item_bound(instance: &Instance, items: &[usize], deadline: &Deadline) -> u64 {
    let mut work = Work::new(u64::MAX, deadline);
    // Fixed loads per (component, window-end day), only where fixed items are.
    let mut fixed: BTreeMap<(u32, u32), u64> = BTreeMap::new();
    let window = |c: u32| {
        instance
            .components
            .get(c as usize)
            .map_or(1, |component| component.window.max(1))
    };
    for &i in items {
        let item = &instance.items[i];
        if item.is_fixed() {
            let day = item.candidates[0].day;
            if !work.spend(item.components.len() as u64) {
                return 0;
            }
            for (j, &c) in item.components.iter().enumerate() {
                for d in day..day + window(c) {
                    *fixed.entry((c, d)).or_insert(0) += item.weight_on(j);
                }
            }
        }
    }
    let mut bound = 0;
    let mut nearby: Vec<(u32, u64)> = Vec::new();
    for &i in items {
        let item = &instance.items[i];
        let (Some(first), Some(last)) = (item.candidates.first(), item.candidates.last()) else {
            continue;
        };
        if !work.spend(item.components.len() as u64) {
            return 0;
        }
        // Per candidate, the highest load it meets: its weight on top of the fixed load of
        // its most loaded cell.
        let mut worst = vec![0; item.candidates.len()];
        for (j, &c) in item.components.iter().enumerate() {
            let own = if item.is_fixed() {
                0
            } else {
                item.weight_on(j)
            };
            for slot in worst.iter_mut() {
                *slot = (*slot).max(own);
            }
            let w = window(c);
            nearby.clear();
            nearby.extend(
                fixed
                    .range((c, first.day)..=(c, last.day + w - 1))
                    .map(|(&(_, d), &load)| (d, load)),
            );
            if nearby.is_empty() {
                continue;
            }
            for (k, candidate) in item.candidates.iter().enumerate() {
                let end = candidate.day + w - 1;
                let most = nearby
                    .iter()
                    .filter(|&&(d, _)| d >= candidate.day && d <= end)
                    .map(|&(_, load)| load)
                    .max()
                    .unwrap_or(0);
                worst[k] = worst[k].max(most + own);
            }
        }
        bound = bound.max(worst.into_iter().min().unwrap_or(0));
    }
    bound
}

/// Lower bound on the clash pairs over the items: per component and block tiling, a DP
/// over partitions of the blocks into intervals of the convex bound
/// [`spread_pairs`]`(items within, blocks)`; summed over tilings (they use disjoint cells)
/// and components. Each term bounds its own cells, so a run cut short by `deadline`
/// returns the sum of the terms computed (still a valid bound).
pub(crate) fn pairs_lower_bound(instance: &Instance, items: &[usize], deadline: &Deadline) -> u64 {
    per_component_partition(instance, items, deadline, |_, m, k| spread_pairs(m, k))
}

/// Lower bound on the risk units: per component and tiling, the number of disjoint block
/// intervals holding more items than blocks (each forces a clash cell); summed.
pub(crate) fn risk_lower_bound(instance: &Instance, items: &[usize], deadline: &Deadline) -> u64 {
    per_component_partition(instance, items, deadline, |c, m, k| {
        if m > k {
            risk_units(instance.components[c].risk)
        } else {
            0
        }
    })
}

fn per_component_partition(
    instance: &Instance,
    items: &[usize],
    deadline: &Deadline,
    value: impl Fn(usize, u64, u64) -> u64,
) -> u64 {
    if deadline.expired() {
        return 0;
    }
    let spans = spans_by_component(instance, items);
    let mut total = 0u64;
    for (c, spans) in spans.iter().enumerate() {
        if spans.len() < 2 {
            continue;
        }
        let window = instance.components[c].window.max(1) as usize;
        // The tilings use disjoint sets of cells (offset r holds the cells ending on days
        // congruent to r - 1 modulo the window), so their bounds add up.
        for offset in window_offsets(window) {
            if deadline.expired() {
                return total;
            }
            let table = BlockTable::new(spans, window, offset);
            // A merged component stands for `multiplicity` identical ones.
            total += table.partition_dp(|m, k| value(c, m, k)) * instance.components[c].factor();
        }
    }
    total
}

/// Lower bounds on the moves and the total shift of any plan with peak at most `cap`.
///
/// Moves: the items that cannot stay (proposed day not a candidate), plus, for the best
/// component and tiling, the sum over blocks of the fewest movable items that must leave
/// the block so that fixed plus staying weight fits under `cap` (largest leave first).
/// Shift: every item at its smallest candidate shift, plus, for the best component and
/// tiling, the smallest extra shift (off-proposed minimum minus overall minimum) of as
/// many of each block's staying items as must leave.
pub(crate) fn moves_and_shift_lower_bounds(
    instance: &Instance,
    items: &[usize],
    cap: u64,
    deadline: &Deadline,
) -> (u64, u64) {
    let mut mandatory = 0u64;
    let mut base_shift = 0u64;
    for &i in items {
        let item = &instance.items[i];
        let can_stay = item
            .proposed
            .is_some_and(|p| item.candidates.iter().any(|c| c.day == p));
        if !can_stay {
            mandatory += 1;
        }
        base_shift += min_shift(instance, i, false);
    }
    let spans = spans_by_component(instance, items);
    let mut best_moves = 0u64;
    let mut best_extra = 0u64;
    for (c, spans) in spans.iter().enumerate() {
        if spans.is_empty() {
            continue;
        }
        let window = instance.components[c].window.max(1) as usize;
        for offset in window_offsets(window) {
            // Each component and tiling gives a valid bound: a cut run keeps the best so far.
            if deadline.expired() {
                return (mandatory + best_moves, base_shift + best_extra);
            }
            let first = spans
                .iter()
                .map(|s| block_of(s.lo, window, offset))
                .min()
                .unwrap_or(0);
            let n_blocks = spans
                .iter()
                .map(|s| block_of(s.hi, window, offset) + 1 - first)
                .max()
                .unwrap_or(1);
            let block_of = |day: u32| (block_of(day, window, offset) - first).min(n_blocks - 1);
            let mut fixed = vec![0u64; n_blocks];
            // (weight, extra shift when leaving) of items that could stay in the block.
            let mut staying: Vec<Vec<(u64, u64)>> = vec![Vec::new(); n_blocks];
            for span in spans {
                let item = &instance.items[span.item];
                if item.is_fixed() {
                    let block = block_of(span.lo);
                    fixed[block] += span.weight;
                } else if let Some(p) = item.proposed {
                    if item.candidates.iter().any(|c| c.day == p) {
                        let block = block_of(p);
                        let extra = min_shift(instance, span.item, true)
                            - min_shift(instance, span.item, false);
                        staying[block].push((span.weight, extra));
                    }
                }
            }
            let mut moves = 0u64;
            let mut extra = 0u64;
            for (block, entries) in staying.iter_mut().enumerate() {
                let mut load = fixed[block] + entries.iter().map(|e| e.0).sum::<u64>();
                entries.sort_unstable_by_key(|e| std::cmp::Reverse(e.0));
                let mut leaving = 0usize;
                for &(w, _) in entries.iter() {
                    if load <= cap {
                        break;
                    }
                    load -= w;
                    leaving += 1;
                }
                moves += leaving as u64;
                let mut extras: Vec<u64> = entries.iter().map(|e| e.1).collect();
                extras.sort_unstable();
                extra += extras.iter().take(leaving).sum::<u64>();
            }
            best_moves = best_moves.max(moves);
            best_extra = best_extra.max(extra);
        }
    }
    (mandatory + best_moves, base_shift + best_extra)
}

/// Smallest candidate shift of item `i`; with `off_proposed`, among the candidates
/// other than the proposed day (the overall minimum when there is none).
fn min_shift(instance: &Instance, i: usize, off_proposed: bool) -> u64 {
    let item = &instance.items[i];
    let overall = item
        .candidates
        .iter()
        .map(|c| u64::from(c.shift))
        .min()
        .unwrap_or(0);
    if !off_proposed {
        return overall;
    }
    item.candidates
        .iter()
        .filter(|c| Some(c.day) != item.proposed)
        .map(|c| u64::from(c.shift))
        .min()
        .unwrap_or(overall)
        .max(overall)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimise::instance::{Candidate, Component, Item};

    fn unit_items(n: usize, days: &[u32], proposed: Option<u32>) -> Vec<Item> {
        (0..n)
            .map(|_| Item {
                weight: 1000,
                components: vec![0],
                candidates: days
                    .iter()
                    .map(|&d| Candidate { day: d, shift: d })
                    .collect(),
                proposed,
                block: None,
            })
            .collect()
    }

    #[test]
    fn spread_is_the_balanced_minimum() {
        assert_eq!(spread_pairs(4, 2), 2);
        assert_eq!(spread_pairs(5, 2), 4);
        assert_eq!(spread_pairs(3, 5), 0);
        assert_eq!(spread_pairs(7, 1), 21);
    }

    #[test]
    fn four_items_on_two_days_give_peak_two_and_two_pairs() {
        let instance = Instance {
            n_days: 5,
            components: vec![Component {
                window: 1,
                risk: 0.0,
                multiplicity: 1,
            }],
            items: unit_items(4, &[1, 2], Some(1)),
            ..Default::default()
        };
        let all: Vec<usize> = (0..4).collect();
        assert_eq!(peak_lower_bound(&instance, &all, &Deadline::never()), 2000);
        assert_eq!(pairs_lower_bound(&instance, &all, &Deadline::never()), 2);
        // All four proposed on day 1 with cap 2000: two must leave.
        // Two leave day 1 for day 2 (shift 2 each), the two staying pay shift 1: 6.
        assert_eq!(
            moves_and_shift_lower_bounds(&instance, &all, 2000, &Deadline::never()),
            (2, 6)
        );
    }

    #[test]
    fn windows_use_block_tilings() {
        // 3 items all allowed only on days 0..=1, window 2: every placement shares a cell.
        let instance = Instance {
            n_days: 4,
            components: vec![Component {
                window: 2,
                risk: 0.0,
                multiplicity: 1,
            }],
            items: unit_items(3, &[0, 1], None),
            ..Default::default()
        };
        let all: Vec<usize> = (0..3).collect();
        assert_eq!(peak_lower_bound(&instance, &all, &Deadline::never()), 3000);
        // Cell 1 holds all three (3 pairs); cells 0 and 2 split them 2/1 (1 pair): 4, tight.
        assert_eq!(pairs_lower_bound(&instance, &all, &Deadline::never()), 4);
    }
}
