//! `stagger holidays`: a nation's bank holidays as CSV, with where each came from.

use std::fmt::Write as _;
use std::path::Path;

use crate::calendar::{holidays_csv, Region};
use crate::io::read_holidays;
use crate::Error;

/// What `stagger holidays` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidaysOutput {
    /// CSV `date,name,source` for stdout.
    pub stdout: String,
    /// Warnings about the holidays file (one per line), for stderr.
    pub stderr: String,
}

/// The bank holidays (actual days off) of `region` from `from` to `to`, with the
/// days of the holidays file `extra` (if any) merged in, as CSV `date,name,source`.
pub fn holidays(
    region: Region,
    from: i32,
    to: i32,
    extra: Option<&Path>,
) -> Result<HolidaysOutput, Error> {
    let file = match extra {
        Some(p) => read_holidays(p)?,
        None => Default::default(),
    };
    let stdout = holidays_csv(region, from, to, &file.holidays)?;
    let mut stderr = String::new();
    for w in &file.warnings {
        let _ = writeln!(stderr, "warning: {w}");
    }
    Ok(HolidaysOutput { stdout, stderr })
}
