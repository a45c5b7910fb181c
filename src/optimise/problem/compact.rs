//! Shortening long empty stretches of the day axis, so that effort and memory do not
//! grow with the span of the calendar (a release dated in 2199 next to a 2027 calendar).
//!
//! Items interact only through windows: two days share a window of component `c` iff
//! they are less than `window(c)` days apart, and the cells holding a given set of
//! occupied days depend only on the distances between consecutive occupied days below
//! the window. So every gap between consecutive candidate days longer than the largest
//! window `W` can be cut down to `W` days without changing any cell's items: peak,
//! clash pairs, moves, shift and risk are the same for every plan. Days that are no
//! item's candidate carry nothing and are dropped from the ends.

use std::borrow::Cow;

use crate::optimise::instance::Instance;

/// An instance on a compacted axis, and the map back to the original days.
pub(crate) struct CompactAxis<'a> {
    instance: Cow<'a, Instance>,
    /// Original day of each compacted day (empty when the axis is unchanged).
    original: Vec<u32>,
}

impl<'a> CompactAxis<'a> {
    /// Compacts `instance` (borrowed unchanged when no gap is longer than the largest
    /// window and day 0 is a candidate day).
    pub(crate) fn new(instance: &'a Instance) -> Self {
        let mut days: Vec<u32> = instance
            .items
            .iter()
            .flat_map(|item| item.candidates.iter().map(|c| c.day))
            .collect();
        days.sort_unstable();
        days.dedup();
        let widest = instance
            .components
            .iter()
            .map(|c| c.window.max(1))
            .max()
            .unwrap_or(1);
        let unchanged = days.first().is_none_or(|&first| first == 0)
            && days.windows(2).all(|pair| pair[1] - pair[0] <= widest)
            && days
                .last()
                .is_none_or(|&last| last as usize + 1 == instance.n_days);
        if unchanged {
            return CompactAxis {
                instance: Cow::Borrowed(instance),
                original: Vec::new(),
            };
        }
        // New position of every kept day: gaps longer than the widest window shrink to it.
        let mut position = Vec::with_capacity(days.len());
        let mut at = 0u32;
        for (k, &day) in days.iter().enumerate() {
            if k > 0 {
                at += (day - days[k - 1]).min(widest);
            }
            position.push(at);
        }
        let n_days = position.last().map_or(0, |&p| p as usize + 1);
        // The original day of every compacted day (positions inside shortened gaps map to
        // the day that many days after the previous kept day; nothing can land there).
        let mut original = Vec::with_capacity(n_days);
        for (k, &day) in days.iter().enumerate() {
            original.push(day);
            if let Some(&next) = position.get(k + 1) {
                for step in 1..next - position[k] {
                    original.push(day + step);
                }
            }
        }
        let map = |day: u32| -> Option<u32> { days.binary_search(&day).ok().map(|k| position[k]) };
        let mut compact = instance.clone();
        for item in &mut compact.items {
            for candidate in &mut item.candidates {
                candidate.day = map(candidate.day).unwrap_or(0);
            }
            item.proposed = item.proposed.and_then(map);
        }
        compact.n_days = n_days;
        // Links measure calendar days: keep each day's number.
        compact.day_numbers = original.iter().map(|&d| instance.day_number(d)).collect();
        CompactAxis {
            instance: Cow::Owned(compact),
            original,
        }
    }

    /// The instance to solve.
    pub(crate) fn instance(&self) -> &Instance {
        &self.instance
    }

    /// The compacted day of every item's original day (days that are no candidate of
    /// any item map to the nearest kept day at or before them).
    pub(crate) fn compact_days(&self, days: &[u32]) -> Vec<u32> {
        if self.original.is_empty() {
            return days.to_vec();
        }
        days.iter()
            .map(|&d| match self.original.binary_search(&d) {
                Ok(k) => k as u32,
                Err(k) => k.saturating_sub(1) as u32,
            })
            .collect()
    }

    /// The original day of every item's compacted day.
    pub(crate) fn original_days(&self, days: Vec<u32>) -> Vec<u32> {
        if self.original.is_empty() {
            return days;
        }
        days.into_iter()
            .map(|d| self.original.get(d as usize).copied().unwrap_or(d))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimise::instance::{Candidate, Component, Item};
    use crate::optimise::objective::evaluate_with_units;

    fn item(days: &[u32], proposed: Option<u32>, components: Vec<u32>) -> Item {
        Item {
            weight: 1000,
            components,
            candidates: days
                .iter()
                .map(|&day| Candidate {
                    day,
                    shift: proposed.map_or(1, |p| p.abs_diff(day)),
                })
                .collect(),
            proposed,
            block: None,
        }
    }

    #[test]
    fn dense_axes_are_left_alone() {
        let instance = Instance {
            n_days: 4,
            components: vec![Component {
                window: 2,
                risk: 0.0,
                multiplicity: 1,
            }],
            items: vec![
                item(&[0, 1], Some(0), vec![0]),
                item(&[3], Some(3), vec![0]),
            ],
            ..Default::default()
        };
        let compact = CompactAxis::new(&instance);
        assert!(matches!(compact.instance, Cow::Borrowed(_)));
        assert_eq!(compact.original_days(vec![1, 3]), vec![1, 3]);
    }

    #[test]
    fn long_gaps_shrink_to_the_widest_window_and_every_plan_keeps_its_objective() {
        let instance = Instance {
            n_days: 50_000,
            components: vec![
                Component {
                    window: 3,
                    risk: 0.5,
                    multiplicity: 1,
                },
                Component {
                    window: 1,
                    risk: 0.25,
                    multiplicity: 1,
                },
            ],
            items: vec![
                item(&[100, 101, 103], Some(101), vec![0, 1]),
                item(&[102, 105], Some(102), vec![0]),
                item(&[104, 40_000], None, vec![0, 1]),
                item(&[40_001, 49_999], Some(40_001), vec![1]),
                item(&[40_002], Some(40_002), vec![0]),
            ],
            ..Default::default()
        };
        let compact = CompactAxis::new(&instance);
        let small = compact.instance();
        assert!(small.n_days < 20, "{}", small.n_days);
        // Every plan has the same objective on both axes.
        let mut plan = vec![0usize; instance.items.len()];
        loop {
            let days: Vec<u32> = plan
                .iter()
                .enumerate()
                .map(|(i, &k)| instance.items[i].candidates[k].day)
                .collect();
            let small_days: Vec<u32> = plan
                .iter()
                .enumerate()
                .map(|(i, &k)| small.items[i].candidates[k].day)
                .collect();
            assert_eq!(
                evaluate_with_units(&instance, &days, None),
                evaluate_with_units(small, &small_days, None)
            );
            assert_eq!(compact.original_days(small_days.clone()), days);
            assert_eq!(compact.compact_days(&days), small_days);
            let mut i = 0;
            loop {
                if i == plan.len() {
                    return;
                }
                plan[i] += 1;
                if plan[i] < instance.items[i].candidates.len() {
                    break;
                }
                plan[i] = 0;
                i += 1;
            }
        }
    }
}
