//! Everything crosscheck writes to disk goes through here: atomic file writes, the CSV
//! conventions of the reports (header always, spreadsheet-safe cells), sha256 hashing, and the
//! report set that replaces a drop's reports as a whole.
//!
//! ```
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("hello.txt");
//! crosscheck::io::write_atomically(&path, |tmp| std::fs::write(tmp, "hi")).unwrap();
//! assert_eq!(std::fs::read_to_string(&path).unwrap(), "hi");
//! assert_eq!(crosscheck::io::sha256_hex(b"hi").len(), 64);
//! ```

mod atomic;
mod csv;
mod hash;
pub mod interrupt;
pub mod progress;
mod report_set;

pub use self::atomic::{write_atomically, WriteError};
pub use self::csv::{write_csv, Cell, CELL_LIMIT};
pub use self::hash::{file_sha256, sha256_hex};
pub use self::report_set::{ReportSet, ReportSetError};
