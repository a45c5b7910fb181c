//! Reading input files with located errors, and writing outputs atomically.

mod atomic;
mod closures;
mod diagnostics;
pub mod fields;
#[cfg(test)]
mod fuzz_props;
mod guard;
mod holidays;
pub mod ics;
mod infrastructure;
mod output;
pub mod period;
mod releases;
mod revision;
mod schedule;
mod table;

pub use atomic::write_atomic;
pub use closures::read_closures;
pub use diagnostics::{Diagnostic, InputError, InputWarning, OutputError};
pub use guard::OutputGuard;
pub use holidays::{read_holidays, HolidaysFile};
pub use infrastructure::{parse_infrastructure, read_infrastructure};
pub use output::{is_stdout, write_output, write_stderr, write_stdout};
pub use period::parse_period;
pub use releases::{parse_releases, read_releases, standard_release_time, ReleaseFile};
pub use revision::{event_state, EventRevision};
pub use schedule::{schedule_csv, ScheduleRow, RETIRED_COLUMNS, SCHEDULE_COLUMNS};
pub use table::{Row, Table};

/// A short, user-facing description of an I/O error.
pub fn describe_io_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file (check the path)".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}
