//! An incrementally evaluated (partial) plan used by construction and search.

use crate::optimise::deadline::Deadline;
use crate::optimise::instance::Instance;
use crate::optimise::layout::Layout;
use crate::optimise::objective::{risk_units, Key, Objective};
use crate::optimise::options::ObjectiveKind;

/// Pairs among `n` releases: `n (n - 1) / 2`.
pub(crate) fn pairs_of(n: u32) -> u64 {
    let n = u64::from(n);
    n * n.saturating_sub(1) / 2
}

/// Marker for an item without a day yet.
pub(crate) const UNASSIGNED: u32 = u32::MAX;

/// A (partial) plan with its cell loads and objective terms kept up to date.
///
/// The third key term is the *excess* over a cap: the sum over cells of
/// `max(0, load - cap)`; it is 0 exactly when the peak is at most the cap. It is
/// refined by the excess over a lower *soft cap* (`excess * 2^32 + soft excess`) so
/// that search flattens the cells just under the cap.
#[derive(Clone)]
pub(crate) struct State<'a> {
    pub(crate) instance: &'a Instance,
    pub(crate) layout: &'a Layout,
    /// Candidate index chosen for every item, or [`UNASSIGNED`].
    pub(crate) choice: Vec<u32>,
    pub(crate) load: Vec<u64>,
    pub(crate) count: Vec<u32>,
    /// Risk units of a clash cell of each component (its multiplicity included).
    component_risk: Vec<u64>,
    /// Multiplicity of each component (clash pairs of its cells count this often).
    factor: Vec<u64>,
    pub(crate) cap: u64,
    pub(crate) excess: u64,
    soft_cap: u64,
    soft_excess: u64,
    /// Breakout penalty per cell (multiplies the cell's excess in the key); empty = all 1.
    penalty: Vec<u64>,
    weighted_excess: u64,
    pub(crate) pairs: u64,
    pub(crate) risk: u64,
    pub(crate) moves: u64,
    pub(crate) shift: u64,
    budget: Option<u64>,
    kind: ObjectiveKind,
    /// Items on each (component, axis day), indexed by [`Layout::slot`].
    occupants: Vec<Vec<u32>>,
    /// Number of add/remove operations performed (deterministic effort counter).
    pub(crate) operations: u64,
    /// Cells updated by those operations (what they cost: an item touching a thousand
    /// failure points costs a thousand times more than one touching one).
    cell_updates: u64,
    /// `cell_updates` at which [`State::past`] next looks at the clock.
    next_clock: u64,
}

/// Cell updates between two looks at the clock by [`State::past`] (about a millisecond).
const CLOCK_EVERY: u64 = 20_000;

impl<'a> State<'a> {
    /// An empty plan.
    pub(crate) fn new(
        instance: &'a Instance,
        layout: &'a Layout,
        cap: u64,
        budget: Option<u32>,
        kind: ObjectiveKind,
    ) -> Self {
        State {
            instance,
            layout,
            choice: vec![UNASSIGNED; instance.items.len()],
            load: vec![0; layout.n_cells()],
            count: vec![0; layout.n_cells()],
            component_risk: instance
                .components
                .iter()
                .map(|c| risk_units(c.risk).saturating_mul(c.factor()))
                .collect(),
            factor: instance.components.iter().map(|c| c.factor()).collect(),
            cap,
            excess: 0,
            soft_cap: cap,
            soft_excess: 0,
            penalty: Vec::new(),
            weighted_excess: 0,
            pairs: 0,
            risk: 0,
            moves: 0,
            shift: 0,
            budget: budget.map(u64::from),
            kind,
            occupants: vec![Vec::new(); layout.n_slots()],
            operations: 0,
            cell_updates: 0,
            next_clock: CLOCK_EVERY,
        }
    }

    /// Whether `deadline` has passed, looking at the clock only once per
    /// [`CLOCK_EVERY`] cell updates (so searches check it as often as they like, at a
    /// cost that does not depend on how many failure points an item touches).
    pub(crate) fn past(&mut self, deadline: &Deadline) -> bool {
        if self.cell_updates < self.next_clock {
            return false;
        }
        self.next_clock = self.cell_updates + CLOCK_EVERY;
        deadline.expired()
    }

    fn over(&self, load: u64) -> u64 {
        load.saturating_sub(self.cap)
    }

    /// Whether candidate `k` of item `i` moves any release.
    pub(crate) fn is_move(&self, i: usize, k: usize) -> bool {
        self.instance.items[i].moves_at(k) > 0
    }

    /// The axis day of item `i`, if placed.
    pub(crate) fn day_of(&self, i: usize) -> Option<u32> {
        let k = *self.choice.get(i)?;
        (k != UNASSIGNED).then(|| self.instance.items[i].candidates[k as usize].day)
    }

