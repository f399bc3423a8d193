//! The command line, as clap derive types. Doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Alembic-grade schema migrations for Rust.
///
/// Migrations are Rust functions in a migrations crate (see `migrate init`); the graph commands
/// read its source files, the database commands run the compiled migrations.
#[derive(Debug, Parser)]
#[command(
    name = "migrate",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Options every command accepts, before or after the command name.
    #[command(flatten)]
    pub global: GlobalOpts,
    /// Many databases: `migrate --db NAME <command>`, `migrate --all <command>`.
    #[command(flatten)]
    pub fleet: FleetOpts,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts.
#[derive(Debug, Clone, Default, Args)]
pub struct GlobalOpts {
    /// Configuration file [default: migrate.toml in the current directory]
    #[arg(
        short = 'c',
        long = "config",
        value_name = "FILE",
        global = true,
        help_heading = "Global options"
    )]
    pub config: Option<PathBuf>,
    /// Database URL (sqlite://path, postgres://..., mysql://...); overrides DATABASE_URL and migrate.toml
    #[arg(
        long,
        value_name = "URL",
        global = true,
        help_heading = "Global options"
    )]
    pub url: Option<String>,
    /// Extra argument for the migrations, KEY=VALUE (repeatable; a bare KEY means KEY=)
    #[arg(short = 'x', value_name = "KEY=VALUE", global = true, value_parser = parse_x_arg, help_heading = "Global options")]
    pub x: Vec<(String, String)>,
    /// Print no status messages (results and errors only)
    #[arg(
        short,
        long,
        global = true,
        conflicts_with = "verbose",
        help_heading = "Global options"
    )]
    pub quiet: bool,
    /// Print details (verbose blocks for heads, history, current, branches)
    #[arg(short, long, global = true, help_heading = "Global options")]
    pub verbose: bool,
}

/// Options that run a database command on the databases of migrate.toml (`[databases.NAME]`,
/// `[tenants]`); written before the command name (`migrate --all upgrade`).
#[derive(Debug, Clone, Default, Args)]
pub struct FleetOpts {
    /// Run on the database [databases.NAME] (or the tenant NAME) of migrate.toml
    #[arg(
        long = "db",
        value_name = "NAME",
        conflicts_with = "all",
        help_heading = "Many databases"
    )]
    pub db: Option<String>,
    /// Run on every database of migrate.toml: each [databases.NAME], then each tenant
    #[arg(long, help_heading = "Many databases")]
    pub all: bool,
    /// How many databases at once with --db/--all [default: the number of CPUs]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..), help_heading = "Many databases")]
    pub jobs: Option<u16>,
}

impl FleetOpts {
    /// `--db` or `--all` was given.
    pub fn is_set(&self) -> bool {
        self.db.is_some() || self.all
    }

    /// `--jobs` only with `--db` or `--all`.
    ///
    /// # Errors
    ///
    /// [`CliError::Command`](crate::CliError::Command) naming the rule.
    pub fn check_arguments(&self) -> Result<(), crate::CliError> {
        if self.jobs.is_some() && !self.is_set() {
            return Err(crate::CliError::Command(
                "--jobs needs --db NAME or --all".to_owned(),
            ));
        }
        Ok(())
    }
}

/// The commands, with Alembic's names and flags.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create migrate.toml and a migrations crate
    Init(InitArgs),
    /// Create a new migration file
    Revision(RevisionArgs),
    /// Create a migration that merges two or more heads
    Merge(MergeArgs),
    /// Apply migrations up to a target (default: head)
    Upgrade(UpgradeArgs),
    /// Revert migrations down to a target
    Downgrade(DowngradeArgs),
    /// Show the database's current revision(s)
    Current(CurrentArgs),
    /// List revisions, newest first
    History(HistoryArgs),
    /// List the head revisions
    Heads(HeadsArgs),
    /// List the branch points and their branches
    Branches(JsonArg),
    /// Show one revision (or `current`)
    Show(ShowArgs),
    /// Set the version table without running migrations
    Stamp(StampArgs),
    /// CI gate: chain sound, database at head, no applied migration edited, no drift, schema.rs current
    Check(CheckArgs),
    /// Stairway test on a scratch database: up one, down one, up again, for every revision
    Test,
    /// Print the schema the migrations build as Diesel's schema.rs (`table!` code)
    Schema(SchemaArgs),
    /// What the pending migrations do to a running system (locks, rewrites, data loss), with fixes
    Lint(LintArgs),
}

/// `init [DIRECTORY]`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory of the new migrations crate
    #[arg(default_value = "migrations")]
    pub directory: PathBuf,
}

