//! The `migrate` command as a library: Alembic's commands over compiled Rust migrations.
//!
//! The `migrate` binary is `run(std::env::args_os(), &[])`. An application embeds the very
//! same commands, with its migrations linked in, as its own `myapp migrate ...`:
//!
//! ```no_run
//! # mod my_migrations { pub static MIGRATIONS: migrate_core::MigrationSet =
//! #     migrate_core::MigrationSet::__new("my_migrations", &[]); }
//! fn main() -> std::process::ExitCode {
//!     // `myapp upgrade head`, `myapp current`, `myapp history` ...
//!     migrate_cli::main_with(&[&my_migrations::MIGRATIONS])
//! }
//! ```
//!
//! # Details
//!
//! * Graph commands (`heads`, `branches`, `history`, `show`) show the graph the migrations
//!   crate's binary links, library crates' migrations included: the list of revisions that
//!   binary wrote once after its build, when it is fresh (no cargo), else after building it;
//!   a migrations folder with no `Cargo.toml` is read from its sources. `revision` and
//!   `merge` read the migration source files (they write new ones); an embedding
//!   application answers them from its linked migrations instead.
//! * Database commands (`upgrade`, `downgrade`, `current`, `stamp`, `check`, `test`,
//!   `history -i`, `show current`) need the compiled migrations: the `migrate` binary builds
//!   the migrations crate's own binary (its `src/main.rs`, which is [`main_with`] over the
//!   crate's `MIGRATIONS`) with cargo, in the user's workspace, and runs it with the same
//!   arguments. That binary runs alone in production: no cargo, no source tree.
//! * `revision --autogenerate` compares Diesel's `schema.rs` with the database at head (or,
//!   with `--offline`, with what the migrations build) and writes the operations between them
//!   as a new migration; it runs in the migrations crate's binary like the database commands.
//! * `schema` prints Diesel's `schema.rs` from the linked migrations' replay (no database) or,
//!   with `--from-db`, from the database; with `diesel_schema` in migrate.toml, `upgrade` and
//!   `downgrade` rewrite that file and `check` fails when it is stale.
//! * `--db NAME` and `--all` run `upgrade`, `downgrade`, `current`, `check` or `stamp` on the
//!   databases of migrate.toml (`[databases.NAME]`, `[tenants]`) through
//!   [`migrate_core::fleet::Fleet`], `--jobs N` at a time, with a summary table at the end.
//! * Results go to stdout; progress (`Running upgrade a -> b, msg ... 12 ms`) and errors go
//!   to stderr. Passwords in URLs are never printed.
//!
//! # Exit codes
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success (also when stdout is a closed pipe) |
//! | 1 | error: a migration failed, an unknown revision argument, a broken graph ... |
//! | 2 | usage error (unknown flag, missing argument, an empty revision argument) |
//! | 3 | the database is not at head: `check` failed (a stale `diesel_schema` too), `current --check-heads` failed |
//! | 4 | lock timeout: another process held the migration lock for `lock_timeout` seconds, or a migration statement waited longer than `table_lock_timeout` for a table lock |
//! | 5 | bad configuration: missing/invalid `migrate.toml`, no database URL, malformed URL, a `diesel_schema` file that can't be written |
//! | 6 | can't connect: the server is unreachable or refused the connection |
//! | 7 | the version table can't be used: it names a revision no migration has (the database may be ahead, migrated by a newer release; `stamp --purge` only for a deleted migration), or its `version_num` is not text; nothing ran |
//! | 8 | MySQL/MariaDB: a migration was interrupted where resuming needs a decision; nothing ran |
//! | 9 | `lint` found an error (a finding of severity error; the findings are printed) |
//! | 10 | `check`: Diesel's `schema.rs` (`diesel_schema`) has changes no migration carries (`revision --autogenerate` writes one) |
//! | 11 | `--db`/`--all`: the command failed on at least one database (the others ran; the summary names each that failed) |

#![warn(missing_docs)]
#![forbid(unsafe_code)]

use std::ffi::OsString;
use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use migrate_core::{MigrationSet, MigrationSource};

mod autogen;
pub mod cli;
mod commands;
pub mod config;
mod db;
pub mod error;
mod fresh;
mod lints;
mod newrev;
mod output;
mod progress;
mod project;
mod schema_rs;
mod sources;
mod trace;
mod view;

pub use cli::Cli;
pub use config::Config;
pub use error::{exit_code, hint, report, CliError};

