//! The abstract planning problem the engine solves.

/// A planning problem on an axis of days `0..n_days` (ascending dates; in practice
/// the working days that any release could use).
///
/// Exposure of component `c` on day `d` is the sum of the weights of the items
/// touching `c` placed on days `d - window(c) + 1 ..= d`; for `window = 1` that is
/// just day `d`. Clash pairs add `n (n - 1) / 2` over every component and every such
/// window, `n` counting releases (unweighted). See `docs/objective.md`.
///
/// Items may be linked ([`Link`]): one must be placed at least a number of calendar
/// days after another (series order and rhythm, `after` columns). A block of
/// releases published together is one item ([`Block`]).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct Instance {
    /// Number of positions on the day axis.
    pub n_days: usize,
    /// The failure points.
    pub components: Vec<Component>,
    /// The releases to place (cancelled releases are left out).
    pub items: Vec<Item>,
    /// Precedence links between items (hard rules).
    pub links: Vec<Link>,
    /// Calendar day number of each axis day, strictly increasing (links measure
    /// gaps in calendar days). Empty: axis day `d` is calendar day `d`.
    pub day_numbers: Vec<i64>,
}

impl Instance {
    /// The calendar day number of axis day `day`.
    pub fn day_number(&self, day: u32) -> i64 {
        self.day_numbers
            .get(day as usize)
            .copied()
            .unwrap_or(i64::from(day))
    }
}

/// Item `after` must be placed at least `min_days` calendar days after item `before`
/// (`0`: the same day or later).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Link {
    /// The earlier item.
    pub before: u32,
    /// The later item.
    pub after: u32,
    /// Smallest gap in calendar days (see [`Instance::day_numbers`]).
    pub min_days: i64,
}

/// A failure point as the engine sees it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Component {
    /// How many consecutive axis days one failure affects (>= 1).
    pub window: u32,
    /// Weight of a clash cell of this component in the `risk` objective:
    /// `-ln(1 - p)` with `p` the daily failure probability (0 when unused).
    pub risk: f64,
    /// How many identical failure points this component stands for (>= 1): failure
    /// points carrying exactly the same items with the same window and risk are
    /// merged into one (see `problem::merge`). Peak is unchanged; clash pairs and
    /// risk of its cells count `multiplicity` times.
    pub multiplicity: u32,
}

impl Component {
    /// The multiplicity as a factor (0 counts as 1).
    pub fn factor(&self) -> u64 {
        u64::from(self.multiplicity.max(1))
    }
}

/// A release (or a block of releases published together) as the engine sees it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Item {
    /// Weight in thousandths (see [`crate::model::Weight`]) the item adds to each of
    /// its components; for a block, the largest per-component weight (see `block`).
    pub weight: u64,
    /// Sorted, distinct component indices the item touches.
    pub components: Vec<u32>,
    /// The days it may be placed on, sorted by day, distinct. A fixed (confirmed)
    /// item has exactly one. Never empty in an instance handed to the engine.
    pub candidates: Vec<Candidate>,
    /// The axis day of its proposed date; placing it elsewhere counts as a move.
    /// `None` when the proposed date is not on the axis (it must move).
    pub proposed: Option<u32>,
    /// For a block of several releases: the per-component counts and weights and
    /// the per-candidate moves. `None` for a single release.
    pub block: Option<Box<Block>>,
}

/// Several releases published on one day, placed as one item.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Block {
    /// Number of releases in the block.
    pub releases: u32,
    /// For each of the item's `components`: the releases of the block touching it.
    pub counts: Vec<u32>,
    /// For each of the item's `components`: their summed weight (thousandths).
    pub weights: Vec<u64>,
    /// For each candidate: how many releases of the block it moves (those whose own
    /// proposed day is another day).
    pub moves: Vec<u32>,
}

/// One allowed day for an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Candidate {
    /// Axis day.
    pub day: u32,
    /// |shift| in working days of the item's nation from its proposed date (for a
    /// block, summed over its releases).
    pub shift: u32,
}

impl Item {
    /// A single release of `weight` on `components`.
    pub fn single(
        weight: u64,
        components: Vec<u32>,
        candidates: Vec<Candidate>,
        proposed: Option<u32>,
    ) -> Item {
        Item {
            weight,
            components,
            candidates,
            proposed,
            block: None,
        }
    }

    /// Whether the item has a single possible day.
    pub fn is_fixed(&self) -> bool {
        self.candidates.len() == 1
    }

    /// The weight the item adds to its `j`-th component (`components[j]`).
    pub fn weight_on(&self, j: usize) -> u64 {
        match &self.block {
            Some(b) => b.weights.get(j).copied().unwrap_or(0),
            None => self.weight,
        }
    }

    /// How many releases the item puts on its `j`-th component.
    pub fn count_on(&self, j: usize) -> u32 {
        match &self.block {
            Some(b) => b.counts.get(j).copied().unwrap_or(0),
            None => 1,
        }
    }

    /// The components with the item's count and weight on each.
    pub fn loads(&self) -> impl Iterator<Item = (usize, u32, u64)> + '_ {
        self.components
            .iter()
            .enumerate()
            .map(|(j, &c)| (c as usize, self.count_on(j), self.weight_on(j)))
    }

    /// Releases moved when the item is placed on candidate `k`.
    pub fn moves_at(&self, k: usize) -> u32 {
        match &self.block {
            Some(b) => b.moves.get(k).copied().unwrap_or(0),
            None => u32::from(self.proposed != self.candidates.get(k).map(|c| c.day)),
        }
    }

    /// Number of releases in the item.
    pub fn releases(&self) -> u32 {
        self.block.as_ref().map_or(1, |b| b.releases)
    }

    /// The candidate with the fewest moves (the first one on ties): where the item
    /// is "at home". `None` only without candidates.
    pub fn home(&self) -> Option<usize> {
        (0..self.candidates.len()).min_by_key(|&k| (self.moves_at(k), k))
    }
}
