//! `[databases.NAME]` and `[tenants]` of migrate.toml: the databases a [`Fleet`](super::Fleet)
//! runs over, read by the one parser the `migrate` command and an application share.
//!
//! ```toml
//! [databases.billing]
//! url_env = "BILLING_URL"            # or url = "postgres://..."
//! version_table = "billing_version"  # optional
//! version_table_schema = "billing"   # optional
//! branch = "billing"                 # optional: it holds this branch label's migrations only
//!
//! [tenants]
//! file = "tenants.txt"               # one URL a line (# comments); or env = "TENANT_URLS" (comma-separated)
//! # url = "postgres://db/app"        # then each entry without `://` is a PostgreSQL schema of that database
//! # or: query = "SELECT schema_name AS tenant FROM tenants" with url = the database it runs on
//! ```

use std::path::{Path, PathBuf};

use super::Target;
use crate::config::{absolute_sqlite, ConfigError};
use crate::error::{Error, Result};
use crate::url::DatabaseUrl;

/// One `[databases.NAME]`, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseSpec {
    /// `NAME`.
    pub name: String,
    /// `url`.
    pub url: Option<String>,
    /// `url_env`: the environment variable holding the URL.
    pub url_env: Option<String>,
    /// `version_table`.
    pub version_table: Option<String>,
    /// `version_table_schema`.
    pub version_table_schema: Option<String>,
    /// `branch`: the branch label whose migrations it holds.
    pub branch: Option<String>,
}

/// Where `[tenants]` takes its list from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenantsSpec {
    /// `file = "..."`: one entry a line; blank lines and `#` comments skipped.
    File {
        /// The file (relative to migrate.toml's folder).
        path: PathBuf,
        /// `url`: the entries are schemas of this PostgreSQL database.
        url: Option<String>,
    },
    /// `env = "..."`: entries separated by commas or newlines.
    Env {
        /// The variable.
        var: String,
        /// `url`: the entries are schemas of this PostgreSQL database.
        url: Option<String>,
    },
    /// `query = "..."`: the column `tenant` of the rows this query returns on `url` (the
    /// control database), e.g. `SELECT schema_name AS tenant FROM tenants`.
    Query {
        /// The query.
        sql: String,
        /// The database it runs on, whose schemas the entries are.
        url: String,
    },
}

const DATABASE_KEYS: [&str; 5] = [
    "url",
    "url_env",
    "version_table",
    "version_table_schema",
    "branch",
];

pub(crate) fn parse_databases(
    value: toml::Value,
) -> std::result::Result<Vec<DatabaseSpec>, String> {
    let toml::Value::Table(table) = value else {
        return Err("`databases` must be tables ([databases.NAME])".to_owned());
    };
    let mut specs = Vec::new();
    for (name, value) in table {
        let toml::Value::Table(keys) = value else {
            return Err(format!(
                "`databases.{name}` must be a table ([databases.{name}])"
            ));
        };
        let mut spec = DatabaseSpec {
            name: name.clone(),
            url: None,
            url_env: None,
            version_table: None,
            version_table_schema: None,
            branch: None,
        };
        for (key, value) in keys {
            let toml::Value::String(s) = value else {
                return Err(format!(
                    "`databases.{name}.{key}` must be a string, not {}",
                    value.type_str()
                ));
            };
            match key.as_str() {
                "url" => spec.url = Some(s),
                "url_env" => spec.url_env = Some(s),
                "version_table" if s.is_empty() => {
                    return Err(format!("databases.{name}.version_table must not be empty"))
                }
                "version_table" => spec.version_table = Some(s),
                "version_table_schema" => spec.version_table_schema = Some(s),
                "branch" if s.is_empty() => {
                    return Err(format!("databases.{name}.branch must not be empty"))
                }
                "branch" => spec.branch = Some(s),
                _ => {
                    return Err(format!(
                        "unknown key `{key}` in [databases.{name}]; the keys are {}",
                        DATABASE_KEYS.map(|k| format!("`{k}`")).join(", ")
                    ))
                }
            }
        }
        if spec.url.is_some() == spec.url_env.is_some() {
            return Err(format!(
                "[databases.{name}] needs exactly one of `url` and `url_env`"
            ));
        }
        specs.push(spec);
    }
    Ok(specs)
}

