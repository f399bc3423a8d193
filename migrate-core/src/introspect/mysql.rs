//! MySQL and MariaDB: `information_schema`, seven queries for one database whatever the
//! number of tables (tables, columns, index columns, foreign-key columns, checks, triggers,
//! and the server's settings). Types are `COLUMN_TYPE` (`varchar(255)`, `tinyint(1)`,
//! `enum('a','b')`). MariaDB reports defaults as SQL (`'pending'`, `NULL`,
//! `current_timestamp()`); MySQL reports a literal default unquoted and marks an expression
//! default `DEFAULT_GENERATED`, so a literal becomes a value and an expression SQL.

use std::collections::BTreeMap;

use diesel::mysql::MysqlConnection;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{QueryResult, QueryableByName, RunQueryDsl};
use migrate_schema::{Check, Column, ForeignKey, Index, PrimaryKey, Rules, Schema, Table};
use migrate_sql::{ColumnDefault, Dialect, IndexColumn, QualifiedName, Type, Value};

use super::skipped;

#[derive(QueryableByName)]
struct ServerRow {
    #[diesel(sql_type = Nullable<Text>)]
    db: Option<String>,
    #[diesel(sql_type = Text)]
    version: String,
    #[diesel(sql_type = BigInt)]
    lower_case: i64,
}

#[derive(QueryableByName)]
struct TableRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Nullable<Text>)]
    comment: Option<String>,
}

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    tbl: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    ty: String,
    #[diesel(sql_type = Text)]
    nullable: String,
    #[diesel(sql_type = Nullable<Text>)]
    dflt: Option<String>,
    #[diesel(sql_type = Text)]
    extra: String,
    #[diesel(sql_type = Nullable<Text>)]
    comment: Option<String>,
    #[diesel(sql_type = Text)]
    generated: String,
}

#[derive(QueryableByName)]
struct IndexRow {
    #[diesel(sql_type = Text)]
    tbl: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    non_unique: i64,
    #[diesel(sql_type = Nullable<Text>)]
    col: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    expr: Option<String>,
    #[diesel(sql_type = Text)]
    method: String,
}

#[derive(QueryableByName)]
struct ForeignKeyRow {
    #[diesel(sql_type = Text)]
    tbl: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    col: String,
    #[diesel(sql_type = Nullable<Text>)]
    ref_schema: Option<String>,
    #[diesel(sql_type = Text)]
    ref_table: String,
    #[diesel(sql_type = Nullable<Text>)]
    ref_col: Option<String>,
    #[diesel(sql_type = Text)]
    on_update: String,
    #[diesel(sql_type = Text)]
    on_delete: String,
}

#[derive(QueryableByName)]
struct CheckRow {
    #[diesel(sql_type = Text)]
    tbl: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    expr: String,
}

#[derive(QueryableByName)]
struct TriggerRow {
    #[diesel(sql_type = Text)]
    tbl: String,
    #[diesel(sql_type = Text)]
    name: String,
}

