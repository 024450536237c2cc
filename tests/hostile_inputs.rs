//! Hostile and broken input, end to end with the release binary and the real models: every case
//! is built in a temp folder beside two good articles; the run must not crash or hang, must name
//! the bad file in a one-line warning (or refuse a bad option with exit status 2), and the good
//! articles' reports must be complete. README: "What crosscheck does with bad input".

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn crosscheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A drop folder holding copies of two seed articles (pt and en, about one call).
fn drop_with_good_articles(root: &Path) -> PathBuf {
    let drop = root.join("drop");
    std::fs::create_dir_all(&drop).unwrap();
    for seed in ["000_fb869e7f90e41ed4.txt", "003_695f938456953354.txt"] {
        std::fs::copy(Path::new("data/seeds").join(seed), drop.join(seed)).unwrap();
    }
    drop
}

fn run(drop: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "--quiet",
        "run",
        drop.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    crosscheck(&args)
}

/// The warning line naming `file`, if any.
fn warning<'a>(stderr: &'a str, file: &str) -> Option<&'a str> {
    stderr
        .lines()
        .find(|l| l.starts_with("warning:") && l.contains(file))
}

fn assert_reports_complete(dir: &Path) {
    for (file, header) in [
        ("claims.csv", "article,sentence,"),
        ("pairs.csv", "pair,conflict_rank,"),
        ("conflicts.csv", "rank,reason,same_event,"),
        ("facts.csv", "fact,label,value_type,"),
        ("summary.csv", "article,language,"),
    ] {
        let text = std::fs::read_to_string(dir.join(file))
            .unwrap_or_else(|e| panic!("{file} missing in {}: {e}", dir.display()));
        assert!(text.starts_with(header), "{file} has no header row");
    }
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("run.json")).unwrap()).unwrap();
    assert!(record["timings"].is_array());
}

