//! `-` as a file name: standard input where a file is read, standard output where one
//! is written.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::{InputError, OutputError};

/// Whether `path` is `-` (standard input or output).
pub fn is_stdio(path: &Path) -> bool {
    super::output::is_stdout(path)
}

/// The name used in messages: `<stdin>` for `-`, else the path.
pub fn shown(path: &Path) -> PathBuf {
    if is_stdio(path) {
        PathBuf::from("<stdin>")
    } else {
        path.to_path_buf()
    }
}

/// Reads a whole input file, or standard input for `-`. A missing or unreadable file is
/// an [`InputError`] that says so (exit code 5).
pub fn read_input(path: &Path) -> Result<Vec<u8>, InputError> {
    let result = if is_stdio(path) {
        let mut buf = Vec::new();
        std::io::stdin().lock().read_to_end(&mut buf).map(|_| buf)
    } else if path.is_dir() {
        return Err(InputError::unreadable(
            path,
            "cannot read the file: it is a directory (name a file)",
        ));
    } else {
        std::fs::read(path)
    };
    result.map_err(|e| {
        InputError::unreadable(
            shown(path),
            format!("cannot read the file: {}", super::describe_io_error(&e)),
        )
    })
}

/// Writes `bytes` to standard output; a closed pipe (`| head`) is not an error.
pub fn write_stdout(bytes: &[u8]) -> Result<(), OutputError> {
    super::output::write_stdout(bytes)
}

/// Whether more than one of `paths` is `-` (standard input can be read only once).
pub fn stdin_twice<'a>(paths: impl IntoIterator<Item = &'a Path>) -> bool {
    paths.into_iter().filter(|p| is_stdio(p)).count() > 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_counts() {
        assert!(is_stdio(Path::new("-")));
        assert!(!is_stdio(Path::new("./-")));
        assert_eq!(shown(Path::new("-")), PathBuf::from("<stdin>"));
        assert!(stdin_twice([
            Path::new("-"),
            Path::new("a"),
            Path::new("-")
        ]));
        assert!(!stdin_twice([Path::new("-"), Path::new("a")]));
    }

    #[test]
    fn a_directory_is_not_read_as_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_input(dir.path()).unwrap_err();
        assert!(e.to_string().contains("directory"), "{e}");
        assert!(e.unreadable);
    }
}
