//! `migrate.toml`, read the one way both the `migrate` command and an application read it, so
//! that the two can never disagree on the version table, its schema, the lock timeout, the
//! transaction mode or the database.
//!
//! ```toml
//! [migrate]
//! url = "sqlite://app.db"            # overridden by DATABASE_URL (environment, then .env)
//! version_table = "migrate_version"
//! version_table_schema = "public"    # optional
//! lock_timeout = 60                  # seconds, 0 to 2147483
//! transaction_per_migration = true   # false: the whole run in one transaction
//! # Names for unnamed constraints, as SQLAlchemy's MetaData.naming_convention:
//! naming_convention = { uq = "uq_%(table_name)s_%(column_0_N_name)s", pk = "pk_%(table_name)s" }
//! # Keys of the `migrate` command, accepted here and left to it:
//! migrations = "migrations"
//! file_template = "{year}{month}{day}_{hour}{minute}_{rev}_{slug}"
//! truncate_slug_length = 40
//! diesel_schema = "src/schema.rs"
//!
//! # Many databases (see [`fleet`](crate::fleet) and [`Config::fleet_targets`]):
//! [databases.billing]
//! url_env = "BILLING_URL"            # or url = "..."; version_table, version_table_schema
//! [tenants]
//! file = "tenants.txt"               # or env = "TENANT_URLS", or query = "... AS tenant" on url; with url = "postgres://...": schemas
//! ```
//!
//! An application:
//!
//! ```no_run
//! # fn demo(migrations: &migrate_core::MigrationSet) -> migrate_core::Result<()> {
//! let migrator = migrate_core::Migrator::from_config(&[migrations], "migrate.toml")?;
//! migrator.upgrade("head")?;
//! # Ok(()) }
//! ```
//!
//! Errors are one line and never show a value of the file (a URL may hold a password): a
//! [`ConfigError`], or for a malformed URL [`Error::InvalidUrl`](crate::Error::InvalidUrl)
//! with the password masked.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::executor::TransactionMode;
use crate::migrator::Migrator;

/// The configuration file's usual name.
pub const CONFIG_FILE: &str = "migrate.toml";

/// The default version table.
pub const DEFAULT_VERSION_TABLE: &str = "migrate_version";

/// The default lock timeout, in seconds.
pub const DEFAULT_LOCK_TIMEOUT: u64 = 60;

/// The `[migrate]` keys this library reads.
const LIBRARY_KEYS: [&str; 9] = [
    "url",
    "version_table",
    "version_table_schema",
    "lock_timeout",
    "table_lock_timeout",
    "statement_timeout",
    "lock_retries",
    "transaction_per_migration",
    "naming_convention",
];

/// The `[migrate]` keys of the `migrate` command: accepted (so that a typo anywhere in the
/// file is an error for the command and the application alike) and handed to it as they are.
pub const COMMAND_KEYS: [&str; 6] = [
    "migrations",
    "file_template",
    "truncate_slug_length",
    "post_write_hook",
    "diesel_schema",
    "types",
];

/// The tables of `migrate.toml` besides `[migrate]` that belong to the `migrate` command
/// (`[lint]`: the severities of `migrate lint`'s rules), handed to it as written.
pub const COMMAND_TABLES: [&str; 1] = ["lint"];

/// `migrate.toml` can't be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file is not there.
    #[error("no configuration file at {}", path.display())]
    Missing {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// The file can't be read, is not TOML, or has a key that is unknown, of the wrong type
    /// or out of range.
    #[error("invalid configuration in {}: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong (one line; no value of the file is quoted).
        message: String,
    },
}

/// The validated settings of one `migrate.toml` (defaults where a key is absent).
#[derive(Debug, Clone)]
pub struct Config {
    file: Option<PathBuf>,
    base_dir: PathBuf,
    url: Option<String>,
    dotenv_url: Option<String>,
    version_table: String,
    version_table_schema: Option<String>,
    lock_timeout: u64,
    transaction_per_migration: bool,
    naming_convention: migrate_sql::NamingConvention,
    timeouts: crate::StatementTimeouts,
    command_keys: toml::Table,
    command_tables: toml::Table,
    databases: Vec<crate::fleet::DatabaseSpec>,
    tenants: Option<crate::fleet::TenantsSpec>,
}

