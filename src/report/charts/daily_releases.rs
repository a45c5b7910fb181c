//! Releases per day per website for one month: stacked bars, one colour per website.

use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::report::axis::{
    self, legend, legend_layout, text, value_axis_y, Frame, CENTRE, LABEL_SIZE, SMALL_SIZE,
};
use crate::report::palette::{series, INK, MUTED, OTHER, SERIES};
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
    /// Website names (counts are indexed like this list).
    pub websites: Vec<String>,
    /// The days before the plan, one bar each, any order (drawn by date); empty for
    /// a single panel.
    pub before: Vec<DailyReleasesDay>,
    /// The days after the plan.
    pub after: Vec<DailyReleasesDay>,
}

const WIDTH: u32 = 1000;
const LEFT: i32 = 80;
const RIGHT_EDGE: i32 = WIDTH as i32 - 30;
const LEGEND_TOP: i32 = 54;
const PANEL_HEAD: i32 = 34;
const PANEL_PLOT: i32 = 190;
const PANEL_FOOT: i32 = 50;
const PANEL_GAP: i32 = 12;

impl DailyReleasesInput {
    /// The websites named in the legend (most releases in the month first, then input
    /// order), each with its colour; the rest are one "other" group.
    fn groups(&self) -> (Vec<usize>, Vec<usize>) {
        let sites = self.websites.len();
        let mut total = vec![0u64; sites];
        for d in self.before.iter().chain(&self.after) {
            for (s, c) in d.counts.iter().take(sites).enumerate() {
                total[s] += u64::from(*c);
            }
        }
        let mut order: Vec<usize> = (0..sites).collect();
        order.sort_by(|&a, &b| total[b].cmp(&total[a]).then(a.cmp(&b)));
        let named = sites.min(SERIES.len());
        let other = order.split_off(named);
        (order, other)
    }

    fn legend_items(&self) -> Vec<(String, RGBColor)> {
        let (named, other) = self.groups();
        let mut items: Vec<(String, RGBColor)> = named
            .iter()
            .enumerate()
            .map(|(i, &s)| (self.websites[s].clone(), series(i)))
            .collect();
        if !other.is_empty() {
            let label = if other.len() == 1 {
                self.websites[other[0]].clone()
            } else {
                format!("{} other websites", other.len())
            };
            items.push((label, OTHER));
        }
        items
    }

    fn panels(&self) -> Vec<(&'static str, &[DailyReleasesDay])> {
        if self.before.is_empty() {
            vec![("Planned calendar", &self.after)]
        } else {
            vec![
                ("Before: proposed calendar", &self.before),
                ("After: planned calendar", &self.after),
            ]
        }
    }

    fn legend_height(&self) -> i32 {
        legend_layout(&self.legend_items(), LEFT, LEGEND_TOP, RIGHT_EDGE - LEFT).1
    }
}

