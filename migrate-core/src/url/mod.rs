//! Database URLs: which backend, where, and a password-free rendering for every message.

use std::fmt;
use std::path::{Path, PathBuf};

use migrate_sql::Dialect;

use crate::error::{Error, Result};

/// The backend a URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// SQLite: `sqlite://path`, `sqlite::memory:` or a bare file path.
    Sqlite,
    /// PostgreSQL: `postgres://` or `postgresql://`.
    Postgres,
    /// MySQL or MariaDB: `mysql://` or `mariadb://`.
    Mysql,
}

impl Backend {
    /// The SQL dialect of this backend.
    pub fn dialect(self) -> Dialect {
        match self {
            Backend::Sqlite => Dialect::Sqlite,
            Backend::Postgres => Dialect::Postgres,
            Backend::Mysql => Dialect::Mysql,
        }
    }

    /// The Cargo feature of `migrate-core` that enables this backend.
    pub fn feature(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
            Backend::Mysql => "mysql",
        }
    }
}

/// A parsed database URL.
///
/// `Display` and `Debug` never show the password (`postgres://app:***@db/app`), so the value can
/// be logged or put in an error message as it is.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    raw: String,
    backend: Backend,
    /// For SQLite: the path (or `:memory:`) handed to SQLite; otherwise the URL Diesel gets.
    target: String,
}

impl DatabaseUrl {
    /// Parse `sqlite://path`, `sqlite:///abs/path`, `sqlite::memory:`, a bare file path,
    /// `postgres://...`, `postgresql://...`, `mysql://...` or `mariadb://...`.
    pub fn parse(url: &str) -> Result<DatabaseUrl> {
        let url = url.trim();
        if url.is_empty() {
            return Err(Error::InvalidUrl {
                url: String::new(),
                reason: "the URL is empty; give one with --url, DATABASE_URL or migrate.toml"
                    .into(),
            });
        }
        let invalid = |reason: &str| Error::InvalidUrl {
            url: redact(url),
            reason: reason.to_string(),
        };
        let (backend, target) = if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.strip_prefix("//").unwrap_or(rest);
            if path.is_empty() {
                return Err(invalid(
                    "no file path after `sqlite://` (use `sqlite://app.db` or `sqlite::memory:`)",
                ));
            }
            // `sqlite://:memory:` and `sqlite::memory:` both mean an in-memory database.
            (Backend::Sqlite, path.to_string())
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_string())
        } else if url.starts_with("mysql://") {
            (Backend::Mysql, url.to_string())
        } else if let Some(rest) = url.strip_prefix("mariadb://") {
            (Backend::Mysql, format!("mysql://{rest}"))
        } else if let Some((scheme, _)) = url.split_once("://") {
            return Err(invalid(&format!(
                "unsupported scheme `{scheme}://`; use sqlite://, postgres:// or mysql://"
            )));
        } else {
            (Backend::Sqlite, url.to_string())
        };
        if backend != Backend::Sqlite && authority(&target).is_empty() {
            return Err(invalid("no host after `://`"));
        }
        Ok(DatabaseUrl {
            raw: url.to_string(),
            backend,
            target,
        })
    }

    /// The backend this URL selects.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The SQL dialect of the backend.
    pub fn dialect(&self) -> Dialect {
        self.backend.dialect()
    }

    /// The URL with any password replaced by `***`.
    pub fn redacted(&self) -> String {
        redact(&self.raw)
    }

    /// For SQLite URLs naming a file: its path (`None` for `:memory:` and other backends).
    pub fn sqlite_path(&self) -> Option<&Path> {
        if self.backend != Backend::Sqlite || self.is_sqlite_memory() || self.is_sqlite_uri() {
            return None;
        }
        Some(Path::new(&self.target))
    }

    /// Whether this is an in-memory SQLite database.
    pub fn is_sqlite_memory(&self) -> bool {
        self.backend == Backend::Sqlite && self.target == ":memory:"
    }

    fn is_sqlite_uri(&self) -> bool {
        self.target.starts_with("file:")
    }

    /// For a SQLite file that does not exist yet: its path (read-only commands then report an
    /// empty database instead of creating the file).
    pub(crate) fn missing_sqlite_file(&self) -> Option<PathBuf> {
        self.sqlite_path()
            .filter(|p| !p.exists())
            .map(Path::to_path_buf)
    }

    /// What the Diesel connection is established with. Contains the password: never display.
    pub(crate) fn connect_target(&self) -> &str {
        &self.target
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseUrl")
            .field("backend", &self.backend)
            .field("url", &self.redacted())
            .finish()
    }
}

impl std::str::FromStr for DatabaseUrl {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        DatabaseUrl::parse(s)
    }
}

/// The `user:password@host:port` part of a `scheme://` URL.
fn authority(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    &rest[..end]
}

/// Replace the password of `scheme://user:password@host/...` and any `password=` query
/// parameter with `***`. Anything that is not a URL is returned unchanged (a file path).
pub(crate) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let auth_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (auth, tail) = rest.split_at(auth_end);
    let auth = match auth.rfind('@') {
        Some(at) => {
            let (userinfo, host) = auth.split_at(at);
            match userinfo.split_once(':') {
                Some((user, _password)) => format!("{user}:***{host}"),
                None => auth.to_string(),
            }
        }
        None => auth.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|kv| match kv.split_once('=') {
                    Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                    _ => kv.to_string(),
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => tail.to_string(),
    };
    format!("{scheme}://{auth}{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_forms() {
        let u = DatabaseUrl::parse("sqlite://app.db").unwrap();
        assert_eq!(u.backend(), Backend::Sqlite);
        assert_eq!(u.sqlite_path(), Some(Path::new("app.db")));
        let u = DatabaseUrl::parse("sqlite:///tmp/x.db").unwrap();
        assert_eq!(u.sqlite_path(), Some(Path::new("/tmp/x.db")));
        assert!(DatabaseUrl::parse("sqlite::memory:")
            .unwrap()
            .is_sqlite_memory());
        assert!(DatabaseUrl::parse("sqlite://:memory:")
            .unwrap()
            .is_sqlite_memory());
        let u = DatabaseUrl::parse("data/app.sqlite").unwrap();
        assert_eq!(u.backend(), Backend::Sqlite);
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }

    #[test]
    fn server_forms() {
        assert_eq!(
            DatabaseUrl::parse("postgresql://u@h/db").unwrap().backend(),
            Backend::Postgres
        );
        let u = DatabaseUrl::parse("mariadb://root@h/db").unwrap();
        assert_eq!(u.backend(), Backend::Mysql);
        assert_eq!(u.connect_target(), "mysql://root@h/db");
        let err = DatabaseUrl::parse("oracle://u:secret@h/db").unwrap_err();
        assert!(err.to_string().contains("oracle://"), "{err}");
        assert!(!err.to_string().contains("secret"), "{err}");
        assert!(DatabaseUrl::parse("postgres://").is_err());
    }

    #[test]
    fn passwords_never_shown() {
        let u = DatabaseUrl::parse("postgres://app:s3cr%40t@db:5432/app?sslmode=require").unwrap();
        for shown in [u.to_string(), format!("{u:?}"), u.redacted()] {
            assert!(!shown.contains("s3cr"), "{shown}");
            assert!(shown.contains("app:***@db:5432/app"), "{shown}");
        }
        let u = DatabaseUrl::parse("postgres://db/app?user=a&password=hunter2").unwrap();
        assert!(!u.to_string().contains("hunter2"), "{u}");
        assert_eq!(
            redact("mysql://root@h/db"),
            "mysql://root@h/db",
            "no password, nothing to hide"
        );
    }
}
