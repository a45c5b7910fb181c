//! The crate-wide error type and the process exit codes it maps to.

use std::fmt;

/// Process exit codes of the `stagger` binary (documented in `docs/cli.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// 0: the command did what was asked.
    Success = 0,
    /// 1: `check --deny-findings` found clashes or rule findings.
    Findings = 1,
    /// 2: the command line is wrong (unknown flag, missing argument).
    Usage = 2,
    /// 3: an input file has invalid content; every problem is listed with file, line and column.
    InvalidInput = 3,
    /// 4: no calendar satisfies the hard rules (the conflicting releases are named).
    Infeasible = 4,
    /// 5: a file could not be read or written (missing, permissions, would overwrite an input).
    Io = 5,
    /// 6: internal error: the independent checker rejected a plan, or the solver failed.
    /// A bug in `stagger`; nothing was written.
    Internal = 6,
    /// 7: the time limit passed before even a first plan could be built; nothing was written.
    TimeLimit = 7,
}

impl ExitCode {
    /// The numeric code handed to the operating system.
    pub fn code(self) -> i32 {
        self as i32
    }
}

/// Every error the library can return, grouped by the area it comes from.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input file could not be parsed or validated.
    #[error(transparent)]
    Input(#[from] crate::io::InputError),
    /// Several input files have problems (all are listed).
    #[error(transparent)]
    Inputs(#[from] crate::io::InputErrors),
    /// The command line asks for something impossible (e.g. standard input twice).
    #[error("{0}")]
    Usage(String),
    /// A calendar rule or region could not be applied.
    #[error(transparent)]
    Calendar(#[from] crate::calendar::CalendarError),
    /// The release/infrastructure model is inconsistent.
    #[error(transparent)]
    Model(#[from] crate::model::ModelError),
    /// Planning failed (infeasible, or verification of the plan failed).
    #[error(transparent)]
    Plan(#[from] crate::optimise::PlanError),
    /// Writing a report, chart or calendar failed.
    #[error(transparent)]
    Report(#[from] crate::report::ReportError),
    /// A file system operation failed.
    #[error(transparent)]
    Output(#[from] crate::io::OutputError),
}

impl Error {
    /// The exit code the binary uses for this error.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Input(e) => e.exit_code(),
            Error::Inputs(e) => e.exit_code(),
            Error::Usage(_) => ExitCode::Usage,
            Error::Calendar(_) => ExitCode::InvalidInput,
            Error::Model(_) => ExitCode::InvalidInput,
            Error::Plan(e) => e.exit_code(),
            Error::Report(_) => ExitCode::Io,
            Error::Output(_) => ExitCode::Io,
        }
    }
}

impl fmt::Display for ExitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}
