//! `crosscheck fetch`: the pages of a links file saved into a drop, so that a run reads them
//! offline and a rerun reads the same bytes. Each link is fetched once over HTTP(S) with a
//! timeout, a size cap, redirects followed to a limit and a user agent that names crosscheck,
//! a few at a time and never two at once from one host. A page is saved as `<stem>.html`
//! ([`links::file_stem`]) behind a comment block that records the link, the final URL, the
//! response's date and content type and the values the links file gave
//! ([`crate::read::ingest::html::FETCH_MARK`]); a link whose file is already in the drop is not
//! fetched again. A link that fails is reported with its reason and the rest go on.

pub mod links;

use std::collections::{BTreeSet, VecDeque};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::io::{write_atomically, WriteError};
use crate::read::ingest::html::FETCH_MARK;

pub use self::links::{parse, BadLine, Link};

/// How pages are fetched.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// Longest a request may take, from connecting to the last byte.
    pub timeout: Duration,
    /// Largest page saved, in bytes; a bigger one is refused.
    pub max_bytes: u64,
    /// Redirects followed before giving up.
    pub max_redirects: u32,
    /// Requests at a time (to different hosts).
    pub parallel: usize,
    /// The `User-Agent` header.
    pub user_agent: String,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            timeout: Duration::from_secs(30),
            max_bytes: crate::read::ingest::DEFAULT_MAX_FILE_BYTES,
            max_redirects: 5,
            parallel: 4,
            user_agent: format!(
                "crosscheck/{} (fact-checking article fetcher; one request per host at a time)",
                env!("CARGO_PKG_VERSION")
            ),
        }
    }
}

/// Why one link was not saved.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The server answered with an error status.
    #[error("the server answered {code} {text}")]
    Status {
        /// The HTTP status.
        code: u16,
        /// Its reason phrase.
        text: String,
    },
    /// Not a web page (a PDF, an image, JSON, ...).
    #[error("not an HTML page (content type {content_type}); save the article as a page or text")]
    NotHtml {
        /// The response's content type.
        content_type: String,
    },
    /// Larger than the size cap.
    #[error("larger than {limit_mb:.1} MB; raise --max-mb to fetch it")]
    TooBig {
        /// The cap in MB.
        limit_mb: f64,
    },
    /// No answer in time.
    #[error("no complete answer within {seconds} s (timeout); try again or raise --timeout-s")]
    Timeout {
        /// The timeout in seconds.
        seconds: u64,
    },
    /// More redirects than allowed.
    #[error("more than {limit} redirects")]
    TooManyRedirects {
        /// The limit.
        limit: u32,
    },
    /// DNS, TLS, a refused or reset connection, a malformed answer.
    #[error("{0}")]
    Network(String),
    /// The page could not be saved.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// What happened to one link.
#[derive(Debug)]
pub enum Outcome {
    /// Fetched now and saved there.
    Saved(PathBuf),
    /// Already in the drop (saved by an earlier fetch): not fetched.
    AlreadySaved(PathBuf),
    /// Not saved, and why.
    Failed(FetchError),
}

/// What a fetch did, per link in the order of the links file.
#[derive(Debug, Default)]
pub struct FetchReport {
    /// Each link and its outcome.
    pub results: Vec<(Link, Outcome)>,
}

impl FetchReport {
    /// How many links were fetched and saved now.
    pub fn saved(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Saved(_)))
    }

    /// How many were already in the drop.
    pub fn already_saved(&self) -> usize {
        self.count(|o| matches!(o, Outcome::AlreadySaved(_)))
    }

    /// How many failed.
    pub fn failed(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Failed(_)))
    }

    fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.results.iter().filter(|(_, o)| f(o)).count()
    }
}

/// The links not yet taken and the hosts being fetched from now.
struct Queue {
    pending: VecDeque<(usize, Link)>,
    busy_hosts: BTreeSet<String>,
}

/// Fetches every link into the folder `into` (which must exist); `done` is called after each
/// link (for a progress bar). Links whose file is already there are not fetched.
pub fn fetch_all(
    links: Vec<Link>,
    into: &Path,
    config: &FetchConfig,
    done: &(dyn Fn(&Link, &Outcome) + Sync),
) -> FetchReport {
    let agent = ureq::AgentBuilder::new()
        .timeout(config.timeout)
        .redirects(config.max_redirects)
        .user_agent(&config.user_agent)
        .build();
    let count = links.len();
    let queue = Mutex::new(Queue {
        pending: links.into_iter().enumerate().collect(),
        busy_hosts: BTreeSet::new(),
    });
    let freed = Condvar::new();
    let results: Mutex<Vec<Option<(Link, Outcome)>>> =
        Mutex::new((0..count).map(|_| None).collect());
    let workers = config.parallel.clamp(1, 64).min(count.max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let Some((index, link)) = take(&queue, &freed) else {
                    return;
                };
                let outcome = fetch_one(&agent, &link, into, config);
                done(&link, &outcome);
                {
                    let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
                    q.busy_hosts.remove(&links::host(&link.url));
                }
                freed.notify_all();
                let mut r = results.lock().unwrap_or_else(|e| e.into_inner());
                r[index] = Some((link, outcome));
            });
        }
    });
    FetchReport {
        results: results
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .flatten()
            .collect(),
    }
}

