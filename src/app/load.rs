//! Reading and validating the input files of a command into one model.

use std::path::PathBuf;

use chrono::Datelike;

use crate::calendar::{Region, WorkingCalendar};
use crate::io::{
    read_closures, read_holidays, read_infrastructure, read_releases, InputWarning, OutputGuard,
    ReleaseFile,
};
use crate::model::Dataset;
use crate::Error;

/// The input files shared by most commands.
#[derive(Debug, Clone)]
pub struct InputPaths {
    /// `releases.csv` (or a schedule written by `stagger plan`).
    pub releases: PathBuf,
    /// `infrastructure.csv`.
    pub infrastructure: PathBuf,
    /// Optional `closures.csv`.
    pub closures: Option<PathBuf>,
    /// Optional holidays file (`date,name,region`): bank holidays merged into the
    /// built-in table, e.g. a day proclaimed after this version was built.
    pub holidays: Option<PathBuf>,
    /// Nation for releases without a `region`.
    pub region: Region,
    /// Failure points of releases whose `depends_on` is empty (e.g. the one website
    /// a producer publishes everything on); empty for none.
    pub default_depends_on: Vec<String>,
}

/// Everything a command needs once the inputs are read and validated.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The releases file as read (for carrying columns through).
    pub file: ReleaseFile,
    /// Releases and infrastructure.
    pub dataset: Dataset,
    /// Working days including closures.
    pub calendar: WorkingCalendar,
    /// Each release's failure points (transitive), sorted indices.
    pub failure_sets: Vec<Vec<usize>>,
    /// Protects the input files from being overwritten by outputs.
    pub guard: OutputGuard,
    /// The `--region` nation (default for releases, and the year's working days in risk figures).
    pub region: Region,
    /// Harmless oddities in the input files (e.g. a holiday on a weekend), located.
    pub warnings: Vec<InputWarning>,
}

/// Reads the infrastructure, then the releases (checked against it), then
/// closures and extra holidays.
pub fn load(paths: &InputPaths) -> Result<Loaded, Error> {
    let infrastructure = read_infrastructure(&paths.infrastructure)?;
    let mut file = read_releases(&paths.releases, &infrastructure, paths.region)?;
    if !paths.default_depends_on.is_empty() {
        let unknown: Vec<&String> = paths
            .default_depends_on
            .iter()
            .filter(|id| infrastructure.index_of(id).is_none())
            .collect();
        if let Some(id) = unknown.first() {
            let hint = match crate::io::fields::nearest(
                id,
                infrastructure.points().iter().map(|p| p.id.as_str()),
            ) {
                Some(k) => format!("did you mean '{k}'?"),
                None => "use an id from the infrastructure file".to_string(),
            };
            return Err(crate::io::InputError::new(
                &paths.infrastructure,
                vec![crate::io::Diagnostic::new(format!(
                    "--default-depends-on names '{id}', which is not a failure point in this file"
                ))
                .with_hint(hint)],
            )
            .into());
        }
        for r in &mut file.releases {
            if r.depends_on.is_empty() {
                r.depends_on = paths.default_depends_on.clone();
            }
        }
    }
    let closures = match &paths.closures {
        Some(p) => read_closures(p)?,
        None => Vec::new(),
    };
    let years = file
        .releases
        .iter()
        .flat_map(|r| [Some(r.date), Some(r.anchor), r.earliest, r.latest])
        .flatten()
        .map(|d| d.year());
    let (lo, hi) = years.fold((i32::MAX, i32::MIN), |(lo, hi), y| (lo.min(y), hi.max(y)));
    let (lo, hi) = if lo > hi {
        (2026, 2026)
    } else {
        (lo - 1, hi + 1)
    };
    let holidays = match &paths.holidays {
        Some(p) => read_holidays(p)?,
        None => Default::default(),
    };
    let calendar = WorkingCalendar::new(lo, hi, closures).with_extra_holidays(&holidays.holidays);
    let dataset = Dataset {
        releases: file.releases.clone(),
        infrastructure,
    };
    let failure_sets = dataset.failure_sets();
    let mut inputs = vec![paths.releases.clone(), paths.infrastructure.clone()];
    inputs.extend(paths.closures.clone());
    inputs.extend(paths.holidays.clone());
    Ok(Loaded {
        file,
        dataset,
        calendar,
        failure_sets,
        guard: OutputGuard::new(inputs),
        region: paths.region,
        warnings: holidays.warnings,
    })
}

/// The warnings as text, one `warning: file:line: …` entry each (with its
/// `help:` line when there is one); empty when there are none.
pub fn warnings_text(warnings: &[InputWarning]) -> String {
    warnings.iter().map(|w| format!("warning: {w}\n")).collect()
}

/// The warnings as a JSON array of `{file, line, column, value, message, hint}`.
pub fn warnings_json(warnings: &[InputWarning]) -> serde_json::Value {
    warnings
        .iter()
        .map(|w| {
            let d = &w.diagnostic;
            serde_json::json!({
                "file": w.path.display().to_string(),
                "line": d.line,
                "column": d.column,
                "value": d.value,
                "message": d.message,
                "hint": d.hint,
            })
        })
        .collect()
}