pub(crate) fn introspect(
    c: &mut MysqlConnection,
    schema: Option<&str>,
    skip: &[&str],
) -> QueryResult<Schema> {
    let server: ServerRow = diesel::sql_query(
        "SELECT DATABASE() AS db, VERSION() AS version, \
         CAST(@@lower_case_table_names AS SIGNED) AS lower_case",
    )
    .get_result(c)?;
    let current = server.db;
    let db = schema
        .map(str::to_owned)
        .or_else(|| current.clone())
        .unwrap_or_default();
    let mariadb = server.version.to_ascii_lowercase().contains("mariadb");
    let tables: Vec<TableRow> = diesel::sql_query(
        "SELECT TABLE_NAME AS name, TABLE_TYPE AS kind, TABLE_COMMENT AS comment \
         FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME",
    )
    .bind::<Text, _>(&db)
    .load(c)?;
    let columns: Vec<ColumnRow> = diesel::sql_query(
        "SELECT TABLE_NAME AS tbl, COLUMN_NAME AS name, COLUMN_TYPE AS ty, \
         IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt, EXTRA AS extra, \
         COLUMN_COMMENT AS comment, COALESCE(GENERATION_EXPRESSION, '') AS `generated` \
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? \
         ORDER BY TABLE_NAME, ORDINAL_POSITION",
    )
    .bind::<Text, _>(&db)
    .load(c)?;
    // MariaDB has no functional indexes (and no EXPRESSION column).
    let expr = if mariadb { "NULL" } else { "EXPRESSION" };
    let indexes: Vec<IndexRow> = diesel::sql_query(format!(
        "SELECT TABLE_NAME AS tbl, INDEX_NAME AS name, CAST(NON_UNIQUE AS SIGNED) AS non_unique, \
         COLUMN_NAME AS col, {expr} AS expr, INDEX_TYPE AS method \
         FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? \
         ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"
    ))
    .bind::<Text, _>(&db)
    .load(c)?;
    let foreign_keys: Vec<ForeignKeyRow> = diesel::sql_query(
        "SELECT k.TABLE_NAME AS tbl, k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS col, \
         k.REFERENCED_TABLE_SCHEMA AS ref_schema, k.REFERENCED_TABLE_NAME AS ref_table, \
         k.REFERENCED_COLUMN_NAME AS ref_col, r.UPDATE_RULE AS on_update, \
         r.DELETE_RULE AS on_delete \
         FROM information_schema.KEY_COLUMN_USAGE k \
         JOIN information_schema.REFERENTIAL_CONSTRAINTS r \
           ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA \
          AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME \
         WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL \
         ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
    )
    .bind::<Text, _>(&db)
    .load(c)?;
    let checks: Vec<CheckRow> = diesel::sql_query(if mariadb {
        "SELECT TABLE_NAME AS tbl, CONSTRAINT_NAME AS name, CHECK_CLAUSE AS expr \
         FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? \
         ORDER BY TABLE_NAME, CONSTRAINT_NAME"
    } else {
        "SELECT tc.TABLE_NAME AS tbl, cc.CONSTRAINT_NAME AS name, cc.CHECK_CLAUSE AS expr \
         FROM information_schema.TABLE_CONSTRAINTS tc \
         JOIN information_schema.CHECK_CONSTRAINTS cc \
           ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA \
          AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME \
         WHERE tc.TABLE_SCHEMA = ? AND tc.CONSTRAINT_TYPE = 'CHECK' \
         ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME"
    })
    .bind::<Text, _>(&db)
    .load(c)?;
    let triggers: Vec<TriggerRow> = diesel::sql_query(
        "SELECT EVENT_OBJECT_TABLE AS tbl, TRIGGER_NAME AS name \
         FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY 1, 2",
    )
    .bind::<Text, _>(&db)
    .load(c)?;

    let mut rules = Rules::new(Dialect::Mysql);
    rules.mariadb = mariadb;
    rules.lower_case_table_names = u8::try_from(server.lower_case).unwrap_or(1);
    let exact = rules.lower_case_table_names == 0;
    // Tables of another database are qualified; the connection's own are not (MySQL has no
    // default schema name to fold).
    let other = schema.filter(|s| Some(*s) != current.as_deref());
    let qualified = |name: &str| QualifiedName {
        schema: other.map(str::to_owned),
        name: name.to_owned(),
    };
    let mut out = Schema::with_rules(rules);
    let mut model: BTreeMap<String, Table> = BTreeMap::new();
    for r in tables {
        if skipped(&r.name, skip, exact) {
            continue;
        }
        match r.kind.as_str() {
            "BASE TABLE" | "SYSTEM VERSIONED" => {
                let mut t = Table::new(qualified(&r.name));
                t.comment = r.comment.filter(|c| !c.is_empty());
                model.insert(r.name, t);
            }
            "VIEW" | "SYSTEM VIEW" => out.mark_not_modelled(format!("view {}", r.name)),
            other => out.mark_not_modelled(format!("{} {}", other.to_lowercase(), r.name)),
        }
    }
    for r in columns {
        let Some(t) = model.get_mut(&r.tbl) else {
            continue;
        };
        if !r.generated.is_empty() {
            out.mark_not_modelled(format!("table {}: generated column {}", r.tbl, r.name));
            continue;
        }
        let extra = r.extra.to_ascii_lowercase();
        let default = r.dflt.map(|d| {
            if mariadb || extra.contains("default_generated") {
                ColumnDefault::Sql(d)
            } else {
                ColumnDefault::Value(Value::Text(d))
            }
        });
        t.columns.push(Column {
            name: r.name,
            ty: Type::Custom(r.ty),
            nullable: r.nullable.eq_ignore_ascii_case("YES"),
            default,
            autoincrement: extra.contains("auto_increment"),
            comment: r.comment.filter(|c| !c.is_empty()),
        });
    }
    let mut index_order: Vec<(String, String)> = Vec::new();
    let mut ix: BTreeMap<(String, String), Index> = BTreeMap::new();
    for r in indexes {
        if !model.contains_key(&r.tbl) {
            continue;
        }
        let key = (r.tbl.clone(), r.name.clone());
        let entry = ix.entry(key.clone()).or_insert_with(|| {
            index_order.push(key);
            Index {
                name: r.name.clone(),
                columns: Vec::new(),
                unique: r.non_unique == 0,
                predicate: None,
                method: Some(r.method.to_lowercase()),
                include: Vec::new(),
            }
        });
        entry.columns.push(match (r.col, r.expr) {
            (Some(c), _) => IndexColumn::Name(c),
            (None, e) => IndexColumn::Expr(e.unwrap_or_default()),
        });
    }
    for key in index_order {
        let Some(i) = ix.remove(&key) else { continue };
        let Some(t) = model.get_mut(&key.0) else {
            continue;
        };
        if i.name == "PRIMARY" {
            t.primary_key = Some(PrimaryKey {
                name: None,
                columns: i.column_names().map(str::to_owned).collect(),
            });
        } else {
            t.indexes.push(i);
        }
    }
    let mut fk_order: Vec<(String, String)> = Vec::new();
    let mut fks: BTreeMap<(String, String), ForeignKey> = BTreeMap::new();
    for r in foreign_keys {
        if !model.contains_key(&r.tbl) {
            continue;
        }
        let key = (r.tbl.clone(), r.name.clone());
        let ref_schema = r.ref_schema.filter(|s| *s != db);
        let entry = fks.entry(key.clone()).or_insert_with(|| {
            fk_order.push(key);
            ForeignKey {
                name: Some(r.name.clone()),
                columns: Vec::new(),
                ref_table: QualifiedName {
                    schema: ref_schema,
                    name: r.ref_table.clone(),
                },
                ref_columns: Vec::new(),
                on_delete: action(&r.on_delete),
                on_update: action(&r.on_update),
            }
        });
        entry.columns.push(r.col);
        entry.ref_columns.extend(r.ref_col);
    }
    for key in fk_order {
        if let (Some(f), Some(t)) = (fks.remove(&key), model.get_mut(&key.0)) {
            t.foreign_keys.push(f);
        }
    }
    for r in checks {
        if let Some(t) = model.get_mut(&r.tbl) {
            t.checks.push(Check {
                name: Some(r.name),
                expr: r.expr,
            });
        }
    }
    for r in triggers {
        out.mark_not_modelled(format!("table {}: trigger {}", r.tbl, r.name));
    }
    for t in model.into_values() {
        out.insert_table(t);
    }
    Ok(out)
}

/// `UPDATE_RULE` / `DELETE_RULE`: `CASCADE`, `SET NULL`, ...
fn action(word: &str) -> Option<migrate_sql::Action> {
    use migrate_sql::Action;
    match word.to_ascii_uppercase().as_str() {
        "CASCADE" => Some(Action::Cascade),
        "SET NULL" => Some(Action::SetNull),
        "SET DEFAULT" => Some(Action::SetDefault),
        "RESTRICT" => Some(Action::Restrict),
        "NO ACTION" => Some(Action::NoAction),
        _ => None,
    }
}