/// The next link whose host is not being fetched from (waiting until one is free); `None`
/// when no link is left.
fn take(queue: &Mutex<Queue>, freed: &Condvar) -> Option<(usize, Link)> {
    let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        if q.pending.is_empty() {
            return None;
        }
        let free = q
            .pending
            .iter()
            .position(|(_, l)| !q.busy_hosts.contains(&links::host(&l.url)));
        if let Some(at) = free {
            let (index, link) = q.pending.remove(at)?;
            q.busy_hosts.insert(links::host(&link.url));
            return Some((index, link));
        }
        q = freed.wait(q).unwrap_or_else(|e| e.into_inner());
    }
}

/// The path a link is saved to in `into`.
pub fn saved_path(link: &Link, into: &Path) -> PathBuf {
    into.join(format!("{}.html", links::file_stem(link)))
}

fn fetch_one(agent: &ureq::Agent, link: &Link, into: &Path, config: &FetchConfig) -> Outcome {
    let path = saved_path(link, into);
    if path.is_file() {
        return Outcome::AlreadySaved(path);
    }
    match download(agent, link, config) {
        Ok(page) => match save(&path, link, &page) {
            Ok(()) => Outcome::Saved(path),
            Err(e) => Outcome::Failed(e.into()),
        },
        Err(e) => Outcome::Failed(e),
    }
}

/// A fetched page and the response headers that are kept.
struct Fetched {
    final_url: String,
    http_date: Option<String>,
    content_type: String,
    body: Vec<u8>,
}

fn download(agent: &ureq::Agent, link: &Link, config: &FetchConfig) -> Result<Fetched, FetchError> {
    let response = agent
        .get(&link.url)
        .set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1")
        .call()
        .map_err(|e| request_error(e, config))?;
    let content_type = response.header("Content-Type").unwrap_or("").to_string();
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if !(mime.is_empty() || mime == "text/html" || mime == "application/xhtml+xml") {
        return Err(FetchError::NotHtml { content_type });
    }
    let too_big = || FetchError::TooBig {
        limit_mb: config.max_bytes as f64 / 1e6,
    };
    let declared: Option<u64> = response
        .header("Content-Length")
        .and_then(|v| v.trim().parse().ok());
    if declared.is_some_and(|n| n > config.max_bytes) {
        return Err(too_big());
    }
    let final_url = response.get_url().to_string();
    let http_date = response.header("Date").map(str::to_string);
    let mut body = Vec::new();
    response
        .into_reader()
        .take(config.max_bytes + 1)
        .read_to_end(&mut body)
        .map_err(|e| io_error(&e, config))?;
    if body.len() as u64 > config.max_bytes {
        return Err(too_big());
    }
    if mime.is_empty() && !looks_like_html(&body) {
        return Err(FetchError::NotHtml {
            content_type: "none given, and the body is no HTML".into(),
        });
    }
    Ok(Fetched {
        final_url,
        http_date,
        content_type,
        body,
    })
}

fn looks_like_html(body: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&body[..body.len().min(1024)]).to_ascii_lowercase();
    head.contains("<html") || head.contains("<!doctype html") || head.contains("<body")
}

fn request_error(error: ureq::Error, config: &FetchConfig) -> FetchError {
    match error {
        ureq::Error::Status(code, response) => FetchError::Status {
            code,
            text: response.status_text().to_string(),
        },
        ureq::Error::Transport(t) => match t.kind() {
            ureq::ErrorKind::TooManyRedirects => FetchError::TooManyRedirects {
                limit: config.max_redirects,
            },
            _ if is_timeout(&t.to_string()) => FetchError::Timeout {
                seconds: config.timeout.as_secs(),
            },
            ureq::ErrorKind::Dns => FetchError::Network(format!("host not found (DNS): {t}")),
            ureq::ErrorKind::ConnectionFailed => {
                FetchError::Network(format!("cannot connect: {t}"))
            }
            _ => FetchError::Network(t.to_string()),
        },
    }
}

fn io_error(error: &std::io::Error, config: &FetchConfig) -> FetchError {
    if matches!(
        error.kind(),
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
    ) || is_timeout(&error.to_string())
    {
        FetchError::Timeout {
            seconds: config.timeout.as_secs(),
        }
    } else {
        FetchError::Network(format!("the answer broke off: {error}"))
    }
}

fn is_timeout(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    m.contains("timed out") || m.contains("timeout")
}

/// A header value safe inside the comment block: one line, no `--`, ASCII controls dropped.
fn comment_safe(value: &str) -> String {
    let one_line: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    one_line.replace("--", "- -").replace('>', "%3E")
}

/// Writes the page with its record block, atomically (a kill never leaves half a page that a
/// rerun would take for a saved one).
fn save(path: &Path, link: &Link, page: &Fetched) -> Result<(), WriteError> {
    let mut block = format!("{FETCH_MARK}\n");
    let mut line = |key: &str, value: &str| {
        block.push_str(&format!("{key}: {}\n", comment_safe(value)));
    };
    line("link", &link.url);
    line("final-url", &page.final_url);
    if let Some(date) = &page.http_date {
        line("http-date", date);
    }
    if !page.content_type.is_empty() {
        line("content-type", &page.content_type);
    }
    for (key, value) in &link.given {
        line(&format!("given-{key}"), value);
    }
    block.push_str("-->\n");
    let mut bytes = block.into_bytes();
    bytes.extend_from_slice(&page.body);
    write_atomically(path, |tmp| std::fs::write(tmp, &bytes))
}
