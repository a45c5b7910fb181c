//! The abstract planning problem the engine solves.

/// A planning problem on an axis of days `0..n_days` (ascending dates; in practice
/// the working days that any release could use).
///
/// Exposure of component `c` on day `d` is the sum of the weights of the items
/// touching `c` placed on days `d - window(c) + 1 ..= d`; for `window = 1` that is
/// just day `d`. Clash pairs add `n (n - 1) / 2` over every component and every such
/// window, `n` counting items (unweighted). See `docs/objective.md`.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    /// Number of positions on the day axis.
    pub n_days: usize,
    /// The failure points.
    pub components: Vec<Component>,
    /// The releases to place (cancelled releases are left out).
    pub items: Vec<Item>,
}

/// A failure point as the engine sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    /// How many consecutive axis days one failure affects (>= 1).
    pub window: u32,
    /// Weight of a clash cell of this component in the `risk` objective:
    /// `-ln(1 - p)` with `p` the daily failure probability (0 when unused).
    pub risk: f64,
}

/// A release as the engine sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Weight in thousandths (see [`crate::model::Weight`]).
    pub weight: u64,
    /// Sorted, distinct component indices the item touches.
    pub components: Vec<u32>,
    /// The days it may be placed on, sorted by day, distinct. A fixed (confirmed)
    /// item has exactly one. Never empty in an instance handed to the engine.
    pub candidates: Vec<Candidate>,
    /// The axis day of its proposed date; placing it elsewhere counts as a move.
    /// `None` when the proposed date is not on the axis (it must move).
    pub proposed: Option<u32>,
}

/// One allowed day for an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// Axis day.
    pub day: u32,
    /// |shift| in working days of the item's nation from its proposed date.
    pub shift: u32,
}

impl Item {
    /// Whether the item has a single possible day.
    pub fn is_fixed(&self) -> bool {
        self.candidates.len() == 1
    }
}
