//! A drop's reports are replaced as a whole: a run writes its files into a fresh staging folder
//! beside the report folder and swaps it in with one rename, so a reader always sees one
//! complete run (the previous one until the swap, the new one after it), even after a full
//! disk or a kill. A lock file keeps two runs from writing the same report folder at once.

use std::fs::File;
use std::path::{Path, PathBuf};

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
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.new-"))
            .permissions(super::atomic::readable_by_all(0o755))
            .tempdir_in(&parent)
            .map_err(not_writable)?;
        Ok(ReportSet {
            target: target.to_path_buf(),
            staging,
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
        let swap_error = |source| ReportSetError::Swap {
            path: self.target.clone(),
            source,
        };
        let staging = self.staging.keep();
        if !self.target.exists() {
            std::fs::rename(&staging, &self.target).map_err(|e| {
                let _ = std::fs::remove_dir_all(&staging);
                swap_error(e)
            })?;
            return Ok(self.target.clone());
        }
        match exchange(&staging, &self.target) {
            Ok(()) => {}
            Err(_) => {
                // No atomic exchange here: move the old set aside, then the new one in.
                let old = staging.with_extension("old");
                std::fs::rename(&self.target, &old).map_err(|e| {
                    let _ = std::fs::remove_dir_all(&staging);
                    swap_error(e)
                })?;
                if let Err(e) = std::fs::rename(&staging, &self.target) {
                    let _ = std::fs::rename(&old, &self.target);
                    let _ = std::fs::remove_dir_all(&staging);
                    return Err(swap_error(e));
                }
                let _ = std::fs::remove_dir_all(&old);
                return Ok(self.target.clone());
            }
        }
        // After the exchange, the staging path holds the previous reports.
        let _ = std::fs::remove_dir_all(&staging);
        Ok(self.target.clone())
    }
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
