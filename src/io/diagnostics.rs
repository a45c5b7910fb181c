//! Located input errors: file, line, column, value, what was expected and what to do.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::ExitCode;

/// One problem found in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// 1-based line number, if the problem is on a line.
    pub line: Option<usize>,
    /// Column (header name), if the problem is in one field.
    pub column: Option<String>,
    /// The offending value, if any.
    pub value: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
    /// What to do about it, if there is a useful hint.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem with a message only.
    pub fn new(message: impl Into<String>) -> Self {
        Diagnostic {
            line: None,
            column: None,
            value: None,
            message: message.into(),
            hint: None,
        }
    }

    /// Sets the line.
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// Sets the column.
    pub fn in_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }

    /// Sets the offending value.
    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// Sets the hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// All problems found in one input file (reading stops at the end of the file,
/// not at the first problem).
#[derive(Debug, Clone, thiserror::Error)]
pub struct InputError {
    /// The file.
    pub path: PathBuf,
    /// The problems, in line order.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the file could not be read at all (missing, unreadable).
    pub unreadable: bool,
}

impl InputError {
    /// An error for a file that could not be read at all.
    pub fn unreadable(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        InputError {
            path: path.into(),
            diagnostics: vec![Diagnostic::new(message)],
            unreadable: true,
        }
    }

    /// An error with the given problems.
    pub fn new(path: impl Into<PathBuf>, diagnostics: Vec<Diagnostic>) -> Self {
        InputError {
            path: path.into(),
            diagnostics,
            unreadable: false,
        }
    }

    /// The exit code: 5 for an unreadable file, 3 for invalid content.
    pub fn exit_code(&self) -> ExitCode {
        if self.unreadable {
            ExitCode::Io
        } else {
            ExitCode::InvalidInput
        }
    }
}

impl fmt::Display for InputError {
    /// One problem per line (with its help line), at most
    /// [`MAX_SHOWN_PROBLEMS`](crate::limits::MAX_SHOWN_PROBLEMS) of them; values are cut
    /// to a readable length and control characters escaped ([`crate::limits::echo`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::limits::MAX_SHOWN_PROBLEMS;
        let file = self.path.display();
        let n = self.diagnostics.len();
        if n > 1 {
            writeln!(f, "{file}: {n} problems")?;
        }
        for (i, d) in self.diagnostics.iter().take(MAX_SHOWN_PROBLEMS).enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write_located(f, &self.path, d)?;
        }
        if n > MAX_SHOWN_PROBLEMS {
            write!(
                f,
                "\n{file}: … and {} more problems (the first {MAX_SHOWN_PROBLEMS} are shown; fix them and run again)",
                n - MAX_SHOWN_PROBLEMS
            )?;
        }
        Ok(())
    }
}

/// The problems of several input files, reported together so that one run shows
/// everything to fix.
#[derive(Debug, Clone, thiserror::Error)]
pub struct InputErrors {
    /// One error per file, in the order the files were named.
    pub files: Vec<InputError>,
}

impl InputErrors {
    /// Turns the errors of a command's input files into one result: `Ok` when there
    /// are none, the error itself when there is one.
    pub fn into_result(mut files: Vec<InputError>) -> Result<(), crate::Error> {
        match files.len() {
            0 => Ok(()),
            1 => Err(crate::Error::Input(files.remove(0))),
            _ => Err(crate::Error::Inputs(InputErrors { files })),
        }
    }

    /// 5 when a file could not be read at all, else 3.
    pub fn exit_code(&self) -> ExitCode {
        if self.files.iter().any(|f| f.unreadable) {
            ExitCode::Io
        } else {
            ExitCode::InvalidInput
        }
    }
}

/// Writes one located problem: `file:line: column 'c': 'value': message`, and its
/// help on a second line; values are cut to a readable length and control
/// characters escaped ([`crate::limits::echo`]).
fn write_located(f: &mut fmt::Formatter<'_>, file: &Path, d: &Diagnostic) -> fmt::Result {
    use crate::limits::{echo, echo_within, MAX_MESSAGE_CHARS};
    write!(f, "{}", file.display())?;
    if let Some(line) = d.line {
        write!(f, ":{line}")?;
    }
    if let Some(col) = &d.column {
        write!(f, ": column '{}'", echo(col))?;
    }
    if let Some(v) = &d.value {
        write!(f, ": '{}'", echo(v))?;
    }
    write!(f, ": {}", echo_within(&d.message, MAX_MESSAGE_CHARS))?;
    if let Some(h) = &d.hint {
        write!(f, "\n  help: {}", echo_within(h, MAX_MESSAGE_CHARS))?;
    }
    Ok(())
}

/// Something odd but harmless in an input file (e.g. a holiday on a weekend):
/// located like an error, but the command goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputWarning {
    /// The file.
    pub path: PathBuf,
    /// What, where, and what to do.
    pub diagnostic: Diagnostic,
}

impl fmt::Display for InputWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_located(f, &self.path, &self.diagnostic)
    }
}

impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let problems: usize = self.files.iter().map(|e| e.diagnostics.len()).sum();
        writeln!(f, "{problems} problems in {} files", self.files.len())?;
        for (i, e) in self.files.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// A failure to write an output file.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output path is one of the input files.
    #[error("refusing to write {path}: it is an input file; choose another output path")]
    WouldOverwriteInput {
        /// The path.
        path: PathBuf,
    },
    /// Two outputs of one command lead to the same file (e.g. `--out x --ics x`).
    #[error("{first} and {second} are the same file: give each output its own path")]
    SameOutputTwice {
        /// The first output path.
        first: PathBuf,
        /// The second, which leads to the same file.
        second: PathBuf,
    },
    /// Standard output could not be written (other than a closed pipe, which is quiet).
    #[error("cannot write to standard output: {source}")]
    Stdout {
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file system refused.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The path.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}
