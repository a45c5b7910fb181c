//! The report's headline in plain words, from the plan's figures and lower bounds.
//!
//! Rules: say what the plan reaches and what no plan can beat ("at least 31 are needed
//! for this safety"); a figure that meets its lower bound is "the lowest possible",
//! never "not proven … gap 0"; a risk figure that gets worse is said to, with why,
//! next to the ones that get better.

use crate::model::Weight;

use super::html::{Figure, Headline};

/// A lower bound from the engine: no plan (with the earlier stages at the plan's
/// values) can go below `value`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// The bound, in the figure's own unit (releases for the peak, not thousandths).
    pub value: f64,
}

/// One risk measure before and after, for the headline.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskChange {
    /// What is measured, as a noun phrase: "the chance that one failure delays 2 or more releases at once".
    pub measure: String,
    /// A short form after another measure of the same family ("3 or more"); empty if none.
    pub short: String,
    /// Before, formatted ("76.3%").
    pub before_text: String,
    /// After, formatted.
    pub after_text: String,
    /// Before, as a number (for the direction).
    pub before: f64,
    /// After, as a number.
    pub after: f64,
}

/// The numbers the headline is written from.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadlineFacts {
    /// Peak exposure of the starting calendar.
    pub peak_before: Weight,
    /// Peak exposure of the plan shown.
    pub peak_after: Weight,
    /// Lower bound on the peak (None when unknown or not applicable).
    pub peak_bound: Option<Bound>,
    /// Clash pairs before.
    pub pairs_before: u64,
    /// Clash pairs after.
    pub pairs_after: u64,
    /// Lower bound on the clash pairs at the plan's peak.
    pub pairs_bound: Option<Bound>,
    /// Releases whose date the plan changes.
    pub changes: usize,
    /// Lower bound on the changes needed for the plan's peak and clash pairs.
    pub changes_bound: Option<Bound>,
    /// Whether the plan was made for `--objective risk` (the peak then comes second).
    pub risk_objective: bool,
    /// Risk measures before and after (any order; shown in this order).
    pub risk: Vec<RiskChange>,
    /// Days on which one failure point serves two or more releases (clash cells), before and after.
    pub shared_days: (usize, usize),
    /// Recommended budget, from the trade-off curve: changes for the whole peak drop,
    /// changes for 90% of the clash-pair drop (None when there is no drop).
    pub budget: Option<(u32, Option<u32>)>,
}

/// `11,992`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A bound is met when the value is within rounding of it; a bound below 1 (for a
/// positive value) says nothing worth writing ("at least 0").
fn meets(value: f64, bound: Option<Bound>) -> Option<bool> {
    bound
        .filter(|b| b.value >= 1.0 || value <= b.value + 1e-9)
        .map(|b| value <= b.value + 1e-9)
}

