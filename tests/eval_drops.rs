//! Regression floors on the labelled drops: the whole pipeline (real models) on the seeds and
//! two development drops, scored by `crosscheck::eval::drop` against their gold files. Each
//! floor sits just below the figure measured when it was set (README, "Facts against gold");
//! a change that loses labelled fact pairs or real rows at the top of conflicts.csv fails here.
//! Only drops of a few articles run here, to keep `make test` short; `crosscheck eval-drop`
//! scores every drop.

use crosscheck::eval::drop::{read_gold, score, Score};
use crosscheck::io::progress::Progress;
use crosscheck::models::ModelDir;
use crosscheck::pipeline::{analyse, RunConfig};
use std::path::{Path, PathBuf};

/// (drop folder, gold file, labelled pairs right at least, real rows in the first 10 of
/// conflicts.csv at least).
const FLOORS: &[(&str, &str, usize, usize)] = &[
    ("data/seeds", "data/gold/seeds.csv", 22, 0),
    ("data/dev/summit", "data/gold/summit.csv", 34, 2),
    ("data/dev/strike", "data/gold/strike.csv", 35, 3),
];

fn run(drop: &str, gold: &str) -> Score {
    let config = RunConfig::new(
        PathBuf::from(drop),
        ModelDir::new(ModelDir::default_location()),
        Progress { quiet: true },
    );
    let output = analyse(&config).expect("the drop runs");
    score(
        &output,
        &read_gold(Path::new(gold)).expect("gold file reads"),
    )
}

#[test]
fn labelled_drops_stay_above_their_floors() {
    let mut failures = Vec::new();
    for &(drop, gold, right, top10) in FLOORS {
        let s = run(drop, gold);
        println!("{}", s.markdown(drop));
        if s.right < right {
            failures.push(format!("{drop}: {} pairs right < floor {right}", s.right));
        }
        if s.top10.0 < top10 {
            failures.push(format!(
                "{drop}: {} real in top 10 < floor {top10}",
                s.top10.0
            ));
        }
        assert_eq!(s.repeated, 0, "{drop}: a discrepancy is listed twice");
    }
    assert!(failures.is_empty(), "{failures:?}");
}
