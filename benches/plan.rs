//! Benchmark: the default engine against an exact lexicographic MILP (HiGHS) on the
//! same synthetic calendars. Not a timed test: it prints a Markdown table for
//! `docs/performance.md`.
//!
//! ```text
//! cargo bench --bench plan                                   # default engine only
//! cargo bench --features highs --bench plan                  # with the HiGHS comparison
//! cargo bench --features highs --bench plan -- --sizes 100,500 --windows 5 --highs-limit 120
//! ```

use std::time::{Duration, Instant};

use stagger::app::{build_instance, load, plan_loaded, InputPaths, PlanSettings};
use stagger::calendar::Region;
use stagger::generate::{generate, GenerateOptions};
use stagger::model::WindowRules;
use stagger::optimise::{Solution, StageReport};

struct Args {
    sizes: Vec<usize>,
    windows: Vec<u32>,
    seed: u64,
    highs_limit: f64,
    engine_limit: f64,
}

fn parse_args() -> Args {
    let mut a = Args {
        sizes: vec![100, 500, 2000, 5000],
        windows: vec![5, 10],
        seed: 1,
        highs_limit: 120.0,
        engine_limit: 60.0,
    };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < argv.len() {
        let val = argv.get(i + 1).cloned().unwrap_or_default();
        match argv[i].as_str() {
            "--sizes" => {
                a.sizes = val
                    .split(',')
                    .filter_map(|x| x.trim().parse().ok())
                    .collect()
            }
            "--windows" => {
                a.windows = val
                    .split(',')
                    .filter_map(|x| x.trim().parse().ok())
                    .collect()
            }
            "--seed" => a.seed = val.parse().unwrap_or(1),
            "--highs-limit" => a.highs_limit = val.parse().unwrap_or(120.0),
            "--engine-limit" => a.engine_limit = val.parse().unwrap_or(60.0),
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    a
}

fn stage(s: &Solution, name: &str) -> Option<StageReport> {
    s.stages.iter().find(|x| x.name == name).cloned()
}

fn fmt_stage(s: &Solution, name: &str, scale: f64) -> String {
    match stage(s, name) {
        Some(st) => {
            let v = st.value / scale;
            let b = st.lower_bound / scale;
            if st.proven {
                format!("{v} ✓")
            } else {
                format!("{v} (≥{b})")
            }
        }
        None => "-".into(),
    }
}

fn main() {
    let args = parse_args();
    let dir = tempfile::tempdir().expect("temp dir");
    println!(
        "| N | window | engine s | peak | clash pairs | moves | shift | status | HiGHS s | HiGHS peak | HiGHS pairs | HiGHS moves | HiGHS shift | HiGHS ÷ engine time |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for &n in &args.sizes {
        for &w in &args.windows {
            let sub = dir.path().join(format!("n{n}-w{w}"));
            std::fs::create_dir_all(&sub).expect("mkdir");
            let cal = generate(&GenerateOptions {
                releases: n,
                seed: args.seed,
                year: 2027,
                max_window: w,
                infrastructure_for: None,
            });
            std::fs::write(sub.join("releases.csv"), &cal.releases_csv).expect("write");
            std::fs::write(sub.join("infrastructure.csv"), &cal.infrastructure_csv).expect("write");
            let loaded = load(&InputPaths {
                releases: sub.join("releases.csv"),
                infrastructure: sub.join("infrastructure.csv"),
                closures: None,
                holidays: None,
                region: Region::EnglandAndWales,
                default_depends_on: Vec::new(),
                depends_on_rule: None,
            })
            .expect("load generated calendar");
            let settings = PlanSettings {
                rules: WindowRules {
                    max_shift: w,
                    keep_month: false,
                    notice: None,
                },
                time_limit: Duration::from_secs_f64(args.engine_limit),
                ..PlanSettings::default()
            };
            let t = Instant::now();
            let plan = plan_loaded(&loaded, &settings).expect("plan (verified)");
            let engine_s = t.elapsed().as_secs_f64();
            let s = &plan.solution;
            let status = format!("{:?}", s.status).to_lowercase();
            let mut row = format!(
                "| {n} | ±{w} | {engine_s:.2} | {} | {} | {} | {} | {status} |",
                fmt_stage(s, "peak", 1000.0),
                fmt_stage(s, "clash_pairs", 1.0),
                fmt_stage(s, "moves", 1.0),
                fmt_stage(s, "total_shift", 1.0),
            );
            let built = build_instance(&loaded, &settings).expect("instance");
            let _ = &built;
            #[cfg(feature = "highs")]
            {
                let t = Instant::now();
                let exact = stagger::optimise::solve_exact_milp(
                    &built.instance,
                    stagger::optimise::Backend::Highs,
                    Duration::from_secs_f64(args.highs_limit),
                );
                let highs_s = t.elapsed().as_secs_f64();
                match exact {
                    Ok(e) => row.push_str(&format!(
                        " {highs_s:.2} | {} | {} | {} | {} | {:.1}× |",
                        fmt_stage(&e, "peak", 1000.0),
                        fmt_stage(&e, "clash_pairs", 1.0),
                        fmt_stage(&e, "moves", 1.0),
                        fmt_stage(&e, "total_shift", 1.0),
                        highs_s / engine_s.max(1e-3)
                    )),
                    Err(e) => row.push_str(&format!(" {highs_s:.2} | failed: {e} | | | | |")),
                }
            }
            #[cfg(not(feature = "highs"))]
            row.push_str(" - | - | - | - | - | - |");
            println!("{row}");
        }
    }
}
