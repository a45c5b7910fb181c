//! Flat indexing of the (component, window-end day) cells and the (component, day) slots,
//! and the link adjacency.
//!
//! A component only needs cells where some item touching it can land: from the first
//! candidate day of those items to their last candidate day plus the window minus one.
//! So memory grows with the items and their candidate days, not with the length of the
//! axis times the number of components (a component used by one release in March has a
//! few cells around March only).

use crate::optimise::instance::Instance;
use crate::optimise::links::LinkGraph;

/// Flat cell indices: component `c` owns the cells `offset(c) .. offset(c) + days(c) + window(c) - 1`
/// where `days(c)` counts the days from `first_day(c)` to the last candidate day of an item
/// touching `c`; the cell `offset(c) + d - first_day(c)` is the window ending on day `d`.
/// Likewise each (component, day) in that range has one *slot* (for occupant lists).
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    offsets: Vec<usize>,
    slot_offsets: Vec<usize>,
    first_day: Vec<u32>,
    days: Vec<usize>,
    windows: Vec<usize>,
    n_cells: usize,
    n_slots: usize,
    /// Multiplicity of each cell's component; empty when every component has
    /// multiplicity 1 (see [`crate::optimise::Component::multiplicity`]).
    cell_factor: Vec<u32>,
    /// The instance's precedence links.
    pub(crate) links: LinkGraph,
}

impl Layout {
    /// The layout of an instance.
    pub(crate) fn new(instance: &Instance) -> Self {
        let n = instance.components.len();
        let mut first = vec![u32::MAX; n];
        let mut last = vec![0u32; n];
        for item in &instance.items {
            let (Some(lo), Some(hi)) = (item.candidates.first(), item.candidates.last()) else {
                continue;
            };
            for &c in &item.components {
                if let Some(f) = first.get_mut(c as usize) {
                    *f = (*f).min(lo.day);
                    last[c as usize] = last[c as usize].max(hi.day);
                }
            }
        }
        let mut offsets = Vec::with_capacity(n);
        let mut slot_offsets = Vec::with_capacity(n);
        let mut windows = Vec::with_capacity(n);
        let mut days = Vec::with_capacity(n);
        let mut next = 0usize;
        let mut next_slot = 0usize;
        for (c, component) in instance.components.iter().enumerate() {
            let window = (component.window.max(1)) as usize;
            let span = if first[c] == u32::MAX {
                first[c] = 0;
                0
            } else {
                (last[c] - first[c]) as usize + 1
            };
            offsets.push(next);
            slot_offsets.push(next_slot);
            windows.push(window);
            days.push(span);
            if span > 0 {
                next += span + window - 1;
                next_slot += span;
            }
        }
        let cell_factor = if instance.components.iter().all(|c| c.factor() == 1) {
            Vec::new()
        } else {
            let mut factors = vec![1u32; next];
            for (c, component) in instance.components.iter().enumerate() {
                if days[c] > 0 {
                    let cells = offsets[c]..offsets[c] + days[c] + windows[c] - 1;
                    factors[cells].fill(component.multiplicity.max(1));
                }
            }
            factors
        };
        Layout {
            cell_factor,
            offsets,
            slot_offsets,
            first_day: first,
            days,
            windows,
            n_cells: next,
            n_slots: next_slot,
            links: LinkGraph::new(instance),
        }
    }

    /// Total number of cells.
    pub(crate) fn n_cells(&self) -> usize {
        self.n_cells
    }

    /// Total number of (component, day) slots.
    pub(crate) fn n_slots(&self) -> usize {
        self.n_slots
    }

    /// How many times the clash pairs of `cell` count (its component's multiplicity).
    pub(crate) fn factor(&self, cell: usize) -> u64 {
        self.cell_factor.get(cell).map_or(1, |&f| u64::from(f))
    }

    /// Window length of component `c` (at least 1).
    pub(crate) fn window(&self, c: usize) -> usize {
        self.windows[c]
    }

    /// The cells an item on `day` contributes to for component `c` (`day` must be a
    /// candidate day of an item touching `c`).
    pub(crate) fn cells(&self, c: usize, day: u32) -> std::ops::Range<usize> {
        let start = self.offsets[c] + day.saturating_sub(self.first_day[c]) as usize;
        start..start + self.windows[c]
    }

    /// All cells of component `c` (empty when no item touches it).
    pub(crate) fn component_cells(&self, c: usize) -> std::ops::Range<usize> {
        let n = if self.days[c] == 0 {
            0
        } else {
            self.days[c] + self.windows[c] - 1
        };
        self.offsets[c]..self.offsets[c] + n
    }

    /// The day on which the window of `cell` (a cell of component `c`) ends.
    pub(crate) fn end_day(&self, c: usize, cell: usize) -> usize {
        self.first_day[c] as usize + (cell - self.offsets[c])
    }

    /// The slot of (component `c`, `day`), if an item touching `c` can be on `day`.
    pub(crate) fn slot(&self, c: usize, day: usize) -> Option<usize> {
        let first = self.first_day[c] as usize;
        (day >= first && day - first < self.days[c]).then(|| self.slot_offsets[c] + day - first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimise::instance::{Candidate, Component, Item};

    #[test]
    fn cells_cover_only_the_days_items_can_reach() {
        let component = |window| Component {
            window,
            risk: 0.0,
            multiplicity: 1,
        };
        let item = |c: u32, days: &[u32]| Item {
            weight: 1000,
            components: vec![c],
            candidates: days
                .iter()
                .map(|&day| Candidate { day, shift: 0 })
                .collect(),
            proposed: days.first().copied(),
            block: None,
        };
        let instance = Instance {
            n_days: 1_000_000,
            components: vec![component(1), component(3), component(2)],
            items: vec![item(0, &[10, 12]), item(1, &[500_000]), item(0, &[11])],
            ..Default::default()
        };
        let layout = Layout::new(&instance);
        // Component 0: days 10..=12 (3 cells); component 1: one day, window 3 (3 cells);
        // component 2: unused.
        assert_eq!(layout.n_cells(), 6);
        assert_eq!(layout.n_slots(), 4);
        assert_eq!(layout.cells(0, 10), 0..1);
        assert_eq!(layout.cells(0, 12), 2..3);
        assert_eq!(layout.cells(1, 500_000), 3..6);
        assert_eq!(layout.component_cells(1), 3..6);
        assert_eq!(layout.end_day(1, 5), 500_002);
        assert_eq!(layout.component_cells(2), 6..6);
        assert_eq!(layout.slot(0, 9), None);
        assert_eq!(layout.slot(0, 11), Some(1));
        assert_eq!(layout.slot(1, 500_000), Some(3));
        assert_eq!(layout.slot(2, 0), None);
    }
}