/// Every bad file of the issue in one drop, beside the good articles: one run, exit 0, a
/// warning naming each bad file, and complete reports.
#[test]
fn a_drop_full_of_bad_files_still_reports_the_good_articles() {
    let root = tempfile::tempdir().unwrap();
    let drop = drop_with_good_articles(root.path());
    let write = |name: &str, bytes: &[u8]| std::fs::write(drop.join(name), bytes).unwrap();
    let starts = [
        (
            "pt2.txt",
            "Também concordamos em uma reunião entre nossas equipes.",
        ),
        (
            "fr2.txt",
            "Élysée a confirmé l'appel vendredi soir, selon la présidence.",
        ),
        (
            "ru.txt",
            "Президент США провел телефонный разговор в пятницу.",
        ),
        ("el.txt", "Ο πρόεδρος μίλησε στο τηλέφωνο την Παρασκευή."),
        ("ar.txt", "تحدث الرئيس عبر الهاتف يوم الجمعة مع نظيره."),
        ("zh.txt", "总统周五与乌克兰总统通了电话，讨论了防空问题。"),
        (
            "th.txt",
            "ประธานาธิบดีพูดคุยทางโทรศัพท์กับผู้นำยูเครนในวันศุกร์เรื่องการป้องกันทางอากาศ",
        ),
        ("he.txt", "הנשיא שוחח בטלפון ביום שישי עם נשיא אוקראינה."),
        ("hi.txt", "राष्ट्रपति ने शुक्रवार को यूक्रेन के नेता से फोन पर बात की।"),
    ];
    for (name, text) in starts {
        write(name, text.as_bytes());
    }
    write("=HYPERLINK(x).txt", b"=HYPERLINK(\"http://evil.example\",\"click\") said the minister on Friday.\n+cmd|' /C calc'!A0 is what the second line says here.\n@SUM(A1:A9) and more words follow.");
    write("cr.txt", b"title: Mac line ends\rdate: 2025-07-04\r\rThe president spoke on Friday with his counterpart.\rThey discussed air defence.");
    let mut bad_utf8 = "Zelensky saudou uma conversa frutífera com o presidente, na sexta-feira. "
        .as_bytes()
        .to_vec();
    bad_utf8.extend([0xFF, 0xFE, 0x80, 0x81, 0x82]);
    bad_utf8.extend(" A ligação durou quarenta minutos, disse a presidência.".as_bytes());
    write("badbytes.txt", &bad_utf8);
    write(
        "bom.txt",
        "\u{feff}O presidente falou com o líder ucraniano na sexta-feira à noite.".as_bytes(),
    );
    write(
        "nul.txt",
        b"The call lasted forty minutes\0 and covered air defence, officials said.",
    );
    write(
        "fake.txt",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n",
    );
    write(
        "langxx.txt",
        b"lang: xx\n\nThe two leaders spoke by phone about air defence.",
    );
    write(
        "duplicate.txt",
        b"date: 2025-07-04\ndate: 2025-07-05\n\nThe two leaders spoke by phone about air defence.",
    );
    write(
        "json.txt",
        br#"{"title": "Trump call", "text": "The two leaders spoke."}"#,
    );
    write(
        "code.txt",
        b"fn main() {\n    let x = 1;\n    println!(\"{x}\");\n}\n",
    );
    write("unterminated.csv", b"id,lang,text\nm1,en,\"The leaders spoke on Friday about defence.\"\nm2,en,\"This quote is never closed.\nm3,en,Third row.\n");
    write("empty.csv", b"id,text\n");
    write(".hidden.txt", b"A hidden note that is not an article.");
    write("long.txt", "word ".repeat(3_000).as_bytes());
    write("big.txt", &vec![b'a'; 1_500_000]);
    std::fs::create_dir(drop.join("sub")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", drop.join("zero.txt")).unwrap();
    let fifo = drop.join("fifo.txt");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());

    let out_dir = root.path().join("out");
    let out = run(
        &drop,
        &out_dir,
        &["--max-file-mb", "1", "--max-pairs", "20"],
    );
    let err = stderr(&out);
    assert_eq!(code(&out), 0, "{err}");
    for (file, says) in [
        ("fifo.txt", "not a regular file"),
        ("zero.txt", "not a regular file"),
        ("big.txt", "over the limit"),
        ("badbytes.txt", "5 invalid UTF-8 byte"),
        ("nul.txt", "NUL byte"),
        ("fake.txt", "PDF"),
        ("langxx.txt", "\"xx\""),
        ("duplicate.txt", "more than once"),
        ("json.txt", "JSON"),
        ("code.txt", "source code"),
        ("unterminated.csv", "never closed"),
        ("empty.csv", "without rows"),
        (".hidden.txt", "hidden"),
        ("sub", "folder inside the drop"),
        ("long.txt", "cut into"),
    ] {
        let line = warning(&err, file).unwrap_or_else(|| panic!("no warning for {file}:\n{err}"));
        assert!(line.contains(says), "{file}: {line}");
    }
    let reports = out_dir.join("drop");
    assert_reports_complete(&reports);
    let claims = std::fs::read_to_string(reports.join("claims.csv")).unwrap();
    for (name, text) in starts {
        let id = name.trim_end_matches(".txt");
        assert!(claims.contains(text), "{id}: its text is not in claims.csv");
    }
    // Thai has no spaces between words: a sentence, not a fragment.
    assert!(
        claims
            .lines()
            .any(|l| l.starts_with("th,") && l.contains(",kept,")),
        "{claims}"
    );
    // CSV injection: ids and sentences that a spreadsheet would run are neutralised.
    assert!(claims.contains("'=HYPERLINK(x)"), "id not neutralised");
    assert!(
        claims.contains("\"'=HYPERLINK(\"\"http://evil.example"),
        "text not neutralised"
    );
    assert!(claims.contains("'+cmd|"), "{claims}");
    assert!(claims.contains("'@SUM(A1:A9)"), "{claims}");
    assert!(!claims.lines().any(|l| l.starts_with('=')));
    // Offsets point into the files as they are on disk (BOM, replaced bytes).
    let mut reader = csv::Reader::from_path(reports.join("claims.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (a, s, e, t) = (
        column("article"),
        column("start"),
        column("end"),
        column("text"),
    );
    for row in reader.records() {
        let row = row.unwrap();
        let (article, start, end, text) = (&row[a], &row[s], &row[e], &row[t]);
        if !["bom", "badbytes", "cr", "000_fb869e7f90e41ed4"].contains(&article) {
            continue;
        }
        let bytes = std::fs::read(drop.join(format!("{article}.txt"))).unwrap();
        let (start, end): (usize, usize) = (start.parse().unwrap(), end.parse().unwrap());
        let on_disk = String::from_utf8_lossy(&bytes[start..end]);
        assert_eq!(on_disk, text, "{article}: offsets {start}..{end}");
    }
    // The manifest rows before the unclosed quote are read; their offsets are byte offsets
    // into the row's text cell.
    assert!(claims.contains("The leaders spoke on Friday about defence."));
    let cell = "The leaders spoke on Friday about defence.";
    let mut reader = csv::Reader::from_path(reports.join("claims.csv")).unwrap();
    let m1: Vec<_> = reader
        .records()
        .map(Result::unwrap)
        .filter(|row| &row[a] == "m1")
        .collect();
    assert!(!m1.is_empty());
    for row in m1 {
        let (start, end): (usize, usize) = (row[s].parse().unwrap(), row[e].parse().unwrap());
        assert_eq!(&cell[start..end], &row[t]);
    }
    // Every text cell of every CSV is neutralised, whatever its column: a field starting with
    // a formula character is a number or has a leading `'`.
    for file in [
        "claims.csv",
        "pairs.csv",
        "conflicts.csv",
        "facts.csv",
        "summary.csv",
    ] {
        let mut reader = csv::Reader::from_path(reports.join(file)).unwrap();
        for row in reader.records() {
            for field in row.unwrap().iter() {
                if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
                    assert!(field.parse::<f64>().is_ok(), "{file}: {field:?}");
                }
            }
        }
    }
    // The lone-CR file's header lines were read as headers, not as its text.
    assert!(!claims.contains("Mac line ends"), "{claims}");
    assert!(claims.contains("The president spoke on Friday with his counterpart."));
}

