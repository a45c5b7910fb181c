//! A lower bound on the moves of the plans whose clash pairs equal the pairs lower bound.
//!
//! When a plan's clash pairs equal [`pairs_lower_bound`], the pairs optimum is that value,
//! and every pairs-optimal plan meets the bound with equality. The bound is a sum over
//! components and block tilings of the best partition of the blocks into intervals of
//! `spread_pairs(m, k)` (`m` items whose candidates all lie in the `k` blocks). Each
//! tiling's real pairs are at least its term (convexity), so with equality overall each
//! tiling's real pairs equal its term, and then, for a best partition, each interval's real
//! pairs equal `spread_pairs(m, k)`:
//! * `m >= k`: more than `m` items in the interval would cost strictly more, so exactly
//!   the `m` contained items are there, balanced: every block holds at most `ceil(m / k)`;
//! * `m < k`: no pairs at all, so every block holds at most one item.
//!
//! So every block (a real cell) of such an interval holds at most `max(1, ceil(m / k))`
//! items. Relaxing everything else, the items that may stay home (proposed day a
//! candidate, not fixed) are a set packing against these capacities minus the fixed items
//! already there; its maximum (exact 0/1 program) bounds the staying items from above.

use std::collections::BTreeMap;

use good_lp::{constraint, variable, Expression, ProblemVariables};

use crate::optimise::bounds::{pairs_lower_bound, spans_by_component, BlockTable};
use crate::optimise::deadline::Deadline;
use crate::optimise::instance::Instance;
use crate::optimise::milp::{solve_model, Direction, MilpEffort};
use crate::optimise::options::Backend;

/// Branch-and-bound node budget of the packing and assignment programs (deterministic;
/// they are tiny in practice, and an unfinished one proves nothing).
const PROGRAM_NODES: u64 = 20_000;

/// The best value and a best partition of the blocks into intervals for the pairs term,
/// each interval as `(first block, last block, items within)`.
fn best_partition(table: &BlockTable) -> (u64, Vec<(usize, usize, u64)>) {
    let n = table.n_blocks;
    let mut within = vec![0u64; n * n];
    table.for_each_interval(|a, b, m, _| within[a * n + b] = m);
    // best[b] = best value over partitions of blocks 0..b; from[b] = start of the last interval.
    let mut best = vec![0u64; n + 1];
    let mut from = vec![0usize; n + 1];
    for end in 1..=n {
        let b = end - 1;
        let mut value = None;
        for a in 0..=b {
            let v = best[a]
                + crate::optimise::bounds::spread_pairs(within[a * n + b], (b - a + 1) as u64);
            if value.is_none_or(|best_v| v > best_v) {
                value = Some(v);
                from[end] = a;
            }
        }
        best[end] = value.unwrap_or(0);
    }
    let mut intervals = Vec::new();
    let mut end = n;
    while end > 0 {
        let a = from[end];
        intervals.push((a, end - 1, within[a * n + end - 1]));
        end = a;
    }
    intervals.reverse();
    (best[n], intervals)
}

