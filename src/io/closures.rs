//! Reading `closures.csv`: extra non-release days.

use std::path::Path;

use super::fields::parse_supported_date;
use super::releases::{cell, missing_column};
use super::table::Table;
use super::{Diagnostic, InputError};
use crate::calendar::{Closure, Region};

/// Reads a closures file with columns `date`, `name` and optional `region`.
pub fn read_closures(path: &Path) -> Result<Vec<Closure>, InputError> {
    let table = Table::read(path)?;
    let mut diags = Vec::new();
    if table.column("date").is_none() {
        let line = table.header_line;
        return Err(InputError::new(
            &table.path,
            vec![missing_column(&table, "date", line)],
        ));
    }
    let mut out = Vec::new();
    for row in &table.rows {
        let get = |k: &str| cell(&table, row, k);
        let date = match get("date") {
            None => {
                diags.push(
                    Diagnostic::new("every closure needs a date")
                        .at_line(row.line)
                        .in_column("date"),
                );
                None
            }
            Some(v) => match parse_supported_date(v) {
                Ok(d) => Some(d),
                Err(m) => {
                    diags.push(
                        Diagnostic::new(m)
                            .at_line(row.line)
                            .in_column("date")
                            .with_value(v),
                    );
                    None
                }
            },
        };
        let region = match get("region") {
            None => Some(None),
            Some(v) => match v.parse::<Region>() {
                Ok(r) => Some(Some(r)),
                Err(e) => {
                    diags.push(
                        Diagnostic::new(e.to_string())
                            .at_line(row.line)
                            .in_column("region")
                            .with_value(v)
                            .with_hint("leave it empty for a closure that applies to every nation"),
                    );
                    None
                }
            },
        };
        if let (Some(date), Some(region)) = (date, region) {
            out.push(Closure {
                date,
                name: get("name").unwrap_or("Closure").to_string(),
                region,
            });
        }
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(InputError::new(&table.path, diags))
    }
}
