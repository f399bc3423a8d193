//! The thin layer between the database commands and `migrate-core`'s [`Migrator`]: build it
//! from the configuration, turn its events into progress lines, map its errors to exit codes.

use std::error::Error as StdError;
use std::io::{IsTerminal as _, Write as _};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use migrate_core::{Event, Migrator, StepKind, TransactionMode};
use migrate_graph::Graph;

use crate::commands::Ctx;
use crate::error::{
    EXIT_CONFIG, EXIT_CONNECT, EXIT_INTERRUPTED, EXIT_LOCK_TIMEOUT, EXIT_NOT_AT_HEAD,
    EXIT_UNKNOWN_REVISION,
};

/// The exit code a `migrate_core::Error` calls for, if it is one.
pub(crate) fn core_exit_code(cause: &(dyn StdError + 'static)) -> Option<u8> {
    use migrate_core::Error;
    match cause.downcast_ref::<Error>()? {
        Error::LockTimeout { .. } => Some(EXIT_LOCK_TIMEOUT),
        Error::NotAtHead { .. } | Error::ChecksumMismatch { .. } | Error::MissingHistory { .. } => {
            Some(EXIT_NOT_AT_HEAD)
        }
        Error::VersionColumnType { .. } => Some(EXIT_UNKNOWN_REVISION),
        Error::Interrupted { .. } => Some(EXIT_INTERRUPTED),
        Error::InvalidUrl { .. } | Error::BackendDisabled { .. } => Some(EXIT_CONFIG),
        Error::Connect { .. } => Some(EXIT_CONNECT),
        Error::UnknownRevision { .. } => Some(EXIT_UNKNOWN_REVISION),
        _ => None,
    }
}

/// A hint for a `migrate_core::Error`, if there is an obvious one.
pub(crate) fn core_hint(cause: &(dyn StdError + 'static)) -> Option<String> {
    use migrate_core::Error;
    match cause.downcast_ref::<Error>()? {
        Error::UnknownRevision { .. } => Some(
            "`migrate stamp --purge <rev>` resets the version table to a known revision".to_owned(),
        ),
        Error::Connect { .. } => Some(
            "check the URL (--url, DATABASE_URL, migrate.toml) and that the server is running"
                .to_owned(),
        ),
        Error::LockTimeout { .. } => {
            Some("raise `lock_timeout` in migrate.toml if migrations are slow".to_owned())
        }
        Error::VersionColumnType { .. } => Some(
            "point `version_table` in migrate.toml at a table of migrate's own (a new name creates it)"
                .to_owned(),
        ),
        Error::Interrupted { .. } => Some(
            "docs/guide.md, \"MySQL/MariaDB: after a crash\", says what each way out does".to_owned(),
        ),
        _ => None,
    }
}

/// Prints progress to stderr: `Running upgrade a -> b, message ... 12 ms`. On a terminal the
/// line starts when the step starts, so a slow migration shows what it is doing.
#[derive(Clone)]
pub(crate) struct Progress {
    open_line: Arc<Mutex<bool>>,
    live: bool,
    quiet: bool,
    /// Steps planned and steps started, for the bar and `3/120` counter shown on a terminal.
    counter: Arc<Mutex<(usize, usize)>>,
}

impl Progress {
    pub(crate) fn new(quiet: bool) -> Progress {
        Progress {
            open_line: Arc::new(Mutex::new(false)),
            live: std::io::stderr().is_terminal(),
            quiet,
            counter: Arc::new(Mutex::new((0, 0))),
        }
    }

    /// Whether progress is drawn live (stderr is a terminal and not `-q`).
    pub(crate) fn is_live(&self) -> bool {
        self.live && !self.quiet
    }

    /// How many steps the run will take, to show `[i/N]` on a terminal.
    pub(crate) fn set_total(&self, total: usize) {
        if let Ok(mut c) = self.counter.lock() {
            *c = (total, 0);
        }
    }

    fn next_prefix(&self) -> String {
        let Ok(mut c) = self.counter.lock() else {
            return String::new();
        };
        c.1 += 1;
        if self.live && c.0 > 0 {
            progress_prefix(c.1, c.0)
        } else {
            String::new()
        }
    }

    fn handle(&self, event: &Event) {
        if self.quiet {
            return;
        }
        let Ok(mut open) = self.open_line.lock() else {
            return;
        };
        let mut err = std::io::stderr().lock();
        // Progress is best effort: a closed stderr must not fail a migration.
        let _ = match event {
            Event::StepStarted {
                kind,
                from,
                to,
                message,
                ..
            } => {
                let verb = match kind {
                    StepKind::Downgrade => "downgrade",
                    _ => "upgrade",
                };
                let doc = migrate_graph::printable(crate::output::doc(message));
                let line = format!(
                    "{}Running {verb} {} -> {}, {doc} ...",
                    self.next_prefix(),
                    from.join(", "),
                    to.join(", ")
                );
                *open = true;
                if self.live {
                    write!(err, "{line}").and_then(|()| err.flush())
                } else {
                    // Kept until the step finishes, to print the whole line at once.
                    PENDING.with(|p| *p.borrow_mut() = line);
                    Ok(())
                }
            }
            Event::StepFinished { duration, .. } => {
                *open = false;
                let time = format_duration(*duration);
                if self.live {
                    writeln!(err, " {time}")
                } else {
                    let line = PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()));
                    writeln!(err, "{line} {time}")
                }
            }
            Event::Stamped { from, to } => {
                writeln!(
                    err,
                    "Running stamp_revision {} -> {}",
                    from.join(", "),
                    to.join(", ")
                )
            }
            Event::LockWaiting { lock, timeout } => writeln!(
                err,
                "Waiting for the migration lock ({lock}), up to {} s ...",
                timeout.as_secs()
            ),
            Event::Replanned { rows } => writeln!(
                err,
                "The database changed while waiting (now at {}); planning again",
                if rows.is_empty() {
                    "base".to_owned()
                } else {
                    rows.join(", ")
                }
            ),
            Event::Warning { message, .. } => writeln!(err, "warning: {message}"),
            _ => Ok(()),
        };
    }

    /// After a failure: end a started line so the error starts on its own.
    pub(crate) fn finish_line(&self) {
        if let Ok(mut open) = self.open_line.lock() {
            if *open {
                if self.live {
                    eprintln!(" failed");
                } else {
                    let line = PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()));
                    eprintln!("{line} failed");
                }
                *open = false;
            }
        }
    }
}

