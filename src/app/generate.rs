//! `stagger generate`: write a synthetic but realistic calendar for benchmarks.

use std::path::Path;

use crate::generate::{generate as synthesise, GenerateOptions};
use crate::io::write_output;
use crate::Error;

/// Writes `releases.csv` and `infrastructure.csv` into `dir`; returns a one-line summary.
pub fn generate(options: &GenerateOptions, dir: &Path) -> Result<String, Error> {
    let cal = synthesise(options);
    let releases = dir.join("releases.csv");
    let infrastructure = dir.join("infrastructure.csv");
    write_output(&releases, cal.releases_csv.as_bytes())?;
    write_output(&infrastructure, cal.infrastructure_csv.as_bytes())?;
    Ok(format!(
        "wrote {} ({} releases) and {} (seed {}, year {})\n",
        releases.display(),
        options.releases,
        infrastructure.display(),
        options.seed,
        options.effective_year()
    ))
}
