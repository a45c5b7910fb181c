//! Bank holidays over a range of supported years, as a list or as CSV
//! (`stagger holidays --region R --from YEAR --to YEAR [--holidays FILE]`).

use super::holidays::{FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR};
use super::{bank_holidays, merge_extra_holidays, CalendarError, ExtraHoliday, Holiday, Region};

/// The bank holidays of `region` in the years `from..=to`, sorted by date.
///
/// Rejects an empty range (`from > to`) and years outside the supported
/// 1978..=2199 with [`CalendarError::YearRange`].
pub fn holidays_in_years(
    region: Region,
    from: i32,
    to: i32,
) -> Result<Vec<Holiday>, CalendarError> {
    holidays_in_years_with(region, from, to, &[])
}

/// As [`holidays_in_years`], with `extra` holidays (from a `--holidays` file)
/// merged in as [`merge_extra_holidays`] does.
pub fn holidays_in_years_with(
    region: Region,
    from: i32,
    to: i32,
    extra: &[ExtraHoliday],
) -> Result<Vec<Holiday>, CalendarError> {
    check_year_range(from, to)?;
    Ok((from..=to)
        .flat_map(|year| {
            let mut days = bank_holidays(region, year);
            merge_extra_holidays(&mut days, region, year, extra);
            days
        })
        .collect())
}

/// The bank holidays of `region` in the years `from..=to`, `extra` merged in,
/// as CSV: a header `date,name,source`, then one line per day off with an ISO
/// date (`2026-12-28`), the name (quoted only when it holds a comma, quote or
/// line break) and where the day comes from (`rule`, `one-off` or `file`, see
/// [`HolidaySource`](super::HolidaySource)). Lines end in `\n`.
pub fn holidays_csv(
    region: Region,
    from: i32,
    to: i32,
    extra: &[ExtraHoliday],
) -> Result<String, CalendarError> {
    let mut out = String::from("date,name,source\n");
    for h in holidays_in_years_with(region, from, to, extra)? {
        out.push_str(&h.date.format("%Y-%m-%d").to_string());
        out.push(',');
        out.push_str(&csv_field(&h.name));
        out.push(',');
        out.push_str(h.source.slug());
        out.push('\n');
    }
    Ok(out)
}

/// Checks that `from..=to` is non-empty and within the supported years.
fn check_year_range(from: i32, to: i32) -> Result<(), CalendarError> {
    let why = if from > to {
        Some("the first year is after the last year")
    } else if from < FIRST_SUPPORTED_YEAR {
        Some("years before the modern rule set are not supported")
    } else if to > LAST_SUPPORTED_YEAR {
        Some("years after the last supported year are not supported")
    } else {
        None
    };
    match why {
        None => Ok(()),
        Some(why) => Err(CalendarError::YearRange {
            from,
            to,
            reason: format!(
                "{why}; supported years are {FIRST_SUPPORTED_YEAR} to {LAST_SUPPORTED_YEAR}"
            ),
        }),
    }
}

/// `text` as one CSV field: quoted (with quotes doubled) only when needed.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn rejects_reversed_and_unsupported_ranges() {
        for (from, to) in [
            (2025, 2024),
            (1977, 2000),
            (2000, 2200),
            (i32::MIN, i32::MAX),
        ] {
            let err = holidays_in_years(Region::Scotland, from, to).unwrap_err();
            assert!(
                matches!(err, CalendarError::YearRange { from: f, to: t, .. } if f == from && t == to)
            );
            assert!(
                err.to_string().contains("supported years are 1978 to 2199"),
                "{err}"
            );
        }
        assert!(holidays_in_years(Region::Scotland, 1978, 2199).is_ok());
        assert!(holidays_csv(Region::Scotland, 2030, 2029, &[]).is_err());
    }

    #[test]
    fn lists_every_year_of_the_range_in_date_order() {
        let r = Region::NorthernIreland;
        let list = holidays_in_years(r, 2024, 2026).unwrap();
        let mut expected = bank_holidays(r, 2024);
        expected.extend(bank_holidays(r, 2025));
        expected.extend(bank_holidays(r, 2026));
        assert_eq!(list, expected);
        assert!(list.windows(2).all(|w| w[0].date < w[1].date));
    }

    #[test]
    fn csv_has_header_iso_dates_and_one_line_per_day() {
        let csv = holidays_csv(Region::EnglandAndWales, 2026, 2026, &[]).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "date,name,source");
        assert_eq!(
            lines.len(),
            1 + bank_holidays(Region::EnglandAndWales, 2026).len()
        );
        assert!(lines.contains(&"2026-12-28,Boxing Day (substitute day),rule"));
        assert!(csv.ends_with('\n') && !csv.contains('\r'));
    }

    #[test]
    fn docs_example_is_the_real_output() {
        let doc = include_str!("../../docs/holidays.md");
        let start = doc.find("```csv\n").expect("csv example in docs") + "```csv\n".len();
        let len = doc[start..].find("```").expect("end of csv example");
        assert_eq!(
            &doc[start..start + len],
            holidays_csv(Region::EnglandAndWales, 2026, 2026, &[]).unwrap()
        );
    }

    #[test]
    fn csv_parses_back_with_the_csv_crate() {
        let extra = [ExtraHoliday {
            date: NaiveDate::from_ymd_opt(2027, 9, 6).unwrap(),
            name: "Extra, with \"quotes\"".into(),
            region: None,
        }];
        let csv = holidays_csv(Region::NorthernIreland, 2019, 2027, &extra).unwrap();
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        assert_eq!(
            reader.headers().unwrap(),
            &csv::StringRecord::from(vec!["date", "name", "source"])
        );
        let rows: Vec<(String, String, String)> = reader
            .records()
            .map(|r| {
                let r = r.unwrap();
                (r[0].to_string(), r[1].to_string(), r[2].to_string())
            })
            .collect();
        let expected: Vec<(String, String, String)> =
            holidays_in_years_with(Region::NorthernIreland, 2019, 2027, &extra)
                .unwrap()
                .into_iter()
                .map(|h| (h.date.to_string(), h.name, h.source.slug().to_string()))
                .collect();
        assert_eq!(rows, expected);
        assert!(rows.contains(&(
            "2027-09-06".into(),
            "Extra, with \"quotes\"".into(),
            "file".into()
        )));
        assert!(rows.contains(&(
            "2020-05-08".into(),
            "Early May bank holiday (VE day)".into(),
            "one-off".into()
        )));
    }

    #[test]
    fn sources_say_rule_one_off_or_file() {
        let extra = [ExtraHoliday {
            date: NaiveDate::from_ymd_opt(2026, 9, 14).unwrap(),
            name: "Added by the team".into(),
            region: Some(Region::Scotland),
        }];
        let csv = holidays_csv(Region::Scotland, 2026, 2026, &extra).unwrap();
        assert!(csv.contains("\n2026-01-02,2nd January,rule\n"), "{csv}");
        assert!(
            csv.contains("\n2026-06-15,World Cup bank holiday,one-off\n"),
            "{csv}"
        );
        assert!(
            csv.contains("\n2026-09-14,Added by the team,file\n"),
            "{csv}"
        );
        // Not in another nation's list.
        let ew = holidays_csv(Region::EnglandAndWales, 2026, 2026, &extra).unwrap();
        assert!(!ew.contains("2026-09-14") && !ew.contains("2026-06-15"));
    }

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("Boxing Day"), "Boxing Day");
        assert_eq!(csv_field("St Andrew's Day"), "St Andrew's Day");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
    }
}