    /// Whether every placed item of `items` keeps its links to the placed items.
    pub(crate) fn keeps_links(&self, items: &[usize]) -> bool {
        self.layout.links.is_empty()
            || items.iter().all(|&i| {
                let k = self.choice[i];
                k == UNASSIGNED || self.allowed(i, k as usize)
            })
    }

    /// Whether candidate `k` of item `i` keeps every link to the placed items.
    pub(crate) fn allowed(&self, i: usize, k: usize) -> bool {
        self.layout.links.is_empty()
            || self.layout.links.allows(
                self.instance,
                i,
                self.instance.items[i].candidates[k].day,
                |j| if j == i { None } else { self.day_of(j) },
            )
    }

    /// Places item `i` on candidate `k`; returns the highest load among the touched cells.
    pub(crate) fn add(&mut self, i: usize, k: usize) -> u64 {
        self.operations += 1;
        let item = &self.instance.items[i];
        let candidate = item.candidates[k];
        let mut highest = 0;
        for (c, count, weight) in item.loads() {
            self.cell_updates += self.layout.window(c) as u64;
            for cell in self.layout.cells(c, candidate.day) {
                let old = self.load[cell];
                let new = old + weight;
                let rise = self.over(new) - self.over(old);
                self.excess += rise;
                self.weighted_excess += rise * self.penalty.get(cell).copied().unwrap_or(1);
                self.soft_excess +=
                    new.saturating_sub(self.soft_cap) - old.saturating_sub(self.soft_cap);
                self.load[cell] = new;
                highest = highest.max(new);
                let n = self.count[cell];
                let m = n + count;
                self.pairs += (pairs_of(m) - pairs_of(n)) * self.factor[c];
                if n < 2 && m >= 2 {
                    self.risk += self.component_risk[c];
                }
                self.count[cell] = m;
            }
            if let Some(slot) = self.layout.slot(c, candidate.day as usize) {
                self.occupants[slot].push(i as u32);
            }
        }
        self.moves += u64::from(item.moves_at(k));
        self.shift += u64::from(candidate.shift);
        self.choice[i] = k as u32;
        highest
    }

    /// Takes item `i` off its day (no-op when unassigned).
    pub(crate) fn remove(&mut self, i: usize) {
        let k = self.choice[i];
        if k == UNASSIGNED {
            return;
        }
        self.operations += 1;
        let k = k as usize;
        let item = &self.instance.items[i];
        let candidate = item.candidates[k];
        for (c, count, weight) in item.loads() {
            self.cell_updates += self.layout.window(c) as u64;
            for cell in self.layout.cells(c, candidate.day) {
                let old = self.load[cell];
                let new = old - weight;
                let fall = self.over(old) - self.over(new);
                self.excess -= fall;
                self.weighted_excess -= fall * self.penalty.get(cell).copied().unwrap_or(1);
                self.soft_excess -=
                    old.saturating_sub(self.soft_cap) - new.saturating_sub(self.soft_cap);
                self.load[cell] = new;
                let n = self.count[cell];
                let m = n - count;
                self.pairs -= (pairs_of(n) - pairs_of(m)) * self.factor[c];
                if n >= 2 && m < 2 {
                    self.risk -= self.component_risk[c];
                }
                self.count[cell] = m;
            }
            if let Some(slot) = self.layout.slot(c, candidate.day as usize) {
                let list = &mut self.occupants[slot];
                if let Some(position) = list.iter().position(|&j| j as usize == i) {
                    list.remove(position);
                }
            }
        }
        self.moves -= u64::from(item.moves_at(k));
        self.shift -= u64::from(candidate.shift);
        self.choice[i] = UNASSIGNED;
    }

    /// Changes the cap (and the soft cap to the same value) and recomputes the excess.
    pub(crate) fn set_cap(&mut self, cap: u64) {
        self.set_caps(cap, cap);
    }

    /// Changes the cap and the soft cap (at most the cap) and recomputes both excesses.
    pub(crate) fn set_caps(&mut self, cap: u64, soft_cap: u64) {
        self.cap = cap;
        self.soft_cap = soft_cap.min(cap);
        self.excess = self.load.iter().map(|&l| l.saturating_sub(cap)).sum();
        self.penalty.clear();
        self.weighted_excess = self.excess;
        self.soft_excess = self
            .load
            .iter()
            .map(|&l| l.saturating_sub(self.soft_cap))
            .sum();
    }

    /// Breakout step: raises the penalty of every cell above the cap by one.
    pub(crate) fn raise_penalties(&mut self) {
        if self.penalty.is_empty() {
            self.penalty = vec![1; self.load.len()];
        }
        for (cell, &load) in self.load.iter().enumerate() {
            if load > self.cap {
                self.penalty[cell] += 1;
                self.weighted_excess += load - self.cap;
            }
        }
    }

