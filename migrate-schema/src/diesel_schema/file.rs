//! What a `schema.rs` says, as [`parse`](super::parse) reads it: tables, columns with their
//! Diesel types, `joinable!`s and the `sql_types` definitions.

use std::fmt;

/// What a `schema.rs` declares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DieselSchema {
    /// Every `table!`, in file order (modules' tables with their schema).
    pub tables: Vec<DieselTable>,
    /// Every `joinable!`, resolved to SQL names.
    pub joinables: Vec<Joinable>,
    /// Every type of a `sql_types` module (`#[diesel(postgres_type(name = ..))]`).
    pub sql_types: Vec<SqlTypeDef>,
}

/// One `table!`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DieselTable {
    /// The schema (`myschema.users`, or the enclosing `pub mod myschema`), if any.
    pub schema: Option<String>,
    /// The SQL name (`#[sql_name = ".."]`, else the Rust name).
    pub name: String,
    /// The Rust name.
    pub rust_name: String,
    /// The primary key's SQL column names (`id` when not given).
    pub primary_key: Vec<String>,
    /// The columns, in order.
    pub columns: Vec<DieselColumn>,
    /// The line the table's name is on (1-based).
    pub line: usize,
}

/// One column of a `table!`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DieselColumn {
    /// The SQL name.
    pub name: String,
    /// The Rust name.
    pub rust_name: String,
    /// Its type.
    pub ty: DieselType,
    /// The line (1-based).
    pub line: usize,
}

/// A column's type as written: `Nullable<Array<Nullable<Text>>>`, `Unsigned<Integer>`,
/// `Varchar` with `#[max_length = 255]`, `Mood` from `sql_types`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DieselType {
    /// The innermost type's name (the last path segment: `Text`, `Mood`).
    pub name: String,
    /// `Nullable<..>` outside.
    pub nullable: bool,
    /// `Array<..>` (PostgreSQL).
    pub array: bool,
    /// `Unsigned<..>` (MySQL).
    pub unsigned: bool,
    /// `#[max_length = N]`.
    pub max_length: Option<u64>,
}

impl fmt::Display for DieselType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut inner = self.name.clone();
        if self.unsigned {
            inner = format!("Unsigned<{inner}>");
        }
        if self.array {
            inner = format!("Array<Nullable<{inner}>>");
        }
        if self.nullable {
            inner = format!("Nullable<{inner}>");
        }
        if let Some(n) = self.max_length {
            write!(f, "{inner} (max_length {n})")
        } else {
            f.write_str(&inner)
        }
    }
}

/// `joinable!(child -> parent (column))`, in SQL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joinable {
    /// The schema both tables are in, if any.
    pub schema: Option<String>,
    /// The referencing table.
    pub child: String,
    /// The referenced table.
    pub parent: String,
    /// The referencing column.
    pub column: String,
}

/// A type of a `sql_types` module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlTypeDef {
    /// The Rust name (`Mood`).
    pub rust_name: String,
    /// The database's name (`mood`; MySQL `Enum`).
    pub sql_name: String,
    /// The PostgreSQL schema of the type, when given.
    pub schema: Option<String>,
}
