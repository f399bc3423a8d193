//! PostgreSQL: `pg_catalog`, six queries for one schema whatever the number of tables
//! (relations, columns, constraints, indexes, types, triggers). Types come from
//! `format_type` (what `\d` shows: `character varying(255)`, `timestamp with time zone`,
//! `integer[]`, an enum type by its unqualified name when it is on the search path), defaults
//! and conditions from `pg_get_expr`.

use std::collections::BTreeMap;

use diesel::pg::PgConnection;
use diesel::sql_types::{Array, Bool, Integer, Nullable, Text};
use diesel::{QueryResult, QueryableByName, RunQueryDsl};
use migrate_schema::{
    Check, Column, EnumType, ForeignKey, Index, PrimaryKey, Rules, Schema, Table, UniqueConstraint,
};
use migrate_sql::{Action, ColumnDefault, Dialect, IndexColumn, QualifiedName, Type};

use super::skipped;

#[derive(QueryableByName)]
struct SchemaRow {
    #[diesel(sql_type = Nullable<Text>)]
    name: Option<String>,
}

#[derive(QueryableByName)]
struct RelationRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Bool)]
    partition: bool,
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
    #[diesel(sql_type = Bool)]
    not_null: bool,
    #[diesel(sql_type = Nullable<Text>)]
    dflt: Option<String>,
    #[diesel(sql_type = Text)]
    identity: String,
    #[diesel(sql_type = Text)]
    generated: String,
    #[diesel(sql_type = Nullable<Text>)]
    comment: Option<String>,
}

#[derive(QueryableByName)]
struct ConstraintRow {
    #[diesel(sql_type = Text)]
    tbl: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Array<Text>)]
    columns: Vec<String>,
    #[diesel(sql_type = Nullable<Text>)]
    ref_schema: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    ref_table: Option<String>,
    #[diesel(sql_type = Array<Text>)]
    ref_columns: Vec<String>,
    #[diesel(sql_type = Text)]
    on_delete: String,
    #[diesel(sql_type = Text)]
    on_update: String,
    #[diesel(sql_type = Nullable<Text>)]
    expr: Option<String>,
}

#[derive(QueryableByName)]
struct IndexRow {
    #[diesel(sql_type = Text)]
    tbl: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Bool)]
    is_unique: bool,
    #[diesel(sql_type = Text)]
    method: String,
    #[diesel(sql_type = Nullable<Text>)]
    predicate: Option<String>,
    #[diesel(sql_type = Integer)]
    nkey: i32,
    #[diesel(sql_type = Array<Text>)]
    columns: Vec<String>,
    #[diesel(sql_type = Array<Text>)]
    defs: Vec<String>,
}

#[derive(QueryableByName)]
struct TypeRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Array<Text>)]
    labels: Vec<String>,
}

#[derive(QueryableByName)]
struct TriggerRow {
    #[diesel(sql_type = Text)]
    tbl: String,
    #[diesel(sql_type = Text)]
    name: String,
}

/// The relations of the schema that are tables (ordinary and partitioned).
const TABLES: &str = "c.relkind IN ('r', 'p') AND NOT c.relispartition";

