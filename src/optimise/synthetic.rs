//! Seeded synthetic instances shaped like a year of UK official-statistics releases,
//! for benchmarks and tests of the engine.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::instance::{Candidate, Component, Instance, Item};

/// Working days in the synthetic year.
pub const SYNTHETIC_DAYS: usize = 260;

/// A synthetic year of `n_items` releases (same seed → same instance).
///
/// About 40 releases per website; websites share content-management systems (4),
/// database servers (6), caches (3) and hosting (2, two-day failure windows); every
/// release also belongs to one of `n_items / 25` teams. Proposed days bunch on
/// Thursdays and month ends; 10% of releases are fixed, 3% have a proposed date off
/// the axis; weights are 1–3 (thousandths 1000–3000); releases may move ±2..±10 days.
pub fn synthetic_instance(n_items: usize, seed: u64) -> Instance {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n_sites = (n_items / 40).max(2);
    let n_teams = (n_items / 25).max(2);
    let (n_cms, n_db, n_cache, n_hosting) = (4usize, 6usize, 3usize, 2usize);
    let mut components = Vec::new();
    let mut push = |count: usize, window: u32, risk: f64| {
        let first = components.len() as u32;
        for _ in 0..count {
            components.push(Component {
                window,
                risk,
                multiplicity: 1,
            });
        }
        first
    };
    let site0 = push(n_sites, 1, 0.002);
    let cms0 = push(n_cms, 1, 0.001);
    let db0 = push(n_db, 1, 0.0015);
    let cache0 = push(n_cache, 1, 0.001);
    let hosting0 = push(n_hosting, 2, 0.0005);
    let team0 = push(n_teams, 1, 0.003);
    let site_infrastructure: Vec<[u32; 4]> = (0..n_sites)
        .map(|_| {
            [
                cms0 + rng.random_range(0..n_cms as u32),
                db0 + rng.random_range(0..n_db as u32),
                cache0 + rng.random_range(0..n_cache as u32),
                hosting0 + rng.random_range(0..n_hosting as u32),
            ]
        })
        .collect();
    let last_day = SYNTHETIC_DAYS as u32 - 1;
    let items = (0..n_items)
        .map(|_| {
            let site = rng.random_range(0..n_sites);
            let team = team0 + rng.random_range(0..n_teams as u32);
            let mut item_components = vec![site0 + site as u32, team];
            item_components.extend(site_infrastructure[site]);
            item_components.sort_unstable();
            item_components.dedup();
            let roll = rng.random_range(0..100u32);
            let anchor = if roll < 40 {
                // A Thursday (day 3 of each 5-day week).
                5 * rng.random_range(0..(SYNTHETIC_DAYS as u32 / 5)) + 3
            } else if roll < 60 {
                // The last working days of a 21-day month.
                (21 * rng.random_range(0..(SYNTHETIC_DAYS as u32 / 21)) + 20
                    - rng.random_range(0..2))
                .min(last_day)
            } else {
                rng.random_range(0..=last_day)
            };
            let weight = 1000 * rng.random_range(1..=3u64);
            let fixed = rng.random_bool(0.10);
            let off_axis = !fixed && rng.random_bool(0.03);
            let radius = rng.random_range(2..=10u32);
            let candidates: Vec<Candidate> = if fixed {
                vec![Candidate {
                    day: anchor,
                    shift: 0,
                }]
            } else {
                (anchor.saturating_sub(radius)..=(anchor + radius).min(last_day))
                    .map(|day| Candidate {
                        day,
                        shift: day.abs_diff(anchor) + u32::from(off_axis),
                    })
                    .collect()
            };
            Item {
                weight,
                components: item_components,
                candidates,
                proposed: if off_axis { None } else { Some(anchor) },
                block: None,
            }
        })
        .collect();
    Instance {
        n_days: SYNTHETIC_DAYS,
        components,
        items,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimise::{solve, SolveOptions, Status};

    #[test]
    fn synthetic_instances_are_reproducible_and_well_formed() {
        let a = synthetic_instance(300, 7);
        assert_eq!(a, synthetic_instance(300, 7));
        assert_ne!(a, synthetic_instance(300, 8));
        for item in &a.items {
            assert!(!item.candidates.is_empty());
            assert!(item.candidates.windows(2).all(|w| w[0].day < w[1].day));
            assert!(item.candidates.iter().all(|c| (c.day as usize) < a.n_days));
        }
    }

    /// Timing run: `cargo test --release --lib optimise::synthetic -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn benchmark_synthetic_sizes() {
        let sizes: Vec<usize> = std::env::var("STAGGER_BENCH_SIZES")
            .ok()
            .map(|v| v.split(',').filter_map(|s| s.parse().ok()).collect())
            .unwrap_or_else(|| vec![100, 500, 2000, 5000]);
        for &n in &sizes {
            let seed = std::env::var("STAGGER_BENCH_SEED")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(2026);
            let mut instance = synthetic_instance(n, seed);
            if std::env::var_os("STAGGER_BENCH_SPLIT").is_some() {
                // Websites only: many small independent groups.
                for item in &mut instance.items {
                    item.components.truncate(1);
                }
            }
            let started = std::time::Instant::now();
            let started_at = started;
            let options = SolveOptions {
                progress: Some(std::sync::Arc::new(move |m: &str| {
                    eprintln!("  {:8.3}s {m}", started_at.elapsed().as_secs_f64())
                })),
                max_moves: std::env::var("STAGGER_BENCH_MAX_MOVES")
                    .ok()
                    .and_then(|v| v.parse().ok()),
                objective: if std::env::var_os("STAGGER_BENCH_RISK").is_some() {
                    crate::optimise::ObjectiveKind::Risk
                } else {
                    crate::optimise::ObjectiveKind::Default
                },
                ..SolveOptions::default()
            };
            let solution = match solve(&instance, &options) {
                Ok(solution) => solution,
                Err(e) => panic!("solve failed: {e}"),
            };
            let elapsed = started.elapsed();
            let stages: Vec<String> = solution
                .stages
                .iter()
                .map(|s| {
                    format!(
                        "{}={} (lb {}{})",
                        s.name,
                        s.value,
                        s.lower_bound,
                        if s.proven { ", proven" } else { "" }
                    )
                })
                .collect();
            println!(
                "n={n:5} time={:7.3}s status={:?} {}",
                elapsed.as_secs_f64(),
                solution.status,
                stages.join(" ")
            );
            assert!(solution.status == Status::Optimal || solution.status == Status::Feasible);
        }
    }
}
