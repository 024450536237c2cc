//! indicatif progress bars with one look across the stages; hidden with `--quiet`.

use indicatif::{ProgressBar, ProgressStyle};
use std::time::Duration;

/// Makes progress bars, or hidden ones when the user asked for quiet.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// No bars at all.
    pub quiet: bool,
}

impl Progress {
    /// A bar over `len` items with a stage label.
    pub fn bar(&self, len: u64, stage: &str) -> ProgressBar {
        if self.quiet {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new(len);
        bar.set_style(
            ProgressStyle::with_template("{prefix:>10} [{bar:30}] {pos}/{len} {per_sec} eta {eta}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar.set_prefix(stage.to_string());
        bar
    }

    /// A spinner for work of unknown length (model loading).
    pub fn spinner(&self, message: &str) -> ProgressBar {
        if self.quiet {
            return ProgressBar::hidden();
        }
        let spinner = ProgressBar::new_spinner();
        spinner.set_style(
            ProgressStyle::with_template("{spinner} {msg} {elapsed}").expect("valid template"),
        );
        spinner.set_message(message.to_string());
        spinner.enable_steady_tick(Duration::from_millis(120));
        spinner
    }
}

impl Progress {
    /// Prints a warning on a line of its own (also with `--quiet`: warnings are never
    /// hidden). Stages finish their bars before they hand warnings on.
    pub fn warn(&self, warning: &crate::domain::Warning) {
        eprintln!("warning: {}", one_line(&warning.to_string()));
    }
}

/// `text` with its control characters (a newline or an escape code in a manifest's id or
/// value) written as `\u{NN}`, so that a warning is one line and cannot drive the terminal.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}
