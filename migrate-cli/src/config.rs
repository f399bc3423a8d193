//! `migrate.toml`, `.env` and the URL precedence, validated once before any work.
//!
//! ```toml
//! [migrate]
//! migrations = "migrations"          # path of the migrations crate, relative to this file
//! url = "sqlite://migrate.db"        # overridden by DATABASE_URL (env or .env), then by --url
//! version_table = "migrate_version"
//! version_table_schema = "public"    # optional
//! lock_timeout = 60                  # seconds to wait for another migrating process
//! transaction_per_migration = true   # false: the whole run in one transaction
//! file_template = "{year}{month}{day}_{hour}{minute}_{rev}_{slug}"
//! truncate_slug_length = 40
//! post_write_hook = "rustfmt"        # or "none", or a command line: "my-fmt --check {file}"
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::CliError;

/// The default configuration file name.
pub const CONFIG_FILE: &str = "migrate.toml";
/// The default file name template of `revision` (tokens: rev, slug, epoch, year, month, day,
/// hour, minute, second; UTC).
pub const DEFAULT_FILE_TEMPLATE: &str = "{year}{month}{day}_{hour}{minute}_{rev}_{slug}";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    migrate: Section,
}

/// The `[migrate]` table as written.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Section {
    migrations: Option<PathBuf>,
    url: Option<String>,
    version_table: Option<String>,
    version_table_schema: Option<String>,
    lock_timeout: Option<u64>,
    transaction_per_migration: Option<bool>,
    file_template: Option<String>,
    truncate_slug_length: Option<usize>,
    post_write_hook: Option<String>,
}

/// The validated configuration: file values with defaults applied, paths absolute.
#[derive(Debug, Clone)]
pub struct Config {
    /// The configuration file, if one was found.
    pub file: Option<PathBuf>,
    /// The directory relative paths are resolved against (the file's, else the cwd).
    pub base_dir: PathBuf,
    /// The migrations crate directory.
    pub migrations: PathBuf,
    /// The URL from migrate.toml (lowest precedence).
    url: Option<String>,
    /// `DATABASE_URL` from a `.env` file beside migrate.toml.
    dotenv_url: Option<String>,
    /// Version table name.
    pub version_table: String,
    /// Version table schema (PostgreSQL schema / MySQL database), if any.
    pub version_table_schema: Option<String>,
    /// Seconds to wait for the migration lock.
    pub lock_timeout: u64,
    /// `false`: the whole run in one transaction (PostgreSQL, SQLite); unset or `true`: one
    /// transaction per migration, so a failure keeps the migrations before it.
    pub transaction_per_migration: Option<bool>,
    /// File name template for `revision`.
    pub file_template: String,
    /// Slug length limit.
    pub truncate_slug_length: usize,
    /// What `revision` and `merge` run on the file they wrote.
    pub post_write_hook: PostWriteHook,
}

/// What `migrate revision` runs on a file it has just written: `post_write_hook` in
/// migrate.toml, like Alembic's `post_write_hooks`. The hook never decides whether the
/// revision is created: the file is written first, and a hook that can't run or fails is a
/// warning (the file stays as generated, a valid migration either way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostWriteHook {
    /// `rustfmt --edition 2021 FILE`. `explicit: false` is the default (the key absent): then a
    /// machine without rustfmt gets the file unformatted, silently.
    Rustfmt {
        /// Whether migrate.toml asked for it (then rustfmt missing is a warning too).
        explicit: bool,
    },
    /// `"none"`: the file is left as generated.
    None,
    /// Any other value: a command line, split at whitespace (no shell, no quoting); each
    /// `{file}` in it is replaced by the new file's path, which is appended as the last
    /// argument when there is no `{file}`. It runs in the current directory.
    Command(Vec<String>),
}

impl PostWriteHook {
    /// The hook `value` (the key's text) names.
    ///
    /// # Examples
    ///
    /// ```
    /// use migrate_cli::config::PostWriteHook;
    /// assert_eq!(PostWriteHook::parse("none"), Ok(PostWriteHook::None));
    /// assert_eq!(
    ///     PostWriteHook::parse("fmt --quiet {file}"),
    ///     Ok(PostWriteHook::Command(vec!["fmt".into(), "--quiet".into(), "{file}".into()]))
    /// );
    /// assert!(PostWriteHook::parse("  ").is_err());
    /// ```
    pub fn parse(value: &str) -> Result<PostWriteHook, String> {
        match value.trim() {
            "" => Err(
                "post_write_hook is empty; use \"rustfmt\" (the default), \"none\", or a command line with {file}"
                    .to_owned(),
            ),
            "rustfmt" => Ok(PostWriteHook::Rustfmt { explicit: true }),
            "none" => Ok(PostWriteHook::None),
            line => Ok(PostWriteHook::Command(
                line.split_whitespace().map(str::to_owned).collect(),
            )),
        }
    }
}

