//! The five charts. Each has a plain input struct implementing
//! [`ChartSpec`](super::ChartSpec): call `render(ChartFormat::Svg | ChartFormat::Png)`.
//!
//! Bars and cells are drawn as rectangles in input order (never through a hash
//! map), so the same input always gives the same bytes.

mod daily_releases;
mod heatmap;
mod risk_bars;
mod tradeoff;
mod worst_day;

pub use daily_releases::{DailyReleasesDay, DailyReleasesInput};
pub use heatmap::{DayKind, HeatmapDay, HeatmapInput, HeatmapPanel};
pub use risk_bars::{RiskBar, RiskInput};
pub use tradeoff::{TradeoffInput, TradeoffPoint};
pub use worst_day::{WorstDayInput, WorstDayRow};

#[cfg(test)]
pub(crate) mod test_support {
    use crate::report::{ChartFormat, ChartSpec};

    /// The box a text element of an SVG chart occupies: its content, left, top, right,
    /// bottom (pixels). Widths are measured in the chart font (DejaVu Sans, wider than
    /// most viewers' sans-serif fonts); heights are the em box.
    #[derive(Debug, Clone)]
    pub(crate) struct TextBox {
        pub(crate) text: String,
        pub(crate) left: f64,
        pub(crate) top: f64,
        pub(crate) right: f64,
        pub(crate) bottom: f64,
    }

    fn attr(tag: &str, name: &str) -> Option<String> {
        let key = format!(" {name}=\"");
        let start = tag.find(&key)? + key.len();
        let end = tag[start..].find('"')? + start;
        Some(tag[start..end].to_string())
    }

    fn unescape(s: &str) -> String {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    /// Every non-empty text element of `svg` with its box.
    pub(crate) fn text_boxes(svg: &str) -> Vec<TextBox> {
        crate::report::font::ensure_fonts().unwrap();
        let mut out = Vec::new();
        let mut rest = svg;
        while let Some(at) = rest.find("<text ") {
            let after = &rest[at..];
            let Some(tag_end) = after.find('>') else {
                break;
            };
            let tag = &after[..tag_end];
            let Some(close) = after.find("</text>") else {
                break;
            };
            let content = unescape(after[tag_end + 1..close].trim());
            rest = &after[close..];
            if content.trim().is_empty() {
                continue;
            }
            let num = |k: &str| {
                attr(tag, k)
                    .and_then(|v| v.parse::<f64>().ok())
                    .unwrap_or(0.0)
            };
            let (x, y, size) = (num("x"), num("y"), num("font-size"));
            let bold = attr(tag, "font-weight").as_deref() == Some("bold");
            let width = f64::from(crate::report::axis::measure(&content, size * 1.24, bold));
            let left = match attr(tag, "text-anchor").as_deref() {
                Some("middle") => x - width / 2.0,
                Some("end") => x - width,
                _ => x,
            };
            let (top, bottom) = match attr(tag, "dy").as_deref() {
                Some("0.76em") => (y, y + size),
                Some("-0.5ex") => (y - 1.03 * size, y - 0.03 * size),
                _ => (y - 0.5 * size, y + 0.5 * size),
            };
            out.push(TextBox {
                text: content,
                left,
                top,
                right: left + width,
                bottom,
            });
        }
        out
    }

    /// Fails naming the first two text labels of `svg` whose boxes overlap, or a label
    /// outside the `width` × `height` image.
    pub(crate) fn assert_no_overlap(svg: &str, (width, height): (u32, u32)) {
        let boxes = text_boxes(svg);
        assert!(!boxes.is_empty(), "no text in the chart");
        for (i, a) in boxes.iter().enumerate() {
            assert!(
                a.left >= -0.5
                    && a.top >= -0.5
                    && a.right <= f64::from(width) + 0.5
                    && a.bottom <= f64::from(height) + 0.5,
                "label {:?} leaves the {width}×{height} image: {a:?}",
                a.text
            );
            for b in &boxes[i + 1..] {
                let dx = a.right.min(b.right) - a.left.max(b.left);
                let dy = a.bottom.min(b.bottom) - a.top.max(b.top);
                assert!(
                    dx <= 0.5 || dy <= 0.5,
                    "labels overlap: {:?} {a:?} and {:?} {b:?}",
                    a.text,
                    b.text
                );
            }
        }
    }

    /// Whether the SVG has a text element whose content is exactly `s`.
    pub(crate) fn has_text(svg: &str, s: &str) -> bool {
        svg.contains(&format!(">\n{s}\n</text>"))
    }

    /// Renders both formats twice, checks they are identical and well-formed, and returns the SVG.
    pub(crate) fn render_both_twice<C: ChartSpec>(chart: &C, tag: &str) -> String {
        let svg1 = chart.render(ChartFormat::Svg).unwrap();
        let svg2 = chart.render(ChartFormat::Svg).unwrap();
        assert_eq!(svg1, svg2, "SVG differs between runs");
        let png1 = chart.render(ChartFormat::Png).unwrap();
        let png2 = chart.render(ChartFormat::Png).unwrap();
        assert_eq!(png1, png2, "PNG differs between runs");
        assert_eq!(&png1[..8], b"\x89PNG\r\n\x1a\n");
        if let Some(dir) = std::env::var_os("STAGGER_CHART_DIR") {
            let dir = std::path::PathBuf::from(dir);
            std::fs::write(dir.join(format!("{}-{tag}.png", chart.name())), &png1).unwrap();
            std::fs::write(dir.join(format!("{}-{tag}.svg", chart.name())), &svg1).unwrap();
        }
        let svg = String::from_utf8(svg1).unwrap();
        let png = (png1.len(), &png1[12..16]);
        assert_eq!(png.1, b"IHDR");
        assert!(svg.starts_with("<svg"));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_no_overlap(&svg, chart.size());
        svg
    }
}
