//! SQL per dialect: quoting, escaping, type mapping and the rendering of each operation.
//!
//! Every identifier is quoted (`"..."` with `""` doubling; `` `...` `` with ``` `` ``` doubling on
//! MySQL) and every literal escaped (on MySQL backslashes too, since `NO_BACKSLASH_ESCAPES` is off
//! by default). NUL bytes are rejected: no database stores them in names or text. Raw SQL
//! ([`Sql`](crate::Sql) expressions, `execute`) is the only text written as is.

mod base;
mod common;
mod mysql;
mod postgres;
mod sqlite;

pub(crate) use base::SqlDialect;
pub(crate) use sqlite::index_sql as sqlite_index_sql;

use crate::error::{invalid, Error, Result};
use crate::ops::{Operation, QualifiedName};
use crate::types::Type;
use crate::value::{ColumnDefault, Value};

/// A SQL dialect.
///
/// The value users pass; each dialect's rendering is one type in its own file
/// (`dialect/sqlite.rs`, `postgres.rs`, `mysql.rs`) implementing one trait whose default
/// methods are the common SQL, and this enum picks it in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// SQLite 3.
    Sqlite,
    /// PostgreSQL.
    Postgres,
    /// MySQL / MariaDB.
    Mysql,
}

impl Dialect {
    /// The one dispatch from the public value to the dialect's implementation.
    pub(crate) fn imp(self) -> &'static dyn SqlDialect {
        match self {
            Dialect::Sqlite => &sqlite::Sqlite,
            Dialect::Postgres => &postgres::Postgres,
            Dialect::Mysql => &mysql::Mysql,
        }
    }

    /// The dialect's name, lowercase (`sqlite`, `postgresql`, `mysql`).
    pub fn name(self) -> &'static str {
        self.imp().name()
    }

    /// Whether DDL is transactional, so a migration and its version-row change can commit
    /// together: PostgreSQL and SQLite yes, MySQL/MariaDB no (each DDL statement commits).
    pub fn transactional_ddl(self) -> bool {
        self.imp().transactional_ddl()
    }

    /// The bind parameter number `n` (1-based): `$n` on PostgreSQL, `?` elsewhere.
    pub fn placeholder(self, n: usize) -> String {
        self.imp().placeholder(n)
    }

    /// Quote an identifier.
    ///
    /// ```
    /// use migrate_sql::Dialect;
    /// assert_eq!(Dialect::Postgres.quote_ident(r#"we"ird"#)?, r#""we""ird""#);
    /// assert_eq!(Dialect::Mysql.quote_ident("we`ird")?, "`we``ird`");
    /// # Ok::<(), migrate_sql::Error>(())
    /// ```
    pub fn quote_ident(self, name: &str) -> Result<String> {
        self.imp().quote_ident(name)
    }

    /// Quote a possibly schema-qualified name.
    pub fn quote_name(self, name: &QualifiedName) -> Result<String> {
        self.imp().quote_name(name)
    }

    /// Render a literal value, escaped for this dialect.
    ///
    /// ```
    /// use migrate_sql::{Dialect, Value};
    /// assert_eq!(Dialect::Sqlite.literal(&Value::from("it's"))?, "'it''s'");
    /// assert_eq!(Dialect::Mysql.literal(&Value::from(r"a\b"))?, r"'a\\b'");
    /// assert_eq!(Dialect::Postgres.literal(&Value::from(r"a\b"))?, r"E'a\\b'");
    /// # Ok::<(), migrate_sql::Error>(())
    /// ```
    pub fn literal(self, value: &Value) -> Result<String> {
        self.imp().literal(value)
    }

    /// Render a string literal, escaped for this dialect.
    pub fn string_literal(self, s: &str) -> Result<String> {
        self.imp().string_literal(s)
    }

    /// A column default as this dialect writes it, for a column of type `ty`.
    pub fn default_sql(self, d: &ColumnDefault, ty: &Type) -> Result<String> {
        self.imp().default_sql(d, ty)
    }

    /// The longest identifier a naming convention may generate (SQLAlchemy's
    /// `max_identifier_length`); `None`: no limit.
    pub(crate) fn max_identifier_length(self) -> Option<usize> {
        self.imp().max_identifier_length()
    }

    pub(crate) fn ident_list(self, names: &[String]) -> Result<String> {
        self.imp().ident_list(names)
    }

    pub(crate) fn unsupported(self, message: impl Into<String>) -> Error {
        self.imp().unsupported(&message.into())
    }
}

