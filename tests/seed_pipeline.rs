//! The whole pipeline on the seed articles with the real models: the verdicts and typed
//! evidence a fact-checker relies on, furniture kept out of the pairs, and deterministic output.

use crosscheck::domain::{JudgedPair, Label, SameEvent, Side, SlotOutcome, Value};
use crosscheck::io::progress::Progress;
use crosscheck::io::ReportSet;
use crosscheck::models::ModelDir;
use crosscheck::pipeline::{analyse, RunConfig, RunOutput};
use crosscheck::report::{CsvReports, Report, ReportSink};
use std::path::PathBuf;
use std::sync::OnceLock;

fn config() -> RunConfig {
    RunConfig::new(
        PathBuf::from("data/seeds"),
        ModelDir::new(ModelDir::default_location()),
        Progress { quiet: true },
    )
}

fn out_dir(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("crosscheck-seeds-{}-{name}", std::process::id()))
}

/// Runs the pipeline on the seeds and writes the CSV reports into `out/seeds`.
fn run(out: PathBuf) -> (PathBuf, RunOutput) {
    let config = config();
    let output = analyse(&config).expect("the seeds run");
    let set = ReportSet::begin(&out.join("seeds")).unwrap();
    let report = Report {
        config: &config,
        output: &output,
    };
    CsvReports::new(set.staging().into())
        .write(&report)
        .unwrap();
    (set.commit().unwrap(), output)
}

/// One run of the pipeline shared by the tests: (report folder, output).
fn seeds() -> &'static (PathBuf, RunOutput) {
    static RUN: OnceLock<(PathBuf, RunOutput)> = OnceLock::new();
    RUN.get_or_init(|| run(out_dir("first")))
}

/// The whole sentence of claim `claim` (pairs index claims).
fn text(output: &RunOutput, claim: usize) -> &str {
    &output.sentences[output.claims[claim].sentence].text
}

fn article(output: &RunOutput, claim: usize) -> &str {
    &output.articles[output.claims[claim].article].id[..3]
}

/// Pairs between a claim of `article_x` whose sentence contains `fragment_x` and one of
/// `article_y` whose sentence contains `fragment_y` (either order).
fn pairs_between<'a>(
    output: &'a RunOutput,
    (article_x, fragment_x): (&str, &str),
    (article_y, fragment_y): (&str, &str),
) -> Vec<&'a JudgedPair> {
    let is = |s: usize, a: &str, f: &str| article(output, s) == a && text(output, s).contains(f);
    output
        .pairs
        .iter()
        .filter(|p| {
            (is(p.pair.a, article_x, fragment_x) && is(p.pair.b, article_y, fragment_y))
                || (is(p.pair.b, article_x, fragment_x) && is(p.pair.a, article_y, fragment_y))
        })
        .collect()
}

#[test]

fn zelensky_quotes_in_pt_and_ro_agree() {
    let (_, output) = seeds();
    for (pt, ro) in [
        (
            "Conversamos sobre oportunidades na defesa aérea",
            "Am vorbit despre oportunitățile în domeniul apărării aeriene",
        ),
        (
            "Tivemos uma conversa detalhada",
            "Am avut o discuție detaliată",
        ),
        (
            "Também abordamos as compras e investimentos mútuos",
            "achizițiile și investițiile reciproce",
        ),
    ] {
        let pairs = pairs_between(output, ("000", pt), ("001", ro));
        assert!(!pairs.is_empty(), "{pt:?} and {ro:?} were not paired");
        for p in pairs {
            assert_eq!(
                p.verdict.label,
                Label::Agree,
                "{pt:?} / {ro:?}: {:?} (a=>b {:?}, b=>a {:?})",
                p.verdict,
                p.ab,
                p.ba
            );
        }
    }
}

