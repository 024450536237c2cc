//! `crosscheck fetch` against real HTTP servers started inside the test on loopback addresses
//! (127.0.0.1 and 127.0.0.2; nothing else is contacted): 50 links, every good page saved with
//! its record, every bad one named with its reason, one request at a time per host, and a rerun
//! that fetches no saved page again. The servers answer a bounded number of requests and stop
//! by themselves.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crosscheck::read::fetch::{fetch_all, parse, FetchConfig, FetchError, Outcome};
use crosscheck::read::ingest::{read_drop, IngestConfig};

/// A test server's counters.
#[derive(Default)]
struct Counters {
    requests: AtomicUsize,
    good_requests: AtomicUsize,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

/// Serves the test routes on `ip` (port chosen by the system) for at most 60 seconds and 400
/// connections; returns `http://ip:port` and the counters.
fn serve(ip: &str) -> (String, Arc<Counters>) {
    let listener = TcpListener::bind((ip, 0)).expect("bind a loopback port");
    let base = format!("http://{}", listener.local_addr().unwrap());
    listener.set_nonblocking(true).unwrap();
    let counters = Arc::new(Counters::default());
    let c = counters.clone();
    let own = base.clone();
    std::thread::spawn(move || {
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut served = 0;
        while Instant::now() < deadline && served < 400 {
            match listener.accept() {
                Ok((stream, _)) => {
                    served += 1;
                    let c = c.clone();
                    let own = own.clone();
                    std::thread::spawn(move || handle(stream, &c, &own));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(5)),
            }
        }
    });
    (base, counters)
}

fn article(n: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Story {n}</title>\
         <meta property=\"og:site_name\" content=\"Loopback News\">\
         <meta property=\"article:published_time\" content=\"2026-07-29T10:00:00Z\"></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav><article><h1>Story {n}</h1>\
         <p>The harbour of Velmar reopened on Monday after a storm closed it for three days, the \
         harbour authority said in its statement number {n}.</p><p>About 40 ships had waited \
         outside the breakwater since Friday, and the first ferry left at dawn with 320 \
         passengers on board.</p></article></body></html>"
    )
}

fn handle(mut stream: TcpStream, c: &Counters, base: &str) {
    let now = c.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    c.max_in_flight.fetch_max(now, Ordering::SeqCst);
    c.requests.fetch_add(1, Ordering::SeqCst);
    stream.set_nonblocking(false).ok();
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    reader.read_line(&mut request).ok();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
    let respond = |stream: &mut TcpStream, status: &str, headers: &str, body: &[u8]| {
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\nDate: Wed, 29 Jul 2026 10:00:00 GMT\r\n{headers}\r\n",
            body.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(body);
    };
    std::thread::sleep(Duration::from_millis(20));
    // Counted from the request to the answer's first byte: a client that gave up on a long
    // answer has moved on while the server still writes it.
    c.in_flight.fetch_sub(1, Ordering::SeqCst);
    if let Some(n) = path.strip_prefix("/good/") {
        c.good_requests.fetch_add(1, Ordering::SeqCst);
        respond(
            &mut stream,
            "200 OK",
            "Content-Type: text/html; charset=utf-8\r\n",
            article(n).as_bytes(),
        );
    } else if let Some(n) = path.strip_prefix("/redirect/") {
        respond(
            &mut stream,
            "302 Found",
            &format!("Location: {base}/good/{n}\r\n"),
            b"",
        );
    } else if path == "/loop" {
        respond(&mut stream, "302 Found", "Location: /loop\r\n", b"");
    } else if path == "/missing" {
        respond(
            &mut stream,
            "404 Not Found",
            "Content-Type: text/html\r\n",
            b"<h1>not here</h1>",
        );
    } else if path == "/error" {
        respond(&mut stream, "500 Internal Server Error", "", b"oops");
    } else if path == "/pdf" {
        respond(
            &mut stream,
            "200 OK",
            "Content-Type: application/pdf\r\n",
            b"%PDF-1.4 ...",
        );
    } else if path == "/big" {
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000000\r\nConnection: close\r\n\r\n<html>");
    } else if path == "/big-unsized" {
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<html><body>",
        );
        let chunk = vec![b'a'; 64 * 1024];
        for _ in 0..40 {
            if stream.write_all(&chunk).is_err() {
                break;
            }
        }
    } else if path == "/slow" {
        std::thread::sleep(Duration::from_secs(4));
        respond(
            &mut stream,
            "200 OK",
            "Content-Type: text/html\r\n",
            article("slow").as_bytes(),
        );
    } else if path == "/latin1" {
        let mut body =
            b"<html><head><title>Cora\xe7\xe3o</title></head><body><article><p>".to_vec();
        body.extend(b"S\xe3o Paulo recebeu na segunda-feira os primeiros navios depois da tempestade que fechou o porto durante tr\xeas dias, disse a autoridade portu\xe1ria.</p><p>Cerca de 40 navios esperavam desde sexta-feira.</p></article></body></html>");
        respond(
            &mut stream,
            "200 OK",
            "Content-Type: text/html; charset=windows-1252\r\n",
            &body,
        );
    } else {
        respond(&mut stream, "404 Not Found", "", b"");
    }
}

