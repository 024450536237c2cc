//! Publication dates of timestamps, as web pages and feeds give them in a `date:` header or
//! column.

use crate::domain::PublicationDate;

/// The publication date of a timestamp as web pages and feeds give it: RFC 3339
/// (`2025-07-04T10:30:00Z`, `2025-07-04T10:30:00+02:00`) or ISO 8601 without a zone
/// (`2025-07-04T10:30`, `2025-07-04 10:30:00`). The date is the one written, in the
/// publisher's own time zone.
pub(super) fn timestamp_date(value: &str) -> Option<PublicationDate> {
    let value = value.trim();
    let date = chrono::DateTime::parse_from_rfc3339(value)
        .map(|t| t.date_naive())
        .ok()
        .or_else(|| {
            [
                "%Y-%m-%dT%H:%M:%S%.f",
                "%Y-%m-%dT%H:%M",
                "%Y-%m-%d %H:%M:%S%.f",
                "%Y-%m-%d %H:%M",
            ]
            .iter()
            .find_map(|f| chrono::NaiveDateTime::parse_from_str(value, f).ok())
            .map(|t| t.date())
        })?;
    PublicationDate::parse(&date.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_give_their_date() {
        for (value, date) in [
            ("2025-07-04T10:30:00Z", "2025-07-04"),
            ("2025-07-04T23:30:00-05:00", "2025-07-04"),
            ("2025-07-04T10:30:00.123+02:00", "2025-07-04"),
            ("2025-07-04T10:30", "2025-07-04"),
            ("2025-07-04 10:30:00", "2025-07-04"),
        ] {
            assert_eq!(
                timestamp_date(value).map(|d| d.to_string()).as_deref(),
                Some(date),
                "{value}"
            );
        }
        for value in [
            "2025-07-04",
            "yesterday",
            "2025-13-04T10:30:00Z",
            "1800-01-01T00:00Z",
        ] {
            assert_eq!(timestamp_date(value), None, "{value}");
        }
    }
}
