//! Releases per day per website for one month: stacked bars, one colour per website.

use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::report::axis::{
    self, legend, text, value_axis_y, Frame, CENTRE, LABEL_SIZE, SMALL_SIZE,
};
use crate::report::palette::{series, INK, MUTED};
use crate::report::render::{ChartSpec, DrawResult, OrMessage};

/// The releases of one day, per website.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyReleasesDay {
    /// The date.
    pub date: NaiveDate,
    /// Releases published through each website, indexed like [`DailyReleasesInput::websites`]
    /// (missing entries count as zero, extra entries are ignored).
    pub counts: Vec<u32>,
}

/// Input of the releases-per-day chart.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyReleasesInput {
    /// Chart title (name the month in it).
    pub title: String,
    /// Website names, in legend and stacking order (bottom first).
    pub websites: Vec<String>,
    /// The days to draw, one bar each, any order (drawn by date).
    pub days: Vec<DailyReleasesDay>,
}

const WIDTH: u32 = 1000;
const HEIGHT: u32 = 600;

impl ChartSpec for DailyReleasesInput {
    fn name(&self) -> &'static str {
        "releases-per-day"
    }

    fn size(&self) -> (u32, u32) {
        (WIDTH, HEIGHT)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        axis::title(root, &self.title)?;
        let items: Vec<(String, RGBColor)> = self
            .websites
            .iter()
            .enumerate()
            .map(|(i, w)| (axis::truncate(w, 24), series(i)))
            .collect();
        legend(root, &items, (80, 54))?;
        let mut days: Vec<&DailyReleasesDay> = self.days.iter().collect();
        days.sort_by_key(|d| d.date);
        let sites = self.websites.len();
        let total = |d: &DailyReleasesDay| -> u64 {
            d.counts.iter().take(sites).map(|c| u64::from(*c)).sum()
        };
        let max = days.iter().map(|d| total(d)).max().unwrap_or(0) as f64;
        let frame = Frame {
            left: 80,
            top: 110,
            right: WIDTH as i32 - 30,
            bottom: HEIGHT as i32 - 80,
        };
        let top = value_axis_y(root, frame, max.max(1.0), "Releases", &axis::format_number)?;
        let n = days.len().max(1) as i32;
        let slot = frame.width() / n;
        let bar = (slot * 7 / 10).max(2);
        for (i, day) in days.iter().enumerate() {
            let x0 = frame.left + i as i32 * slot + (slot - bar) / 2;
            let mut below = 0u64;
            for (site, count) in day.counts.iter().take(sites).enumerate() {
                if *count == 0 {
                    continue;
                }
                let y_of = |v: u64| {
                    frame.bottom - (v as f64 / top * f64::from(frame.height())).round() as i32
                };
                let (y_low, y_high) = (y_of(below), y_of(below + u64::from(*count)));
                root.draw(&Rectangle::new(
                    [(x0, y_high), (x0 + bar, y_low)],
                    series(site).filled(),
                ))
                .msg()?;
                root.draw(&Rectangle::new(
                    [(x0, y_high), (x0 + bar, y_low)],
                    WHITE.stroke_width(1),
                ))
                .msg()?;
                below += u64::from(*count);
            }
            let cx = x0 + bar / 2;
            let dom = day.date.format("%-d").to_string();
            let wd = day.date.format("%a").to_string();
            text(
                root,
                &dom,
                (cx, frame.bottom + 12),
                SMALL_SIZE,
                &MUTED,
                false,
                CENTRE,
            )?;
            let initial: String = wd.chars().take(2).collect();
            text(
                root,
                &initial,
                (cx, frame.bottom + 30),
                SMALL_SIZE,
                &MUTED,
                false,
                CENTRE,
            )?;
        }
        let mid = frame.left + frame.width() / 2;
        text(
            root,
            "Day of the month",
            (mid, frame.bottom + 56),
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
    use chrono::{Datelike, Weekday};

    #[test]
    fn stacks_one_colour_per_website() {
        let mut days = Vec::new();
        let mut d = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        while d.month() == 3 {
            if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                let k = d.day();
                days.push(DailyReleasesDay {
                    date: d,
                    counts: vec![k % 4, (k * 5) % 3, k % 2],
                });
            }
            d = d.succ_opt().unwrap();
        }
        let input = DailyReleasesInput {
            title: "Releases per day, March 2027".into(),
            websites: vec!["ons.gov.uk".into(), "gov.uk".into(), "nisra.gov.uk".into()],
            days,
        };
        let svg = render_both_twice(&input, "march");
        for label in [
            "ons.gov.uk",
            "gov.uk",
            "nisra.gov.uk",
            "Releases",
            "31",
            "We",
        ] {
            assert!(has_text(&svg, label), "missing {label}");
        }
        assert!(svg.contains("#E69F00") && svg.contains("#56B4E9") && svg.contains("#009E73"));
    }
}
