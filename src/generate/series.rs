//! A synthetic release series: one topic published on a regular pattern by one team
//! through one website.

use chrono::Weekday;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::day_rule::DayRule;
use super::frequency::Frequency;
use super::infrastructure::SyntheticInfrastructure;
use super::topics::{Topic, QUALIFIERS, TOPICS};

/// A regular series of releases.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Series {
    /// Id written to the `series` column, e.g. `s0042`.
    pub id: String,
    /// Title stem with its qualifier, e.g. `Crime, England`.
    pub title: String,
    /// How often it is published.
    pub frequency: Frequency,
    /// The months (1 to 12) it is published in, ascending.
    pub months: Vec<u32>,
    /// Where in each month.
    pub day_rule: DayRule,
    /// Months between the end of the reference period and publication (monthly series).
    pub lag_months: u32,
    /// Annual series on a financial year (`2026/27`) rather than a calendar year.
    pub financial_year: bool,
    /// Index into the infrastructure's teams.
    pub team: usize,
    /// Index into the infrastructure's websites.
    pub website: usize,
    /// Weight 1 to 3.
    pub weight: u32,
    /// Release time, `HH:MM`.
    pub time: &'static str,
    /// Whether the series can fall back to the GOV.UK route.
    pub has_fallback: bool,
    /// Market-sensitive: the headline series of a market-sensitive topic, published
    /// at 07:00 with the highest weight.
    pub market_sensitive: bool,
}

/// Picks an item by integer weights; `None` only if `weighted` is empty or all zero.
pub(super) fn pick_weighted<T: Copy>(weighted: &[(T, u32)], rng: &mut ChaCha8Rng) -> Option<T> {
    let total: u32 = weighted.iter().map(|&(_, w)| w).sum();
    if total == 0 {
        return None;
    }
    let mut ticket = rng.random_range(0..total);
    for &(item, w) in weighted {
        if ticket < w {
            return Some(item);
        }
        ticket -= w;
    }
    None
}

/// A uniformly chosen index below `n` (0 when `n` is 0).
fn index_below(n: usize, rng: &mut ChaCha8Rng) -> usize {
    match u32::try_from(n) {
        Ok(0) => 0,
        Ok(bound) => rng.random_range(0..bound) as usize,
        Err(_) => rng.random_range(0..u32::MAX) as usize,
    }
}

/// A day rule biased as real calendars are: weekdays in the proportions of the ONS
/// 2026 calendar (Thursday the most common), a third of series at the month end.
pub(super) fn random_day_rule(rng: &mut ChaCha8Rng) -> DayRule {
    let weekday = pick_weighted(
        &[
            (Weekday::Thu, 36),
            (Weekday::Wed, 22),
            (Weekday::Fri, 21),
            (Weekday::Tue, 17),
            (Weekday::Mon, 4),
        ],
        rng,
    )
    .unwrap_or(Weekday::Thu);
    match rng.random_range(0..100u32) {
        0..=9 => DayRule::LastWorkingDay,
        10..=34 => DayRule::Last(weekday),
        _ => DayRule::Nth {
            weekday,
            n: rng.random_range(1..=4),
        },
    }
}

/// The publication months for a series of `frequency`: quarterly series bunch at
/// quarter ends, annual ones lean towards them.
fn random_months(frequency: Frequency, rng: &mut ChaCha8Rng) -> Vec<u32> {
    match frequency {
        Frequency::Monthly | Frequency::Weekly => (1..=12).collect(),
        Frequency::Quarterly => {
            let offset = pick_weighted(&[(0u32, 50), (1, 25), (2, 25)], rng).unwrap_or(0);
            // offset 0: Mar/Jun/Sep/Dec; 1: Jan/Apr/Jul/Oct; 2: Feb/May/Aug/Nov.
            let mut months: Vec<u32> = (0..4).map(|q| (q * 3 + offset + 2) % 12 + 1).collect();
            months.sort_unstable();
            months
        }
        Frequency::Annual => {
            let quarter_end = [3u32, 6, 9, 12];
            let month = if rng.random_ratio(1, 3) {
                quarter_end[index_below(quarter_end.len(), rng)]
            } else {
                rng.random_range(1..=12)
            };
            vec![month]
        }
    }
}

/// Builds series number `index` (0-based) on `infrastructure`.
pub(super) fn random_series(
    index: usize,
    infrastructure: &SyntheticInfrastructure,
    rng: &mut ChaCha8Rng,
) -> Series {
    let fallback_topic = Topic {
        name: "Official statistics",
        frequency: Frequency::Quarterly,
        market_sensitive: false,
    };
    let topic = TOPICS
        .get(index_below(TOPICS.len(), rng))
        .copied()
        .unwrap_or(fallback_topic);
    let qualifier = QUALIFIERS
        .get(index_below(QUALIFIERS.len(), rng))
        .copied()
        .unwrap_or("");
    // The first series go one to each team, so every team (and, through the teams'
    // home websites, every website) publishes something.
    let team = if index < infrastructure.teams.len() {
        index
    } else {
        index_below(infrastructure.teams.len(), rng)
    };
    let home = infrastructure
        .team_home_website
        .get(team)
        .copied()
        .unwrap_or(0);
    let website = if rng.random_ratio(85, 100) {
        home
    } else {
        index_below(infrastructure.websites.len(), rng)
    };
    // Only the headline series of a market-sensitive topic is market-sensitive.
    let market_sensitive = topic.market_sensitive && qualifier.is_empty();
    let weight = if market_sensitive {
        3
    } else {
        pick_weighted(&[(1u32, 82), (2, 14), (3, 4)], rng).unwrap_or(1)
    };
    Series {
        id: format!("s{:04}", index + 1),
        title: format!("{}{}", topic.name, qualifier),
        frequency: topic.frequency,
        months: random_months(topic.frequency, rng),
        day_rule: random_day_rule(rng),
        lag_months: rng.random_range(1..=2),
        financial_year: rng.random_bool(0.5),
        team,
        website,
        weight,
        time: if market_sensitive { "07:00" } else { "09:30" },
        has_fallback: rng.random_ratio(6, 10),
        market_sensitive,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn quarterly_months_are_three_apart() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for _ in 0..50 {
            let m = random_months(Frequency::Quarterly, &mut rng);
            assert_eq!(m.len(), 4);
            assert!(m.windows(2).all(|w| w[1] - w[0] == 3), "{m:?}");
            assert!(m.iter().all(|&x| (1..=12).contains(&x)));
        }
    }

    #[test]
    fn weighted_pick_respects_zero_weights() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for _ in 0..100 {
            assert_eq!(pick_weighted(&[(1, 0), (2, 5), (3, 0)], &mut rng), Some(2));
        }
        assert_eq!(pick_weighted::<u8>(&[], &mut rng), None);
    }
}
