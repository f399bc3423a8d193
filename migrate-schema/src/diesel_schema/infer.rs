//! The model read the way diesel_cli 2.3's schema inference reads a database
//! (`infer_schema_internals`): which tables, their primary keys, columns and Diesel types, and
//! which foreign keys become `joinable!`.

use std::collections::BTreeMap;

use heck::ToUpperCamelCase as _;

use super::names::rust_name;
use super::types::{self, SqlType};
use super::Error;
use crate::dialect::FkRowsPer;
use crate::{Schema, Table};
use migrate_sql::Dialect;

/// A table's name in the output (diesel_cli's `TableName`; its field order is the sort
/// order of foreign keys).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct TableName {
    pub(crate) sql_name: String,
    pub(crate) rust_name: String,
    pub(crate) schema: Option<String>,
    pub(crate) rust_schema: Option<String>,
}

impl TableName {
    fn new(sql_name: &str, schema: Option<&str>) -> TableName {
        TableName {
            sql_name: sql_name.to_owned(),
            rust_name: rust_name(sql_name, None),
            schema: schema.map(str::to_owned),
            rust_schema: schema.map(|s| rust_name(s, None)),
        }
    }

    pub(crate) fn full_sql_name(&self) -> String {
        match &self.schema {
            Some(s) => format!("{s}.{}", self.sql_name),
            None => self.sql_name.clone(),
        }
    }
}

/// One column of a `table!`.
#[derive(Debug, Clone)]
pub(crate) struct ColumnData {
    pub(crate) sql_name: String,
    pub(crate) rust_name: String,
    pub(crate) ty: SqlType,
    /// The type defined in `pub mod sql_types` for it, when Diesel has none.
    pub(crate) custom: Option<SqlType>,
}

/// One `table!`.
#[derive(Debug, Clone)]
pub(crate) struct TableData {
    pub(crate) name: TableName,
    pub(crate) primary_key: Vec<String>,
    pub(crate) columns: Vec<ColumnData>,
}

/// A foreign key as diesel_cli loads it (field order is its sort order).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ForeignKey {
    pub(crate) child: TableName,
    pub(crate) parent: TableName,
    pub(crate) columns: Vec<String>,
    pub(crate) columns_rust: Vec<String>,
    pub(crate) parent_columns: Vec<String>,
}

impl ForeignKey {
    fn ordered_tables(&self) -> (&TableName, &TableName) {
        if self.parent <= self.child {
            (&self.parent, &self.child)
        } else {
            (&self.child, &self.parent)
        }
    }
}

/// The tables of one schema (`None`: the default one), as one print-schema run shows them.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub(crate) schema: Option<String>,
    pub(crate) tables: Vec<TableData>,
    pub(crate) joinable: Vec<ForeignKey>,
}

/// The groups of `schema`: the default schema first, then every other schema in name order.
/// SQLite's attached databases are left out (diesel_cli reads `main` only).
pub(crate) fn groups(schema: &Schema) -> Result<Vec<Group>, Error> {
    by_schema(schema)
        .into_iter()
        .map(|(name, tables)| group(schema, name, &tables))
        .collect()
}

/// The foreign keys of `schema` that `joinable!` shows, whether or not every table could be
/// printed (a table without a primary key is left out, as a key to or from it can't show).
pub(crate) fn joinables(schema: &Schema) -> Vec<ForeignKey> {
    let mut out = Vec::new();
    for (group, mut tables) in by_schema(schema) {
        tables
            .retain(|t| listed(schema.dialect(), &t.name.name) && primary_key(schema, t).is_some());
        let names: Vec<TableName> = tables
            .iter()
            .map(|t| TableName::new(&t.name.name, group.as_deref()))
            .collect();
        let fks = foreign_keys(schema, &tables, group.as_deref());
        out.extend(safe_for_codegen(schema, &fks, &names));
    }
    out
}

/// The tables by schema as the migrations spell it (keys are folded); SQLite's attached
/// databases left out.
fn by_schema(schema: &Schema) -> BTreeMap<Option<String>, Vec<&Table>> {
    let mut by_schema: BTreeMap<Option<String>, Vec<&Table>> = BTreeMap::new();
    for (key, table) in schema.tables() {
        if key.schema.is_some() && schema.rules().imp().diesel_default_schema_only() {
            continue;
        }
        let spelled = key
            .schema
            .as_ref()
            .map(|_| table.name.schema.clone().unwrap_or_default());
        by_schema.entry(spelled).or_default().push(table);
    }
    by_schema
}

