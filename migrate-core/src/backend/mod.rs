//! One backend per database: everything migrate-core does differently on SQLite, PostgreSQL
//! and MySQL/MariaDB, behind one trait ([`Backend`]), one file per database.
//!
//! The rest of the crate asks the connection's backend ([`of`]) instead of matching on the
//! dialect: the lock, the transaction's begin statement and per-transaction settings, the
//! version and history tables' DDL and catalog queries, whether DDL commits as it runs (the
//! resumable executor), foreign-key suspension for SQLite's table rebuild, what a database's
//! command-line client does to an offline script, introspection into the schema model, and
//! creating or dropping a scratch database. Alembic keeps the same seam in its `DefaultImpl`
//! and one subclass per dialect (`alembic/ddl/impl.py`,
//! <https://alembic.sqlalchemy.org/en/latest/api/ddl.html>).
//!
//! A backend's module compiles whether or not its Cargo feature is on (an offline script for
//! PostgreSQL needs no libpq); only what needs the typed Diesel connection (introspection) is
//! behind the feature.

use std::borrow::Cow;
use std::time::Duration;

use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};
use migrate_schema::Schema;
use migrate_sql::Dialect;

use crate::connection::AnyConnection;
use crate::error::{Error, Result};
use crate::event::Event;
use crate::timeouts::{StatementTimeouts, TimedOut};
use crate::url::DatabaseUrl;
use crate::version_table::Tables;

mod mysql;
mod postgres;
mod sqlite;

/// The backend of `dialect`: the one place that maps a dialect to its implementation.
pub(crate) fn of(dialect: Dialect) -> &'static dyn Backend {
    match dialect {
        Dialect::Sqlite => &sqlite::Sqlite,
        Dialect::Postgres => &postgres::Postgres,
        Dialect::Mysql => &mysql::Mysql,
    }
}

/// A session lock a backend took (released with [`Backend::unlock`]).
#[derive(Debug, Clone)]
pub(crate) enum Held {
    /// PostgreSQL's `pg_advisory_lock(key)`.
    Advisory(i64),
    /// MySQL's `GET_LOCK(name)`.
    Named(String),
    /// Nothing held: SQLite (the lock is each write transaction's) or locking disabled.
    Nothing,
}

/// A catalog query and whether it takes the schema as its second bind parameter.
pub(crate) struct CatalogQuery {
    /// The SQL; its first parameter is the table name.
    pub(crate) sql: String,
    /// What the second parameter is.
    pub(crate) schema_bind: SchemaBind,
}

/// The second parameter of a [`CatalogQuery`].
pub(crate) enum SchemaBind {
    /// None.
    None,
    /// The schema, as text (present).
    Text,
    /// The schema or NULL for the connection's current one.
    Nullable,
    /// The schema, or `default` when there is none.
    TextOr(&'static str),
}

/// What differs between databases, beyond SQL rendering (that is migrate-sql's `Dialect`).
///
/// Default methods are the common case; each backend overrides what it does differently.
pub(crate) trait Backend: Sync {
    /// Open a connection for `url` (of this backend), waiting up to `busy_timeout` for a
    /// locked database where the database makes writers wait that way; fails with
    /// [`Error::BackendDisabled`] when this build lacks the backend's feature.
    fn connect(&self, url: &DatabaseUrl, busy_timeout: Duration) -> Result<AnyConnection>;

    /// Take the session lock for `tables`, waiting up to `timeout`. Default: nothing to take
    /// (each write transaction locks).
    fn lock(
        &self,
        _conn: &mut AnyConnection,
        _tables: &Tables,
        _timeout: Duration,
        _emit: &dyn Fn(&Event),
    ) -> Result<Held> {
        Ok(Held::Nothing)
    }

    /// Release what [`lock`](Backend::lock) took.
    fn unlock(&self, _conn: &mut AnyConnection, _held: &Held) -> Result<()> {
        Ok(())
    }

