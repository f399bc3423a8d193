//! Progress events: what a run reports instead of printing (the CLI turns them into output).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use migrate_graph::Direction;

/// Something a run reports as it goes.
///
/// Its `Display` is one human line, as the CLI prints it (Alembic's wording where Alembic
/// has one): `Running upgrade 1f3a -> 8b2e, create documents`, `Finished upgrade 8b2e in 12 ms`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// The migration lock is held by someone else; waiting up to `timeout`.
    LockWaiting {
        /// Which lock.
        lock: String,
        /// How long it will wait at most.
        timeout: Duration,
    },
    /// The lock was acquired after `waited`.
    LockAcquired {
        /// Which lock.
        lock: String,
        /// How long it took.
        waited: Duration,
    },
    /// A step starts (`Running upgrade a -> b`).
    StepStarted {
        /// The revision.
        revision: String,
        /// Upgrade or downgrade.
        kind: Direction,
        /// The version rows it moves from.
        from: Vec<String>,
        /// The version rows it moves to.
        to: Vec<String>,
        /// The migration's message.
        message: String,
    },
    /// A step finished and was committed (or, in one-transaction mode, will be).
    StepFinished {
        /// The revision.
        revision: String,
        /// Upgrade or downgrade.
        kind: Direction,
        /// How long it took.
        duration: Duration,
    },
    /// The version rows were stamped (`Running stamp_revision a -> b`).
    Stamped {
        /// The rows before.
        from: Vec<String>,
        /// The rows after.
        to: Vec<String>,
    },
    /// Another process changed the version rows while this one waited; the plan was redone.
    Replanned {
        /// The rows found.
        rows: Vec<String>,
    },
    /// A warning (e.g. an applied migration's code changed since it was applied).
    Warning {
        /// The revision concerned, if any.
        revision: Option<String>,
        /// The warning.
        message: String,
    },
}

/// How every duration is shown: `12 ms` under ten seconds, else `12.3 s`.
///
/// ```
/// use std::time::Duration;
/// assert_eq!(migrate_core::human_duration(Duration::from_millis(12)), "12 ms");
/// assert_eq!(migrate_core::human_duration(Duration::from_millis(12_345)), "12.3 s");
/// ```
pub fn human_duration(d: Duration) -> String {
    if d < Duration::from_secs(10) {
        format!("{} ms", d.as_millis())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// Version rows as a list; `base` when there are none.
fn rows(rows: &[String]) -> String {
    if rows.is_empty() {
        "base".to_owned()
    } else {
        rows.join(", ")
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::LockWaiting { lock, timeout } => write!(
                f,
                "Waiting for the migration lock ({lock}), up to {}",
                human_duration(*timeout)
            ),
            Event::LockAcquired { lock, waited } => write!(
                f,
                "Acquired the migration lock ({lock}) after {}",
                human_duration(*waited)
            ),
            Event::StepStarted {
                kind,
                from,
                to,
                message,
                ..
            } => {
                // Alembic leaves the side of `base` empty: "Running upgrade  -> 1f3a, ...", and
                // shows the message's first paragraph (its `doc`), here on one line and with
                // control characters escaped: a message is text from a file.
                write!(f, "Running {kind} {} -> {}", from.join(", "), to.join(", "))?;
                let doc = message.split("\n\n").next().unwrap_or_default();
                let doc: Vec<&str> = doc.split_whitespace().collect();
                if doc.is_empty() {
                    Ok(())
                } else {
                    write!(f, ", {}", migrate_graph::printable_line(&doc.join(" ")))
                }
            }
            Event::StepFinished {
                revision,
                kind,
                duration: took,
            } => write!(f, "Finished {kind} {revision} in {}", human_duration(*took)),
            Event::Stamped { from, to } => write!(
                f,
                "Running stamp_revision {} -> {}",
                from.join(", "),
                to.join(", ")
            ),
            Event::Replanned { rows: found } => write!(
                f,
                "The database changed while waiting (now at {}); planning again",
                rows(found)
            ),
            Event::Warning { message, .. } => write!(f, "warning: {message}"),
        }
    }
}

/// A receiver of [`Event`]s.
pub type EventSink = Arc<dyn Fn(&Event) + Send + Sync>;

#[cfg(test)]
mod tests {
    use super::*;

    fn revs(r: &[&str]) -> Vec<String> {
        r.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn each_event_is_one_human_line() {
        let started = Event::StepStarted {
            revision: "8b2e".into(),
            kind: Direction::Up,
            from: revs(&["1f3a"]),
            to: revs(&["8b2e"]),
            message: "Create documents\n\nMore details.".into(),
        };
        assert_eq!(
            started.to_string(),
            "Running upgrade 1f3a -> 8b2e, Create documents"
        );
        let from_base = Event::StepStarted {
            revision: "1f3a".into(),
            kind: Direction::Up,
            from: vec![],
            to: revs(&["1f3a"]),
            message: String::new(),
        };
        assert_eq!(from_base.to_string(), "Running upgrade  -> 1f3a");
        let merge_down = Event::StepStarted {
            revision: "m9".into(),
            kind: Direction::Down,
            from: revs(&["m9"]),
            to: revs(&["b1", "c1"]),
            message: "merge".into(),
        };
        assert_eq!(
            merge_down.to_string(),
            "Running downgrade m9 -> b1, c1, merge"
        );
        let finished = Event::StepFinished {
            revision: "8b2e".into(),
            kind: Direction::Down,
            duration: Duration::from_millis(12),
        };
        assert_eq!(finished.to_string(), "Finished downgrade 8b2e in 12 ms");
        let waiting = Event::LockWaiting {
            lock: "migrate:public.migrate_version".into(),
            timeout: Duration::from_secs(60),
        };
        assert_eq!(
            waiting.to_string(),
            "Waiting for the migration lock (migrate:public.migrate_version), up to 60.0 s"
        );
        let acquired = Event::LockAcquired {
            lock: "SQLite write lock".into(),
            waited: Duration::from_millis(1500),
        };
        assert_eq!(
            acquired.to_string(),
            "Acquired the migration lock (SQLite write lock) after 1500 ms"
        );
        let stamped = Event::Stamped {
            from: vec![],
            to: revs(&["c3"]),
        };
        assert_eq!(stamped.to_string(), "Running stamp_revision  -> c3");
        let replanned = Event::Replanned { rows: vec![] };
        assert_eq!(
            replanned.to_string(),
            "The database changed while waiting (now at base); planning again"
        );
        let warning = Event::Warning {
            revision: Some("c3".into()),
            message: "migration c3 was edited".into(),
        };
        assert_eq!(warning.to_string(), "warning: migration c3 was edited");
        for e in [
            started, finished, waiting, acquired, stamped, replanned, warning,
        ] {
            assert!(!e.to_string().contains('\n'), "{e}");
        }
    }
}
