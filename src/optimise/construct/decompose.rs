//! Splitting an instance into independent sub-problems.
//!
//! Two items interact only through a (component, window-end day) cell both could reach.
//! Per component, each item reaches at most the cells from its first candidate day to
//! its last candidate day plus the window minus one; items whose ranges overlap are
//! joined (union-find). Every cell can then be reached by items of one group only, so
//! all objective terms add up over groups (the peak is their maximum). Items joined by
//! a link that can bind (some pair of their candidates breaks it) share a group too.

use crate::optimise::instance::Instance;

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let ra = find(parent, a);
    let rb = find(parent, b);
    if ra != rb {
        // Keep the smaller index as root so the result is order independent.
        let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
        parent[hi] = lo;
    }
}

/// Independent groups of item indices; each group sorted, groups ordered by first item.
pub(crate) fn independent_groups(instance: &Instance) -> Vec<Vec<usize>> {
    let n = instance.items.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let mut ranges: Vec<Vec<(u64, u64, usize)>> = vec![Vec::new(); instance.components.len()];
    // Items in order of their first day, so that every component's list comes out sorted
    // by start (all the sweep below needs) without sorting each list: linear in the
    // (item, component) pairs, which matters when items touch thousands of components.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| instance.items[i].candidates.first().map(|c| c.day));
    for i in order {
        let item = &instance.items[i];
        let (Some(first), Some(last)) = (item.candidates.first(), item.candidates.last()) else {
            continue;
        };
        for &c in &item.components {
            if let Some(component) = instance.components.get(c as usize) {
                let end = u64::from(last.day) + u64::from(component.window.max(1)) - 1;
                ranges[c as usize].push((u64::from(first.day), end, i));
            }
        }
    }
    for list in &ranges {
        let mut current: Option<(u64, usize)> = None;
        for &(start, end, i) in list.iter() {
            match current {
                Some((reach, anchor)) if start <= reach => {
                    union(&mut parent, anchor, i);
                    current = Some((reach.max(end), anchor));
                }
                _ => current = Some((end, i)),
            }
        }
    }
    // A link couples its two items unless every pair of their candidates keeps it.
    for link in &instance.links {
        let (a, b) = (link.before as usize, link.after as usize);
        let (Some(ia), Some(ib)) = (instance.items.get(a), instance.items.get(b)) else {
            continue;
        };
        let (Some(last_a), Some(first_b)) = (ia.candidates.last(), ib.candidates.first()) else {
            continue;
        };
        if instance.day_number(first_b.day) - instance.day_number(last_a.day) < link.min_days {
            union(&mut parent, a, b);
        }
    }
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        let root = find(&mut parent, i);
        groups[root].push(i);
    }
    groups.into_iter().filter(|g| !g.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimise::instance::{Candidate, Component, Item};

    fn item(component: u32, days: &[u32]) -> Item {
        Item {
            weight: 1000,
            components: vec![component],
            candidates: days
                .iter()
                .map(|&day| Candidate { day, shift: 0 })
                .collect(),
            proposed: days.first().copied(),
            block: None,
        }
    }

    #[test]
    fn items_split_by_component_and_time() {
        let instance = Instance {
            n_days: 20,
            components: vec![
                Component {
                    window: 1,
                    risk: 0.0,
                    multiplicity: 1,
                },
                Component {
                    window: 3,
                    risk: 0.0,
                    multiplicity: 1,
                },
            ],
            items: vec![
                item(0, &[0, 2]),
                item(0, &[2, 4]),
                item(0, &[10, 12]),
                item(1, &[10]),
                item(1, &[12]), // window 3 reaches cells 10..=12 and 12..=14: overlaps
                item(1, &[16]),
            ],
            ..Default::default()
        };
        let groups = independent_groups(&instance);
        assert_eq!(groups, vec![vec![0, 1], vec![2], vec![3, 4], vec![5]]);
    }

    #[test]
    fn items_listed_out_of_day_order_are_grouped_by_their_days() {
        let component = Component {
            window: 1,
            risk: 0.0,
            multiplicity: 1,
        };
        let instance = Instance {
            n_days: 20,
            components: vec![component.clone(), component],
            items: vec![
                item(0, &[10, 12]),
                item(0, &[0, 2]),
                item(1, &[7, 9]),
                item(0, &[2, 5]),
                item(1, &[3, 7]),
                item(0, &[12]),
            ],
            ..Default::default()
        };
        let groups = independent_groups(&instance);
        assert_eq!(groups, vec![vec![0, 5], vec![1, 3], vec![2, 4]]);
    }
}
