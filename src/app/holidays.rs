//! `stagger holidays`: a nation's bank holidays as CSV.

use crate::calendar::{bank_holidays, CalendarError, Region};

/// CSV `date,name` of the bank holidays (actual days off) of `region` from `from` to `to`.
pub fn holidays(region: Region, from: i32, to: i32) -> Result<String, CalendarError> {
    if from > to || from < 1978 || to > 2199 {
        return Err(CalendarError::YearRange {
            from,
            to,
            reason: "years must run forwards within 1978..=2199 (the modern rule set)".into(),
        });
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["date", "name"]);
    for year in from..=to {
        for h in bank_holidays(region, year) {
            let _ = w.write_record([h.date.to_string(), h.name]);
        }
    }
    Ok(String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default())
}