/// Lower bound on the moves of `items` (an independent group) over the plans whose clash
/// pairs equal [`pairs_lower_bound`]`(items)`. Only meaningful (and only to be used) when
/// some plan reaches that pairs value, so that it is the pairs optimum. `None` when the
/// packing program is not solved to optimality.
pub(crate) fn moves_bound_at_pairs_bound(
    instance: &Instance,
    items: &[usize],
    deadline: &Deadline,
) -> Option<u64> {
    let mut forced = 0u64;
    // Items that may stay home, by position in `stayers`.
    let mut stayer_slot: BTreeMap<usize, usize> = BTreeMap::new();
    let mut stayers: Vec<usize> = Vec::new();
    for &i in items {
        let item = &instance.items[i];
        let can_stay = item
            .proposed
            .is_some_and(|p| item.candidates.iter().any(|c| c.day == p));
        if !can_stay {
            forced += 1;
        } else if !item.is_fixed() {
            stayer_slot.insert(i, stayers.len());
            stayers.push(i);
        }
    }
    if stayers.is_empty() {
        return Some(forced);
    }
    // Capacity rows: (capacity left for stayers, stayer slots in the block).
    let mut rows: Vec<(u64, Vec<usize>)> = Vec::new();
    let spans = spans_by_component(instance, items);
    let mut check = 0u64;
    for (c, spans) in spans.iter().enumerate() {
        if spans.len() < 2 {
            continue;
        }
        let window = instance.components[c].window.max(1) as usize;
        for offset in 0..window {
            if deadline.expired() {
                return None;
            }
            let table = BlockTable::new(spans, window, offset);
            let (value, intervals) = best_partition(&table);
            check += value * instance.components[c].factor();
            let n_blocks = table.n_blocks;
            let mut fixed = vec![0u64; n_blocks];
            let mut home: Vec<Vec<usize>> = vec![Vec::new(); n_blocks];
            for span in spans {
                let item = &instance.items[span.item];
                if item.is_fixed() {
                    fixed[table.block(span.lo)] += 1;
                } else if let Some(&slot) = stayer_slot.get(&span.item) {
                    if let Some(p) = item.proposed {
                        home[table.block(p)].push(slot);
                    }
                }
            }
            for (a, b, m) in intervals {
                let k = (b - a + 1) as u64;
                let capacity = m.div_ceil(k).max(1);
                for block in a..=b {
                    let room = capacity.saturating_sub(fixed[block]);
                    if home[block].len() as u64 > room {
                        rows.push((room, std::mem::take(&mut home[block])));
                    }
                }
            }
        }
    }
    // The tilings' values must add up to the bound the caller compared with.
    if check != pairs_lower_bound(instance, items, deadline) || deadline.expired() {
        return None;
    }
    if rows.is_empty() {
        return Some(forced);
    }
    let mut vars = ProblemVariables::new();
    let stay: Vec<_> = stayers
        .iter()
        .map(|_| vars.add(variable().binary()))
        .collect();
    let total: Expression = stay.iter().copied().sum();
    let constraints = rows
        .iter()
        .map(|(room, slots)| {
            let lhs: Expression = slots.iter().map(|&s| stay[s]).sum();
            constraint!(lhs <= *room as f64)
        })
        .collect();
    let positions: Vec<usize> = (0..stay.len()).collect();
    let answer = solve_model(
        vars,
        Direction::Maximise,
        total,
        constraints,
        &positions,
        Backend::Microlp,
        MilpEffort {
            nodes: PROGRAM_NODES,
            deadline,
        },
    )
    .ok()?;
    if !answer.optimal {
        return None;
    }
    let staying: f64 = answer.values.iter().sum();
    // The optimum is an integer; round with a tolerance (upwards is the safe side).
    let staying = (staying + 0.5).floor().max(0.0) as u64;
    Some(forced + (stayers.len() as u64).saturating_sub(staying))
}

