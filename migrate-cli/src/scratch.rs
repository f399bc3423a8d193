//! A throw-away database for `migrate test`: a temporary SQLite file, or a database created
//! beside the configured one on PostgreSQL / MySQL and dropped afterwards.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use diesel::connection::SimpleConnection as _;
use migrate_core::{AnyConnection, Backend, DatabaseUrl};

use migrate_core::redact;

/// The scratch database; dropped (file removed / `DROP DATABASE`) when this value is.
pub(crate) struct Scratch {
    /// Its URL.
    pub(crate) url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Database { admin_url: String, name: String },
}

impl Scratch {
    /// A scratch database of the same kind as `url`.
    pub(crate) fn create(url: &str) -> anyhow::Result<Scratch> {
        let parsed = DatabaseUrl::parse(url)?;
        let tag = crate::newrev::random_rev_id();
        match parsed.backend() {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("migrate-test-{tag}.db"));
                Ok(Scratch {
                    url: format!("sqlite://{}", path.display()),
                    cleanup: Cleanup::File(path),
                })
            }
            _ => {
                let name = format!("migrate_test_{tag}");
                let mut conn = AnyConnection::establish_url(&parsed, Duration::from_secs(10))?;
                conn.batch_execute(&format!("CREATE DATABASE {name}"))
                    .with_context(|| {
                        format!(
                            "can't create the scratch database {name} on {}",
                            redact(url)
                        )
                    })?;
                Ok(Scratch {
                    url: with_database(url, &name),
                    cleanup: Cleanup::Database {
                        admin_url: url.to_owned(),
                        name,
                    },
                })
            }
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Best effort: a leftover scratch database is named migrate_test_* and harmless.
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(PathBuf::from(p));
                }
            }
            Cleanup::Database { admin_url, name } => {
                if let Ok(url) = DatabaseUrl::parse(admin_url) {
                    if let Ok(mut conn) =
                        AnyConnection::establish_url(&url, Duration::from_secs(10))
                    {
                        let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name}"));
                    }
                }
            }
        }
    }
}

/// `scheme://auth@host:port/db?params` with `db` replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (rest, String::new()),
    };
    let authority = before_query.split('/').next().unwrap_or(before_query);
    format!("{scheme}://{authority}/{name}{query}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_is_swapped_keeping_host_and_params() {
        assert_eq!(
            with_database("postgres://u:p@h:5432/app?sslmode=disable", "t1"),
            "postgres://u:p@h:5432/t1?sslmode=disable"
        );
        assert_eq!(
            with_database("mysql://root@127.0.0.1:3306", "t2"),
            "mysql://root@127.0.0.1:3306/t2"
        );
    }
}