impl Config {
    /// Read `path` (relative to the current directory), which must exist.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Missing`] when there is no such file, [`ConfigError::Invalid`] when it
    /// can't be read or a key is unknown, of the wrong type or out of range.
    pub fn load(path: impl AsRef<Path>) -> Result<Config, ConfigError> {
        let path = absolute(path.as_ref());
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&text, &path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(ConfigError::Missing { path })
            }
            Err(e) => Err(ConfigError::Invalid {
                path,
                message: e.to_string(),
            }),
        }
    }

    /// Like [`load`](Config::load), but a missing file is the defaults (an app configured by
    /// `DATABASE_URL` alone); relative paths are then taken from the folder `path` would be in.
    ///
    /// # Errors
    ///
    /// As [`load`](Config::load), less [`ConfigError::Missing`].
    pub fn load_or_default(path: impl AsRef<Path>) -> Result<Config, ConfigError> {
        match Config::load(path) {
            Err(ConfigError::Missing { path }) => {
                let base = path
                    .parent()
                    .map_or_else(|| absolute(Path::new(".")), Path::to_path_buf);
                Ok(Config::defaults(None, base))
            }
            other => other,
        }
    }

    /// Parse `text` as the file at `path` (relative SQLite paths and `.env` are taken from
    /// its folder).
    ///
    /// # Errors
    ///
    /// [`ConfigError::Invalid`] as for [`load`](Config::load).
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let path = absolute(path);
        let invalid = |message: String| ConfigError::Invalid {
            path: path.clone(),
            message,
        };
        let mut table: toml::Table =
            toml::from_str(text).map_err(|e| invalid(toml_error(text, &e)))?;
        let base = path
            .parent()
            .map_or_else(|| absolute(Path::new(".")), Path::to_path_buf);
        let mut config = Config::defaults(Some(path.clone()), base);
        if let Some(value) = table.remove("databases") {
            config.databases = crate::fleet::config::parse_databases(value).map_err(invalid)?;
        }
        if let Some(value) = table.remove("tenants") {
            config.tenants = Some(crate::fleet::config::parse_tenants(value).map_err(invalid)?);
        }
        for name in COMMAND_TABLES {
            match table.remove(name) {
                None => {}
                Some(toml::Value::Table(t)) => {
                    config
                        .command_tables
                        .insert(name.to_owned(), toml::Value::Table(t));
                }
                Some(_) => return Err(invalid(format!("`{name}` must be a table ([{name}])"))),
            }
        }
        if let Some(other) = table.keys().find(|k| *k != "migrate") {
            return Err(invalid(format!(
                "unknown table `{other}`: the settings go in [migrate] (and [lint], [databases.NAME], [tenants])"
            )));
        }
        let section = match table.remove("migrate") {
            None => toml::Table::new(),
            Some(toml::Value::Table(t)) => t,
            Some(_) => return Err(invalid("`migrate` must be a table ([migrate])".to_owned())),
        };
        for (key, value) in section {
            match key.as_str() {
                "url" => config.url = Some(string(&key, value).map_err(invalid)?),
                "version_table" => {
                    let name = string(&key, value).map_err(invalid)?;
                    if name.is_empty() {
                        return Err(invalid("version_table must not be empty".to_owned()));
                    }
                    config.version_table = name;
                }
                "version_table_schema" => {
                    config.version_table_schema = Some(string(&key, value).map_err(invalid)?);
                }
                "lock_timeout" => {
                    let max = Migrator::MAX_LOCK_TIMEOUT.as_secs();
                    let range = |shown: &dyn std::fmt::Display| {
                        invalid(format!(
                            "lock_timeout = {shown} is out of range: use 0 to {max} seconds (about 24 days)"
                        ))
                    };
                    match value {
                        toml::Value::Integer(n) => match u64::try_from(n) {
                            Ok(secs) if secs <= max => config.lock_timeout = secs,
                            _ => return Err(range(&n)),
                        },
                        other => {
                            return Err(invalid(wrong_type(&key, "an integer (seconds)", &other)))
                        }
                    }
                }
                "table_lock_timeout" => {
                    config.timeouts.table_lock = Some(limit(&key, &value).map_err(invalid)?);
                }
                "statement_timeout" => {
                    config.timeouts.statement = Some(limit(&key, &value).map_err(invalid)?);
                }
                "lock_retries" => match value {
                    toml::Value::Integer(n) if (0..=100).contains(&n) => {
                        config.timeouts.lock_retries = u32::try_from(n).unwrap_or(0);
                    }
                    toml::Value::Integer(n) => {
                        return Err(invalid(format!(
                            "lock_retries = {n} is out of range: use 0 to 100"
                        )))
                    }
                    other => return Err(invalid(wrong_type(&key, "an integer", &other))),
                },
                "transaction_per_migration" => match value {
                    toml::Value::Boolean(b) => config.transaction_per_migration = b,
                    other => return Err(invalid(wrong_type(&key, "true or false", &other))),
                },
                "naming_convention" => {
                    let toml::Value::Table(t) = value else {
                        return Err(invalid(wrong_type(
                            &key,
                            "a table such as { uq = \"uq_%(table_name)s_%(column_0_name)s\" }",
                            &value,
                        )));
                    };
                    let mut entries = Vec::new();
                    for (k, v) in t {
                        match v {
                            toml::Value::String(s) => entries.push((k, s)),
                            other => {
                                return Err(invalid(wrong_type(
                                    &format!("naming_convention.{k}"),
                                    "a string template",
                                    &other,
                                )))
                            }
                        }
                    }
                    config.naming_convention = migrate_sql::NamingConvention::parse(entries)
                        .map_err(|e| invalid(e.to_string()))?;
                }
                k if COMMAND_KEYS.contains(&k) => {
                    config.command_keys.insert(key, value);
                }
                _ => {
                    return Err(invalid(format!(
                        "unknown key `{key}` in [migrate]; the keys are {}",
                        LIBRARY_KEYS
                            .iter()
                            .chain(COMMAND_KEYS.iter())
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )))
                }
            }
        }
        Ok(config)
    }

    fn defaults(file: Option<PathBuf>, base_dir: PathBuf) -> Config {
        Config {
            dotenv_url: read_dotenv_url(&base_dir.join(".env")),
            file,
            base_dir,
            url: None,
            version_table: DEFAULT_VERSION_TABLE.to_owned(),
            version_table_schema: None,
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
            transaction_per_migration: true,
            naming_convention: migrate_sql::NamingConvention::default(),
            timeouts: crate::StatementTimeouts::default(),
            command_keys: toml::Table::new(),
            command_tables: toml::Table::new(),
            databases: Vec::new(),
            tenants: None,
        }
    }

    /// The file read, if there was one.
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// The folder relative paths are taken from: the file's.
    pub fn base_dir(&self) -> &Path {
        &self.base_dir
    }

    /// `version_table` (default `migrate_version`).
    pub fn version_table(&self) -> &str {
        &self.version_table
    }

    /// `version_table_schema`, if set.
    pub fn version_table_schema(&self) -> Option<&str> {
        self.version_table_schema.as_deref()
    }

    /// `lock_timeout` (default 60 s; at most [`Migrator::MAX_LOCK_TIMEOUT`]).
    pub fn lock_timeout(&self) -> Duration {
        Duration::from_secs(self.lock_timeout)
    }

    /// `transaction_per_migration` (default `true`) as a [`TransactionMode`].
    pub fn transaction_mode(&self) -> TransactionMode {
        if self.transaction_per_migration {
            TransactionMode::PerMigration
        } else {
            TransactionMode::Single
        }
    }

    /// The database URL by precedence: `DATABASE_URL` in the environment, then in a `.env`
    /// file beside migrate.toml, then `url` in it; `None` when none is set. A relative SQLite
    /// path from the file or `.env` is taken from the file's folder, so a program started
    /// elsewhere opens the same database. (The `migrate` command puts `--url` above all.)
    pub fn database_url(&self) -> Option<String> {
        match self.url_source()? {
            (url, None) => Some(url),
            (url, Some(base)) => Some(absolute_sqlite(&url, base)),
        }
    }

    /// The warning [`DatabaseUrl::sqlite_spelling_warning`] gives for the URL
    /// [`database_url`](Self::database_url) picks, a relative path from the file or `.env`
    /// taken from the file's folder.
    ///
    /// [`DatabaseUrl::sqlite_spelling_warning`]: crate::DatabaseUrl::sqlite_spelling_warning
    pub fn sqlite_spelling_warning(&self) -> Option<String> {
        let (url, base) = self.url_source()?;
        let parsed = crate::DatabaseUrl::parse(&url).ok()?;
        parsed.sqlite_spelling_warning_from(base.unwrap_or(Path::new("")))
    }

    /// The URL by precedence, with the folder its relative SQLite path is taken from when it
    /// came from a file (`None`: the environment, the working directory).
    fn url_source(&self) -> Option<(String, Option<&Path>)> {
        if let Some(url) = std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty()) {
            return Some((url, None));
        }
        let url = self.dotenv_url.as_deref().or(self.url.as_deref())?;
        Some((url.to_owned(), Some(&self.base_dir)))
    }

    /// `naming_convention` (empty by default: unnamed constraints stay unnamed).
    pub fn naming_convention(&self) -> &migrate_sql::NamingConvention {
        &self.naming_convention
    }

    /// The `[migrate]` keys of the `migrate` command ([`COMMAND_KEYS`]) as written.
    pub fn command_keys(&self) -> &toml::Table {
        &self.command_keys
    }

    /// `table_lock_timeout`, `statement_timeout` and `lock_retries` (none set by default).
    pub fn statement_timeouts(&self) -> crate::StatementTimeouts {
        self.timeouts
    }

    /// The command's own tables ([`COMMAND_TABLES`]) as written, by name.
    pub fn command_tables(&self) -> &toml::Table {
        &self.command_tables
    }

    /// The `[databases.NAME]` tables, by name.
    pub fn databases(&self) -> &[crate::fleet::DatabaseSpec] {
        &self.databases
    }

    /// `[tenants]`, if set.
    pub fn tenants(&self) -> Option<&crate::fleet::TenantsSpec> {
        self.tenants.as_ref()
    }

    /// `migrator` with this file's version table, schema, lock timeout, transaction mode and
    /// naming convention.
    pub fn apply_settings(&self, migrator: Migrator) -> Migrator {
        let mut m = migrator
            .version_table(self.version_table.clone())
            .lock_timeout(self.lock_timeout())
            .transaction_mode(self.transaction_mode())
            .naming_convention(self.naming_convention.clone())
            .statement_timeouts(self.timeouts);
        if let Some(schema) = &self.version_table_schema {
            m = m.version_table_schema(schema.clone());
        }
        m
    }

    /// [`apply_settings`](Config::apply_settings) and, when one is set,
    /// [`database_url`](Config::database_url).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidUrl`](crate::Error::InvalidUrl) for a malformed URL (password masked).
    pub fn apply(&self, migrator: Migrator) -> crate::Result<Migrator> {
        let m = self.apply_settings(migrator);
        match self.database_url() {
            Some(url) => m.url(&url),
            None => Ok(m),
        }
    }
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return path.to_path_buf();
    }
    std::env::current_dir().map_or_else(|_| path.to_path_buf(), |cwd| cwd.join(path))
}

