//! How long one failure delays one release: the failure point's recovery time, or
//! the switch-over to the release's fallback route when that route survives it.

use super::DEFAULT_RECOVERY_MINUTES;
use crate::model::FailurePoint;

/// Minutes to restore `point`: its `recovery_minutes`, or
/// [`DEFAULT_RECOVERY_MINUTES`] when the column is empty (or not a non-negative number).
pub fn recovery_minutes(point: &FailurePoint) -> f64 {
    match point.recovery_minutes {
        Some(m) if m >= 0.0 && m.is_finite() => m,
        _ => DEFAULT_RECOVERY_MINUTES,
    }
}

/// Minutes a failure of failure point `component` (= `point`) delays a release whose
/// fallback route has the failure points `fallback_set` (its `fallback` ids and
/// everything they rely on; empty when it has none).
///
/// - No fallback route, or the route also relies on `component`: the recovery time.
/// - Otherwise the release switches over: `min(fallback_minutes, recovery)`, because
///   nobody switches over when waiting for the repair is quicker.
///
/// A negative or not-a-number `fallback_minutes` counts as 0.
pub fn delay_minutes(
    point: &FailurePoint,
    component: usize,
    fallback_set: &[usize],
    fallback_minutes: f64,
) -> f64 {
    let recovery = recovery_minutes(point);
    if fallback_set.is_empty() || fallback_set.contains(&component) {
        recovery
    } else {
        fallback_minutes.max(0.0).min(recovery)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallback_only_helps_when_it_survives_the_failure() {
        let mut db = FailurePoint::new("db", "database", &[]);
        db.recovery_minutes = Some(240.0);
        // No fallback.
        assert_eq!(delay_minutes(&db, 2, &[], 15.0), 240.0);
        // Fallback route independent of db (component 2).
        assert_eq!(delay_minutes(&db, 2, &[4, 5], 15.0), 15.0);
        // Fallback route also relies on db.
        assert_eq!(delay_minutes(&db, 2, &[2, 4], 15.0), 240.0);
        // Switching over slower than the repair: wait for the repair.
        assert_eq!(delay_minutes(&db, 2, &[4], 300.0), 240.0);
        assert_eq!(delay_minutes(&db, 2, &[4], -3.0), 0.0);
        assert_eq!(delay_minutes(&db, 2, &[4], f64::NAN), 0.0);
    }

    #[test]
    fn recovery_defaults_to_an_hour() {
        let mut team = FailurePoint::new("team", "team", &[]);
        assert_eq!(recovery_minutes(&team), DEFAULT_RECOVERY_MINUTES);
        team.recovery_minutes = Some(0.0);
        assert_eq!(recovery_minutes(&team), 0.0);
        team.recovery_minutes = Some(f64::NAN);
        assert_eq!(recovery_minutes(&team), DEFAULT_RECOVERY_MINUTES);
    }
}