pub(crate) fn introspect(
    c: &mut PgConnection,
    schema: Option<&str>,
    skip: &[&str],
) -> QueryResult<Schema> {
    let ns = match schema {
        Some(s) => s.to_owned(),
        None => diesel::sql_query("SELECT current_schema()::text AS name")
            .get_result::<SchemaRow>(c)?
            .name
            .unwrap_or_else(|| "public".to_owned()),
    };
    let relations: Vec<RelationRow> = diesel::sql_query(
        "SELECT c.relname::text AS name, c.relkind::text AS kind, c.relispartition AS partition, \
         obj_description(c.oid, 'pg_class') AS comment \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') \
         AND (c.relkind <> 'S' OR NOT EXISTS (SELECT 1 FROM pg_depend d \
              WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid \
              AND d.deptype IN ('a', 'i'))) \
         ORDER BY 1",
    )
    .bind::<Text, _>(&ns)
    .load(c)?;
    let columns: Vec<ColumnRow> = diesel::sql_query(format!(
        "SELECT c.relname::text AS tbl, a.attname::text AS name, \
         format_type(a.atttypid, a.atttypmod) AS ty, a.attnotnull AS not_null, \
         pg_get_expr(d.adbin, d.adrelid) AS dflt, a.attidentity::text AS identity, \
         a.attgenerated::text AS generated, col_description(c.oid, a.attnum) AS comment \
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         WHERE n.nspname = $1 AND {TABLES} AND a.attnum > 0 AND NOT a.attisdropped \
         ORDER BY c.relname, a.attnum"
    ))
    .bind::<Text, _>(&ns)
    .load(c)?;
    let constraints: Vec<ConstraintRow> = diesel::sql_query(format!(
        "SELECT c.relname::text AS tbl, con.conname::text AS name, con.contype::text AS kind, \
         ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord) \
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num \
               ORDER BY k.ord) AS columns, \
         fn.nspname::text AS ref_schema, fc.relname::text AS ref_table, \
         ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord) \
               JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num \
               ORDER BY k.ord) AS ref_columns, \
         con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update, \
         pg_get_expr(con.conbin, con.conrelid) AS expr \
         FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_class fc ON fc.oid = con.confrelid \
         LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace \
         WHERE n.nspname = $1 AND {TABLES} \
         ORDER BY c.relname, con.conname"
    ))
    .bind::<Text, _>(&ns)
    .load(c)?;
    let indexes: Vec<IndexRow> = diesel::sql_query(format!(
        "SELECT c.relname::text AS tbl, i.relname::text AS name, ix.indisunique AS is_unique, \
         am.amname::text AS method, pg_get_expr(ix.indpred, ix.indrelid) AS predicate, \
         ix.indnkeyatts::int4 AS nkey, \
         ARRAY(SELECT COALESCE(a.attname::text, '') \
               FROM generate_series(1, ix.indnatts::int4) k \
               LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid \
                    AND a.attnum = ix.indkey[k - 1] AND ix.indkey[k - 1] <> 0 \
               ORDER BY k) AS columns, \
         ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true) \
               FROM generate_series(1, ix.indnatts::int4) k ORDER BY k) AS defs \
         FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid \
         JOIN pg_class c ON c.oid = ix.indrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_am am ON am.oid = i.relam \
         WHERE n.nspname = $1 AND {TABLES} \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid \
                         AND con.conrelid = ix.indrelid AND con.contype IN ('p', 'u', 'x')) \
         ORDER BY c.relname, i.relname"
    ))
    .bind::<Text, _>(&ns)
    .load(c)?;
    let types: Vec<TypeRow> = diesel::sql_query(
        "SELECT t.typname::text AS name, t.typtype::text AS kind, \
         ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid \
               ORDER BY e.enumsortorder) AS labels \
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
         WHERE n.nspname = $1 AND t.typtype IN ('e', 'd', 'r') \
         ORDER BY 1",
    )
    .bind::<Text, _>(&ns)
    .load(c)?;
    let triggers: Vec<TriggerRow> = diesel::sql_query(
        "SELECT c.relname::text AS tbl, t.tgname::text AS name \
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = $1 AND NOT t.tgisinternal ORDER BY 1, 2",
    )
    .bind::<Text, _>(&ns)
    .load(c)?;

    let mut rules = Rules::new(Dialect::Postgres);
    rules.default_schema = Some(ns.clone());
    let mut out = Schema::with_rules(rules);
    let qualified = |name: &str| QualifiedName {
        schema: Some(ns.clone()),
        name: name.to_owned(),
    };
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    for r in relations {
        let what = match r.kind.as_str() {
            _ if skipped(&r.name, skip, true) => continue,
            "r" | "p" if r.partition => "partition",
            "r" | "p" => {
                let mut t = Table::new(qualified(&r.name));
                t.comment = r.comment;
                tables.insert(r.name, t);
                continue;
            }
            "v" => "view",
            "m" => "materialized view",
            "f" => "foreign table",
            _ => "sequence",
        };
        out.mark_not_modelled(format!("{what} {}", r.name));
    }
    for r in columns {
        let Some(t) = tables.get_mut(&r.tbl) else {
            continue;
        };
        if !r.generated.is_empty() {
            out.mark_not_modelled(format!("table {}: generated column {}", r.tbl, r.name));
            continue;
        }
        // A serial column is its sequence's nextval() default: autoincrement, as identity.
        let serial = r.dflt.as_deref().is_some_and(|d| d.starts_with("nextval("));
        t.columns.push(Column {
            name: r.name,
            ty: Type::Custom(r.ty),
            nullable: !r.not_null,
            default: r.dflt.filter(|_| !serial).map(ColumnDefault::Sql),
            autoincrement: serial || !r.identity.is_empty(),
            comment: r.comment,
        });
    }
    for r in constraints {
        let Some(t) = tables.get_mut(&r.tbl) else {
            continue;
        };
        match r.kind.as_str() {
            "p" => {
                t.primary_key = Some(PrimaryKey {
                    name: Some(r.name),
                    columns: r.columns,
                })
            }
            "u" => t.uniques.push(UniqueConstraint {
                name: Some(r.name),
                columns: r.columns,
            }),
            "f" => t.foreign_keys.push(ForeignKey {
                name: Some(r.name),
                columns: r.columns,
                ref_table: QualifiedName {
                    schema: r.ref_schema,
                    name: r.ref_table.unwrap_or_default(),
                },
                ref_columns: r.ref_columns,
                on_delete: action(&r.on_delete),
                on_update: action(&r.on_update),
            }),
            "c" => t.checks.push(Check {
                name: Some(r.name),
                expr: r.expr.unwrap_or_default(),
            }),
            "x" => {
                out.mark_not_modelled(format!("table {}: exclusion constraint {}", r.tbl, r.name))
            }
            // NOT NULL constraints (PostgreSQL 18) are the columns' nullability; constraint
            // triggers are listed with the triggers.
            _ => {}
        }
    }
    for r in indexes {
        let Some(t) = tables.get_mut(&r.tbl) else {
            continue;
        };
        let nkey = usize::try_from(r.nkey).unwrap_or(0);
        let mut key = Vec::new();
        let mut include = Vec::new();
        for (i, (col, def)) in r.columns.into_iter().zip(r.defs).enumerate() {
            if i >= nkey {
                include.push(col);
            } else if col.is_empty() {
                key.push(IndexColumn::Expr(def));
            } else {
                key.push(IndexColumn::Name(col));
            }
        }
        t.indexes.push(Index {
            name: r.name,
            columns: key,
            unique: r.is_unique,
            predicate: r.predicate,
            method: Some(r.method),
            include,
        });
    }
    for r in types {
        if r.kind == "e" {
            out.insert_enum(EnumType {
                name: qualified(&r.name),
                values: r.labels,
            });
        } else {
            let what = match r.kind.as_str() {
                "d" => "domain",
                _ => "range type",
            };
            out.mark_not_modelled(format!("{what} {}", r.name));
        }
    }
    for r in triggers {
        out.mark_not_modelled(format!("table {}: trigger {}", r.tbl, r.name));
    }
    for t in tables.into_values() {
        out.insert_table(t);
    }
    Ok(out)
}

/// `pg_constraint.confdeltype` / `confupdtype`.
fn action(code: &str) -> Option<Action> {
    match code {
        "c" => Some(Action::Cascade),
        "n" => Some(Action::SetNull),
        "d" => Some(Action::SetDefault),
        "r" => Some(Action::Restrict),
        "a" => Some(Action::NoAction),
        _ => None,
    }
}
