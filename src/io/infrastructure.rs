//! Reading `infrastructure.csv`: failure points and what they rely on.

use std::collections::BTreeMap;
use std::path::Path;

use super::fields::{nearest, split_ids};
use super::releases::{cell, missing_column, too_many_rows};
use super::table::Table;
use super::{Diagnostic, InputError};
use crate::model::{FailurePoint, Infrastructure, ModelError};

/// Reads and validates an infrastructure file (unique ids, known dependencies, no cycle).
pub fn read_infrastructure(path: &Path) -> Result<Infrastructure, InputError> {
    let table = Table::read(path)?;
    parse_infrastructure(&table)
}

/// Validates an already-read table as an infrastructure file.
pub fn parse_infrastructure(table: &Table) -> Result<Infrastructure, InputError> {
    let mut diags = Vec::new();
    if table.column("id").is_none() {
        let line = table.header_line;
        return Err(InputError::new(
            &table.path,
            vec![missing_column(table, "id", line)],
        ));
    }
    if table.rows.len() > crate::limits::MAX_FAILURE_POINTS {
        return Err(InputError::new(
            &table.path,
            vec![too_many_rows(
                table,
                "failure points",
                crate::limits::MAX_FAILURE_POINTS,
            )],
        ));
    }
    let mut first_line: BTreeMap<String, usize> = BTreeMap::new();
    let mut points = Vec::new();
    for row in &table.rows {
        let get = |key: &str| cell(table, row, key);
        let mut bad = |col: &str, value: &str, msg: &str, hint: &str| {
            diags.push(
                Diagnostic::new(msg)
                    .at_line(row.line)
                    .in_column(col)
                    .with_value(value)
                    .with_hint(hint),
            );
        };
        let id = get("id").unwrap_or_default().to_string();
        if id.is_empty() {
            bad(
                "id",
                "",
                "every failure point needs an id",
                "give it a short unique id, e.g. 'bso-website'",
            );
            continue;
        }
        if let Some(&first) = first_line.get(&id) {
            bad(
                "id",
                &id,
                &format!("duplicate id: already used on line {first}"),
                "ids must be unique; rename or merge the two rows",
            );
            continue;
        }
        first_line.insert(id.clone(), row.line);
        let mut number = |col: &str, positive_int: bool, max: f64| -> Option<f64> {
            let v = get(col)?;
            let parsed = v.parse::<f64>().ok().filter(|x| x.is_finite());
            match parsed {
                Some(x) if !positive_int && x > max => {
                    bad(
                        col,
                        v,
                        &format!("too large: at most {max} is supported"),
                        "leave it empty for the default",
                    );
                    None
                }
                Some(x) if positive_int && (x < 1.0 || x.fract() != 0.0 || x > 366.0) => {
                    bad(
                        col,
                        v,
                        "expected a whole number of working days from 1 to 366",
                        "leave it empty for 1 day",
                    );
                    None
                }
                Some(x) if x < 0.0 => {
                    bad(
                        col,
                        v,
                        "expected a number that is zero or more",
                        "leave it empty for the default",
                    );
                    None
                }
                Some(x) => Some(x),
                None => {
                    bad(
                        col,
                        v,
                        "expected a number",
                        "leave it empty for the default",
                    );
                    None
                }
            }
        };
        let failures_per_year = number(
            "failures_per_year",
            false,
            crate::limits::MAX_FAILURES_PER_YEAR,
        );
        let outage_days = number("outage_days", true, 366.0).map_or(1, |x| x as u32);
        let recovery_minutes = number(
            "recovery_minutes",
            false,
            crate::limits::MAX_RECOVERY_MINUTES,
        );
        points.push(FailurePoint {
            name: get("name").unwrap_or(&id).to_string(),
            kind: get("kind").unwrap_or_default().to_string(),
            depends_on: get("depends_on").map(split_ids).unwrap_or_default(),
            id,
            failures_per_year,
            outage_days,
            recovery_minutes,
            line: row.line,
        });
    }
    // Unknown dependencies, each located, with a suggestion.
    let dep_col = "depends_on";
    for p in &points {
        for dep in &p.depends_on {
            if !first_line.contains_key(dep) {
                // Suggestions cost a pass over every id: only for the problems shown.
                let suggestion = (diags.len() < crate::limits::MAX_SHOWN_PROBLEMS)
                    .then(|| nearest(dep, first_line.keys().map(String::as_str)))
                    .flatten();
                let hint = match suggestion {
                    Some(k) => format!("did you mean '{k}'?"),
                    None => "add a row for it, or correct the id".into(),
                };
                diags.push(
                    Diagnostic::new("unknown infrastructure id")
                        .at_line(p.line)
                        .in_column(dep_col)
                        .with_value(dep.as_str())
                        .with_hint(hint),
                );
            }
        }
    }
    if !diags.is_empty() {
        return Err(InputError::new(&table.path, diags));
    }
    let lines: BTreeMap<String, usize> = points.iter().map(|p| (p.id.clone(), p.line)).collect();
    Infrastructure::new(points).map_err(|e| {
        let d = match &e {
            ModelError::Cycle { cycle } => {
                let at: Vec<String> = cycle[..cycle.len().saturating_sub(1)]
                    .iter()
                    .map(|id| {
                        format!(
                            "{} (line {})",
                            crate::limits::echo(id),
                            lines.get(id).copied().unwrap_or(0)
                        )
                    })
                    .collect();
                let ids: Vec<String> = cycle.iter().map(|id| crate::limits::echo(id)).collect();
                Diagnostic::new(format!(
                    "the dependencies form a cycle: {} — a failure point cannot rely on itself",
                    cut_list(&ids, " → ")
                ))
                .at_line(
                    cycle
                        .first()
                        .and_then(|id| lines.get(id))
                        .copied()
                        .unwrap_or(1),
                )
                .in_column(dep_col)
                .with_hint(format!(
                    "remove one dependency on this cycle: {}",
                    cut_list(&at, ", ")
                ))
            }
            other => Diagnostic::new(other.to_string()),
        };
        InputError::new(&table.path, vec![d])
    })
}

/// A long list (a cycle through thousands of failure points) cut to its first ten
/// items and its last one.
fn cut_list(items: &[String], sep: &str) -> String {
    const SHOWN: usize = 10;
    if items.len() <= SHOWN + 2 {
        return items.join(sep);
    }
    format!(
        "{}{sep}… ({} more) …{sep}{}",
        items[..SHOWN].join(sep),
        items.len() - SHOWN - 1,
        items[items.len() - 1]
    )
}