    /// Whether the move budget is fully used (no further move without undoing one).
    pub(crate) fn budget_tight(&self) -> bool {
        self.budget.is_some_and(|b| self.moves >= b)
    }

    /// Whether `moves` moves are within the budget.
    pub(crate) fn budget_within(&self, moves: u64) -> bool {
        self.budget.is_none_or(|b| moves <= b)
    }

    /// Moves over the budget (0 without a budget).
    pub(crate) fn budget_excess(&self) -> u64 {
        self.budget.map_or(0, |b| self.moves.saturating_sub(b))
    }

    /// The lexicographic key with `third` as the peak term.
    pub(crate) fn key_with(&self, third: u64) -> Key {
        let risk = match self.kind {
            ObjectiveKind::Default => 0,
            ObjectiveKind::Risk => self.risk,
        };
        [
            self.budget_excess(),
            risk,
            third,
            self.pairs,
            self.moves,
            self.shift,
        ]
    }

    /// Puts every item on its candidate in `snapshot` (indexed by item), changing only
    /// the items whose candidate differs.
    pub(crate) fn restore_to(&mut self, snapshot: &[u32]) {
        for (i, &k) in snapshot.iter().enumerate() {
            if self.choice[i] != k {
                self.remove(i);
                self.add(i, k as usize);
            }
        }
    }

    /// The lexicographic key with the (refined) excess over the cap as the peak term.
    pub(crate) fn key(&self) -> Key {
        self.key_with(
            self.weighted_excess
                .saturating_mul(1 << 32)
                .saturating_add(self.soft_excess.min((1 << 32) - 1)),
        )
    }

    /// The objective of the (complete) plan, from the kept terms and one pass over the
    /// cells (no recomputation from scratch): equal to `evaluate` of [`State::days`],
    /// risk summed in the same cell order. Also the risk in integer units.
    pub(crate) fn objective(&self) -> (Objective, u64) {
        let mut risk = 0.0;
        for (c, component) in self.instance.components.iter().enumerate() {
            for cell in self.layout.component_cells(c) {
                if self.count[cell] >= 2 {
                    risk += component.risk * component.factor() as f64;
                }
            }
        }
        (
            Objective {
                peak: self.peak(),
                clash_pairs: self.pairs,
                moves: self.moves,
                total_shift: self.shift,
                risk,
            },
            self.risk,
        )
    }

    /// The highest cell load.
    pub(crate) fn peak(&self) -> u64 {
        self.load.iter().copied().max().unwrap_or(0)
    }

    /// Items currently on (component `c`, axis day `day`); none where no item touching
    /// `c` can be.
    pub(crate) fn occupants(&self, c: usize, day: usize) -> &[u32] {
        match self.layout.slot(c, day) {
            Some(slot) => &self.occupants[slot],
            None => &[],
        }
    }

    /// The axis day of every item (0 for unassigned ones).
    pub(crate) fn days(&self) -> Vec<u32> {
        self.choice
            .iter()
            .enumerate()
            .map(|(i, &k)| {
                if k == UNASSIGNED {
                    0
                } else {
                    self.instance.items[i].candidates[k as usize].day
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimise::instance::{Candidate, Component, Item};
    use crate::optimise::objective::evaluate_with_units;

    #[test]
    fn incremental_terms_match_recomputation() {
        let instance = Instance {
            n_days: 4,
            components: vec![
                Component {
                    window: 2,
                    risk: 0.1,
                    multiplicity: 1,
                },
                Component {
                    window: 1,
                    risk: 0.2,
                    multiplicity: 1,
                },
            ],
            items: (0..5)
                .map(|i| Item {
                    weight: 1000 + 500 * i,
                    components: if i % 2 == 0 { vec![0, 1] } else { vec![1] },
                    candidates: (0..4).map(|d| Candidate { day: d, shift: d }).collect(),
                    proposed: Some(i as u32 % 4),
                    block: None,
                })
                .collect(),
            ..Default::default()
        };
        let layout = Layout::new(&instance);
        let mut state = State::new(&instance, &layout, 2500, None, ObjectiveKind::Risk);
        let plan = [0usize, 1, 0, 3, 1];
        for (i, &k) in plan.iter().enumerate() {
            state.add(i, k);
        }
        state.remove(2);
        state.add(2, 2);
        let days = state.days();
        let (objective, units) = evaluate_with_units(&instance, &days, None);
        assert_eq!(state.objective(), (objective, units));
        assert_eq!(state.peak(), objective.peak);
        assert_eq!(state.pairs, objective.clash_pairs);
        assert_eq!(state.moves, objective.moves);
        assert_eq!(state.shift, objective.total_shift);
        assert_eq!(state.risk, units);
        let excess: u64 = state.load.iter().map(|l| l.saturating_sub(2500)).sum();
        assert_eq!(state.excess, excess);
    }
}
