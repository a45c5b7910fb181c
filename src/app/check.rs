//! `stagger check`: audit the shared-failure exposure of a calendar as it stands.

use std::fmt::Write as _;

use serde_json::{json, Value};

use super::{load, InputPaths, Loaded};
use crate::exposure::{assess, Assessment};
use crate::model::{Release, SeriesIndex, SeriesOrigin, SeriesRules, SeriesSource};
use crate::rules::{findings, link_findings, long_date, Finding};
use crate::{Error, ExitCode};

/// Options of `stagger check`.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Input files.
    pub inputs: InputPaths,
    /// Print JSON instead of text.
    pub json: bool,
    /// How many clashes the text output lists.
    pub top: usize,
    /// Exit with code 1 when there is any rule finding.
    pub deny_findings: bool,
    /// Exit with code 1 when the peak exposure is above this.
    pub max_peak: Option<f64>,
    /// Where series come from (`--series`).
    pub series_source: SeriesSource,
    /// How the series rules apply (`--min-gap-ratio`, `--any-weekday`).
    pub series_rules: SeriesRules,
}

/// What `check` prints and the exit code it ends with.
#[derive(Debug, Clone)]
pub struct CheckOutput {
    /// Text or JSON to print on stdout.
    pub stdout: String,
    /// `Success`, or `Findings` when `--deny-findings`/`--max-peak` tripped.
    pub exit: ExitCode,
    /// Notes and hints for standard error.
    pub stderr: String,
}

/// Runs the audit.
pub fn check(options: &CheckOptions) -> Result<CheckOutput, Error> {
    let loaded = load(&options.inputs)?;
    let dates: Vec<_> = loaded.dataset.releases.iter().map(|r| r.date).collect();
    let a = assess(
        &loaded.dataset.releases,
        &loaded.failure_sets,
        &loaded.dataset.infrastructure,
        &dates,
        &loaded.calendar,
    );
    let releases = &loaded.dataset.releases;
    let mut f = findings(releases, &loaded.calendar);
    // The series rules, against the proposed dates (a schedule written by `plan` keeps
    // them in `proposed_date`; for a plain calendar they are the dates themselves).
    let has_column = loaded.file.table.column("series").is_some();
    let series = SeriesIndex::build(releases, has_column, options.series_source);
    let proposed: Vec<_> = releases.iter().map(|r| r.anchor).collect();
    f.extend(link_findings(
        releases,
        &series,
        options.series_rules,
        &proposed,
        &dates,
    ));
    let stdout = if options.json {
        let mut value = check_json(&loaded, &a, &f);
        value["series"] = series_json(&loaded, &series, options.series_rules);
        let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
        s.push('\n');
        s
    } else {
        let mut text = check_text(&loaded, &a, &f, options.top);
        text.push_str(&series_text(
            &loaded,
            &series,
            options.series_rules,
            options.top,
        ));
        text
    };
    let tripped = (options.deny_findings && !f.is_empty())
        || options.max_peak.is_some_and(|m| a.peak.as_f64() > m + 1e-9);
    Ok(CheckOutput {
        stderr: super::warnings_text(&loaded),
        stdout,
        exit: if tripped {
            ExitCode::Findings
        } else {
            ExitCode::Success
        },
    })
}