/// `revision`.
#[derive(Debug, Args)]
pub struct RevisionArgs {
    /// Message, the migration's doc comment
    #[arg(short, long, default_value = "empty message")]
    pub message: String,
    /// Revision id to use instead of a random one
    #[arg(long, value_name = "ID")]
    pub rev_id: Option<String>,
    /// Revision the new one is based on: head, base (a new root), an id, a label, LABEL@head
    #[arg(long, default_value = "head", allow_hyphen_values = true, value_parser = target)]
    pub head: String,
    /// Allow --head to be a revision that is not a head (starts a new branch)
    #[arg(long)]
    pub splice: bool,
    /// Branch label for the new revision (repeatable)
    #[arg(long = "branch-label", value_name = "LABEL")]
    pub branch_label: Vec<String>,
    /// Revision (id, prefix or label) the new one depends on (repeatable)
    #[arg(long = "depends-on", value_name = "REV", value_parser = target)]
    pub depends_on: Vec<String>,
    /// Write the operations that take the database to Diesel's schema.rs (`diesel_schema`)
    #[arg(long)]
    pub autogenerate: bool,
    /// With --autogenerate: the schema.rs to read instead of `diesel_schema`
    #[arg(long, value_name = "FILE", requires = "autogenerate")]
    pub schema: Option<PathBuf>,
    /// With --autogenerate: also drop tables the database has and schema.rs lacks
    #[arg(long, requires = "autogenerate")]
    pub drop_missing_tables: bool,
    /// With --autogenerate: print the SQL of the operations instead of writing a file
    #[arg(long, requires = "autogenerate")]
    pub sql: bool,
    /// With --autogenerate: compare with what the migrations build (no database)
    #[arg(long, requires = "autogenerate")]
    pub offline: bool,
}

/// `merge REVISIONS...`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Revisions to merge (`heads` for every head)
    #[arg(required = true, value_parser = target)]
    pub revisions: Vec<String>,
    /// Message, the migration's doc comment
    #[arg(short, long, default_value = "empty message")]
    pub message: String,
    /// Branch label for the merge revision (repeatable)
    #[arg(long = "branch-label", value_name = "LABEL")]
    pub branch_label: Vec<String>,
    /// Revision id to use instead of a random one
    #[arg(long, value_name = "ID")]
    pub rev_id: Option<String>,
    /// Allow merging revisions that are not heads
    #[arg(long)]
    pub splice: bool,
}

/// `upgrade [TARGET]`.
#[derive(Debug, Args)]
pub struct UpgradeArgs {
    /// Target: head, heads, an id, LABEL@head, +N ... (START:END with --sql)
    #[arg(default_value = "head", allow_hyphen_values = true, value_parser = target)]
    pub target: String,
    /// Print the SQL script instead of running it (no database needed)
    #[arg(long)]
    pub sql: bool,
    /// Show the result as JSON
    #[arg(long)]
    pub json: bool,
}

/// `downgrade TARGET`.
#[derive(Debug, Args)]
pub struct DowngradeArgs {
    /// Target: -N, an id, base, LABEL@base ... (START:END with --sql)
    #[arg(allow_hyphen_values = true, value_parser = target)]
    pub target: String,
    /// Print the SQL script instead of running it (no database needed)
    #[arg(long)]
    pub sql: bool,
    /// Show the result as JSON
    #[arg(long)]
    pub json: bool,
}

/// `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Skip comparing the database's schema with what its migrations build (drift)
    #[arg(long)]
    pub no_drift: bool,
}

/// `lint [RANGE] [--all] [--offline] [--json] [--rules]`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// The migrations to lint: END (from the database's revisions, or base with --offline) or START:END [default: the migrations not yet applied; with --offline, all]
    #[arg(value_name = "RANGE", allow_hyphen_values = true, value_parser = target)]
    pub range: Option<String>,
    /// Lint every migration, applied or not
    #[arg(long, conflicts_with = "range")]
    pub all: bool,
    /// Open no database: RANGE starts at base, and only the URL's scheme (the dialect) is used
    #[arg(long)]
    pub offline: bool,
    /// Print the findings as one JSON document (for CI)
    #[arg(long)]
    pub json: bool,
    /// List the rules (id, dialects, default severity, fix) and exit
    #[arg(long, conflicts_with_all = ["range", "all", "offline"])]
    pub rules: bool,
}

/// `schema [--from-db] [--output FILE]`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Read the database instead of replaying the migrations (no database needed without it)
    #[arg(long)]
    pub from_db: bool,
    /// Write the file (only when its content changes) instead of printing it
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `current`.
#[derive(Debug, Args)]
pub struct CurrentArgs {
    /// Fail (exit 3) unless the database is on all head revisions
    #[arg(long)]
    pub check_heads: bool,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

/// `history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Range `[START]:[END]`; `current` may be used on either side
    #[arg(
        short = 'r',
        long = "rev-range",
        value_name = "RANGE",
        allow_hyphen_values = true,
        value_parser = not_blank
    )]
    pub rev_range: Option<String>,
    /// Mark the database's current revisions (reads the database)
    #[arg(short = 'i', long)]
    pub indicate_current: bool,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

