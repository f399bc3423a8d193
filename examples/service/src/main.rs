//! A small HTTP service that owns a database schema (the `example-schema` migrations).
//!
//! At start-up it either applies pending migrations (`MIGRATE_ON_START=true`, the development
//! pattern) or only verifies that the database is at head and refuses to start otherwise (the
//! production pattern, where a one-shot job runs `migrate upgrade`). A failed upgrade does not
//! crash it: it serves in a degraded mode, `/health` says `failed`, and `POST
//! /admin/migrations` retries.
//!
//! Environment:
//!
//! | variable | default | meaning |
//! |---|---|---|
//! | `MIGRATE_CONFIG` | `migrate.toml` (if there) | the migrate.toml to read, as the `migrate` command does: version table, schema, lock timeout, transaction mode, URL |
//! | `DATABASE_URL` | `url` in migrate.toml, else `sqlite://service.db` | the database (also read from a `.env` beside migrate.toml) |
//! | `MIGRATE_ON_START` | `false` | `true`: upgrade to head at start-up; otherwise verify only |
//! | `BIND` | `127.0.0.1:3000` | listen address (`127.0.0.1:0` picks a free port) |
//!
//! Endpoints: `GET /health` (200 `ok`, 503 `pending` or `failed`), `GET /admin/migrations`
//! (current, heads, pending, last error, recent history) and `POST /admin/migrations` (retry the
//! upgrade). The admin endpoints have no authentication in this example: in production, put
//! them behind your own auth or serve them on an internal listener only.
//!
//! The first line on stdout is `listening on <address>`. Exit codes: 0 after a clean shutdown,
//! 1 on bad configuration or an unreachable database, 3 when verify-only finds the database
//! behind head.

#![forbid(unsafe_code)]

mod routes;
mod state;

use std::process::ExitCode;
use std::sync::Arc;

use migrate_core::{Direction, Error as MigrateError, Event, Migrator};

use crate::state::AppState;

/// Exit code when the database is behind head in verify-only mode (as `migrate check`).
const EXIT_NOT_AT_HEAD: u8 = 3;

/// What the environment asks for.
struct Config {
    /// `MIGRATE_CONFIG`: a migrate.toml that must exist; unset: `migrate.toml` if there is one.
    migrate_config: Option<String>,
    migrate_on_start: bool,
    bind: String,
}

impl Config {
    fn from_env() -> Result<Config, String> {
        let migrate_on_start = match std::env::var("MIGRATE_ON_START").as_deref() {
            Ok("true" | "1" | "yes") => true,
            Ok("false" | "0" | "no" | "") | Err(_) => false,
            Ok(other) => {
                return Err(format!(
                    "MIGRATE_ON_START={other:?} is not a boolean; use true or false"
                ))
            }
        };
        Ok(Config {
            migrate_config: std::env::var("MIGRATE_CONFIG")
                .ok()
                .filter(|p| !p.is_empty()),
            migrate_on_start,
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
    let state = Arc::new(AppState::new(migrator));

    if config.migrate_on_start {
        // Many replicas may run this at once: the database lock lets one apply the
        // migrations while the others wait, then find nothing pending.
        if let Err(e) = state.upgrade() {
            eprintln!("error: migrations failed, serving in degraded mode: {e}");
        }
    } else {
        match state.verify() {
            Ok(()) => {}
            Err(e @ MigrateError::NotAtHead { .. }) => {
                eprintln!("error: refusing to start: {e} (or start with MIGRATE_ON_START=true)");
                return ExitCode::from(EXIT_NOT_AT_HEAD);
            }
            Err(e) => {
                eprintln!("error: refusing to start: {e}");
                return ExitCode::FAILURE;
            }
        }
    }

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
