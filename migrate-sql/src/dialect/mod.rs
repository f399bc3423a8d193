//! SQL per dialect: quoting, escaping, type mapping and the rendering of each operation.
//!
//! Every identifier is quoted (`"..."` with `""` doubling; `` `...` `` with ``` `` ``` doubling on
//! MySQL) and every literal escaped (on MySQL backslashes too, since `NO_BACKSLASH_ESCAPES` is off
//! by default). NUL bytes are rejected: no database stores them in names or text. Raw SQL
//! ([`Sql`](crate::Sql) expressions, `execute`) is the only text written as is.

mod common;
mod mysql;
mod postgres;
mod sqlite;

pub(crate) use sqlite::index_sql as sqlite_index_sql;

use crate::error::{invalid, Error, Result};
use crate::ops::{Operation, QualifiedName};
use crate::types::Type;
use crate::value::{ColumnDefault, Value};

/// PostgreSQL's array input syntax (`{1,NULL,"it's"}`): every text element double-quoted
/// with `\\` and `"` escaped by a backslash, so that no element can end the array early.
fn array_text(items: &[Value]) -> Result<String> {
    let mut out = String::from("{");
    for (i, v) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let quoted = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
        match v {
            Value::Null => out.push_str("NULL"),
            Value::Bool(b) => out.push_str(if *b { "t" } else { "f" }),
            Value::Int(n) => out.push_str(&n.to_string()),
            Value::Float(_) => out.push_str(&Dialect::Postgres.literal(v)?),
            Value::Text(s) => {
                if s.contains('\0') {
                    return Err(invalid(format!(
                        "text value {s:?} contains a NUL byte, which SQL text cannot hold; use Value::Bytes"
                    )));
                }
                out.push_str(&quoted(s));
            }
            Value::Bytes(b) => {
                let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
                out.push_str(&quoted(&format!("\\x{hex}")));
            }
            Value::Array(inner) => out.push_str(&array_text(inner)?),
        }
    }
    out.push('}');
    Ok(out)
}

