//! The CLI's own errors, and how any error maps to an exit code and a hint.
//!
//! Commands return `anyhow::Error`s; the ones that must change the exit code carry a
//! [`CliError`] (or a `migrate_core::Error`) somewhere in their chain, found by downcasting.

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

/// Success.
pub const EXIT_OK: u8 = 0;
/// Any error not listed below (bad revision, failed migration, unreachable database ...).
pub const EXIT_ERROR: u8 = 1;
/// Usage error (unknown flag, missing argument), reported by clap.
pub const EXIT_USAGE: u8 = 2;
/// Not at head: `check` failed, or `current --check-heads` found the database behind.
pub const EXIT_NOT_AT_HEAD: u8 = 3;
/// Another process held the migration lock for longer than `lock_timeout`, or a migration
/// statement waited longer than `table_lock_timeout` for a table lock.
pub const EXIT_LOCK_TIMEOUT: u8 = 4;
/// Bad configuration: missing or invalid migrate.toml, no database URL, malformed URL.
pub const EXIT_CONFIG: u8 = 5;
/// The database server can't be reached, or refused the connection (wrong database, user or
/// password).
pub const EXIT_CONNECT: u8 = 6;
/// The version table can't be used as it is: it names a revision no migration has (the
/// database may be ahead, migrated by a newer release; or a migration was deleted, which
/// `migrate stamp --purge <rev>` resets), or its
/// `version_num` column does not hold text (a table of another tool); nothing ran.
pub const EXIT_UNKNOWN_REVISION: u8 = 7;
/// MySQL/MariaDB: a migration was interrupted (a crash, kill -9) where it can't be resumed
/// without a decision; nothing ran. Retrying in a loop will not help: the message says what to
/// decide.
pub const EXIT_INTERRUPTED: u8 = 8;
/// `migrate lint` found at least one error (a rule of severity `deny`, or an error by
/// default); the findings are printed above.
pub const EXIT_LINT: u8 = 9;
/// `check`: Diesel's `schema.rs` (`diesel_schema`) has changes no migration carries yet
/// (`migrate revision --autogenerate` writes one).
pub const EXIT_SCHEMA_CHANGES: u8 = 10;
/// `--db`/`--all`: the command failed on at least one of the databases (the others ran; the
/// summary names each one that failed).
pub const EXIT_SOME_DATABASES_FAILED: u8 = 11;

/// Errors raised by the CLI itself (the graph and the executor have their own types).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CliError {
    /// The configuration file is missing.
    #[error("no configuration file at {}", path.display())]
    ConfigMissing {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// The configuration file can't be read or parsed.
    #[error("invalid configuration in {}: {message}", path.display())]
    ConfigInvalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// No URL anywhere.
    #[error("no database URL: pass --url, set DATABASE_URL, or set `url` in migrate.toml")]
    NoUrl,
    /// The URL has an unknown scheme or no host.
    #[error("invalid database URL '{url}': {reason}")]
    BadUrl {
        /// The URL, password masked.
        url: String,
        /// Why.
        reason: String,
    },
    /// The database is not at the head revisions.
    #[error("{0}")]
    NotAtHead(String),
    /// `--db`/`--all`: some databases failed (the summary above names them).
    #[error("{failed} of {total} database(s) failed: {names}")]
    DatabasesFailed {
        /// How many failed.
        failed: usize,
        /// How many ran.
        total: usize,
        /// The first few that failed, by name.
        names: String,
    },
    /// A command-level refusal with Alembic's wording (not a head, duplicate ...).
    #[error("{0}")]
    Command(String),
    /// `revision`/`merge` on a graph with several heads and no `--head` (Alembic's wording).
    #[error("Multiple heads are present; please specify the head revision on which the new revision should be based, or perform a merge.")]
    MultipleHeads,
    /// A `START:END` range where only one target makes sense (Alembic's wording).
    #[error("Range revision not allowed")]
    RangeNotAllowed,
    /// A relative target (`-1`, `e+2`) walked into a fork or off the end of the graph.
    #[error("{alembic} for '{target}': {why}")]
    Walk {
        /// Alembic's words (`Ambiguous walk`, `Walked too far`).
        alembic: String,
        /// The target as typed.
        target: String,
        /// What happened.
        why: &'static str,
        /// How to get on.
        fix: &'static str,
    },
    /// The Diesel `schema.rs` (`diesel_schema`, `schema --output`) can't be written.
    #[error("can't write the schema file {}: {why}", path.display())]
    SchemaFile {
        /// The file.
        path: PathBuf,
        /// Why (the system's words).
        why: String,
    },
    /// `check`: the Diesel `schema.rs` is not what the database prints.
    #[error("{} is stale: it is not what `migrate schema --from-db` prints for the database (diff above)", path.display())]
    SchemaStale {
        /// The file.
        path: PathBuf,
    },
    /// `migrate lint` found errors (printed above).
    #[error(
        "lint: {errors} error(s) and {warnings} warning(s) in the migrations linted (listed above)"
    )]
    Lint {
        /// Findings of severity error.
        errors: usize,
        /// Findings of severity warning.
        warnings: usize,
    },
    /// `schema.rs` can't be read for autogenerate: not there, not Rust, not what `table!`
    /// holds, or a type without a SQL type.
    #[error("{}: {why}", path.display())]
    SchemaRead {
        /// The file.
        path: PathBuf,
        /// What is wrong (`line:column: ...` when it does not parse).
        why: String,
    },
    /// `schema.rs` is not Rust, or not what `table!` holds: where, compiler style.
    #[error("{}:{line}:{column}: {message}", path.display())]
    SchemaParse {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What was expected.
        message: String,
    },
    /// `check`: `schema.rs` says what the database does not have, and no migration says it.
    #[error("{} has changes not in any migration: {}", file_name(path), changes.join("; "))]
    SchemaChanges {
        /// The file.
        path: PathBuf,
        /// One per change: `table users: column timezone`.
        changes: Vec<String>,
    },
    /// Broken revision graph: every problem, one per line.
    #[error("the revision graph is broken: {}", .0.join("; "))]
    Graph(Vec<String>),
}

