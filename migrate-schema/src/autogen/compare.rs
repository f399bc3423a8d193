//! The comparison: `schema.rs` against a schema model, table by table and column by column,
//! in what `schema.rs` can say. The planner's steps are in `planner` (tables), `columns` and
//! `keys`.

use migrate_sql::{Operations, QualifiedName, Type};

use super::planner::Planner;
use super::types::TypeMap;
use super::{Error, Options, Plan};
use crate::diesel_schema::infer::listed;
use crate::diesel_schema::{DieselColumn, DieselSchema, DieselTable};
use crate::{Column, Key, Schema, Table};

/// A `schema.rs` table as compared: its name in the model's terms, its columns with their
/// SQL types resolved when they can be.
pub(super) struct Want<'f> {
    pub(super) key: Key,
    pub(super) name: QualifiedName,
    pub(super) table: &'f DieselTable,
    /// The columns, SQLite's implicit `rowid` left out.
    pub(super) columns: Vec<&'f DieselColumn>,
    pub(super) primary_key: Vec<String>,
}

/// The operations that take `actual` to what `file` says (see the [module
/// docs](super)).
///
/// # Errors
///
/// [`Error::UnknownType`] for a Diesel type that must be created and has no SQL type;
/// [`Error::Uncertain`] when `actual` is a replay that raw SQL or Rust steps made uncertain.
pub fn plan(file: &DieselSchema, actual: &Schema, options: &Options) -> Result<Plan, Error> {
    if !actual.is_certain() {
        return Err(Error::Uncertain(actual.uncertain().join("; ")));
    }
    let map = TypeMap {
        actual,
        file,
        overrides: &options.types,
    };
    let mut p = Planner {
        map,
        plan: Plan::default(),
        ops: Operations::default(),
    };
    let d = actual.dialect();
    let rules = actual.rules();
    let wants: Vec<Want<'_>> = file
        .tables
        .iter()
        .filter(|t| options.filter.allows(&t.name))
        .filter(|t| !(rules.imp().diesel_default_schema_only() && t.schema.is_some()))
        .map(|t| want(t, actual))
        .collect();
    let mut have: Vec<(&Key, &Table)> = actual
        .tables()
        .filter(|(k, t)| {
            listed(d, &t.name.name)
                && options.filter.allows(&t.name.name)
                && !(rules.imp().diesel_default_schema_only() && k.schema.is_some())
        })
        .collect();
    have.retain(|(k, t)| {
        if let Some(why) = actual.opaque_tables().get(*k) {
            p.plan.notes.push(format!(
                "table {}: not compared ({})",
                shown(&t.name, actual.rules()),
                why.join("; ")
            ));
            return false;
        }
        true
    });
    let wanted_keys: Vec<&Key> = wants.iter().map(|w| &w.key).collect();
    let mut new: Vec<&Want<'_>> = wants
        .iter()
        .filter(|w| !have.iter().any(|(k, _)| **k == w.key))
        .filter(|w| !actual.opaque_tables().contains_key(&w.key))
        .collect();
    let mut gone: Vec<&Table> = have
        .iter()
        .filter(|(k, _)| !wanted_keys.contains(k))
        .map(|(_, t)| *t)
        .collect();

    // Foreign keys that go away first: a column or table they use may go next.
    let keep_fk = p.foreign_keys_to_drop(file, wants.as_slice(), &have);
    p.enums(&new, &wants)?;

    // A table gone while one of the same shape appears: a rename.
    let mut renamed: Vec<(&Table, &Want<'_>)> = Vec::new();
    gone.retain(|g| match new.iter().position(|n| p.same_shape(g, n)) {
        Some(i) => {
            renamed.push((g, new.remove(i)));
            false
        }
        None => true,
    });
    for (g, n) in &renamed {
        p.rename_table(g, n)?;
    }
    for n in order_by_references(&new, file) {
        p.create_table(n, file)?;
    }
    for w in &wants {
        if let Some((_, t)) = have.iter().find(|(k, _)| **k == w.key) {
            p.columns(t, w, rules)?;
        }
    }
    for g in gone {
        if options.drop_missing_tables {
            p.drop_table(g)?;
        } else {
            p.plan.notes.push(format!(
                "table {} is in the database but not in schema.rs: kept (--drop-missing-tables drops it)",
                shown(&g.name, rules)
            ));
        }
    }
    p.foreign_keys_to_add(file, &wants, &new, keep_fk)?;
    Ok(p.plan)
}

fn want<'f>(t: &'f DieselTable, actual: &Schema) -> Want<'f> {
    let name = QualifiedName {
        schema: t.schema.clone(),
        name: t.name.clone(),
    };
    let mut columns: Vec<&DieselColumn> = t.columns.iter().collect();
    let mut primary_key = t.primary_key.clone();
    // SQLite: `rowid -> Integer` keyed alone is Diesel's stand-in for a table without a key.
    if actual.rules().imp().diesel_rowid_keys() {
        if let [only] = primary_key.as_slice() {
            if ["rowid", "oid", "_rowid_"].contains(&only.as_str()) {
                columns.retain(|c| c.name != *only);
                primary_key.clear();
            }
        }
    }
    Want {
        key: actual.rules().table_key(&name),
        name,
        table: t,
        columns,
        primary_key,
    }
}