/// Whether Diesel prints the table (not its own `__` tables, not the database's own).
pub(crate) fn listed(dialect: Dialect, name: &str) -> bool {
    // diesel_cli skips `__`-prefixed tables (its own `__diesel_schema_migrations`) and the
    // database's own (SQLite's `sqlite_` ones).
    !name.starts_with("__") && !crate::dialect::of(dialect).diesel_internal_table(name)
}

fn group(schema: &Schema, name: Option<String>, all: &[&Table]) -> Result<Group, Error> {
    let d = schema.dialect();
    let mut tables: Vec<&Table> = all
        .iter()
        .copied()
        .filter(|t| listed(d, &t.name.name))
        .collect();
    tables.sort_by(|a, b| a.name.name.cmp(&b.name.name));
    let names: Vec<TableName> = tables
        .iter()
        .map(|t| TableName::new(&t.name.name, name.as_deref()))
        .collect();
    let data = tables
        .iter()
        .zip(&names)
        .map(|(t, n)| table_data(schema, t, n.clone()))
        .collect::<Result<Vec<_>, _>>()?;
    let fks = foreign_keys(schema, all, name.as_deref());
    let joinable = safe_for_codegen(schema, &fks, &names);
    Ok(Group {
        schema: name,
        tables: data,
        joinable,
    })
}

/// The primary key as diesel_cli reads it: on SQLite in column order, and a table without
/// one keyed by its rowid (under the first of `rowid`, `oid`, `_rowid_` no column takes).
fn primary_key(schema: &Schema, table: &Table) -> Option<Vec<String>> {
    let mut pk = table.primary_key_columns().to_vec();
    if !schema.rules().imp().diesel_rowid_keys() {
        return (!pk.is_empty()).then_some(pk);
    }
    let position = |c: &String| {
        table
            .columns
            .iter()
            .position(|col| schema.rules().same_name(&col.name, c))
    };
    pk.sort_by_key(position);
    if pk.is_empty() {
        let alias = ["rowid", "oid", "_rowid_"]
            .into_iter()
            .find(|a| !table.columns.iter().any(|c| c.name == *a))?;
        pk.push(alias.to_owned());
    }
    Some(pk)
}

fn table_data(schema: &Schema, table: &Table, name: TableName) -> Result<TableData, Error> {
    let d = schema.dialect();
    let pk = primary_key(schema, table).ok_or_else(|| Error::NoPrimaryKey {
        table: name.full_sql_name(),
    })?;
    let mut columns = Vec::new();
    if let [only] = pk.as_slice() {
        if !table.columns.iter().any(|c| c.name == *only) {
            // SQLite's implicit rowid key, shown as the first column.
            let ty = SqlType {
                rust_name: "Integer".to_owned(),
                sql_name: "Integer".to_owned(),
                schema: None,
                is_array: false,
                is_nullable: false,
                is_unsigned: false,
                max_length: None,
            };
            columns.push(ColumnData {
                sql_name: only.clone(),
                rust_name: rust_name(only, Some(&name.rust_name)),
                ty,
                custom: None,
            });
        }
    }
    for c in &table.columns {
        let ty = types::column_type(c, schema).map_err(|ty| Error::UnsupportedType {
            table: name.full_sql_name(),
            column: c.name.clone(),
            ty,
        })?;
        let rust = rust_name(&c.name, Some(&name.rust_name));
        let custom = (!types::provided(d, &ty.rust_name)).then(|| {
            // MySQL's types of their own (ENUM, SET ...) are per column.
            if crate::dialect::of(d).diesel_custom_type_per_column() {
                SqlType {
                    rust_name: format!("{} {} {}", name.rust_name, rust, ty.rust_name)
                        .to_upper_camel_case(),
                    ..ty.clone()
                }
            } else {
                ty.clone()
            }
        });
        columns.push(ColumnData {
            sql_name: c.name.clone(),
            rust_name: rust,
            ty,
            custom,
        });
    }
    let primary_key = pk
        .iter()
        .map(|k| rust_name(k, Some(&name.rust_name)))
        .collect();
    Ok(TableData {
        name,
        primary_key,
        columns,
    })
}

