//! `migrate.toml`, `.env` and the URL precedence, validated once before any work.
//!
//! ```toml
//! [migrate]
//! migrations = "migrations"          # path of the migrations crate, relative to this file
//! url = "sqlite://migrate.db"        # overridden by DATABASE_URL (env or .env), then by --url
//! version_table = "migrate_version"
//! version_table_schema = "public"    # optional
//! lock_timeout = 60                  # seconds to wait for another migrating process
//! table_lock_timeout = 2             # seconds a migration statement waits for a table lock
//! statement_timeout = 300            # seconds a migration statement may run
//! lock_retries = 3                   # rerun a migration that timed out on a lock
//! transaction_per_migration = true   # false: the whole run in one transaction
//! file_template = "{year}{month}{day}_{hour}{minute}_{rev}_{slug}"
//! truncate_slug_length = 40
//! post_write_hook = "rustfmt"        # or "none", or a command line: "my-fmt --check {file}"
//! diesel_schema = "src/schema.rs"    # optional: Diesel's schema.rs, kept current by upgrade/downgrade
//!
//! [databases.billing]                # `--db billing`, `--all`: a named database
//! url_env = "BILLING_URL"            # or url = "..."; version_table, version_table_schema, branch
//!
//! [tenants]                          # `--all`: one migrations set over a list of databases
//! file = "tenants.txt"               # one URL a line; or env = "TENANT_URLS", or query = "..."; url = "postgres://..." for schemas
//!
//! [lint]                             # `migrate lint`: rule ids or categories per severity
//! deny = ["hygiene"]
//! warn = ["sqlite-table-rebuild"]
//! allow = ["enum-value-position"]
//! ```
//!
//! The library's parser ([`migrate_core::Config`], what `Migrator::from_config` uses in an
//! application) reads the file and every key the library shares with the command; only the
//! command's own keys (`migrations`, `file_template`, `truncate_slug_length`,
//! `post_write_hook`, `diesel_schema`) and `--url` are
//! read here.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::CliError;

/// The default configuration file name.
pub const CONFIG_FILE: &str = migrate_core::config::CONFIG_FILE;
/// The default file name template of `revision` (tokens: rev, slug, epoch, year, month, day,
/// hour, minute, second; UTC).
pub const DEFAULT_FILE_TEMPLATE: &str = "{year}{month}{day}_{hour}{minute}_{rev}_{slug}";

/// The `[migrate]` keys of the command itself (`migrate_core::config::COMMAND_KEYS`), which
/// the library's parser hands over as written. Everything else in the file is read by the
/// library's [`migrate_core::Config`], the parser an application uses too.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CommandKeys {
    migrations: Option<PathBuf>,
    file_template: Option<String>,
    truncate_slug_length: Option<usize>,
    post_write_hook: Option<String>,
    diesel_schema: Option<PathBuf>,
    types: Option<std::collections::BTreeMap<String, String>>,
}