pub(crate) fn parse_tenants(value: toml::Value) -> std::result::Result<TenantsSpec, String> {
    let toml::Value::Table(table) = value else {
        return Err(
            "`tenants` must be a table ([tenants] or tenants = { file = \"...\" })".to_owned(),
        );
    };
    let (mut file, mut env, mut query, mut url) = (None, None, None, None);
    for (key, value) in table {
        let toml::Value::String(s) = value else {
            return Err(format!(
                "`tenants.{key}` must be a string, not {}",
                value.type_str()
            ));
        };
        match key.as_str() {
            "file" => file = Some(PathBuf::from(s)),
            "env" => env = Some(s),
            "query" => query = Some(s),
            "url" => url = Some(s),
            _ => {
                return Err(format!(
                    "unknown key `{key}` in [tenants]; the keys are `file`, `env`, `query`, `url`"
                ))
            }
        }
    }
    match (file, env, query) {
        (Some(path), None, None) => Ok(TenantsSpec::File { path, url }),
        (None, Some(var), None) => Ok(TenantsSpec::Env { var, url }),
        (None, None, Some(sql)) => match url {
            Some(url) => Ok(TenantsSpec::Query { sql, url }),
            None => Err("[tenants] `query` needs the `url` of the database it runs on".to_owned()),
        },
        _ => Err("[tenants] needs exactly one of `file`, `env` and `query`".to_owned()),
    }
}

fn invalid(file: &Path, message: String) -> Error {
    Error::Config(ConfigError::Invalid {
        path: file.to_path_buf(),
        message,
    })
}

impl DatabaseSpec {
    /// Its [`Target`]: the URL from `url` (a relative SQLite path taken from `base`, the
    /// file's folder) or from `url_env`.
    pub(crate) fn target(&self, file: &Path, base: &Path) -> Result<Target> {
        let url = match (&self.url, &self.url_env) {
            (Some(url), _) => absolute_sqlite(url, base),
            (None, Some(var)) => match std::env::var(var) {
                Ok(url) if !url.trim().is_empty() => url,
                _ => {
                    return Err(invalid(
                        file,
                        format!(
                            "[databases.{}]: the environment variable {var} (url_env) is not set",
                            self.name
                        ),
                    ))
                }
            },
            (None, None) => {
                return Err(invalid(
                    file,
                    format!("[databases.{}] has no url", self.name),
                ))
            }
        };
        let mut target = Target::new(self.name.clone(), DatabaseUrl::parse(&url)?);
        target.version_table = self.version_table.clone();
        target.version_table_schema = self.version_table_schema.clone();
        target.branch = self.branch.clone();
        Ok(target)
    }
}

impl TenantsSpec {
    /// The tenants' [`Target`]s, read now from the file, the environment or the query. A URL
    /// entry is named by the URL with its password masked; with `url`, an entry without `://`
    /// is a schema of it, named by the schema, connecting with `search_path` set to it and its
    /// version table in it.
    pub(crate) fn targets(&self, file: &Path, base: &Path) -> Result<Vec<Target>> {
        let (entries, url) = match self {
            TenantsSpec::File { path, url } => {
                let path = base.join(path);
                let text = std::fs::read_to_string(&path).map_err(|e| {
                    invalid(file, format!("[tenants] file {}: {e}", path.display()))
                })?;
                let lines = text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(str::to_owned)
                    .collect::<Vec<_>>();
                (lines, url)
            }
            TenantsSpec::Env { var, url } => {
                let value = std::env::var(var).map_err(|_| {
                    invalid(
                        file,
                        format!("[tenants]: the environment variable {var} is not set"),
                    )
                })?;
                let entries = value
                    .split([',', '\n'])
                    .map(str::trim)
                    .filter(|e| !e.is_empty())
                    .map(str::to_owned)
                    .collect::<Vec<_>>();
                (entries, url)
            }
            TenantsSpec::Query { sql, url } => (query(file, url, sql)?, &Some(url.clone())),
        };
        entries
            .iter()
            .map(|entry| match url {
                Some(url) if !entry.contains("://") => schema_target(file, url, entry),
                _ => Ok(Target::from_url(DatabaseUrl::parse(&absolute_sqlite(
                    entry, base,
                ))?)),
            })
            .collect()
    }
}

