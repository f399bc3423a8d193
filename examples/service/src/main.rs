//! A small HTTP service that owns a database schema (the `example-schema` migrations): a
//! template to copy (its Cargo.toml names every dependency by version, nothing from this
//! repository's workspace).
//!
//! At start-up it runs [`migrate_core::Startup`] in the mode the environment names: apply
//! pending migrations (`migrate`, the development pattern), only verify (`verify`, the
//! production pattern, where a one-shot job runs `migrate upgrade`), verify but accept a
//! database a newer release already migrated (`verify-at-or-ahead`, rolling deploys), or
//! nothing (`off`). A failed upgrade does not crash it: it serves in a degraded mode that
//! `/health` reports (200, `"status":"degraded"`, `"migrations":"failed"`), `/ready` answers
//! 503, and the admin page shows in full and retries.
//!
//! Environment:
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `MIGRATE_CONFIG` | `migrate.toml` (if there) | the migrate.toml to read, as the `migrate` command does: version table, schema, lock timeout, transaction mode, URL |
//! | `DATABASE_URL` | `url` in migrate.toml, else `sqlite://service.db` | the database (also read from a `.env` beside migrate.toml) |
//! | `MIGRATE_ON_START` | `verify` | `migrate` (or `true`), `verify` (or `false`), `verify-at-or-ahead`, `off` |
//! | `DISABLE_AUTO_MIGRATIONS` | unset | `true`: verify instead of migrating (`MIGRATE_ON_START` wins when both are set) |
//! | `MIGRATE_ADMIN_TOKEN` | unset | the admin page's token; unset, the page is disabled |
//! | `BIND` | `127.0.0.1:3000` | listen address (`127.0.0.1:0` picks a free port) |
//!
//! Endpoints: `GET /health` (liveness: 200, 503 only when the database is unreachable),
//! `GET /ready` (readiness: 200 when the schema is usable in this mode, else 503),
//! `GET /admin/migrations` (HTML, or JSON for `Accept: application/json`: current, heads,
//! pending with messages, the last error in full, recent history), `POST /admin/migrations`
//! (retry) and `POST /admin/login` (the sign-in form).
//!
//! The first line on stdout is `listening on <address>`. Exit codes: 0 after a clean shutdown,
//! 1 on bad configuration or when a verify mode can't read the database, 3 when a verify mode
//! finds the database behind (or, in `verify`, ahead).

#![forbid(unsafe_code)]

mod admin;
mod auth;
mod page;
mod routes;
mod state;

use std::process::ExitCode;
use std::sync::Arc;

use migrate_core::{
    Direction, Error as MigrateError, Event, Migrator, StartMode, StartStatus, Startup,
};

use crate::auth::AdminToken;
use crate::state::AppState;

/// Exit code when a verify mode finds the database not at this build's heads (as `migrate
/// check`).
const EXIT_NOT_AT_HEAD: u8 = 3;

/// What the environment asks for.
struct Config {
    /// `MIGRATE_CONFIG`: a migrate.toml that must exist; unset: `migrate.toml` if there is one.
    migrate_config: Option<String>,
    mode: StartMode,
    bind: String,
}

impl Config {
    fn from_env() -> Result<Config, String> {
        Ok(Config {
            migrate_config: std::env::var("MIGRATE_CONFIG")
                .ok()
                .filter(|p| !p.is_empty()),
            mode: StartMode::from_env(StartMode::Verify).map_err(|e| e.to_string())?,
            bind: std::env::var("BIND").unwrap_or_else(|_| "127.0.0.1:3000".to_owned()),
        })
    }
}

/// Progress to stderr: one line per applied step, lock waits and warnings.
fn log_event(event: &Event) {
    match event {
        Event::LockWaiting { lock, timeout } => eprintln!(
            "migrate: waiting up to {}s for the migration lock ({lock})",
            timeout.as_secs()
        ),
        Event::StepFinished {
            revision,
            kind,
            duration,
        } => eprintln!(
            "migrate: {} {revision} in {} ms",
            match kind {
                Direction::Down => "reverted",
                _ => "applied",
            },
            duration.as_millis()
        ),
        Event::Warning { message, .. } => eprintln!("migrate: warning: {message}"),
        _ => {}
    }
}

/// The migrator, configured by migrate.toml exactly as the `migrate` command reads it (so
/// the two agree on the version table even where this code sets none), on the URL by the
/// same precedence (`DATABASE_URL`, `.env`, `url`), else `sqlite://service.db`.
fn migrator(config_file: Option<&str>) -> Result<Migrator, MigrateError> {
    let sets = [&example_schema::MIGRATIONS];
    let migrator = match config_file {
        Some(path) => Migrator::from_config(&sets, path)?,
        None => migrate_core::Config::load_or_default(migrate_core::config::CONFIG_FILE)?
            .apply(Migrator::new(&sets)?)?,
    };
    if migrator.database().is_some() {
        Ok(migrator)
    } else {
        migrator.url("sqlite://service.db")
    }
}

/// Whether to serve after the start-up, or the exit code to stop with. Migrating serves in
/// every case (degraded when it failed); the verify modes refuse a database they can't use.
fn decide(mode: StartMode, status: &StartStatus) -> Result<(), ExitCode> {
    match (mode, status) {
        (_, StartStatus::Ok { .. } | StartStatus::Off) => Ok(()),
        (_, StartStatus::Ahead(ahead)) if mode.accepts_ahead() => {
            eprintln!("migrate: {ahead}; starting normally ({mode} accepts it)");
            Ok(())
        }
        (StartMode::Migrate, StartStatus::Degraded(e)) => {
            eprintln!("error: migrations failed, serving in degraded mode: {e}");
            Ok(())
        }
        (_, StartStatus::Behind { status }) => {
            let e = MigrateError::NotAtHead {
                current: status.current.clone(),
                heads: status.heads.clone(),
            };
            eprintln!("error: refusing to start: {e} (or start with MIGRATE_ON_START=migrate)");
            Err(ExitCode::from(EXIT_NOT_AT_HEAD))
        }
        (_, StartStatus::Ahead(ahead)) => {
            eprintln!(
                "error: refusing to start: {ahead} (start with MIGRATE_ON_START=verify-at-or-ahead to serve it)"
            );
            Err(ExitCode::from(EXIT_NOT_AT_HEAD))
        }
        (_, other) => {
            let why = other
                .error()
                .map_or_else(|| other.to_string(), |e| e.to_string());
            eprintln!("error: refusing to start: {why}");
            Err(ExitCode::FAILURE)
        }
    }
}

fn main() -> ExitCode {
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let migrator = match migrator(config.migrate_config.as_deref()) {
        Ok(m) => m.on_event(log_event),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Many replicas may migrate at once: the database lock lets one apply the migrations
    // while the others wait, then find nothing pending.
    let startup = Startup::start(migrator, config.mode);
    if let Err(code) = decide(config.mode, &startup.status()) {
        return code;
    }
    let state = Arc::new(AppState {
        startup,
        token: AdminToken::from_env(),
    });

    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: can't start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(routes::serve(&config.bind, state)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
