//! Shared drawing helpers: text, ticks, value axes and legends.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::font::FAMILY;
use super::palette::{GRID, INK, MUTED};
use super::render::{DrawResult, OrMessage};

/// Font size of chart titles (plotters units; about 19 CSS px).
pub(crate) const TITLE_SIZE: f64 = 24.0;
/// Font size of labels (about 15.7 CSS px).
pub(crate) const LABEL_SIZE: f64 = 19.5;
/// Font size of small print such as tick labels (about 14.5 CSS px).
pub(crate) const SMALL_SIZE: f64 = 18.0;

/// Horizontal and vertical anchors of a text.
#[derive(Clone, Copy)]
pub(crate) struct Anchor(pub HPos, pub VPos);

/// Left-aligned, vertically centred.
pub(crate) const LEFT: Anchor = Anchor(HPos::Left, VPos::Center);
/// Right-aligned, vertically centred.
pub(crate) const RIGHT: Anchor = Anchor(HPos::Right, VPos::Center);
/// Centred both ways.
pub(crate) const CENTRE: Anchor = Anchor(HPos::Center, VPos::Center);

/// Draws `s` at `at` with the given size, colour, weight and anchor.
pub(crate) fn text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &str,
    at: (i32, i32),
    size: f64,
    colour: &RGBColor,
    bold: bool,
    anchor: Anchor,
) -> DrawResult {
    let style = if bold {
        (FAMILY, size, FontStyle::Bold).into_font()
    } else {
        (FAMILY, size).into_font()
    };
    let style = style.color(colour).pos(Pos::new(anchor.0, anchor.1));
    // Control characters are not allowed in XML (SVG) and have no glyph.
    let clean: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    root.draw_text(&clean, &style, at).msg()
}

/// Draws the chart title centred at the top, shortened to fit the width.
pub(crate) fn title<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, s: &str) -> DrawResult {
    let (w, _) = root.dim_in_pixel();
    let s = fit(root, s, TITLE_SIZE, true, w as i32 - 20);
    text(root, &s, (w as i32 / 2, 22), TITLE_SIZE, &INK, true, CENTRE)
}

/// `s` shortened with `…` until it is at most `max_px` wide in the chart font.
pub(crate) fn fit<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    s: &str,
    size: f64,
    bold: bool,
    max_px: i32,
) -> String {
    let font = if bold {
        (FAMILY, size, FontStyle::Bold).into_font()
    } else {
        (FAMILY, size).into_font()
    };
    let style = TextStyle::from(font);
    let width = |t: &str| {
        root.estimate_text_size(t, &style)
            .map(|(w, _)| w as i32)
            .unwrap_or(i32::MAX)
    };
    if width(s) <= max_px {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    // Binary search the longest prefix that fits with the ellipsis.
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>() + "…";
        if width(&candidate) <= max_px {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let mut out: String = chars[..lo].iter().collect();
    out = out.trim_end().to_string();
    out.push('…');
    out
}

/// Cuts `s` to at most `max` characters, ending with `…` when cut.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// Round tick values from 0 to at least `max` (about `target` steps).
pub(crate) fn nice_ticks(max: f64, target: usize) -> Vec<f64> {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    let raw = max / target.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let n = (max / step).ceil() as usize;
    (0..=n.clamp(1, 50)).map(|i| i as f64 * step).collect()
}

/// A tick label: whole numbers without decimals, others with up to two.
pub(crate) fn format_number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A plot rectangle in pixels: left, top, right, bottom.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    /// Left edge.
    pub left: i32,
    /// Top edge.
    pub top: i32,
    /// Right edge.
    pub right: i32,
    /// Bottom edge.
    pub bottom: i32,
}

impl Frame {
    /// Width in pixels.
    pub fn width(&self) -> i32 {
        self.right - self.left
    }
    /// Height in pixels.
    pub fn height(&self) -> i32 {
        self.bottom - self.top
    }
}

/// A horizontal value axis along the bottom of `frame` with vertical grid lines;
/// returns the maximum value (the last tick) the frame's width stands for.
pub(crate) fn value_axis_x<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frame: Frame,
    max: f64,
    label: &str,
    format: &dyn Fn(f64) -> String,
) -> Result<f64, String> {
    let ticks = nice_ticks(max, 6);
    let top = ticks.last().copied().unwrap_or(1.0);
    for t in &ticks {
        let x = frame.left + (t / top * f64::from(frame.width())).round() as i32;
        root.draw(&PathElement::new(
            vec![(x, frame.top), (x, frame.bottom)],
            GRID,
        ))
        .msg()?;
        text(
            root,
            &format(*t),
            (x, frame.bottom + 12),
            SMALL_SIZE,
            &MUTED,
            false,
            CENTRE,
        )?;
    }
    root.draw(&PathElement::new(
        vec![(frame.left, frame.top), (frame.left, frame.bottom)],
        MUTED,
    ))
    .msg()?;
    let mid = frame.left + frame.width() / 2;
    text(
        root,
        label,
        (mid, frame.bottom + 36),
        LABEL_SIZE,
        &INK,
        false,
        CENTRE,
    )?;
    Ok(top)
}

/// A vertical value axis along the left of `frame` with horizontal grid lines and
/// its label written horizontally above it; returns the top value.
pub(crate) fn value_axis_y<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frame: Frame,
    max: f64,
    label: &str,
    format: &dyn Fn(f64) -> String,
) -> Result<f64, String> {
    let ticks = nice_ticks(max, 5);
    let top = ticks.last().copied().unwrap_or(1.0);
    for t in &ticks {
        let y = frame.bottom - (t / top * f64::from(frame.height())).round() as i32;
        root.draw(&PathElement::new(
            vec![(frame.left, y), (frame.right, y)],
            GRID,
        ))
        .msg()?;
        text(
            root,
            &format(*t),
            (frame.left - 8, y),
            SMALL_SIZE,
            &MUTED,
            false,
            RIGHT,
        )?;
    }
    root.draw(&PathElement::new(
        vec![(frame.left, frame.bottom), (frame.right, frame.bottom)],
        MUTED,
    ))
    .msg()?;
    text(
        root,
        label,
        (frame.left - 50, frame.top - 18),
        LABEL_SIZE,
        &INK,
        false,
        LEFT,
    )?;
    Ok(top)
}

/// Draws a one-row legend of colour swatches starting at `at` (left, centre line).
pub(crate) fn legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    items: &[(String, RGBColor)],
    at: (i32, i32),
) -> DrawResult {
    let (mut x, y) = at;
    for (label, colour) in items {
        root.draw(&Rectangle::new(
            [(x, y - 7), (x + 14, y + 7)],
            colour.filled(),
        ))
        .msg()?;
        text(root, label, (x + 20, y), SMALL_SIZE, &INK, false, LEFT)?;
        let width = root
            .estimate_text_size(label, &TextStyle::from((FAMILY, SMALL_SIZE).into_font()))
            .map(|(w, _)| w as i32)
            .unwrap_or(8 * label.chars().count() as i32);
        x += 20 + width + 24;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_maximum() {
        assert_eq!(nice_ticks(10.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        let t = nice_ticks(7.3, 6);
        assert!(*t.last().unwrap() >= 7.3);
        assert_eq!(nice_ticks(0.0, 4), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(nice_ticks(f64::NAN, 5).first(), Some(&0.0));
    }

    #[test]
    fn numbers_and_truncation() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }
}
