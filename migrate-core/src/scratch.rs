//! A throw-away database (what `migrate test` runs its stairway on): a temporary SQLite file,
//! or a database created beside the given one on servers, dropped when the value is.

use std::path::PathBuf;
use std::time::Duration;

use diesel::connection::SimpleConnection as _;

use crate::connection::AnyConnection;
use crate::error::{Error, Result};
use crate::url::DatabaseUrl;

/// A scratch database; dropped (file removed, or `DROP DATABASE`) when this value is.
#[derive(Debug)]
pub struct ScratchDatabase {
    url: String,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    File(PathBuf),
    Database { admin: DatabaseUrl, name: String },
}

impl ScratchDatabase {
    /// A new database of the same kind as `url`, named after `tag` (letters, digits and `_`
    /// only): `migrate-test-<tag>.db` in the temporary folder for SQLite, a database
    /// `migrate_test_<tag>` on the same server otherwise (created through `url`'s
    /// connection, so its user needs the right to create databases).
    pub fn create(url: &DatabaseUrl, tag: &str) -> Result<ScratchDatabase> {
        if tag.is_empty() || !tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(Error::Message(format!(
                "a scratch database tag is letters, digits and `_`, not `{tag}`"
            )));
        }
        let backend = crate::backend::of(url.dialect());
        let name = format!("migrate_test_{tag}");
        let Some(create) = backend.create_database_sql(&name) else {
            let path = std::env::temp_dir().join(format!("migrate-test-{tag}.db"));
            return Ok(ScratchDatabase {
                url: format!("sqlite:///{}", path.display()),
                cleanup: Cleanup::File(path),
            });
        };
        let mut conn = AnyConnection::establish_url(url, Duration::from_secs(10))?;
        conn.batch_execute(&create).map_err(Error::db(format!(
            "creating the scratch database {name} on {}",
            url.redacted()
        )))?;
        Ok(ScratchDatabase {
            url: with_database(url.connect_target(), &name),
            cleanup: Cleanup::Database {
                admin: url.clone(),
                name,
            },
        })
    }

    /// Its URL (with the password of the URL it was made from: redact before showing it).
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for ScratchDatabase {
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
            Cleanup::Database { admin, name } => {
                let backend = crate::backend::of(admin.dialect());
                if let (Some(sql), Ok(mut conn)) = (
                    backend.drop_database_sql(name),
                    AnyConnection::establish_url(admin, Duration::from_secs(10)),
                ) {
                    let _ = conn.batch_execute(&sql);
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

    #[test]
    fn a_tag_cannot_inject_sql() {
        let url = DatabaseUrl::parse("postgres://u@127.0.0.1:1/db").unwrap();
        let err = ScratchDatabase::create(&url, "x; DROP DATABASE y").unwrap_err();
        assert!(err.to_string().contains("letters, digits"), "{err}");
    }
}
