//! The version table's SQL, for the online executor (bound parameters) and for offline
//! scripts (literals) alike: one row per applied branch tip in `version_num`, as Alembic keeps
//! `alembic_version` (<https://alembic.sqlalchemy.org/en/latest/branches.html>, "Working with
//! the version table").

use migrate_graph::VersionChange;

use crate::dialect::Dialect;
use crate::error::Result;
use crate::ops::QualifiedName;

/// The version table's name and schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionTable {
    /// Table name (default `migrate_version`).
    pub name: String,
    /// Schema, if any.
    pub schema: Option<String>,
}

impl Default for VersionTable {
    fn default() -> Self {
        VersionTable {
            name: "migrate_version".into(),
            schema: None,
        }
    }
}

/// Whether `CREATE TABLE` may find the table already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Create {
    /// `CREATE TABLE` (an offline script creates it when the run starts from base).
    Always,
    /// `CREATE TABLE IF NOT EXISTS` (online: a concurrent first run may have made it).
    IfNotExists,
}

/// How a version-row change carries its revision ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Values {
    /// As string literals (an offline script).
    Literals,
    /// As bind parameters in the dialect's placeholder syntax, returned in order.
    Parameters,
}

impl VersionTable {
    fn qualified(&self) -> QualifiedName {
        QualifiedName {
            schema: self.schema.clone(),
            name: self.name.clone(),
        }
    }

    /// The table, quoted and schema-qualified.
    pub fn quoted(&self, d: Dialect) -> Result<String> {
        d.quote_name(&self.qualified())
    }

    /// `CREATE TABLE <name> (version_num VARCHAR(64) NOT NULL, CONSTRAINT <name>_pkc PRIMARY
    /// KEY (version_num))`, without the `;`.
    ///
    /// ```
    /// use migrate_sql::{Create, Dialect, VersionTable};
    /// let sql = VersionTable::default().create_sql(Dialect::Sqlite, Create::IfNotExists)?;
    /// assert!(sql.starts_with(r#"CREATE TABLE IF NOT EXISTS "migrate_version" ("version_num""#));
    /// # Ok::<(), migrate_sql::Error>(())
    /// ```
    pub fn create_sql(&self, d: Dialect, create: Create) -> Result<String> {
        let col = d.quote_ident("version_num")?;
        let if_not_exists = match create {
            Create::Always => "",
            Create::IfNotExists => "IF NOT EXISTS ",
        };
        Ok(format!(
            "CREATE TABLE {if_not_exists}{} ({col} VARCHAR(64) NOT NULL, CONSTRAINT {} \
             PRIMARY KEY ({col}))",
            self.quoted(d)?,
            d.quote_ident(&format!("{}_pkc", self.name))?
        ))
    }

    /// The statement for one version-row change, without the `;`, and the revision ids it
    /// binds, in order (none with [`Values::Literals`]).
    ///
    /// ```
    /// use migrate_sql::{Dialect, Values, VersionChange, VersionTable};
    /// let t = VersionTable::default();
    /// let up = VersionChange::Update { from: "a1".into(), to: "b2".into() };
    /// let (sql, params) = t.change_sql(Dialect::Postgres, &up, Values::Parameters)?;
    /// assert_eq!(sql, r#"UPDATE "migrate_version" SET "version_num" = $1 WHERE "version_num" = $2"#);
    /// assert_eq!(params, ["b2", "a1"]);
    /// let (sql, _) = t.change_sql(Dialect::Mysql, &up, Values::Literals)?;
    /// assert_eq!(sql, "UPDATE `migrate_version` SET `version_num` = 'b2' WHERE `version_num` = 'a1'");
    /// # Ok::<(), migrate_sql::Error>(())
    /// ```
    pub fn change_sql<'c>(
        &self,
        d: Dialect,
        change: &'c VersionChange,
        values: Values,
    ) -> Result<(String, Vec<&'c str>)> {
        let t = self.quoted(d)?;
        let col = d.quote_ident("version_num")?;
        let mut params = Vec::new();
        let mut value = |v: &'c str| -> Result<String> {
            match values {
                Values::Literals => d.string_literal(v),
                Values::Parameters => {
                    params.push(v);
                    Ok(d.placeholder(params.len()))
                }
            }
        };
        let sql = match change {
            VersionChange::Insert(new) => {
                format!("INSERT INTO {t} ({col}) VALUES ({})", value(new)?)
            }
            VersionChange::Update { from, to } => {
                let to = value(to)?;
                let from = value(from)?;
                format!("UPDATE {t} SET {col} = {to} WHERE {col} = {from}")
            }
            VersionChange::Delete(old) => {
                format!("DELETE FROM {t} WHERE {col} = {}", value(old)?)
            }
        };
        Ok((sql, params))
    }
}
