//! Worst day per failure point, before vs after: horizontal paired bars for the
//! most exposed failure points.

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::report::axis::{self, legend, text, value_axis_x, Frame, RIGHT, SMALL_SIZE};
use crate::report::palette::{AFTER, BEFORE, INK};
use crate::report::render::{ChartSpec, DrawResult, OrMessage};

/// One failure point's worst-day exposure.
#[derive(Debug, Clone, PartialEq)]
pub struct WorstDayRow {
    /// Failure point name.
    pub name: String,
    /// Failure point kind (website, cms, database, …).
    pub kind: String,
    /// Largest weighted number of releases on one day behind this point, before planning.
    pub before: f64,
    /// The same after planning.
    pub after: f64,
}

/// Input of the worst-day chart.
#[derive(Debug, Clone, PartialEq)]
pub struct WorstDayInput {
    /// Chart title.
    pub title: String,
    /// One row per failure point, any order; the chart keeps the [`WorstDayInput::LIMIT`]
    /// most exposed (largest of before and after, ties by name).
    pub rows: Vec<WorstDayRow>,
}

const WIDTH: u32 = 1000;
const LABEL_WIDTH: i32 = 320;
const ROW: i32 = 28;
const ROW_TWO_LINES: i32 = 46;
const TOP: i32 = 80;
const BOTTOM: i32 = 60;

impl WorstDayInput {
    /// At most this many failure points are drawn.
    pub const LIMIT: usize = 20;

    /// The rows drawn, most exposed first.
    fn shown(&self) -> Vec<&WorstDayRow> {
        let mut rows: Vec<&WorstDayRow> = self.rows.iter().collect();
        rows.sort_by(|a, b| {
            let ka = finite(a.before).max(finite(a.after));
            let kb = finite(b.before).max(finite(b.after));
            kb.total_cmp(&ka)
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.kind.cmp(&b.kind))
        });
        rows.truncate(Self::LIMIT);
        rows
    }
}

/// Non-finite and negative values count as zero.
fn finite(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 {
        v
    } else {
        0.0
    }
}

impl WorstDayInput {
    /// Each shown row's label lines (full name and kind, wrapped onto at most two lines).
    fn labels(&self) -> Vec<Vec<String>> {
        let _ = crate::report::font::ensure_fonts();
        self.shown()
            .iter()
            .map(|r| {
                axis::wrap(
                    &format!("{} ({})", r.name, r.kind),
                    SMALL_SIZE,
                    false,
                    LABEL_WIDTH - 10,
                    2,
                )
            })
            .collect()
    }

    /// The height of each shown row.
    fn row_heights(&self) -> Vec<i32> {
        self.labels()
            .iter()
            .map(|l| if l.len() > 1 { ROW_TWO_LINES } else { ROW })
            .collect()
    }
}

