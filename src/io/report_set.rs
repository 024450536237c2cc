//! A drop's reports are replaced as a whole: a run writes its files into a fresh staging folder
//! beside the report folder and swaps it in with one rename, so a reader always sees one
//! complete run (the previous one until the swap, the new one after it), even after a full
//! disk or a kill. A lock file keeps two runs from writing the same report folder at once.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::interrupt::Registered;

/// Why a report folder cannot be prepared or swapped in.
#[derive(Debug, thiserror::Error)]
pub enum ReportSetError {
    /// The output folder cannot be created or written to.
    #[error("cannot write reports under {path}: {source}; pass an --out folder you can write to")]
    NotWritable {
        /// The folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Another run holds the lock of this report folder.
    #[error(
        "another crosscheck run is writing {path} now; wait for it to finish or pass another --out"
    )]
    Busy {
        /// The report folder.
        path: PathBuf,
    },
    /// The finished reports could not be moved into place; the previous ones are untouched.
    #[error(
        "cannot move the new reports into {path}: {source}; the previous reports are unchanged"
    )]
    Swap {
        /// The report folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// A report folder being written: files go into [`ReportSet::staging`]; [`ReportSet::commit`]
/// swaps them in. Dropped without a commit, the staging folder is removed and the previous
/// reports stay as they were.
pub struct ReportSet {
    target: PathBuf,
    staging: tempfile::TempDir,
    registered: Registered,
    _lock: File,
}

impl ReportSet {
    /// Creates `target`'s parent, takes the lock of `target` and makes an empty staging folder
    /// beside it. Run this before any long work, so that an unwritable or busy output is
    /// reported at once.
    pub fn begin(target: &Path) -> Result<Self, ReportSetError> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "reports".into());
        let not_writable = |source| ReportSetError::NotWritable {
            path: parent.clone(),
            source,
        };
        std::fs::create_dir_all(&parent).map_err(not_writable)?;
        let lock = File::create(parent.join(format!(".{name}.lock"))).map_err(not_writable)?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(ReportSetError::Busy {
                    path: target.to_path_buf(),
                })
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(not_writable(e)),
        }
        sweep_stale_staging(&parent, &name);
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.new-"))
            .rand_bytes(STAGING_RAND)
            .permissions(super::atomic::readable_by_all(0o755))
            .tempdir_in(&parent)
            .map_err(not_writable)?;
        let registered = Registered::new(staging.path());
        Ok(ReportSet {
            target: target.to_path_buf(),
            staging,
            registered,
            _lock: lock,
        })
    }

    /// The folder to write this run's files into.
    pub fn staging(&self) -> &Path {
        self.staging.path()
    }

    /// The folder the reports will be in after the commit.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Swaps the staging folder in as the report folder (one atomic exchange where the system
    /// has it) and removes the previous reports; returns the report folder.
    pub fn commit(self) -> Result<PathBuf, ReportSetError> {
        let ReportSet {
            target,
            staging,
            registered,
            _lock,
        } = self;
        registered.while_held(|| swap_in(staging.keep(), target))
    }
}

/// Random characters in a staging folder's name (`.<drop>.new-XXXXXX`).
const STAGING_RAND: usize = 6;

/// Removes the staging folders that runs of `name` killed before they finished left in
/// `parent` (`.<name>.new-XXXXXX`, and `.<name>.old` of a swap without an atomic exchange). The caller holds the report folder's lock, so no live run is writing them.
fn sweep_stale_staging(parent: &Path, name: &str) {
    let prefix = format!(".{name}.new-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let old = format!(".{name}.old");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let ours = file_name == old
            || file_name.strip_prefix(&prefix).is_some_and(|random| {
                random.len() == STAGING_RAND && random.chars().all(|c| c.is_ascii_alphanumeric())
            });
        if ours && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Moves the finished staging folder in as `target` (see [`ReportSet::commit`]).
fn swap_in(staging: PathBuf, target: PathBuf) -> Result<PathBuf, ReportSetError> {
    let swap_error = |source| ReportSetError::Swap {
        path: target.clone(),
        source,
    };
    if !target.exists() {
        std::fs::rename(&staging, &target).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staging);
            swap_error(e)
        })?;
        return Ok(target);
    }
    if exchange(&staging, &target).is_err() {
        // No atomic exchange here: move the old set aside, then the new one in.
        let old = staging.with_extension("old");
        std::fs::rename(&target, &old).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staging);
            swap_error(e)
        })?;
        if let Err(e) = std::fs::rename(&staging, &target) {
            let _ = std::fs::rename(&old, &target);
            let _ = std::fs::remove_dir_all(&staging);
            return Err(swap_error(e));
        }
        let _ = std::fs::remove_dir_all(&old);
        return Ok(target);
    }
    // After the exchange, the staging path holds the previous reports.
    let _ = std::fs::remove_dir_all(&staging);
    Ok(target)
}

/// Exchanges two paths atomically (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes()).map_err(|e| std::io::Error::other(e.to_string()))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other("no atomic exchange"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_new_set_replaces_the_old_one_whole() {
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("drop");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("old.csv"), "old").unwrap();
        let set = ReportSet::begin(&target).unwrap();
        std::fs::write(set.staging().join("new.csv"), "new").unwrap();
        // Until the commit, readers see the old set.
        assert!(target.join("old.csv").exists());
        set.commit().unwrap();
        assert!(!target.join("old.csv").exists());
        assert_eq!(
            std::fs::read_to_string(target.join("new.csv")).unwrap(),
            "new"
        );
        let hidden: Vec<_> = std::fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".drop.new"))
            .collect();
        assert!(hidden.is_empty(), "{hidden:?}");
    }

    #[test]
    fn an_abandoned_set_leaves_the_old_reports() {
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("drop");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("claims.csv"), "old").unwrap();
        {
            let set = ReportSet::begin(&target).unwrap();
            std::fs::write(set.staging().join("claims.csv"), "half").unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(target.join("claims.csv")).unwrap(),
            "old"
        );
    }

    #[test]
    fn staging_folders_left_by_killed_runs_are_swept() {
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("drop");
        for name in [".drop.new-a1B2c3", ".drop.old", ".drop.new-x"] {
            std::fs::create_dir(out.path().join(name)).unwrap();
            std::fs::write(out.path().join(name).join("claims.csv"), "half").unwrap();
        }
        std::fs::create_dir(out.path().join(".drop.new-other.new-a1B2c3")).unwrap();
        let set = ReportSet::begin(&target).unwrap();
        let mut left: Vec<String> = std::fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".drop.") && !n.ends_with(".lock"))
            .filter(|n| Path::new(n) != set.staging().file_name().map(Path::new).unwrap())
            .collect();
        left.sort();
        // Not of this report folder's runs: `.drop.new-x` has no random part of six, and
        // `.drop.new-other.new-...` is the staging folder of the report folder `drop.new-other`.
        assert_eq!(left, [".drop.new-other.new-a1B2c3", ".drop.new-x"]);
    }

    #[test]
    fn a_second_writer_is_refused() {
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("drop");
        let first = ReportSet::begin(&target).unwrap();
        assert!(matches!(
            ReportSet::begin(&target),
            Err(ReportSetError::Busy { .. })
        ));
        drop(first);
        assert!(ReportSet::begin(&target).is_ok());
    }
}
