//! Diesel's `schema.rs` for a [`Schema`]: the `table!`, `joinable!` and
//! `allow_tables_to_appear_in_same_query!` code `diesel print-schema` (diesel_cli 2.3) prints
//! for a database with that schema, byte for byte where the model holds what Diesel reads.
//!
//! ```
//! use migrate_schema::{diesel_schema, Schema};
//! use migrate_sql::{Dialect, Operations, Type};
//!
//! let mut op = Operations::default();
//! op.create_table("users", |t| {
//!     t.column("id", Type::Integer).primary_key().autoincrement();
//!     t.column("email", Type::String(255)).not_null();
//! })?;
//! op.create_table("posts", |t| {
//!     t.column("id", Type::Integer).primary_key().autoincrement();
//!     t.column("user_id", Type::Integer).not_null().references("users", "id");
//!     t.column("tags", Type::Custom("text[]".into()));
//! })?;
//! let schema = Schema::replay(Dialect::Postgres, op.as_slice())?;
//! assert_eq!(
//!     diesel_schema::render(&schema)?,
//!     r#"// @generated automatically by Diesel CLI.
//!
//! diesel::table! {
//!     posts (id) {
//!         id -> Int4,
//!         user_id -> Int4,
//!         tags -> Nullable<Array<Nullable<Text>>>,
//!     }
//! }
//!
//! diesel::table! {
//!     users (id) {
//!         id -> Int4,
//!         #[max_length = 255]
//!         email -> Varchar,
//!     }
//! }
//!
//! diesel::joinable!(posts -> users (user_id));
//!
//! diesel::allow_tables_to_appear_in_same_query!(posts, users,);
//! "#
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Details
//!
//! What is printed follows diesel_cli's own inference (its `infer_schema_internals` and
//! `print_schema.rs`), with the settings of the `diesel.toml` that `diesel setup` writes
//! (`custom_type_derives = ["diesel::query_builder::QueryId", "Clone"]`, nothing else):
//!
//! - Tables in name order, without those whose name starts with `__` (and on SQLite
//!   `sqlite`); `#[sql_name = ".."]` for a name that is not a Rust identifier (the Rust name
//!   maps other characters to `_`; a keyword, or a column named like its table, gets a
//!   trailing `_`).
//! - The primary key in parentheses. On SQLite its columns are in table order, and a table
//!   without one is keyed by its `rowid`, printed as a first column `rowid -> Integer`. On
//!   PostgreSQL and MySQL a table without a primary key is an [`Error::NoPrimaryKey`], as
//!   it is for Diesel.
//! - Column types by Diesel's names per backend: PostgreSQL's `udt_name` in UpperCamelCase
//!   (`Int4`, `Int8`, `Varchar`, `Bpchar`, `Float8`, `Timestamptz`, `Jsonb`, `Uuid`,
//!   arrays as `Array<Nullable<..>>`), MySQL's `COLUMN_TYPE` name (`Integer`, `Bigint`,
//!   `Bool` for `tinyint(1)`, `Varchar`, `Datetime`, `Unsigned<..>`), SQLite's declared type
//!   by Diesel's substring rules (`BigInt`, `Text`, `Double` for `NUMERIC`, ...; a type
//!   Diesel cannot map is an [`Error::UnsupportedType`]). `Nullable<..>` when NULL is
//!   allowed; `#[max_length = N]` for PostgreSQL `varchar(N)`/`char(N)`/`bit(N)` and MySQL
//!   types written with a length (an `ENUM`'s longest value, a `SET`'s values joined).
//! - A type Diesel does not provide (a PostgreSQL enum, `timetz`; a MySQL `ENUM`) is defined
//!   in `pub mod sql_types` (PostgreSQL: one per type, named after it, with its schema when
//!   not `public`; MySQL: one per column, `<Table><Column>Enum`) and imported by the tables
//!   that use it.
//! - `joinable!(child -> parent (column))` for each foreign key of one column onto the
//!   parent's one-column primary key, when it is the only key between the two tables and not
//!   self-referencing; `allow_tables_to_appear_in_same_query!` over all tables of the
//!   schema, laid out as rustfmt lays it out (diesel_cli formats its output with rustfmt).
//!
//! Tables of a schema other than the default one (PostgreSQL schemas, MySQL databases) follow
//! in a `pub mod <schema> { .. }` each, in schema order, as `diesel print-schema --schema
//! <schema>` prints them; Diesel prints one schema per run, so these modules are the
//! concatenation of those runs. SQLite's attached databases are left out.
//!
//! Where the replay and the database differ in what Diesel reads, the output differs too:
//! a replay on the MySQL dialect cannot know that the server is MariaDB, where a JSON column
//! is `LONGTEXT` (Diesel: `Longtext`), so read those from the database.

mod file;
pub(crate) mod infer;
pub(crate) mod names;
mod parse;
mod render;
pub(crate) mod types;

pub use file::{DieselColumn, DieselSchema, DieselTable, DieselType, Joinable, SqlTypeDef};
pub use names::rust_name;
pub use parse::{parse, ParseError};

use crate::Schema;

/// The header line diesel_cli starts `schema.rs` with.
pub const HEADER: &str = render::HEADER;

/// Why a schema cannot be printed as Diesel would.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A PostgreSQL or MySQL table has no primary key, which `table!` needs.
    #[error("table {table} has no primary key, which Diesel's table! needs; add one in a migration (op.create_primary_key)")]
    NoPrimaryKey {
        /// The table (`schema.table` outside the default schema).
        table: String,
    },
    /// A SQLite column's declared type is none Diesel maps.
    #[error("column {table}.{column} has the SQLite type `{ty}`, which Diesel cannot map to a SQL type; use INTEGER, TEXT, REAL, BLOB, BOOLEAN, DATE, TIME or TIMESTAMP")]
    UnsupportedType {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// The declared type, lower case.
        ty: String,
    },
}

/// `schema.rs` for `schema`, as `diesel print-schema` prints it (see the [module
/// docs](self)).
///
/// # Errors
///
/// [`Error::NoPrimaryKey`] for a PostgreSQL or MySQL table without a primary key,
/// [`Error::UnsupportedType`] for a SQLite column type Diesel cannot map.
pub fn render(schema: &Schema) -> Result<String, Error> {
    let groups = infer::groups(schema)?;
    Ok(render::file(&groups, schema.dialect()))
}
