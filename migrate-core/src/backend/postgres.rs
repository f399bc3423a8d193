//! PostgreSQL: a session advisory lock, transactional DDL, `$n` placeholders, asynchronous
//! commits for all but a run's last migration, the catalog in `pg_catalog` and
//! `information_schema`.

use std::time::Duration;

use diesel::sql_types::BigInt;
use diesel::RunQueryDsl;
use migrate_schema::Schema;

use super::{fnv1a, scalar_name, Backend, CatalogQuery, Flag, Held, SchemaBind};
use crate::connection::AnyConnection;
use crate::error::{Error, Result};
use crate::event::Event;
use crate::lock::wait_for;
use crate::timeouts::{StatementTimeouts, TimedOut};
use crate::url::DatabaseUrl;
use crate::version_table::Tables;

/// The PostgreSQL backend.
pub(crate) struct Postgres;

impl Backend for Postgres {
    fn database_query_key(&self) -> Option<&'static str> {
        Some("dbname")
    }

    /// `SET LOCAL lock_timeout` / `statement_timeout` inside the migration's transaction
    /// (they end with it); plain `SET` outside one, reset afterwards.
    fn timeout_sql(&self, limits: &StatementTimeouts, in_transaction: bool) -> Vec<String> {
        let set = if in_transaction { "SET LOCAL" } else { "SET" };
        let ms = |d: Duration| d.as_millis().max(1);
        let mut sql = Vec::new();
        if let Some(d) = limits.table_lock {
            sql.push(format!("{set} lock_timeout = '{}ms'", ms(d)));
        }
        if let Some(d) = limits.statement {
            sql.push(format!("{set} statement_timeout = '{}ms'", ms(d)));
        }
        sql
    }

    fn reset_timeout_sql(
        &self,
        limits: &StatementTimeouts,
        in_transaction: bool,
        _lock_timeout: Option<Duration>,
    ) -> Vec<String> {
        let mut sql = Vec::new();
        if !in_transaction && limits.table_lock.is_some() {
            sql.push("RESET lock_timeout".to_owned());
        }
        if !in_transaction && limits.statement.is_some() {
            sql.push("RESET statement_timeout".to_owned());
        }
        sql
    }

    /// `canceling statement due to lock timeout` (SQLSTATE 55P03) and `... due to statement
    /// timeout` (57014).
    fn timed_out(&self, message: &str) -> Option<TimedOut> {
        if message.contains("lock timeout") {
            Some(TimedOut::Lock)
        } else if message.contains("statement timeout") {
            Some(TimedOut::Statement)
        } else {
            None
        }
    }

    fn connect(&self, url: &DatabaseUrl, _busy_timeout: Duration) -> Result<AnyConnection> {
        #[cfg(feature = "postgres")]
        {
            use diesel::Connection as _;
            let conn = diesel::PgConnection::establish(url.connect_target())
                .map_err(crate::connection::connect_error(url))?;
            Ok(AnyConnection::Postgres(conn))
        }
        #[cfg(not(feature = "postgres"))]
        Err(crate::connection::disabled(url))
    }

    /// `pg_advisory_lock` on a stable 64-bit hash of `migrate:<schema>.<version table>`.
    fn lock(
        &self,
        conn: &mut AnyConnection,
        tables: &Tables,
        timeout: Duration,
        emit: &dyn Fn(&Event),
    ) -> Result<Held> {
        let schema = match &tables.schema {
            Some(s) => s.clone(),
            None => scalar_name(conn, "SELECT current_schema()::text AS name")?,
        };
        let lock = format!("migrate:{schema}.{}", tables.version);
        let key = i64::from_ne_bytes(fnv1a(&lock).to_ne_bytes());
        let try_lock = |conn: &mut AnyConnection| -> Result<bool> {
            let rows: Vec<Flag> = diesel::sql_query(
                "SELECT CASE WHEN pg_try_advisory_lock($1) THEN 1 ELSE 0 END::bigint AS ok",
            )
            .bind::<BigInt, _>(key)
            .load(conn)
            .map_err(Error::db("taking the migration lock"))?;
            Ok(rows.first().and_then(|r| r.ok) == Some(1))
        };
        wait_for(conn, &lock, timeout, emit, try_lock, |conn, _| {
            try_lock(conn)
        })?;
        Ok(Held::Advisory(key))
    }

    fn unlock(&self, conn: &mut AnyConnection, held: &Held) -> Result<()> {
        let Held::Advisory(key) = held else {
            return Ok(());
        };
        diesel::sql_query("SELECT CASE WHEN pg_advisory_unlock($1) THEN 1 ELSE 0 END::bigint AS ok")
            .bind::<BigInt, _>(*key)
            .load::<Flag>(conn)
            .map(drop)
            .map_err(Error::db("releasing the migration lock"))
    }

    /// Every commit but a run's last returns without waiting for its WAL flush. Nothing is
    /// lost: PostgreSQL flushes WAL in order, so the last, synchronous commit (or the
    /// failure's history row) makes every earlier one durable too; a server crash in between
    /// loses whole migrations only, never half of one or its version row.
    fn before_intermediate_commit(&self) -> Option<&'static str> {
        Some("SET LOCAL synchronous_commit = off")
    }

    fn table_exists_query(&self, schema: Option<&str>) -> Result<CatalogQuery> {
        let base = "SELECT COUNT(*) AS n FROM pg_catalog.pg_class c \
                    JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace \
                    WHERE c.relname = $1 AND c.relkind IN ('r', 'p') AND ";
        Ok(match schema {
            None => CatalogQuery {
                sql: format!("{base}s.nspname = ANY(current_schemas(false))"),
                schema_bind: SchemaBind::None,
            },
            Some(_) => CatalogQuery {
                sql: format!("{base}s.nspname = $2"),
                schema_bind: SchemaBind::Text,
            },
        })
    }

    fn version_column_query(&self) -> CatalogQuery {
        CatalogQuery {
            sql: "SELECT data_type::text AS ty FROM information_schema.columns \
                  WHERE table_name = $1 AND column_name = 'version_num' \
                  AND table_schema = COALESCE($2, current_schema())"
                .to_string(),
            schema_bind: SchemaBind::Nullable,
        }
    }

    fn history_id_column(&self) -> &'static str {
        "id BIGSERIAL PRIMARY KEY"
    }

    fn diesel_table_query(&self) -> &'static str {
        "SELECT COUNT(*) AS n FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_name = '__diesel_schema_migrations'"
    }

    fn introspect(
        &self,
        conn: &mut AnyConnection,
        schema: Option<&str>,
        skip: &[&str],
    ) -> Result<Schema> {
        #[cfg(feature = "postgres")]
        #[allow(irrefutable_let_patterns)]
        if let AnyConnection::Postgres(c) = conn {
            return crate::introspect::postgres::introspect(c, schema, skip)
                .map_err(Error::db("reading the database schema"));
        }
        let _ = (conn, schema, skip);
        Err(super::wrong_connection("PostgreSQL"))
    }
}
