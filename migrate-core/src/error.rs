//! Every way running migrations can fail, as one enum with the revision ids in it.

use std::time::Duration;

use migrate_graph::GraphError;

use crate::db_error::DatabaseError;

/// What can go wrong. Each message is one line that names what failed and says how to fix it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A migration's own failure, e.g. `Err(Error::Message("...".into()))` from an upgrade.
    #[error("{0}")]
    Message(String),

    /// What a migration's code returned (through `?` on any error): kept as the source.
    #[error("{0}")]
    Code(#[source] BoxError),

    /// The database URL could not be understood (the URL shown has its password removed).
    #[error("invalid database URL `{url}`: {reason}")]
    InvalidUrl {
        /// The URL, password redacted.
        url: String,
        /// What is wrong with it.
        reason: String,
    },

    /// The URL names a backend this build was compiled without.
    #[error(
        "`{url}` needs the `{feature}` feature of migrate-core, which this build does not enable"
    )]
    BackendDisabled {
        /// The URL, password redacted.
        url: String,
        /// The missing Cargo feature.
        feature: &'static str,
    },

    /// The database could not be reached.
    #[error("cannot connect to {url}: {message}")]
    Connect {
        /// The URL, password redacted.
        url: String,
        /// The driver's message.
        message: String,
    },

    /// No migration is linked into the program.
    #[error("no migrations are linked: pass your migrations crate's MIGRATIONS to Migrator::new")]
    NoMigrations,

    /// Two different migrations declare the same revision id.
    #[error("duplicate revision {rev}: declared in {first} and in {second}; give one of them a new `rev`")]
    DuplicateRevision {
        /// The revision id.
        rev: String,
        /// Where it is declared first.
        first: String,
        /// Where it is declared again.
        second: String,
    },

    /// The linked migrations do not form a valid graph (the same rules as at compile time).
    #[error("the linked migrations do not form a valid revision graph: {}", join_errors(.0))]
    InvalidGraph(Vec<GraphError>),

    /// A target could not be resolved or planned (unknown id, multiple heads, ...).
    #[error(transparent)]
    Graph(#[from] GraphError),

    /// A revision asked for by id is not among the linked migrations.
    #[error("Can't locate revision identified by '{rev}'")]
    NoSuchRevision {
        /// The id asked for.
        rev: String,
    },

    /// The version table names a revision no linked migration has.
    /// The database may be ahead of this build (a newer release migrated it): `stamp --purge`
    /// would destroy that release's record, so the message keeps it for a deleted migration.
    #[error("Can't locate revision identified by '{}' (a row of {table}); the database may be ahead of this build, migrated by a newer release: use that release (an application starts normally in VerifyAtOrAhead mode); reset the rows with `stamp --purge` only if the migration was deleted", migrate_graph::printable_line(rev))]
    UnknownRevision {
        /// The revision in the version table.
        rev: String,
        /// The version table.
        table: String,
    },

    /// An UPDATE or DELETE of the version table did not hit exactly one row.
    #[error(
        "Online migration expected to match one row when {action} in '{table}'; {found} found"
    )]
    VersionRowMismatch {
        /// `updating 'a' to 'b'` or `deleting 'a'`.
        action: String,
        /// The version table.
        table: String,
        /// How many rows it hit.
        found: usize,
    },

    /// Recording a migration (running its upgrade/downgrade function) failed.
    #[error("migration {rev} failed while recording its operations: {source}")]
    Record {
        /// The revision.
        rev: String,
        /// What the function returned.
        #[source]
        source: Box<Error>,
    },

    /// A migration failed against the database; it was rolled back where the dialect allows.
    /// Shown on one line: the message with its line breaks folded, the statement with its
    /// whitespace folded and cut at 120 characters (`…`); the full statement is in the field.
    /// The database's own error (with PostgreSQL's `DETAIL` and `HINT`) is its `source()`.
    #[error("migration {rev} failed: {}{}", one_line(message, usize::MAX), statement.as_deref().map(|s| format!(" (statement: {})", one_line(s, 120))).unwrap_or_default())]
    MigrationFailed {
        /// The revision.
        rev: String,
        /// `upgrade` or `downgrade`.
        direction: &'static str,
        /// The statement that failed, when one did.
        statement: Option<String>,
        /// The database's (or the migration's) message, on one line.
        message: String,
        /// The error itself, when there is one (a [`DatabaseError`], or what the migration's
        /// code returned).
        #[source]
        source: Option<BoxError>,
    },

    /// A migration statement waited longer than `table_lock_timeout` for a lock another
    /// session holds (or ran longer than `statement_timeout`), on every attempt
    /// `lock_retries` allowed; the migration was rolled back where the database allows.
    #[error("migration {rev} failed: {what}, which another session holds, on {attempts} attempt(s) ({}){}", one_line(message, usize::MAX), statement.as_deref().map(|s| format!(" (statement: {})", one_line(s, 120))).unwrap_or_default())]
    StatementLockTimeout {
        /// The revision.
        rev: String,
        /// What it waited for: `waited longer than table_lock_timeout (2 s) for a lock on table users`.
        what: String,
        /// How many times it ran.
        attempts: u32,
        /// The statement that waited.
        statement: Option<String>,
        /// The database's message.
        message: String,
    },

    /// MySQL/MariaDB: a migration was interrupted (a crash, kill -9) and cannot be resumed
    /// without a human decision; nothing ran. The message says what to do.
    #[error("migration {rev} {what}")]
    Interrupted {
        /// The revision.
        rev: String,
        /// What happened and the way out.
        what: String,
    },

    /// A migration running in a transaction recorded an operation that cannot (PostgreSQL
    /// `CREATE INDEX CONCURRENTLY`); nothing ran.
    #[error("migration {rev} cannot run in a transaction: {operation} must run outside one; mark the migration `transactional = false`")]
    NeedsNoTransaction {
        /// The revision.
        rev: String,
        /// The operation.
        operation: String,
    },

    /// A downgrade would have to cross a migration that cannot be reversed; nothing ran.
    #[error("cannot downgrade past {rev}: {reason}; give the migration a `downgrade = fn`")]
    NotReversible {
        /// The revision.
        rev: String,
        /// Which operation has no inverse.
        reason: String,
    },

    /// Another process held the migration lock for longer than the lock timeout.
    #[error("timed out after {:.1}s waiting for the migration lock ({lock}); another migration is running, or raise the lock timeout", waited.as_secs_f64())]
    LockTimeout {
        /// How long it waited.
        waited: Duration,
        /// Which lock.
        lock: String,
    },

    /// An applied migration's code changed since it was applied (from `check`).
    #[error("migration {rev} was edited after it was applied (checksum {applied} in the history table, {current} now); revert the edit and add a new migration instead")]
    ChecksumMismatch {
        /// The revision.
        rev: String,
        /// The checksum it was applied with.
        applied: String,
        /// The checksum of the linked code.
        current: String,
    },

    /// A version row has no history row (from `check`): the migration's checksum was never
    /// recorded, so an edit of it would go unnoticed.
    #[error("revision {rev} is in the version table {table} but has no row in the history table {history}, so an edit of it since it was applied cannot be detected; if the linked code is what was applied, record it with `migrate stamp {rows}`")]
    MissingHistory {
        /// The revision.
        rev: String,
        /// The version table.
        table: String,
        /// The history table.
        history: String,
        /// Every version row, space-separated (what `stamp` is given to record them).
        rows: String,
    },

    /// The version table's `version_num` column is missing or does not hold text (a table made
    /// by hand or by another tool); nothing ran.
    #[error("{}", version_column(table, found.as_deref()))]
    VersionColumnType {
        /// The version table.
        table: String,
        /// The column's type, or `None` when there is no `version_num` column.
        found: Option<String>,
    },

    /// The database is not at the head revision(s) (from `check` / `ensure_at_head`).
    #[error(
        "the database is not up to date: current {}, head {}; run `migrate upgrade`",
        show_revs(current),
        show_revs(heads)
    )]
    NotAtHead {
        /// The version rows.
        current: Vec<String>,
        /// The heads.
        heads: Vec<String>,
    },

    /// A database error outside of any migration (version table, lock, connection setup).
    #[error("database error while {context}: {source}")]
    Database {
        /// What was being done.
        context: String,
        /// The database's error.
        #[source]
        source: DatabaseError,
    },

    /// A database error from a migration's own code (`op.run(...)`, a Diesel query), converted
    /// by `?`.
    #[error("{0}")]
    Query(#[source] DatabaseError),

    /// An operation could not be rendered or is invalid.
    #[error(transparent)]
    Sql(#[from] migrate_sql::Error),

    /// The database differs from the schema its migrations build at its revisions (from
    /// `check`): one line per difference, as [`migrate_schema::Difference`] displays it.
    #[error(
        "the database schema differs from what its migrations build at {} ({} difference{}); \
         write a migration for each change made by hand (or skip the comparison with \
         `Migrator::drift_check(false)`):{}",
        show_revs(revisions),
        differences.len(),
        if differences.len() == 1 { "" } else { "s" },
        differences.iter().map(|d| format!("\n  {d}")).collect::<String>()
    )]
    Drift {
        /// The version rows compared at.
        revisions: Vec<String>,
        /// Each difference, one line each.
        differences: Vec<String>,
    },

    /// A migration's recorded operations cannot be replayed on the schema model (e.g. it
    /// alters a table no earlier migration creates).
    #[error("migration {rev} cannot be replayed on the schema model: {source}")]
    Replay {
        /// The revision.
        rev: String,
        /// What the model says.
        #[source]
        source: migrate_schema::Error,
    },

    /// `migrate.toml` can't be used ([`Migrator::from_config`](crate::Migrator::from_config)).
    #[cfg(feature = "config")]
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
}

