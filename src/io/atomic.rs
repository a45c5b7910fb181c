//! Atomic output: write to a temporary file beside the target, then rename.
//!
//! Readers never see a half-written file, and a failed run leaves the old file
//! as it was. The temporary file is `.NAME.PID.stagger-tmp`; one stranded by a run
//! that was killed (SIGKILL, power loss) is removed by the next run writing `NAME`.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::OutputError;

/// The suffix of temporary files.
const TMP_SUFFIX: &str = ".stagger-tmp";

/// Writes `bytes` to `path` through a temporary file in the same directory and a
/// rename, so readers never see a half-written file. Creates missing parent
/// directories. A symlink is followed: its target is replaced, the link kept. An
/// existing file keeps its permissions.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let err = |source| OutputError::Write {
        path: path.to_path_buf(),
        source,
    };
    // Write through a symlink to its target rather than replacing the link.
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => path.canonicalize().unwrap_or(path.to_path_buf()),
        _ => path.to_path_buf(),
    };
    let existing = std::fs::metadata(&target).ok();
    if existing.as_ref().is_some_and(|m| m.is_dir()) {
        return Err(err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a directory; give a file name",
        )));
    }
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(err)?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    remove_stranded_temp_files(&dir, &name);
    let tmp = dir.join(format!(".{name}.{}{TMP_SUFFIX}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if let Some(m) = &existing {
            f.set_permissions(m.permissions())?;
        }
        f.sync_all()?;
        std::fs::rename(&tmp, &target)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(err(e));
    }
    // Make the rename itself durable (best effort: not every platform can sync a directory).
    if let Ok(d) = std::fs::File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Removes `.NAME.PID.stagger-tmp` files in `dir` left by runs that no longer exist.
fn remove_stranded_temp_files(dir: &Path, name: &str) {
    let prefix = format!(".{name}.");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let Some(pid) = file_name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(TMP_SUFFIX))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid, &entry.path()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether process `pid` (which wrote `tmp`) may still be running: on Linux, whether
/// `/proc/PID` exists; elsewhere, whether the file was touched in the last day.
fn process_alive(pid: u32, tmp: &Path) -> bool {
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return proc.join(pid.to_string()).exists();
    }
    let age = std::fs::metadata(tmp)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok());
    age.is_none_or(|a| a.as_secs() < 24 * 60 * 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn writes_atomically_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("sub").join("out.csv");
        write_atomic(&out, b"hello").unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"hello");
        assert_eq!(names(out.parent().unwrap()), ["out.csv"]);
    }

    #[test]
    fn removes_temp_files_stranded_by_a_killed_run() {
        let dir = tempfile::tempdir().unwrap();
        // No process has pid u32::MAX - 1 (Linux caps pids at 2^22).
        let stranded = dir
            .path()
            .join(format!(".out.csv.{}.stagger-tmp", u32::MAX - 1));
        std::fs::write(&stranded, b"half").unwrap();
        let other = dir.path().join(".other.csv.4294967294.stagger-tmp");
        std::fs::write(&other, b"not ours").unwrap();
        let alive = dir.path().join(".out.csv.1.stagger-tmp"); // pid 1 always runs
        std::fs::write(&alive, b"in progress").unwrap();
        write_atomic(&dir.path().join("out.csv"), b"x").unwrap();
        let left = names(dir.path());
        if Path::new("/proc/self").exists() {
            assert_eq!(
                left,
                [
                    ".other.csv.4294967294.stagger-tmp",
                    ".out.csv.1.stagger-tmp",
                    "out.csv"
                ]
            );
        }
    }

    #[test]
    fn a_directory_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let e = write_atomic(dir.path(), b"x").unwrap_err();
        assert!(e.to_string().contains("directory"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_is_kept_and_its_target_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.html");
        std::fs::write(&target, b"old").unwrap();
        let link = dir.path().join("link.html");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(&target).unwrap(), b"new");
    }
}