#[test]
fn bad_options_are_usage_errors() {
    let root = tempfile::tempdir().unwrap();
    let drop = drop_with_good_articles(root.path());
    let out = root.path().join("out");
    for bad in [
        &["--threads", "0"][..],
        &["--top-k", "0"],
        &["--min-similarity", "2"],
        &["--min-similarity", "nan"],
        &["--entailment-threshold", "1.5"],
        &["--contradiction-threshold=-0.1"],
        &["--max-pairs", "0"],
        &["--max-file-mb", "0"],
        &["--max-sentences", "0"],
    ] {
        let mut args = vec![
            "--quiet",
            "run",
            drop.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        if bad[0] == "--threads" {
            args.insert(0, bad[1]);
            args.insert(0, bad[0]);
        } else {
            args.extend(bad);
        }
        let result = crosscheck(&args);
        assert_eq!(code(&result), 2, "{bad:?}: {}", stderr(&result));
        let option = bad[0].split('=').next().unwrap();
        assert!(
            stderr(&result).contains(option),
            "{bad:?}: {}",
            stderr(&result)
        );
    }
}

#[test]
fn reports_are_never_written_into_the_drop() {
    let root = tempfile::tempdir().unwrap();
    let drop = drop_with_good_articles(root.path());
    for out in [
        drop.clone(),
        root.path().to_path_buf(),
        drop.join("reports"),
    ] {
        let result = run(&drop, &out, &[]);
        let err = stderr(&result);
        assert_eq!(code(&result), 2, "--out {}: {err}", out.display());
        assert!(err.contains("outside the drop"), "{err}");
    }
    let names: Vec<_> = std::fs::read_dir(&drop)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn an_unusable_out_or_a_busy_report_folder_is_refused_before_any_work() {
    let root = tempfile::tempdir().unwrap();
    let drop = drop_with_good_articles(root.path());
    let file = root.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let result = run(&drop, &file, &[]);
    assert_eq!(code(&result), 1);
    assert!(stderr(&result).contains("a-file"), "{}", stderr(&result));

    let out = root.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let lock = std::fs::File::create(out.join(".drop.lock")).unwrap();
    lock.lock().unwrap();
    let result = run(&drop, &out, &[]);
    assert_eq!(code(&result), 1);
    assert!(
        stderr(&result).contains("another crosscheck run"),
        "{}",
        stderr(&result)
    );
    assert!(!out.join("drop").exists());
}

#[test]
fn a_drop_without_pairs_still_writes_every_report_with_its_header() {
    let root = tempfile::tempdir().unwrap();
    let drop = root.path().join("one");
    std::fs::create_dir(&drop).unwrap();
    std::fs::copy("data/seeds/003_695f938456953354.txt", drop.join("only.txt")).unwrap();
    let out = root.path().join("out");
    let result = run(&drop, &out, &[]);
    assert_eq!(code(&result), 0, "{}", stderr(&result));
    assert!(warning(&stderr(&result), "one").is_some_and(|l| l.contains("only one article")));
    assert_reports_complete(&out.join("one"));
    let pairs = std::fs::read_to_string(out.join("one/pairs.csv")).unwrap();
    assert_eq!(pairs.lines().count(), 1, "{pairs}");
}

#[test]
fn the_pair_cap_cuts_the_least_similar_pairs_and_says_so() {
    let root = tempfile::tempdir().unwrap();
    let drop = drop_with_good_articles(root.path());
    let out = root.path().join("out");
    let result = run(&drop, &out, &["--max-pairs", "3"]);
    assert_eq!(code(&result), 0, "{}", stderr(&result));
    let err = stderr(&result);
    let line = warning(&err, "drop").expect("a warning about the cut");
    assert!(line.contains("not judged"), "{line}");
    let pairs = std::fs::read_to_string(out.join("drop/pairs.csv")).unwrap();
    assert_eq!(pairs.lines().count(), 4, "{pairs}");
    // A second run replaces the whole set and leaves no staging folder behind; it also sweeps
    // the staging folder a killed run (SIGKILL) left.
    std::fs::create_dir(out.join(".drop.new-Kil1ed")).unwrap();
    std::fs::write(out.join(".drop.new-Kil1ed/claims.csv"), "half").unwrap();
    let again = run(&drop, &out, &["--max-pairs", "3"]);
    assert_eq!(code(&again), 0);
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".new-") || n.ends_with(".old"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

// Cases that only the reading stage decides are checked through the library (no models), so
// each can be built exactly as a user would hand it over and checked quickly.

/// The articles and warnings of a drop holding just `files` (no models).
fn ingest(files: &[(&str, &[u8])]) -> (Vec<crosscheck::domain::Article>, Vec<String>) {
    let root = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(root.path().join(name), bytes).unwrap();
    }
    let read = crosscheck::read::ingest::read_drop(root.path(), &Default::default()).unwrap();
    let warnings = read.warnings.iter().map(|w| w.to_string()).collect();
    (read.articles, warnings)
}

/// Issue 26, bug 1: a JSONL manifest of one row, or of three or more, was refused whole as
/// "JSON" or "source code" (the prose check of `.txt` files also ran on manifests).
#[test]
fn jsonl_manifests_of_any_length_are_read() {
    for rows in [1, 2, 3, 5] {
        let jsonl: String = (1..=rows)
            .map(|i| {
                format!(
                    "{{\"id\":\"j{i}\",\"lang\":\"en\",\"text\":\"The minister said on Friday the talks lasted {} minutes.\"}}\n",
                    30 + i
                )
            })
            .collect();
        let (articles, warnings) = ingest(&[("m.jsonl", jsonl.as_bytes())]);
        assert_eq!(articles.len(), rows, "{rows} rows: {warnings:?}");
        assert!(warnings.is_empty(), "{rows} rows: {warnings:?}");
        assert_eq!(articles[rows - 1].id, format!("j{rows}"));
    }
}

/// Issue 26, bug 2: a row whose quote is never closed swallowed the rows after it without a
/// warning. Now the broken row is skipped and named, and the rows after it are read.
#[test]
fn an_unclosed_csv_quote_skips_its_row_and_reads_the_rest() {
    let csv = "id,lang,text\nm1,en,\"The talks lasted forty minutes on Friday.\"\nm2,de,\"Die Gespräche dauerten vierzig Minuten.\nm3,fr,\"Les discussions ont duré quarante minutes.\"\nm4,es,\"Las conversaciones duraron cuarenta minutos.\"\n";
    let (articles, warnings) = ingest(&[("m.csv", csv.as_bytes())]);
    let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["m1", "m3", "m4"], "{warnings:?}");
    assert_eq!(
        articles[1].body(),
        "Les discussions ont duré quarante minutes."
    );
    assert_eq!(articles[1].declared_language.as_deref(), Some("fr"));
    assert!(articles.iter().all(|a| !a.text.contains("Gespräche")));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("m.csv#row2") && warnings[0].contains("line 3"),
        "{warnings:?}"
    );
    assert!(warnings[0].contains("never closed"), "{warnings:?}");
    assert!(!warnings[0].contains('\n'));

    // The README's case: the quote stays open to the end of the file.
    let csv = "id,lang,text\na,en,\"First article text.\"\nb,en,\"Second one is never closed.\nc,en,Third row here.\n";
    let (articles, warnings) = ingest(&[("m.csv", csv.as_bytes())]);
    let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["a", "c"], "{warnings:?}");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("m.csv#row2"), "{warnings:?}");

    // A quoted cell of several paragraphs is one cell, as RFC 4180 has it.
    let csv = "id,lang,text\na,en,\"First paragraph.\n\nSecond paragraph, with a comma.\"\nb,en,Next row.\n";
    let (articles, warnings) = ingest(&[("m.csv", csv.as_bytes())]);
    assert_eq!(articles.len(), 2, "{warnings:?}");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(articles[0]
        .body()
        .ends_with("Second paragraph, with a comma."));
}