impl ChartSpec for WorstDayInput {
    fn name(&self) -> &'static str {
        "worst-day"
    }

    fn size(&self) -> (u32, u32) {
        let rows: i32 = self.row_heights().iter().sum::<i32>().max(ROW);
        (WIDTH, (TOP + rows + BOTTOM) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        axis::title(root, &self.title)?;
        legend(
            root,
            &[("Before".to_string(), BEFORE), ("After".to_string(), AFTER)],
            (LABEL_WIDTH + 10, 52),
        )?;
        let rows = self.shown();
        let labels = self.labels();
        let heights = self.row_heights();
        let total: i32 = heights.iter().sum::<i32>().max(ROW);
        let frame = Frame {
            left: LABEL_WIDTH + 10,
            top: TOP,
            right: WIDTH as i32 - 30,
            bottom: TOP + total,
        };
        let max = rows
            .iter()
            .map(|r| finite(r.before).max(finite(r.after)))
            .fold(0.0, f64::max);
        let whole = rows
            .iter()
            .all(|r| finite(r.before).fract() == 0.0 && finite(r.after).fract() == 0.0);
        let top = value_axis_x(
            root,
            frame,
            max,
            "Releases delayed on its worst day (weighted)",
            &axis::format_number,
            whole,
        )?;
        let scale =
            |v: f64| frame.left + (finite(v) / top * f64::from(frame.width())).round() as i32;
        let line = axis::line_height(SMALL_SIZE);
        let mut y = frame.top;
        for ((row, lines), h) in rows.iter().zip(&labels).zip(&heights) {
            let mid = y + h / 2;
            let first = mid - (lines.len() as i32 - 1) * line / 2;
            for (k, l) in lines.iter().enumerate() {
                text(
                    root,
                    l,
                    (LABEL_WIDTH, first + k as i32 * line),
                    SMALL_SIZE,
                    &INK,
                    false,
                    RIGHT,
                )?;
            }
            let before = [(frame.left, mid - 11), (scale(row.before), mid - 1)];
            let after = [(frame.left, mid), (scale(row.after), mid + 10)];
            root.draw(&Rectangle::new(before, BEFORE.filled())).msg()?;
            root.draw(&Rectangle::new(after, AFTER.filled())).msg()?;
            y += h;
        }
        if rows.is_empty() {
            let mid = (frame.left + frame.width() / 2, frame.top + ROW / 2);
            text(
                root,
                "No failure points",
                mid,
                SMALL_SIZE,
                &INK,
                false,
                axis::CENTRE,
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::charts::test_support::{has_text, render_both_twice};

    fn rows(n: usize) -> Vec<WorstDayRow> {
        (0..n)
            .map(|i| WorstDayRow {
                name: format!("point-{i:02}"),
                kind: if i % 2 == 0 { "website" } else { "database" }.to_string(),
                before: (i % 7) as f64 + 2.0,
                after: ((i * 3) % 5) as f64 + 1.0,
            })
            .collect()
    }

    #[test]
    fn keeps_the_twenty_most_exposed() {
        let input = WorstDayInput {
            title: "Worst day".into(),
            rows: rows(30),
        };
        let shown = input.shown();
        assert_eq!(shown.len(), 20);
        let key = |r: &WorstDayRow| r.before.max(r.after);
        assert!(shown.windows(2).all(|w| key(w[0]) >= key(w[1])));
        let cut = key(shown[19]);
        assert!(input.rows.iter().filter(|r| key(r) > cut).count() <= 20);
    }

    #[test]
    fn draws_labels_and_is_deterministic() {
        let input = WorstDayInput {
            title: "Worst day per failure point".into(),
            rows: rows(24),
        };
        let svg = render_both_twice(&input, "many");
        assert!(has_text(&svg, "point-06 (website)"));
        // Long names are wrapped, not cut: two points whose names differ only at the
        // end can be told apart.
        let long = WorstDayInput {
            title: "Worst day".into(),
            rows: ["content delivery network", "content management system"]
                .iter()
                .map(|n| WorstDayRow {
                    name: format!("Statistics publishing platform {n}"),
                    kind: "cms".into(),
                    before: 3.0,
                    after: 1.0,
                })
                .collect(),
        };
        let svg = render_both_twice(&long, "wrapped");
        assert!(!svg.contains('…'), "names are wrapped, not cut");
        assert!(
            has_text(&svg, "content delivery network (cms)")
                || svg.contains("delivery network (cms)")
        );
        assert!(has_text(&svg, "Before") && has_text(&svg, "After"));
        let mut odd = rows(3);
        odd[0].name = "数据中心 🇬🇧 <&> \u{7}".repeat(5);
        odd[1].before = f64::NAN;
        odd[2].after = -1.0;
        let odd = WorstDayInput {
            title: "Ünïcödé 数据 🇬🇧 ".repeat(8),
            rows: odd,
        };
        let svg = render_both_twice(&odd, "unicode");
        assert!(!svg.contains('\u{7}'), "control character in SVG");
        assert!(svg.contains("&lt;&amp;&gt;"));
        let empty = WorstDayInput {
            title: "None".into(),
            rows: vec![],
        };
        assert!(has_text(
            &render_both_twice(&empty, "empty"),
            "No failure points"
        ));
    }
}