    /// The statement that begins a migration's transaction.
    fn begin_sql(&self) -> &'static str {
        "BEGIN"
    }

    /// Whether a write transaction's `BEGIN` itself waits for another writer (SQLite's
    /// `BEGIN IMMEDIATE`), so the lock timeout applies to it.
    fn begin_waits_for_writers(&self) -> bool {
        false
    }

    /// Whether the version rows are re-read in each migration's transaction (a writer may
    /// have committed between transactions when the lock is per transaction).
    fn rereads_rows_per_transaction(&self) -> bool {
        false
    }

    /// Statements run first in a migration's transaction that is not the run's last commit.
    fn before_intermediate_commit(&self) -> Option<&'static str> {
        None
    }

    /// Whether DDL commits as it runs (MySQL/MariaDB): migrations run statement by statement
    /// with their progress recorded, and resume after a crash.
    fn ddl_commits(&self) -> bool {
        false
    }

    /// Whether a table rebuild (SQLite's move and copy) needs foreign keys suspended.
    fn rebuilds_tables(&self) -> bool {
        false
    }

    /// A query counting the tables named by its first parameter in the given or current
    /// schema (works for a read-only user).
    fn table_exists_query(&self, schema: Option<&str>) -> Result<CatalogQuery>;

    /// A query for the declared type (`ty`) of `version_num` in the version table named by
    /// its first parameter.
    fn version_column_query(&self) -> CatalogQuery;

    /// Whether a declared column type holds text.
    fn is_text_type(&self, ty: &str) -> bool {
        let ty = ty.to_ascii_lowercase();
        ty.contains("char") || ty.contains("text")
    }

    /// The history table's id column definition.
    fn history_id_column(&self) -> &'static str;

    /// What follows `CREATE TABLE (...)` of migrate's own tables.
    fn table_options(&self) -> &'static str {
        ""
    }

    /// The extra tables migrate keeps (besides version and history) for `tables`.
    fn extra_tables(&self, _tables: &Tables) -> Vec<String> {
        Vec::new()
    }

    /// The SQL `CREATE TABLE` of each extra table.
    fn create_extra_tables(&self, _tables: &Tables) -> Result<Vec<String>> {
        Ok(Vec::new())
    }

    /// A query counting diesel_cli's `__diesel_schema_migrations` in the current schema.
    #[cfg_attr(not(feature = "diesel-migrations"), allow(dead_code))]
    fn diesel_table_query(&self) -> &'static str;

    /// What an offline script starts with.
    fn script_preamble(&self) -> &'static str {
        ""
    }

    /// `sql` as it must be written for the database's command-line client to pass it on
    /// unchanged.
    fn for_client<'a>(&self, sql: &'a str) -> Cow<'a, str> {
        Cow::Borrowed(sql)
    }

    /// The database behind `conn` read into the schema model: the tables of `schema` (or the
    /// current one) except `skip`.
    fn introspect(
        &self,
        conn: &mut AnyConnection,
        schema: Option<&str>,
        skip: &[&str],
    ) -> Result<Schema>;

    /// The URL query parameter that may name the database instead of the path (libpq's
    /// `?dbname=`), if the client library reads one.
    fn database_query_key(&self) -> Option<&'static str> {
        None
    }

    /// The statements that put `limits` in force for a migration's statements (none when no
    /// limit is set). `in_transaction`: they run inside the migration's transaction, where a
    /// database that can scope them to it does (and they end with it).
    fn timeout_sql(&self, _limits: &StatementTimeouts, _in_transaction: bool) -> Vec<String> {
        Vec::new()
    }

    /// The statements that put the session back after a migration that ran with
    /// [`timeout_sql`](Backend::timeout_sql)'s settings where they outlive the transaction;
    /// `lock_timeout` is the migration lock's wait, which SQLite's busy timeout returns to.
    fn reset_timeout_sql(
        &self,
        _limits: &StatementTimeouts,
        _in_transaction: bool,
        _lock_timeout: Option<Duration>,
    ) -> Vec<String> {
        Vec::new()
    }

    /// Which limit the database's error `message` says a statement ran into, if one.
    fn timed_out(&self, _message: &str) -> Option<TimedOut> {
        None
    }

    /// `CREATE DATABASE` for a scratch database named `name` (a plain identifier), or `None`
    /// when databases are files.
    fn create_database_sql(&self, name: &str) -> Option<String> {
        Some(format!("CREATE DATABASE {name}"))
    }

    /// `DROP DATABASE` for a scratch database made with [`create_database_sql`](Backend::create_database_sql).
    fn drop_database_sql(&self, name: &str) -> Option<String> {
        Some(format!("DROP DATABASE IF EXISTS {name}"))
    }
}

