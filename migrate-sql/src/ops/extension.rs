//! PostgreSQL extensions: `create_extension` and `drop_extension` (see PostgreSQL's
//! `CREATE EXTENSION` reference). Extensions are PostgreSQL's alone: MySQL/MariaDB and SQLite
//! refuse both operations when rendering.

use super::{check_name, push_op, Operations};
use crate::error::Result;

/// `CREATE EXTENSION [IF NOT EXISTS] name [WITH SCHEMA schema]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateExtension {
    /// The extension, e.g. `pgcrypto`, `pg_trgm`, `citext`.
    pub name: String,
    /// The schema its objects go into (`WITH SCHEMA`); the current one when `None`.
    pub schema: Option<String>,
    /// `IF NOT EXISTS`: no error when it is installed already. The derived downgrade still
    /// drops it (with `IF EXISTS`), since the migration cannot know whether it was there
    /// before.
    pub if_not_exists: bool,
}

impl CreateExtension {
    /// `IF NOT EXISTS`.
    pub fn if_not_exists(&mut self) -> &mut Self {
        self.if_not_exists = true;
        self
    }

    /// `WITH SCHEMA schema`.
    pub fn schema(&mut self, schema: impl Into<String>) -> &mut Self {
        self.schema = Some(schema.into());
        self
    }
}

/// `DROP EXTENSION [IF EXISTS] name`; its reverse creates it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DropExtension {
    /// The extension.
    pub name: String,
    /// `IF EXISTS`.
    pub if_exists: bool,
}

impl DropExtension {
    /// `IF EXISTS`.
    pub fn if_exists(&mut self) -> &mut Self {
        self.if_exists = true;
        self
    }
}

impl Operations {
    /// Install a PostgreSQL extension; reversible (the downgrade drops it). Chain
    /// `if_not_exists()` / `schema(..)`.
    ///
    /// ```
    /// # use migrate_sql::{Dialect, Operations};
    /// let mut op = Operations::default();
    /// op.create_extension("pg_trgm")?.if_not_exists();
    /// assert_eq!(
    ///     op.as_slice()[0].render(Dialect::Postgres)?,
    ///     [r#"CREATE EXTENSION IF NOT EXISTS "pg_trgm""#]
    /// );
    /// let err = op.as_slice()[0].render(Dialect::Sqlite).unwrap_err().to_string();
    /// assert!(err.contains("only PostgreSQL has extensions"), "{err}");
    /// # Ok::<(), migrate_sql::Error>(())
    /// ```
    pub fn create_extension(&mut self, name: impl Into<String>) -> Result<&mut CreateExtension> {
        let name = name.into();
        check_name("extension", &name)?;
        Ok(push_op!(
            self.ops_mut(),
            CreateExtension,
            CreateExtension {
                name,
                schema: None,
                if_not_exists: false,
            }
        ))
    }

    /// Remove a PostgreSQL extension; reversible (the downgrade creates it again, with its
    /// default version and schema). Chain `if_exists()`.
    pub fn drop_extension(&mut self, name: impl Into<String>) -> Result<&mut DropExtension> {
        let name = name.into();
        check_name("extension", &name)?;
        Ok(push_op!(
            self.ops_mut(),
            DropExtension,
            DropExtension {
                name,
                if_exists: false,
            }
        ))
    }
}
