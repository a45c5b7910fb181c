//! Improvement by local search under the lexicographic key: single-item moves and
//! two-item ejection chains, with effort bounded by a deterministic operation budget.

use crate::optimise::deadline::Deadline;
use crate::optimise::objective::Key;
use crate::optimise::state::{State, UNASSIGNED};

/// Re-places item `i` on its best candidate (strictly better than the current key
/// only); returns whether it moved.
fn best_single_move(state: &mut State<'_>, i: usize) -> bool {
    let current = state.choice[i];
    if current == UNASSIGNED || state.instance.items[i].candidates.len() < 2 {
        return false;
    }
    let before = state.key();
    state.remove(i);
    let mut best: (Key, usize) = (before, current as usize);
    for k in 0..state.instance.items[i].candidates.len() {
        if k == current as usize || !state.allowed(i, k) {
            continue;
        }
        state.add(i, k);
        let key = state.key();
        state.remove(i);
        if key < best.0 {
            best = (key, k);
        }
    }
    state.add(i, best.1);
    best.1 != current as usize
}

/// Items that currently contribute to the first non-zero "soft" key terms: those on an
/// over-cap cell when there is excess, otherwise those on a cell with a clash.
fn hot_items(state: &State<'_>, items: &[usize]) -> Vec<usize> {
    let instance = state.instance;
    let excess_mode = state.excess > 0;
    items
        .iter()
        .copied()
        .filter(|&i| {
            let k = state.choice[i];
            if k == UNASSIGNED || instance.items[i].candidates.len() < 2 {
                return false;
            }
            let day = instance.items[i].candidates[k as usize].day;
            instance.items[i].components.iter().any(|&c| {
                state.layout.cells(c as usize, day).any(|cell| {
                    if excess_mode {
                        state.load[cell] > state.cap
                    } else {
                        state.count[cell] >= 2
                    }
                })
            })
        })
        .collect()
}

/// Candidates tried per item in an ejection chain, and neighbours tried per candidate.
const CHAIN_CANDIDATES: usize = 3;
const CHAIN_NEIGHBOURS: usize = 10;
/// Donors tried per budget swap.
const BUDGET_DONORS: usize = 8;

/// Tries, for `i`, its few most promising other candidates, each followed by the best
/// move of one item it now shares its most crowded cell with; keeps the first pair that
/// strictly improves the key.
fn ejection_chain(state: &mut State<'_>, i: usize, budget_end: u64) -> bool {
    let current = state.choice[i];
    if current == UNASSIGNED {
        return false;
    }
    let instance = state.instance;
    let before = state.key();
    let n_candidates = instance.items[i].candidates.len();
    // Rank the other candidates by the key they give on their own.
    state.remove(i);
    let mut ranked: Vec<(Key, usize)> = Vec::with_capacity(n_candidates);
    for k in 0..n_candidates {
        if k == current as usize || !state.allowed(i, k) {
            continue;
        }
        state.add(i, k);
        ranked.push((state.key(), k));
        state.remove(i);
    }
    state.add(i, current as usize);
    ranked.sort_unstable();
    for &(_, k) in ranked.iter().take(CHAIN_CANDIDATES) {
        if state.operations >= budget_end {
            break;
        }
        state.remove(i);
        state.add(i, k);
        if state.key() < before {
            return true;
        }
        // The most crowded cell of i's new position (first in component order on ties).
        let day = instance.items[i].candidates[k].day as usize;
        let mut crowded: Option<(u32, usize)> = None;
        for &c in &instance.items[i].components {
            for cell in state.layout.cells(c as usize, day as u32) {
                if crowded.is_none_or(|(n, _)| state.count[cell] > n) {
                    crowded = Some((state.count[cell], c as usize));
                }
            }
        }
        let mut neighbours: Vec<usize> = Vec::new();
        if let Some((_, c)) = crowded {
            let window = state.layout.window(c);
            let from = day.saturating_sub(window - 1);
            let to = (day + window - 1).min(instance.n_days - 1);
            for d in from..=to {
                neighbours.extend(state.occupants(c, d).iter().map(|&j| j as usize));
            }
        }
        neighbours.sort_unstable();
        neighbours.dedup();
        neighbours.retain(|&j| j != i && instance.items[j].candidates.len() > 1);
        neighbours.truncate(CHAIN_NEIGHBOURS);
        for j in neighbours {
            let j_current = state.choice[j] as usize;
            state.remove(j);
            let mut best: Option<(Key, usize)> = None;
            for kj in 0..instance.items[j].candidates.len() {
                if kj == j_current || !state.allowed(j, kj) {
                    continue;
                }
                state.add(j, kj);
                let key = state.key();
                state.remove(j);
                if key < before && best.is_none_or(|(b, _)| key < b) {
                    best = Some((key, kj));
                }
            }
            match best {
                Some((_, kj)) => {
                    state.add(j, kj);
                    return true;
                }
                None => {
                    state.add(j, j_current);
                }
            }
        }
        state.remove(i);
        state.add(i, current as usize);
    }
    false
}