impl Operation {
    /// Render as SQL statements for `dialect`, without trailing `;`. Enum types and comments
    /// render no statement where the dialect has none.
    ///
    /// On SQLite, operations its `ALTER TABLE` cannot do return [`Error::NeedsRebuild`]; check
    /// [`requires_rebuild`](Self::requires_rebuild) first and render those with
    /// [`rebuild`](crate::rebuild).
    ///
    /// ```
    /// use migrate_sql::{Dialect, Operations, Type};
    /// let mut op = Operations::default();
    /// op.add_column("users", "bio", Type::Text)?;
    /// let sql = op.as_slice()[0].render(Dialect::Postgres)?;
    /// assert_eq!(sql, vec![r#"ALTER TABLE "users" ADD COLUMN "bio" TEXT"#]);
    /// # Ok::<(), migrate_sql::Error>(())
    /// ```
    pub fn render(&self, dialect: Dialect) -> Result<Vec<String>> {
        self.validate()?;
        match self {
            Operation::Execute { sql, .. } => Ok(vec![sql.clone()]),
            Operation::Callback { offline_sql, .. } => offline_sql.clone().ok_or_else(|| {
                dialect.unsupported(
                    "a Rust step has no SQL of its own; run it online or give it offline SQL",
                )
            }),
            Operation::BulkInsert {
                table,
                columns,
                rows,
                schema,
            } => common::bulk_insert(dialect.imp(), schema.as_deref(), table, columns, rows),
            _ => dialect.imp().render(self),
        }
    }

    /// The table SQLite must rebuild (move and copy) to apply this operation online, if any;
    /// `None` on other dialects. (For `drop_column`, [`render`](Self::render) still gives
    /// SQLite's native `DROP COLUMN` for offline scripts.)
    pub fn requires_rebuild(&self, dialect: Dialect) -> Option<&QualifiedName> {
        dialect.imp().rebuild_target(self)
    }

    /// Whether the statement cannot run inside a transaction block (PostgreSQL
    /// `CREATE/DROP INDEX CONCURRENTLY`): its migration must be `transactional = false`.
    pub fn must_run_outside_transaction(&self, dialect: Dialect) -> bool {
        dialect.imp().must_run_outside_transaction(self)
    }

    /// Checks the whole operation (builders set options after the first checks).
    pub fn validate(&self) -> Result<()> {
        match self {
            Operation::Execute { sql, reverse } => {
                crate::ops::check_sql("execute statement", sql)?;
                if let Some(r) = reverse {
                    crate::ops::check_sql("reverse statement", r)?;
                }
                Ok(())
            }
            Operation::BulkInsert {
                table,
                columns,
                rows,
                ..
            } => crate::ops::validate_rows(table, columns, rows),
            Operation::Callback { .. } => Ok(()),
            Operation::CreateTable(t) => t.validate(),
            Operation::DropTable(d) => {
                d.table.validate("table")?;
                d.definition.as_ref().map_or(Ok(()), |t| t.validate())
            }
            Operation::RenameTable(r) => {
                r.table.validate("table")?;
                crate::ops::check_name("new table", &r.new_name)
            }
            Operation::AddColumn(a) => {
                a.table.validate("table")?;
                a.column.validate()
            }
            Operation::DropColumn(d) => {
                d.table.validate("table")?;
                crate::ops::check_name("column", &d.column)
            }
            Operation::AlterColumn(a) => a.validate(),
            Operation::CreateIndex(i) => i.validate(),
            Operation::DropIndex(d) => {
                d.table.validate("table")?;
                crate::ops::check_name("index", &d.name)
            }
            Operation::AddConstraint(c) => {
                c.table.validate("table")?;
                if c.constraint.name().is_empty() {
                    return Err(invalid(
                        "a constraint added to an existing table needs a name",
                    ));
                }
                c.constraint.validate()
            }
            Operation::DropConstraint(d) => {
                d.table.validate("table")?;
                crate::ops::check_name("constraint", &d.name)
            }
            Operation::CreateEnum(e) => e.name.validate("enum type"),
            Operation::DropEnum(e) => e.name.validate("enum type"),
            Operation::SetTableComment(c) => c.table.validate("table"),
            Operation::CreateExtension(e) => {
                crate::ops::check_name("extension", &e.name)?;
                e.schema
                    .as_deref()
                    .map_or(Ok(()), |s| crate::ops::check_name("schema", s))
            }
            Operation::DropExtension(e) => crate::ops::check_name("extension", &e.name),
            Operation::AddEnumValue(e) => e.name.validate("enum type"),
        }
    }
}
