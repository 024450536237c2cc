//! An SQLite archive that cannot be written (a read-only folder or file) is refused before any
//! work, with the cause and the fix, instead of SQLite's bare "Error code 14".

use std::path::{Path, PathBuf};

/// The archive file or its folder cannot be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the archive {path}: permission denied{what}; pass --archive PATH in a folder you can write to, or --no-archive to keep no archive")]
pub struct ArchiveNotWritable {
    /// The archive file.
    pub path: PathBuf,
    /// What is read-only, when it is the folder (`" (the folder ... is read-only)"`).
    pub what: String,
}

/// Checks that SQLite can write `path`: the file, if it exists, and its folder (where SQLite
/// creates its journal); a read-only file system counts as denied. Other errors (a missing
/// folder) are left for SQLite to report.
pub fn check_writable(path: &Path) -> Result<(), ArchiveNotWritable> {
    let denied = |e: &std::io::Error| {
        matches!(
            e.kind(),
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
        )
    };
    if path.exists() {
        if let Err(e) = std::fs::OpenOptions::new().append(true).open(path) {
            if denied(&e) {
                return Err(ArchiveNotWritable {
                    path: path.to_path_buf(),
                    what: String::new(),
                });
            }
        }
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if folder.is_dir() {
        if let Err(e) = tempfile::tempfile_in(folder) {
            if denied(&e) {
                return Err(ArchiveNotWritable {
                    path: path.to_path_buf(),
                    what: format!(" (the folder {} is read-only)", folder.display()),
                });
            }
        }
    }
    Ok(())
}