impl Config {
    /// Load `path` (or `migrate.toml` in the current directory). A missing default file is
    /// not an error here (embedded apps run on `DATABASE_URL` alone); [`Config::require_file`]
    /// makes it one for the commands that need the migrations' sources.
    pub fn load(path: Option<&Path>) -> Result<Config, CliError> {
        let cwd = std::env::current_dir().map_err(|e| CliError::ConfigInvalid {
            path: PathBuf::from("."),
            message: format!("can't read the current directory: {e}"),
        })?;
        let (file_path, explicit) = match path {
            Some(p) => (cwd.join(p), true),
            None => (cwd.join(CONFIG_FILE), false),
        };
        let (section, file, base_dir) = match std::fs::read_to_string(&file_path) {
            Ok(text) => {
                let parsed: File = toml::from_str(&text).map_err(|e| CliError::ConfigInvalid {
                    path: file_path.clone(),
                    message: one_line(&e.to_string()),
                })?;
                let base = file_path
                    .parent()
                    .map_or_else(|| cwd.clone(), Path::to_path_buf);
                (parsed.migrate, Some(file_path), base)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
                (Section::default(), None, cwd)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(CliError::ConfigMissing { path: file_path })
            }
            Err(e) => {
                return Err(CliError::ConfigInvalid {
                    path: file_path,
                    message: e.to_string(),
                })
            }
        };
        let dotenv_url = read_dotenv_url(&base_dir.join(".env"));
        let version_table = section
            .version_table
            .unwrap_or_else(|| "migrate_version".to_owned());
        if version_table.is_empty() {
            return Err(CliError::ConfigInvalid {
                path: file.clone().unwrap_or_default(),
                message: "version_table must not be empty".to_owned(),
            });
        }
        let invalid = |message: String| CliError::ConfigInvalid {
            path: file.clone().unwrap_or_default(),
            message,
        };
        let lock_timeout = section.lock_timeout.unwrap_or(60);
        let max = migrate_core::Migrator::MAX_LOCK_TIMEOUT.as_secs();
        if lock_timeout > max {
            return Err(invalid(format!(
                "lock_timeout = {lock_timeout} is out of range: use 0 to {max} seconds (about 24 days)"
            )));
        }
        let file_template = section
            .file_template
            .unwrap_or_else(|| DEFAULT_FILE_TEMPLATE.to_owned());
        check_file_template(&file_template).map_err(invalid)?;
        let post_write_hook = match &section.post_write_hook {
            Some(value) => PostWriteHook::parse(value).map_err(invalid)?,
            None => PostWriteHook::Rustfmt { explicit: false },
        };
        Ok(Config {
            migrations: base_dir.join(section.migrations.unwrap_or_else(|| "migrations".into())),
            url: section.url,
            dotenv_url,
            version_table,
            version_table_schema: section.version_table_schema,
            lock_timeout,
            transaction_per_migration: section.transaction_per_migration,
            file_template,
            truncate_slug_length: section.truncate_slug_length.unwrap_or(40),
            post_write_hook,
            file,
            base_dir,
        })
    }

    /// Fail with a "run `migrate init`" error unless a configuration file was found.
    pub fn require_file(&self) -> Result<&Path, CliError> {
        self.file.as_deref().ok_or_else(|| CliError::ConfigMissing {
            path: self.base_dir.join(CONFIG_FILE),
        })
    }

    /// The versions folder of the migrations crate.
    pub fn versions_dir(&self) -> PathBuf {
        self.migrations.join("src").join("versions")
    }

