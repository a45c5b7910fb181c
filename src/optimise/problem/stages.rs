//! Stage reports: names, values and bounds of the lexicographic stages.

use crate::optimise::objective::Objective;
use crate::optimise::options::ObjectiveKind;
use crate::optimise::solution::StageReport;

/// Names of the stages in priority order.
pub(crate) fn stage_names(kind: ObjectiveKind) -> Vec<&'static str> {
    let mut names = Vec::new();
    if kind == ObjectiveKind::Risk {
        names.push("risk");
    }
    names.extend(["peak", "clash_pairs", "moves", "total_shift"]);
    names
}

/// The stage values of an objective in priority order.
pub(crate) fn stage_values(objective: &Objective, kind: ObjectiveKind) -> Vec<f64> {
    let mut values = Vec::new();
    if kind == ObjectiveKind::Risk {
        values.push(objective.risk);
    }
    values.extend([
        objective.peak as f64,
        objective.clash_pairs as f64,
        objective.moves as f64,
        objective.total_shift as f64,
    ]);
    values
}

/// Stage reports for a plan known to be optimal (bound = value, all proven).
pub(crate) fn exact_stages(objective: &Objective, kind: ObjectiveKind) -> Vec<StageReport> {
    stage_names(kind)
        .into_iter()
        .zip(stage_values(objective, kind))
        .map(|(name, value)| StageReport {
            name,
            value,
            lower_bound: value,
            proven: true,
        })
        .collect()
}
