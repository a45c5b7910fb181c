//! Flat indexing of the (component, window-end day) cells, and the link adjacency.

use super::instance::Instance;
use super::links::LinkGraph;

/// Flat cell indices: component `c` owns cells `offset(c) .. offset(c) + n_days + window(c) - 1`;
/// cell `offset(c) + d` is the window ending on day `d`.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    offsets: Vec<usize>,
    windows: Vec<usize>,
    n_cells: usize,
    /// The instance's precedence links.
    pub(crate) links: LinkGraph,
}

impl Layout {
    /// The layout of an instance.
    pub(crate) fn new(instance: &Instance) -> Self {
        let mut offsets = Vec::with_capacity(instance.components.len());
        let mut windows = Vec::with_capacity(instance.components.len());
        let mut next = 0usize;
        for component in &instance.components {
            let window = (component.window.max(1)) as usize;
            offsets.push(next);
            windows.push(window);
            next += instance.n_days + window - 1;
        }
        Layout {
            offsets,
            windows,
            n_cells: next,
            links: LinkGraph::new(instance),
        }
    }

    /// Total number of cells.
    pub(crate) fn n_cells(&self) -> usize {
        self.n_cells
    }

    /// Window length of component `c` (at least 1).
    pub(crate) fn window(&self, c: usize) -> usize {
        self.windows[c]
    }

    /// The cells an item on `day` contributes to for component `c`.
    pub(crate) fn cells(&self, c: usize, day: u32) -> std::ops::Range<usize> {
        let start = self.offsets[c] + day as usize;
        start..start + self.windows[c]
    }
}
