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
    if clean.trim().is_empty() {
        return Ok(());
    }
    root.draw_text(&clean, &style, at).msg()
}

/// Draws the chart title centred at the top, shortened to fit the width.
pub(crate) fn title<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, s: &str) -> DrawResult {
    let (w, _) = root.dim_in_pixel();
    let s = fit(root, s, TITLE_SIZE, true, w as i32 - 20);
    text(root, &s, (w as i32 / 2, 22), TITLE_SIZE, &INK, true, CENTRE)
}

/// Width in pixels of `s` drawn at `size` (plotters units) in the chart font, as
/// rasterised in PNGs and as wide as DejaVu Sans is in SVG viewers (most sans-serif
/// fonts are narrower, so this errs on the safe side).
pub(crate) fn measure(s: &str, size: f64, bold: bool) -> i32 {
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    let clean: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    FontDesc::new(FontFamily::Name(FAMILY), size, style)
        .box_size(&clean)
        .map(|(w, _)| w as i32)
        .unwrap_or(size as i32 * clean.chars().count() as i32)
}

/// Height in pixels of one line of text at `size` (the em box plus leading).
pub(crate) fn line_height(size: f64) -> i32 {
    (size / 1.24 * 1.25).ceil() as i32
}

/// `s` shortened with `…` until it is at most `max_px` wide in the chart font.
pub(crate) fn fit<DB: DrawingBackend>(
    _root: &DrawingArea<DB, Shift>,
    s: &str,
    size: f64,
    bold: bool,
    max_px: i32,
) -> String {
    fit_text(s, size, bold, max_px)
}

