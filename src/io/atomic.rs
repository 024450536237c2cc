//! Atomic file writes: the content goes to a temporary sibling, which is renamed over the
//! target only once it is complete, so a reader never sees a half-written file.

use std::path::{Path, PathBuf};

/// A file that could not be written; the target is left as it was.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {source}; check that the folder exists, is writable and has space")]
pub struct WriteError {
    /// The file that was to be written.
    pub path: PathBuf,
    /// What went wrong.
    #[source]
    pub source: Box<dyn std::error::Error + Send + Sync>,
}

/// Writes `path` by calling `fill` with a temporary sibling path, then renaming it over
/// `path`; on failure the temporary file is removed and `path` is left untouched.
pub fn write_atomically<E>(
    path: &Path,
    fill: impl FnOnce(&Path) -> Result<(), E>,
) -> Result<(), WriteError>
where
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let error = |source: Box<dyn std::error::Error + Send + Sync>| WriteError {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .permissions(readable_by_all(0o644))
        .tempfile_in(dir)
        .map_err(|e| error(e.into()))?;
    fill(tmp.path()).map_err(|e| error(e.into()))?;
    tmp.persist(path).map_err(|e| error(e.error.into()))?;
    Ok(())
}

/// Permissions `mode` (less the umask, as for any new file): reports are for everyone to read,
/// not private like tempfile's default.
pub(super) fn readable_by_all(mode: u32) -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    std::fs::Permissions::from_mode(mode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_fill_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, "old").unwrap();
        let err = write_atomically(&path, |tmp| {
            std::fs::write(tmp, "half")?;
            Err(std::io::Error::other("disk full"))
        })
        .unwrap_err();
        assert!(err.to_string().contains("a.csv"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