fn config() -> FetchConfig {
    FetchConfig {
        timeout: Duration::from_secs(2),
        max_bytes: 1_000_000,
        max_redirects: 3,
        parallel: 4,
        ..FetchConfig::default()
    }
}

#[test]
fn fifty_links_every_good_page_saved_every_bad_one_named_and_a_rerun_fetches_nothing() {
    let (a, ca) = serve("127.0.0.1");
    let (b, cb) = serve("127.0.0.2");
    let mut lines = vec!["# links of the test".to_string()];
    for n in 0..20 {
        lines.push(format!("{a}/good/a{n}"));
    }
    for n in 0..16 {
        lines.push(format!("{b}/good/b{n}"));
    }
    for n in 0..3 {
        lines.push(format!("{a}/redirect/r{n}"));
    }
    lines.push(format!("{b}/latin1"));
    let bad = [
        "/missing",
        "/error",
        "/pdf",
        "/big",
        "/big-unsized",
        "/slow",
        "/loop",
    ];
    for path in bad {
        lines.push(format!("{a}{path}"));
    }
    lines.push("http://127.0.0.1:1/refused".into());
    lines.push("ftp://127.0.0.1/not-http".into());
    lines.push(format!("{a}/good/a0")); // listed twice: fetched once
    let (links, bad_lines) = parse(&lines.join("\n"));
    assert_eq!(bad_lines.len(), 1, "the ftp line");
    assert_eq!(
        links.len(),
        48,
        "50 links less the ftp one and the repeated one"
    );

    let drop = tempfile::tempdir().unwrap();
    let report = fetch_all(links.clone(), drop.path(), &config(), &|_, _| {});
    assert_eq!(report.saved(), 40);
    assert_eq!(report.failed(), 8);
    let reason = |suffix: &str| {
        report
            .results
            .iter()
            .find(|(l, _)| l.url.ends_with(suffix))
            .map(|(_, o)| match o {
                Outcome::Failed(e) => e.to_string(),
                other => format!("{other:?}"),
            })
            .unwrap()
    };
    assert!(reason("/missing").contains("404"), "{}", reason("/missing"));
    assert!(reason("/error").contains("500"));
    assert!(reason("/pdf").contains("not an HTML page"));
    assert!(
        reason("/big").contains("larger than 1.0 MB"),
        "{}",
        reason("/big")
    );
    assert!(
        reason("/big-unsized").contains("larger than"),
        "{}",
        reason("/big-unsized")
    );
    assert!(reason("/slow").contains("timeout"), "{}", reason("/slow"));
    assert!(reason("/loop").contains("redirects"), "{}", reason("/loop"));
    assert!(
        reason("/refused").contains("connect"),
        "{}",
        reason("/refused")
    );
    assert!(report
        .results
        .iter()
        .any(|(_, o)| matches!(o, Outcome::Failed(FetchError::Timeout { .. }))));
    assert_eq!(
        ca.max_in_flight.load(Ordering::SeqCst),
        1,
        "one request at a time per host"
    );
    assert_eq!(
        cb.max_in_flight.load(Ordering::SeqCst),
        1,
        "one request at a time per host"
    );

    // The saved pages carry their record and read as articles.
    let saved: Vec<_> = std::fs::read_dir(drop.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(saved.len(), 40);
    let redirected = report
        .results
        .iter()
        .find_map(|(l, o)| match o {
            Outcome::Saved(p) if l.url.ends_with("/redirect/r1") => Some(p.clone()),
            _ => None,
        })
        .unwrap();
    let head = String::from_utf8_lossy(&std::fs::read(&redirected).unwrap()[..300]).into_owned();
    assert!(
        head.starts_with("<!-- saved by crosscheck fetch\n"),
        "{head}"
    );
    assert!(
        head.contains(&format!("final-url: {a}/good/r1\n")),
        "{head}"
    );
    assert!(
        head.contains("http-date: Wed, 29 Jul 2026 10:00:00 GMT\n"),
        "{head}"
    );
    assert!(
        head.contains("content-type: text/html; charset=utf-8\n"),
        "{head}"
    );
    let read = read_drop(drop.path(), &IngestConfig::default()).unwrap();
    assert_eq!(read.articles.len(), 40, "{:?}", read.warnings);
    let r1 = read
        .articles
        .iter()
        .find(|a| a.body().contains("number r1"))
        .unwrap();
    assert_eq!(r1.url.as_deref(), Some(format!("{a}/good/r1").as_str()));
    assert_eq!(r1.outlet.as_deref(), Some("Loopback News"));
    let latin = read
        .articles
        .iter()
        .find(|a| a.body().contains("Paulo"))
        .unwrap();
    assert!(
        latin.body().contains("São Paulo"),
        "charset of the response: {}",
        latin.body()
    );

    // A rerun fetches none of the saved pages again.
    let before = ca.good_requests.load(Ordering::SeqCst) + cb.good_requests.load(Ordering::SeqCst);
    let again = fetch_all(links, drop.path(), &config(), &|_, _| {});
    assert_eq!(again.already_saved(), 40);
    assert_eq!(again.saved(), 0);
    let after = ca.good_requests.load(Ordering::SeqCst) + cb.good_requests.load(Ordering::SeqCst);
    assert_eq!(before, after, "no saved page was fetched again");
}

#[test]
fn the_command_names_each_failed_link_and_goes_on() {
    let (a, _) = serve("127.0.0.1");
    let dir = tempfile::tempdir().unwrap();
    let links = dir.path().join("links.csv");
    std::fs::write(
        &links,
        format!("url,date,lang,title\n{a}/good/x,2026-08-02,en,Given title\n{a}/missing,,,\n"),
    )
    .unwrap();
    let into = dir.path().join("drop");
    let args = [
        "--quiet",
        "fetch",
        links.to_str().unwrap(),
        "--into",
        into.to_str().unwrap(),
        "--timeout-s",
        "2",
    ];
    let (code, stdout, stderr) = common::crosscheck(&args);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "warning: {a}/missing: not fetched: the server answered 404"
        )),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stdout.contains("1 pages fetched, 0 already in"), "{stdout}");
    let page = std::fs::read_dir(&into)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let (code, text, _) = common::crosscheck(&["extract", page.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        text.starts_with("title: Given title\ndate: 2026-08-02\nlang: en\n"),
        "{text}"
    );
    let (_, stdout, _) = common::crosscheck(&args);
    assert!(stdout.contains("0 pages fetched, 1 already in"), "{stdout}");
    let (code, _, stderr) = common::crosscheck(&[
        "fetch",
        Path::new("/nonexistent/links").to_str().unwrap(),
        "--into",
        into.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stderr}");
}
