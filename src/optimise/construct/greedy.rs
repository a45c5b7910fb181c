//! Constructive start: most-constrained items first, each on its cheapest day.

use crate::optimise::deadline::Deadline;
use crate::optimise::links::Domains;
use crate::optimise::state::{State, UNASSIGNED};

/// Order in which greedy places items: items that must move first (so that a move
/// budget is spent on them), then fewest candidates, then heaviest, then index.
pub(crate) fn placement_order(state: &State<'_>, items: &[usize]) -> Vec<usize> {
    let mut order: Vec<usize> = items.to_vec();
    order.sort_by_key(|&i| {
        let item = &state.instance.items[i];
        let can_stay = item
            .proposed
            .is_some_and(|p| item.candidates.iter().any(|c| c.day == p));
        (
            can_stay,
            item.candidates.len(),
            std::cmp::Reverse(item.weight),
            i,
        )
    });
    order
}

/// Places every unassigned item of `items` on the candidate with the smallest key
/// (ties: the earlier candidate in proposed-first, then shift, then day order).
///
/// With links, each item only takes candidates within its propagated domain, and the
/// domains are propagated after each placement: on an instance whose domains are
/// consistent (see [`crate::optimise::links`]) this never dead-ends, so the plan keeps every link.
///
/// Once the `deadline` has passed, the items left go straight to their first candidate
/// in that order that keeps the links (their proposed day when allowed), so a complete
/// plan always exists.
pub(crate) fn construct(state: &mut State<'_>, items: &[usize], deadline: &Deadline) {
    let mut out_of_time = false;
    let instance = state.instance;
    let graph = &state.layout.links;
    let mut domains = (!graph.is_empty()).then(|| {
        let mut d = Domains::full(instance);
        let placed: Vec<usize> = (0..instance.items.len())
            .filter(|&i| state.choice[i] != UNASSIGNED)
            .collect();
        for &i in &placed {
            d.lo[i] = state.choice[i] as usize;
            d.hi[i] = state.choice[i] as usize;
        }
        // On a conflict (placed items already break a link) fall back to the links
        // checked against placed items only.
        d.propagate(instance, graph, 0..instance.items.len())
            .ok()
            .map(|()| d)
    });
    for i in placement_order(state, items) {
        if state.choice[i] != UNASSIGNED {
            continue;
        }
        let order = candidate_order(state, i);
        let keeps_links = |k: usize| match &domains {
            Some(Some(d)) => (d.lo[i]..=d.hi[i]).contains(&k),
            Some(None) => state.allowed(i, k),
            None => true,
        };
        let open: Vec<usize> = order.iter().copied().filter(|&k| keeps_links(k)).collect();
        // Only when the links cannot be kept (never on a consistent instance) does
        // the item take any candidate; the independent checker then reports it.
        let mut tried = if open.is_empty() { order } else { open };
        out_of_time = out_of_time || state.past(deadline);
        if out_of_time {
            tried.truncate(1);
        }
        let mut best: Option<(crate::optimise::objective::Key, usize)> = None;
        for k in tried {
            state.add(i, k);
            let key = state.key();
            state.remove(i);
            if best.is_none_or(|(b, _)| key < b) {
                best = Some((key, k));
            }
        }
        if let Some((_, k)) = best {
            state.add(i, k);
            if let Some(Some(d)) = &mut domains {
                if d.fix(instance, graph, i, k).is_err() {
                    domains = Some(None);
                }
            }
        }
    }
}

/// Candidate indices of item `i`: proposed day first, then by shift, then by day.
pub(crate) fn candidate_order(state: &State<'_>, i: usize) -> Vec<usize> {
    let item = &state.instance.items[i];
    let mut order: Vec<usize> = (0..item.candidates.len()).collect();
    order.sort_by_key(|&k| {
        let c = item.candidates[k];
        (item.proposed != Some(c.day), c.shift, c.day)
    });
    order
}
