//! `stagger import`: turn a calendar a producer already publishes (ONS API, GOV.UK
//! search API, iCalendar) into a valid `releases.csv`, and say what was done.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::io::import::icalendar::DateRange;
use crate::io::import::{
    govuk, icalendar, ons, releases_csv, ImportStatus, Imported, ImportedRelease, Source,
    IMPORT_COLUMNS,
};
use crate::io::period::parse_period;
use crate::io::stdio::{is_stdio, read_input, shown, stdin_twice};
use crate::io::{read_infrastructure, DependsRules, InputError, InputErrors, OutputGuard};
use crate::Error;

/// Options of `stagger import`.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The format of the files.
    pub source: Source,
    /// Files to read (a directory: every `.json`/`.ics` file in it, by name; `-`: stdin).
    pub files: Vec<PathBuf>,
    /// Where to write `releases.csv` (`None` or `-`: standard output).
    pub out: Option<PathBuf>,
    /// Keep releases dated within this range; also where endless recurring events stop.
    pub range: DateRange,
    /// `--depends-on-rule FILE`: pattern → failure points.
    pub depends_on_rule: Option<PathBuf>,
    /// Failure points of releases no rule matched.
    pub default_depends_on: Vec<String>,
    /// Infrastructure file, to check the failure-point ids of the rules.
    pub infrastructure: Option<PathBuf>,
    /// Start the CSV with a UTF-8 byte-order mark.
    pub excel: bool,
}

/// What `import` prints.
#[derive(Debug, Clone)]
pub struct ImportOutput {
    /// The CSV when it goes to standard output, else empty.
    pub stdout: Vec<u8>,
    /// The summary (for standard error).
    pub stderr: String,
    /// The releases written.
    pub releases: Vec<ImportedRelease>,
}

/// The files named, with directories replaced by their files of the source's kind.
fn expand(files: &[PathBuf], source: Source) -> Result<Vec<PathBuf>, InputError> {
    let mut out = Vec::new();
    for f in files {
        if f.is_dir() {
            let ext = source.extension();
            let mut inside: Vec<PathBuf> = std::fs::read_dir(f)
                .map_err(|e| {
                    InputError::unreadable(
                        f,
                        format!(
                            "cannot list the directory: {}",
                            crate::io::describe_io_error(&e)
                        ),
                    )
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case(ext))
                })
                .collect();
            if inside.is_empty() {
                return Err(InputError::unreadable(
                    f,
                    format!("the directory has no .{ext} file to import"),
                ));
            }
            inside.sort();
            out.extend(inside);
        } else {
            out.push(f.clone());
        }
    }
    Ok(out)
}

