//! A migration step that failed: what failed ([`Failure`]) and the error it becomes, which for
//! a statement that ran into `table_lock_timeout` or `statement_timeout` names what it waited
//! for.

use migrate_graph::Step;
use migrate_sql::{Dialect, Operation};

use crate::error::{BoxError, Error};
use crate::render;
use crate::timeouts::{StatementTimeouts, TimedOut};

/// A step failed: the statement (if one), the message, and the error itself.
pub(crate) struct Failure {
    pub(crate) statement: Option<String>,
    pub(crate) message: String,
    pub(crate) source: Option<BoxError>,
    /// The statement ran into `table_lock_timeout` or `statement_timeout`, and what it
    /// locks.
    pub(crate) timed_out: Option<(TimedOut, String)>,
}

impl Failure {
    pub(crate) fn of(
        statement: Option<String>,
        e: impl std::error::Error + Send + Sync + 'static,
    ) -> Failure {
        Failure {
            statement,
            message: e.to_string(),
            source: Some(Box::new(e)),
            timed_out: None,
        }
    }

    pub(crate) fn said(statement: Option<String>, message: String) -> Failure {
        Failure {
            statement,
            message,
            source: None,
            timed_out: None,
        }
    }
}

/// A failed step of a backend whose DDL commits (run by `resume`), as [`step_error`] says a
/// timeout: what the failing statement locks is found among the step's operations.
pub(crate) fn timed_out_step(
    limits: &StatementTimeouts,
    step: &Step,
    ops: &[Operation],
    dialect: Dialect,
    e: Error,
) -> Error {
    let Error::MigrationFailed {
        direction,
        statement,
        message,
        source,
        ..
    } = e
    else {
        return e;
    };
    let backend = crate::backend::of(dialect);
    let timed_out = backend.timed_out(&message).map(|kind| {
        let op = statement.as_deref().and_then(|s| {
            ops.iter()
                .find(|op| render::statements(op, dialect).is_ok_and(|v| v.iter().any(|x| x == s)))
        });
        let target = op.map_or_else(
            || "what the statement needs".to_owned(),
            crate::timeouts::lock_target,
        );
        (kind, target)
    });
    let f = Failure {
        statement,
        message,
        source,
        timed_out,
    };
    step_error(limits, step, direction, 1, f)
}

/// The error of a failed step: a timeout names what the statement waited for.
pub(crate) fn step_error(
    limits: &StatementTimeouts,
    step: &Step,
    direction: &'static str,
    attempts: u32,
    f: Failure,
) -> Error {
    let Some((kind, target)) = f.timed_out else {
        return Error::MigrationFailed {
            rev: step.revision.clone(),
            direction,
            statement: f.statement,
            message: f.message,
            source: f.source,
        };
    };
    let limit = |d: Option<std::time::Duration>| {
        d.map(|d| format!(" ({} s)", crate::timeouts::seconds(d)))
            .unwrap_or_default()
    };
    let what = match kind {
        TimedOut::Lock => format!(
            "waited longer than table_lock_timeout{} for a lock on {target}",
            limit(limits.table_lock)
        ),
        TimedOut::Statement => format!(
            "ran longer than statement_timeout{} on {target}",
            limit(limits.statement)
        ),
    };
    Error::StatementLockTimeout {
        rev: step.revision.clone(),
        what,
        attempts,
        statement: f.statement,
        message: f.message,
    }
}