/// Issue 26, bug 3: a first line starting with `URL:` or `Date:` was taken as a header line
/// though no blank line followed it, and the sentence vanished from every report. A header
/// block is header lines whose values look like values, followed by a blank line.
#[test]
fn a_sentence_starting_like_a_header_is_text() {
    for text in [
        "URL: the ministry has not published one yet, a spokesman said on Friday.\nThe talks lasted forty minutes.\n",
        "Date: not yet set, the ministry said on Friday.\nThe talks lasted forty minutes.\n",
        "Date: 4 July, the ministry said.\nThe talks lasted forty minutes.\n",
        "title: The talks\nThe talks lasted forty minutes on Friday, the ministry said.\n",
        "Lang: the negotiators spoke in English and French.\n\nThe talks lasted forty minutes.\n",
        "URL: none was given to reporters on Friday.\n\nThe talks lasted forty minutes.\n",
    ] {
        let (articles, warnings) = ingest(&[("a.txt", text.as_bytes())]);
        assert_eq!(articles.len(), 1, "{text:?}: {warnings:?}");
        assert_eq!(articles[0].body(), text, "{text:?}");
        assert_eq!(articles[0].url, None, "{text:?}");
        assert!(articles[0].date.is_none(), "{text:?}");
        assert!(warnings.is_empty(), "{text:?}: {warnings:?}");
    }
    // A real header block is still read, also with an unknown language or a bad date in it.
    let text = "URL: https://example.org/2025/07/04/talks\nDate: 2025-07-04\nlang: xx\n\nThe talks lasted forty minutes.\n";
    let (articles, warnings) = ingest(&[("a.txt", text.as_bytes())]);
    assert_eq!(articles[0].body().trim(), "The talks lasted forty minutes.");
    assert_eq!(
        articles[0].url.as_deref(),
        Some("https://example.org/2025/07/04/talks")
    );
    assert!(
        warnings.iter().any(|w| w.contains("\"xx\"")),
        "{warnings:?}"
    );
}