/// `heads`.
#[derive(Debug, Args)]
pub struct HeadsArgs {
    /// List the real heads: drop heads that other revisions depend on
    #[arg(long)]
    pub resolve_dependencies: bool,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

/// A lone `--json` flag.
#[derive(Debug, Args)]
pub struct JsonArg {
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

/// `show REV`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Revision: an id, a prefix, a label, head, -1, current ...
    #[arg(allow_hyphen_values = true, value_parser = target)]
    pub rev: String,
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

/// `stamp REVISIONS...`.
#[derive(Debug, Args)]
pub struct StampArgs {
    /// Revisions to record (head, heads, base, ids, labels; START:END with --sql)
    #[arg(required = true, value_parser = target)]
    pub revisions: Vec<String>,
    /// Delete every row of the version table first
    #[arg(long)]
    pub purge: bool,
    /// Print the SQL instead of running it
    #[arg(long)]
    pub sql: bool,
}

impl Command {
    /// The argument rules that need no migrations, checked before anything is built or
    /// connected: a `START:END` range only with `--sql` (Alembic's "Range revision not
    /// allowed").
    ///
    /// # Errors
    ///
    /// [`CliError::Command`](crate::CliError::Command) naming the rule.
    pub fn check_arguments(&self) -> Result<(), crate::CliError> {
        let range_without_sql = match self {
            Command::Upgrade(a) => !a.sql && a.target.contains(':'),
            Command::Downgrade(a) => !a.sql && a.target.contains(':'),
            Command::Stamp(a) => !a.sql && a.revisions.iter().any(|r| r.contains(':')),
            _ => false,
        };
        if range_without_sql {
            return Err(crate::CliError::RangeNotAllowed);
        }
        Ok(())
    }

    /// Whether the command needs the compiled migrations (a database or the migration code).
    pub fn needs_compiled_migrations(&self) -> bool {
        match self {
            Command::Upgrade(_)
            | Command::Downgrade(_)
            | Command::Current(_)
            | Command::Stamp(_)
            | Command::Check(_)
            | Command::Test
            | Command::Schema(_) => true,
            Command::Lint(l) => !l.rules,
            Command::History(h) => {
                h.indicate_current
                    || h.rev_range
                        .as_deref()
                        .is_some_and(|r| r.split(':').any(|side| side.trim() == "current"))
            }
            Command::Show(s) => s.rev == "current",
            Command::Revision(r) => r.autogenerate,
            Command::Init(_) | Command::Merge(_) | Command::Heads(_) | Command::Branches(_) => {
                false
            }
        }
    }
}

/// A revision argument: never empty (`migrate downgrade "$TARGET"` with an unset variable
/// must not mean `base`), and never a mistyped flag (`upgrade --bogus` is a usage error, not a
/// revision named `--bogus`). A leading `-` is a relative step: `-1`, `-2:head`.
fn target(s: &str) -> Result<String, String> {
    let s = not_blank(s)?;
    let mut chars = s.chars();
    if chars.next() == Some('-') && !chars.next().is_some_and(|c| c.is_ascii_digit()) {
        return Err(format!(
            "'{s}' is not a flag of this command (see --help); a revision starting with '-' is a relative step such as -1"
        ));
    }
    Ok(s)
}

/// Any revision or range argument: not empty, not only white space.
fn not_blank(s: &str) -> Result<String, String> {
    if s.trim().is_empty() {
        return Err(
            "the revision is empty; give one such as head, base, -1 or an id (is a shell variable unset?)"
                .to_owned(),
        );
    }
    Ok(s.to_owned())
}

/// `-x KEY=VALUE` (split on the first `=`; `KEY` alone is `KEY=`), as Alembic's
/// `get_x_argument(as_dictionary=True)`.
fn parse_x_arg(s: &str) -> Result<(String, String), String> {
    let (key, value) = s.split_once('=').unwrap_or((s, ""));
    if key.is_empty() {
        return Err(format!("invalid -x argument '{s}': expected KEY=VALUE"));
    }
    Ok((key.to_owned(), value.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn empty_and_flag_like_targets_are_usage_errors() {
        for args in [
            &["migrate", "downgrade", ""][..],
            &["migrate", "downgrade", "  "],
            &["migrate", "upgrade", ""],
            &["migrate", "stamp", ""],
            &["migrate", "show", "\t"],
            &["migrate", "upgrade", "--bogus-flag"],
            &["migrate", "downgrade", "-x"],
            &["migrate", "history", "-r", ""],
            &["migrate", "revision", "--head", ""],
        ] {
            let err = Cli::try_parse_from(args).expect_err(&format!("{args:?}"));
            assert_eq!(err.exit_code(), 2, "{args:?}");
        }
        for args in [
            &["migrate", "downgrade", "-1"][..],
            &["migrate", "downgrade", "-2:base", "--sql"],
            &["migrate", "upgrade", "+1"],
            &["migrate", "history", "-r", "-3:"],
        ] {
            assert!(Cli::try_parse_from(args).is_ok(), "{args:?}");
        }
    }

    #[test]
    fn x_args_split_on_first_equals() {
        assert_eq!(parse_x_arg("a=b=c"), Ok(("a".into(), "b=c".into())));
        assert_eq!(parse_x_arg("flag"), Ok(("flag".into(), String::new())));
        assert!(parse_x_arg("=v").is_err());
    }
}
