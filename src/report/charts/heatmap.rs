//! Calendar heatmap: one cell per working day (weeks across, Monday–Friday down),
//! coloured by the day's peak exposure; before and after share one colour scale.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::report::axis::{self, legend, text, LABEL_SIZE, LEFT, RIGHT, SMALL_SIZE};
use crate::report::palette::{viridis, INK, MUTED};
use crate::report::render::{ChartSpec, DrawResult, OrMessage};

/// What kind of day a cell is.
#[derive(Debug, Clone, PartialEq)]
pub enum DayKind {
    /// An ordinary working day.
    Working,
    /// A bank holiday, with its name.
    BankHoliday(String),
    /// A publication closure, with its reason.
    Closure(String),
    /// Saturday or Sunday (not drawn).
    Weekend,
}

/// One day of a panel.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapDay {
    /// The date.
    pub date: NaiveDate,
    /// The day's peak exposure (largest weighted number of releases one failure would delay).
    pub value: f64,
    /// Working day, bank holiday, closure or weekend.
    pub kind: DayKind,
}

/// One calendar grid (e.g. "Before" or "After").
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapPanel {
    /// The panel's label.
    pub label: String,
    /// The days, in any order; missing days are left blank.
    pub days: Vec<HeatmapDay>,
}

/// Input of the calendar heatmap: usually two panels, before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapInput {
    /// Chart title.
    pub title: String,
    /// Panels drawn top to bottom with one shared colour scale.
    pub panels: Vec<HeatmapPanel>,
}

const WIDTH: u32 = 1000;
const LEFT_MARGIN: i32 = 60;
const RIGHT_MARGIN: i32 = 20;
const TITLE_SPACE: i32 = 44;
const PANEL_HEAD: i32 = 46;
const PANEL_GAP: i32 = 14;
const LEGEND_SPACE: i32 = 70;
const BANK_HOLIDAY: RGBColor = RGBColor(0xBB, 0xBB, 0xBB);
const CLOSURE: RGBColor = RGBColor(0x77, 0x77, 0x77);
const EMPTY: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);

impl HeatmapInput {
    /// First Monday on or before the earliest date, and the number of week columns.
    fn weeks(&self) -> (NaiveDate, i32) {
        let dates = self
            .panels
            .iter()
            .flat_map(|p| p.days.iter().map(|d| d.date));
        let (Some(first), Some(last)) = (dates.clone().min(), dates.max()) else {
            return (NaiveDate::MIN, 1);
        };
        let back = Duration::days(i64::from(first.weekday().num_days_from_monday()));
        let monday = first.checked_sub_signed(back).unwrap_or(first);
        let weeks = ((last - monday).num_days() / 7 + 1).clamp(1, 60) as i32;
        (monday, weeks)
    }

    /// Cell size in pixels (square).
    fn cell(&self) -> i32 {
        let (_, weeks) = self.weeks();
        ((WIDTH as i32 - LEFT_MARGIN - RIGHT_MARGIN) / weeks).clamp(8, 40)
    }

    /// The largest value of any working day, for the shared scale.
    fn max_value(&self) -> f64 {
        self.panels
            .iter()
            .flat_map(|p| &p.days)
            .filter(|d| d.kind == DayKind::Working && d.value.is_finite())
            .map(|d| d.value)
            .fold(0.0, f64::max)
    }
}

impl ChartSpec for HeatmapInput {
    fn name(&self) -> &'static str {
        "heatmap"
    }

    fn size(&self) -> (u32, u32) {
        let panels = self.panels.len().max(1) as i32;
        let h = TITLE_SPACE + panels * (PANEL_HEAD + 5 * self.cell() + PANEL_GAP) + LEGEND_SPACE;
        (WIDTH, h as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        axis::title(root, &self.title)?;
        let (monday, weeks) = self.weeks();
        let cell = self.cell();
        let max = self.max_value();
        let mut y = TITLE_SPACE;
        for panel in &self.panels {
            draw_panel(root, panel, monday, weeks, cell, max, y)?;
            y += PANEL_HEAD + 5 * cell + PANEL_GAP;
        }
        draw_legend(root, max, y + 10)
    }
}

