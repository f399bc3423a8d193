//! The version table: one row per applied branch tip, exactly as Alembic keeps
//! `alembic_version` (Alembic's `MigrationContext` / `HeadMaintainer` in
//! `alembic/runtime/migration.py`). Created on the first write only.

use diesel::sql_types::{BigInt, Text};
use diesel::{QueryableByName, RunQueryDsl};
use migrate_graph::VersionChange;
use migrate_sql::{Create, Dialect, Values, VersionTable};

use crate::backend::{Backend, SchemaBind};
use crate::connection::{qualified, AnyBackend, AnyConnection};
use crate::error::{Error, Result};

/// Where the version and history tables live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tables {
    pub(crate) dialect: Dialect,
    pub(crate) schema: Option<String>,
    pub(crate) version: String,
    pub(crate) history: String,
}

#[derive(QueryableByName)]
struct VersionRow {
    #[diesel(sql_type = Text)]
    version_num: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// A table as messages show it: `schema.name`, unquoted, the same on every backend.
pub(crate) fn display_name(schema: Option<&str>, name: &str) -> String {
    match schema {
        Some(s) => format!("{s}.{name}"),
        None => name.to_owned(),
    }
}

impl Tables {
    /// The version table, quoted and schema-qualified.
    pub(crate) fn version_sql(&self) -> Result<String> {
        qualified(self.dialect, self.schema.as_deref(), &self.version)
    }

    /// The history table, quoted and schema-qualified.
    pub(crate) fn history_sql(&self) -> Result<String> {
        qualified(self.dialect, self.schema.as_deref(), &self.history)
    }

    /// The version table as shown in messages.
    pub(crate) fn version_display(&self) -> String {
        display_name(self.schema.as_deref(), &self.version)
    }

    /// The backend of the connection these tables are read through.
    pub(crate) fn backend(&self) -> &'static dyn Backend {
        crate::backend::of(self.dialect)
    }

    /// Migrate's own tables besides version and history (the backend's: MySQL's progress).
    pub(crate) fn extra_tables(&self) -> Vec<String> {
        self.backend().extra_tables(self)
    }

    /// The version table as migrate-sql writes its SQL (online and offline alike).
    pub(crate) fn version_table(&self) -> VersionTable {
        VersionTable {
            name: self.version.clone(),
            schema: self.schema.clone(),
        }
    }

    /// Whether `table` exists, without creating anything (works for a read-only user).
    pub(crate) fn table_exists(&self, conn: &mut AnyConnection, table: &str) -> Result<bool> {
        let q = self.backend().table_exists_query(self.schema.as_deref())?;
        let rows: Vec<Count> = bind_schema(
            diesel::sql_query(q.sql).into_boxed().bind::<Text, _>(table),
            &q.schema_bind,
            self.schema.as_deref(),
        )
        .load(conn)
        .map_err(Error::db(format!("looking for the table {table}")))?;
        Ok(rows.first().is_some_and(|c| c.n > 0))
    }

    /// The version rows; empty when the table does not exist (nothing is created). Checks
    /// first that `version_num` is a character column (a table made by hand or by another
    /// tool may have an integer there).
    pub(crate) fn read_rows(&self, conn: &mut AnyConnection) -> Result<Vec<String>> {
        if !self.table_exists(conn, &self.version)? {
            return Ok(Vec::new());
        }
        self.check_version_column(conn)?;
        self.read_existing_rows(conn)
    }

    /// `version_num` must exist and hold text.
    fn check_version_column(&self, conn: &mut AnyConnection) -> Result<()> {
        #[derive(QueryableByName)]
        struct ColumnType {
            #[diesel(sql_type = Text)]
            ty: String,
        }
        let backend = self.backend();
        let q = backend.version_column_query();
        let found: Vec<ColumnType> = bind_schema(
            diesel::sql_query(q.sql)
                .into_boxed()
                .bind::<Text, _>(self.version.as_str()),
            &q.schema_bind,
            self.schema.as_deref(),
        )
        .load(conn)
        .map_err(Error::db(format!(
            "reading the columns of {}",
            self.version_display()
        )))?;
        let found = found.into_iter().next().map(|c| c.ty);
        if found.as_deref().is_some_and(|ty| backend.is_text_type(ty)) {
            Ok(())
        } else {
            Err(Error::VersionColumnType {
                table: self.version_display(),
                found,
            })
        }
    }

