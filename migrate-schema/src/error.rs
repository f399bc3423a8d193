//! The replay's error: an operation the model cannot apply.

/// An operation that cannot apply to the model (the database would refuse it too).
///
/// ```
/// use migrate_schema::{ErrorKind, Schema};
/// use migrate_sql::{Dialect, Operations, Type};
/// let mut op = Operations::default();
/// op.add_column("users", "bio", Type::Text)?;
/// let err = Schema::replay(Dialect::Sqlite, op.as_slice()).unwrap_err();
/// assert_eq!(err.to_string(), "add_column users.bio: table users does not exist");
/// assert_eq!(err.kind, ErrorKind::NoTable("users".into()));
/// # Ok::<(), migrate_sql::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{operation}: {kind}")]
#[non_exhaustive]
pub struct Error {
    /// The operation, as [`Operation::describe`](migrate_sql::Operation::describe) says it.
    pub operation: String,
    /// What is wrong.
    pub kind: ErrorKind,
}

/// What is wrong with an operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The table does not exist.
    #[error("table {0} does not exist")]
    NoTable(String),
    /// The table exists already.
    #[error("table {0} already exists")]
    TableExists(String),
    /// The column does not exist.
    #[error("table {table} has no column {column}")]
    NoColumn {
        /// The table.
        table: String,
        /// The column.
        column: String,
    },
    /// The column exists already.
    #[error("table {table} already has a column {column}")]
    ColumnExists {
        /// The table.
        table: String,
        /// The column.
        column: String,
    },
    /// The index does not exist.
    #[error("table {table} has no index {index}")]
    NoIndex {
        /// The table.
        table: String,
        /// The index.
        index: String,
    },
    /// The index exists already.
    #[error("table {table} already has an index {index}")]
    IndexExists {
        /// The table.
        table: String,
        /// The index.
        index: String,
    },
    /// The constraint does not exist.
    #[error("table {table} has no {kind} named {name}")]
    NoConstraint {
        /// The table.
        table: String,
        /// Which kind (`primary key`, `unique constraint`, ...).
        kind: &'static str,
        /// Its name.
        name: String,
    },
    /// The table has a primary key already.
    #[error("table {0} already has a primary key")]
    PrimaryKeyExists(String),
    /// SQLite cannot drop a primary-key column (its table rebuild refuses).
    #[error("column {column} is part of the primary key of {table}; drop or change the key first")]
    KeyColumn {
        /// The table.
        table: String,
        /// The column.
        column: String,
    },
    /// The enum type does not exist.
    #[error("enum type {0} does not exist")]
    NoEnum(String),
    /// The enum type exists already.
    #[error("enum type {0} already exists")]
    EnumExists(String),
    /// The enum type has the value already (PostgreSQL `ADD VALUE` without `IF NOT EXISTS`).
    #[error("enum type {name} already has the value {value:?}")]
    EnumValueExists {
        /// The type.
        name: String,
        /// The value.
        value: String,
    },
    /// `ADD VALUE .. BEFORE/AFTER` names a value the type does not have.
    #[error("enum type {name} has no value {value:?}")]
    NoEnumValue {
        /// The type.
        name: String,
        /// The value.
        value: String,
    },
}

impl Error {
    pub(crate) fn new(op: &migrate_sql::Operation, kind: ErrorKind) -> Error {
        Error {
            operation: op.describe(),
            kind,
        }
    }

    /// The table the error is about, if any.
    pub fn table(&self) -> Option<&str> {
        match &self.kind {
            ErrorKind::NoTable(t) | ErrorKind::TableExists(t) | ErrorKind::PrimaryKeyExists(t) => {
                Some(t)
            }
            ErrorKind::NoColumn { table, .. }
            | ErrorKind::ColumnExists { table, .. }
            | ErrorKind::NoIndex { table, .. }
            | ErrorKind::IndexExists { table, .. }
            | ErrorKind::NoConstraint { table, .. }
            | ErrorKind::KeyColumn { table, .. } => Some(table),
            ErrorKind::NoEnum(_)
            | ErrorKind::EnumExists(_)
            | ErrorKind::EnumValueExists { .. }
            | ErrorKind::NoEnumValue { .. } => None,
        }
    }
}
