//! Merging interchangeable failure points.
//!
//! Two components with the same window and the same risk weight, touched by exactly the
//! same items with the same count and weight on each, have the same load and the same
//! releases in every cell under every plan. One of them, with a multiplicity of two,
//! gives the same objective: the peak is a maximum (unchanged), the clash pairs and the
//! risk of its cells count `multiplicity` times. On a deep dependency chain (every
//! release relies on the thousands of failure points below its own) this turns items
//! touching 10,000 components into items touching a few dozen.
//!
//! Linear in the item–component pairs: every component gets a running hash of its
//! (item, count, weight) list, components are grouped by (window, risk, list length,
//! hash), and every merge is then checked exactly (each item touching a member touches
//! the group's first component with the same count and weight; equal lengths make the
//! lists equal), so a hash collision only costs a merge, never correctness.

use std::borrow::Cow;

use crate::optimise::instance::{Component, Instance};

/// One step of a 64-bit mixing function (splitmix64 finaliser).
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// `instance` with interchangeable components merged (borrowed unchanged when there are
/// none). Items, candidates and links are untouched, so a plan of one is a plan of the
/// other with the same objective.
pub(crate) fn merge_components(instance: &Instance) -> Cow<'_, Instance> {
    let n = instance.components.len();
    if n < 2 {
        return Cow::Borrowed(instance);
    }
    let mut hash = vec![0u64; n];
    let mut len = vec![0u64; n];
    for (i, item) in instance.items.iter().enumerate() {
        for (c, count, weight) in item.loads() {
            let Some(h) = hash.get_mut(c) else { continue };
            let entry = mix(i as u64 ^ mix(u64::from(count) ^ mix(weight)));
            *h = mix(h.wrapping_add(entry));
            len[c] += 1;
        }
    }
    let key = |c: usize| {
        let component = &instance.components[c];
        (
            component.window.max(1),
            component.risk.to_bits(),
            len[c],
            hash[c],
        )
    };
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_unstable_by_key(|&c| (key(c), c));
    // The first (smallest) component of every group of equal keys stands for the group.
    let mut rep: Vec<usize> = (0..n).collect();
    let mut merged_any = false;
    for pair in order.windows(2) {
        if key(pair[0]) == key(pair[1]) {
            rep[pair[1]] = rep[pair[0]];
            merged_any = true;
        }
    }
    if !merged_any {
        return Cow::Borrowed(instance);
    }
    // Exact check: every item touching a member touches its representative alike.
    let mut seen_item = vec![usize::MAX; n];
    let mut seen_load = vec![(0u32, 0u64); n];
    for (i, item) in instance.items.iter().enumerate() {
        for (c, count, weight) in item.loads() {
            if c < n {
                seen_item[c] = i;
                seen_load[c] = (count, weight);
            }
        }
        for (c, count, weight) in item.loads() {
            if c < n && rep[c] != c {
                let r = rep[c];
                if seen_item[r] != i || seen_load[r] != (count, weight) {
                    rep[c] = c; // a hash collision: keep it apart
                }
            }
        }
    }
    // New indices: the representatives in their original order.
    let mut new_index = vec![u32::MAX; n];
    let mut components: Vec<Component> = Vec::new();
    for c in 0..n {
        if rep[c] == c {
            new_index[c] = components.len() as u32;
            components.push(Component {
                multiplicity: 0,
                ..instance.components[c].clone()
            });
        }
    }
    for c in 0..n {
        let merged = &mut components[new_index[rep[c]] as usize];
        merged.multiplicity = merged
            .multiplicity
            .saturating_add(instance.components[c].multiplicity.max(1));
    }
    let mut out = Instance {
        n_days: instance.n_days,
        components,
        items: Vec::with_capacity(instance.items.len()),
        links: instance.links.clone(),
        day_numbers: instance.day_numbers.clone(),
    };
    for item in &instance.items {
        let keep: Vec<usize> = (0..item.components.len())
            .filter(|&j| {
                let c = item.components[j] as usize;
                c >= n || rep[c] == c
            })
            .collect();
        let mut merged = item.clone();
        merged.components = keep
            .iter()
            .map(|&j| {
                let c = item.components[j] as usize;
                new_index.get(c).copied().unwrap_or(c as u32)
            })
            .collect();
        if let Some(block) = merged.block.as_mut() {
            block.counts = keep
                .iter()
                .filter_map(|&j| block.counts.get(j).copied())
                .collect();
            block.weights = keep
                .iter()
                .filter_map(|&j| block.weights.get(j).copied())
                .collect();
        }
        out.items.push(merged);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimise::instance::{Block, Candidate, Item};
    use crate::optimise::objective::{evaluate, evaluate_with_units};
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng as StdRng;

    /// A random instance whose components come in families of identical copies (same
    /// items, window and risk), some items blocks, plus a random plan.
    fn duplicated(seed: u64) -> (Instance, Vec<u32>) {
        let mut rng = StdRng::seed_from_u64(seed);
        let n_days = rng.random_range(3..8u32);
        let families: Vec<(u32, f64, usize)> = (0..rng.random_range(1..5))
            .map(|_| {
                (
                    rng.random_range(1..3u32),
                    rng.random_range(0..4u32) as f64 / 10.0,
                    rng.random_range(1..5usize),
                )
            })
            .collect();
        // Component indices of every family, interleaved in a shuffled order.
        let mut slots: Vec<usize> = families
            .iter()
            .enumerate()
            .flat_map(|(f, &(_, _, copies))| std::iter::repeat_n(f, copies))
            .collect();
        for k in (1..slots.len()).rev() {
            slots.swap(k, rng.random_range(0..=k));
        }
        let components: Vec<Component> = slots
            .iter()
            .map(|&f| Component {
                window: families[f].0,
                risk: families[f].1,
                multiplicity: 1,
            })
            .collect();
        let mut items = Vec::new();
        let mut days = Vec::new();
        for _ in 0..rng.random_range(2..9) {
            let touched: Vec<usize> = (0..families.len())
                .filter(|_| rng.random_bool(0.6))
                .collect();
            let comps: Vec<u32> = (0..slots.len())
                .filter(|&c| touched.contains(&slots[c]))
                .map(|c| c as u32)
                .collect();
            let candidates: Vec<Candidate> = (0..n_days)
                .filter(|_| rng.random_bool(0.6))
                .map(|day| Candidate { day, shift: day })
                .collect();
            let candidates = if candidates.is_empty() {
                vec![Candidate { day: 0, shift: 0 }]
            } else {
                candidates
            };
            let block = rng.random_bool(0.3).then(|| {
                // Per-family count and weight, the same on every copy.
                let per: Vec<(u32, u64)> = (0..families.len())
                    .map(|_| (rng.random_range(1..4), rng.random_range(1..4u64) * 1000))
                    .collect();
                Box::new(Block {
                    releases: 3,
                    counts: comps.iter().map(|&c| per[slots[c as usize]].0).collect(),
                    weights: comps.iter().map(|&c| per[slots[c as usize]].1).collect(),
                    moves: candidates.iter().map(|c| c.day % 3).collect(),
                })
            });
            days.push(candidates[rng.random_range(0..candidates.len())].day);
            items.push(Item {
                weight: rng.random_range(1..5u64) * 1000,
                components: comps,
                proposed: Some(candidates[0].day),
                candidates,
                block,
            });
        }
        let instance = Instance {
            n_days: n_days as usize,
            components,
            items,
            ..Default::default()
        };
        (instance, days)
    }

    #[test]
    fn merging_keeps_every_objective_term_exactly() {
        let mut merged_some = 0;
        for seed in 0..500 {
            let (instance, days) = duplicated(seed);
            let merged = merge_components(&instance);
            if matches!(merged, Cow::Owned(_)) {
                merged_some += 1;
                assert!(merged.components.len() < instance.components.len());
            }
            let total: u32 = merged.components.iter().map(|c| c.multiplicity).sum();
            assert_eq!(total as usize, instance.components.len(), "seed {seed}");
            let (want, want_units) = evaluate_with_units(&instance, &days, None);
            let (got, got_units) = evaluate_with_units(&merged, &days, None);
            assert_eq!(
                (got.peak, got.clash_pairs, got.moves, got.total_shift),
                (want.peak, want.clash_pairs, want.moves, want.total_shift),
                "seed {seed}"
            );
            assert_eq!(got_units, want_units, "seed {seed}");
            assert!((got.risk - want.risk).abs() < 1e-9, "seed {seed}");
        }
        assert!(merged_some > 100, "only {merged_some} instances merged");
    }

    #[test]
    fn components_differing_in_items_window_or_risk_stay_apart() {
        let component = |window, risk| Component {
            window,
            risk,
            multiplicity: 1,
        };
        let item = |components: Vec<u32>| {
            Item::single(
                1000,
                components,
                vec![Candidate { day: 0, shift: 0 }],
                Some(0),
            )
        };
        let instance = Instance {
            n_days: 2,
            components: vec![
                component(1, 0.1),
                component(1, 0.1), // same as 0: merged
                component(2, 0.1), // other window
                component(1, 0.2), // other risk
                component(1, 0.1), // other items
            ],
            items: vec![item(vec![0, 1, 2, 3]), item(vec![0, 1, 2, 3, 4])],
            ..Default::default()
        };
        let merged = merge_components(&instance);
        let multiplicities: Vec<u32> = merged.components.iter().map(|c| c.multiplicity).collect();
        assert_eq!(multiplicities, vec![2, 1, 1, 1]);
        assert_eq!(merged.items[0].components, vec![0, 1, 2]);
        assert_eq!(merged.items[1].components, vec![0, 1, 2, 3]);
        assert_eq!(evaluate(&merged, &[0, 0]), evaluate(&instance, &[0, 0]));
        let distinct = Instance {
            components: instance.components[2..].to_vec(),
            items: vec![item(vec![0, 1]), item(vec![1, 2])],
            ..instance.clone()
        };
        assert!(matches!(merge_components(&distinct), Cow::Borrowed(_)));
    }
}