/// The JSON object of `check --json` (also embedded in other outputs).
pub fn check_json(loaded: &Loaded, a: &Assessment, f: &[Finding]) -> Value {
    let rel = &loaded.dataset.releases;
    let infra = &loaded.dataset.infrastructure;
    let clashes: Vec<Value> = a
        .clashes
        .iter()
        .map(|c| {
            let p = infra.point(c.component);
            json!({
                "component": p.id,
                "component_name": p.name,
                "kind": p.kind,
                "date": c.date.to_string(),
                "end_date": c.end_date.to_string(),
                "exposure": c.exposure,
                "releases": c.releases.iter().map(|&i| rel[i].id.as_str()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let components: Vec<Value> = a
        .components
        .iter()
        .map(|c| {
            let p = infra.point(c.component);
            json!({
                "id": p.id,
                "name": p.name,
                "kind": p.kind,
                "releases": c.releases,
                "worst_exposure": c.worst,
                "worst_date": c.date.map(|d| d.to_string()),
            })
        })
        .collect();
    let violations: Vec<Value> = f
        .iter()
        .map(|x| json!({"release": rel[x.release].id, "rule": x.rule.slug(), "message": x.message}))
        .collect();
    json!({
        "releases": rel.len(),
        "active_releases": rel.iter().filter(|r| r.is_active()).count(),
        "failure_points": infra.points().len(),
        "peak_exposure": a.peak,
        "clash_pairs": a.clash_pairs,
        "clashes": clashes,
        "components": components,
        "violations": violations,
        "unmatched_by_rules": loaded
            .unmatched_by_rules
            .iter()
            .map(|&i| rel[i].id.as_str())
            .collect::<Vec<_>>(),
    })
}

/// "a failure of X" for one failure point; for a chain carrying the same releases,
/// the top of the chain and a summary of what it relies on.
fn failure_subject(infra: &crate::model::Infrastructure, comps: &[usize]) -> String {
    let label = |i: usize| {
        let p = infra.point(i);
        if p.kind.is_empty() {
            format!("{} ({})", p.name, p.id)
        } else {
            format!("{} ({}, {})", p.name, p.id, p.kind)
        }
    };
    // Heads: members no other member relies on (one linear walk of the graph below).
    let relied_on = infra.relied_on_within(comps);
    let heads: Vec<usize> = comps
        .iter()
        .copied()
        .filter(|c| !relied_on.contains(c))
        .collect();
    let heads_text: Vec<String> = heads.iter().map(|&c| label(c)).collect();
    let mut text = format!("a failure of {}", list_cut(&heads_text, " or "));
    if !relied_on.is_empty() {
        // What the heads rely on, by kind: "(cms, database)", or for a long chain
        // "(server ×999)" rather than the same word 999 times.
        let mut kinds: Vec<(String, usize)> = Vec::new();
        for &c in comps.iter().filter(|c| relied_on.contains(c)) {
            let p = infra.point(c);
            let what = if p.kind.is_empty() { &p.id } else { &p.kind };
            match kinds.iter_mut().find(|(k, _)| k == what) {
                Some((_, n)) => *n += 1,
                None => kinds.push((what.clone(), 1)),
            }
        }
        let what: Vec<String> = kinds
            .into_iter()
            .map(|(k, n)| if n == 1 { k } else { format!("{k} ×{n}") })
            .collect();
        text.push_str(&format!(
            " or of what it relies on ({})",
            list_cut(&what, ", ")
        ));
    }
    text
}

/// `items` joined by `sep`, at most ten of them, then how many more there are.
fn list_cut(items: &[String], sep: &str) -> String {
    const SHOWN: usize = 10;
    let mut text = items[..items.len().min(SHOWN)].join(sep);
    if items.len() > SHOWN {
        text.push_str(&format!("{sep}… ({} more)", items.len() - SHOWN));
    }
    text
}

fn check_text(loaded: &Loaded, a: &Assessment, f: &[Finding], top: usize) -> String {
    let rel = &loaded.dataset.releases;
    let infra = &loaded.dataset.infrastructure;
    let mut s = String::new();
    let active = rel.iter().filter(|r| r.is_active()).count();
    let _ = writeln!(
        s,
        "{} releases ({} cancelled) on {} failure points",
        rel.len(),
        rel.len() - active,
        infra.points().len()
    );
    let _ = writeln!(s);
    let worst = a.clashes.first();
    let _ = write!(s, "Peak exposure: {}", a.peak);
    if let Some(c) = worst.filter(|c| c.exposure == a.peak) {
        let p = infra.point(c.component);
        let _ = write!(s, "  ({} on {})", p.name, long_date(c.date));
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "Clash pairs:   {}  (pairs of releases one failure would delay together, over all failure points and days)",
        a.clash_pairs
    );
    let _ = writeln!(s);
    if a.clashes.is_empty() {
        let _ = writeln!(s, "No failure point carries two releases on the same day.");
    } else {
        // Failure points in a chain (website → CMS → database) often carry the same
        // releases on the same day: list such a clash once, naming every failure point.
        // Multi-day outages repeat the same releases over overlapping windows: those
        // are one clash too, over the union of the windows.
        // Linear in the clashes: groups are found by their releases (hashed), and each
        // group's failure points are deduplicated with a set.
        let mut groups: Vec<(crate::exposure::Clash, Vec<usize>)> = Vec::new();
        let mut members: Vec<std::collections::HashSet<usize>> = Vec::new();
        let mut by_releases: std::collections::HashMap<&[usize], Vec<usize>> =
            std::collections::HashMap::new();
        for c in &a.clashes {
            let candidates = by_releases.entry(c.releases.as_slice()).or_default();
            let same = candidates.iter().copied().find(|&k| {
                let g = &groups[k].0;
                g.date <= c.end_date && c.date <= g.end_date
            });
            match same {
                Some(k) => {
                    let (g, comps) = &mut groups[k];
                    g.date = g.date.min(c.date);
                    g.end_date = g.end_date.max(c.end_date);
                    if members[k].insert(c.component) {
                        comps.push(c.component);
                    }
                }
                None => {
                    candidates.push(groups.len());
                    groups.push((c.clone(), vec![c.component]));
                    members.push(std::iter::once(c.component).collect());
                }
            }
        }
        let shown = groups.len().min(top);
        let _ = writeln!(
            s,
            "Worst clashes ({shown} of {}; failure points carrying the same releases are listed together):",
            groups.len()
        );
        for (n, (c, comps)) in groups.iter().take(top).enumerate() {
            let when = if c.date == c.end_date {
                long_date(c.date)
            } else {
                format!("{} to {}", long_date(c.date), long_date(c.end_date))
            };
            let subject = failure_subject(infra, comps);
            let _ = writeln!(
                s,
                "{:>3}. {when}: {subject} would delay {} releases (exposure {})",
                n + 1,
                c.releases.len(),
                c.exposure
            );
            for &i in &c.releases {
                let r = &rel[i];
                let title = if r.title.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", r.title)
                };
                let _ = writeln!(s, "       {}{title}", r.id);
            }
        }
    }
    if !loaded.unmatched_by_rules.is_empty() {
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "Releases no --depends-on-rule rule matched ({}; they use --default-depends-on, if given):",
            loaded.unmatched_by_rules.len()
        );
        for &i in &loaded.unmatched_by_rules {
            let r = &rel[i];
            let title = if r.title.is_empty() {
                String::new()
            } else {
                format!(" — {}", r.title)
            };
            let _ = writeln!(s, "  {}{title}", r.id);
        }
    }
    let _ = writeln!(s);
    if f.is_empty() {
        let _ = writeln!(s, "Rule findings: none");
    } else {
        let _ = writeln!(s, "Rule findings ({}):", f.len());
        for x in f {
            let _ = writeln!(s, "  [{}] {}", x.rule.slug(), x.message);
        }
    }
    s
}

/// How a series' releases fall on weekdays: "every Wednesday", or "Thursday 8, Friday 4".
fn weekday_pattern(releases: &[Release], members: &[usize]) -> String {
    use chrono::Datelike;
    let mut counts = [0usize; 7];
    for &i in members {
        counts[releases[i].date.weekday().num_days_from_monday() as usize] += 1;
    }
    let days = [
        chrono::Weekday::Mon,
        chrono::Weekday::Tue,
        chrono::Weekday::Wed,
        chrono::Weekday::Thu,
        chrono::Weekday::Fri,
        chrono::Weekday::Sat,
        chrono::Weekday::Sun,
    ];
    let used: Vec<(usize, usize)> = counts
        .iter()
        .enumerate()
        .filter(|(_, &n)| n > 0)
        .map(|(d, &n)| (d, n))
        .collect();
    match used.as_slice() {
        [(d, _)] => format!("every {}", crate::calendar::full_weekday(days[*d])),
        _ => {
            let mut by_count = used.clone();
            by_count.sort_by_key(|&(d, n)| (std::cmp::Reverse(n), d));
            by_count
                .iter()
                .map(|&(d, n)| format!("{} {n}", crate::calendar::full_weekday(days[d])))
                .collect::<Vec<_>>()
                .join(", ")
        }
    }
}

/// The series section of the text output: the series with two or more releases,
/// largest first (at most `top`, all of them in `--json`).
fn series_text(loaded: &Loaded, series: &SeriesIndex, rules: SeriesRules, top: usize) -> String {
    let releases = &loaded.dataset.releases;
    let mut list: Vec<&crate::model::Series> = series.multi().collect();
    let mut s = String::new();
    let _ = writeln!(s);
    if list.is_empty() {
        let _ = writeln!(s, "Series: none (each release stands alone)");
        return s;
    }
    let origin = if list.iter().all(|x| x.origin == SeriesOrigin::Column) {
        "from the series column"
    } else {
        "inferred from titles; write a series column to correct them"
    };
    let in_series: usize = list.iter().map(|x| x.members.len()).sum();
    let share = rules.weekday_share;
    let regular = list
        .iter()
        .filter(|x| x.regular_weekday(share).is_some())
        .count();
    list.sort_by_key(|x| std::cmp::Reverse(x.members.len()));
    let _ = writeln!(
        s,
        "Series ({} with two or more releases, {in_series} releases, {origin}; {regular} weekday-regular, whose releases on their usual weekday move by whole weeks only):",
        list.len()
    );
    for x in list.iter().take(top.max(1)) {
        let _ = writeln!(
            s,
            "  {} — {} releases, {}{}",
            x.name,
            x.members.len(),
            weekday_pattern(releases, &x.members),
            if x.regular_weekday(share).is_some() {
                " (weekday-regular)"
            } else {
                ""
            }
        );
    }
    if list.len() > top.max(1) {
        let _ = writeln!(
            s,
            "  … and {} more (--top N shows more; --json lists every series)",
            list.len() - top.max(1)
        );
    }
    s
}

/// The series of `check --json`: every series with two or more releases.
fn series_json(loaded: &Loaded, series: &SeriesIndex, rules: SeriesRules) -> Value {
    let releases = &loaded.dataset.releases;
    Value::Array(
        series
            .multi()
            .map(|x| {
                json!({
                    "name": x.name,
                    "origin": match x.origin {
                        SeriesOrigin::Column => "column",
                        SeriesOrigin::Title => "title",
                    },
                    "releases": x.members.iter().map(|&i| releases[i].id.as_str()).collect::<Vec<_>>(),
                    "weekdays": weekday_pattern(releases, &x.members),
                    "weekday_regular": x.regular_weekday(rules.weekday_share).is_some(),
                })
            })
            .collect(),
    )
}
