//! Colour-blind-safe colours: the Okabe–Ito palette and a viridis scale.

use plotters::style::RGBColor;

/// Okabe–Ito qualitative palette, without black (used for text).
pub(crate) const OKABE_ITO: [RGBColor; 7] = [
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xF0, 0xE4, 0x42), // yellow
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
];

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

/// The qualitative colour of series `i` (cycles after seven).
pub(crate) fn series(i: usize) -> RGBColor {
    OKABE_ITO[i % OKABE_ITO.len()]
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
    fn viridis_ends_and_clamps() {
        assert_eq!(viridis(0.0), RGBColor(0xFD, 0xE7, 0x25));
        assert_eq!(viridis(1.0), RGBColor(0x44, 0x01, 0x54));
        assert_eq!(viridis(7.0), viridis(1.0));
        assert_eq!(viridis(f64::NAN), viridis(0.0));
    }
}
