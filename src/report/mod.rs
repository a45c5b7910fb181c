//! Outputs for people: charts (SVG and PNG) and the self-contained HTML report.
//!
//! Every function here is pure: plain input structs in, bytes or strings out,
//! byte-identical for the same input.

mod axis;
pub mod charts;
mod font;
pub mod headline;
pub mod html;
mod palette;
mod render;

pub use charts::{
    DailyReleasesDay, DailyReleasesInput, DayKind, HeatmapDay, HeatmapInput, HeatmapPanel, RiskBar,
    RiskInput, TradeoffInput, TradeoffPoint, WorstDayInput, WorstDayRow,
};
pub use headline::{headline, Bound, HeadlineFacts, RiskChange};
pub use html::{
    render_html, ClashRow, Figure, FindingRow, Headline, NoticeRow, ReportChart, ReportInput,
    RiskRow, RiskSection, TABLE_ROWS,
};
pub use render::{ChartFormat, ChartSpec};

/// Errors from producing reports and charts.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Drawing a chart failed.
    #[error("cannot draw chart {name}: {message}")]
    Chart {
        /// Which chart.
        name: String,
        /// What went wrong.
        message: String,
    },
    /// The embedded font could not be loaded.
    #[error("cannot load the embedded font: {message}")]
    Font {
        /// What went wrong.
        message: String,
    },
    /// Encoding a chart as PNG failed.
    #[error("cannot encode chart {name} as PNG: {message}")]
    Png {
        /// Which chart.
        name: String,
        /// What went wrong.
        message: String,
    },
}
