//! Reading input files with located errors, and writing outputs atomically.

mod atomic;
mod closures;
pub mod columns;
pub mod depends_rules;
mod diagnostics;
pub mod fields;
#[cfg(test)]
mod fuzz_props;
mod guard;
mod holidays;
pub mod ics;
pub mod import;
mod infrastructure;
mod output;
pub mod period;
mod releases;
mod revision;
mod schedule;
pub mod stdio;
mod table;

pub use atomic::write_atomic;
pub use closures::read_closures;
pub use depends_rules::DependsRules;
pub use diagnostics::{Diagnostic, InputError, InputErrors, InputWarning, OutputError};
pub use guard::OutputGuard;
pub use holidays::{read_holidays, HolidaysFile};
pub use infrastructure::{parse_infrastructure, read_infrastructure};
pub use output::{is_stdout, write_output, write_stderr, write_stdout};
pub use period::parse_period;
pub use releases::{
    cell as releases_cell, parse_releases, parse_releases_with, read_releases,
    standard_release_time, ReleaseFile,
};
pub use revision::{event_state, EventRevision};
pub use schedule::{schedule_csv, ScheduleRow, RETIRED_COLUMNS, SCHEDULE_COLUMNS};
pub use table::{delimiter_name, sniff_delimiter, Row, Table};

/// A short, user-facing description of an I/O error.
pub fn describe_io_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file (check the path)".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}
