//! Atomic output: write to a temporary file beside the target, then rename.
//! Input files are never written.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::OutputError;

/// Remembers the input files of a command so that no output can overwrite one.
#[derive(Debug, Clone, Default)]
pub struct OutputGuard {
    inputs: Vec<PathBuf>,
}

impl OutputGuard {
    /// A guard protecting `inputs`.
    pub fn new<P: AsRef<Path>>(inputs: impl IntoIterator<Item = P>) -> Self {
        OutputGuard {
            inputs: inputs
                .into_iter()
                .filter_map(|p| canonical(p.as_ref()))
                .collect(),
        }
    }

    /// Fails if `path` names one of the inputs.
    pub fn check(&self, path: &Path) -> Result<(), OutputError> {
        match canonical(path) {
            Some(c) if self.inputs.contains(&c) => Err(OutputError::WouldOverwriteInput {
                path: path.to_path_buf(),
            }),
            _ => Ok(()),
        }
    }

    /// Checks `path` against the inputs, then writes `bytes` to it atomically
    /// (`-` writes to standard output).
    pub fn write(&self, path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
        if super::stdio::is_stdio(path) {
            return super::stdio::write_stdout(bytes);
        }
        self.check(path)?;
        write_atomic(path, bytes)
    }
}

/// The canonical form of `path`, also for a file that does not exist yet (its
/// directory is canonicalised).
fn canonical(path: &Path) -> Option<PathBuf> {
    if let Ok(c) = path.canonicalize() {
        return Some(c);
    }
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    parent.canonicalize().ok().map(|p| p.join(name))
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a
/// rename, so readers never see a half-written file. Creates missing parent directories.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let err = |source| OutputError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(err)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let tmp = dir.join(format!(".{name}.{}.stagger-tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(err(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_overwrite_an_input() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("releases.csv");
        std::fs::write(&input, "id,date\n").unwrap();
        let guard = OutputGuard::new([&input]);
        let again = dir.path().join(".").join("releases.csv");
        assert!(matches!(
            guard.write(&again, b"x"),
            Err(OutputError::WouldOverwriteInput { .. })
        ));
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "id,date\n");
    }

    #[test]
    fn writes_atomically_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("sub").join("out.csv");
        write_atomic(&out, b"hello").unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"hello");
        let names: Vec<_> = std::fs::read_dir(out.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1);
    }
}
