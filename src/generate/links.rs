//! Linked releases of a synthetic series, as in real calendars: a bulletin and its
//! dataset published on one day (`together`), and a revised estimate that must come
//! after the provisional one (`after`).
//!
//! Modelled on the ONS 2026 calendar: "GDP monthly estimate, UK: November 2025" and
//! "GDP monthly estimate, UK: November 2025 time series" go out together at 07:00
//! (127 of its 795 releases are such time-series companions, nearly all of
//! market-sensitive 07:00 bulletins); "Business investment in the UK: October to
//! December 2025 provisional results" (12 February) is followed by its "revised
//! results" (31 March, the last working day of the month after next).
//!
//! These choices are drawn from their own random stream, so the bulletins of a
//! seed are the same as those of a calendar generated without links.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::day_rule::DayRule;
use super::frequency::Frequency;
use super::series::{random_day_rule, Series};

/// A dataset published on the same day as each issue of its bulletin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Companion {
    /// `… time series`: the dataset behind a market-sensitive bulletin.
    TimeSeries,
    /// `… data tables`: the tables behind an ordinary bulletin.
    DataTables,
}

impl Companion {
    /// The suffix of the companion's series id, e.g. `s0042-ts`.
    pub fn id_suffix(self) -> &'static str {
        match self {
            Companion::TimeSeries => "ts",
            Companion::DataTables => "dt",
        }
    }

    /// The words appended to the bulletin's title.
    pub fn title_suffix(self) -> &'static str {
        match self {
            Companion::TimeSeries => "time series",
            Companion::DataTables => "data tables",
        }
    }
}

/// Revised results of each issue of a quarterly series, published later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Revision {
    /// Months after the provisional issue (1 or 2).
    pub lag_months: u32,
    /// Where in that month the revised results come out.
    pub day_rule: DayRule,
}

/// The linked releases of one series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Links {
    /// A dataset published with every issue, if any.
    pub companion: Option<Companion>,
    /// Revised results after every issue, if any.
    pub revision: Option<Revision>,
}

/// Draws the links of `series`: every market-sensitive series has a time-series
/// companion; 8% of the others a data-tables companion; 20% of the ordinary
/// quarterly series publish revised results one or two months after each issue
/// (half of them on the last working day of the month).
pub(super) fn random_links(series: &Series, rng: &mut ChaCha8Rng) -> Links {
    let companion = if series.market_sensitive {
        Some(Companion::TimeSeries)
    } else if rng.random_ratio(8, 100) {
        Some(Companion::DataTables)
    } else {
        None
    };
    let revision = (series.frequency == Frequency::Quarterly
        && !series.market_sensitive
        && rng.random_ratio(20, 100))
    .then(|| Revision {
        lag_months: rng.random_range(1..=2),
        day_rule: if rng.random_bool(0.5) {
            DayRule::LastWorkingDay
        } else {
            random_day_rule(rng)
        },
    });
    Links {
        companion,
        revision,
    }
}
