//! The synthetic infrastructure: websites sharing CMS, database and cache servers and
//! hosting providers, one shared DNS service, statistical teams, and a GOV.UK route.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// How many failure points of each kind a calendar of a given size gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Scale {
    /// Websites releases are published through (one per ~60 releases).
    pub websites: usize,
    /// Statistical teams (one per ~25 releases).
    pub teams: usize,
    /// Content management servers (one per ~3 websites).
    pub cms: usize,
    /// Database servers (one per ~4 websites).
    pub databases: usize,
    /// Web caches (one per ~3 websites).
    pub caches: usize,
    /// Hosting providers (one per ~6 websites, at most 4).
    pub hosting: usize,
}

impl Scale {
    /// The scale for a calendar of `releases` releases.
    pub fn for_releases(releases: usize) -> Scale {
        let websites = releases.div_ceil(60).max(1);
        Scale {
            websites,
            teams: releases.div_ceil(25).max(1),
            cms: websites.div_ceil(3),
            databases: websites.div_ceil(4),
            caches: websites.div_ceil(3),
            hosting: websites.div_ceil(6).clamp(1, 4),
        }
    }
}

/// One row of `infrastructure.csv`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct InfrastructureRow {
    /// Unique id.
    pub id: String,
    /// Human name.
    pub name: String,
    /// Kind: website, cms, database, cache, hosting, dns or team.
    pub kind: &'static str,
    /// Ids this point relies on (always earlier rows, so the graph is acyclic).
    pub depends_on: Vec<String>,
    /// Expected failures per year.
    pub failures_per_year: f64,
    /// Consecutive working days one failure can affect.
    pub outage_days: u32,
    /// Typical minutes to restore.
    pub recovery_minutes: u32,
}

impl InfrastructureRow {
    /// The row as CSV fields, in the order of [`HEADER`].
    pub fn fields(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.name.clone(),
            self.kind.to_string(),
            self.depends_on.join(";"),
            self.failures_per_year.to_string(),
            self.outage_days.to_string(),
            self.recovery_minutes.to_string(),
        ]
    }
}

/// The columns of `infrastructure.csv`.
pub(super) const HEADER: [&str; 7] = [
    "id",
    "name",
    "kind",
    "depends_on",
    "failures_per_year",
    "outage_days",
    "recovery_minutes",
];

/// The id of the GOV.UK publishing route used as every series' fallback.
pub(super) const GOVUK_ROUTE: &str = "govuk";

/// The generated infrastructure and the ids releases are published through.
#[derive(Debug, Clone)]
pub(super) struct SyntheticInfrastructure {
    /// All rows, dependencies before the points that rely on them.
    pub rows: Vec<InfrastructureRow>,
    /// Website ids, in order.
    pub websites: Vec<String>,
    /// Team ids, in order.
    pub teams: Vec<String>,
    /// For each team, the index of the website it usually publishes through.
    pub team_home_website: Vec<usize>,
}

/// Zero-padded numbered id, e.g. `web-07` (width grows with the count).
fn numbered(prefix: &str, number: usize, count: usize) -> String {
    let width = count.to_string().len().max(2);
    format!("{prefix}-{number:0width$}")
}

/// `n` ids numbered from 1.
fn numbered_ids(prefix: &str, n: usize) -> Vec<String> {
    (1..=n).map(|i| numbered(prefix, i, n)).collect()
}

/// Assigns each of `items` one of `targets`: the first `targets` items take one
/// target each (so every target is used), the rest pick at random.
fn assign(items: usize, targets: usize, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let targets = targets.max(1);
    let bound = u32::try_from(targets).unwrap_or(u32::MAX);
    (0..items)
        .map(|i| {
            if i < targets {
                i
            } else {
                rng.random_range(0..bound) as usize
            }
        })
        .collect()
}

/// One of `choices`, uniformly.
fn pick<T: Copy>(choices: &[T], rng: &mut ChaCha8Rng) -> Option<T> {
    let bound = u32::try_from(choices.len()).ok()?;
    if bound == 0 {
        return None;
    }
    choices.get(rng.random_range(0..bound) as usize).copied()
}