/// Whether a referenced table's schema (as written; `None` for the default) is `group`.
fn in_group(schema: &Schema, referenced: Option<&str>, group: Option<&str>) -> bool {
    let fold = |s: Option<&str>| {
        s.map(|s| schema.rules().fold_table(s)).filter(|s| {
            schema
                .rules()
                .default_schema
                .as_deref()
                .is_none_or(|d| schema.rules().fold_table(d) != *s)
        })
    };
    fold(referenced) == fold(group)
}

/// Every foreign key of the group's tables, loaded per backend as diesel_cli loads them:
/// PostgreSQL one per pair of tables (all columns of all keys between them), MySQL one per
/// constraint, SQLite one per column (`PRAGMA foreign_key_list` rows).
fn foreign_keys(schema: &Schema, tables: &[&Table], group: Option<&str>) -> Vec<ForeignKey> {
    let d = schema.dialect();
    let mut out: Vec<ForeignKey> = Vec::new();
    for table in tables {
        let child = TableName::new(&table.name.name, group);
        for fk in &table.foreign_keys {
            // SQLite resolves an unqualified reference in the referencing table's database.
            let ref_schema = match fk.ref_table.schema.as_deref() {
                None if crate::dialect::of(d).references_own_schema() => group,
                s => s,
            };
            if !in_group(schema, ref_schema, group) {
                continue;
            }
            let parent = TableName::new(&fk.ref_table.name, group);
            let parent_pk = || {
                schema
                    .table(&fk.ref_table)
                    .and_then(|t| primary_key(schema, t))
                    .unwrap_or_default()
            };
            let referenced = if fk.ref_columns.is_empty() {
                parent_pk()
            } else {
                fk.ref_columns.clone()
            };
            let make = |columns: Vec<String>, parent_columns: Vec<String>| ForeignKey {
                columns_rust: columns
                    .iter()
                    .map(|c| {
                        let r = rust_name(c, Some(&child.rust_name));
                        if super::names::is_reserved(&r) {
                            format!("{r}_")
                        } else {
                            r
                        }
                    })
                    .collect(),
                child: child.clone(),
                parent: parent.clone(),
                columns,
                parent_columns,
            };
            match crate::dialect::of(d).diesel_fk_rows() {
                FkRowsPer::Column => {
                    for (i, c) in fk.columns.iter().enumerate() {
                        let to = if fk.ref_columns.is_empty() {
                            referenced.clone()
                        } else {
                            referenced.get(i).cloned().into_iter().collect()
                        };
                        out.push(make(vec![c.clone()], to));
                    }
                }
                FkRowsPer::TablePair => {
                    if let Some(same) = out
                        .iter_mut()
                        .find(|f| f.child == child && f.parent == parent)
                    {
                        let more = make(fk.columns.clone(), referenced);
                        same.columns.extend(more.columns);
                        same.columns_rust.extend(more.columns_rust);
                        same.parent_columns.extend(more.parent_columns);
                    } else {
                        out.push(make(fk.columns.clone(), referenced));
                    }
                }
                FkRowsPer::Constraint => out.push(make(fk.columns.clone(), referenced)),
            }
        }
    }
    out.sort();
    out
}

/// The foreign keys `joinable!` can express (diesel_cli's
/// `remove_unsafe_foreign_keys_for_codegen`): not self-referencing, both tables printed, one
/// column, referencing the parent's one-column primary key, and the only key between the
/// two tables (either way).
fn safe_for_codegen(schema: &Schema, fks: &[ForeignKey], printed: &[TableName]) -> Vec<ForeignKey> {
    let pair_count = |fk: &ForeignKey| {
        fks.iter()
            .filter(|other| other.ordered_tables() == fk.ordered_tables())
            .count()
    };
    let parent_pk = |fk: &ForeignKey| {
        let name = migrate_sql::QualifiedName {
            schema: fk.parent.schema.clone(),
            name: fk.parent.sql_name.clone(),
        };
        schema
            .table(&name)
            .and_then(|t| primary_key(schema, t))
            .unwrap_or_default()
    };
    fks.iter()
        .filter(|fk| fk.parent != fk.child)
        .filter(|fk| printed.contains(&fk.parent) && printed.contains(&fk.child))
        .filter(|fk| fk.columns.len() == 1)
        .filter(|fk| {
            let pk = parent_pk(fk);
            pk.len() == 1 && pk.first() == fk.parent_columns.first()
        })
        .filter(|fk| pair_count(fk) == 1)
        .cloned()
        .collect()
}