/// A weight or bound in releases: `4`, `2.5`.
fn releases_text(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        thousands(v.round().max(0.0) as u64)
    } else {
        format!("{v:.3}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

/// Writes the headline.
pub fn headline(f: &HeadlineFacts) -> Headline {
    let peak_after = f.peak_after.as_f64();
    let at_risk = if f.risk_objective {
        " at this chance of a multi-release delay"
    } else {
        ""
    };
    let peak_note = match meets(peak_after, f.peak_bound) {
        Some(true) => format!("the lowest possible{at_risk}"),
        Some(false) => format!(
            "no plan{at_risk} can go below {}",
            releases_text(f.peak_bound.map_or(0.0, |b| b.value))
        ),
        None => String::new(),
    };
    let pairs_note = match meets(f.pairs_after as f64, f.pairs_bound) {
        Some(true) => "the fewest possible with this peak".to_string(),
        Some(false) => format!(
            "no plan with this peak has fewer than {}",
            thousands(f.pairs_bound.map_or(0.0, |b| b.value).max(0.0) as u64)
        ),
        None => String::new(),
    };
    let changes_note = match (f.changes, meets(f.changes as f64, f.changes_bound)) {
        (0, _) => "nothing moves".to_string(),
        (_, Some(true)) => "the fewest that give this safety".to_string(),
        (_, Some(false)) => format!(
            "at least {} are needed for this safety",
            thousands(f.changes_bound.map_or(0.0, |b| b.value).max(0.0) as u64)
        ),
        (_, None) => String::new(),
    };
    let figures = vec![
        Figure {
            label: "Most releases one failure can delay on a day".into(),
            value: format!(
                "{} → {}",
                releases_text(f.peak_before.as_f64()),
                releases_text(peak_after)
            ),
            note: peak_note.clone(),
        },
        Figure {
            label: "Clash pairs".into(),
            value: format!(
                "{} → {}",
                thousands(f.pairs_before),
                thousands(f.pairs_after)
            ),
            note: pairs_note.clone(),
        },
        Figure {
            label: "Date changes".into(),
            value: thousands(f.changes as u64),
            note: changes_note.clone(),
        },
    ];
    let mut verdict = Vec::new();
    let direction = |before: f64, after: f64| {
        if after < before {
            format!(
                "falls from {} to {}",
                releases_text(before),
                releases_text(after)
            )
        } else if after > before {
            format!(
                "rises from {} to {}",
                releases_text(before),
                releases_text(after)
            )
        } else {
            format!("stays at {}", releases_text(after))
        }
    };
    let changes_sentence = match (f.changes, changes_note.is_empty()) {
        (0, _) => "No release needs to move.".to_string(),
        (1, true) => "One release changes date.".to_string(),
        (n, true) => format!("{} releases change date.", thousands(n as u64)),
        (1, false) => format!("One release changes date; {changes_note}."),
        (n, false) => format!(
            "{} releases change date; {changes_note}.",
            thousands(n as u64)
        ),
    };
    let with_note = |s: String, note: &str| {
        if note.is_empty() {
            s
        } else {
            format!("{s} ({note})")
        }
    };
    let peak_part = with_note(
        format!(
            "The most releases one failure can delay on a single day {}",
            direction(f.peak_before.as_f64(), peak_after)
        ),
        &peak_note,
    );
    let pairs_part = with_note(
        format!(
            "clash pairs (two releases behind the same failure point on one day) go from {} to {}",
            thousands(f.pairs_before),
            thousands(f.pairs_after)
        ),
        &pairs_note,
    );
    verdict.push(format!("{changes_sentence} {peak_part}, and {pairs_part}."));
    let mut risk = Vec::new();
    let better: Vec<&RiskChange> = f.risk.iter().filter(|r| r.after < r.before).collect();
    let worse: Vec<&RiskChange> = f.risk.iter().filter(|r| r.after > r.before).collect();
    if !better.is_empty() {
        // Measures of one family (a `short` form) after the first go in brackets:
        // "… falls from 23.4% to 4.5% (3 or more: 18.4% → 2.9%)".
        let mut parts: Vec<(String, Vec<String>)> = Vec::new();
        let mut in_family = false;
        for r in &better {
            match parts.last_mut() {
                Some((_, sub)) if in_family && !r.short.is_empty() => {
                    sub.push(format!("{}: {} → {}", r.short, r.before_text, r.after_text));
                }
                _ => {
                    parts.push((
                        format!(
                            "{} falls from {} to {}",
                            r.measure, r.before_text, r.after_text
                        ),
                        Vec::new(),
                    ));
                    in_family = !r.short.is_empty();
                }
            }
        }
        let parts: Vec<String> = parts
            .into_iter()
            .map(|(head, sub)| {
                if sub.is_empty() {
                    head
                } else {
                    format!("{head} ({})", sub.join("; "))
                }
            })
            .collect();
        risk.push(format!("Better: {}.", parts.join("; ")));
    }
    if !worse.is_empty() {
        let peak_fell = peak_after < f.peak_before.as_f64();
        let lowered = if peak_fell {
            "the peak and the clash pairs"
        } else {
            "the clash pairs"
        };
        let why = if f.risk_objective {
            "the plan minimises the chance that one failure delays two or more releases first, which can put more releases on fewer days".to_string()
        } else if f.shared_days.1 > f.shared_days.0 {
            format!(
                "the plan lowers {lowered} by splitting large clashes into more, smaller ones (for example, 3 + 1 releases on two days become 2 + 2), so more days have two or more releases behind one failure point ({} → {}); plan with --objective risk to minimise this chance instead",
                thousands(f.shared_days.0 as u64),
                thousands(f.shared_days.1 as u64)
            )
        } else {
            format!("the plan minimises {lowered}, not this figure; plan with --objective risk to minimise the chance of a multi-release delay instead")
        };
        let parts: Vec<String> = worse
            .iter()
            .map(|r| {
                format!(
                    "{} rises from {} to {}",
                    r.measure, r.before_text, r.after_text
                )
            })
            .collect();
        risk.push(format!("Worse: {}, because {why}.", parts.join("; and ")));
    }
    let budget = f.budget.and_then(|(peak, pairs)| {
        if f.changes == 0 {
            return None;
        }
        let peak_part = if f.peak_before.as_f64() > peak_after {
            Some(format!(
                "{} give the whole drop of the peak ({} → {})",
                changes_words(peak),
                releases_text(f.peak_before.as_f64()),
                releases_text(peak_after)
            ))
        } else {
            None
        };
        let pairs_part =
            pairs.map(|m| format!("{} give 90% of the clash-pair drop", changes_words(m)));
        let parts: Vec<String> = peak_part.into_iter().chain(pairs_part).collect();
        (!parts.is_empty()).then(|| {
            format!(
                "Change budget: {}; all {} give this plan.",
                parts.join("; "),
                thousands(f.changes as u64)
            )
        })
    });
    Headline {
        figures,
        verdict,
        risk,
        budget,
    }
}

/// `1 change`, `20 changes`.
fn changes_words(n: u32) -> String {
    if n == 1 {
        "1 change".to_string()
    } else {
        format!("{} changes", thousands(u64::from(n)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> HeadlineFacts {
        HeadlineFacts {
            peak_before: Weight(52_000),
            peak_after: Weight(9_000),
            peak_bound: Some(Bound { value: 9.0 }),
            pairs_before: 11_992,
            pairs_after: 3_089,
            pairs_bound: Some(Bound { value: 3_062.0 }),
            changes: 737,
            changes_bound: Some(Bound { value: 197.0 }),
            risk_objective: false,
            risk: vec![
                RiskChange {
                    measure: "the chance that one failure delays 2 or more releases at once".into(),
                    short: "2 or more".into(),
                    before_text: "76.3%".into(),
                    after_text: "80.9%".into(),
                    before: 0.763,
                    after: 0.809,
                },
                RiskChange {
                    measure: "the chance that one failure delays 3 or more releases at once".into(),
                    short: "3 or more".into(),
                    before_text: "40.0%".into(),
                    after_text: "12.0%".into(),
                    before: 0.4,
                    after: 0.12,
                },
            ],
            shared_days: (412, 455),
            budget: Some((4, Some(20))),
        }
    }

    fn all_text(h: &Headline) -> String {
        let mut s: Vec<String> = h
            .figures
            .iter()
            .flat_map(|f| [f.label.clone(), f.value.clone(), f.note.clone()])
            .collect();
        s.extend(h.verdict.clone());
        s.extend(h.risk.clone());
        s.extend(h.budget.clone());
        s.join("\n")
    }

    #[test]
    fn plain_words_with_the_lower_bounds() {
        let h = headline(&facts());
        let t = all_text(&h);
        assert_eq!(h.figures[0].value, "52 → 9");
        assert_eq!(h.figures[0].note, "the lowest possible");
        assert_eq!(h.figures[1].value, "11,992 → 3,089");
        assert_eq!(
            h.figures[1].note,
            "no plan with this peak has fewer than 3,062"
        );
        assert_eq!(h.figures[2].note, "at least 197 are needed for this safety");
        assert!(
            t.contains("737 releases change date; at least 197 are needed for this safety."),
            "{t}"
        );
        assert!(t.contains("Change budget: 4 changes give the whole drop of the peak (52 → 9); 20 changes give 90% of the clash-pair drop; all 737 give this plan."), "{t}");
        assert!(!t.contains("gap") && !t.contains("not proven"), "{t}");
    }

    #[test]
    fn a_figure_at_its_bound_is_the_lowest_possible_never_a_zero_gap() {
        let mut f = facts();
        f.pairs_bound = Some(Bound { value: 3_089.0 });
        f.changes_bound = Some(Bound { value: 737.0 });
        let t = all_text(&headline(&f));
        assert!(t.contains("the fewest possible with this peak"), "{t}");
        assert!(t.contains("the fewest that give this safety"), "{t}");
        assert!(!t.contains("gap 0") && !t.contains("at least 737"), "{t}");
        // The example: 31 changes with a bound of 31.
        f.changes = 31;
        f.changes_bound = Some(Bound { value: 31.0 });
        let t = all_text(&headline(&f));
        assert!(
            t.contains("31 releases change date; the fewest that give this safety."),
            "{t}"
        );
    }

    #[test]
    fn risk_that_gets_worse_is_said_with_why_next_to_what_gets_better() {
        let h = headline(&facts());
        assert_eq!(h.risk.len(), 2);
        assert!(h.risk[0].starts_with("Better: the chance that one failure delays 3 or more releases at once falls from 40.0% to 12.0%"), "{:?}", h.risk);
        assert!(h.risk[1].starts_with("Worse: the chance that one failure delays 2 or more releases at once rises from 76.3% to 80.9%, because the plan lowers the peak and the clash pairs by splitting large clashes into more, smaller ones (for example, 3 + 1 releases on two days become 2 + 2), so more days have two or more releases behind one failure point (412 → 455)"), "{:?}", h.risk);
        // A family of measures that all get better reads as one item.
        let mut f = facts();
        f.risk[0].after = 0.5;
        f.risk[0].after_text = "50.0%".into();
        let h = headline(&f);
        assert_eq!(h.risk, vec!["Better: the chance that one failure delays 2 or more releases at once falls from 76.3% to 50.0% (3 or more: 40.0% → 12.0%).".to_string()]);
        // A bound of 0 is not worth writing.
        let mut f = facts();
        f.changes_bound = Some(Bound { value: 0.0 });
        let t = all_text(&headline(&f));
        assert!(!t.contains("at least 0"), "{t}");
        assert!(t.contains("737 releases change date."), "{t}");
        let mut f = facts();
        f.risk_objective = true;
        let h = headline(&f);
        assert!(h.risk[1]
            .contains("minimises the chance that one failure delays two or more releases first"));
        assert_eq!(
            h.figures[0].note,
            "the lowest possible at this chance of a multi-release delay"
        );
    }

    #[test]
    fn unknown_bounds_and_no_moves() {
        let mut f = facts();
        f.peak_bound = None;
        f.pairs_bound = None;
        f.changes_bound = None;
        f.changes = 0;
        f.peak_after = f.peak_before;
        f.budget = None;
        let h = headline(&f);
        let t = all_text(&h);
        assert!(t.contains("No release needs to move."));
        assert!(t.contains("stays at 52"));
        assert_eq!(h.budget, None);
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(12), "12");
    }
}
