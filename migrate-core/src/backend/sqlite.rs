//! SQLite: no session lock (each write transaction's `BEGIN IMMEDIATE` takes the database's
//! write lock), transactional DDL, table rebuilds with foreign keys suspended, the catalog in
//! `sqlite_master` and `pragma_table_info`.

use std::borrow::Cow;
use std::time::Duration;

use migrate_schema::Schema;
use migrate_sql::Dialect;

use super::{Backend, CatalogQuery, SchemaBind};
use crate::connection::{quote_ident, AnyConnection};
#[cfg(feature = "sqlite")]
use crate::error::Error;
use crate::error::Result;
use crate::timeouts::{StatementTimeouts, TimedOut};
use crate::url::DatabaseUrl;

/// The SQLite backend.
pub(crate) struct Sqlite;

impl Backend for Sqlite {
    /// SQLite locks the database, not a table, and a transactional migration holds its write
    /// lock from `BEGIN IMMEDIATE` on (waiting `lock_timeout` for it); outside a transaction
    /// each statement takes it again, waiting `busy_timeout`: `table_lock_timeout` then. There
    /// is no statement timeout.
    fn timeout_sql(&self, limits: &StatementTimeouts, in_transaction: bool) -> Vec<String> {
        match limits.table_lock {
            Some(d) if !in_transaction => {
                vec![format!(
                    "PRAGMA busy_timeout = {}",
                    d.as_millis().min(i32::MAX as u128)
                )]
            }
            _ => Vec::new(),
        }
    }

    fn reset_timeout_sql(
        &self,
        limits: &StatementTimeouts,
        in_transaction: bool,
        lock_timeout: Option<Duration>,
    ) -> Vec<String> {
        match (limits.table_lock, lock_timeout) {
            (Some(_), Some(wait)) if !in_transaction => vec![format!(
                "PRAGMA busy_timeout = {}",
                wait.as_millis().min(i32::MAX as u128)
            )],
            _ => Vec::new(),
        }
    }

    /// `database is locked` (SQLITE_BUSY after the busy timeout).
    fn timed_out(&self, message: &str) -> Option<TimedOut> {
        message
            .contains("database is locked")
            .then_some(TimedOut::Lock)
    }

    /// SQLite connections get a `busy_timeout`, so a writer waits for another writer instead
    /// of failing at once.
    fn connect(&self, url: &DatabaseUrl, busy_timeout: Duration) -> Result<AnyConnection> {
        #[cfg(feature = "sqlite")]
        {
            use diesel::connection::SimpleConnection as _;
            use diesel::Connection as _;
            let mut conn = diesel::SqliteConnection::establish(url.connect_target())
                .map_err(crate::connection::connect_error(url))?;
            let ms = busy_timeout.as_millis().min(i32::MAX as u128);
            conn.batch_execute(&format!("PRAGMA busy_timeout = {ms}"))
                .map_err(Error::db("setting the SQLite busy timeout"))?;
            // SQLite reads the file's header lazily: read it now, so that a file that is not
            // a database is reported here, by name, not at the first query.
            conn.batch_execute("SELECT 1 FROM sqlite_master LIMIT 1")
                .map_err(|e| Error::Connect {
                    url: url.redacted(),
                    message: format!("{e}; is it a SQLite database file?"),
                })?;
            Ok(AnyConnection::Sqlite(conn))
        }
        #[cfg(not(feature = "sqlite"))]
        {
            let _ = busy_timeout;
            Err(crate::connection::disabled(url))
        }
    }

    fn begin_sql(&self) -> &'static str {
        "BEGIN IMMEDIATE"
    }

    fn begin_waits_for_writers(&self) -> bool {
        true
    }

    fn rereads_rows_per_transaction(&self) -> bool {
        true
    }

    fn rebuilds_tables(&self) -> bool {
        true
    }

    fn table_exists_query(&self, schema: Option<&str>) -> Result<CatalogQuery> {
        Ok(CatalogQuery {
            sql: format!(
                "SELECT COUNT(*) AS n FROM {}.sqlite_master WHERE type = 'table' AND name = ?",
                quote_ident(Dialect::Sqlite, schema.unwrap_or("main"))?
            ),
            schema_bind: SchemaBind::None,
        })
    }

    fn version_column_query(&self) -> CatalogQuery {
        CatalogQuery {
            sql: "SELECT type AS ty FROM pragma_table_info(?, ?) WHERE name = 'version_num'"
                .to_string(),
            schema_bind: SchemaBind::TextOr("main"),
        }
    }

    /// SQLite's type affinity rules: TEXT affinity, or none at all.
    fn is_text_type(&self, ty: &str) -> bool {
        let ty = ty.to_ascii_lowercase();
        ty.is_empty() || ty.contains("char") || ty.contains("clob") || ty.contains("text")
    }

    fn history_id_column(&self) -> &'static str {
        "id INTEGER PRIMARY KEY AUTOINCREMENT"
    }

    fn diesel_table_query(&self) -> &'static str {
        "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' \
         AND name = '__diesel_schema_migrations'"
    }

    /// The `sqlite3` shell drops a carriage return at the end of each line: a literal holding
    /// one is written as an expression with `char(13)`.
    fn for_client<'a>(&self, sql: &'a str) -> Cow<'a, str> {
        crate::offline::shell::sqlite_without_cr(sql)
    }

    fn introspect(
        &self,
        conn: &mut AnyConnection,
        schema: Option<&str>,
        skip: &[&str],
    ) -> Result<Schema> {
        #[cfg(feature = "sqlite")]
        #[allow(irrefutable_let_patterns)]
        if let AnyConnection::Sqlite(c) = conn {
            return crate::introspect::sqlite::introspect(c, schema, skip)
                .map_err(Error::db("reading the database schema"));
        }
        let _ = (conn, schema, skip);
        Err(super::wrong_connection("SQLite"))
    }

    /// A scratch SQLite database is a temporary file.
    fn create_database_sql(&self, _name: &str) -> Option<String> {
        None
    }

    fn drop_database_sql(&self, _name: &str) -> Option<String> {
        None
    }
}
