//! Rendering a chart to SVG text or PNG bytes.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::font::ensure_fonts;
use super::ReportError;

/// The file format of a chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartFormat {
    /// Scalable vector graphics (text).
    Svg,
    /// PNG image (RGB, 8 bits per channel).
    Png,
}

/// Drawing error text, carried up to [`ReportError::Chart`].
pub(crate) type DrawResult = Result<(), String>;

/// Turns any displayable drawing error into a message.
pub(crate) trait OrMessage<T> {
    /// The error as text.
    fn msg(self) -> Result<T, String>;
}

impl<T, E: std::fmt::Display> OrMessage<T> for Result<T, E> {
    fn msg(self) -> Result<T, String> {
        self.map_err(|e| e.to_string())
    }
}

/// A chart that can draw itself on any plotters backend.
pub trait ChartSpec {
    /// A short name for error messages, e.g. `heatmap`.
    fn name(&self) -> &'static str;

    /// Width and height in pixels.
    fn size(&self) -> (u32, u32);

    /// Draws the chart on `root` (which is already filled white).
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult;

    /// Renders the chart in `format`: UTF-8 SVG text or PNG bytes.
    fn render(&self, format: ChartFormat) -> Result<Vec<u8>, ReportError> {
        match format {
            ChartFormat::Svg => self.render_svg().map(String::into_bytes),
            ChartFormat::Png => self.render_png(),
        }
    }

    /// Renders the chart as an SVG document.
    fn render_svg(&self) -> Result<String, ReportError> {
        ensure_fonts()?;
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, self.size()).into_drawing_area();
            self.draw_framed(&root)?;
        }
        Ok(out)
    }

    /// Renders the chart as a PNG image.
    fn render_png(&self) -> Result<Vec<u8>, ReportError> {
        ensure_fonts()?;
        let (w, h) = self.size();
        let mut pixels = vec![0u8; w as usize * h as usize * 3];
        {
            let backend = BitMapBackend::with_buffer_and_format(&mut pixels, (w, h))
                .map_err(|e| self.error(e.to_string()))?;
            let root: DrawingArea<BitMapBackend<'_>, Shift> = backend.into_drawing_area();
            self.draw_framed(&root)?;
        }
        encode_png(&pixels, w, h).map_err(|message| ReportError::Png {
            name: self.name().to_string(),
            message,
        })
    }

    /// Fills the background, draws and presents.
    #[doc(hidden)]
    fn draw_framed<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> Result<(), ReportError> {
        root.fill(&WHITE).msg().map_err(|m| self.error(m))?;
        self.draw(root).map_err(|m| self.error(m))?;
        root.present().msg().map_err(|m| self.error(m))
    }

    /// A [`ReportError::Chart`] for this chart.
    #[doc(hidden)]
    fn error(&self, message: String) -> ReportError {
        ReportError::Chart {
            name: self.name().to_string(),
            message,
        }
    }
}

/// Encodes an RGB buffer as PNG with fixed settings (deterministic bytes).
fn encode_png(pixels: &[u8], w: u32, h: u32) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Default);
        let mut writer = encoder.write_header().msg()?;
        writer.write_image_data(pixels).msg()?;
        writer.finish().msg()?;
    }
    Ok(out)
}
