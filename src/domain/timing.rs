//! How long each stage of a run took: printed by `--timings`, kept in run.json.

use serde::Serialize;

/// The stages whose time is measured, in run order.
#[cfg_attr(test, derive(strum::EnumIter))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Reading the drop.
    Ingest,
    /// Sentence splitting, language detection and furniture marking.
    Segment,
    /// Claim units and their typed values.
    Claims,
    /// Loading multilingual-e5-small.
    LoadEmbedder,
    /// Embedding every sentence.
    Embed,
    /// Finding the archived articles of earlier drops that the drop's claims match.
    Earlier,
    /// Proposing candidate pairs.
    Align,
    /// Loading the NLI model.
    LoadNli,
    /// NLI on every candidate pair, both ways.
    Nli,
    /// Typed checks, verdicts and event marks.
    Verdict,
    /// Frames of the values, the fact table and the discrepancies.
    Facts,
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.serialize(f)
    }
}

/// Seconds spent in one stage and how many items it handled.
#[derive(Debug, Clone, Serialize)]
pub struct StageTiming {
    /// The stage.
    pub stage: Stage,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Articles, sentences or pairs, depending on the stage.
    pub items: usize,
}

/// Times the stages of a run: each [`StageClock::lap`] records the time since the last one.
#[derive(Debug)]
pub struct StageClock {
    started: std::time::Instant,
    timings: Vec<StageTiming>,
}

impl StageClock {
    /// A clock started now, with no lap yet.
    pub fn new() -> Self {
        StageClock {
            started: std::time::Instant::now(),
            timings: Vec::new(),
        }
    }

    /// Records the time since the last lap as `stage`'s, with the number of items it handled.
    pub fn lap(&mut self, stage: Stage, items: usize) {
        self.timings.push(StageTiming {
            stage,
            seconds: self.started.elapsed().as_secs_f64(),
            items,
        });
        self.started = std::time::Instant::now();
    }

    /// The laps, in the order they were recorded.
    pub fn into_timings(self) -> Vec<StageTiming> {
        self.timings
    }
}

impl Default for StageClock {
    fn default() -> Self {
        Self::new()
    }
}