/// Lower bound on the total shift of `items` over the plans whose clash pairs equal
/// [`pairs_lower_bound`]`(items)` and with at most `max_moves` moves: every item on one
/// candidate, every block of a best partition within its capacity (as for
/// [`moves_bound_at_pairs_bound`], counting every item that lands there), at most
/// `max_moves` moves; minimise the shift (exact 0/1 program). `None` when not solved to
/// optimality or when the tilings do not add up to the bound.
pub(crate) fn shift_bound_at_pairs_bound(
    instance: &Instance,
    items: &[usize],
    max_moves: u64,
    deadline: &Deadline,
) -> Option<u64> {
    let mut vars = ProblemVariables::new();
    let mut x: BTreeMap<usize, Vec<good_lp::Variable>> = BTreeMap::new();
    let mut constant_shift = 0u64;
    let mut constant_moves = 0u64;
    let mut moves = Expression::from(0.0);
    let mut shift = Expression::from(0.0);
    let mut assignment = Vec::new();
    // (position, shift) of every assignment variable, to evaluate the optimum.
    let mut shifts: Vec<(usize, u32)> = Vec::new();
    for &i in items {
        let item = &instance.items[i];
        if item.is_fixed() {
            constant_shift += item.candidates.first().map_or(0, |c| u64::from(c.shift));
            if item.candidates.first().map(|c| c.day) != item.proposed {
                constant_moves += 1;
            }
            continue;
        }
        let row: Vec<_> = item
            .candidates
            .iter()
            .map(|candidate| {
                shifts.push((vars.len(), candidate.shift));
                vars.add(variable().binary())
            })
            .collect();
        for (k, candidate) in item.candidates.iter().enumerate() {
            if item.proposed != Some(candidate.day) {
                moves += row[k];
            }
            if candidate.shift > 0 {
                shift += f64::from(candidate.shift) * row[k];
            }
        }
        assignment.push(constraint!(row.iter().copied().sum::<Expression>() == 1));
        x.insert(i, row);
    }
    let mut capacity_rows = Vec::new();
    let spans = spans_by_component(instance, items);
    let mut check = 0u64;
    for (c, spans) in spans.iter().enumerate() {
        if spans.len() < 2 {
            continue;
        }
        let window = instance.components[c].window.max(1) as usize;
        for offset in 0..window {
            if deadline.expired() {
                return None;
            }
            let table = BlockTable::new(spans, window, offset);
            let (value, intervals) = best_partition(&table);
            check += value * instance.components[c].factor();
            let n_blocks = table.n_blocks;
            let mut fixed = vec![0u64; n_blocks];
            let mut landing: Vec<Vec<good_lp::Variable>> = vec![Vec::new(); n_blocks];
            for span in spans {
                let item = &instance.items[span.item];
                if item.is_fixed() {
                    fixed[table.block(span.lo)] += 1;
                    continue;
                }
                let Some(row) = x.get(&span.item) else {
                    continue;
                };
                for (candidate, &var) in item.candidates.iter().zip(row) {
                    landing[table.block(candidate.day)].push(var);
                }
            }
            for (a, b, m) in intervals {
                let capacity = m.div_ceil((b - a + 1) as u64).max(1);
                for block in a..=b {
                    let room = capacity.saturating_sub(fixed[block]);
                    if landing[block].len() as u64 > room {
                        let lhs: Expression = landing[block].iter().copied().sum();
                        capacity_rows.push(constraint!(lhs <= room as f64));
                    }
                }
            }
        }
    }
    if check != pairs_lower_bound(instance, items, deadline)
        || deadline.expired()
        || constant_moves > max_moves
    {
        return None;
    }
    let mut constraints: Vec<_> = assignment.into_iter().chain(capacity_rows).collect();
    constraints.push(constraint!(moves <= (max_moves - constant_moves) as f64));
    let positions: Vec<usize> = shifts.iter().map(|&(p, _)| p).collect();
    let answer = solve_model(
        vars,
        Direction::Minimise,
        shift,
        constraints,
        &positions,
        Backend::Microlp,
        MilpEffort {
            nodes: PROGRAM_NODES,
            deadline,
        },
    )
    .ok()?;
    if !answer.optimal {
        return None;
    }
    let value: f64 = answer
        .values
        .iter()
        .zip(&shifts)
        .map(|(x, &(_, shift))| x * f64::from(shift))
        .sum();
    // The optimum is an integer; round with a tolerance.
    let value = (value + 0.5).floor().max(0.0) as u64;
    Some(constant_shift + value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimise::bounds::moves_and_shift_lower_bounds;
    use crate::optimise::brute_force;
    use crate::optimise::options::ObjectiveKind;
    use crate::optimise::properties::tiny_instance;

    #[test]
    fn never_above_the_moves_and_shift_optima_and_often_stronger() {
        let mut tight_cases = 0;
        let mut stronger = 0;
        let mut stronger_shift = 0;
        for seed in 0..400u64 {
            let (instance, _) = tiny_instance(seed);
            let all: Vec<usize> = (0..instance.items.len()).collect();
            let Some(best) = brute_force(&instance, ObjectiveKind::Default, None) else {
                continue;
            };
            let o = &best.objective;
            if o.clash_pairs != pairs_lower_bound(&instance, &all, &Deadline::never()) {
                continue;
            }
            tight_cases += 1;
            let bound = moves_bound_at_pairs_bound(&instance, &all, &Deadline::never())
                .expect("tiny packing solves");
            assert!(bound <= o.moves, "seed {seed}: bound {bound} > {}", o.moves);
            let (old_moves, old_shift) =
                moves_and_shift_lower_bounds(&instance, &all, o.peak, &Deadline::never());
            if bound > old_moves {
                stronger += 1;
            }
            // With the moves at their optimum, the shift bound is below the shift optimum.
            let shift = shift_bound_at_pairs_bound(&instance, &all, o.moves, &Deadline::never())
                .expect("tiny assignment solves");
            assert!(
                shift <= o.total_shift,
                "seed {seed}: shift bound {shift} > {}",
                o.total_shift
            );
            if shift > old_shift {
                stronger_shift += 1;
            }
        }
        assert!(tight_cases >= 50, "{tight_cases}");
        assert!(stronger >= 5, "{stronger}");
        assert!(stronger_shift >= 5, "{stronger_shift}");
    }
}
