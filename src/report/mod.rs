//! Outputs for people: change notices, charts and the HTML report.

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
}
