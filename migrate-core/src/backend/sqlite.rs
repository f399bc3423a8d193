//! SQLite: no session lock (each write transaction's `BEGIN IMMEDIATE` takes the database's
//! write lock), transactional DDL, table rebuilds with foreign keys suspended, the catalog in
//! `sqlite_master` and `pragma_table_info`.

use std::borrow::Cow;

use migrate_schema::Schema;
use migrate_sql::Dialect;

use super::{Backend, CatalogQuery, SchemaBind};
use crate::connection::{quote_ident, AnyConnection};
use crate::error::Result;

/// The SQLite backend.
pub(crate) struct Sqlite;

impl Backend for Sqlite {
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
                .map_err(crate::error::Error::db("reading the database schema"));
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