/// `s` shortened with `…` until it is at most `max_px` wide in the chart font.
pub(crate) fn fit_text(s: &str, size: f64, bold: bool, max_px: i32) -> String {
    let width = |t: &str| measure(t, size, bold);
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

/// `s` broken into at most `max_lines` lines of at most `max_px` each, at spaces
/// (a word longer than a line is cut); the last line ends with `…` only when the text
/// does not fit in `max_lines` lines.
pub(crate) fn wrap(s: &str, size: f64, bold: bool, max_px: i32, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let words: Vec<&str> = s.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let candidate = if current.is_empty() {
            words[i].to_string()
        } else {
            format!("{current} {}", words[i])
        };
        if measure(&candidate, size, bold) <= max_px {
            current = candidate;
            i += 1;
            continue;
        }
        if current.is_empty() {
            // One word wider than a line: cut it.
            current = fit_text(words[i], size, bold, max_px);
            i += 1;
        }
        lines.push(std::mem::take(&mut current));
        if lines.len() == max_lines {
            break;
        }
    }
    if !current.is_empty() && lines.len() < max_lines {
        lines.push(current);
    } else if i < words.len() || !current.is_empty() {
        // Text left over: end the last line with an ellipsis.
        if let Some(last) = lines.last_mut() {
            let rest: Vec<&str> = std::iter::once(last.as_str())
                .chain(current.split_whitespace())
                .chain(words[i.min(words.len())..].iter().copied())
                .collect();
            *last = fit_text(&format!("{}…", rest.join(" ")), size, bold, max_px);
            if !last.ends_with('…') {
                last.push('…');
            }
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Round tick values from 0 to at least `max` (about `target` steps). With `whole`,
/// every tick is a whole number (steps of 1, 2, 5, 10, 20, …): for counts of releases.
pub(crate) fn nice_ticks(max: f64, target: usize, whole: bool) -> Vec<f64> {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    let raw = max / target.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let mults: &[f64] = if whole {
        &[1.0, 2.0, 5.0, 10.0]
    } else {
        &[1.0, 2.0, 2.5, 5.0, 10.0]
    };
    let mut step = mults
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    if whole {
        step = step.max(1.0).round();
    }
    let n = (max / step).ceil() as usize;
    (0..=n.clamp(1, 50)).map(|i| i as f64 * step).collect()
}

/// A tick label: whole numbers without decimals, others with up to two.
pub(crate) fn format_number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        if v.abs() >= 10_000.0 {
            let sign = if v < 0.0 { "-" } else { "" };
            format!(
                "{sign}{}",
                super::headline::thousands(v.abs().round() as u64)
            )
        } else {
            format!("{}", v.round() as i64)
        }
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
    whole: bool,
) -> Result<f64, String> {
    let ticks = nice_ticks(max, 6, whole);
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
/// its label written horizontally above it (keep 40 px free above `frame.top`);
/// returns the top value.
pub(crate) fn value_axis_y<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    frame: Frame,
    max: f64,
    label: &str,
    format: &dyn Fn(f64) -> String,
    whole: bool,
) -> Result<f64, String> {
    let ticks = nice_ticks(max, 5, whole);
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
        (frame.left - 50, frame.top - 28),
        LABEL_SIZE,
        &INK,
        false,
        LEFT,
    )?;
    Ok(top)
}

/// A placed legend entry: its lines, its colour and its top-left corner.
pub(crate) type LegendItem = (Vec<String>, RGBColor, (i32, i32));

/// Lays out a legend of colour swatches in rows starting at `(left, top)` within
/// `width` pixels: as many columns as the longest label allows (labels longer than a
/// column are wrapped onto two lines). Returns the placed items, each with its lines
/// and top-left corner, and the total height.
pub(crate) fn legend_layout(
    items: &[(String, RGBColor)],
    left: i32,
    top: i32,
    width: i32,
) -> (Vec<LegendItem>, i32) {
    const SWATCH: i32 = 20;
    const GAP: i32 = 24;
    let widest = items
        .iter()
        .map(|(l, _)| measure(l, SMALL_SIZE, false))
        .max()
        .unwrap_or(0);
    // Columns as wide as the widest label (at least 180 px), as many as fit.
    let wanted = (SWATCH + widest).clamp(120, width.max(1));
    let columns = ((width + GAP) / (wanted + GAP)).clamp(1, items.len().max(1) as i32);
    let column = wanted;
    let line = line_height(SMALL_SIZE);
    let mut placed = Vec::new();
    let mut y = top;
    for row in items.chunks(columns as usize) {
        let mut tallest = 1;
        for (j, (label, colour)) in row.iter().enumerate() {
            let lines = if measure(label, SMALL_SIZE, false) <= column - SWATCH {
                vec![label.clone()]
            } else {
                wrap(label, SMALL_SIZE, false, column - SWATCH, 2)
            };
            tallest = tallest.max(lines.len() as i32);
            placed.push((lines, *colour, (left + j as i32 * (column + GAP), y)));
        }
        y += tallest * line + 6;
    }
    (placed, y - top)
}

/// Draws a legend laid out by [`legend_layout`]; returns its height.
pub(crate) fn legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    items: &[(String, RGBColor)],
    at: (i32, i32),
) -> Result<i32, String> {
    let (w, _) = root.dim_in_pixel();
    let (placed, height) = legend_layout(
        items,
        at.0,
        at.1 - line_height(SMALL_SIZE) / 2,
        w as i32 - at.0 - 20,
    );
    let line = line_height(SMALL_SIZE);
    for (lines, colour, (x, y)) in placed {
        let mid = y + line / 2;
        root.draw(&Rectangle::new(
            [(x, mid - 7), (x + 14, mid + 7)],
            colour.filled(),
        ))
        .msg()?;
        for (k, l) in lines.iter().enumerate() {
            text(
                root,
                l,
                (x + 20, mid + k as i32 * line),
                SMALL_SIZE,
                &INK,
                false,
                LEFT,
            )?;
        }
    }
    Ok(height)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_maximum() {
        assert_eq!(
            nice_ticks(10.0, 5, false),
            vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
        );
        let t = nice_ticks(7.3, 6, false);
        assert!(*t.last().unwrap() >= 7.3);
        assert_eq!(nice_ticks(0.0, 4, false), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(nice_ticks(f64::NAN, 5, false).first(), Some(&0.0));
        // Counts of releases: whole numbers only, whatever the maximum.
        for max in [1.0, 2.0, 3.0, 5.0, 7.0, 12.0, 13.0, 28.0, 52.0, 173.0] {
            let t = nice_ticks(max, 5, true);
            assert!(t.iter().all(|v| v.fract() == 0.0), "{max}: {t:?}");
            assert!(*t.last().unwrap() >= max);
            assert!(t.len() >= 2 && t.len() <= 8, "{max}: {t:?}");
        }
        assert_eq!(nice_ticks(5.0, 5, true), vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(nice_ticks(2.0, 5, true), vec![0.0, 1.0, 2.0]);
    }

    #[test]
    fn numbers_and_truncation() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(format_number(15_000.0), "15,000");
        assert_eq!(format_number(5_000.0), "5000");
    }

    #[test]
    fn wraps_long_names_instead_of_cutting_them() {
        crate::report::font::ensure_fonts().unwrap();
        let name = "BSO web content delivery network (cdn)";
        let lines = wrap(name, SMALL_SIZE, false, 200, 2);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(lines.join(" "), name);
        assert!(lines.iter().all(|l| measure(l, SMALL_SIZE, false) <= 200));
        let long = "word ".repeat(40);
        let lines = wrap(&long, SMALL_SIZE, false, 200, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert_eq!(
            wrap("short", SMALL_SIZE, false, 200, 2),
            vec!["short".to_string()]
        );
    }
}
