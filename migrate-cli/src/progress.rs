//! Progress on stderr: each migration's line (`Running upgrade a -> b, message ... 12 ms`) as
//! the core's [`Event`] renders it, and on a terminal an `indicatif` bar with the steps done.
//!
//! Off a terminal each line is printed whole when its step ends, so logs read line by line; on
//! a terminal the bar shows the running step as it runs, and finished lines scroll above it.

use std::io::{IsTerminal as _, Write as _};
use std::sync::{Arc, Mutex};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use migrate_core::{human_duration, Event};

/// Where progress goes; cheap to clone into the migrator's event sink.
#[derive(Clone)]
pub(crate) struct Progress {
    live: bool,
    quiet: bool,
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    /// The started step's line, until it finishes.
    running: Option<String>,
    /// On a terminal, once the number of steps is known.
    bar: Option<ProgressBar>,
}

impl Progress {
    pub(crate) fn new(quiet: bool) -> Progress {
        Progress {
            live: std::io::stderr().is_terminal(),
            quiet,
            state: Arc::new(Mutex::new(State::default())),
        }
    }

    /// Whether progress is drawn live (stderr is a terminal and not `-q`).
    pub(crate) fn is_live(&self) -> bool {
        self.live && !self.quiet
    }

    /// How many steps the run will take: on a terminal, a bar counting them.
    pub(crate) fn set_total(&self, total: usize) {
        if !self.is_live() || total == 0 {
            return;
        }
        let bar = ProgressBar::with_draw_target(
            Some(u64::try_from(total).unwrap_or(u64::MAX)),
            ProgressDrawTarget::stderr(),
        );
        if let Ok(style) = ProgressStyle::with_template("[{bar:20}] {pos}/{len} {wide_msg}") {
            bar.set_style(style.progress_chars("#>-"));
        }
        if let Ok(mut state) = self.state.lock() {
            state.bar = Some(bar);
        }
    }

    pub(crate) fn handle(&self, event: &Event) {
        if self.quiet {
            return;
        }
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        let mut err = std::io::stderr().lock();
        // Progress is best effort: a closed stderr must not fail a migration.
        let _ = match event {
            Event::StepStarted { .. } => {
                let line = format!("{event} ...");
                if let Some(bar) = &state.bar {
                    bar.set_message(line.clone());
                    Ok(())
                } else if self.live {
                    write!(err, "{line}").and_then(|()| err.flush())
                } else {
                    Ok(())
                }
                .map(|()| state.running = Some(line))
            }
            Event::StepFinished { duration, .. } => {
                let line = state.running.take().unwrap_or_default();
                let time = human_duration(*duration);
                match &state.bar {
                    Some(bar) => {
                        bar.println(format!("{line} {time}"));
                        bar.inc(1);
                        if bar.position() >= bar.length().unwrap_or(0) {
                            bar.finish_and_clear();
                        }
                        Ok(())
                    }
                    None if self.live => writeln!(err, " {time}"),
                    None => writeln!(err, "{line} {time}"),
                }
            }
            Event::LockWaiting { .. }
            | Event::Stamped { .. }
            | Event::Replanned { .. }
            | Event::Warning { .. } => match &state.bar {
                Some(bar) => {
                    bar.println(event.to_string());
                    Ok(())
                }
                None => writeln!(err, "{event}"),
            },
            _ => Ok(()),
        };
    }

    /// After a failure: end the running step's line with `failed`, so the error starts on a
    /// line of its own, and take the bar away.
    pub(crate) fn finish_line(&self) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        let running = state.running.take();
        if let Some(bar) = state.bar.take() {
            bar.finish_and_clear();
            if let Some(line) = running {
                eprintln!("{line} failed");
            }
        } else if let Some(line) = running {
            if self.live {
                eprintln!(" failed");
            } else {
                eprintln!("{line} failed");
            }
        }
    }
}