    /// The version rows of a table known to exist.
    pub(crate) fn read_existing_rows(&self, conn: &mut AnyConnection) -> Result<Vec<String>> {
        let sql = format!("SELECT version_num FROM {}", self.version_sql()?);
        let rows: Vec<VersionRow> = diesel::sql_query(sql)
            .load(conn)
            .map_err(Error::db(format!("reading {}", self.version_display())))?;
        Ok(rows.into_iter().map(|r| r.version_num).collect())
    }

    /// Create the version and history tables if they do not exist yet.
    pub(crate) fn ensure(&self, conn: &mut AnyConnection) -> Result<()> {
        let backend = self.backend();
        let engine = backend.table_options();
        let version = format!(
            "{}{engine}",
            self.version_table()
                .create_sql(self.dialect, Create::IfNotExists)?
        );
        let id = backend.history_id_column();
        let history = format!(
            "CREATE TABLE IF NOT EXISTS {} ({id}, revision VARCHAR(255) NOT NULL, \
             direction VARCHAR(8) NOT NULL, checksum VARCHAR(128) NOT NULL, \
             started_at VARCHAR(32) NOT NULL, duration_ms BIGINT NOT NULL, \
             success BOOLEAN NOT NULL, error TEXT){engine}",
            self.history_sql()?
        );
        let mut all = vec![version, history];
        all.extend(backend.create_extra_tables(self)?);
        for sql in all {
            diesel::sql_query(sql)
                .execute(conn)
                .map_err(Error::db(format!(
                    "creating the version table {}",
                    self.version_display()
                )))?;
        }
        Ok(())
    }

    /// Apply row changes; every UPDATE and DELETE must hit exactly one row.
    pub(crate) fn apply(&self, conn: &mut AnyConnection, changes: &[VersionChange]) -> Result<()> {
        let table = self.version_table();
        let ctx = || format!("writing {}", self.version_display());
        for change in changes {
            let (sql, params) = table.change_sql(self.dialect, change, Values::Parameters)?;
            let found = params
                .iter()
                .fold(diesel::sql_query(sql).into_boxed(), |q, p| {
                    q.bind::<Text, _>(*p)
                })
                .execute(conn)
                .map_err(Error::db(ctx()))?;
            match change {
                VersionChange::Insert(_) => {}
                VersionChange::Update { from, to } => {
                    self.exactly_one(found, || format!("updating '{from}' to '{to}'"))?;
                }
                VersionChange::Delete(rev) => {
                    self.exactly_one(found, || format!("deleting '{rev}'"))?;
                }
            }
        }
        Ok(())
    }

    fn exactly_one(&self, found: usize, action: impl FnOnce() -> String) -> Result<()> {
        if found == 1 {
            Ok(())
        } else {
            Err(Error::VersionRowMismatch {
                action: action(),
                table: self.version_display(),
                found,
            })
        }
    }
}

/// `query` with the schema bound as the catalog query's second parameter says.
fn bind_schema<'q>(
    query: diesel::query_builder::BoxedSqlQuery<'q, AnyBackend, diesel::query_builder::SqlQuery>,
    how: &SchemaBind,
    schema: Option<&'q str>,
) -> diesel::query_builder::BoxedSqlQuery<'q, AnyBackend, diesel::query_builder::SqlQuery> {
    match how {
        SchemaBind::None => query,
        SchemaBind::Text => query.bind::<Text, _>(schema.unwrap_or_default()),
        SchemaBind::Nullable => query.bind::<diesel::sql_types::Nullable<Text>, _>(schema),
        SchemaBind::TextOr(default) => query.bind::<Text, _>(schema.unwrap_or(default)),
    }
}

/// Apply `changes` to an in-memory row set the way [`Tables::apply`] changes the table.
pub(crate) fn apply_in_memory(rows: &mut Vec<String>, changes: &[VersionChange]) {
    for change in changes {
        match change {
            VersionChange::Insert(r) => rows.push(r.clone()),
            VersionChange::Update { from, to } => {
                if let Some(row) = rows.iter_mut().find(|r| *r == from) {
                    row.clone_from(to);
                }
            }
            VersionChange::Delete(r) => rows.retain(|x| x != r),
        }
    }
}

/// Two row lists hold the same revisions (order is the database's and does not matter).
pub(crate) fn same_rows(a: &[String], b: &[String]) -> bool {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort();
    b.sort();
    a == b
}