thread_local! {
    static PENDING: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// The terminal's progress prefix of step `n` of `total`: a bar of the steps done before it,
/// then the counter, e.g. `[######              ]  31/100 `.
fn progress_prefix(n: usize, total: usize) -> String {
    const WIDTH: usize = 20;
    let done = (n.saturating_sub(1) * WIDTH) / total.max(1);
    let digits = total.to_string().len();
    format!(
        "[{}{}] {n:>digits$}/{total} ",
        "#".repeat(done.min(WIDTH)),
        " ".repeat(WIDTH - done.min(WIDTH))
    )
}

fn format_duration(d: Duration) -> String {
    if d < Duration::from_secs(10) {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// A `Migrator` over the linked migrations, configured from migrate.toml and the command line,
/// for `url` (the configured one when `None`).
pub(crate) fn migrator(
    ctx: &Ctx<'_>,
    url: Option<&str>,
    progress: &Progress,
) -> anyhow::Result<Migrator> {
    let url = match url {
        Some(u) => u.to_owned(),
        None => ctx.config.database_url(ctx.cli.global.url.as_deref())?,
    };
    let config = &ctx.config;
    let mut m = Migrator::new(ctx.sets)?
        .url(&url)?
        .version_table(config.version_table.clone())
        .lock_timeout(Duration::from_secs(config.lock_timeout));
    if let Some(schema) = &config.version_table_schema {
        m = m.version_table_schema(schema.clone());
    }
    if config.transaction_per_migration == Some(false) {
        m = m.transaction_mode(TransactionMode::Single);
    }
    for (k, v) in &ctx.cli.global.x {
        m = m.arg(k.clone(), v.clone());
    }
    let sink = progress.clone();
    Ok(m.on_event(move |e| sink.handle(e)))
}

/// Run `f`, closing an open progress line if it fails.
pub(crate) fn with_progress<T>(
    progress: &Progress,
    f: impl FnOnce() -> migrate_core::Result<T>,
) -> anyhow::Result<T> {
    f().map_err(|e| {
        progress.finish_line();
        e.into()
    })
}

/// The database's version rows (read-only; a missing SQLite file reads as empty).
pub(crate) fn current_rows(ctx: &Ctx<'_>, _graph: &Graph) -> anyhow::Result<Vec<String>> {
    let progress = Progress::new(true);
    let m = migrator(ctx, None, &progress)?;
    Ok(m.current()?)
}

#[cfg(test)]
mod tests {

    #[test]
    fn progress_bar_grows_with_the_steps_done() {
        assert_eq!(super::progress_prefix(1, 4), "[                    ] 1/4 ");
        assert_eq!(super::progress_prefix(3, 4), "[##########          ] 3/4 ");
        assert_eq!(super::progress_prefix(4, 4), "[###############     ] 4/4 ");
        assert_eq!(
            super::progress_prefix(7, 120),
            "[#                   ]   7/120 "
        );
    }
    use super::*;

    #[test]
    fn executor_errors_map_to_documented_exit_codes() {
        let lock = anyhow::Error::new(migrate_core::Error::LockTimeout {
            waited: Duration::from_secs(60),
            lock: "advisory lock".into(),
        });
        assert_eq!(crate::error::exit_code_u8(&lock), EXIT_LOCK_TIMEOUT);
        let behind = anyhow::Error::new(migrate_core::Error::NotAtHead {
            current: vec![],
            heads: vec!["b2".into()],
        })
        .context("check");
        assert_eq!(crate::error::exit_code_u8(&behind), EXIT_NOT_AT_HEAD);
        let url = anyhow::Error::new(migrate_core::Error::InvalidUrl {
            url: "x".into(),
            reason: "y".into(),
        });
        assert_eq!(crate::error::exit_code_u8(&url), EXIT_CONFIG);
        let down = anyhow::Error::new(migrate_core::Error::Connect {
            url: "postgres://u:***@h/db".into(),
            message: "connection refused".into(),
        });
        assert_eq!(crate::error::exit_code_u8(&down), EXIT_CONNECT);
        let unknown = anyhow::Error::new(migrate_core::Error::UnknownRevision {
            rev: "zz".into(),
            table: "migrate_version".into(),
        });
        assert_eq!(crate::error::exit_code_u8(&unknown), EXIT_UNKNOWN_REVISION);
        let failed = anyhow::Error::new(migrate_core::Error::msg("boom"));
        assert_eq!(
            crate::error::exit_code_u8(&failed),
            crate::error::EXIT_ERROR
        );
    }
}
