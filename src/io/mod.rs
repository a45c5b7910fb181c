//! Reading input files with located errors, and writing outputs atomically.

mod diagnostics;
pub mod ics;

pub use diagnostics::{Diagnostic, InputError, OutputError};
