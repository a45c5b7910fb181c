//! Constructive start: most-constrained items first, each on its cheapest day.

use super::deadline::Deadline;
use super::state::State;

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
/// Once the `deadline` has passed, the items left go straight to their first candidate
/// in that order (their proposed day when allowed), so a complete plan always exists.
pub(crate) fn construct(state: &mut State<'_>, items: &[usize], deadline: &Deadline) {
    let mut out_of_time = false;
    for i in placement_order(state, items) {
        if state.choice[i] != super::state::UNASSIGNED {
            continue;
        }
        out_of_time = out_of_time || state.past(deadline);
        if out_of_time {
            let k = candidate_order(state, i).first().copied().unwrap_or(0);
            state.add(i, k);
            continue;
        }
        let mut best: Option<(super::objective::Key, usize)> = None;
        for k in candidate_order(state, i) {
            state.add(i, k);
            let key = state.key();
            state.remove(i);
            if best.is_none_or(|(b, _)| key < b) {
                best = Some((key, k));
            }
        }
        if let Some((_, k)) = best {
            state.add(i, k);
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
