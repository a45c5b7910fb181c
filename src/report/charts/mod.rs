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
        svg
    }
}
