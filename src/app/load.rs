//! Reading and validating the input files of a command into one model.

use std::path::PathBuf;

use chrono::Datelike;

use crate::calendar::{Region, WorkingCalendar};
use crate::io::fields::nearest;
use crate::io::releases_cell as cell;
use crate::io::stdio::stdin_twice;
use crate::io::{
    parse_releases_with, read_closures, read_holidays, read_infrastructure, DependsRules,
    Diagnostic, InputError, InputErrors, OutputGuard, ReleaseFile, Table,
};
use crate::model::Dataset;
use crate::Error;

/// The input files shared by most commands.
#[derive(Debug, Clone)]
pub struct InputPaths {
    /// `releases.csv` (or a schedule written by `stagger plan`); `-` reads standard input.
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
    /// `--depends-on-rule FILE`: failure points of releases with an empty `depends_on`,
    /// by pattern (applied before `default_depends_on`).
    pub depends_on_rule: Option<PathBuf>,
}

impl InputPaths {
    /// Inputs with the default region and no optional files.
    pub fn new(releases: impl Into<PathBuf>, infrastructure: impl Into<PathBuf>) -> Self {
        InputPaths {
            releases: releases.into(),
            infrastructure: infrastructure.into(),
            closures: None,
            holidays: None,
            region: Region::EnglandAndWales,
            default_depends_on: Vec::new(),
            depends_on_rule: None,
        }
    }
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
    /// With `--depends-on-rule`: the releases (indices) that had no `depends_on` and
    /// that no rule matched.
    pub unmatched_by_rules: Vec<usize>,
    /// Remarks for standard error: header aliases read, likely misspelt columns, a
    /// hint when no release has failure points, and `warning: …` lines for harmless
    /// oddities located in a file (a `--holidays` row on a weekend).
    pub warnings: Vec<String>,
}

/// The warnings of a load as lines for standard error (`note: …`, `hint: …`,
/// `warning: …`).
pub fn warnings_text(loaded: &Loaded) -> String {
    let mut s = String::new();
    for w in &loaded.warnings {
        if !w.starts_with("hint:") && !w.starts_with("warning:") {
            s.push_str("note: ");
        }
        s.push_str(w);
        s.push('\n');
    }
    s
}

/// Problems with `--default-depends-on` ids that are not failure points, each with a
/// "did you mean".
pub fn unknown_default_ids(ids: &[String], points: &[&str]) -> Vec<Diagnostic> {
    ids.iter()
        .filter(|id| !points.contains(&id.as_str()))
        .map(|id| {
            let hint = match nearest(id, points.iter().copied()) {
                Some(k) => format!("did you mean '{k}'?"),
                None => format!(
                    "use an id from the infrastructure file ({})",
                    points
                        .iter()
                        .take(8)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            Diagnostic::new(format!(
                "--default-depends-on names '{id}', which is not a failure point in this file"
            ))
            .with_hint(hint)
        })
        .collect()
}

/// Fills the `depends_on` of releases that have none: from the rules that match them,
/// else from `default`. Returns the releases (indices) no rule matched (none without rules).
pub fn fill_depends_on(
    file: &mut ReleaseFile,
    rules: Option<&DependsRules>,
    default: &[String],
) -> Vec<usize> {
    let mut unmatched = Vec::new();
    for (i, (r, row)) in file.releases.iter_mut().zip(&file.table.rows).enumerate() {
        if !r.depends_on.is_empty() {
            continue;
        }
        if let Some(rules) = rules {
            r.depends_on = rules.depends_on(|c| cell(&file.table, row, c));
            if r.depends_on.is_empty() {
                unmatched.push(i);
            }
        }
        if r.depends_on.is_empty() {
            r.depends_on = default.to_vec();
        }
    }
    unmatched
}

/// Reads the infrastructure, the releases (checked against it), the rules, the
/// closures and the extra holidays. Every problem of every file is reported together.
pub fn load(paths: &InputPaths) -> Result<Loaded, Error> {
    let mut named: Vec<&std::path::Path> = vec![&paths.releases, &paths.infrastructure];
    named.extend(paths.closures.as_deref());
    named.extend(paths.holidays.as_deref());
    named.extend(paths.depends_on_rule.as_deref());
    if stdin_twice(named) {
        return Err(Error::Usage(
            "only one input can be read from standard input ('-')".into(),
        ));
    }
    let mut errors = Vec::new();
    let infrastructure = read_infrastructure(&paths.infrastructure)
        .map_err(|e| errors.push(e))
        .ok();
    let file = Table::read(&paths.releases)
        .and_then(|t| parse_releases_with(t, infrastructure.as_ref(), paths.region))
        .map_err(|e| errors.push(e))
        .ok();
    let rules = match paths.depends_on_rule.as_deref().map(DependsRules::read) {
        Some(Ok(r)) => Some(r),
        Some(Err(e)) => {
            errors.push(e);
            None
        }
        None => None,
    };
    let closures = match &paths.closures {
        Some(p) => read_closures(p)
            .map_err(|e| errors.push(e))
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let holidays = match &paths.holidays {
        Some(p) => read_holidays(p)
            .map_err(|e| errors.push(e))
            .unwrap_or_default(),
        None => Default::default(),
    };
    if let Some(infrastructure) = &infrastructure {
        let points: Vec<&str> = infrastructure
            .points()
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        let diags = unknown_default_ids(&paths.default_depends_on, &points);
        if !diags.is_empty() {
            errors.push(InputError::new(&paths.infrastructure, diags));
        }
        if let (Some(rules), Some(file)) = (&rules, &file) {
            let mut columns: Vec<&str> = file.table.keys.iter().map(String::as_str).collect();
            columns.extend(crate::io::import::IMPORT_COLUMNS);
            let diags = rules.check(&columns, Some(&points));
            if !diags.is_empty() {
                errors.push(InputError::new(&rules.path, diags));
            }
        }
    }
    InputErrors::into_result(errors)?;
    let (Some(infrastructure), Some(mut file)) = (infrastructure, file) else {
        return Err(Error::Usage("the inputs could not be read".into()));
    };
    let unmatched_by_rules = fill_depends_on(&mut file, rules.as_ref(), &paths.default_depends_on);
    let mut warnings = file.notes.clone();
    if file.releases.iter().all(|r| r.depends_on.is_empty()) {
        warnings.push(super::import::no_depends_hint().trim_end().to_string());
    }
    warnings.extend(holidays.warnings.iter().map(|w| format!("warning: {w}")));
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
    let calendar = WorkingCalendar::new(lo, hi, closures).with_extra_holidays(&holidays.holidays);
    let dataset = Dataset {
        releases: file.releases.clone(),
        infrastructure,
    };
    let failure_sets = dataset.failure_sets();
    let mut inputs = vec![paths.releases.clone(), paths.infrastructure.clone()];
    inputs.extend(paths.closures.clone());
    inputs.extend(paths.holidays.clone());
    inputs.extend(paths.depends_on_rule.clone());
    Ok(Loaded {
        file,
        dataset,
        calendar,
        failure_sets,
        guard: OutputGuard::new(inputs),
        region: paths.region,
        unmatched_by_rules,
        warnings,
    })
}
