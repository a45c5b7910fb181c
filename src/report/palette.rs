//! Colour-blind-safe colours: the Okabe–Ito palette and a viridis scale.

use plotters::style::RGBColor;

/// Category colours for bars and stacked segments, most distinct first. Each has a
/// contrast of at least 3:1 against the white background (WCAG 2.1, 1.4.11): the
/// Okabe–Ito blue and vermillion, with darker green, yellow and purple in the same
/// colour-blind-safe spirit (the lighter Okabe–Ito colours fall below 3:1).
pub(crate) const SERIES: [RGBColor; 6] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0x00, 0x7A, 0x5A), // bluish green, darkened
    RGBColor(0xAA, 0x33, 0x77), // reddish purple, darkened
    RGBColor(0x8F, 0x6A, 0x00), // ochre (darkened yellow)
    RGBColor(0x6A, 0x3D, 0x9A), // violet
];

/// The colour of the "other" category (everything beyond the named series).
pub(crate) const OTHER: RGBColor = RGBColor(0x85, 0x85, 0x85);

/// "Before" series colour (Okabe–Ito vermillion).
pub(crate) const BEFORE: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
/// "After" series colour (Okabe–Ito blue).
pub(crate) const AFTER: RGBColor = RGBColor(0x00, 0x72, 0xB2);
/// Text colour.
pub(crate) const INK: RGBColor = RGBColor(0x1A, 0x1A, 0x1A);
/// Grid lines.
pub(crate) const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
/// Secondary text and axis lines.
pub(crate) const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);

/// The category colour of series `i` (charts show at most [`SERIES`]`.len()` named
/// series and put the rest in [`OTHER`]).
pub(crate) fn series(i: usize) -> RGBColor {
    SERIES[i % SERIES.len()]
}

/// WCAG 2.1 contrast ratio of two colours (1 to 21).
#[cfg(test)]
pub(crate) fn contrast(a: RGBColor, b: RGBColor) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let lum = |c: RGBColor| 0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2);
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// Viridis stops from low (yellow) to high (dark purple).
const VIRIDIS_REVERSED: [(u8, u8, u8); 6] = [
    (0xFD, 0xE7, 0x25),
    (0x7A, 0xD1, 0x51),
    (0x22, 0xA8, 0x84),
    (0x2A, 0x78, 0x8E),
    (0x41, 0x44, 0x87),
    (0x44, 0x01, 0x54),
];

/// The colour of `t` in `[0, 1]` on reversed viridis (light = low, dark = high).
pub(crate) fn viridis(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let scaled = t * (VIRIDIS_REVERSED.len() - 1) as f64;
    let i = (scaled.floor() as usize).min(VIRIDIS_REVERSED.len() - 2);
    let f = scaled - i as f64;
    let (a, b) = (VIRIDIS_REVERSED[i], VIRIDIS_REVERSED[i + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_colours_have_three_to_one_contrast_on_white() {
        let white = RGBColor(0xFF, 0xFF, 0xFF);
        for c in SERIES.iter().chain([&OTHER, &BEFORE, &AFTER]) {
            let r = contrast(*c, white);
            assert!(r >= 3.0, "{c:?} has contrast {r:.2} on white");
        }
        // and the named series are not one colour twice
        for (i, a) in SERIES.iter().enumerate() {
            for b in &SERIES[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert!((contrast(white, RGBColor(0, 0, 0)) - 21.0).abs() < 1e-9);
    }

    #[test]
    fn viridis_ends_and_clamps() {
        assert_eq!(viridis(0.0), RGBColor(0xFD, 0xE7, 0x25));
        assert_eq!(viridis(1.0), RGBColor(0x44, 0x01, 0x54));
        assert_eq!(viridis(7.0), viridis(1.0));
        assert_eq!(viridis(f64::NAN), viridis(0.0));
    }
}
