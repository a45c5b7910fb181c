//! Where in a month a series' issues fall, e.g. "second Thursday" or "last working day".

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::calendar::{Region, WorkingCalendar};

/// The day of the month a series is published on, as release teams describe it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DayRule {
    /// The `n`-th (1 to 4) given weekday of the month.
    Nth {
        /// The weekday.
        weekday: Weekday,
        /// Which occurrence, 1 to 4.
        n: u32,
    },
    /// The last given weekday of the month.
    Last(Weekday),
    /// The last working day of the month.
    LastWorkingDay,
}

impl DayRule {
    /// The nominal day this rule picks in `month` of `year` (before moving off
    /// non-working days), or `None` if the month does not exist.
    fn nominal(self, year: i32, month: u32) -> Option<NaiveDate> {
        match self {
            DayRule::Nth { weekday, n } => {
                let n = u8::try_from(n.clamp(1, 4)).unwrap_or(1);
                NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
            }
            DayRule::Last(weekday) => {
                let mut day = last_publishing_day(year, month)?;
                while day.weekday() != weekday {
                    day = day.pred_opt()?;
                }
                Some(day)
            }
            DayRule::LastWorkingDay => last_publishing_day(year, month),
        }
    }

    /// The working day of `region` this rule gives in `month` of `year`: the nominal
    /// day if it is a working day, otherwise the nearest working day in the same
    /// month (later days first for the early-month rules, earlier days first for the
    /// month-end rules). December ends on 23 December. `None` if the month has no
    /// working day.
    pub fn date_in(
        self,
        year: i32,
        month: u32,
        calendar: &WorkingCalendar,
        region: Region,
    ) -> Option<NaiveDate> {
        let nominal = self.nominal(year, month)?;
        let prefer_earlier = matches!(self, DayRule::Last(_) | DayRule::LastWorkingDay);
        let first = NaiveDate::from_ymd_opt(year, month, 1)?;
        let last = last_publishing_day(year, month)?;
        let in_month_working =
            |d: NaiveDate| (first..=last).contains(&d) && calendar.is_working_day(d, region);
        for offset in 0..31u64 {
            let later = nominal.checked_add_days(Days::new(offset));
            let earlier = nominal.checked_sub_days(Days::new(offset));
            let order = if prefer_earlier {
                [earlier, later]
            } else {
                [later, earlier]
            };
            if let Some(day) = order.into_iter().flatten().find(|&d| in_month_working(d)) {
                return Some(day);
            }
        }
        None
    }
}

/// The last day of `month` of `year` on which a series may publish: the last day of
/// the month, except 23 December in December (producers avoid the Christmas week).
fn last_publishing_day(year: i32, month: u32) -> Option<NaiveDate> {
    if month == 12 {
        NaiveDate::from_ymd_opt(year, 12, 23)
    } else {
        last_day_of_month(year, month)
    }
}

/// The last day of `month` of `year`.
fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (next_year, next_month) = if month == 12 {
        (year.checked_add(1)?, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(next_year, next_month, 1)?.pred_opt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Closure;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn nominal_days_follow_the_rule() {
        let cal = WorkingCalendar::new(2027, 2027, vec![]);
        let r = Region::EnglandAndWales;
        let second_thursday = DayRule::Nth {
            weekday: Weekday::Thu,
            n: 2,
        };
        assert_eq!(
            second_thursday.date_in(2027, 8, &cal, r),
            Some(d("2027-08-12"))
        );
        assert_eq!(
            DayRule::Last(Weekday::Thu).date_in(2027, 9, &cal, r),
            Some(d("2027-09-30"))
        );
        // 31 July 2027 is a Saturday: the last working day is Friday 30 July.
        assert_eq!(
            DayRule::LastWorkingDay.date_in(2027, 7, &cal, r),
            Some(d("2027-07-30"))
        );
    }

    #[test]
    fn december_avoids_the_christmas_week() {
        let cal = WorkingCalendar::new(2027, 2027, vec![]);
        let r = Region::EnglandAndWales;
        // 23 December 2027 is a Thursday.
        assert_eq!(
            DayRule::Last(Weekday::Thu).date_in(2027, 12, &cal, r),
            Some(d("2027-12-23"))
        );
        assert_eq!(
            DayRule::Last(Weekday::Fri).date_in(2027, 12, &cal, r),
            Some(d("2027-12-17"))
        );
        assert_eq!(
            DayRule::LastWorkingDay.date_in(2027, 12, &cal, r),
            Some(d("2027-12-23"))
        );
        let fourth_friday = DayRule::Nth {
            weekday: Weekday::Fri,
            n: 4,
        };
        assert_eq!(
            fourth_friday.date_in(2027, 12, &cal, r),
            Some(d("2027-12-23"))
        );
    }

    #[test]
    fn closed_days_move_within_the_month() {
        let closures = vec![
            Closure {
                date: d("2027-08-12"),
                name: "Office move".into(),
                region: None,
            },
            Closure {
                date: d("2027-09-30"),
                name: "Office move".into(),
                region: None,
            },
        ];
        let cal = WorkingCalendar::new(2027, 2027, closures);
        let r = Region::EnglandAndWales;
        let second_thursday = DayRule::Nth {
            weekday: Weekday::Thu,
            n: 2,
        };
        assert_eq!(
            second_thursday.date_in(2027, 8, &cal, r),
            Some(d("2027-08-13"))
        );
        assert_eq!(
            DayRule::Last(Weekday::Thu).date_in(2027, 9, &cal, r),
            Some(d("2027-09-29"))
        );
    }

    #[test]
    fn a_month_without_working_days_gives_none() {
        let first = d("2027-02-01");
        let closures = (0..28)
            .map(|i| Closure {
                date: first + Days::new(i),
                name: "Closed".into(),
                region: None,
            })
            .collect();
        let cal = WorkingCalendar::new(2027, 2027, closures);
        assert_eq!(
            DayRule::LastWorkingDay.date_in(2027, 2, &cal, Region::EnglandAndWales),
            None
        );
        assert_eq!(
            DayRule::Nth {
                weekday: Weekday::Mon,
                n: 1
            }
            .date_in(2027, 13, &cal, Region::EnglandAndWales),
            None
        );
    }
}