impl ChartSpec for DailyReleasesInput {
    fn name(&self) -> &'static str {
        "releases-per-day"
    }

    fn size(&self) -> (u32, u32) {
        let panels = self.panels().len() as i32;
        let height = LEGEND_TOP
            + self.legend_height()
            + panels * (PANEL_HEAD + PANEL_PLOT + PANEL_FOOT + PANEL_GAP)
            + 40;
        (WIDTH, height as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        axis::title(root, &self.title)?;
        let items = self.legend_items();
        let legend_height = legend(root, &items, (LEFT, LEGEND_TOP))?;
        let (named, other) = self.groups();
        let sites = self.websites.len();
        // (colour, sites) per stacking layer, bottom first.
        let mut layers: Vec<(RGBColor, Vec<usize>)> = named
            .iter()
            .enumerate()
            .map(|(i, &s)| (series(i), vec![s]))
            .collect();
        if !other.is_empty() {
            layers.push((OTHER, other));
        }
        let total = |d: &DailyReleasesDay| -> u64 {
            d.counts.iter().take(sites).map(|c| u64::from(*c)).sum()
        };
        let max = self
            .before
            .iter()
            .chain(&self.after)
            .map(total)
            .max()
            .unwrap_or(0) as f64;
        let mut y = LEGEND_TOP + legend_height;
        for (label, days) in self.panels() {
            let mut days: Vec<&DailyReleasesDay> = days.iter().collect();
            days.sort_by_key(|d| d.date);
            text(
                root,
                label,
                (LEFT - 50, y + PANEL_HEAD / 2),
                LABEL_SIZE,
                &INK,
                true,
                axis::LEFT,
            )?;
            let frame = Frame {
                left: LEFT,
                top: y + PANEL_HEAD + 6,
                right: RIGHT_EDGE,
                bottom: y + PANEL_HEAD + PANEL_PLOT,
            };
            let top = value_axis_y(root, frame, max.max(1.0), "", &axis::format_number, true)?;
            let n = days.len().max(1) as i32;
            let slot = frame.width() / n;
            let bar = (slot * 7 / 10).max(2);
            let widest = days
                .iter()
                .map(|d| axis::measure(&d.date.format("%-d").to_string(), SMALL_SIZE, false))
                .chain([axis::measure("We", SMALL_SIZE, false)])
                .max()
                .unwrap_or(0);
            let step = (1..=n).find(|s| s * slot >= widest + 6).unwrap_or(n) as usize;
            let y_of =
                |v: u64| frame.bottom - (v as f64 / top * f64::from(frame.height())).round() as i32;
            for (i, day) in days.iter().enumerate() {
                let x0 = frame.left + i as i32 * slot + (slot - bar) / 2;
                let mut below = 0u64;
                for (colour, members) in &layers {
                    let count: u64 = members
                        .iter()
                        .map(|&s| u64::from(day.counts.get(s).copied().unwrap_or(0)))
                        .sum();
                    if count == 0 {
                        continue;
                    }
                    let (y_low, y_high) = (y_of(below), y_of(below + count));
                    root.draw(&Rectangle::new(
                        [(x0, y_high), (x0 + bar, y_low)],
                        colour.filled(),
                    ))
                    .msg()?;
                    root.draw(&Rectangle::new(
                        [(x0, y_high), (x0 + bar, y_low)],
                        WHITE.stroke_width(1),
                    ))
                    .msg()?;
                    below += count;
                }
                if i % step != 0 {
                    continue;
                }
                let cx = x0 + bar / 2;
                let dom = day.date.format("%-d").to_string();
                let initial: String = day.date.format("%a").to_string().chars().take(2).collect();
                text(
                    root,
                    &dom,
                    (cx, frame.bottom + 12),
                    SMALL_SIZE,
                    &MUTED,
                    false,
                    CENTRE,
                )?;
                text(
                    root,
                    &initial,
                    (cx, frame.bottom + 32),
                    SMALL_SIZE,
                    &MUTED,
                    false,
                    CENTRE,
                )?;
            }
            y = frame.bottom + PANEL_FOOT + PANEL_GAP;
        }
        let mid = LEFT + (RIGHT_EDGE - LEFT) / 2;
        text(
            root,
            "Releases per day, by website (day of the month)",
            (mid, y + 6),
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

    fn month(sites: usize, seed: u32) -> Vec<DailyReleasesDay> {
        let mut days = Vec::new();
        let mut d = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        while d.month() == 3 {
            if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                let k = d.day() + seed;
                days.push(DailyReleasesDay {
                    date: d,
                    counts: (0..sites as u32)
                        .map(|s| (k * (s + 3)) % (s + 2) % 3)
                        .collect(),
                });
            }
            d = d.succ_opt().unwrap();
        }
        days
    }

    #[test]
    fn stacks_one_colour_per_website_before_and_after() {
        let input = DailyReleasesInput {
            title: "Releases per day, March 2027".into(),
            websites: vec!["ons.gov.uk".into(), "gov.uk".into(), "nisra.gov.uk".into()],
            before: month(3, 0),
            after: month(3, 1),
        };
        let svg = render_both_twice(&input, "march");
        for label in [
            "ons.gov.uk",
            "gov.uk",
            "nisra.gov.uk",
            "Before: proposed calendar",
            "After: planned calendar",
            "31",
            "We",
        ] {
            assert!(has_text(&svg, label), "missing {label}");
        }
        assert!(svg.contains("#0072B2") && svg.contains("#D55E00") && svg.contains("#007A5A"));
        // Whole-number ticks only.
        let boxes = crate::report::charts::test_support::text_boxes(&svg);
        let ticks: Vec<f64> = boxes.iter().filter_map(|b| b.text.parse().ok()).collect();
        assert!(ticks.len() > 10);
        assert!(ticks.iter().all(|t| t.fract() == 0.0), "{ticks:?}");
    }

    /// 20 websites with long names: the six busiest named in the legend (wrapped, not
    /// cut), the rest as one "other" group; no two labels overlap.
    #[test]
    fn twenty_websites_fit_the_legend_without_overlap() {
        let websites: Vec<String> = (0..20)
            .map(|i| format!("Statistics content delivery network and website {i} (cdn)"))
            .collect();
        let input = DailyReleasesInput {
            title: "Releases per day per website, March 2027".into(),
            websites: websites.clone(),
            before: month(20, 0),
            after: month(20, 2),
        };
        let svg = render_both_twice(&input, "twenty");
        assert!(has_text(&svg, "14 other websites"), "{svg}");
        let items = input.legend_items();
        assert_eq!(items.len(), 7);
        // Full names, wrapped onto two lines rather than cut.
        let named = items[0].0.clone();
        assert!(!svg.contains(&format!("{}…", &named[..20])));
        let boxes = crate::report::charts::test_support::text_boxes(&svg);
        let words = named.split_whitespace().last().unwrap();
        assert!(
            boxes.iter().any(|b| b.text.ends_with(words)),
            "the name's end is shown"
        );
    }
}