/// Run the command line `args` (the first item is the program name) with the migration sets
/// linked into this program (`&[]` for the standalone `migrate` binary).
///
/// Returns the exit code for outcomes that are not errors (`--help`, a usage error already
/// printed by clap, success); anything else is an `Err` for [`report`] to print.
///
/// # Errors
///
/// Every failure of the command, with a [`CliError`] or a `migrate_core::Error` in its chain
/// where the exit code depends on it.
pub fn run(
    args: impl IntoIterator<Item = OsString>,
    sets: &[&'static MigrationSet],
) -> anyhow::Result<ExitCode> {
    if sets.is_empty() {
        return run_linked(args, None);
    }
    // A set its crate's `migrations!()` registered is in `Linked` already, which the
    // commands read beside the sets given: passing it again would convert each of its
    // migrations twice and drop the copies (a fifth of `current` at 10,000 migrations).
    let linked: Vec<&'static MigrationSet> = migrate_core::Linked::sets().collect();
    let unlisted: Vec<&'static MigrationSet> = sets
        .iter()
        .copied()
        .filter(|set| !linked.iter().any(|l| std::ptr::eq(*l, *set)))
        .collect();
    run_linked(args, Some(&unlisted))
}

/// [`run`] over any [`MigrationSource`] (a diesel_migrations folder, migrations built in
/// code, several crates' sets): the commands see `source` plus every `#[migration]` linked
/// into the program (`migrate_core::Linked`), as with [`run`].
///
/// ```no_run
/// # fn demo(diesel: &dyn migrate_core::MigrationSource) -> anyhow::Result<()> {
/// let code = migrate_cli::run_with_source(std::env::args_os(), diesel)?;
/// # let _ = code; Ok(()) }
/// ```
///
/// # Errors
///
/// As [`run`].
pub fn run_with_source(
    args: impl IntoIterator<Item = OsString>,
    source: &dyn MigrationSource,
) -> anyhow::Result<ExitCode> {
    run_linked(args, Some(source))
}

fn run_linked(
    args: impl IntoIterator<Item = OsString>,
    source: Option<&dyn MigrationSource>,
) -> anyhow::Result<ExitCode> {
    let args: Vec<OsString> = args.into_iter().collect();
    if let Some(source) = source {
        if let Some(path) = std::env::var_os(project::WRITE_GRAPH_ENV) {
            // The front end asks which revisions this binary links (see `project`).
            project::write_linked(source, std::path::Path::new(&path))?;
            return Ok(ExitCode::SUCCESS);
        }
    }
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(err) => {
            // --help and --version are "errors" to clap; both print and exit 0.
            let code = err.exit_code();
            err.print()?;
            return Ok(ExitCode::from(
                u8::try_from(code).unwrap_or(error::EXIT_USAGE),
            ));
        }
    };
    if cli.global.verbose {
        trace::init_verbose();
    }
    if source.is_none() && cli.command.needs_compiled_migrations() {
        return project::run_via_project(&cli, &args);
    }
    // The graph commands of the standalone binary show the graph the migrations binary links
    // (library crates' migrations included), when there is such a binary to ask.
    let linked = if source.is_none() && reads_graph(&cli.command) {
        project::linked_graph(&cli)?
    } else {
        None
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let code = commands::dispatch(&cli, source, linked, &mut out)?;
    out.flush()?;
    Ok(code)
}

/// `heads`, `branches`, `history` and `show` where they need no database.
fn reads_graph(command: &cli::Command) -> bool {
    use cli::Command;
    matches!(
        command,
        Command::Heads(_) | Command::Branches(_) | Command::History(_) | Command::Show(_)
    ) && !command.needs_compiled_migrations()
}

/// The `main` of a program with migrations linked in: [`run`] over `std::env::args_os()`,
/// errors printed as one `error:` line plus a `hint:` line, and the documented exit code.
///
/// The runner the `migrate` binary builds is exactly
/// `fn main() -> ExitCode { migrate_cli::main_with(&[&my_migrations::MIGRATIONS]) }`.
///
/// A panic (in a migration's code, say) is reported the same way, as one `error:` line with
/// where it happened, instead of a backtrace; the running migration's transaction is rolled
/// back when the connection is dropped.
pub fn main_with(sets: &[&'static MigrationSet]) -> ExitCode {
    static PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_owned());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        if let Ok(mut slot) = PANIC.lock() {
            *slot = Some(format!("panicked{at}: {message}"));
        }
    }));
    let outcome = std::panic::catch_unwind(|| run(std::env::args_os(), sets));
    let _ = std::panic::take_hook();
    match outcome {
        Ok(Ok(code)) => code,
        Ok(Err(err)) => report(&err),
        Err(_) => {
            let what = PANIC.lock().ok().and_then(|mut s| s.take());
            eprintln!("error: {}", what.unwrap_or_else(|| "panicked".to_owned()));
            eprintln!("hint: the migration running at the time was rolled back where the database allows; `migrate current` shows where it stands");
            ExitCode::from(error::EXIT_ERROR)
        }
    }
}
