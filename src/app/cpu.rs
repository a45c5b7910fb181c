//! How much processor time the process has had: to tell a slow machine (or one shared
//! with other work) from a large input when budgeting wall-clock time.

use std::time::Duration;

/// Processor time (user + system) the process has used so far; `None` where the
/// operating system does not say (read from `/proc/self/stat` on Linux).
pub(crate) fn process_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start after the last ')':
    // state, ppid, ..., utime (field 14) and stime (field 15), in clock ticks.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on Linux (the kernel reports these fields in it everywhere).
    Some(Duration::from_millis(ticks * 10))
}

/// How many times longer than its processor time the process took since it started at
/// `cpu_at_start` processor time and `wall` ago: about 1 on an idle machine, about 5
/// when five busy programs share each core. At least 1, at most 10; 1 when unknown or
/// too little time has passed to tell.
pub(crate) fn slowdown(cpu_at_start: Option<Duration>, wall: Duration) -> f64 {
    let (Some(before), Some(now)) = (cpu_at_start, process_cpu_time()) else {
        return 1.0;
    };
    let cpu = now.saturating_sub(before);
    if wall < Duration::from_millis(100) || cpu.is_zero() {
        return 1.0;
    }
    (wall.as_secs_f64() / cpu.as_secs_f64()).clamp(1.0, 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_work_counts_as_processor_time() {
        let Some(start) = process_cpu_time() else {
            // Not reported on this system: the slowdown is then taken as 1.
            assert_eq!(slowdown(None, Duration::from_secs(1)), 1.0);
            return;
        };
        let begun = std::time::Instant::now();
        let mut x = 0u64;
        // Spin until the process has used 100 ms more processor time (however busy the
        // machine), or give up after 30 s of wall time.
        while process_cpu_time().is_some_and(|t| t < start + Duration::from_millis(100))
            && begun.elapsed() < Duration::from_secs(30)
        {
            for _ in 0..100_000 {
                x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
            }
        }
        let used = process_cpu_time().unwrap_or(start).saturating_sub(start);
        assert!(used >= Duration::from_millis(100), "{used:?}");
        let factor = slowdown(Some(start), begun.elapsed());
        assert!((1.0..=10.0).contains(&factor), "{factor}");
    }
}
