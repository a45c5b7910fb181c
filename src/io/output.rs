//! Writing an output: to standard output (`-`), as a stream to a special file (FIFO,
//! terminal, `/dev/null`, `/dev/stdout`), or atomically to a regular file.
//!
//! Every output of every command goes through [`write_output`] or [`write_stdout`],
//! so a failed write is always an error and a closed pipe always ends quietly.

use std::io::Write;
use std::path::Path;

use super::atomic::write_atomic;
use super::OutputError;

/// Whether `path` means standard output: `-`.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Writes `bytes` to `path`:
/// - `-`, `/dev/stdout`, `/dev/fd/1`, `/proc/self/fd/1`: to this process's standard
///   output ([`write_stdout`]); `/dev/stderr` and its aliases likewise to standard error;
/// - an existing file that is not a regular file (a FIFO, a terminal or other device,
///   `/dev/null`, a socket): opened and written as a stream, never replaced;
/// - anything else: atomically ([`write_atomic`]), through a symlink to its target.
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    match stream_of(path) {
        Some(Stream::Stdout) => write_stdout(bytes),
        Some(Stream::Stderr) => {
            let _ = std::io::stderr().lock().write_all(bytes);
            Ok(())
        }
        None if is_special(path) => write_stream(path, bytes),
        None => write_atomic(path, bytes),
    }
}

/// Writes `bytes` to standard output and flushes it. A closed pipe (the reader, e.g.
/// `head`, has gone) is not an error: the rest is dropped quietly. Any other failure
/// (a full disk, `> /dev/full`) is [`OutputError::Stdout`].
pub fn write_stdout(bytes: &[u8]) -> Result<(), OutputError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(source) => Err(OutputError::Stdout { source }),
    }
}

/// Writes `text` to standard error, ignoring failures: there is nowhere left to report
/// them, and a summary that cannot be shown must not turn a good run into a crash.
pub fn write_stderr(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// The standard streams `path` names.
enum Stream {
    Stdout,
    Stderr,
}

fn stream_of(path: &Path) -> Option<Stream> {
    if is_stdout(path) {
        return Some(Stream::Stdout);
    }
    let s = path.to_str()?;
    match s {
        "/dev/stdout" | "/dev/fd/1" | "/proc/self/fd/1" => Some(Stream::Stdout),
        "/dev/stderr" | "/dev/fd/2" | "/proc/self/fd/2" => Some(Stream::Stderr),
        _ => None,
    }
}

/// Whether `path` exists and is something other than a regular file or directory.
fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// Writes to an existing special file in place.
fn write_stream(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let err = |source| OutputError::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(err)?;
    match f.write_all(bytes).and_then(|()| f.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(err(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dash_is_stdout() {
        assert!(is_stdout(Path::new("-")));
        assert!(!is_stdout(Path::new("./-")));
    }

    #[cfg(unix)]
    #[test]
    fn dev_null_is_written_as_a_stream_not_replaced() {
        let null = Path::new("/dev/null");
        let before = std::fs::metadata(null).unwrap();
        write_output(null, b"discarded").unwrap();
        let after = std::fs::metadata(null).unwrap();
        assert!(!after.is_file());
        use std::os::unix::fs::MetadataExt;
        assert_eq!(before.ino(), after.ino());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_full_device_is_an_error() {
        let full = Path::new("/dev/full");
        if full.exists() {
            assert!(matches!(
                write_output(full, b"x"),
                Err(OutputError::Write { .. })
            ));
        }
    }
}
