//! Exact depth-first branch and bound for small independent sub-problems.
//!
//! Every key term (budget excess, risk, peak term, pairs, moves, shift) only grows as
//! items are added, so a partial plan whose key is already not below the incumbent can
//! be cut: its completions are lexicographically at least as large.

use crate::optimise::deadline::Deadline;
use crate::optimise::greedy::candidate_order;
use crate::optimise::objective::Key;
use crate::optimise::state::State;

/// How the peak enters the key.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PeakTerm {
    /// The peak itself (minimise it).
    Minimise,
    /// 0 while the peak is at most the cap, the peak above it (the cap is a constraint).
    Cap(u64),
}

impl PeakTerm {
    fn term(self, peak: u64) -> u64 {
        match self {
            PeakTerm::Minimise => peak,
            PeakTerm::Cap(cap) if peak <= cap => 0,
            PeakTerm::Cap(_) => peak,
        }
    }
}

/// Result of an exact search.
pub(crate) struct ExactResult {
    /// Candidate index per item of the sub-problem (same order as `items`).
    pub(crate) choice: Vec<usize>,
    /// The key reached (peak term as requested).
    pub(crate) key: Key,
    /// The true peak of the sub-problem in that plan.
    pub(crate) peak: u64,
    /// Whether the search finished (the plan is then optimal).
    pub(crate) complete: bool,
    /// Search nodes used.
    pub(crate) nodes: u64,
}

struct Search<'s, 'a, 'd> {
    state: &'s mut State<'a>,
    order: Vec<usize>,
    candidates: Vec<Vec<usize>>,
    term: PeakTerm,
    best_key: Key,
    best_choice: Vec<usize>,
    best_peak: u64,
    nodes: u64,
    node_limit: u64,
    deadline: &'d Deadline,
}

impl Search<'_, '_, '_> {
    fn dfs(&mut self, depth: usize, peak: u64) -> bool {
        if depth == self.order.len() {
            let key = self.state.key_with(self.term.term(peak));
            if key < self.best_key {
                self.best_key = key;
                self.best_peak = peak;
                self.best_choice = self
                    .order
                    .iter()
                    .map(|&i| self.state.choice[i] as usize)
                    .collect();
            }
            return true;
        }
        let i = self.order[depth];
        for index in 0..self.candidates[depth].len() {
            self.nodes += 1;
            if self.nodes > self.node_limit || self.state.past(self.deadline) {
                return false;
            }
            let k = self.candidates[depth][index];
            if !self.state.allowed(i, k) {
                continue;
            }
            let touched = self.state.add(i, k);
            let new_peak = peak.max(touched);
            let key = self.state.key_with(self.term.term(new_peak));
            let finished = if key < self.best_key && !self.completions_cut(depth + 1, &key) {
                self.dfs(depth + 1, new_peak)
            } else {
                true
            };
            self.state.remove(i);
            if !finished {
                return false;
            }
        }
        true
    }
}