/// Prose is not refused as code, and code is not read as an article (issue 26).
#[test]
fn lists_ending_in_semicolons_are_prose_and_python_is_code() {
    let list = "The two presidents agreed on three points:\n- more air defence systems for Kyiv;\n- joint production of drones;\n- new talks in July;\n- a call every month.\nThe call lasted forty minutes, officials said.\n";
    let python = "import sys\n\n\ndef count_words(path):\n    counts = {}\n    with open(path) as f:\n        for line in f:\n            for word in line.split():\n                counts[word] = counts.get(word, 0) + 1\n    return counts\n\n\nif __name__ == \"__main__\":\n    print(count_words(sys.argv[1]))\n";
    let (articles, warnings) = ingest(&[
        ("list.txt", list.as_bytes()),
        ("script.txt", python.as_bytes()),
    ]);
    let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["list"], "{warnings:?}");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("script.txt") && warnings[0].contains("source code"),
        "{warnings:?}"
    );
}

/// UTF-16 without a byte-order mark is decoded (told by its zero bytes), and a few broken
/// bytes in UTF-8 text stay U+FFFD instead of turning the file into Windows-1252 (issue 26).
#[test]
fn utf16_without_a_bom_and_broken_bytes_in_ascii_are_decoded_right() {
    let text = "The talks lasted forty minutes on Friday, officials said.\n";
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let mut broken = b"The talks lasted forty minutes on Fri".to_vec();
    broken.extend([0xFF, 0xFE]);
    broken.extend(b"day, officials said.\n");
    let latin1 = b"S\xe3o Paulo: as negocia\xe7\xf5es duraram quarenta minutos.\n";
    let (articles, warnings) = ingest(&[
        ("a-le.txt", &le),
        ("b-be.txt", &be),
        ("c-broken.txt", &broken),
        ("d-latin1.txt", latin1),
    ]);
    assert_eq!(articles.len(), 4, "{warnings:?}");
    assert_eq!(articles[0].text, text);
    assert_eq!(articles[1].text, text);
    // Offsets of UTF-16 without a mark start at byte 0 of the file.
    let at = articles[0].text.find("forty").unwrap();
    assert_eq!(articles[0].source_offsets.to_file(at), 2 * at);
    assert_eq!(
        articles[2].text,
        "The talks lasted forty minutes on Fri\u{fffd}\u{fffd}day, officials said.\n"
    );
    assert_eq!(
        articles[3].text,
        "São Paulo: as negociações duraram quarenta minutos.\n"
    );
    let says = |file: &str, what: &str| {
        warnings
            .iter()
            .any(|w| w.contains(file) && w.contains(what))
    };
    assert!(says("a-le.txt", "UTF-16LE"), "{warnings:?}");
    assert!(says("b-be.txt", "UTF-16BE"), "{warnings:?}");
    assert!(says("c-broken.txt", "2 invalid UTF-8 byte"), "{warnings:?}");
    assert!(says("d-latin1.txt", "Windows-1252"), "{warnings:?}");
}

