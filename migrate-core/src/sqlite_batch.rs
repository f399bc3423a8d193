//! SQLite's "move and copy": for what its `ALTER TABLE` cannot do, read the table's definition
//! from the PRAGMAs and run the rebuild migrate-sql computes (Alembic's batch mode:
//! <https://alembic.sqlalchemy.org/en/latest/batch.html>).

use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{QueryableByName, RunQueryDsl};
use migrate_sql::{
    Operation, PragmaColumn, PragmaForeignKey, PragmaIndex, QualifiedName, TableDef,
};

use crate::connection::{quote_ident, AnyConnection};

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    decl_type: String,
    #[diesel(sql_type = BigInt)]
    not_null: i64,
    #[diesel(sql_type = Nullable<Text>)]
    dflt: Option<String>,
    #[diesel(sql_type = BigInt)]
    pk: i64,
}

#[derive(QueryableByName)]
struct IndexRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    is_unique: i64,
    #[diesel(sql_type = Text)]
    origin: String,
    #[diesel(sql_type = Nullable<Text>)]
    sql: Option<String>,
}

#[derive(QueryableByName)]
struct IndexColumnRow {
    #[diesel(sql_type = Nullable<Text>)]
    name: Option<String>,
}

#[derive(QueryableByName)]
struct ForeignKeyRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    seq: i64,
    #[diesel(sql_type = Text)]
    target: String,
    #[diesel(sql_type = Text)]
    from_col: String,
    #[diesel(sql_type = Nullable<Text>)]
    to_col: Option<String>,
    #[diesel(sql_type = Text)]
    on_update: String,
    #[diesel(sql_type = Text)]
    on_delete: String,
}

#[derive(QueryableByName)]
struct SqlRow {
    #[diesel(sql_type = Nullable<Text>)]
    sql: Option<String>,
}

/// The statements that apply `changes` to `table` by rebuilding it once.
pub(crate) fn rebuild(
    conn: &mut AnyConnection,
    table: &QualifiedName,
    changes: &[Operation],
) -> Result<Vec<String>, String> {
    let def = introspect(conn, table)
        .map_err(|e| format!("reading the definition of {}: {e}", table.name))?;
    if def.table.columns.is_empty() {
        return Err(format!("table {} does not exist", table.name));
    }
    migrate_sql::rebuild(&def, changes).map_err(|e| e.to_string())
}

fn introspect(conn: &mut AnyConnection, table: &QualifiedName) -> diesel::QueryResult<TableDef> {
    let schema = table.schema.as_deref().unwrap_or("main");
    let master = format!(
        "{}.sqlite_master",
        quote_ident(migrate_sql::Dialect::Sqlite, schema)
            .map_err(|e| diesel::result::Error::QueryBuilderError(Box::new(e)))?
    );
    let columns: Vec<ColumnRow> = diesel::sql_query(
        "SELECT name, type AS decl_type, \"notnull\" AS not_null, dflt_value AS dflt, pk \
         FROM pragma_table_info(?, ?)",
    )
    .bind::<Text, _>(&table.name)
    .bind::<Text, _>(schema)
    .load(conn)?;
    let index_rows: Vec<IndexRow> = diesel::sql_query(format!(
        "SELECT il.name AS name, il.\"unique\" AS is_unique, il.origin AS origin, m.sql AS sql \
         FROM pragma_index_list(?, ?) il LEFT JOIN {master} m \
         ON m.type = 'index' AND m.name = il.name"
    ))
    .bind::<Text, _>(&table.name)
    .bind::<Text, _>(schema)
    .load(conn)?;
    let mut indexes = Vec::with_capacity(index_rows.len());
    for ix in index_rows {
        let cols: Vec<IndexColumnRow> =
            diesel::sql_query("SELECT name FROM pragma_index_info(?, ?) ORDER BY seqno")
                .bind::<Text, _>(&ix.name)
                .bind::<Text, _>(schema)
                .load(conn)?;
        indexes.push(PragmaIndex {
            name: ix.name,
            unique: ix.is_unique != 0,
            origin: ix.origin,
            columns: cols.into_iter().filter_map(|c| c.name).collect(),
            sql: ix.sql,
        });
    }
    let fks: Vec<ForeignKeyRow> = diesel::sql_query(
        "SELECT id, seq, \"table\" AS target, \"from\" AS from_col, \"to\" AS to_col, \
         on_update, on_delete FROM pragma_foreign_key_list(?, ?)",
    )
    .bind::<Text, _>(&table.name)
    .bind::<Text, _>(schema)
    .load(conn)?;
    let create: Vec<SqlRow> = diesel::sql_query(format!(
        "SELECT sql FROM {master} WHERE type = 'table' AND name = ?"
    ))
    .bind::<Text, _>(&table.name)
    .load(conn)?;
    let columns: Vec<PragmaColumn> = columns
        .into_iter()
        .map(|c| PragmaColumn {
            name: c.name,
            decl_type: c.decl_type,
            not_null: c.not_null != 0,
            default: c.dflt,
            pk: u32::try_from(c.pk).unwrap_or(0),
        })
        .collect();
    let fks: Vec<PragmaForeignKey> = fks
        .into_iter()
        .map(|f| PragmaForeignKey {
            id: f.id,
            seq: f.seq,
            table: f.target,
            from: f.from_col,
            to: f.to_col,
            on_update: f.on_update,
            on_delete: f.on_delete,
        })
        .collect();
    let create_sql = create.into_iter().next().and_then(|r| r.sql);
    Ok(TableDef::from_pragma(
        table.clone(),
        &columns,
        &indexes,
        &fks,
        create_sql.as_deref(),
    ))
}
