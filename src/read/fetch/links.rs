//! A links file: one URL a line (blank lines and `#` comments skipped), or a CSV with a header
//! row naming a `url` column (and optionally `id`, `title`, `date`, `lang`, `outlet`, which are
//! kept with the saved page and win over the page's own metadata).

use sha2::{Digest, Sha256};

/// One link to fetch, with what the links file says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The URL as listed.
    pub url: String,
    /// The line of the links file it is on (1-based), for warnings.
    pub line: usize,
    /// An id given by the links file (`id` column), else none: one is made from the URL.
    pub id: Option<String>,
    /// Values given by the links file (`title`, `date`, `lang`, `outlet`).
    pub given: Vec<(String, String)>,
}

/// A line of the links file that is not a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// Its line number (1-based).
    pub line: usize,
    /// What is wrong with it.
    pub reason: String,
}

/// The columns of a CSV links file that travel with the page.
const GIVEN_COLUMNS: &[&str] = &["title", "date", "lang", "outlet"];

/// The links of a links file's text, and the lines that are no links. A link listed twice is
/// kept once.
pub fn parse(text: &str) -> (Vec<Link>, Vec<BadLine>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or_default();
    let is_csv = first
        .split([',', ';', '\t'])
        .any(|c| c.trim().trim_matches('"').eq_ignore_ascii_case("url"));
    let (links, bad) = if is_csv {
        parse_csv(text)
    } else {
        parse_lines(text)
    };
    let mut seen = std::collections::BTreeSet::new();
    let links = links
        .into_iter()
        .filter(|l| seen.insert(l.url.clone()))
        .collect();
    (links, bad)
}

fn parse_lines(text: &str) -> (Vec<Link>, Vec<BadLine>) {
    let (mut links, mut bad) = (Vec::new(), Vec::new());
    for (n, line) in text.lines().enumerate() {
        let url = line.trim();
        if url.is_empty() || url.starts_with('#') {
            continue;
        }
        match check_url(url) {
            Ok(()) => links.push(Link {
                url: url.to_string(),
                line: n + 1,
                id: None,
                given: Vec::new(),
            }),
            Err(reason) => bad.push(BadLine {
                line: n + 1,
                reason,
            }),
        }
    }
    (links, bad)
}

fn parse_csv(text: &str) -> (Vec<Link>, Vec<BadLine>) {
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| {
            text.lines()
                .next()
                .unwrap_or_default()
                .bytes()
                .filter(|b| b == d)
                .count()
        })
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_ascii_lowercase()).collect(),
        Err(e) => {
            return (
                Vec::new(),
                vec![BadLine {
                    line: 1,
                    reason: format!("not a CSV header row ({e})"),
                }],
            )
        }
    };
    let column = |name: &str| headers.iter().position(|h| h == name);
    let url_column = column("url").unwrap_or(0);
    let (mut links, mut bad) = (Vec::new(), Vec::new());
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                bad.push(BadLine {
                    line,
                    reason: format!("not a CSV row ({e})"),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let url = record.get(url_column).unwrap_or_default().trim();
        if url.is_empty() {
            continue;
        }
        if let Err(reason) = check_url(url) {
            bad.push(BadLine { line, reason });
            continue;
        }
        let value = |name: &str| {
            column(name)
                .and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        links.push(Link {
            url: url.to_string(),
            line,
            id: value("id"),
            given: GIVEN_COLUMNS
                .iter()
                .filter_map(|c| value(c).map(|v| (c.to_string(), v)))
                .collect(),
        });
    }
    (links, bad)
}

/// An http(s) URL with a host and no whitespace; anything else is refused with the reason.
fn check_url(url: &str) -> Result<(), String> {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"))
        .ok_or_else(|| format!("{url:?} is not an http(s) URL"))?;
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("{url:?} contains spaces or control characters"));
    }
    if host_of_rest(rest).is_empty() {
        return Err(format!("{url:?} names no host"));
    }
    Ok(())
}

fn host_of_rest(rest: &str) -> &str {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    if let Some(v6) = host_port.strip_prefix('[') {
        return v6.split(']').next().unwrap_or_default();
    }
    host_port.split(':').next().unwrap_or_default()
}

/// The host of an http(s) URL, lower-case ("" when there is none): requests to one host are
/// made one at a time.
pub fn host(url: &str) -> String {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"))
        .unwrap_or(&lower);
    host_of_rest(rest).to_string()
}

/// The file name (without `.html`) a link is saved under: the links file's `id` (made safe),
/// else the host and path as a slug plus 8 hex digits of the URL's sha256, so the same link
/// always gets the same file (a rerun finds it) and two links never share one.
pub fn file_stem(link: &Link) -> String {
    if let Some(id) = &link.id {
        let safe = slug(id, 100);
        if !safe.is_empty() {
            return safe;
        }
    }
    let lower = link.url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"))
        .unwrap_or(&lower);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    let hash = Sha256::digest(link.url.as_bytes());
    let hex: String = hash[..4].iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{hex}", slug(rest, 80))
}

/// ASCII letters and digits (and `_`), runs of anything else as one `-`, cut to `max` bytes.
fn slug(text: &str, max: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= max {
            break;
        }
    }
    out.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_csv() {
        let (links, bad) = parse(
            "# today's links\nhttps://a.org/x\n\nhttps://a.org/x\nftp://b.org/y\njavascript:alert(1)\nhttp://[::1]:8080/z\n",
        );
        let urls: Vec<&str> = links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, ["https://a.org/x", "http://[::1]:8080/z"]);
        assert_eq!(bad.len(), 2);
        assert_eq!(bad[0].line, 5);
        let (links, bad) =
            parse("id,url,date,lang\nstory1,https://a.org/1,2025-07-04,pt\n,https://a.org/2,,\n");
        assert!(bad.is_empty());
        assert_eq!(links[0].id.as_deref(), Some("story1"));
        assert_eq!(
            links[0].given,
            vec![
                ("date".to_string(), "2025-07-04".to_string()),
                ("lang".to_string(), "pt".to_string())
            ]
        );
        assert_eq!(links[1].given, vec![]);
    }

    #[test]
    fn hosts_and_file_names() {
        assert_eq!(
            host("https://User@WWW.Example.org:443/a?b"),
            "www.example.org"
        );
        assert_eq!(host("http://127.0.0.1:8080/x"), "127.0.0.1");
        let link = |url: &str| Link {
            url: url.into(),
            line: 1,
            id: None,
            given: vec![],
        };
        let a = file_stem(&link("https://www.example.org/2025/07/04/story.html?x=1"));
        assert!(
            a.starts_with("example-org-2025-07-04-story-html-x-1-"),
            "{a}"
        );
        assert_ne!(
            a,
            file_stem(&link("https://www.example.org/2025/07/04/story.html?x=2"))
        );
        let mut given = link("https://a.org/");
        given.id = Some("../../etc/passwd".into());
        assert_eq!(file_stem(&given), "etc-passwd");
    }
}
