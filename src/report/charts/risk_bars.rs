//! Probability that one failure hits at least k releases, before vs after: grouped bars.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::report::axis::{
    self, legend, text, value_axis_y, Frame, CENTRE, LABEL_SIZE, RIGHT, SMALL_SIZE,
};
use crate::report::palette::{AFTER, BEFORE, INK, MUTED};
use crate::report::render::{ChartSpec, DrawResult, OrMessage};

/// P(≥ k releases hit by one failure) for one k.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RiskBar {
    /// The number of releases.
    pub k: u32,
    /// Probability before planning, in `[0, 1]`.
    pub before: f64,
    /// Probability after planning, in `[0, 1]`.
    pub after: f64,
}

/// Input of the risk chart.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskInput {
    /// Chart title (say over which period the probability is).
    pub title: String,
    /// One group per k, any order (drawn by k).
    pub bars: Vec<RiskBar>,
}

const WIDTH: u32 = 1000;
const HEIGHT: u32 = 620;

/// Probabilities below this are "about zero": groups at the end where both bars are
/// below it are left out (the axis title says so).
const ABOUT_ZERO: f64 = 0.0005;

/// A probability as a percentage label.
fn percent(p: f64) -> String {
    let v = p * 100.0;
    if v > 0.0 && v < 0.1 {
        "<0.1%".to_string()
    } else if (v - v.round()).abs() < 0.05 {
        format!("{}%", v.round() as i64)
    } else {
        format!("{v:.1}%")
    }
}