/// `src/schema.rs` shown as `schema.rs`, the way people name it.
fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

impl CliError {
    fn exit_code(&self) -> u8 {
        match self {
            CliError::ConfigMissing { .. }
            | CliError::ConfigInvalid { .. }
            | CliError::NoUrl
            | CliError::BadUrl { .. }
            | CliError::SchemaFile { .. }
            | CliError::SchemaRead { .. }
            | CliError::SchemaParse { .. } => EXIT_CONFIG,
            CliError::NotAtHead(_) | CliError::SchemaStale { .. } => EXIT_NOT_AT_HEAD,
            CliError::Lint { .. } => EXIT_LINT,
            CliError::SchemaChanges { .. } => EXIT_SCHEMA_CHANGES,
            CliError::DatabasesFailed { .. } => EXIT_SOME_DATABASES_FAILED,
            CliError::Command(_)
            | CliError::MultipleHeads
            | CliError::RangeNotAllowed
            | CliError::Graph(_)
            | CliError::Walk { .. } => EXIT_ERROR,
        }
    }

    fn hint(&self) -> Option<String> {
        match self {
            CliError::ConfigMissing { .. } => {
                Some("run `migrate init` to create a project, or pass -c/--config FILE".to_owned())
            }
            CliError::NotAtHead(_) => Some("run `migrate upgrade heads`".to_owned()),
            CliError::SchemaFile { .. } => Some(
                "point `diesel_schema` in migrate.toml (or --output) at a file that can be written; nothing ran"
                    .to_owned(),
            ),
            CliError::SchemaStale { path } => Some(format!(
                "`migrate upgrade` rewrites it; or run `migrate schema --from-db --output {}`",
                path.display()
            )),
            CliError::SchemaRead { .. } | CliError::SchemaParse { .. } => Some(
                "fix the file (or point `diesel_schema` in migrate.toml, or --schema, at another); nothing was written".to_owned(),
            ),
            CliError::SchemaChanges { .. } => Some(
                "`migrate revision --autogenerate -m \"...\"` writes a migration for them".to_owned(),
            ),
            CliError::Walk { fix, .. } => Some((*fix).to_owned()),
            CliError::Lint { .. } => Some(
                "follow each finding's fix, or allow the rule for one migration with allow_lint = [\"<rule>\"] and allow_lint_reason = \"...\" (or in [lint] of migrate.toml)"
                    .to_owned(),
            ),
            CliError::MultipleHeads => {
                Some("create a merge with `migrate merge heads -m \"merge\"`".to_owned())
            }
            CliError::RangeNotAllowed => Some(
                "a START:END range is for offline scripts: add --sql, or give one target"
                    .to_owned(),
            ),
            _ => None,
        }
    }
}

