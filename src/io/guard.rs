//! Which paths a command may write: never an input, never one output twice.
//!
//! Paths are compared in two ways, so that no spelling of a path gets past:
//! - by where they lead: the longest existing part of the path is canonicalised
//!   (resolving symlinks and `..`), and the rest, which does not exist yet and so holds
//!   no symlink, is normalised lexically (`nosuchdir/../releases.csv` is `releases.csv`,
//!   because `nosuchdir` would be created as a plain directory);
//! - by file identity (device and inode on Unix), which also catches hard links.

use std::path::{Component, Path, PathBuf};

use super::OutputError;

/// What identifies one file: where its path leads, and (for an existing file on
/// Unix) its device and inode.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileKey {
    resolved: PathBuf,
    identity: Option<(u64, u64)>,
}

impl FileKey {
    fn of(path: &Path) -> Self {
        FileKey {
            resolved: resolve(path),
            identity: identity(path),
        }
    }

    /// Whether the two keys name the same file.
    fn same_file(&self, other: &FileKey) -> bool {
        self.resolved == other.resolved
            || matches!((self.identity, other.identity), (Some(a), Some(b)) if a == b)
    }
}

/// Remembers the input files of a command so that no output can overwrite one.
#[derive(Debug, Clone, Default)]
pub struct OutputGuard {
    inputs: Vec<FileKey>,
}

impl OutputGuard {
    /// A guard protecting `inputs` (looked up now: pass them once they have been read).
    pub fn new<P: AsRef<Path>>(inputs: impl IntoIterator<Item = P>) -> Self {
        OutputGuard {
            inputs: inputs
                .into_iter()
                .map(|p| FileKey::of(p.as_ref()))
                .collect(),
        }
    }

    /// Fails if `path` leads to one of the inputs (by path, symlink, `..` or hard link).
    /// `-` (standard output) never does.
    pub fn check(&self, path: &Path) -> Result<(), OutputError> {
        if super::output::is_stdout(path) {
            return Ok(());
        }
        let key = FileKey::of(path);
        if self.inputs.iter().any(|input| input.same_file(&key)) {
            return Err(OutputError::WouldOverwriteInput {
                path: path.to_path_buf(),
            });
        }
        Ok(())
    }

    /// Checks every output of a command before anything is written: none may be an
    /// input, and no two may be the same file (e.g. `--out x --ics x`). Standard
    /// output (`-`) may be named once.
    pub fn check_all<'a>(
        &self,
        outputs: impl IntoIterator<Item = &'a Path>,
    ) -> Result<(), OutputError> {
        let mut seen: Vec<(&Path, FileKey)> = Vec::new();
        let mut stdout: Option<&Path> = None;
        for path in outputs {
            self.check(path)?;
            if super::output::is_stdout(path) {
                if let Some(first) = stdout {
                    return Err(OutputError::SameOutputTwice {
                        first: first.to_path_buf(),
                        second: path.to_path_buf(),
                    });
                }
                stdout = Some(path);
                continue;
            }
            let key = FileKey::of(path);
            if let Some((first, _)) = seen.iter().find(|(_, k)| k.same_file(&key)) {
                return Err(OutputError::SameOutputTwice {
                    first: first.to_path_buf(),
                    second: path.to_path_buf(),
                });
            }
            seen.push((path, key));
        }
        Ok(())
    }

    /// Checks `path` against the inputs, then writes `bytes` to it
    /// ([`write_output`](super::write_output): atomically for a file, as a stream for a
    /// FIFO, device or `-`).
    pub fn write(&self, path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
        self.check(path)?;
        super::write_output(path, bytes)
    }
}

/// Where `path` leads: the canonical form of its longest existing prefix, followed by
/// the remaining components normalised lexically.
pub(crate) fn resolve(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        match std::env::current_dir() {
            Ok(cwd) => cwd.join(path),
            Err(_) => path.to_path_buf(),
        }
    };
    let components: Vec<Component<'_>> = absolute.components().collect();
    for split in (0..=components.len()).rev() {
        let prefix: PathBuf = components[..split].iter().collect();
        let base = if prefix.as_os_str().is_empty() {
            Some(PathBuf::new())
        } else {
            prefix.canonicalize().ok()
        };
        if let Some(mut out) = base {
            for c in &components[split..] {
                match c {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    other => out.push(other.as_os_str()),
                }
            }
            return out;
        }
    }
    absolute
}

/// The device and inode of the file `path` leads to (following symlinks), on Unix.
#[cfg(unix)]
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// File identity is not compared off Unix (paths still are).
#[cfg(not(unix))]
fn identity(_path: &Path) -> Option<(u64, u64)> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (tempfile::TempDir, PathBuf, OutputGuard) {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("releases.csv");
        std::fs::write(&input, "id,date\n").unwrap();
        let guard = OutputGuard::new([&input]);
        (dir, input, guard)
    }

    fn refused(guard: &OutputGuard, path: &Path) -> bool {
        matches!(
            guard.check(path),
            Err(OutputError::WouldOverwriteInput { .. })
        )
    }

    #[test]
    fn refuses_every_spelling_of_an_input() {
        let (dir, input, guard) = setup();
        let d = dir.path();
        assert!(refused(&guard, &d.join(".").join("releases.csv")));
        assert!(refused(&guard, &d.join("nosuchdir/../releases.csv")));
        assert!(refused(&guard, &d.join("a/b/../../releases.csv")));
        assert!(!refused(&guard, &d.join("schedule.csv")));
        assert!(!refused(&guard, &d.join("nosuchdir/releases.csv")));
        #[cfg(unix)]
        {
            let link = d.join("link.csv");
            std::os::unix::fs::symlink(&input, &link).unwrap();
            assert!(refused(&guard, &link), "symlink to an input");
            let hard = d.join("hard.csv");
            std::fs::hard_link(&input, &hard).unwrap();
            assert!(refused(&guard, &hard), "hard link to an input");
            let sub = d.join("sub");
            std::fs::create_dir(&sub).unwrap();
            let dirlink = d.join("dirlink");
            std::os::unix::fs::symlink(&sub, &dirlink).unwrap();
            assert!(
                refused(&guard, &dirlink.join("../releases.csv")),
                "`..` after a symlinked directory"
            );
        }
        let _ = input;
    }

    #[test]
    fn two_outputs_may_not_be_the_same_file() {
        let (dir, _input, guard) = setup();
        let a = dir.path().join("out.csv");
        let b = dir.path().join("x/../out.csv");
        assert!(matches!(
            guard.check_all([a.as_path(), b.as_path()]),
            Err(OutputError::SameOutputTwice { .. })
        ));
        let c = dir.path().join("plan.ics");
        assert!(guard.check_all([a.as_path(), c.as_path()]).is_ok());
        let dash = Path::new("-");
        assert!(guard.check_all([dash, a.as_path()]).is_ok());
        assert!(guard.check_all([dash, dash]).is_err());
    }

    #[test]
    fn resolve_normalises_what_does_not_exist_yet() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        assert_eq!(
            resolve(&dir.path().join("new/./x/../y.csv")),
            base.join("new/y.csv")
        );
    }
}
