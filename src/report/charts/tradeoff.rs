//! Trade-off curve "How many changes buy how much safety": for each number of moved
//! releases allowed, the best peak exposure (left panel) and clash pairs (right panel).

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::report::axis::{self, text, value_axis_y, Frame, LABEL_SIZE, LEFT, SMALL_SIZE};
use crate::report::palette::{AFTER, BEFORE, INK, MUTED};
use crate::report::render::{ChartSpec, DrawResult, OrMessage};

/// The best plan found with at most `moves` moved releases.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TradeoffPoint {
    /// Moved releases allowed.
    pub moves: u32,
    /// Peak exposure of the best plan with that many moves.
    pub peak: f64,
    /// Clash pairs of that plan.
    pub clash_pairs: f64,
}

/// Input of the trade-off chart.
#[derive(Debug, Clone, PartialEq)]
pub struct TradeoffInput {
    /// Chart title.
    pub title: String,
    /// Points, any order (drawn sorted by `moves`).
    pub points: Vec<TradeoffPoint>,
    /// Moves of the plan the curve was read from, marked on both panels.
    pub plan_moves: Option<u32>,
    /// Whether that plan is proven optimal (its label says so only then).
    pub plan_proven: bool,
}

const WIDTH: u32 = 1000;
const HEIGHT: u32 = 560;

impl TradeoffInput {
    /// Points sorted by moves, one per move count (the first of duplicates).
    fn sorted(&self) -> Vec<TradeoffPoint> {
        let mut points = self.points.clone();
        points.sort_by_key(|p| p.moves);
        points.dedup_by_key(|p| p.moves);
        points
    }
}

impl ChartSpec for TradeoffInput {
    fn name(&self) -> &'static str {
        "tradeoff"
    }

    fn size(&self) -> (u32, u32) {
        (WIDTH, HEIGHT)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        axis::title(root, &self.title)?;
        let points = self.sorted();
        let max_moves = points
            .iter()
            .map(|p| p.moves)
            .chain(self.plan_moves)
            .max()
            .unwrap_or(0)
            .max(1);
        let left = Frame {
            left: 90,
            top: 130,
            right: 470,
            bottom: 480,
        };
        let right = Frame {
            left: 590,
            top: 130,
            right: 970,
            bottom: 480,
        };
        let peaks: Vec<(u32, f64)> = points.iter().map(|p| (p.moves, p.peak)).collect();
        let pairs: Vec<(u32, f64)> = points.iter().map(|p| (p.moves, p.clash_pairs)).collect();
        panel(
            root,
            left,
            &peaks,
            max_moves,
            self.plan_moves,
            "Peak exposure",
            BEFORE,
        )?;
        panel(
            root,
            right,
            &pairs,
            max_moves,
            self.plan_moves,
            "Clash pairs",
            AFTER,
        )?;
        let mut notes = vec![
            "Each point: the best plan found using at most that many of the plan's changes, most useful first."
                .to_string(),
        ];
        if let Some(m) = self.plan_moves {
            notes.push(if self.plan_proven {
                format!("Dashed line: the plan ({m} moved, proven optimal).")
            } else {
                format!("Dashed line: the plan ({m} moved).")
            });
        }
        for (k, note) in notes.iter().enumerate() {
            let note = axis::fit_text(note, SMALL_SIZE, false, WIDTH as i32 - 110);
            text(
                root,
                &note,
                (90, 52 + 22 * k as i32),
                SMALL_SIZE,
                &MUTED,
                false,
                LEFT,
            )?;
        }
        Ok(())
    }
}

