//! Operations as data, and the builder methods on [`Operations`] that record them.
//!
//! Every builder validates what it can at once (empty names, NUL bytes, row lengths) and returns
//! [`Error::Invalid`](crate::Error::Invalid); the dialect renderer checks the rest (identifier
//! length, what the dialect can express).

mod alter;
mod column;
mod constraint;
mod data;
mod enums;
mod extension;
mod index;
mod table;

pub use alter::AlterColumn;
pub use column::{AddColumn, Column, DropColumn};
pub use constraint::{
    Action, AddConstraint, CheckConstraint, Constraint, ConstraintType, DropConstraint, ForeignKey,
    PrimaryKey, UniqueConstraint,
};
pub(crate) use data::validate_rows;
pub use enums::{AddEnumValue, CreateEnum, DropEnum, EnumPosition};
pub use extension::{CreateExtension, DropExtension};
pub use index::{DropIndex, Index, IndexColumn, IndexMethod};
pub use table::{DropTable, RenameTable, SetTableComment, Table};

use crate::error::{invalid, Result};
use crate::value::Value;

/// A name, optionally qualified by a schema (PostgreSQL schema, MySQL database, SQLite attached
/// database). `"users"` and `("audit", "users")` both convert into one.
///
/// ```
/// use migrate_sql::QualifiedName;
/// let n = QualifiedName::from(("audit", "users"));
/// assert_eq!(n.schema.as_deref(), Some("audit"));
/// assert_eq!(QualifiedName::from("users").to_string(), "users");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct QualifiedName {
    /// The schema, if any.
    pub schema: Option<String>,
    /// The object's own name.
    pub name: String,
}

impl QualifiedName {
    /// The same schema, another name.
    pub fn sibling(&self, name: &str) -> QualifiedName {
        QualifiedName {
            schema: self.schema.clone(),
            name: name.to_owned(),
        }
    }

    pub(crate) fn validate(&self, what: &str) -> Result<()> {
        if let Some(s) = &self.schema {
            check_name("schema", s)?;
        }
        check_name(what, &self.name)
    }
}

impl std::fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.schema {
            Some(s) => write!(f, "{s}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}

impl From<&str> for QualifiedName {
    fn from(name: &str) -> Self {
        QualifiedName {
            schema: None,
            name: name.to_owned(),
        }
    }
}

impl From<String> for QualifiedName {
    fn from(name: String) -> Self {
        QualifiedName { schema: None, name }
    }
}

impl From<(&str, &str)> for QualifiedName {
    fn from((schema, name): (&str, &str)) -> Self {
        QualifiedName {
            schema: Some(schema.to_owned()),
            name: name.to_owned(),
        }
    }
}

impl From<&QualifiedName> for QualifiedName {
    fn from(n: &QualifiedName) -> Self {
        n.clone()
    }
}

/// Rejects what no dialect accepts as an identifier: the empty string and NUL bytes.
pub(crate) fn check_name(what: &str, name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(invalid(format!("{what} name is empty; give it a name")));
    }
    if name.contains('\0') {
        return Err(invalid(format!(
            "{what} name {name:?} contains a NUL byte, which no database accepts"
        )));
    }
    Ok(())
}

pub(crate) fn check_names(what: &str, names: &[String]) -> Result<()> {
    names.iter().try_for_each(|n| check_name(what, n))
}

pub(crate) fn check_sql(what: &str, sql: &str) -> Result<()> {
    if sql.trim().is_empty() {
        return Err(invalid(format!("{what} is empty; give the SQL expression")));
    }
    if sql.contains('\0') {
        return Err(invalid(format!("{what} contains a NUL byte")));
    }
    Ok(())
}

pub(crate) fn strings<S: AsRef<str>>(items: &[S]) -> Vec<String> {
    items.iter().map(|s| s.as_ref().to_owned()).collect()
}

/// One recorded operation.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Operation {
    /// Raw SQL, with the statement that undoes it when known.
    Execute {
        /// The statement, run as written.
        sql: String,
        /// The statement that reverses it, if any.
        reverse: Option<String>,
    },
    /// Insert rows into a table.
    BulkInsert {
        /// Table name.
        table: String,
        /// Column names.
        columns: Vec<String>,
        /// Rows, each as long as `columns`.
        rows: Vec<Vec<Value>>,
        /// The table's schema, if qualified.
        schema: Option<String>,
    },
    /// A step of Rust code that needs the live connection (index into the migration's
    /// callbacks, owned by `migrate-core`), with optional SQL to print offline instead.
    Callback {
        /// Which callback.
        index: usize,
        /// What offline mode prints in its place; `None` makes offline mode fail.
        offline_sql: Option<Vec<String>>,
    },
    /// `CREATE TABLE`.
    CreateTable(Table),
    /// `DROP TABLE`.
    DropTable(DropTable),
    /// Rename a table.
    RenameTable(RenameTable),
    /// Add a column.
    AddColumn(AddColumn),
    /// Drop a column.
    DropColumn(DropColumn),
    /// Change a column's type, nullability, default, name or comment.
    AlterColumn(AlterColumn),
    /// `CREATE INDEX`.
    CreateIndex(Index),
    /// `DROP INDEX`.
    DropIndex(DropIndex),
    /// Add a named constraint to an existing table.
    AddConstraint(AddConstraint),
    /// Drop a named constraint.
    DropConstraint(DropConstraint),
    /// Create an enumerated type (PostgreSQL `CREATE TYPE`; nothing elsewhere).
    CreateEnum(CreateEnum),
    /// Drop an enumerated type (PostgreSQL `DROP TYPE`; nothing elsewhere).
    DropEnum(DropEnum),
    /// Set or remove a table comment.
    SetTableComment(SetTableComment),
    /// `CREATE EXTENSION` (PostgreSQL only).
    CreateExtension(CreateExtension),
    /// `DROP EXTENSION` (PostgreSQL only).
    DropExtension(DropExtension),
    /// `ALTER TYPE .. ADD VALUE` (PostgreSQL only; irreversible).
    AddEnumValue(AddEnumValue),
}