/// Runs `stagger import`.
pub fn import(options: &ImportOptions) -> Result<ImportOutput, Error> {
    let mut named: Vec<&Path> = options.files.iter().map(PathBuf::as_path).collect();
    named.extend(options.depends_on_rule.as_deref());
    named.extend(options.infrastructure.as_deref());
    if stdin_twice(named) {
        return Err(Error::Usage(
            "only one input can be read from standard input ('-')".into(),
        ));
    }
    let mut errors = Vec::new();
    let mut imported = Imported::default();
    let mut files = Vec::new();
    for f in &options.files {
        match expand(std::slice::from_ref(f), options.source) {
            Ok(fs) => files.extend(fs),
            Err(e) => errors.push(e),
        }
    }
    for f in &files {
        let result = read_input(f).and_then(|bytes| {
            let name = shown(f);
            match options.source {
                Source::Ons => ons::read(&name, &bytes),
                Source::Govuk => govuk::read(&name, &bytes),
                Source::Ics => icalendar::read(&name, &bytes, &options.range),
            }
        });
        match result {
            Ok(got) => imported.extend(got),
            Err(e) => errors.push(e),
        }
    }
    let infrastructure = match options.infrastructure.as_deref().map(read_infrastructure) {
        Some(Ok(i)) => Some(i),
        Some(Err(e)) => {
            errors.push(e);
            None
        }
        None => None,
    };
    let rules = match options.depends_on_rule.as_deref().map(DependsRules::read) {
        Some(Ok(r)) => Some(r),
        Some(Err(e)) => {
            errors.push(e);
            None
        }
        None => None,
    };
    let points: Option<Vec<&str>> = infrastructure
        .as_ref()
        .map(|i| i.points().iter().map(|p| p.id.as_str()).collect());
    if let Some(rules) = &rules {
        let diags = rules.check(&IMPORT_COLUMNS, points.as_deref());
        if !diags.is_empty() {
            errors.push(InputError::new(&rules.path, diags));
        }
    }
    if let (Some(points), false) = (&points, options.default_depends_on.is_empty()) {
        let diags = super::load::unknown_default_ids(&options.default_depends_on, points);
        if !diags.is_empty() {
            if let Some(p) = &options.infrastructure {
                errors.push(InputError::new(p, diags));
            }
        }
    }
    InputErrors::into_result(errors)?;

    imported.dedupe();
    let before = imported.releases.len();
    imported
        .releases
        .retain(|r| r.date.is_some_and(|d| options.range.contains(d)));
    let outside = before - imported.releases.len();
    imported.sort();
    if imported.releases.is_empty() {
        let mut d = crate::io::Diagnostic::new(if outside > 0 {
            format!("no release to import: all {outside} are outside --since/--until")
        } else {
            format!(
                "no release to import: the {} found nothing it could map",
                options.source.name()
            )
        });
        if !imported.skipped.is_empty() {
            d = d.with_hint(format!(
                "{} record(s) could not be mapped, e.g. {}",
                imported.skipped.len(),
                imported.skipped[0]
            ));
        }
        let path = files.first().cloned().unwrap_or_default();
        return Err(InputError::new(shown(&path), vec![d]).into());
    }
    let mut unmatched = Vec::new();
    for r in &mut imported.releases {
        if let Some(rules) = &rules {
            let cells: BTreeMap<&str, String> = IMPORT_COLUMNS
                .iter()
                .map(|c| (*c, crate::io::import::column_value(r, c)))
                .collect();
            r.depends_on = rules.depends_on(|c| cells.get(c).map(String::as_str));
            if r.depends_on.is_empty() {
                unmatched.push(r.id.clone());
            }
        }
        if r.depends_on.is_empty() {
            r.depends_on = options.default_depends_on.clone();
        }
    }
    let mut csv = Vec::new();
    if options.excel {
        csv.extend_from_slice(b"\xEF\xBB\xBF");
    }
    csv.extend_from_slice(releases_csv(&imported.releases).as_bytes());
    let to_stdout = options.out.as_deref().is_none_or(is_stdio);
    let mut inputs: Vec<PathBuf> = files.clone();
    inputs.extend(options.depends_on_rule.clone());
    inputs.extend(options.infrastructure.clone());
    if let (Some(out), false) = (&options.out, to_stdout) {
        OutputGuard::new(inputs).write(out, &csv)?;
    }
    let stderr = summary(
        options,
        &files,
        &imported,
        outside,
        &unmatched,
        rules.is_some(),
    );
    Ok(ImportOutput {
        stdout: if to_stdout { csv } else { Vec::new() },
        stderr,
        releases: imported.releases,
    })
}