/// `[lint]`: which rules (ids or categories) are errors, warnings, or not reported.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct LintKeys {
    #[serde(default)]
    deny: Vec<String>,
    #[serde(default)]
    warn: Vec<String>,
    #[serde(default)]
    allow: Vec<String>,
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
    /// What the library reads: version table, schema, lock timeout, transaction mode, URL.
    pub core: migrate_core::Config,
    /// Version table name.
    pub version_table: String,
    /// File name template for `revision`.
    pub file_template: String,
    /// Slug length limit.
    pub truncate_slug_length: usize,
    /// What `revision` and `merge` run on the file they wrote.
    pub post_write_hook: PostWriteHook,
    /// Diesel's `schema.rs` (`diesel_schema`, made absolute): `upgrade` and `downgrade`
    /// rewrite it, `check` fails when it is stale.
    pub diesel_schema: Option<PathBuf>,
    /// `[migrate.types]`: a Diesel type's name in `schema.rs` → the SQL type autogenerate
    /// creates it as (`Citext = "CITEXT"`).
    pub types: std::collections::BTreeMap<String, String>,
    /// `[lint]`: the severities of `migrate lint`'s rules.
    pub lint: migrate_lint::LintConfig,
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
        let loaded = match path {
            Some(p) => migrate_core::Config::load(cwd.join(p)),
            None => migrate_core::Config::load_or_default(cwd.join(CONFIG_FILE)),
        };
        let core = loaded.map_err(|e| match e {
            migrate_core::ConfigError::Missing { path } => CliError::ConfigMissing { path },
            migrate_core::ConfigError::Invalid { path, message } => {
                CliError::ConfigInvalid { path, message }
            }
            other => CliError::ConfigInvalid {
                path: cwd.join(path.unwrap_or(Path::new(CONFIG_FILE))),
                message: other.to_string(),
            },
        })?;
        let file = core.file().map(Path::to_path_buf);
        let base_dir = core.base_dir().to_path_buf();
        let invalid = |message: String| CliError::ConfigInvalid {
            path: file.clone().unwrap_or_default(),
            message,
        };
        let keys: CommandKeys = toml::Value::Table(core.command_keys().clone())
            .try_into()
            .map_err(|e: toml::de::Error| invalid(one_line(e.message())))?;
        let file_template = keys
            .file_template
            .unwrap_or_else(|| DEFAULT_FILE_TEMPLATE.to_owned());
        check_file_template(&file_template).map_err(invalid)?;
        let post_write_hook = match &keys.post_write_hook {
            Some(value) => PostWriteHook::parse(value).map_err(invalid)?,
            None => PostWriteHook::Rustfmt { explicit: false },
        };
        if keys.diesel_schema.as_ref().is_some_and(|p| {
            p.as_os_str().is_empty() || p.to_str().is_some_and(|s| s.ends_with('/'))
        }) {
            return Err(invalid(
                "diesel_schema must name a file, such as \"src/schema.rs\"".to_owned(),
            ));
        }
        let lint = match core.command_tables().get("lint") {
            Some(table) => {
                let keys: LintKeys = table.clone().try_into().map_err(|e: toml::de::Error| {
                    invalid(format!("[lint]: {}", one_line(e.message())))
                })?;
                let lint = migrate_lint::LintConfig {
                    deny: keys.deny,
                    warn: keys.warn,
                    allow: keys.allow,
                };
                lint.validate().map_err(|e| invalid(e.to_string()))?;
                lint
            }
            None => migrate_lint::LintConfig::default(),
        };
        Ok(Config {
            lint,
            diesel_schema: keys.diesel_schema.map(|p| base_dir.join(p)),
            types: keys.types.unwrap_or_default(),
            migrations: base_dir.join(keys.migrations.unwrap_or_else(|| "migrations".into())),
            version_table: core.version_table().to_owned(),
            file_template,
            truncate_slug_length: keys.truncate_slug_length.unwrap_or(40),
            post_write_hook,
            file,
            base_dir,
            core,
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

    /// The database URL by precedence: `--url`, then what the library's
    /// [`migrate_core::Config::database_url`] finds (`DATABASE_URL`, `.env`'s `DATABASE_URL`,
    /// migrate.toml; relative SQLite paths from the files taken from migrate.toml's folder).
    ///
    /// # Errors
    ///
    /// [`CliError::NoUrl`] when there is none; a `migrate_core::Error::InvalidUrl` or
    /// [`CliError::BadUrl`] when it is malformed (both exit 5), the password hidden.
    pub fn database_url(&self, cli_url: Option<&str>) -> anyhow::Result<String> {
        let url = match cli_url {
            Some(u) => u.to_owned(),
            None => self.core.database_url().ok_or(CliError::NoUrl)?,
        };
        validate_url(&url)?;
        let warning = match cli_url {
            Some(u) => migrate_core::DatabaseUrl::parse(u)?.sqlite_spelling_warning(),
            None => self.core.sqlite_spelling_warning(),
        };
        // Said once: a command may ask for the URL more than once, and the runner `migrate`
        // builds and starts (which asks again) leaves it to the `migrate` that started it.
        if let Some(w) = warning.filter(|_| std::env::var_os(crate::project::RUNNER_ENV).is_none())
        {
            static ONCE: std::sync::Once = std::sync::Once::new();
            ONCE.call_once(|| eprintln!("warning: {w}"));
        }
        Ok(url)
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
}
