//! MySQL/MariaDB: a session `GET_LOCK`, DDL that commits as it runs (so migrations run
//! statement by statement with their progress recorded, and resume after a crash; see
//! `resume`), InnoDB for migrate's own tables, the catalog in `information_schema`.

use std::borrow::Cow;
use std::time::Duration;

use diesel::sql_types::{BigInt, Text};
use diesel::RunQueryDsl;
use migrate_schema::Schema;

use super::{fnv1a, scalar_name, Backend, CatalogQuery, Flag, Held, SchemaBind};
use crate::connection::AnyConnection;
use crate::error::{Error, Result};
use crate::event::Event;
use crate::lock::wait_for;
use crate::timeouts::{seconds, StatementTimeouts, TimedOut};
use crate::url::DatabaseUrl;
use crate::version_table::Tables;

/// The MySQL/MariaDB backend.
pub(crate) struct Mysql;

impl Backend for Mysql {
    /// Session settings (MySQL has no per-transaction ones, and each DDL statement commits):
    /// `lock_wait_timeout` (metadata locks, what DDL waits for) and
    /// `innodb_lock_wait_timeout` (row locks), whole seconds of at least 1; MariaDB's
    /// `max_statement_time` in a `/*M!` comment, which MySQL skips (its `max_execution_time`
    /// limits only SELECT).
    fn timeout_sql(&self, limits: &StatementTimeouts, _in_transaction: bool) -> Vec<String> {
        if !limits.any() {
            return Vec::new();
        }
        let lock = match limits.table_lock {
            Some(d) => {
                let secs = d.as_secs() + u64::from(d.subsec_nanos() > 0);
                let secs = secs.max(1);
                format!("lock_wait_timeout = {secs}, innodb_lock_wait_timeout = {secs}")
            }
            None => "lock_wait_timeout = DEFAULT".to_owned(),
        };
        let statement = limits
            .statement
            .map(|d| format!(" /*M!100108 , max_statement_time = {} */", seconds(d)))
            .unwrap_or_default();
        vec![format!("SET SESSION {lock}{statement}")]
    }

    fn reset_timeout_sql(
        &self,
        limits: &StatementTimeouts,
        _in_transaction: bool,
        _lock_timeout: Option<Duration>,
    ) -> Vec<String> {
        if !limits.any() {
            return Vec::new();
        }
        vec![
            "SET SESSION lock_wait_timeout = DEFAULT, innodb_lock_wait_timeout = DEFAULT \
              /*M!100108 , max_statement_time = DEFAULT */"
                .to_owned(),
        ]
    }

    /// `Lock wait timeout exceeded` (1205) and MariaDB's `max_statement_time exceeded` (1969).
    fn timed_out(&self, message: &str) -> Option<TimedOut> {
        if message.contains("Lock wait timeout exceeded") {
            Some(TimedOut::Lock)
        } else if message.contains("max_statement_time") {
            Some(TimedOut::Statement)
        } else {
            None
        }
    }

    fn connect(&self, url: &DatabaseUrl, _busy_timeout: Duration) -> Result<AnyConnection> {
        #[cfg(feature = "mysql")]
        {
            use diesel::Connection as _;
            let conn = diesel::MysqlConnection::establish(url.connect_target())
                .map_err(crate::connection::connect_error(url))?;
            Ok(AnyConnection::Mysql(conn))
        }
        #[cfg(not(feature = "mysql"))]
        Err(crate::connection::disabled(url))
    }

    /// `GET_LOCK('migrate:<database>.<version table>')` (a hash when that passes MySQL's
    /// 64-character limit on lock names).
    fn lock(
        &self,
        conn: &mut AnyConnection,
        tables: &Tables,
        timeout: Duration,
        emit: &dyn Fn(&Event),
    ) -> Result<Held> {
        let db = match &tables.schema {
            Some(s) => s.clone(),
            None => scalar_name(conn, "SELECT DATABASE() AS name")?,
        };
        let mut lock = format!("migrate:{db}.{}", tables.version);
        if lock.len() > 64 {
            lock = format!("migrate:{:016x}", fnv1a(&lock));
        }
        let get = |conn: &mut AnyConnection, secs: u64| -> Result<bool> {
            let rows: Vec<Flag> = diesel::sql_query("SELECT CAST(GET_LOCK(?, ?) AS SIGNED) AS ok")
                .bind::<Text, _>(lock.as_str())
                .bind::<BigInt, _>(i64::try_from(secs).unwrap_or(i64::MAX))
                .load(conn)
                .map_err(Error::db("taking the migration lock"))?;
            Ok(rows.first().and_then(|r| r.ok) == Some(1))
        };
        wait_for(
            conn,
            &lock,
            timeout,
            emit,
            |conn| get(conn, 0),
            |conn, left| get(conn, left.as_secs_f64().ceil() as u64),
        )?;
        Ok(Held::Named(lock))
    }

