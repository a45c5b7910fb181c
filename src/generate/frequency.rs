//! How often a synthetic series is published, and the reference period of each issue.

/// How often a series is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Frequency {
    /// Every week (about 51 issues a year: none in the Christmas week).
    Weekly,
    /// Twelve issues a year.
    Monthly,
    /// Four issues a year.
    Quarterly,
    /// One issue a year.
    Annual,
}

impl Frequency {
    /// The word written to the `frequency` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Weekly => "weekly",
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
            Frequency::Annual => "annual",
        }
    }
}

/// `month` (1-based, may be zero or negative) of `year` as a name, e.g. `December 2026`
/// for month 0 of 2027.
pub(super) fn month_label(year: i32, month: i32) -> String {
    let zero_based = (year * 12 + month - 1).rem_euclid(12);
    let label_year = (year * 12 + month - 1).div_euclid(12);
    let name = crate::io::fields::month_name(u32::try_from(zero_based + 1).unwrap_or(1));
    format!("{name} {label_year}")
}

/// The reference period of an issue published in `month` of `year`:
/// the month of publication for weekly series (whose issues name their week
/// themselves, see `weekly.rs`), `lag_months` earlier for monthly series, the last complete quarter for quarterly
/// ones, the previous calendar or financial year for annual ones.
pub(super) fn period_label(
    frequency: Frequency,
    year: i32,
    month: u32,
    lag_months: u32,
    financial_year: bool,
) -> String {
    let month = month as i32;
    match frequency {
        Frequency::Weekly => month_label(year, month),
        Frequency::Monthly => month_label(year, month - lag_months as i32),
        Frequency::Quarterly => {
            let quarter_end = ((month - 1) / 3) * 3;
            format!("quarter ending {}", month_label(year, quarter_end))
        }
        Frequency::Annual if financial_year => {
            let start = year - 1;
            format!("{start}/{:02}", year.rem_euclid(100))
        }
        Frequency::Annual => format!("{}", year - 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_labels_wrap_into_the_previous_year() {
        assert_eq!(month_label(2027, 1), "January 2027");
        assert_eq!(month_label(2027, 0), "December 2026");
        assert_eq!(month_label(2027, -1), "November 2026");
        assert_eq!(month_label(2027, 12), "December 2027");
    }

    #[test]
    fn periods_follow_the_frequency() {
        assert_eq!(
            period_label(Frequency::Monthly, 2027, 3, 2, false),
            "January 2027"
        );
        assert_eq!(
            period_label(Frequency::Quarterly, 2027, 3, 0, false),
            "quarter ending December 2026"
        );
        assert_eq!(
            period_label(Frequency::Quarterly, 2027, 5, 0, false),
            "quarter ending March 2027"
        );
        assert_eq!(period_label(Frequency::Annual, 2027, 7, 0, true), "2026/27");
        assert_eq!(period_label(Frequency::Annual, 2027, 7, 0, false), "2026");
    }
}