#[derive(diesel::QueryableByName)]
struct Tenant {
    #[diesel(sql_type = diesel::sql_types::Text)]
    tenant: String,
}

/// The `tenant` column of `sql`'s rows on `url`. Read-only as the query is: it runs as the
/// user wrote it, on a connection of its own.
fn query(file: &Path, url: &str, sql: &str) -> Result<Vec<String>> {
    use diesel::RunQueryDsl as _;
    let parsed = DatabaseUrl::parse(url)?;
    let mut conn =
        crate::AnyConnection::establish_url(&parsed, std::time::Duration::from_secs(60))?;
    let rows: Vec<Tenant> = diesel::sql_query(sql).load(&mut conn).map_err(|e| {
        invalid(
            file,
            format!(
                "[tenants] query on {parsed}: {e} (it must return a text column named `tenant`)"
            ),
        )
    })?;
    Ok(rows
        .into_iter()
        .map(|r| r.tenant.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect())
}

/// A tenant schema of the PostgreSQL database at `url`: its tables and version table in the
/// schema (`search_path` set through libpq's `options`).
fn schema_target(file: &Path, url: &str, schema: &str) -> Result<Target> {
    let plain = !schema.is_empty()
        && schema
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !plain {
        return Err(invalid(
            file,
            "[tenants]: a schema name may hold only letters, digits and `_`".to_owned(),
        ));
    }
    let base = DatabaseUrl::parse(url)?;
    if base.backend() != crate::Backend::Postgres {
        return Err(invalid(
            file,
            "[tenants]: schema entries (with `url`) need a PostgreSQL url".to_owned(),
        ));
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    let with_path = DatabaseUrl::parse(&format!("{url}{sep}options=-csearch_path%3D{schema}"))?;
    let mut target = Target::new(schema, with_path).version_table_schema(schema);
    target.search_path = Some(schema.to_owned());
    Ok(target)
}

impl crate::config::Config {
    /// The [`Target`]s of a [`Fleet`](super::Fleet): with
    /// `name`, the one `[databases.NAME]` (or the tenant) of that name; without, every
    /// `[databases.NAME]` and then every tenant (the tenant list read now, from its file or
    /// the environment).
    ///
    /// # Errors
    ///
    /// [`Error::Config`] for an unknown name, a `url_env` or tenant
    /// source that is not set or can't be read, or no database at all;
    /// [`Error::InvalidUrl`] for a malformed URL (password masked).
    pub fn fleet_targets(&self, name: Option<&str>) -> crate::Result<Vec<crate::fleet::Target>> {
        let file = self.file().map_or_else(
            || self.base_dir().join(crate::config::CONFIG_FILE),
            Path::to_path_buf,
        );
        let invalid = |message: String| {
            crate::Error::Config(crate::config::ConfigError::Invalid {
                path: file.clone(),
                message,
            })
        };
        if let Some(name) = name {
            if let Some(spec) = self.databases().iter().find(|d| d.name == name) {
                return Ok(vec![spec.target(&file, self.base_dir())?]);
            }
        }
        let mut targets = Vec::new();
        if name.is_none() {
            for spec in self.databases() {
                targets.push(spec.target(&file, self.base_dir())?);
            }
        }
        if let Some(tenants) = self.tenants() {
            let all = tenants.targets(&file, self.base_dir())?;
            targets.extend(all.into_iter().filter(|t| name.is_none_or(|n| t.name == n)));
        }
        match name {
            Some(name) if targets.is_empty() => {
                let names: Vec<String> = self
                    .databases()
                    .iter()
                    .map(|d| format!("`{}`", d.name))
                    .collect();
                let mut known = if names.is_empty() {
                    "migrate.toml names no database ([databases.NAME])".to_owned()
                } else {
                    format!("the databases are {}", names.join(", "))
                };
                if self.tenants().is_some() {
                    known.push_str(
                        "; a tenant is named by its URL (password masked) or its schema, as `migrate --all current` lists them",
                    );
                }
                Err(invalid(format!("no database named `{name}`; {known}")))
            }
            None if targets.is_empty() => Err(invalid(
                "--all: no databases: add [databases.NAME] tables or a [tenants] list".to_owned(),
            )),
            _ => Ok(targets),
        }
    }
}