/// A CSV manifest saved with `;` (as spreadsheets in many European locales do) or tabs is
/// read (issue 26).
#[test]
fn semicolon_and_tab_separated_manifests_are_read() {
    let semicolons = "id;lang;text\ns1;en;The talks lasted forty minutes, officials said.\ns2;de;\"Die Gespräche dauerten 40 Minuten; sagte ein Sprecher.\"\n";
    let tabs = "id\tlang\ttext\nt1\tfr\tLes discussions ont duré quarante minutes.\n";
    let (articles, warnings) =
        ingest(&[("s.csv", semicolons.as_bytes()), ("t.csv", tabs.as_bytes())]);
    assert!(warnings.is_empty(), "{warnings:?}");
    let ids: Vec<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["s1", "s2", "t1"]);
    assert_eq!(
        articles[0].body(),
        "The talks lasted forty minutes, officials said."
    );
    assert_eq!(
        articles[1].body(),
        "Die Gespräche dauerten 40 Minuten; sagte ein Sprecher."
    );
    assert_eq!(articles[2].declared_language.as_deref(), Some("fr"));
}

/// File names that are not UTF-8 give distinct ids, and newlines or escape codes in a name do
/// not reach the terminal: every warning is one line (issue 26).
#[test]
fn odd_file_names_are_escaped_and_their_ids_kept_apart() {
    use std::os::unix::ffi::OsStrExt;
    let root = tempfile::tempdir().unwrap();
    let name = |bytes: &[u8]| root.path().join(std::ffi::OsStr::from_bytes(bytes));
    let body = b"The talks lasted forty minutes on Friday, officials said.";
    std::fs::write(name(b"caf\xe9.txt"), body).unwrap();
    std::fs::write(name(b"caf\xe8.txt"), body).unwrap();
    std::fs::write(name(b"evil\n\x1b[31mred.txt"), b"").unwrap();
    let read = crosscheck::read::ingest::read_drop(root.path(), &Default::default()).unwrap();
    let mut ids: Vec<&str> = read.articles.iter().map(|a| a.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["caf\\xE8", "caf\\xE9"]);
    let warnings: Vec<String> = read.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("evil\\x0A\\x1B[31mred.txt"),
        "{warnings:?}"
    );
    assert!(!warnings[0].contains(['\n', '\x1b']), "{warnings:?}");
}

/// An RFC 3339 `date:` (what web pages and feeds give) is the publication date (issue 26).
#[test]
fn rfc3339_dates_are_read() {
    let (articles, warnings) = ingest(&[
        (
            "a.txt",
            b"date: 2025-07-04T10:30:00Z\n\nThe talks lasted forty minutes.",
        ),
        (
            "b.txt",
            b"date: 2025-07-04T23:30:00-05:00\n\nThe talks lasted forty minutes.",
        ),
    ]);
    assert!(warnings.is_empty(), "{warnings:?}");
    for article in &articles {
        assert_eq!(
            article.publication_day(),
            chrono::NaiveDate::from_ymd_opt(2025, 7, 4),
            "{}",
            article.id
        );
    }
}