impl Operation {
    /// The table the operation works on, if it works on one (a rename: the old name).
    pub fn table(&self) -> Option<QualifiedName> {
        Some(match self {
            Operation::CreateTable(t) => t.name.clone(),
            Operation::DropTable(d) => d.table.clone(),
            Operation::RenameTable(r) => r.table.clone(),
            Operation::AddColumn(a) => a.table.clone(),
            Operation::DropColumn(d) => d.table.clone(),
            Operation::AlterColumn(a) => a.table.clone(),
            Operation::CreateIndex(i) => i.table.clone(),
            Operation::DropIndex(d) => d.table.clone(),
            Operation::AddConstraint(c) => c.table.clone(),
            Operation::DropConstraint(d) => d.table.clone(),
            Operation::SetTableComment(c) => c.table.clone(),
            Operation::BulkInsert { table, schema, .. } => QualifiedName {
                schema: schema.clone(),
                name: table.clone(),
            },
            _ => return None,
        })
    }

    /// A short description for messages, e.g. `create_table users`.
    pub fn describe(&self) -> String {
        match self {
            Operation::Execute { sql, .. } => {
                let first: String = sql.chars().take(60).collect();
                let more = if sql.chars().count() > 60 { "..." } else { "" };
                format!("execute {:?}", format!("{first}{more}"))
            }
            Operation::BulkInsert { table, .. } => format!("bulk_insert into {table}"),
            Operation::Callback { index, .. } => format!("Rust step #{index}"),
            Operation::CreateTable(t) => format!("create_table {}", t.name),
            Operation::DropTable(d) => format!("drop_table {}", d.table),
            Operation::RenameTable(r) => format!("rename_table {} to {}", r.table, r.new_name),
            Operation::AddColumn(a) => format!("add_column {}.{}", a.table, a.column.name),
            Operation::DropColumn(d) => format!("drop_column {}.{}", d.table, d.column),
            Operation::AlterColumn(a) => format!("alter_column {}.{}", a.table, a.column),
            Operation::CreateIndex(i) => format!("create_index {} on {}", i.name, i.table),
            Operation::DropIndex(d) => format!("drop_index {}", d.name),
            Operation::AddConstraint(c) => {
                format!("create constraint {} on {}", c.constraint.name(), c.table)
            }
            Operation::DropConstraint(d) => format!("drop_constraint {} on {}", d.name, d.table),
            Operation::CreateEnum(e) => format!("create_enum {}", e.name),
            Operation::DropEnum(e) => format!("drop_enum {}", e.name),
            Operation::SetTableComment(c) => format!("table comment on {}", c.table),
            Operation::CreateExtension(e) => format!("create_extension {}", e.name),
            Operation::DropExtension(e) => format!("drop_extension {}", e.name),
            Operation::AddEnumValue(e) => format!("add_enum_value {:?} to {}", e.value, e.name),
        }
    }
}

/// The operations a migration recorded, in order.
///
/// The builder methods (`create_table`, `add_column`, ...) are spread over the `ops` modules,
/// one per concept.
///
/// # Examples
///
/// ```
/// use migrate_sql::{Operations, Sql, Type};
/// let mut op = Operations::default();
/// op.create_table("users", |t| {
///     t.column("id", Type::BigInt).primary_key().autoincrement();
///     t.column("email", Type::String(255)).not_null().unique();
///     t.column("created_at", Type::TimestampTz).not_null().server_default(Sql("CURRENT_TIMESTAMP"));
/// })?;
/// op.create_index("ix_users_email", "users", &["email"])?;
/// assert_eq!(op.as_slice().len(), 2);
/// # Ok::<(), migrate_sql::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Operations {
    ops: Vec<Operation>,
}

impl Operations {
    /// The recorded operations.
    pub fn as_slice(&self) -> &[Operation] {
        &self.ops
    }
    /// Consume into the list.
    pub fn into_vec(self) -> Vec<Operation> {
        self.ops
    }
    /// Record an operation.
    pub fn push(&mut self, op: Operation) {
        self.ops.push(op);
    }
}

/// Pushes `$value` as `Operation::$variant` and returns `&mut` to the payload, so builders can
/// chain options onto what was just recorded.
macro_rules! push_op {
    ($ops:expr, $variant:ident, $value:expr) => {{
        $ops.push($crate::ops::Operation::$variant($value));
        match $ops.last_mut() {
            Some($crate::ops::Operation::$variant(inner)) => inner,
            // The line above pushed exactly this variant.
            _ => unreachable!("just pushed"),
        }
    }};
}
pub(crate) use push_op;

impl Operations {
    pub(crate) fn ops_mut(&mut self) -> &mut Vec<Operation> {
        &mut self.ops
    }
}
