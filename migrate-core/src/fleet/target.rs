//! [`Target`]: one database of a [`Fleet`](super::Fleet).

use crate::url::DatabaseUrl;

/// One database of a [`Fleet`](super::Fleet): a name for the report, its URL, and optionally
/// its own version table and schema (a PostgreSQL tenant schema holding its version table)
/// and the branch of the graph it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Target {
    /// How results name it: a configured name, or the URL with its password masked.
    pub name: String,
    /// Where it is.
    pub url: DatabaseUrl,
    /// Its version table, when not the template migrator's.
    pub version_table: Option<String>,
    /// The schema (PostgreSQL) or database (MySQL) holding its version and history tables,
    /// when not the template migrator's.
    pub version_table_schema: Option<String>,
    /// The branch label of the migrations this database holds (see
    /// [`Migrator::branch`](crate::Migrator::branch)); `None`: the whole graph.
    pub branch: Option<String>,
    /// PostgreSQL: the schema its URL's connections put first on `search_path` (a tenant
    /// schema); offline scripts for it begin with `SET search_path`.
    pub search_path: Option<String>,
}

impl Target {
    /// A database named `name`.
    pub fn new(name: impl Into<String>, url: DatabaseUrl) -> Target {
        Target {
            name: name.into(),
            url,
            version_table: None,
            version_table_schema: None,
            branch: None,
            search_path: None,
        }
    }

    /// A database named by its URL, the password masked.
    pub fn from_url(url: DatabaseUrl) -> Target {
        Target::new(url.redacted(), url)
    }

    /// Its own version table.
    pub fn version_table(mut self, name: impl Into<String>) -> Target {
        self.version_table = Some(name.into());
        self
    }

    /// Its own version table schema (PostgreSQL: the tenant's schema).
    pub fn version_table_schema(mut self, schema: impl Into<String>) -> Target {
        self.version_table_schema = Some(schema.into());
        self
    }

    /// It holds the branch `label` of the graph only: `head` and `base` are that branch's.
    pub fn branch(mut self, label: impl Into<String>) -> Target {
        self.branch = Some(label.into());
        self
    }
}
