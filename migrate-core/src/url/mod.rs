//! Database URLs: which backend, where, and a password-free rendering for every message.

use std::fmt;
use std::path::{Path, PathBuf};

use migrate_sql::Dialect;

use crate::error::{Error, Result};

mod redact;
pub use redact::redact;

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
    /// For SQLAlchemy's relative spelling `sqlite:///app.db`: the absolute `/app.db` that
    /// earlier versions of migrate opened for it (see [`DatabaseUrl::sqlite_spelling_warning`]).
    older: Option<PathBuf>,
}

impl DatabaseUrl {
    /// Parse a database URL:
    ///
    /// * SQLite: `sqlite://path`, `sqlite::memory:`, a bare file path, and SQLAlchemy's forms:
    ///   `sqlite:///relative/path` (relative to the working directory, as in an Alembic
    ///   project's `alembic.ini`), `sqlite:////abs/path` (absolute), `sqlite:///:memory:`;
    /// * PostgreSQL: `postgres://...`, `postgresql://...`;
    /// * MySQL/MariaDB: `mysql://...`, `mariadb://...`;
    /// * SQLAlchemy's driver spellings, as Alembic projects write them:
    ///   `postgresql+psycopg2://`, `postgresql+asyncpg://`, `mysql+pymysql://`,
    ///   `sqlite+pysqlite://` (the `+driver` part is dropped).
    ///
    /// A server URL must name a host and a database (`postgres://user@host/app`); a port must
    /// be a number. Every error names what is wrong in one line, with the password hidden.
    ///
    /// # Examples
    ///
    /// ```
    /// use migrate_core::{Backend, DatabaseUrl};
    /// let url = DatabaseUrl::parse("postgresql+psycopg2://app:S3cret@db:5432/app").unwrap();
    /// assert_eq!(url.backend(), Backend::Postgres);
    /// assert_eq!(url.to_string(), "postgresql+psycopg2://app:***@db:5432/app");
    /// let err = DatabaseUrl::parse("postgres://app:S3cret@db:abc/app").unwrap_err();
    /// assert!(!err.to_string().contains("S3cret"));
    /// ```
    pub fn parse(url: &str) -> Result<DatabaseUrl> {
        let url = url.trim();
        if url.is_empty() {
            return Err(Error::InvalidUrl {
                url: String::new(),
                reason: "the URL is empty; give one with --url, DATABASE_URL or migrate.toml"
                    .into(),
            });
        }
        let invalid = |reason: String| Error::InvalidUrl {
            url: redact(url),
            reason,
        };
        let Some((scheme, rest)) = split_scheme(url) else {
            // No scheme: a file path, as SQLite's own tools take it.
            return Ok(DatabaseUrl {
                raw: url.to_string(),
                backend: Backend::Sqlite,
                target: url.to_string(),
                older: None,
            });
        };
        // SQLAlchemy names the Python driver after a '+': `postgresql+psycopg2`.
        let base = scheme
            .split('+')
            .next()
            .unwrap_or(scheme)
            .to_ascii_lowercase();
        let (backend, canonical) = match base.as_str() {
            "sqlite" | "sqlite3" => {
                let (path, older) = split_sqlite_path(rest);
                if path.is_empty() {
                    return Err(invalid(
                        "no file path after `sqlite://` (use `sqlite://app.db` or `sqlite::memory:`)"
                            .into(),
                    ));
                }
                // `sqlite://:memory:` and `sqlite::memory:` both mean an in-memory database.
                return Ok(DatabaseUrl {
                    raw: url.to_string(),
                    backend: Backend::Sqlite,
                    target: path.to_string(),
                    older,
                });
            }
            // SQLite's own URI filenames (`file:app.db?mode=ro`) go to SQLite as they are.
            "file" => {
                return Ok(DatabaseUrl {
                    raw: url.to_string(),
                    backend: Backend::Sqlite,
                    target: url.to_string(),
                    older: None,
                })
            }
            "postgres" | "postgresql" => (Backend::Postgres, "postgres"),
            "mysql" | "mariadb" => (Backend::Mysql, "mysql"),
            other => {
                let suggestion = suggest(other)
                    .map(|s| format!("did you mean `{s}://`? "))
                    .unwrap_or_default();
                return Err(invalid(format!(
                    "unsupported scheme '{other}'; {suggestion}use sqlite://, postgres:// or mysql://"
                )));
            }
        };
        let Some(after) = rest.strip_prefix("//") else {
            return Err(invalid(format!(
                "expected `//` after `{scheme}:` (`{canonical}://user@host/database`)"
            )));
        };
        let target = format!("{canonical}://{after}");
        let parsed = ::url::Url::parse(&target).map_err(|e| invalid(parse_reason(e)))?;
        let query = |key: &str| {
            parsed
                .query_pairs()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.into_owned())
        };
        let host = parsed.host_str().unwrap_or_default();
        if host.is_empty() && query("host").is_none_or(|h| h.is_empty()) {
            return Err(invalid(format!(
                "no host after `://` (`{canonical}://user@HOST/database`)"
            )));
        }
        let database = parsed.path().trim_start_matches('/');
        let db_param = crate::backend::of(backend.dialect())
            .database_query_key()
            .and_then(query);
        if database.is_empty() && db_param.is_none_or(|d| d.is_empty()) {
            return Err(invalid(format!(
                "the URL names no database; add it after the host (`{canonical}://user@host/DATABASE`)"
            )));
        }
        Ok(DatabaseUrl {
            raw: url.to_string(),
            backend,
            target,
            older: None,
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

    /// A one-line warning when this URL is SQLAlchemy's relative `sqlite:///app.db` and names
    /// a file that does not exist, while the absolute `/app.db` that earlier versions of
    /// migrate opened for the same spelling does: the user probably means the old file.
    /// Relative paths are taken from the working directory.
    ///
    /// # Examples
    ///
    /// ```
    /// use migrate_core::DatabaseUrl;
    /// let url = DatabaseUrl::parse("sqlite:///no-such-dir/app.db").unwrap();
    /// assert_eq!(url.sqlite_path(), Some(std::path::Path::new("no-such-dir/app.db")));
    /// assert_eq!(url.sqlite_spelling_warning(), None, "/no-such-dir/app.db does not exist");
    /// ```
    pub fn sqlite_spelling_warning(&self) -> Option<String> {
        self.sqlite_spelling_warning_from(Path::new(""))
    }

    /// [`sqlite_spelling_warning`](Self::sqlite_spelling_warning) with a relative path taken
    /// from `base` (the folder of the migrate.toml or .env that gave the URL).
    pub(crate) fn sqlite_spelling_warning_from(&self, base: &Path) -> Option<String> {
        let older = self.older.as_deref()?;
        let newer = base.join(self.sqlite_path()?);
        if newer.exists() || !older.exists() {
            return None;
        }
        let shown = |p: &Path| {
            std::path::absolute(p)
                .unwrap_or_else(|_| p.to_path_buf())
                .display()
                .to_string()
        };
        Some(format!(
            "{} now opens {} (three slashes start a relative path, as in SQLAlchemy), which does not exist; earlier versions opened {}, which does: write sqlite:///{} to keep using that file, or keep sqlite:///{} for the new one",
            self.redacted(),
            shown(&newer),
            older.display(),
            older.display(),
            self.target,
        ))
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

/// The path in a SQLite URL's `rest` (after `sqlite:`), read as SQLAlchemy reads it, plus, for
/// `sqlite:///relative`, the absolute path earlier versions of migrate read there instead:
///
/// * `sqlite://app.db` (DESIGN.md's spelling): `app.db`, relative;
/// * `sqlite:///app.db`: `app.db`, relative (SQLAlchemy's spelling; earlier: `/app.db`);
/// * `sqlite:////abs/app.db`: `/abs/app.db`, absolute;
/// * `sqlite:app.db`, `sqlite::memory:`: as written.
fn split_sqlite_path(rest: &str) -> (&str, Option<PathBuf>) {
    let Some(after) = rest.strip_prefix("//") else {
        return (rest, None);
    };
    let Some(path) = after.strip_prefix('/') else {
        return (after, None);
    };
    // Four slashes: an absolute path (`/abs`); `:memory:` and drive paths (`C:\x.db`) read
    // the same either way.
    let older = (!path.is_empty()
        && !path.starts_with('/')
        && !path.starts_with(':')
        && Path::new(path).is_relative())
    .then(|| Path::new("/").join(path));
    (path, older)
}

/// `scheme:rest`, when `url` starts with a scheme (two or more characters, so that a Windows
/// drive `C:\\db.sqlite` stays a path).
fn split_scheme(url: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'));
    (valid && scheme.len() >= 2).then_some((scheme, rest))
}

/// A supported scheme that `typed` is probably a typo of.
fn suggest(typed: &str) -> Option<&'static str> {
    const NEAR: [(&str, &str); 10] = [
        ("postgre", "postgres"),
        ("postgress", "postgres"),
        ("postgresq", "postgresql"),
        ("pg", "postgres"),
        ("psql", "postgres"),
        ("pgsql", "postgres"),
        ("maria", "mariadb"),
        ("mysq", "mysql"),
        ("mysqlx", "mysql"),
        ("sqllite", "sqlite"),
    ];
    NEAR.iter().find(|(t, _)| *t == typed).map(|(_, s)| *s)
}

/// The url crate's reason, said the way a user fixes it.
fn parse_reason(e: ::url::ParseError) -> String {
    use ::url::ParseError as P;
    match e {
        P::InvalidPort => "the port is not a number from 0 to 65535".into(),
        P::InvalidIpv6Address => "the host is not a valid IPv6 address (write it as `[::1]`)".into(),
        P::EmptyHost => "no host after `://`".into(),
        P::InvalidIpv4Address => "the host is not a valid IPv4 address".into(),
        P::IdnaError | P::InvalidDomainCharacter => {
            "the host name has characters a host name can't have (a password with `/`, `?`, `#` or `@` must be percent-encoded: `%2F`, `%3F`, `%23`, `%40`)".into()
        }
        other => format!("{other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_forms() {
        let u = DatabaseUrl::parse("sqlite://app.db").unwrap();
        assert_eq!(u.backend(), Backend::Sqlite);
        assert_eq!(u.sqlite_path(), Some(Path::new("app.db")));
        // SQLAlchemy's spellings: three slashes relative, four absolute.
        let u = DatabaseUrl::parse("sqlite:///data/x.db").unwrap();
        assert_eq!(u.sqlite_path(), Some(Path::new("data/x.db")));
        let u = DatabaseUrl::parse("sqlite:////tmp/x.db").unwrap();
        assert_eq!(u.sqlite_path(), Some(Path::new("/tmp/x.db")));
        assert!(DatabaseUrl::parse("sqlite:///:memory:")
            .unwrap()
            .is_sqlite_memory());
        assert!(DatabaseUrl::parse("sqlite:///").is_err());
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

    #[test]
    fn sqlalchemy_spellings_are_accepted() {
        for (given, backend, target) in [
            (
                "postgresql+psycopg2://u:p@h/db",
                Backend::Postgres,
                "postgres://u:p@h/db",
            ),
            (
                "postgresql+asyncpg://u@h:5433/db",
                Backend::Postgres,
                "postgres://u@h:5433/db",
            ),
            (
                "mysql+pymysql://root@h/db",
                Backend::Mysql,
                "mysql://root@h/db",
            ),
            (
                "mysql+mysqldb://root@h/db?charset=utf8mb4",
                Backend::Mysql,
                "mysql://root@h/db?charset=utf8mb4",
            ),
            ("sqlite+pysqlite:///a.db", Backend::Sqlite, "a.db"),
            ("sqlite:///relative.db", Backend::Sqlite, "relative.db"),
            ("sqlite:////abs/path.db", Backend::Sqlite, "/abs/path.db"),
            (
                "file:app.db?mode=ro",
                Backend::Sqlite,
                "file:app.db?mode=ro",
            ),
        ] {
            let u = DatabaseUrl::parse(given).unwrap_or_else(|e| panic!("{given}: {e}"));
            assert_eq!(u.backend(), backend, "{given}");
            assert_eq!(u.connect_target(), target, "{given}");
        }
    }

    #[test]
    fn relative_sqlalchemy_spelling_warns_when_only_the_old_absolute_file_exists() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old.db");
        std::fs::write(&old, b"").unwrap();
        // `sqlite:///<dir>/old.db` read relative: `<dir without its leading />/old.db`.
        let rel = old.strip_prefix("/").unwrap();
        let url = DatabaseUrl::parse(&format!("sqlite:///{}", rel.display())).unwrap();
        assert_eq!(url.sqlite_path(), Some(rel));
        let base = tempfile::tempdir().unwrap();
        let w = url
            .sqlite_spelling_warning_from(base.path())
            .expect("the absolute file exists, the relative one does not");
        assert!(
            w.contains(&base.path().join(rel).display().to_string()),
            "{w}"
        );
        assert!(
            w.contains(&format!("write sqlite:///{} to keep using", old.display())),
            "{w}"
        );
        assert!(!w.contains('\n'), "{w}");
        // Once the relative file exists, or with four slashes, nothing to warn about.
        std::fs::create_dir_all(base.path().join(rel).parent().unwrap()).unwrap();
        std::fs::write(base.path().join(rel), b"").unwrap();
        assert_eq!(url.sqlite_spelling_warning_from(base.path()), None);
        let abs = DatabaseUrl::parse(&format!("sqlite:///{}", old.display())).unwrap();
        assert_eq!(abs.sqlite_path(), Some(old.as_path()));
        assert_eq!(abs.sqlite_spelling_warning_from(base.path()), None);
    }

    #[test]
    fn malformed_server_urls_say_what_is_wrong_without_the_password() {
        for (given, says) in [
            ("postgres://u:S3cret@[::1/db", "IPv6"),
            ("postgres://u:S3cret@h:abc/db", "port"),
            ("mysql://root:S3cret@h:99999/db", "port"),
            ("mysql://root:S3cret@h", "names no database"),
            ("mysql://root:S3cret@h/", "names no database"),
            ("postgres://u:S3cret@h", "names no database"),
            ("postgres:/app:S3cret@host/app", "expected `//`"),
            (
                "postgre://host/app?user=app&password=S3cret",
                "did you mean `postgres://`",
            ),
            ("oracle://u:S3cret@h/db", "unsupported scheme 'oracle'"),
            ("postgres://:S3cret@/db", "no host"),
        ] {
            let err = DatabaseUrl::parse(given).expect_err(given).to_string();
            assert!(err.contains(says), "{given}: {err}");
            assert!(!err.contains("S3cret"), "{given}: {err}");
            assert!(!err.contains('\n'), "{given}: {err}");
        }
        assert!(DatabaseUrl::parse("postgres://h?dbname=app").is_ok());
        assert!(DatabaseUrl::parse("postgres:///app?host=/run/postgresql").is_ok());
    }
}