    /// The database URL by precedence: `--url`, `DATABASE_URL`, `.env`'s `DATABASE_URL`,
    /// migrate.toml. A relative SQLite path from migrate.toml or `.env` is resolved against
    /// the file's directory, so `-c` from elsewhere hits the same database.
    ///
    /// # Errors
    ///
    /// [`CliError::NoUrl`] when there is none; a `migrate_core::Error::InvalidUrl` or
    /// [`CliError::BadUrl`] when it is malformed (both exit 5), the password hidden.
    pub fn database_url(&self, cli_url: Option<&str>) -> anyhow::Result<String> {
        let env_url = std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty());
        let (url, from_file) = match (cli_url, env_url) {
            (Some(u), _) => (u.to_owned(), false),
            (None, Some(u)) => (u, false),
            (None, None) => match self.dotenv_url.clone().or_else(|| self.url.clone()) {
                Some(u) => (u, true),
                None => return Err(CliError::NoUrl.into()),
            },
        };
        validate_url(&url)?;
        Ok(if from_file {
            absolute_sqlite(&url, &self.base_dir)
        } else {
            url
        })
    }
}

/// Parse the URL as the core will (one parser for both, on the `url` crate), so that every
/// URL error is reported before any build or connection. Refuse what the core accepts but a
/// command line should not: a bare path (no scheme), and an in-memory SQLite database, which
/// would be migrated and then vanish when `migrate` exits.
fn validate_url(url: &str) -> Result<(), anyhow::Error> {
    let has_scheme = url.trim().split_once(':').is_some_and(|(scheme, _)| {
        scheme.len() >= 2
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+')
    });
    if !has_scheme {
        return Err(CliError::BadUrl {
            url: migrate_core::redact(url),
            reason: "expected sqlite://PATH, postgres://... or mysql://...".to_owned(),
        }
        .into());
    }
    let parsed = migrate_core::DatabaseUrl::parse(url)?;
    if parsed.is_sqlite_memory() {
        return Err(CliError::BadUrl {
            url: parsed.redacted(),
            reason: "an in-memory SQLite database lasts only as long as one connection, so \
                     nothing migrate does to it is kept; use a file (sqlite://app.db)"
                .to_owned(),
        }
        .into());
    }
    Ok(())
}

/// A file name template names one file directly in `versions/`: no folder, no way out of it
/// (`../x_{rev}`), and the revision id in it so that two revisions never share a file.
fn check_file_template(template: &str) -> Result<(), String> {
    if let Some(c) = template
        .chars()
        .find(|c| matches!(c, '/' | '\\') || c.is_control())
    {
        return Err(format!(
            "file_template = {template:?} contains {c:?}; it names a file directly in the versions folder, so use no path separators or control characters"
        ));
    }
    if template.starts_with('.') {
        return Err(format!(
            "file_template = {template:?} starts with '.'; start it with a token such as {{year}} or {{rev}}"
        ));
    }
    if !template.contains("{rev}") {
        return Err(format!(
            "file_template = {template:?} has no {{rev}} token; without it two revisions would share a file name"
        ));
    }
    Ok(())
}

fn absolute_sqlite(url: &str, base: &Path) -> String {
    match url.strip_prefix("sqlite://") {
        Some(path) if !path.starts_with('/') && !path.starts_with(':') => {
            format!("sqlite://{}", base.join(path).display())
        }
        _ => url.to_owned(),
    }
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

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked() {
        let mask_password = migrate_core::redact;
        assert_eq!(
            mask_password("postgres://u:secret@localhost:5432/db"),
            "postgres://u:***@localhost:5432/db"
        );
        assert_eq!(mask_password("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(mask_password("sqlite://a.db"), "sqlite://a.db");
        assert_eq!(mask_password("mysql://r:p@ss@h/d"), "mysql://r:***@h/d");
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

    #[test]
    fn urls_are_validated() {
        assert!(validate_url("sqlite://a.db").is_ok());
        assert!(validate_url("postgres://h/db").is_ok());
        assert!(validate_url("oracle://h").is_err());
        assert!(validate_url("a.db").is_err());
        assert!(validate_url("sqlite://").is_err());
        assert!(validate_url("sqlite://:memory:").is_err());
        assert!(validate_url("postgresql+psycopg2://u@h/db").is_ok());
        let err = validate_url("postgres:/app:S3cret@host/app").unwrap_err();
        assert!(!format!("{err:#}").contains("S3cret"), "{err:#}");
    }

    #[test]
    fn relative_sqlite_paths_follow_the_config_file() {
        let base = Path::new("/p");
        assert_eq!(absolute_sqlite("sqlite://m.db", base), "sqlite:///p/m.db");
        assert_eq!(
            absolute_sqlite("sqlite:///abs.db", base),
            "sqlite:///abs.db"
        );
        assert_eq!(
            absolute_sqlite("sqlite://:memory:", base),
            "sqlite://:memory:"
        );
    }
}