/// Builds the infrastructure for a calendar of `releases` releases.
pub(super) fn build_infrastructure(
    releases: usize,
    rng: &mut ChaCha8Rng,
) -> SyntheticInfrastructure {
    let scale = Scale::for_releases(releases);
    let hosting = numbered_ids("hosting", scale.hosting);
    let databases = numbered_ids("db", scale.databases);
    let cms = numbered_ids("cms", scale.cms);
    let caches = numbered_ids("cache", scale.caches);
    let websites = numbered_ids("web", scale.websites);
    let teams = numbered_ids("team", scale.teams);
    let mut rows = Vec::new();
    let mut push =
        |id: &str, name: String, kind, depends_on: Vec<String>, rates: (f64, u32, u32)| {
            rows.push(InfrastructureRow {
                id: id.to_string(),
                name,
                kind,
                depends_on,
                failures_per_year: rates.0,
                outage_days: rates.1,
                recovery_minutes: rates.2,
            })
        };
    for (i, id) in hosting.iter().enumerate() {
        let rate = pick(&[0.2, 0.3, 0.5], rng).unwrap_or(0.3);
        push(
            id,
            format!("Hosting provider {}", i + 1),
            "hosting",
            vec![],
            (rate, 1, 240),
        );
    }
    push(
        "dns",
        "Shared DNS service".to_string(),
        "dns",
        vec![],
        (0.1, 1, 45),
    );
    push(
        "govuk-hosting",
        "GOV.UK hosting platform".to_string(),
        "hosting",
        vec![],
        (0.1, 1, 60),
    );
    push(
        GOVUK_ROUTE,
        "GOV.UK statistics publishing route (fallback)".to_string(),
        "website",
        vec!["govuk-hosting".to_string()],
        (0.2, 1, 30),
    );
    let database_host = assign(databases.len(), hosting.len(), rng);
    for (i, id) in databases.iter().enumerate() {
        let host = hosting[database_host[i]].clone();
        let rate = pick(&[0.5, 1.0, 1.5], rng).unwrap_or(1.0);
        push(
            id,
            format!("Database server {}", i + 1),
            "database",
            vec![host],
            (rate, 1, 180),
        );
    }
    let cms_database = assign(cms.len(), databases.len(), rng);
    for (i, id) in cms.iter().enumerate() {
        let database = databases[cms_database[i]].clone();
        let host = hosting[database_host[cms_database[i]]].clone();
        let rate = pick(&[0.5, 1.0, 2.0], rng).unwrap_or(1.0);
        push(
            id,
            format!("Content management server {}", i + 1),
            "cms",
            vec![database, host],
            (rate, 1, 120),
        );
    }
    let cache_host = assign(caches.len(), hosting.len(), rng);
    for (i, id) in caches.iter().enumerate() {
        let host = hosting[cache_host[i]].clone();
        let rate = pick(&[1.0, 2.0, 3.0], rng).unwrap_or(2.0);
        push(
            id,
            format!("Web cache {}", i + 1),
            "cache",
            vec![host],
            (rate, 1, 75),
        );
    }
    let website_cms = assign(websites.len(), cms.len(), rng);
    let website_cache = assign(websites.len(), caches.len(), rng);
    for (i, id) in websites.iter().enumerate() {
        let depends_on = vec![
            cms[website_cms[i]].clone(),
            caches[website_cache[i]].clone(),
            "dns".to_string(),
        ];
        let rate = pick(&[0.5, 1.0], rng).unwrap_or(0.5);
        push(
            id,
            format!("Statistics website {}", i + 1),
            "website",
            depends_on,
            (rate, 1, 60),
        );
    }
    for (i, id) in teams.iter().enumerate() {
        let rate = pick(&[0.5, 1.0], rng).unwrap_or(0.5);
        let days = pick(&[2, 3, 5], rng).unwrap_or(3);
        push(
            id,
            format!("Statistics team {}", i + 1),
            "team",
            vec![],
            (rate, days, 480),
        );
    }
    let team_home_website = assign(teams.len(), websites.len(), rng);
    SyntheticInfrastructure {
        rows,
        websites,
        teams,
        team_home_website,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn scale_grows_with_the_calendar() {
        let small = Scale::for_releases(0);
        assert_eq!((small.websites, small.teams, small.hosting), (1, 1, 1));
        let big = Scale::for_releases(5000);
        assert_eq!(big.websites, 84);
        assert_eq!(big.teams, 200);
        assert!(big.cms < big.websites && big.databases < big.cms);
        assert_eq!(big.hosting, 4);
    }

    #[test]
    fn every_target_is_used_when_items_suffice() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let a = assign(20, 6, &mut rng);
        for t in 0..6 {
            assert!(a.contains(&t));
        }
        assert!(a.iter().all(|&t| t < 6));
    }

    #[test]
    fn dependencies_point_to_earlier_rows() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let infra = build_infrastructure(700, &mut rng);
        for (i, row) in infra.rows.iter().enumerate() {
            for dep in &row.depends_on {
                let j = infra.rows.iter().position(|r| &r.id == dep).unwrap();
                assert!(j < i, "{} depends on later {}", row.id, dep);
            }
        }
        assert_eq!(infra.team_home_website.len(), infra.teams.len());
    }
}
