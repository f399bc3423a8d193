//! What a start-up found: the value an application keeps, reports and retries.

use std::fmt;
use std::sync::Arc;

use crate::db_error::DatabaseError;
use crate::error::Error;
use crate::migrator::Status;

use super::StartMode;

/// The outcome of [`Migrator::on_start`](crate::Migrator::on_start) (and of
/// [`Startup::retry`](super::Startup::retry)).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum StartStatus {
    /// The database is at this build's heads (after applying `applied`, in `Migrate` mode).
    Ok {
        /// Where it stands.
        status: Status,
        /// The revisions this start-up applied, in order (empty when verifying).
        applied: Vec<String>,
    },
    /// Migrations are pending and none was run (the verify modes).
    Behind {
        /// Where it stands; `pending` lists what `upgrade heads` would apply.
        status: Status,
    },
    /// A newer release migrated the database past this build's heads (see
    /// [what "ahead" means](super#what-ahead-means)).
    Ahead(Ahead),
    /// The start-up failed: a migration, the connection, an unknown revision. The application
    /// stays up to report it, and can retry.
    Degraded(StartError),
    /// [`StartMode::Off`]: nothing was checked.
    Off,
}

impl StartStatus {
    /// `ok`, `behind`, `ahead`, `failed` or `off`: what a health endpoint reports as the state
    /// of the migrations.
    pub fn label(&self) -> &'static str {
        match self {
            StartStatus::Ok { .. } => "ok",
            StartStatus::Behind { .. } => "behind",
            StartStatus::Ahead(_) => "ahead",
            StartStatus::Degraded(_) => "failed",
            StartStatus::Off => "off",
        }
    }

    /// Whether the schema is usable by this build in `mode`: at the heads; ahead where the
    /// mode [accepts it](StartMode::accepts_ahead); anything in `Off` (the application chose
    /// not to check). What a readiness endpoint answers.
    pub fn is_usable(&self, mode: StartMode) -> bool {
        match self {
            StartStatus::Ok { .. } | StartStatus::Off => true,
            StartStatus::Ahead(_) => mode.accepts_ahead(),
            StartStatus::Behind { .. } | StartStatus::Degraded(_) => false,
        }
    }

    /// The error, when degraded.
    pub fn error(&self) -> Option<&StartError> {
        match self {
            StartStatus::Degraded(e) => Some(e),
            _ => None,
        }
    }

    /// The version rows, where they were read.
    pub fn current(&self) -> Option<&[String]> {
        match self {
            StartStatus::Ok { status, .. } | StartStatus::Behind { status } => {
                Some(&status.current)
            }
            StartStatus::Ahead(a) => Some(&a.current),
            StartStatus::Degraded(_) | StartStatus::Off => None,
        }
    }
}

impl fmt::Display for StartStatus {
    /// One line: `ok`, `behind: 2 pending (a1, b2)`, `ahead: ...`, `failed: <error>`, `off`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartStatus::Ok { applied, .. } if !applied.is_empty() => {
                write!(f, "ok: applied {}", applied.join(", "))
            }
            StartStatus::Behind { status } => write!(
                f,
                "behind: {} pending ({}); run `migrate upgrade`",
                status.pending.len(),
                status.pending.join(", ")
            ),
            StartStatus::Ahead(a) => write!(f, "ahead: {a}"),
            StartStatus::Degraded(e) => write!(f, "failed: {e}"),
            other => f.write_str(other.label()),
        }
    }
}

/// A database a newer release migrated past this build's heads.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Ahead {
    /// The version rows.
    pub current: Vec<String>,
    /// This build's heads (each a version row or recorded as applied in the history table).
    pub heads: Vec<String>,
    /// The version rows this build does not have.
    pub unknown: Vec<String>,
}

impl fmt::Display for Ahead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the database is at {}, which this build does not have; its heads ({}) were applied \
             before, so a newer release migrated it",
            self.unknown.join(", "),
            self.heads.join(", ")
        )
    }
}

/// Why a start-up failed: the library's [`Error`], shared so the status can be kept and
/// cloned, with the parts an admin page shows in full.
#[derive(Debug, Clone)]
pub struct StartError(Arc<Error>);

impl StartError {
    /// The error.
    pub fn error(&self) -> &Error {
        &self.0
    }

    /// Whether the database could not be reached at all (a health endpoint's 503).
    pub fn is_unreachable(&self) -> bool {
        matches!(*self.0, Error::Connect { .. })
    }

    /// The failing statement in full, when a migration's statement failed.
    pub fn statement(&self) -> Option<&str> {
        match &*self.0 {
            Error::MigrationFailed { statement, .. } => statement.as_deref(),
            _ => None,
        }
    }

    /// The database's own error (message, PostgreSQL's `DETAIL` and `HINT`), when there is one
    /// in the chain.
    pub fn database_error(&self) -> Option<&DatabaseError> {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&*self.0);
        while let Some(e) = cause {
            if let Some(db) = e.downcast_ref::<DatabaseError>() {
                return Some(db);
            }
            cause = e.source();
        }
        None
    }

    /// Everything known, on several lines: the error, the revision, the statement in full, the
    /// database's message, `DETAIL` and `HINT`, and any other cause.
    pub fn report(&self) -> String {
        let mut out = self.0.to_string();
        if let Some(rev) = self.0.revision() {
            out.push_str(&format!("\nrevision: {rev}"));
        }
        if let Some(statement) = self.statement() {
            out.push_str(&format!("\nstatement:\n{}", statement.trim_end()));
        }
        if let Some(db) = self.database_error() {
            out.push_str(&format!("\ndatabase: {}", db.message().trim_end()));
            if let Some(detail) = db.detail() {
                out.push_str(&format!("\nDETAIL: {}", detail.trim_end()));
            }
            if let Some(hint) = db.hint() {
                out.push_str(&format!("\nHINT: {}", hint.trim_end()));
            }
        } else {
            let mut cause = std::error::Error::source(&*self.0);
            while let Some(e) = cause {
                out.push_str(&format!("\ncaused by: {e}"));
                cause = e.source();
            }
        }
        out
    }
}

impl From<Error> for StartError {
    fn from(e: Error) -> StartError {
        StartError(Arc::new(e))
    }
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for StartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}