/// One panel: a line (with points when there are few), whole-number x ticks, the plan marked.
fn panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frame: Frame,
    series: &[(u32, f64)],
    max_moves: u32,
    plan: Option<u32>,
    label: &str,
    colour: RGBColor,
) -> DrawResult {
    let clean = |v: f64| if v.is_finite() && v > 0.0 { v } else { 0.0 };
    let max = series.iter().map(|(_, v)| clean(*v)).fold(0.0, f64::max);
    let whole = series.iter().all(|(_, v)| clean(*v).fract() == 0.0);
    let top = value_axis_y(root, frame, max, label, &axis::format_number, whole)?;
    let ticks = axis::nice_ticks(f64::from(max_moves), 5, true);
    let span = ticks.last().copied().unwrap_or(1.0).max(1.0);
    let x_of = |m: f64| frame.left + (m / span * f64::from(frame.width())).round() as i32;
    let y_of = |v: f64| frame.bottom - (clean(v) / top * f64::from(frame.height())).round() as i32;
    for t in &ticks {
        text(
            root,
            &axis::format_number(*t),
            (x_of(*t), frame.bottom + 12),
            SMALL_SIZE,
            &MUTED,
            false,
            axis::CENTRE,
        )?;
    }
    let mid = frame.left + frame.width() / 2;
    text(
        root,
        "Moved releases allowed",
        (mid, frame.bottom + 38),
        LABEL_SIZE,
        &INK,
        false,
        axis::CENTRE,
    )?;
    if let Some(m) = plan {
        let x = x_of(f64::from(m));
        let mut y = frame.top;
        while y < frame.bottom {
            let y2 = (y + 6).min(frame.bottom);
            root.draw(&PathElement::new(
                vec![(x, y), (x, y2)],
                INK.stroke_width(1),
            ))
            .msg()?;
            y += 10;
        }
    }
    let path: Vec<(i32, i32)> = series
        .iter()
        .map(|(m, v)| (x_of(f64::from(*m)), y_of(*v)))
        .collect();
    root.draw(&PathElement::new(path.clone(), colour.stroke_width(3)))
        .msg()?;
    let markers = series.len() <= 40;
    for (i, p) in path.iter().enumerate() {
        if markers {
            root.draw(&Circle::new(*p, 5, colour.filled())).msg()?;
        }
        if Some(series[i].0) == plan {
            root.draw(&Circle::new(*p, 9, INK.stroke_width(2))).msg()?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::charts::test_support::{has_text, render_both_twice};

    #[test]
    fn draws_both_panels_and_the_optimum() {
        let points: Vec<TradeoffPoint> = (0..=12)
            .rev()
            .map(|m| TradeoffPoint {
                moves: m,
                peak: 9.0 - f64::from(m.min(6)),
                clash_pairs: 40.0 - 3.0 * f64::from(m.min(8)),
            })
            .collect();
        let input = TradeoffInput {
            title: "How many changes buy how much safety".into(),
            points,
            plan_moves: Some(8),
            plan_proven: false,
        };
        let svg = render_both_twice(&input, "curve");
        for label in [
            "Peak exposure",
            "Clash pairs",
            "Moved releases allowed",
            "10",
        ] {
            assert!(has_text(&svg, label), "missing {label}");
        }
        assert!(has_text(&svg, "Dashed line: the plan (8 moved)."));
        assert_eq!(input.sorted().first().map(|p| p.moves), Some(0));
        let empty = TradeoffInput {
            title: "x".into(),
            points: vec![],
            plan_moves: None,
            plan_proven: false,
        };
        render_both_twice(&empty, "empty");
    }

    /// A curve of thousands of points stays small (a line, no markers) and its move
    /// axis has whole-number ticks.
    #[test]
    fn thousands_of_points() {
        let many = TradeoffInput {
            title: "x".into(),
            points: (0..=4000)
                .map(|m| TradeoffPoint {
                    moves: m,
                    peak: 9.0 + f64::from(4000 - m) / 100.0,
                    clash_pairs: 77_000.0 + f64::from(4000 - m) * 20.0,
                })
                .collect(),
            plan_moves: Some(4000),
            plan_proven: false,
        };
        let svg = render_both_twice(&many, "many");
        assert!(svg.len() < 200_000, "{} bytes", svg.len());
        assert!(has_text(&svg, "4000"));
    }
}