impl Search<'_, '_, '_> {
    /// Look-ahead cut: whether no completion of the items from `depth` on can beat the
    /// incumbent. Only used when the partial key already equals the incumbent on the
    /// budget excess, risk and peak terms (those only grow, so a better completion must
    /// keep them). Every remaining item then adds at least its smallest pairs increment
    /// over its candidates at the current counts (counts only grow); under a peak cap,
    /// only candidates keeping every cell within the cap count. If these increments sum
    /// exactly to the incumbent's pairs, a better completion must give every item such a
    /// smallest increment, so it pays the moves and shift of its cheapest tight candidate.
    fn completions_cut(&self, depth: usize, key: &Key) -> bool {
        if key[..3] != self.best_key[..3] || depth >= self.order.len() {
            return false;
        }
        let state = &*self.state;
        let cap = match self.term {
            PeakTerm::Cap(cap) => Some(cap),
            PeakTerm::Minimise => None,
        };
        let mut pairs = key[3];
        let mut tight: Vec<(u64, u64, u64)> = Vec::with_capacity(self.order.len() - depth);
        for (slot, &j) in self.order.iter().enumerate().skip(depth) {
            let item = &state.instance.items[j];
            // (pairs increment, move, shift) of the cheapest candidate(s).
            let mut best: Option<(u64, u64, u64)> = None;
            for &k in &self.candidates[slot] {
                let candidate = item.candidates[k];
                let mut increment = 0u64;
                let mut fits = true;
                for (c, count, weight) in item.loads() {
                    let count = u64::from(count);
                    let factor = state.instance.components[c].factor();
                    for cell in state.layout.cells(c, candidate.day) {
                        increment += (count * u64::from(state.count[cell])
                            + count * count.saturating_sub(1) / 2)
                            * factor;
                        if cap.is_some_and(|cap| state.load[cell] + weight > cap) {
                            fits = false;
                        }
                    }
                }
                if !fits {
                    continue;
                }
                let moves = u64::from(item.moves_at(k));
                let shift = u64::from(candidate.shift);
                best = Some(match best {
                    None => (increment, moves, shift),
                    Some(b) if increment < b.0 => (increment, moves, shift),
                    Some(b) if increment == b.0 => (increment, b.1.min(moves), b.2.min(shift)),
                    Some(b) => b,
                });
            }
            let Some(best) = best else {
                // No candidate keeps the cap: every completion is worse.
                return true;
            };
            pairs += best.0;
            if pairs > self.best_key[3] {
                return true;
            }
            tight.push(best);
        }
        if pairs < self.best_key[3] {
            return false;
        }
        let moves = key[4] + tight.iter().map(|t| t.1).sum::<u64>();
        let shift = key[5] + tight.iter().map(|t| t.2).sum::<u64>();
        [pairs, moves, shift] >= [self.best_key[3], self.best_key[4], self.best_key[5]]
    }
}

/// Searches the plans of `items` (all unassigned in `state`, and independent of every
/// other assigned item) for the lexicographically smallest key, starting from the
/// incumbent `incumbent` (candidate index per item of `items`). Leaves `state` as given.
pub(crate) fn exact_search(
    state: &mut State<'_>,
    items: &[usize],
    incumbent: &[usize],
    term: PeakTerm,
    node_limit: u64,
    deadline: &Deadline,
) -> ExactResult {
    // Incumbent key.
    for (&i, &k) in items.iter().zip(incumbent) {
        state.add(i, k);
    }
    let peak_now = items
        .iter()
        .map(|&i| max_load_of(state, i))
        .max()
        .unwrap_or(0);
    let incumbent_key = state.key_with(term.term(peak_now));
    for &i in items {
        state.remove(i);
    }
    // Most constrained first, then by first candidate day for locality.
    let mut order: Vec<usize> = items.to_vec();
    order.sort_by_key(|&i| {
        let item = &state.instance.items[i];
        (
            item.candidates.len(),
            item.candidates.first().map_or(0, |c| c.day),
            i,
        )
    });
    let candidates: Vec<Vec<usize>> = order.iter().map(|&i| candidate_order(state, i)).collect();
    let position: Vec<usize> = order
        .iter()
        .map(|i| items.iter().position(|j| j == i).unwrap_or(0))
        .collect();
    let incumbent_in_order: Vec<usize> = position.iter().map(|&p| incumbent[p]).collect();
    let mut search = Search {
        state,
        order,
        candidates,
        term,
        best_key: incumbent_key,
        best_choice: incumbent_in_order,
        best_peak: peak_now,
        nodes: 0,
        node_limit,
        deadline,
    };
    let complete = search.dfs(0, 0);
    let mut choice = vec![0; items.len()];
    for (slot, &p) in position.iter().enumerate() {
        choice[p] = search.best_choice[slot];
    }
    ExactResult {
        choice,
        key: search.best_key,
        peak: search.best_peak,
        complete,
        nodes: search.nodes,
    }
}

fn max_load_of(state: &State<'_>, i: usize) -> u64 {
    let item = &state.instance.items[i];
    let k = state.choice[i] as usize;
    let day = item.candidates[k].day;
    item.components
        .iter()
        .flat_map(|&c| state.layout.cells(c as usize, day))
        .map(|cell| state.load[cell])
        .max()
        .unwrap_or(0)
}