fn string(key: &str, value: toml::Value) -> Result<String, String> {
    match value {
        toml::Value::String(s) => Ok(s),
        other => Err(wrong_type(key, "a string", &other)),
    }
}

/// A statement limit: seconds, above 0 and at most [`Migrator::MAX_LOCK_TIMEOUT`] (`0.5`,
/// `2`).
fn limit(key: &str, value: &toml::Value) -> Result<Duration, String> {
    let max = Migrator::MAX_LOCK_TIMEOUT.as_secs_f64();
    let secs = match value {
        toml::Value::Integer(n) => *n as f64,
        toml::Value::Float(f) => *f,
        other => return Err(wrong_type(key, "a number of seconds (2, 0.5)", other)),
    };
    if !(secs > 0.0 && secs <= max) {
        return Err(format!(
            "{key} = {secs} is out of range: use more than 0 and at most {max} seconds"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

fn wrong_type(key: &str, expected: &str, found: &toml::Value) -> String {
    format!("`{key}` must be {expected}, not {}", found.type_str())
}

/// toml's message and line, without the excerpt of the file its `Display` shows (a URL on
/// that line may hold a password).
fn toml_error(text: &str, e: &toml::de::Error) -> String {
    let message = crate::redact(&e.message().split_whitespace().collect::<Vec<_>>().join(" "));
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("line {line}: {message}")
        }
        None => message,
    }
}

/// A relative `sqlite://app.db` or `sqlite:///app.db` (SQLAlchemy's spelling) path taken from
/// `base`; `sqlite:////abs.db` is absolute already. The result has three slashes and the
/// joined path (four slashes when `base` is absolute).
pub(crate) fn absolute_sqlite(url: &str, base: &Path) -> String {
    let Some(rest) = url.strip_prefix("sqlite://") else {
        return url.to_owned();
    };
    let path = rest.strip_prefix('/').unwrap_or(rest);
    if path.is_empty()
        || path.starts_with('/')
        || path.starts_with(':')
        || Path::new(path).is_absolute()
    {
        return url.to_owned();
    }
    format!("sqlite:///{}", base.join(path).display())
}

/// `DATABASE_URL` from a `.env` file, read with `dotenvy` (quotes, `export`, comments and
/// escapes as dotenv tools write them) without changing this process's environment. A line
/// the file can't be read past ends the reading there; later lines win, as in a shell.
fn read_dotenv_url(path: &Path) -> Option<String> {
    let iter = dotenvy::from_path_iter(path).ok()?;
    let mut found = None;
    for item in iter {
        match item {
            Ok((key, value)) if key == "DATABASE_URL" => found = Some(value),
            Ok(_) => {}
            Err(_) => break,
        }
    }
    found.filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("/p/migrate.toml"))
    }

    fn message(text: &str) -> String {
        match parse(text) {
            Err(ConfigError::Invalid { message, .. }) => message,
            other => panic!("expected an invalid configuration, got {other:?}"),
        }
    }

    #[test]
    fn statement_limits_and_retries() {
        let c = parse(
            "[migrate]\ntable_lock_timeout = 0.5\nstatement_timeout = 30\nlock_retries = 3\n",
        )
        .expect("valid");
        let t = c.statement_timeouts();
        assert_eq!(t.table_lock, Some(Duration::from_millis(500)));
        assert_eq!(t.statement, Some(Duration::from_secs(30)));
        assert_eq!(t.lock_retries, 3);
        assert_eq!(
            parse("").expect("empty").statement_timeouts(),
            crate::StatementTimeouts::default()
        );
        assert!(message("[migrate]\ntable_lock_timeout = 0\n").contains("out of range"));
        assert!(message("[migrate]\nstatement_timeout = \"2s\"\n").contains("a number of seconds"));
        assert!(message("[migrate]\nlock_retries = 1000\n").contains("use 0 to 100"));
        // What the file says reaches the migrator an application builds from it.
        let list = crate::MigrationList::new().with(crate::AnyMigration::builder("a1", |_| Ok(())));
        let m = c.apply_settings(Migrator::new(&list).expect("a graph"));
        assert_eq!(m.timeouts(), t);
    }

    #[test]
    fn keys_defaults_and_ranges() {
        let c = parse("").expect("empty");
        assert_eq!(c.version_table(), "migrate_version");
        assert_eq!(c.lock_timeout(), Duration::from_secs(60));
        assert_eq!(c.transaction_mode(), TransactionMode::PerMigration);
        let c = parse(
            "[migrate]\nversion_table = \"alembic_version\"\nversion_table_schema = \"s\"\n\
             lock_timeout = 0\ntransaction_per_migration = false\nmigrations = \"m\"\n",
        )
        .expect("valid");
        assert_eq!(c.version_table(), "alembic_version");
        assert_eq!(c.version_table_schema(), Some("s"));
        assert_eq!(c.lock_timeout(), Duration::ZERO);
        assert_eq!(c.transaction_mode(), TransactionMode::Single);
        assert_eq!(
            c.command_keys()
                .get("migrations")
                .and_then(toml::Value::as_str),
            Some("m")
        );
        assert!(message("[migrate]\nlock_timeout = 2147484\n").contains("out of range"));
        assert!(message("[migrate]\nlock_timeout = -1\n").contains("out of range"));
        assert!(message("[migrate]\nlock_timeout = \"60\"\n").contains("must be an integer"));
        assert!(message("[migrate]\nversion_table = \"\"\n").contains("must not be empty"));
        assert!(message("[migrate]\nmigratoins = \"m\"\n").contains("`migratoins`"));
        assert!(message("[other]\n").contains("unknown table `other`"));
    }

    #[test]
    fn naming_convention_key() {
        let c = parse(
            "[migrate]\nnaming_convention = { uq = \"uq_%(table_name)s_%(column_0_name)s\", pk = \"pk_%(table_name)s\" }\n",
        )
        .unwrap();
        assert_eq!(
            c.naming_convention().uq.as_deref(),
            Some("uq_%(table_name)s_%(column_0_name)s")
        );
        assert_eq!(
            c.naming_convention().pk.as_deref(),
            Some("pk_%(table_name)s")
        );
        assert!(c.naming_convention().fk.is_none());
        assert!(message("[migrate]\nnaming_convention = { xx = \"a\" }\n")
            .contains("naming_convention: unknown key \"xx\"; use ix, uq, ck, fk or pk"));
        assert!(
            message("[migrate]\nnaming_convention = { uq = \"uq_%(tabel)s\" }\n")
                .contains("uses unknown token %(tabel)s")
        );
        assert!(
            message("[migrate]\nnaming_convention = { uq = 3 }\n").contains("naming_convention.uq")
        );
        assert!(message("[migrate]\nnaming_convention = \"uq\"\n").contains("naming_convention"));
    }

    #[test]
    fn errors_never_show_a_password() {
        for text in [
            "[migrate]\nurl = \"postgres://app:S3cret@db/app\n",
            "[migrate]\nurl = 'postgres://app:S3cret@db/app' x\n",
            "[migrate]\nurl = \"postgres://app:S3cret@db/app\"\nurl = \"postgres://app:S3cret@db/app\"\n",
        ] {
            let m = message(text);
            assert!(!m.contains("S3cret"), "{m}");
            assert!(m.starts_with("line "), "{m}");
            assert!(!m.contains('\n'), "{m}");
        }
    }

    #[test]
    fn relative_sqlite_paths_follow_the_file() {
        assert_eq!(
            absolute_sqlite("sqlite://m.db", Path::new("/p")),
            "sqlite:////p/m.db"
        );
        // SQLAlchemy's three slashes: relative too; four: absolute.
        assert_eq!(
            absolute_sqlite("sqlite:///m.db", Path::new("/p")),
            "sqlite:////p/m.db"
        );
        assert_eq!(
            absolute_sqlite("sqlite:////abs.db", Path::new("/p")),
            "sqlite:////abs.db"
        );
        assert_eq!(
            absolute_sqlite("sqlite://:memory:", Path::new("/p")),
            "sqlite://:memory:"
        );
        assert_eq!(absolute_sqlite("sqlite://", Path::new("/p")), "sqlite://");
    }

    #[test]
    fn dotenv_parsing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let env = dir.path().join(".env");
        let read = |text: &str| {
            std::fs::write(&env, text).expect("write");
            read_dotenv_url(&env)
        };
        assert_eq!(
            read("# c\nexport DATABASE_URL=\"sqlite://x.db\"\nOTHER=1\n").as_deref(),
            Some("sqlite://x.db")
        );
        assert_eq!(read("DATABASE_URL=a # note\n").as_deref(), Some("a"));
        assert_eq!(read("DATABASE_URL=\n"), None);
        assert_eq!(
            read("DATABASE_URL='p@ss w#rd'\n").as_deref(),
            Some("p@ss w#rd")
        );
        assert_eq!(
            read("DATABASE_URL=a\nDATABASE_URL=b\n").as_deref(),
            Some("b")
        );
    }
}