/// Options and commands that need no models: negative similarities as written, the
/// `crosscheck languages` that the `lang: xx` warning points to, and an archive that cannot be
/// written (issue 26).
#[test]
fn negative_similarities_the_languages_command_and_a_read_only_archive() {
    let root = tempfile::tempdir().unwrap();
    let missing = root.path().join("no-such-drop");
    let out = root.path().join("out");
    for args in [
        &["--min-similarity", "-0.5"][..],
        &["--earlier-min-similarity", "-1"],
    ] {
        let mut all = vec![
            "--quiet",
            "run",
            missing.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--no-archive",
        ];
        all.extend(args);
        let result = crosscheck(&all);
        // Parsed: the run gets as far as the drop, which does not exist.
        assert_eq!(code(&result), 1, "{args:?}: {}", stderr(&result));
        assert!(
            stderr(&result).contains("no-such-drop"),
            "{}",
            stderr(&result)
        );
    }

    let result = crosscheck(&["languages"]);
    assert_eq!(code(&result), 0);
    let table = String::from_utf8_lossy(&result.stdout);
    for row in [
        "| pt | Portuguese | read |",
        "| uk | Ukrainian |",
        "| th | Thai |",
    ] {
        assert!(table.contains(row), "{row}: {table}");
    }
    assert!(
        crosscheck::domain::Notice::UnknownLanguage { value: "xx".into() }
            .to_string()
            .contains("crosscheck languages")
    );

    let drop = drop_with_good_articles(root.path());
    let read_only = root.path().join("ro");
    std::fs::create_dir(&read_only).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root writes into any folder; /sys refuses everyone.
    let archive = if std::fs::write(read_only.join("probe"), "x").is_ok() {
        PathBuf::from("/sys/archive.sqlite")
    } else {
        read_only.join("archive.sqlite")
    };
    let result = run(&drop, &out, &["--archive", archive.to_str().unwrap()]);
    let err = stderr(&result);
    assert_eq!(code(&result), 1, "{err}");
    assert!(err.contains("permission denied"), "{err}");
    assert!(
        err.contains("--archive PATH") && err.contains("--no-archive"),
        "{err}"
    );
    assert!(!out.join("drop").exists());
}

/// Ctrl-C or SIGTERM while a run works removes its unfinished staging folder; the previous
/// reports are not touched (issue 26).
#[test]
fn an_interrupted_run_leaves_no_staging_folder() {
    let root = tempfile::tempdir().unwrap();
    let drop = drop_with_good_articles(root.path());
    let out = root.path().join("out");
    std::fs::create_dir_all(out.join("drop")).unwrap();
    std::fs::write(out.join("drop/claims.csv"), "previous").unwrap();
    let staging = |out: &Path| -> Vec<String> {
        std::fs::read_dir(out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".new-") || n.ends_with(".old"))
            .collect()
    };
    for (signal, status) in [(libc::SIGINT, 130), (libc::SIGTERM, 143)] {
        let child = Command::new(env!("CARGO_BIN_EXE_crosscheck"))
            .args(["--quiet", "run", drop.to_str().unwrap(), "--out"])
            .arg(&out)
            .arg("--no-archive")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        while staging(&out).is_empty() && started.elapsed().as_secs() < 60 {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert!(!staging(&out).is_empty(), "no staging folder appeared");
        // SAFETY: sends a signal to the child this test started.
        unsafe { libc::kill(child.id() as i32, signal) };
        let result = child.wait_with_output().unwrap();
        assert_eq!(code(&result), status, "{}", stderr(&result));
        assert!(staging(&out).is_empty(), "{:?}", staging(&out));
        assert_eq!(
            std::fs::read_to_string(out.join("drop/claims.csv")).unwrap(),
            "previous"
        );
    }
}

/// The counts in the archive line of a run's output: (reused, computed, repeated), each as
/// (embeddings, NLI results).
fn model_counts(stdout: &str) -> [(u64, u64); 3] {
    let line = stdout
        .lines()
        .find(|l| l.starts_with("archive "))
        .unwrap_or_else(|| panic!("no archive line:\n{stdout}"));
    let numbers: Vec<u64> = line
        .split_once("):")
        .map_or("", |(_, counts)| counts)
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    assert_eq!(numbers.len(), 6, "{line}");
    [
        (numbers[0], numbers[1]),
        (numbers[2], numbers[3]),
        (numbers[4], numbers[5]),
    ]
}