/// The import summary: counts by status, the windows of the periods, what was not
/// mapped and why, and what to do about `depends_on`.
fn summary(
    options: &ImportOptions,
    files: &[PathBuf],
    imported: &Imported,
    outside: usize,
    unmatched: &[String],
    had_rules: bool,
) -> String {
    let releases = &imported.releases;
    let mut s = String::new();
    let dest = match &options.out {
        Some(p) if !is_stdio(p) => p.display().to_string(),
        _ => "standard output".into(),
    };
    let _ = writeln!(
        s,
        "Imported {} releases from {} ({}) into {dest}.",
        releases.len(),
        match files {
            [one] => shown(one).display().to_string(),
            many => format!("{} files", many.len()),
        },
        options.source.name(),
    );
    let mut by_status: BTreeMap<ImportStatus, usize> = BTreeMap::new();
    for r in releases {
        *by_status
            .entry(r.status.unwrap_or(ImportStatus::Provisional))
            .or_default() += 1;
    }
    let parts: Vec<String> = by_status
        .iter()
        .map(|(st, n)| format!("{n} {}", st.as_str()))
        .collect();
    let _ = writeln!(s, "  Status: {}.", parts.join(", "));
    if let (Some(first), Some(last)) = (
        releases.iter().filter_map(|r| r.date).min(),
        releases.iter().filter_map(|r| r.date).max(),
    ) {
        let mut times: BTreeMap<String, usize> = BTreeMap::new();
        for r in releases {
            let t = r
                .time
                .map(|t| t.format("%H:%M").to_string())
                .unwrap_or_else(|| "all day (09:30)".into());
            *times.entry(t).or_default() += 1;
        }
        let times: Vec<String> = times.iter().map(|(t, n)| format!("{t} ×{n}")).collect();
        let _ = writeln!(
            s,
            "  Dates: {first} to {last} (Europe/London); times: {}.",
            times.join(", ")
        );
    }
    if outside > 0 {
        let _ = writeln!(
            s,
            "  Left out {outside} releases dated outside --since/--until."
        );
    }
    let mut periods: BTreeMap<(chrono::NaiveDate, chrono::NaiveDate, String), [usize; 2]> =
        BTreeMap::new();
    for r in releases.iter().filter(|r| !r.period.is_empty()) {
        if let Ok((a, b)) = parse_period(&r.period) {
            let e = periods.entry((a, b, r.period.clone())).or_default();
            e[0] += 1;
            if r.status == Some(ImportStatus::Provisional) {
                e[1] += 1;
            }
        }
    }
    if !periods.is_empty() {
        let total: usize = periods.values().map(|v| v[0]).sum();
        let _ = writeln!(
            s,
            "  Periods: {total} releases carry an announced period (`period`); a provisional \
             release may move only within it:"
        );
        for ((a, b, text), [n, prov]) in &periods {
            let _ = writeln!(
                s,
                "    {text:<32} {a} to {b}  {n} release{} ({prov} provisional)",
                if *n == 1 { "" } else { "s" }
            );
        }
    }
    let notes: Vec<&ImportedRelease> = releases
        .iter()
        .filter(|r| !r.period_note.is_empty())
        .collect();
    if !notes.is_empty() {
        let _ = writeln!(
            s,
            "  {} period(s) could not be read and are kept in `period_note` only, e.g. '{}' ({}): \
             write them as 'October 2026' or 'October to November 2026' in `period`.",
            notes.len(),
            notes[0].period_note,
            notes[0].id
        );
    }
    let changed = releases
        .iter()
        .filter(|r| !r.previous_dates.is_empty())
        .count();
    if changed > 0 {
        let _ = writeln!(
            s,
            "  {changed} release(s) had their date changed: previous dates and reasons are in \
             `previous_dates` and `change_notes`."
        );
    }
    if !imported.skipped.is_empty() {
        let _ = writeln!(s, "  Not imported ({}):", imported.skipped.len());
        for k in imported.skipped.iter().take(20) {
            let _ = writeln!(s, "    {k}");
        }
        if imported.skipped.len() > 20 {
            let _ = writeln!(s, "    … and {} more", imported.skipped.len() - 20);
        }
    }
    for n in &imported.notes {
        let _ = writeln!(s, "  Note: {n}");
    }
    if had_rules {
        let matched = releases.len() - unmatched.len();
        let _ = writeln!(
            s,
            "  depends_on: {matched} of {} releases matched a --depends-on-rule rule.",
            releases.len()
        );
        if !unmatched.is_empty() {
            let shown: Vec<&str> = unmatched.iter().take(10).map(String::as_str).collect();
            let _ = writeln!(
                s,
                "  {} matched no rule{}: {}{}",
                unmatched.len(),
                if options.default_depends_on.is_empty() {
                    " and have no failure points".to_string()
                } else {
                    format!(
                        " and got --default-depends-on {}",
                        options.default_depends_on.join(";")
                    )
                },
                shown.join(", "),
                if unmatched.len() > 10 { ", …" } else { "" }
            );
        }
    }
    if releases.iter().all(|r| r.depends_on.is_empty()) {
        s.push_str(&no_depends_hint());
    }
    s
}

/// The hint shown when no release has failure points.
pub fn no_depends_hint() -> String {
    "hint: no release has `depends_on`, so every release counts as independent and the peak \
     exposure is 0. Say what each release is published through: map titles or organisations \
     to failure points with `stagger import --depends-on-rule FILE` (a CSV of pattern,depends_on), \
     or give releases without failure points the same ones with `--default-depends-on ID` \
     (e.g. the one website everything is published on).\n"
        .to_string()
}
