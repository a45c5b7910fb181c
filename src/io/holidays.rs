//! Reading a holidays file (`--holidays FILE`): bank holidays proclaimed after
//! this version of `stagger` was built, merged into the built-in table.

use std::path::Path;

use chrono::{Datelike, NaiveDate, Weekday};

use super::fields::{month_name, parse_supported_date};
use super::releases::{cell, missing_column};
use super::table::Table;
use super::{Diagnostic, InputError, InputWarning};
use crate::calendar::{full_weekday, ExtraHoliday, Region};

/// The name given to a row whose `name` is empty or missing.
pub const DEFAULT_HOLIDAY_NAME: &str = "Bank holiday";

/// A holidays file as read: the days it adds, and warnings about rows that
/// change nothing (a weekend date).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HolidaysFile {
    /// Every row, in file order (weekend rows included: merging skips them).
    pub holidays: Vec<ExtraHoliday>,
    /// Located warnings, in line order.
    pub warnings: Vec<InputWarning>,
}

/// Reads a holidays file with columns `date`, and optional `name` and `region`
/// (empty region: every nation). Every problem is reported with its line and
/// column; dates must lie in the supported years (1978 to 2199). A weekend
/// date is a warning, not an error: releases never go out at weekends anyway.
pub fn read_holidays(path: &Path) -> Result<HolidaysFile, InputError> {
    parse_table(&Table::read(path)?)
}

fn parse_table(table: &Table) -> Result<HolidaysFile, InputError> {
    if table.column("date").is_none() {
        return Err(InputError::new(
            &table.path,
            vec![missing_column(table, "date", table.header_line)],
        ));
    }
    let mut diags = Vec::new();
    let mut out = HolidaysFile::default();
    for row in &table.rows {
        let get = |k: &str| cell(table, row, k);
        let date = match get("date") {
            None => {
                diags.push(
                    Diagnostic::new("every holiday needs a date")
                        .at_line(row.line)
                        .in_column("date")
                        .with_hint("write the day off as YYYY-MM-DD, e.g. 2026-06-15"),
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
                            .with_hint("leave it empty for a bank holiday in every nation"),
                    );
                    None
                }
            },
        };
        let (Some(date), Some(region)) = (date, region) else {
            continue;
        };
        if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            out.warnings.push(InputWarning {
                path: table.path.clone(),
                diagnostic: Diagnostic::new(format!(
                    "{} is a {}: releases never go out at weekends, so this row changes nothing",
                    spoken(date),
                    full_weekday(date.weekday())
                ))
                .at_line(row.line)
                .in_column("date")
                .with_value(get("date").unwrap_or_default())
                .with_hint(
                    "check the date; when a holiday falls on a weekend, list the weekday \
                     proclaimed as its substitute",
                ),
            });
        }
        out.holidays.push(ExtraHoliday {
            date,
            name: get("name").unwrap_or(DEFAULT_HOLIDAY_NAME).to_string(),
            region,
        });
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(InputError::new(&table.path, diags))
    }
}

/// `13 June 2026`.
fn spoken(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), month_name(d.month()), d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<HolidaysFile, InputError> {
        parse_table(&Table::parse(Path::new("holidays.csv"), text.as_bytes())?)
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn reads_dates_names_and_regions() {
        let f = parse(
            "date,name,region\n\
             2026-06-15,World Cup bank holiday,scotland\n\
             14/09/2026,Extra day,\n\
             2027-05-10,,Northern Ireland\n",
        )
        .unwrap();
        assert!(f.warnings.is_empty());
        assert_eq!(
            f.holidays,
            vec![
                ExtraHoliday {
                    date: d("2026-06-15"),
                    name: "World Cup bank holiday".into(),
                    region: Some(Region::Scotland),
                },
                ExtraHoliday {
                    date: d("2026-09-14"),
                    name: "Extra day".into(),
                    region: None,
                },
                ExtraHoliday {
                    date: d("2027-05-10"),
                    name: DEFAULT_HOLIDAY_NAME.into(),
                    region: Some(Region::NorthernIreland),
                },
            ]
        );
        // Only a date column is needed.
        let f = parse("date\n2026-09-14\n").unwrap();
        assert_eq!(f.holidays[0].region, None);
    }

    #[test]
    fn every_bad_row_is_located() {
        let err = parse(
            "date,name,region\n\
             2026-02-30,Bad day,\n\
             ,No date,\n\
             2026-09-14,Bad region,kent\n\
             2200-01-05,Too late,\n\
             1977-06-07,Too early,\n\
             2026-09-15,Fine,\n",
        )
        .unwrap_err();
        let text = err.to_string();
        assert_eq!(err.diagnostics.len(), 5, "{text}");
        assert!(text.contains("holidays.csv:2: column 'date': '2026-02-30': no such date"));
        assert!(text.contains("holidays.csv:3: column 'date': every holiday needs a date"));
        assert!(text.contains("holidays.csv:4: column 'region': 'kent': unknown region"));
        assert!(text.contains(
            "holidays.csv:5: column 'date': '2200-01-05': outside the supported dates 1978-01-01 to 2199-12-31"
        ));
        assert!(text.contains("holidays.csv:6: column 'date': '1977-06-07'"));
        assert!(!text.contains(":7:"));
        let missing = parse("day,name\n2026-09-14,x\n").unwrap_err();
        assert!(missing
            .to_string()
            .contains("holidays.csv:1: missing required column 'date'"));
    }

    #[test]
    fn a_weekend_date_is_a_warning_not_an_error() {
        let f =
            parse("date,name,region\n2026-06-13,Saturday,scotland\n2026-06-15,Monday,scotland\n")
                .unwrap();
        assert_eq!(f.holidays.len(), 2);
        assert_eq!(f.warnings.len(), 1);
        assert_eq!(
            f.warnings[0].to_string(),
            "holidays.csv:2: column 'date': '2026-06-13': 13 June 2026 is a Saturday: \
             releases never go out at weekends, so this row changes nothing\n  \
             help: check the date; when a holiday falls on a weekend, list the weekday \
             proclaimed as its substitute"
        );
    }
}
