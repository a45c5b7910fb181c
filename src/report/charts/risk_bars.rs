//! Probability that one failure hits at least k releases, before vs after: grouped bars.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::report::axis::{
    self, legend, text, value_axis_y, Frame, CENTRE, LABEL_SIZE, SMALL_SIZE,
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
const HEIGHT: u32 = 600;

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

impl ChartSpec for RiskInput {
    fn name(&self) -> &'static str {
        "risk"
    }

    fn size(&self) -> (u32, u32) {
        (WIDTH, HEIGHT)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        axis::title(root, &self.title)?;
        legend(
            root,
            &[("Before".to_string(), BEFORE), ("After".to_string(), AFTER)],
            (90, 54),
        )?;
        let mut bars = self.bars.clone();
        bars.sort_by_key(|b| b.k);
        let max = bars
            .iter()
            .map(|b| clamp01(b.before).max(clamp01(b.after)))
            .fold(0.0, f64::max);
        let frame = Frame {
            left: 90,
            top: 110,
            right: WIDTH as i32 - 30,
            bottom: HEIGHT as i32 - 70,
        };
        let top = value_axis_y(root, frame, max.max(0.01), "Probability", &percent)?;
        let n = bars.len().max(1) as i32;
        let slot = frame.width() / n;
        let bar = (slot * 3 / 10).clamp(2, 80);
        let y_of =
            |p: f64| frame.bottom - (clamp01(p) / top * f64::from(frame.height())).round() as i32;
        for (i, b) in bars.iter().enumerate() {
            let cx = frame.left + i as i32 * slot + slot / 2;
            for (x0, p, colour) in [(cx - bar - 2, b.before, BEFORE), (cx + 2, b.after, AFTER)] {
                let y = y_of(p);
                root.draw(&Rectangle::new(
                    [(x0, y), (x0 + bar, frame.bottom)],
                    colour.filled(),
                ))
                .msg()?;
                text(
                    root,
                    &percent(clamp01(p)),
                    (x0 + bar / 2, y - 10),
                    SMALL_SIZE,
                    &INK,
                    false,
                    CENTRE,
                )?;
            }
            text(
                root,
                &format!("≥{}", b.k),
                (cx, frame.bottom + 14),
                SMALL_SIZE,
                &MUTED,
                false,
                CENTRE,
            )?;
        }
        let mid = frame.left + frame.width() / 2;
        text(
            root,
            "At least this many releases delayed by one failure",
            (mid, frame.bottom + 44),
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
    use crate::report::charts::test_support::{has_text, render_both_twice};

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
}