/// `?` on a Diesel call in a migration's code (`op.run(|conn| ...)`).
impl From<diesel::result::Error> for Error {
    fn from(e: diesel::result::Error) -> Error {
        Error::Query(e.into())
    }
}

/// An error of any kind, kept as the cause of one of ours.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A migration's own failure with a message.
    pub fn msg(message: impl Into<String>) -> Error {
        Error::Message(message.into())
    }

    /// The revision this error is about, when it is about one.
    pub fn revision(&self) -> Option<&str> {
        match self {
            Error::DuplicateRevision { rev, .. }
            | Error::UnknownRevision { rev, .. }
            | Error::NoSuchRevision { rev }
            | Error::Record { rev, .. }
            | Error::MigrationFailed { rev, .. }
            | Error::StatementLockTimeout { rev, .. }
            | Error::Interrupted { rev, .. }
            | Error::MissingHistory { rev, .. }
            | Error::NotReversible { rev, .. }
            | Error::NeedsNoTransaction { rev, .. }
            | Error::Replay { rev, .. }
            | Error::ChecksumMismatch { rev, .. } => Some(rev),
            _ => None,
        }
    }

    pub(crate) fn db(context: impl Into<String>) -> impl FnOnce(diesel::result::Error) -> Error {
        let context = context.into();
        move |source| Error::Database {
            context,
            source: source.into(),
        }
    }
}

/// `text` on one line (whitespace runs folded to one space), cut at `max` characters with `…`.
pub(crate) fn one_line(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max).collect();
        format!("{}…", cut.trim_end())
    }
}

fn version_column(table: &str, found: Option<&str>) -> String {
    let what = match found {
        Some(ty) => format!("has a version_num column of type {ty}"),
        None => "has no version_num column".to_string(),
    };
    format!(
        "the version table {table} {what}; migrate needs version_num VARCHAR(64) (text) holding \
         revision ids: point `version_table` at another table, or change the column's type"
    )
}

fn join_errors(errors: &[GraphError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

fn show_revs(revs: &[String]) -> String {
    if revs.is_empty() {
        "(none)".into()
    } else {
        revs.join(", ")
    }
}