/// Draws one panel with its top at `top`.
fn draw_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    panel: &HeatmapPanel,
    monday: NaiveDate,
    weeks: i32,
    cell: i32,
    max: f64,
    top: i32,
) -> DrawResult {
    text(
        root,
        &panel.label,
        (LEFT_MARGIN, top + 10),
        LABEL_SIZE,
        &INK,
        true,
        LEFT,
    )?;
    let grid_top = top + PANEL_HEAD;
    // Weekday labels.
    for (row, name) in ["Mon", "Tue", "Wed", "Thu", "Fri"].iter().enumerate() {
        let y = grid_top + row as i32 * cell + cell / 2;
        text(
            root,
            name,
            (LEFT_MARGIN - 6, y),
            SMALL_SIZE,
            &MUTED,
            false,
            RIGHT,
        )?;
    }
    // Month labels at the column of each month's first day (the first month at column 0).
    for (i, start) in month_starts(monday, weeks).iter().enumerate() {
        let col = ((*start - monday).num_days().max(0) / 7) as i32;
        let x = LEFT_MARGIN + col * cell;
        let label = start.format("%b").to_string();
        text(
            root,
            &label,
            (x + 2, grid_top - 12),
            SMALL_SIZE,
            &MUTED,
            false,
            LEFT,
        )?;
        if i > 0 {
            root.draw(&PathElement::new(
                vec![(x, grid_top - 4), (x, grid_top + 5 * cell)],
                MUTED.stroke_width(1),
            ))
            .msg()?;
        }
    }
    let mut days: Vec<&HeatmapDay> = panel.days.iter().collect();
    days.sort_by_key(|d| d.date);
    for day in days {
        let weekday = day.date.weekday();
        if matches!(day.kind, DayKind::Weekend) || matches!(weekday, Weekday::Sat | Weekday::Sun) {
            continue;
        }
        let col = ((day.date - monday).num_days() / 7) as i32;
        if !(0..weeks).contains(&col) {
            continue;
        }
        let row = weekday.num_days_from_monday() as i32;
        let x0 = LEFT_MARGIN + col * cell;
        let y0 = grid_top + row * cell;
        draw_cell(root, &day.kind, day.value, max, (x0, y0), cell)?;
    }
    Ok(())
}

/// The first day of each month shown: the month of the first Friday, then every
/// month whose first day falls before the last column ends.
fn month_starts(monday: NaiveDate, weeks: i32) -> Vec<NaiveDate> {
    let friday = monday
        .checked_add_signed(Duration::days(4))
        .unwrap_or(monday);
    let last = monday
        .checked_add_signed(Duration::days(i64::from(weeks) * 7 - 3))
        .unwrap_or(NaiveDate::MAX);
    let mut out = Vec::new();
    let mut next = NaiveDate::from_ymd_opt(friday.year(), friday.month(), 1);
    while let Some(start) = next.filter(|s| *s <= last) {
        out.push(start);
        next = next_month(start);
    }
    out
}

/// The first day of the following month.
fn next_month(d: NaiveDate) -> Option<NaiveDate> {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
}

/// Draws one cell: coloured, grey, or hatched grey for closures.
fn draw_cell<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    kind: &DayKind,
    value: f64,
    max: f64,
    (x0, y0): (i32, i32),
    cell: i32,
) -> DrawResult {
    let inner = [(x0 + 1, y0 + 1), (x0 + cell - 1, y0 + cell - 1)];
    match kind {
        DayKind::Working => {
            let colour = if value > 0.0 && max > 0.0 {
                viridis(value / max)
            } else {
                EMPTY
            };
            root.draw(&Rectangle::new(inner, colour.filled())).msg()?;
            root.draw(&Rectangle::new(inner, RGBColor(0xCC, 0xCC, 0xCC)))
                .msg()
        }
        DayKind::BankHoliday(_) => root
            .draw(&Rectangle::new(inner, BANK_HOLIDAY.filled()))
            .msg(),
        DayKind::Closure(_) => {
            root.draw(&Rectangle::new(inner, BANK_HOLIDAY.filled()))
                .msg()?;
            hatch(root, inner, &CLOSURE)
        }
        DayKind::Weekend => Ok(()),
    }
}

/// Diagonal hatching inside a rectangle.
fn hatch<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    [(x0, y0), (x1, y1)]: [(i32, i32); 2],
    colour: &RGBColor,
) -> DrawResult {
    let size = (x1 - x0).min(y1 - y0);
    let mut k = 0;
    while k <= 2 * size {
        // Segment of the line x - x0 + y - y0 = k clipped to the square.
        let (ax, ay) = (x0 + k.min(size), y0 + (k - size).max(0));
        let (bx, by) = (x0 + (k - size).max(0), y0 + k.min(size));
        root.draw(&PathElement::new(
            vec![(ax, ay), (bx, by)],
            colour.stroke_width(1),
        ))
        .msg()?;
        k += 4;
    }
    Ok(())
}