    fn unlock(&self, conn: &mut AnyConnection, held: &Held) -> Result<()> {
        let Held::Named(name) = held else {
            return Ok(());
        };
        // Read the result row (not `execute`): MySQL wants every result set consumed before
        // the next statement on the connection.
        diesel::sql_query("SELECT CAST(RELEASE_LOCK(?) AS SIGNED) AS ok")
            .bind::<Text, _>(name.as_str())
            .load::<Flag>(conn)
            .map(drop)
            .map_err(Error::db("releasing the migration lock"))
    }

    fn ddl_commits(&self) -> bool {
        true
    }

    fn table_exists_query(&self, schema: Option<&str>) -> Result<CatalogQuery> {
        Ok(match schema {
            None => CatalogQuery {
                sql: "SELECT COUNT(*) AS n FROM information_schema.tables \
                      WHERE table_name = ? AND table_schema = DATABASE()"
                    .to_string(),
                schema_bind: SchemaBind::None,
            },
            Some(_) => CatalogQuery {
                sql: "SELECT COUNT(*) AS n FROM information_schema.tables \
                      WHERE table_name = ? AND table_schema = ?"
                    .to_string(),
                schema_bind: SchemaBind::Text,
            },
        })
    }

    fn version_column_query(&self) -> CatalogQuery {
        CatalogQuery {
            sql: "SELECT CAST(data_type AS CHAR) AS ty FROM information_schema.columns \
                  WHERE table_name = ? AND column_name = 'version_num' \
                  AND table_schema = COALESCE(?, DATABASE())"
                .to_string(),
            schema_bind: SchemaBind::Nullable,
        }
    }

    fn history_id_column(&self) -> &'static str {
        "id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY"
    }

    /// InnoDB, so the version row, the history row and the progress row of a migration
    /// commit together.
    fn table_options(&self) -> &'static str {
        " ENGINE=InnoDB"
    }

    /// `<version_table>_progress`: each running migration's statements done (see `resume`).
    fn extra_tables(&self, tables: &Tables) -> Vec<String> {
        vec![tables.progress()]
    }

    fn create_extra_tables(&self, tables: &Tables) -> Result<Vec<String>> {
        Ok(vec![tables.create_progress_sql()?])
    }

    fn diesel_table_query(&self) -> &'static str {
        "SELECT COUNT(*) AS n FROM information_schema.tables \
         WHERE table_schema = DATABASE() AND table_name = '__diesel_schema_migrations'"
    }

    /// The script is UTF-8, and the `mysql`/`mariadb` client's default connection character
    /// set may not hold every character (e.g. emoji).
    fn script_preamble(&self) -> &'static str {
        "SET NAMES utf8mb4;\n\n"
    }

    /// The `mysql`/`mariadb` client drops a carriage return at the end of each line: a
    /// literal holding one is written with the `\r` escape.
    fn for_client<'a>(&self, sql: &'a str) -> Cow<'a, str> {
        crate::offline::shell::mysql_without_cr(sql)
    }

    fn introspect(
        &self,
        conn: &mut AnyConnection,
        schema: Option<&str>,
        skip: &[&str],
    ) -> Result<Schema> {
        #[cfg(feature = "mysql")]
        #[allow(irrefutable_let_patterns)]
        if let AnyConnection::Mysql(c) = conn {
            return crate::introspect::mysql::introspect(c, schema, skip)
                .map_err(Error::db("reading the database schema"));
        }
        let _ = (conn, schema, skip);
        Err(super::wrong_connection("MySQL"))
    }
}