#[test]
fn forty_minute_call_is_a_one_sided_detail_of_003() {
    let (_, output) = seeds();
    let details: Vec<&JudgedPair> = output
        .pairs
        .iter()
        .filter(|p| p.verdict.label == Label::OneSidedDetail)
        .filter(|p| {
            let side = match p.verdict.detail_side {
                Some(Side::A) => p.pair.a,
                Some(Side::B) => p.pair.b,
                None => return false,
            };
            article(output, side) == "003" && text(output, side).contains("40-minute call")
        })
        .collect();
    // Against the other accounts of the July Zelensky call (000 and 001), which give no length.
    let others: Vec<&str> = details
        .iter()
        .flat_map(|p| [p.pair.a, p.pair.b])
        .map(|s| article(output, s))
        .filter(|a| *a != "003")
        .collect();
    assert!(
        others.iter().any(|a| *a == "000" || *a == "001"),
        "no one-sided detail of the 40-minute call against 000/001: {others:?}"
    );
    for p in &details {
        let other = if article(output, p.pair.a) == "003" {
            p.pair.b
        } else {
            p.pair.a
        };
        if matches!(article(output, other), "000" | "001") {
            // 000 and 001 report the same July call as 003: never two different events.
            let mark = p
                .verdict
                .event
                .as_ref()
                .expect("details carry an event mark");
            assert_ne!(
                mark.decision,
                SameEvent::No,
                "{} marked {:?} ({})",
                text(output, other),
                mark.decision,
                mark.evidence
            );
        }
        let slot = p.verdict.key_slot().expect("a typed slot");
        assert_eq!(slot.outcome, SlotOutcome::OneSided);
        let mention = slot.a.as_ref().or(slot.b.as_ref()).unwrap();
        assert!(
            matches!(mention.value, Value::Duration { seconds, .. } if seconds == 2400.0),
            "{mention:?}"
        );
    }
}

#[test]
fn weekday_of_the_call_conflicts_between_july_and_september_accounts_as_different_events() {
    let (_, output) = seeds();
    // 000 says the Trump-Zelensky call was on Friday (sexta-feira); 002, about the September
    // call, says Thursday (Kamis).
    let pairs = pairs_between(output, ("000", "sexta -feira"), ("002", "Kamis"));
    let conflicts: Vec<&&JudgedPair> = pairs
        .iter()
        .filter(|p| {
            p.verdict.slots.iter().any(|s| {
                s.outcome == SlotOutcome::Conflict
                    && s.a.as_ref().and_then(|m| m.value.weekday()).is_some()
                    && s.b.as_ref().and_then(|m| m.value.weekday()).is_some()
            })
        })
        .collect();
    assert!(
        !conflicts.is_empty(),
        "Friday (000) vs Thursday (002) not reported"
    );
    for p in conflicts {
        assert_eq!(p.verdict.label, Label::Contradict);
        let mark = p
            .verdict
            .event
            .as_ref()
            .expect("conflicts carry an event mark");
        assert_eq!(
            mark.decision,
            SameEvent::No,
            "marked {:?} ({})",
            mark.decision,
            mark.evidence
        );
    }
}

#[test]
fn putin_call_of_about_one_hour_matches_across_000_and_001() {
    let (_, output) = seeds();
    let pairs = pairs_between(output, ("000", "uma hora"), ("001", "circa o oră"));
    assert!(
        !pairs.is_empty(),
        "the two one-hour sentences were not paired"
    );
    let matched = pairs.iter().any(|p| {
        p.verdict.slots.iter().any(|s| {
            s.outcome == SlotOutcome::Match
                && matches!(s.a.as_ref().map(|m| &m.value), Some(Value::Duration { seconds, .. }) if *seconds == 3600.0)
        })
    });
    assert!(
        matched,
        "{:?}",
        pairs.iter().map(|p| &p.verdict.slots).collect::<Vec<_>>()
    );
}

#[test]
fn page_furniture_never_reaches_the_pairs() {
    let (dir, output) = seeds();
    for p in &output.pairs {
        for s in [p.pair.a, p.pair.b] {
            assert!(
                output.sentences[output.claims[s].sentence]
                    .dropped
                    .is_none(),
                "furniture paired: {}",
                text(output, s)
            );
        }
    }
    let pairs_csv = std::fs::read_to_string(dir.join("pairs.csv")).unwrap();
    for furniture in [
        "Junte -se a nós",
        "Siga nossa cobertura",
        "[Anzeige_2]",
        "Kommentar (0)",
        "Quelle: https://",
        "10Mənbələr",
        "Seçilən",
    ] {
        assert!(!pairs_csv.contains(furniture), "{furniture} in pairs.csv");
    }
    let claims_csv = std::fs::read_to_string(dir.join("claims.csv")).unwrap();
    assert!(claims_csv.contains("dropped,ad_placeholder,0,,[Anzeige_2]"));
}

#[test]
fn a_second_run_writes_byte_identical_csvs() {
    let (first, _) = seeds();
    let (second, _) = run(out_dir("second"));
    for name in [
        "claims.csv",
        "pairs.csv",
        "conflicts.csv",
        "facts.csv",
        "summary.csv",
    ] {
        let a = std::fs::read(first.join(name)).unwrap();
        let b = std::fs::read(second.join(name)).unwrap();
        assert!(a == b, "{name} differs between two runs");
    }
}