/// Probabilities outside `[0, 1]` (or not numbers) are clamped.
fn clamp01(p: f64) -> f64 {
    if p.is_finite() {
        p.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

impl RiskInput {
    /// The groups drawn, by k: trailing groups where both probabilities are about zero
    /// are dropped (k = 2, 3 and 4 are always kept). Also returns the first k dropped.
    fn shown(&self) -> (Vec<RiskBar>, Option<u32>) {
        let mut bars = self.bars.clone();
        bars.sort_by_key(|b| b.k);
        bars.dedup_by_key(|b| b.k);
        let keep = bars
            .iter()
            .rposition(|b| b.k <= 4 || clamp01(b.before).max(clamp01(b.after)) >= ABOUT_ZERO)
            .map_or(0, |p| p + 1);
        let cut = bars.get(keep).map(|b| b.k);
        bars.truncate(keep);
        (bars, cut)
    }
}

impl ChartSpec for RiskInput {
    fn name(&self) -> &'static str {
        "risk"
    }

    fn size(&self) -> (u32, u32) {
        (WIDTH, HEIGHT)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        axis::title(root, &self.title)?;
        let legend_height = legend(
            root,
            &[("Before".to_string(), BEFORE), ("After".to_string(), AFTER)],
            (90, 54),
        )?;
        let (bars, cut) = self.shown();
        let max = bars
            .iter()
            .map(|b| clamp01(b.before).max(clamp01(b.after)))
            .fold(0.0, f64::max);
        let frame = Frame {
            left: 90,
            top: 54 + legend_height + 44,
            right: WIDTH as i32 - 30,
            bottom: HEIGHT as i32 - 120,
        };
        let top = value_axis_y(root, frame, max.max(0.01), "Probability", &percent, false)?;
        let n = bars.len().max(1) as i32;
        let slot = frame.width() / n;
        let bar = (slot * 3 / 10).clamp(2, 80);
        let y_of =
            |p: f64| frame.bottom - (clamp01(p) / top * f64::from(frame.height())).round() as i32;
        // Thin the labels under the axis: every `step`-th group, so that none overlap.
        let widest = bars
            .iter()
            .flat_map(|b| {
                [
                    format!("≥{}", b.k),
                    percent(clamp01(b.before)),
                    percent(clamp01(b.after)),
                ]
            })
            .map(|l| axis::measure(&l, SMALL_SIZE, false))
            .max()
            .unwrap_or(0);
        let step = (1..=n).find(|s| s * slot >= widest + 8).unwrap_or(n) as usize;
        let rows = [frame.bottom + 14, frame.bottom + 38, frame.bottom + 60];
        text(
            root,
            "Before",
            (frame.left - 14, rows[1]),
            SMALL_SIZE,
            &INK,
            false,
            RIGHT,
        )?;
        text(
            root,
            "After",
            (frame.left - 14, rows[2]),
            SMALL_SIZE,
            &INK,
            false,
            RIGHT,
        )?;
        for (i, b) in bars.iter().enumerate() {
            let cx = frame.left + i as i32 * slot + slot / 2;
            for (x0, p, colour) in [(cx - bar - 2, b.before, BEFORE), (cx + 2, b.after, AFTER)] {
                root.draw(&Rectangle::new(
                    [(x0, y_of(p)), (x0 + bar, frame.bottom)],
                    colour.filled(),
                ))
                .msg()?;
            }
            if i % step != 0 {
                continue;
            }
            let labels = [
                (format!("≥{}", b.k), &MUTED),
                (percent(clamp01(b.before)), &INK),
                (percent(clamp01(b.after)), &INK),
            ];
            for ((label, colour), y) in labels.iter().zip(rows) {
                // Keep the first group's labels right of the row names.
                let half = axis::measure(label, SMALL_SIZE, false) / 2;
                let x = cx.max(frame.left + half);
                text(root, label, (x, y), SMALL_SIZE, colour, false, CENTRE)?;
            }
        }
        let mid = frame.left + frame.width() / 2;
        let axis_title = match cut {
            Some(k) => format!(
                "At least this many releases delayed by one failure (from {k} on: under 0.05% before and after)"
            ),
            None => "At least this many releases delayed by one failure".to_string(),
        };
        let axis_title = axis::fit_text(&axis_title, LABEL_SIZE, false, WIDTH as i32 - 40);
        text(
            root,
            &axis_title,
            (mid, frame.bottom + 92),
            LABEL_SIZE,
            &INK,
            false,
            CENTRE,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::charts::test_support::{has_text, render_both_twice, text_boxes};

    #[test]
    fn draws_grouped_bars_with_percentages() {
        let bars: Vec<RiskBar> = (2..=6)
            .map(|k| RiskBar {
                k,
                before: 0.9 / f64::from(k),
                after: 0.4 / f64::from(k * k),
            })
            .collect();
        let input = RiskInput {
            title: "Chance one failure delays at least k releases in 2027".into(),
            bars,
        };
        let svg = render_both_twice(&input, "k");
        for label in ["≥2", "≥6", "45%", "10%", "Before", "After"] {
            assert!(has_text(&svg, label), "missing {label}");
        }
        assert_eq!(percent(0.0004), "<0.1%");
        assert_eq!(percent(0.123), "12.3%");
        assert_eq!(clamp01(f64::NAN), 0.0);
    }

    /// 28 risk levels: the labels are thinned so that none overlap, and the first
    /// level is always labelled.
    #[test]
    fn twenty_eight_levels_without_overlapping_labels() {
        let bars: Vec<RiskBar> = (2..=29)
            .map(|k| RiskBar {
                k,
                before: 0.997 * 0.9f64.powi(k as i32 - 2),
                after: 0.85 * 0.8f64.powi(k as i32 - 2),
            })
            .collect();
        let input = RiskInput {
            title: "P(one failure delays k or more releases)".into(),
            bars,
        };
        assert_eq!(input.shown().0.len(), 28);
        let svg = render_both_twice(&input, "twenty-eight");
        assert!(has_text(&svg, "≥2") && has_text(&svg, "99.7%") && has_text(&svg, "85%"));
        let ticks = text_boxes(&svg)
            .iter()
            .filter(|b| b.text.starts_with('≥'))
            .count();
        assert!(
            (5..28).contains(&ticks),
            "{ticks} tick labels: thinned but present"
        );
    }

    /// Trailing levels where both curves are about zero are left out, and the axis says so.
    #[test]
    fn capped_where_both_curves_reach_zero() {
        let bars: Vec<RiskBar> = (2..=39)
            .map(|k| RiskBar {
                k,
                before: if k < 14 { 0.9 / f64::from(k) } else { 0.0001 },
                after: if k < 6 { 0.5 / f64::from(k) } else { 0.0 },
            })
            .collect();
        let input = RiskInput {
            title: "P".into(),
            bars,
        };
        let (shown, cut) = input.shown();
        assert_eq!(shown.last().map(|b| b.k), Some(13));
        assert_eq!(cut, Some(14));
        let svg = render_both_twice(&input, "capped");
        assert!(svg.contains("from 14 on: under 0.05% before and after"));
    }
}
