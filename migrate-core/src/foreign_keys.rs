//! SQLite foreign keys around a table rebuild (Alembic's batch mode,
//! <https://alembic.sqlalchemy.org/en/latest/batch.html>; SQLite's "making other kinds
//! of table schema changes").
//!
//! Diesel opens SQLite connections with `PRAGMA foreign_keys = ON`. Under it, the rebuild's
//! `DROP TABLE` of the old table deletes its rows first, which fires `ON DELETE CASCADE` on
//! every child table (and fails outright for the other actions). So a transaction that
//! rebuilds a table runs with enforcement off: [`ForeignKeys::suspend`] before `BEGIN` (SQLite
//! ignores the PRAGMA inside a transaction), [`ForeignKeys::violations`] before `COMMIT`, and
//! [`ForeignKeys::restore`] once the transaction is over, whichever way it ended.

use std::collections::BTreeSet;

use diesel::sql_types::{BigInt, Text};
use diesel::{QueryableByName, RunQueryDsl};
use migrate_sql::{Dialect, Operation};

use crate::connection::{self, AnyConnection};
use crate::error::{Error, Result};

#[derive(QueryableByName)]
struct Setting {
    #[diesel(sql_type = BigInt)]
    foreign_keys: i64,
}

#[derive(QueryableByName)]
struct Violation {
    #[diesel(sql_type = Text)]
    child: String,
    #[diesel(sql_type = Text)]
    parent: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The schemas (`main`, or an attached database) of the tables `ops` rebuild on `dialect`;
/// empty when nothing is rebuilt (always, outside SQLite).
pub(crate) fn rebuilt_schemas(ops: &[Operation], dialect: Dialect) -> BTreeSet<String> {
    if !crate::backend::of(dialect).rebuilds_tables() {
        return BTreeSet::new();
    }
    migrate_sql::plan(ops, dialect)
        .into_iter()
        .filter_map(|step| match step {
            migrate_sql::Step::Rebuild { table, .. } => {
                Some(table.schema.clone().unwrap_or_else(|| "main".into()))
            }
            migrate_sql::Step::Render(_) => None,
        })
        .collect()
}

/// Whether enforcement is suspended on the connection, and what to put back.
#[derive(Debug, Default)]
pub(crate) struct ForeignKeys {
    /// `Some(previous setting)` while suspended.
    suspended: Option<bool>,
    /// The schemas to check before committing.
    schemas: BTreeSet<String>,
}

fn enabled(conn: &mut AnyConnection) -> Result<bool> {
    let rows: Vec<Setting> = diesel::sql_query("PRAGMA foreign_keys")
        .load(conn)
        .map_err(Error::db("reading PRAGMA foreign_keys"))?;
    Ok(rows.first().is_some_and(|r| r.foreign_keys != 0))
}

impl ForeignKeys {
    /// Whether enforcement is suspended (and must be checked and restored).
    pub(crate) fn is_suspended(&self) -> bool {
        self.suspended.is_some()
    }

    /// Turn enforcement off for a transaction that rebuilds tables in `schemas` (nothing to do
    /// when `schemas` is empty). Must run outside any transaction: `Ok(false)` when a
    /// transaction is already open on the connection, so SQLite ignored the PRAGMA and
    /// foreign keys are still on.
    pub(crate) fn suspend(
        &mut self,
        conn: &mut AnyConnection,
        schemas: BTreeSet<String>,
    ) -> Result<bool> {
        if schemas.is_empty() || self.is_suspended() {
            self.schemas.extend(schemas);
            return Ok(true);
        }
        let previous = enabled(conn)?;
        if previous {
            connection::batch(conn, "PRAGMA foreign_keys = OFF").map_err(Error::db(
                "turning SQLite foreign keys off for a table rebuild",
            ))?;
            if enabled(conn)? {
                return Ok(false);
            }
        }
        self.suspended = Some(previous);
        self.schemas = schemas;
        Ok(true)
    }

    /// `PRAGMA foreign_key_check` of the rebuilt schemas, inside the transaction: `None` when
    /// every foreign key holds, else what is broken, naming the tables.
    pub(crate) fn violations(&self, conn: &mut AnyConnection) -> Result<Option<String>> {
        if !self.is_suspended() {
            return Ok(None);
        }
        let mut found = Vec::new();
        for schema in &self.schemas {
            let rows: Vec<Violation> = diesel::sql_query(
                "SELECT \"table\" AS child, parent, COUNT(*) AS n \
                 FROM pragma_foreign_key_check(NULL, ?) GROUP BY \"table\", parent \
                 ORDER BY \"table\", parent",
            )
            .bind::<Text, _>(schema)
            .load(conn)
            .map_err(Error::db("running PRAGMA foreign_key_check"))?;
            found.extend(rows);
        }
        if found.is_empty() {
            return Ok(None);
        }
        let what: Vec<String> = found
            .iter()
            .map(|v| {
                let (rows, refer) = if v.n == 1 {
                    ("row", "refers")
                } else {
                    ("rows", "refer")
                };
                format!(
                    "{} {rows} of {} {refer} to no row of {}",
                    v.n, v.child, v.parent
                )
            })
            .collect();
        Ok(Some(format!(
            "foreign keys do not hold after the table rebuild: {}",
            what.join(", ")
        )))
    }

    /// Put the setting back (outside the transaction, which must be over).
    pub(crate) fn restore(&mut self, conn: &mut AnyConnection) -> Result<()> {
        self.schemas.clear();
        if let Some(previous) = self.suspended.take() {
            if previous {
                connection::batch(conn, "PRAGMA foreign_keys = ON")
                    .map_err(Error::db("turning SQLite foreign keys back on"))?;
            }
        }
        Ok(())
    }
}