/// A SQL dialect.
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
    /// The dialect's name, lowercase (`sqlite`, `postgresql`, `mysql`).
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgresql",
            Dialect::Mysql => "mysql",
        }
    }

    /// Whether DDL is transactional, so a migration and its version-row change can commit
    /// together: PostgreSQL and SQLite yes, MySQL/MariaDB no (each DDL statement commits).
    pub fn transactional_ddl(self) -> bool {
        !matches!(self, Dialect::Mysql)
    }

    /// The bind parameter number `n` (1-based): `$n` on PostgreSQL, `?` elsewhere.
    pub fn placeholder(self, n: usize) -> String {
        match self {
            Dialect::Postgres => format!("${n}"),
            Dialect::Sqlite | Dialect::Mysql => "?".to_string(),
        }
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
        crate::ops::check_name("identifier", name)?;
        match self {
            Dialect::Postgres | Dialect::Sqlite => {
                // PostgreSQL silently truncates longer names (NAMEDATALEN - 1); refuse instead.
                if self == Dialect::Postgres && name.len() > 63 {
                    return Err(invalid(format!(
                        "postgresql: identifier {name:?} is {} bytes; PostgreSQL keeps only 63, use a shorter name",
                        name.len()
                    )));
                }
                Ok(format!("\"{}\"", name.replace('"', "\"\"")))
            }
            Dialect::Mysql => {
                if name.chars().count() > 64 {
                    return Err(invalid(format!(
                        "mysql: identifier {name:?} is longer than 64 characters; use a shorter name"
                    )));
                }
                if name.ends_with(' ') {
                    return Err(invalid(format!(
                        "mysql: identifier {name:?} ends with a space, which MySQL does not allow"
                    )));
                }
                if name.chars().any(|c| u32::from(c) > 0xFFFF) {
                    return Err(invalid(format!(
                        "mysql: identifier {name:?} has a character outside the Basic Multilingual Plane, which MySQL does not allow in names"
                    )));
                }
                Ok(format!("`{}`", name.replace('`', "``")))
            }
        }
    }

    /// Quote a possibly schema-qualified name.
    pub fn quote_name(self, name: &QualifiedName) -> Result<String> {
        let base = self.quote_ident(&name.name)?;
        Ok(match &name.schema {
            Some(s) => format!("{}.{base}", self.quote_ident(s)?),
            None => base,
        })
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
        Ok(match value {
            Value::Null => "NULL".to_owned(),
            Value::Bool(b) => match (self, b) {
                (Dialect::Sqlite, true) => "1".to_owned(),
                (Dialect::Sqlite, false) => "0".to_owned(),
                (_, true) => "TRUE".to_owned(),
                (_, false) => "FALSE".to_owned(),
            },
            Value::Int(i) => i.to_string(),
            Value::Float(f) => {
                if !f.is_finite() {
                    return Err(invalid(format!(
                        "float value {f} is not finite; only finite numbers can be written as SQL literals"
                    )));
                }
                format!("{f:?}")
            }
            Value::Text(s) => self.string_literal(s)?,
            Value::Bytes(b) => {
                let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
                match self {
                    // E'' keeps the meaning whatever standard_conforming_strings says.
                    Dialect::Postgres => format!("E'\\\\x{hex}'::bytea"),
                    Dialect::Mysql | Dialect::Sqlite => format!("X'{hex}'"),
                }
            }
            Value::Array(items) => match self {
                // The text form, not ARRAY[..]: an untyped literal takes the column's type
                // (an enum, uuid or bigint array alike; ARRAY['a'] would be text[]), and
                // the empty array needs no cast.
                Dialect::Postgres => self.string_literal(&array_text(items)?)?,
                _ => {
                    return Err(self.unsupported(
                        "Value::Array: only PostgreSQL has arrays; store the list as JSON text (Value::Text) in a Type::Json column",
                    ))
                }
            },
        })
    }

    /// Render a string literal, escaped for this dialect.
    pub fn string_literal(self, s: &str) -> Result<String> {
        if s.contains('\0') {
            return Err(invalid(format!(
                "text value {s:?} contains a NUL byte, which SQL text cannot hold; use Value::Bytes"
            )));
        }
        let doubled = s.replace('\'', "''");
        Ok(match self {
            Dialect::Sqlite => format!("'{doubled}'"),
            // With a backslash, an E'' string means the same whether or not
            // standard_conforming_strings is on.
            Dialect::Postgres if s.contains('\\') => {
                format!("E'{}'", doubled.replace('\\', "\\\\"))
            }
            Dialect::Postgres => format!("'{doubled}'"),
            // '' is understood with and without NO_BACKSLASH_ESCAPES; backslashes must be
            // doubled because that mode is off by default.
            Dialect::Mysql => format!("'{}'", doubled.replace('\\', "\\\\")),
        })
    }

    /// A column default as this dialect writes it, for a column of type `ty`.
    pub fn default_sql(self, d: &ColumnDefault, ty: &Type) -> Result<String> {
        match d {
            ColumnDefault::Value(v) => self.literal(v),
            ColumnDefault::Sql(s) => Ok(s.clone()),
            ColumnDefault::Portable(p) => Ok(p.sql(self, ty)),
        }
    }

    pub(crate) fn ident_list(self, names: &[String]) -> Result<String> {
        Ok(names
            .iter()
            .map(|n| self.quote_ident(n))
            .collect::<Result<Vec<_>>>()?
            .join(", "))
    }

    pub(crate) fn unsupported(self, message: impl Into<String>) -> Error {
        Error::Unsupported {
            dialect: self.name(),
            message: message.into(),
        }
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
            } => common::bulk_insert(dialect, schema.as_deref(), table, columns, rows),
            _ => match dialect {
                Dialect::Postgres => postgres::render(self),
                Dialect::Mysql => mysql::render(self),
                Dialect::Sqlite => sqlite::render(self),
            },
        }
    }

    /// The table SQLite must rebuild (move and copy) to apply this operation online, if any;
    /// `None` on other dialects. (For `drop_column`, [`render`](Self::render) still gives
    /// SQLite's native `DROP COLUMN` for offline scripts.)
    pub fn requires_rebuild(&self, dialect: Dialect) -> Option<&QualifiedName> {
        match dialect {
            Dialect::Sqlite => sqlite::rebuild_target(self),
            _ => None,
        }
    }

    /// Whether the statement cannot run inside a transaction block (PostgreSQL
    /// `CREATE/DROP INDEX CONCURRENTLY`): its migration must be `transactional = false`.
    pub fn must_run_outside_transaction(&self, dialect: Dialect) -> bool {
        dialect == Dialect::Postgres
            && match self {
                Operation::CreateIndex(i) => i.concurrently,
                Operation::DropIndex(d) => d.concurrently,
                _ => false,
            }
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
