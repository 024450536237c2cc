//! Where an archive lives, as `--archive` gives it: a PostgreSQL URL (`postgres://` or
//! `postgresql://`, libpq's URL form) or else the path of an SQLite file.

use std::path::{Path, PathBuf};

/// An archive's location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// An SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL database URL.
    Postgres(String),
}

impl Location {
    /// A URL that starts with `postgres://` or `postgresql://` is PostgreSQL, anything else is
    /// the path of an SQLite file.
    pub fn parse(given: &Path) -> Self {
        match given.to_str() {
            Some(s) if s.starts_with("postgres://") || s.starts_with("postgresql://") => {
                Location::Postgres(s.to_string())
            }
            _ => Location::Sqlite(given.to_path_buf()),
        }
    }

    /// The location for messages: the path, or the URL with its password replaced by `***`.
    pub fn display(&self) -> String {
        match self {
            Location::Sqlite(path) => path.display().to_string(),
            Location::Postgres(url) => redact(url),
        }
    }
}

/// `url` with the password of its user part (`user:password@`) replaced by `***`, and any
/// `password=` query parameter too.
pub(super) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((user, host)) => match user.split_once(':') {
            Some((name, _)) => format!("{name}:***@{host}"),
            None => authority.to_string(),
        },
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|p| match p.split_once('=') {
                    Some(("password", _)) => "password=***".to_string(),
                    _ => p.to_string(),
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => tail.to_string(),
    };
    format!("{scheme}://{authority}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_postgres_and_the_rest_are_files() {
        assert_eq!(
            Location::parse("postgresql://u@/db?host=/tmp/s".as_ref()),
            Location::Postgres("postgresql://u@/db?host=/tmp/s".into())
        );
        assert_eq!(
            Location::parse("reports/archive.sqlite".as_ref()),
            Location::Sqlite("reports/archive.sqlite".into())
        );
        assert!(matches!(
            Location::parse("postgres:/x".as_ref()),
            Location::Sqlite(_)
        ));
    }

    #[test]
    fn passwords_are_never_shown() {
        assert_eq!(
            redact("postgres://ann:secret@db.example:5432/news"),
            "postgres://ann:***@db.example:5432/news"
        );
        assert_eq!(
            redact("postgresql://ann@/news?host=/s&password=secret&port=1"),
            "postgresql://ann@/news?host=/s&password=***&port=1"
        );
        assert_eq!(redact("postgresql:///news"), "postgresql:///news");
    }
}