/// The colour bar and the bank-holiday/closure keys.
fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    max: f64,
    top: i32,
) -> DrawResult {
    let x0 = LEFT_MARGIN;
    let bar_w = 300;
    text(
        root,
        "Peak exposure that day",
        (x0, top),
        SMALL_SIZE,
        &INK,
        false,
        LEFT,
    )?;
    let bar_top = top + 14;
    let steps = 60;
    for i in 0..steps {
        let t = (f64::from(i) + 0.5) / f64::from(steps);
        let xa = x0 + i * bar_w / steps;
        let xb = x0 + (i + 1) * bar_w / steps;
        root.draw(&Rectangle::new(
            [(xa, bar_top), (xb, bar_top + 14)],
            viridis(t).filled(),
        ))
        .msg()?;
    }
    let low = "0";
    text(
        root,
        low,
        (x0, bar_top + 26),
        SMALL_SIZE,
        &MUTED,
        false,
        LEFT,
    )?;
    let high = axis::format_number(max);
    text(
        root,
        &high,
        (x0 + bar_w, bar_top + 26),
        SMALL_SIZE,
        &MUTED,
        false,
        RIGHT,
    )?;
    let keys_x = x0 + bar_w + 60;
    let cell = [(keys_x, bar_top), (keys_x + 14, bar_top + 14)];
    root.draw(&Rectangle::new(cell, EMPTY.filled())).msg()?;
    root.draw(&Rectangle::new(cell, RGBColor(0xCC, 0xCC, 0xCC)))
        .msg()?;
    text(
        root,
        "no release",
        (keys_x + 20, bar_top + 7),
        SMALL_SIZE,
        &INK,
        false,
        LEFT,
    )?;
    let bh_x = keys_x + 130;
    legend(
        root,
        &[("bank holiday".to_string(), BANK_HOLIDAY)],
        (bh_x, bar_top + 7),
    )?;
    let cl_x = bh_x + 150;
    let cell = [(cl_x, bar_top), (cl_x + 14, bar_top + 14)];
    root.draw(&Rectangle::new(cell, BANK_HOLIDAY.filled()))
        .msg()?;
    hatch(root, cell, &CLOSURE)?;
    text(
        root,
        "closure",
        (cl_x + 20, bar_top + 7),
        SMALL_SIZE,
        &INK,
        false,
        LEFT,
    )?;

    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::charts::test_support::{has_text, render_both_twice};

    fn year(shift: u32) -> HeatmapPanel {
        let mut days = Vec::new();
        let mut d = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        while d.year() == 2027 {
            let kind = match (d.weekday(), d.month(), d.day()) {
                (Weekday::Sat | Weekday::Sun, _, _) => DayKind::Weekend,
                (_, 1, 1) | (_, 12, 27) => DayKind::BankHoliday("holiday".into()),
                (_, 12, 24) => DayKind::Closure("Christmas Eve".into()),
                _ => DayKind::Working,
            };
            let value = f64::from((d.ordinal() * 7 + shift) % 9);
            days.push(HeatmapDay {
                date: d,
                value,
                kind,
            });
            d = d.succ_opt().unwrap();
        }
        HeatmapPanel {
            label: format!("Panel {shift}"),
            days,
        }
    }

    #[test]
    fn draws_two_panels_deterministically() {
        let input = HeatmapInput {
            title: "Peak exposure per day, 2027".into(),
            panels: vec![year(0), year(3)],
        };
        let svg = render_both_twice(&input, "year");
        for label in [
            "Panel 0",
            "Panel 3",
            "Jan",
            "Dec",
            "bank holiday",
            "closure",
        ] {
            assert!(has_text(&svg, label), "missing {label}");
        }
        // 2 panels × 261 weekdays of 2027 (2 bank holidays + 1 closure each are grey) at least.
        assert!(svg.matches("<rect").count() > 2 * 255);
    }

    #[test]
    fn extreme_dates_and_values_do_not_panic() {
        let day = |date, value| HeatmapDay {
            date,
            value,
            kind: DayKind::Working,
        };
        let input = HeatmapInput {
            title: "Odd".into(),
            panels: vec![HeatmapPanel {
                label: "x".into(),
                days: vec![
                    day(NaiveDate::MIN, f64::NAN),
                    day(NaiveDate::MAX, f64::INFINITY),
                    day(NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(), -3.0),
                ],
            }],
        };
        render_both_twice(&input, "odd");
    }

    #[test]
    fn empty_input_still_renders() {
        let input = HeatmapInput {
            title: "Nothing".into(),
            panels: vec![],
        };
        render_both_twice(&input, "empty");
    }
}
