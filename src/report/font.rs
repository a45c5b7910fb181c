//! The embedded DejaVu Sans font (see `assets/fonts/LICENSE-DejaVu.txt`), registered
//! once with plotters under the family name `sans-serif`.

use std::sync::OnceLock;

use plotters::style::{register_font, FontStyle};

use super::ReportError;

/// DejaVu Sans, regular.
static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans, bold.
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// The family name charts use.
pub(crate) const FAMILY: &str = "sans-serif";

/// Registers the fonts on first use; later calls return the first outcome.
pub(crate) fn ensure_fonts() -> Result<(), ReportError> {
    static OUTCOME: OnceLock<Result<(), String>> = OnceLock::new();
    OUTCOME
        .get_or_init(|| {
            register_font(FAMILY, FontStyle::Normal, REGULAR)
                .map_err(|_| "DejaVuSans.ttf is not a valid font".to_string())?;
            register_font(FAMILY, FontStyle::Bold, BOLD)
                .map_err(|_| "DejaVuSans-Bold.ttf is not a valid font".to_string())
        })
        .clone()
        .map_err(|message| ReportError::Font { message })
}