/// A drop of one article copied 60 times, against a fresh archive: the copies are repeats
/// inside the run, computed once and not "reused" (nothing came from the archive), and the
/// work estimate counts what the model runs on (a few distinct inputs), not the 25,000 pairs
/// that the estimate before the cache look-up announced as over an hour. The second run
/// reuses every result (issue 26).
#[test]
fn duplicates_inside_a_run_are_repeats_not_reused_work_and_no_estimate() {
    let root = tempfile::tempdir().unwrap();
    let drop = root.path().join("copies");
    std::fs::create_dir(&drop).unwrap();
    for i in 0..60 {
        std::fs::copy(
            "data/seeds/003_695f938456953354.txt",
            drop.join(format!("c{i:02}.txt")),
        )
        .unwrap();
    }
    let out = root.path().join("out");
    let archive = root.path().join("fresh.sqlite");
    let args = [
        "--archive",
        archive.to_str().unwrap(),
        "--threads",
        "1",
        "--top-k",
        "50",
    ];
    let first = run(&drop, &out, &args);
    let (stdout, err) = (String::from_utf8_lossy(&first.stdout), stderr(&first));
    assert_eq!(code(&first), 0, "{err}");
    let [reused, computed, repeated] = model_counts(&stdout);
    assert_eq!(reused, (0, 0), "a fresh archive reuses nothing:\n{stdout}");
    assert!(computed.0 > 0 && computed.1 > 0, "{stdout}");
    assert!(repeated.0 >= 59 * computed.0, "{stdout}");
    let pairs = std::fs::read_to_string(out.join("copies/pairs.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    // Counted by candidate pairs, as before the fix, the estimate would speak up ...
    assert!(crosscheck::matching::align::workload(pairs, 2 * pairs, 1).is_some());
    // ... but the model runs on a few distinct inputs.
    assert!(
        !err.contains("candidate pairs to judge"),
        "{pairs} pairs, {computed:?} computed:\n{err}"
    );

    let second = run(&drop, &out, &args);
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    let [again_reused, again_computed, again_repeated] = model_counts(&stdout);
    assert_eq!(again_reused, computed, "{stdout}");
    assert_eq!(again_computed, (0, 0), "{stdout}");
    assert_eq!(again_repeated, repeated, "{stdout}");
}

/// `sentences` distinct sentences of plain English prose (numbers vary, so that no two are
/// the same text), in paragraphs.
fn long_article(sentences: usize) -> String {
    let mut text = String::from("lang: en\ndate: 2025-07-04\n\n");
    for i in 0..sentences {
        text.push_str(&format!(
            "The ministry said on Friday that {} families were evacuated near bridge {}.",
            1_000 + i * 7,
            i % 97
        ));
        text.push_str(if i % 10 == 9 { "\n\n" } else { " " });
    }
    text
}

/// A 50 MB article (allowed by `--max-file-mb 60`) is read up to `--max-sentences` (5,000 by
/// default), with a warning naming the file and the fix: every later stage grows with the
/// sentences, so this is the bound on time and memory (issue 26). Through the library, no
/// models: the split stops at the limit.
#[test]
fn a_50_mb_article_is_read_up_to_the_sentence_limit_with_a_warning() {
    let root = tempfile::tempdir().unwrap();
    let text = long_article(620_000);
    assert!(text.len() > 50_000_000, "{}", text.len());
    std::fs::write(root.path().join("huge.txt"), &text).unwrap();
    let config = crosscheck::read::ingest::IngestConfig {
        max_file_bytes: 60_000_000,
    };
    let read = crosscheck::read::ingest::read_drop(root.path(), &config).unwrap();
    assert_eq!(read.articles.len(), 1, "{:?}", read.warnings);
    let (_, sentences, warnings) = crosscheck::pipeline::segment_all(
        &read.articles,
        crosscheck::read::segment::DEFAULT_MAX_SENTENCES,
        &indicatif::ProgressBar::hidden(),
    );
    assert_eq!(
        sentences.len(),
        crosscheck::read::segment::DEFAULT_MAX_SENTENCES
    );
    let said: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        said.iter()
            .any(|w| w.contains("huge.txt") && w.contains("--max-sentences")),
        "{said:?}"
    );
}

/// End to end, with the models: an article over `--max-sentences` finishes with the warning,
/// complete reports, and no sentence past the limit in claims.csv (issue 26).
#[test]
fn an_article_over_the_sentence_limit_is_checked_up_to_it() {
    let root = tempfile::tempdir().unwrap();
    let drop = drop_with_good_articles(root.path());
    std::fs::write(drop.join("long.txt"), long_article(30_000)).unwrap();
    let out = root.path().join("out");
    let result = run(
        &drop,
        &out,
        &["--no-archive", "--max-sentences", "300", "--threads", "1"],
    );
    let err = stderr(&result);
    assert_eq!(code(&result), 0, "{err}");
    let line = warning(&err, "long.txt").unwrap_or_else(|| panic!("no warning:\n{err}"));
    assert!(
        line.contains("only the first 300") && line.contains("raise --max-sentences"),
        "{line}"
    );
    assert_reports_complete(&out.join("drop"));
    let mut reader = csv::Reader::from_path(out.join("drop/claims.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let article = headers.iter().position(|h| h == "article").unwrap();
    let rows = reader
        .records()
        .filter(|r| &r.as_ref().unwrap()[article] == "long")
        .count();
    assert!((1..=300).contains(&rows), "{rows} rows of long.txt");
}
