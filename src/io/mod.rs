//! Reading input files with located errors, and writing outputs atomically.

mod atomic;
mod closures;
mod diagnostics;
pub mod fields;
#[cfg(test)]
mod fuzz_props;
mod holidays;
pub mod ics;
mod infrastructure;
pub mod period;
mod releases;
mod revision;
mod schedule;
mod table;

pub use atomic::{write_atomic, OutputGuard};
pub use closures::read_closures;
pub use diagnostics::{Diagnostic, InputError, InputWarning, OutputError};
pub use holidays::{read_holidays, HolidaysFile};
pub use infrastructure::{parse_infrastructure, read_infrastructure};
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