/// `err`, told about `target` when it is a relative walk that failed: Alembic says only
/// "Ambiguous walk" or "Walked too far", which names neither the argument nor a way on.
pub(crate) fn about_target(err: anyhow::Error, target: &str) -> anyhow::Error {
    use migrate_graph::GraphError as G;
    let graph = err.chain().find_map(graph_error);
    let (why, fix) = match graph {
        Some(G::AmbiguousWalk) => (
            "the step crosses a branch point or a merge point, where there is more than one way to go",
            "name the revision to go to instead (`migrate history` lists them), or walk one branch with LABEL@-1 / LABEL@+1",
        ),
        Some(G::WalkedTooFar) => (
            "the walk goes past the end of the revision graph",
            "`migrate history` shows the revisions; `base` and `heads` name the two ends",
        ),
        _ => return err,
    };
    let alembic = graph.map(ToString::to_string).unwrap_or_default();
    CliError::Walk {
        alembic,
        target: target.to_owned(),
        why,
        fix,
    }
    .into()
}

/// The graph error a cause is, or carries (the core wraps it transparently).
fn graph_error<'e>(
    cause: &'e (dyn std::error::Error + 'static),
) -> Option<&'e migrate_graph::GraphError> {
    cause
        .downcast_ref::<migrate_graph::GraphError>()
        .or_else(|| match cause.downcast_ref::<migrate_core::Error>() {
            Some(migrate_core::Error::Graph(g)) => Some(g),
            _ => None,
        })
}

/// The exit code for an error: the most specific one found in its chain.
pub fn exit_code(err: &anyhow::Error) -> ExitCode {
    ExitCode::from(exit_code_u8(err))
}

pub(crate) fn exit_code_u8(err: &anyhow::Error) -> u8 {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<CliError>() {
            return e.exit_code();
        }
        if let Some(code) = crate::db::core_exit_code(cause) {
            return code;
        }
    }
    EXIT_ERROR
}

/// A one-line suggestion for fixing the error, when there is an obvious one: chosen by the
/// error's type and variant, never by its text.
pub fn hint(err: &anyhow::Error) -> Option<String> {
    err.chain().find_map(|cause| {
        cause
            .downcast_ref::<CliError>()
            .and_then(CliError::hint)
            .or_else(|| crate::db::core_hint(cause))
            .or_else(|| graph_error(cause).and_then(graph_hint))
    })
}

/// Hints for the graph's resolution errors.
fn graph_hint(e: &migrate_graph::GraphError) -> Option<String> {
    use migrate_graph::GraphError as G;
    match e {
        G::MultipleHeadsForArgument { .. } => Some(
            "use `heads`, `<label>@head`, or merge the heads with `migrate merge heads -m \"merge\"`"
                .to_owned(),
        ),
        G::UnknownRevision { .. }
        | G::AmbiguousPrefix { .. }
        | G::NoSuchBranch { .. }
        | G::NotMemberOfBranch { .. } => {
            Some("`migrate history` lists the known revisions".to_owned())
        }
        _ => None,
    }
}

/// The error and its causes on one line, `: `-separated, each cause shown once: a message
/// that already quotes its cause (thiserror's `{source}`) does not repeat it.
pub fn one_line(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if text.is_empty() || line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

/// Whether the error is only a closed stdout (`migrate history | head`): not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Print `error: ...` (the whole chain on one line) and a `hint: ...` line to stderr, and
/// return the exit code. A broken pipe prints nothing and exits 0, like ripgrep.
pub fn report(err: &anyhow::Error) -> ExitCode {
    if is_broken_pipe(err) {
        return ExitCode::from(EXIT_OK);
    }
    eprintln!("error: {}", one_line(err));
    if let Some(hint) = hint(err) {
        eprintln!("hint: {hint}");
    }
    exit_code(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_chain() {
        let err = anyhow::Error::new(CliError::NoUrl).context("loading configuration");
        assert_eq!(exit_code_u8(&err), EXIT_CONFIG);
        let err = anyhow::Error::new(CliError::NotAtHead("x".into()));
        assert_eq!(exit_code_u8(&err), EXIT_NOT_AT_HEAD);
        assert_eq!(hint(&err).as_deref(), Some("run `migrate upgrade heads`"));
        assert_eq!(exit_code_u8(&anyhow::anyhow!("plain")), EXIT_ERROR);
    }

    #[test]
    fn broken_pipe_is_recognised_through_context() {
        let err = anyhow::Error::new(io::Error::from(io::ErrorKind::BrokenPipe)).context("x");
        assert!(is_broken_pipe(&err));
    }
}