/// A nullable text scalar (`name`).
#[derive(QueryableByName)]
pub(crate) struct Name {
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) name: Option<String>,
}

/// A nullable integer scalar (`ok`).
#[derive(QueryableByName)]
pub(crate) struct Flag {
    #[diesel(sql_type = Nullable<BigInt>)]
    pub(crate) ok: Option<i64>,
}

/// The one text value `sql` selects as `name` (empty when NULL or no row).
pub(crate) fn scalar_name(conn: &mut AnyConnection, sql: &str) -> Result<String> {
    let rows: Vec<Name> = diesel::sql_query(sql)
        .load(conn)
        .map_err(Error::db("naming the migration lock"))?;
    Ok(rows
        .into_iter()
        .next()
        .and_then(|r| r.name)
        .unwrap_or_default())
}

/// FNV-1a, 64 bits: a stable hash (the same in every process and version).
pub(crate) fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The error of a connection this backend does not own, or whose feature is off (never
/// happens: a connection's backend is chosen by its dialect).
fn wrong_connection(backend: &str) -> Error {
    Error::Message(format!(
        "internal error: the {backend} backend was given another database's connection"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_hash() {
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn statement_limits_become_each_backends_settings() {
        let limits = StatementTimeouts {
            table_lock: Some(Duration::from_millis(200)),
            statement: Some(Duration::from_secs(30)),
            lock_retries: 0,
        };
        assert_eq!(
            of(Dialect::Postgres).timeout_sql(&limits, true),
            [
                "SET LOCAL lock_timeout = '200ms'",
                "SET LOCAL statement_timeout = '30000ms'"
            ]
        );
        assert_eq!(
            of(Dialect::Postgres).reset_timeout_sql(&limits, false, None),
            ["RESET lock_timeout", "RESET statement_timeout"]
        );
        assert_eq!(
            of(Dialect::Mysql).timeout_sql(&limits, false),
            ["SET SESSION lock_wait_timeout = 1, innodb_lock_wait_timeout = 1 /*M!100108 , max_statement_time = 30 */"]
        );
        assert_eq!(
            of(Dialect::Sqlite).timeout_sql(&limits, false),
            ["PRAGMA busy_timeout = 200"]
        );
        assert!(of(Dialect::Sqlite).timeout_sql(&limits, true).is_empty());
        assert!(of(Dialect::Postgres)
            .timeout_sql(&StatementTimeouts::default(), true)
            .is_empty());
        assert_eq!(
            of(Dialect::Postgres).timed_out("canceling statement due to lock timeout"),
            Some(TimedOut::Lock)
        );
        assert_eq!(
            of(Dialect::Mysql).timed_out("Lock wait timeout exceeded; try restarting transaction"),
            Some(TimedOut::Lock)
        );
        assert_eq!(of(Dialect::Sqlite).timed_out("no such table: x"), None);
    }

    #[test]
    fn every_dialect_has_its_backend() {
        assert_eq!(of(Dialect::Sqlite).begin_sql(), "BEGIN IMMEDIATE");
        assert!(of(Dialect::Mysql).ddl_commits());
        assert!(!of(Dialect::Postgres).ddl_commits());
    }
}
