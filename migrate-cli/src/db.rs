//! The thin layer between the database commands and `migrate-core`'s [`Migrator`]: build it
//! from the configuration, turn its events into progress lines, map its errors to exit codes.

use migrate_core::Migrator;
use migrate_graph::Graph;
use std::error::Error as StdError;

use crate::commands::Ctx;
use crate::error::{
    EXIT_CONFIG, EXIT_CONNECT, EXIT_INTERRUPTED, EXIT_LOCK_TIMEOUT, EXIT_NOT_AT_HEAD,
    EXIT_UNKNOWN_REVISION,
};
pub(crate) use crate::progress::Progress;

/// The exit code a `migrate_core::Error` calls for, if it is one.
pub(crate) fn core_exit_code(cause: &(dyn StdError + 'static)) -> Option<u8> {
    use migrate_core::Error;
    match cause.downcast_ref::<Error>()? {
        Error::LockTimeout { .. } | Error::StatementLockTimeout { .. } => Some(EXIT_LOCK_TIMEOUT),
        Error::NotAtHead { .. } | Error::ChecksumMismatch { .. } | Error::MissingHistory { .. } => {
            Some(EXIT_NOT_AT_HEAD)
        }
        Error::VersionColumnType { .. } => Some(EXIT_UNKNOWN_REVISION),
        Error::Drift { .. } => Some(EXIT_NOT_AT_HEAD),
        Error::Interrupted { .. } => Some(EXIT_INTERRUPTED),
        Error::InvalidUrl { .. } | Error::BackendDisabled { .. } | Error::Config(_) => {
            Some(EXIT_CONFIG)
        }
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
            "a newer release may have migrated this database: run its `migrate`; `migrate stamp --purge <rev>` is only for a migration that was deleted (it discards the newer release's record)".to_owned(),
        ),
        Error::Connect { .. } => Some(
            "check the URL (--url, DATABASE_URL, migrate.toml) and that the server is running"
                .to_owned(),
        ),
        Error::LockTimeout { .. } => {
            Some("raise `lock_timeout` in migrate.toml if migrations are slow".to_owned())
        }
        Error::StatementLockTimeout { .. } => Some(
            "another session holds the lock (a long transaction, a held LOCK TABLE); `lock_retries` in migrate.toml runs the migration again, or raise `table_lock_timeout`"
                .to_owned(),
        ),
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
    template(ctx, progress)?.url(&url).map_err(Into::into)
}

/// A `Migrator` over the linked migrations, configured from migrate.toml and the command line,
/// with no URL: what `--db`/`--all` gives each database.
pub(crate) fn template(ctx: &Ctx<'_>, progress: &Progress) -> anyhow::Result<Migrator> {
    // The library's own reading of migrate.toml: an application configured with
    // `Migrator::from_config` gets exactly these settings.
    let mut m = ctx
        .config
        .core
        .apply_settings(Migrator::from_registry(ctx.take_registry()?));
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

    use super::*;

    #[test]
    fn executor_errors_map_to_documented_exit_codes() {
        let lock = anyhow::Error::new(migrate_core::Error::LockTimeout {
            waited: std::time::Duration::from_secs(60),
            lock: "advisory lock".into(),
        });
        assert_eq!(crate::error::exit_code_u8(&lock), EXIT_LOCK_TIMEOUT);
        let table = anyhow::Error::new(migrate_core::Error::StatementLockTimeout {
            rev: "b2".into(),
            what: "waited longer than table_lock_timeout (2 s) for a lock on table users".into(),
            attempts: 1,
            statement: None,
            message: "canceling statement due to lock timeout".into(),
        });
        assert_eq!(crate::error::exit_code_u8(&table), EXIT_LOCK_TIMEOUT);
        let lint = anyhow::Error::new(crate::CliError::Lint {
            errors: 1,
            warnings: 0,
        });
        assert_eq!(crate::error::exit_code_u8(&lint), crate::error::EXIT_LINT);
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