/// New tables with the tables they reference first (others keep `schema.rs`'s order).
fn order_by_references<'a, 'f>(new: &[&'a Want<'f>], file: &DieselSchema) -> Vec<&'a Want<'f>> {
    let mut left: Vec<&Want<'_>> = new.to_vec();
    let mut out = Vec::new();
    while !left.is_empty() {
        let ready = left
            .iter()
            .position(|w| {
                !left.iter().any(|other| {
                    other.table.name != w.table.name
                        && file.joinables.iter().any(|j| {
                            j.child == w.table.name
                                && j.parent == other.table.name
                                && j.schema == w.table.schema
                        })
                })
            })
            .unwrap_or(0);
        out.push(left.remove(ready));
    }
    out
}

/// A column's default, MariaDB's `NULL` (its spelling of none) as none.
pub(super) fn default_of(c: &Column) -> Option<migrate_sql::ColumnDefault> {
    match &c.default {
        Some(migrate_sql::ColumnDefault::Sql(s)) if s.trim().eq_ignore_ascii_case("null") => None,
        other => other.clone(),
    }
}

/// A table's name as people write it: the default schema (`public`) left out.
pub(super) fn shown(name: &QualifiedName, rules: &crate::Rules) -> QualifiedName {
    let default = rules.default_schema.as_deref();
    match name.schema.as_deref() {
        Some(s) if Some(s) == default => QualifiedName::from(name.name.as_str()),
        _ => name.clone(),
    }
}

/// PostgreSQL's own name for a one-column foreign key (`posts_user_id_fkey`).
pub(super) fn fk_name(table: &str, column: &str) -> String {
    format!("{table}_{column}_fkey")
}

pub(super) fn invalid(e: migrate_sql::Error) -> Error {
    Error::Invalid(e.to_string())
}

/// The DSL definition of a table the model has (to make its drop reversible).
pub(super) fn dsl_table(t: &Table) -> migrate_sql::Table {
    let mut out = migrate_sql::Table::new(t.name.clone());
    for c in &t.columns {
        let col = out.column(c.name.clone(), c.ty.clone());
        col.nullable = c.nullable;
        col.default = c.default.clone();
        col.autoincrement = c.autoincrement;
        col.comment = c.comment.clone();
    }
    if !t.primary_key_columns().is_empty() {
        out.primary_key(t.primary_key_columns());
    }
    for fk in &t.foreign_keys {
        out.foreign_keys.push(fk.clone());
    }
    out
}

/// Whether going from `from` to `to` can lose values: a smaller integer, a shorter string,
/// text to a bounded string, double to float. Other changes are not judged.
pub(super) fn narrows(from: &Type, to: &Type, map: &TypeMap<'_>) -> bool {
    let rank = |t: &Type| -> Option<(u8, u64)> {
        let p = map.printed(t, false)?;
        let name = p.rust_name.as_str();
        let int = |r| Some((0, r));
        match name {
            "Int2" | "SmallInt" | "Smallint" => int(2),
            "Int4" | "Integer" => int(4),
            "Int8" | "BigInt" | "Bigint" => int(8),
            "Float4" | "Float" => Some((1, 4)),
            "Float8" | "Double" => Some((1, 8)),
            "Varchar" | "Char" | "Bpchar" => Some((2, p.max_length.unwrap_or(u64::MAX))),
            "Text" | "Longtext" | "Mediumtext" => Some((2, u64::MAX)),
            _ => None,
        }
    };
    match (rank(from), rank(to)) {
        (Some((a, x)), Some((b, y))) => a == b && y < x,
        _ => false,
    }
}