/// Moved items that can return to their proposed day, cheapest return first (at most
/// `limit`): the donors of budget swaps.
fn cheapest_returns(state: &mut State<'_>, items: &[usize], limit: usize) -> Vec<usize> {
    let instance = state.instance;
    let mut costs: Vec<(Key, usize)> = Vec::new();
    for &m in items {
        let k = state.choice[m];
        if k == UNASSIGNED || !state.is_move(m, k as usize) {
            continue;
        }
        let Some(home) = instance.items[m].home().filter(|&h| h != k as usize) else {
            continue;
        };
        state.remove(m);
        if !state.allowed(m, home) {
            state.add(m, k as usize);
            continue;
        }
        state.add(m, home);
        costs.push((state.key(), m));
        state.remove(m);
        state.add(m, k as usize);
    }
    costs.sort_unstable();
    costs.into_iter().take(limit).map(|(_, m)| m).collect()
}

/// With the move budget used up: moves hot item `i` to its best other candidate while
/// one of `donors` returns to its proposed day; keeps the first pair that improves.
fn budget_swap(state: &mut State<'_>, i: usize, donors: &[usize]) -> bool {
    let current = state.choice[i];
    if current == UNASSIGNED {
        return false;
    }
    let instance = state.instance;
    let before = state.key();
    for &m in donors {
        if m == i || !state.is_move(m, state.choice[m] as usize) {
            continue;
        }
        let m_current = state.choice[m] as usize;
        let Some(home) = instance.items[m].home().filter(|&h| h != m_current) else {
            continue;
        };
        state.remove(m);
        if !state.allowed(m, home) {
            state.add(m, m_current);
            continue;
        }
        state.add(m, home);
        state.remove(i);
        let mut best: Option<(Key, usize)> = None;
        for k in 0..instance.items[i].candidates.len() {
            if k == current as usize || !state.allowed(i, k) {
                continue;
            }
            state.add(i, k);
            let key = state.key();
            state.remove(i);
            if key < before && best.is_none_or(|(b, _)| key < b) {
                best = Some((key, k));
            }
        }
        if let Some((_, k)) = best {
            state.add(i, k);
            return true;
        }
        state.add(i, current as usize);
        state.remove(m);
        state.add(m, m_current);
    }
    false
}

/// Improves the plan on `items` until no single move or chain improves it, or
/// `max_operations` add/remove operations have been spent, or the `deadline` passed, or
/// (with `until_within_cap`) the peak is within the cap and the budget respected.
/// Returns whether the search ended at a local optimum (not cut by the budget).
pub(crate) fn improve(
    state: &mut State<'_>,
    items: &[usize],
    max_operations: u64,
    deadline: &Deadline,
    until_within_cap: bool,
) -> bool {
    let budget_end = state.operations.saturating_add(max_operations);
    let done =
        |state: &State<'_>| until_within_cap && state.excess == 0 && state.budget_excess() == 0;
    loop {
        if done(state) {
            return true;
        }
        if state.past(deadline) || deadline.expired() || state.operations >= budget_end {
            return false;
        }
        let mut improved = false;
        // While the cap is missed, only items on over-cap cells can lower the excess.
        let focus: Vec<usize> = if until_within_cap && state.excess > 0 {
            hot_items(state, items)
        } else {
            items.to_vec()
        };
        for &i in &focus {
            if state.operations >= budget_end || state.past(deadline) {
                return false;
            }
            improved |= best_single_move(state, i);
            if done(state) {
                return true;
            }
        }
        if improved {
            continue;
        }
        if until_within_cap && state.excess > 0 {
            if state.budget_tight() {
                // Trade moves: an over-cap item moves while a cheap mover goes home.
                let donors = cheapest_returns(state, items, BUDGET_DONORS);
                for i in hot_items(state, items) {
                    if state.operations >= budget_end {
                        return false;
                    }
                    improved |= budget_swap(state, i, &donors);
                    if done(state) {
                        return true;
                    }
                }
                if improved {
                    continue;
                }
            }
            // Breakout instead of chains: make the cells that stay over the cap
            // costlier and go on.
            state.raise_penalties();
            continue;
        }
        if state.excess == 0 && state.key()[2..4] == [0, 0] {
            // Nothing left to gain from chains: no excess and no clash pairs.
            return true;
        }
        // Chains start from items in clashes, and from moved items (a chain may send
        // them home while the item there steps aside).
        let mut starts = hot_items(state, items);
        starts.extend(items.iter().copied().filter(|&i| {
            let k = state.choice[i];
            k != UNASSIGNED && state.is_move(i, k as usize)
        }));
        starts.sort_unstable();
        starts.dedup();
        for i in starts {
            if state.operations >= budget_end {
                return false;
            }
            if state.past(deadline) {
                return false;
            }
            improved |= ejection_chain(state, i, budget_end);
            if done(state) {
                return true;
            }
        }
        if !improved {
            if until_within_cap && state.excess > 0 {
                // Breakout: make the cells that stay over the cap costlier and go on.
                state.raise_penalties();
                continue;
            }
            return true;
        }
    }
}
