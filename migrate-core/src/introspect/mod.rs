//! Introspection: a live database read into the schema model ([`migrate_schema::Schema`]), the
//! same model a replay of the migrations builds, so that [`migrate_schema::diff`] can compare
//! the two (drift, `check`).
//!
//! One file per backend, each behind one function `introspect(conn, schema, skip)` that does
//! a fixed number of catalog queries (not one per table), and hands the model what its crate
//! docs ask for ("What introspection gives the model"): types as the database spells them
//! ([`Type::Custom`](migrate_sql::Type::Custom)), defaults as expression text (MySQL's
//! literal defaults as values), indexes that back no constraint, CHECK conditions without
//! the keyword. What the model cannot represent (views, triggers, exclusion constraints,
//! generated columns, standalone sequences) is listed by name with
//! [`Schema::mark_not_modelled`], so that a diff reports it as not checked.

use migrate_schema::Schema;

use crate::connection::AnyConnection;
use crate::error::Result;

#[cfg(feature = "mysql")]
pub(crate) mod mysql;
#[cfg(feature = "postgres")]
pub(crate) mod postgres;
#[cfg(feature = "sqlite")]
pub(crate) mod sqlite;

/// The schema of the database behind `conn`: the tables of `schema` (PostgreSQL schema,
/// MySQL database, SQLite attached database; `None`: the connection's current one), except
/// those named in `skip` (the version, history and progress tables).
pub(crate) fn introspect(
    conn: &mut AnyConnection,
    schema: Option<&str>,
    skip: &[&str],
) -> Result<Schema> {
    crate::backend::of(conn.dialect()).introspect(conn, schema, skip)
}

/// Whether `name` is one of the tables to leave out: exactly as spelled (PostgreSQL, MySQL
/// with case-sensitive table names) or ASCII-case-insensitively (SQLite, other MySQL).
pub(crate) fn skipped(name: &str, skip: &[&str], exact: bool) -> bool {
    skip.iter()
        .any(|s| *s == name || (!exact && s.eq_ignore_ascii_case(name)))
}
