//! What raw SQL (`execute`, a Rust step's offline SQL) does to the schema, as far as it can be
//! told: the tables and enum types it names, or that it cannot be read at all.
//!
//! Parsing is the `sqlparser` crate's (the parser DataFusion and many others use), with the
//! dialect's own grammar; the model never tries to apply the SQL, it only marks what the SQL
//! names as opaque.

use crate::Rules;
use migrate_sql::{Dialect, QualifiedName};
use sqlparser::ast::{
    AlterTableOperation, CommentObject, Ident, ObjectName, ObjectNamePart, ObjectType,
    RenameTableNameKind, Statement,
};

/// What a piece of raw SQL touches.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Effects {
    /// Tables whose definition it may change.
    pub(crate) tables: Vec<QualifiedName>,
    /// Indexes it may change (their table is looked up in the model), with the table when
    /// the SQL names it (MySQL `DROP INDEX .. ON t`).
    pub(crate) indexes: Vec<(QualifiedName, Option<QualifiedName>)>,
    /// PostgreSQL enum types it may change.
    pub(crate) enums: Vec<QualifiedName>,
    /// Why nothing can be said about the schema, if so.
    pub(crate) uncertain: Option<String>,
}

/// Extensions known to create functions, operators and types but no tables.
const TABLELESS_EXTENSIONS: [&str; 12] = [
    "pgcrypto",
    "uuid-ossp",
    "citext",
    "pg_trgm",
    "hstore",
    "btree_gin",
    "btree_gist",
    "unaccent",
    "fuzzystrmatch",
    "ltree",
    "intarray",
    "plpgsql",
];

pub(crate) fn effects(sql: &str, rules: &Rules) -> Effects {
    // sqlparser reads `PRAGMA x = value` with a number or string value only; a lone PRAGMA
    // (connection state such as foreign_keys = ON) changes no table.
    let trimmed = sql.trim().trim_end_matches(';');
    if rules.imp().changes_no_table(trimmed) {
        return Effects::default();
    }
    let parsed = rules.imp().parse_sql(sql);
    let mut fx = Effects::default();
    match parsed {
        Ok(stmts) => {
            for s in &stmts {
                statement(s, rules.dialect, &mut fx);
            }
        }
        Err(e) => fx.uncertain = Some(format!("the SQL could not be parsed ({e})")),
    }
    fx
}

fn statement(s: &Statement, d: Dialect, fx: &mut Effects) {
    let name = |n: &ObjectName| qualified(n, d);
    match s {
        // Data, transactions, sessions, privileges and routines: no table changes shape.
        Statement::Query(_)
        | Statement::Insert(_)
        | Statement::Update { .. }
        | Statement::Delete(_)
        | Statement::Merge { .. }
        | Statement::Copy { .. }
        | Statement::Truncate { .. }
        | Statement::Set(_)
        | Statement::StartTransaction { .. }
        | Statement::Commit { .. }
        | Statement::Rollback { .. }
        | Statement::Savepoint { .. }
        | Statement::ReleaseSavepoint { .. }
        | Statement::Grant { .. }
        | Statement::Revoke { .. }
        | Statement::Analyze { .. }
        | Statement::Explain { .. }
        | Statement::Call(_)
        | Statement::LockTables { .. }
        | Statement::UnlockTables
        | Statement::Vacuum(_)
        | Statement::CreateFunction(_)
        | Statement::DropFunction { .. }
        | Statement::CreateProcedure { .. }
        | Statement::DropProcedure { .. }
        | Statement::CreateTrigger(_)
        | Statement::DropTrigger(_)
        | Statement::CreateView { .. }
        | Statement::AlterView { .. }
        | Statement::CreateSequence { .. }
        | Statement::CreateRole { .. }
        | Statement::CreateSchema { .. }
        | Statement::NOTIFY { .. }
        // SQLite's PRAGMAs set connection state (foreign_keys, journal_mode, ...).
        | Statement::Pragma { .. } => {}
        Statement::CreateTable(t) => fx.tables.push(name(&t.name)),
        Statement::AlterTable {
            name: n,
            operations,
            ..
        } => {
            fx.tables.push(name(n));
            for op in operations {
                if let AlterTableOperation::RenameTable { table_name } = op {
                    let (RenameTableNameKind::As(new) | RenameTableNameKind::To(new)) = table_name;
                    let mut new = name(new);
                    if new.schema.is_none() {
                        new.schema = name(n).schema;
                    }
                    fx.tables.push(new);
                }
            }
        }
        Statement::RenameTable(renames) => {
            for r in renames {
                fx.tables.push(name(&r.old_name));
                fx.tables.push(name(&r.new_name));
            }
        }
        Statement::CreateIndex(i) => fx.tables.push(name(&i.table_name)),
        Statement::AlterIndex { name: n, .. } => fx.indexes.push((name(n), None)),
        Statement::Drop {
            object_type,
            names,
            table,
            ..
        } => match object_type {
            ObjectType::Table => fx.tables.extend(names.iter().map(name)),
            ObjectType::Index => fx
                .indexes
                .extend(names.iter().map(|n| (name(n), table.as_ref().map(name)))),
            ObjectType::Type => fx.enums.extend(names.iter().map(name)),
            ObjectType::View
            | ObjectType::MaterializedView
            | ObjectType::Sequence
            | ObjectType::Role
            | ObjectType::User => {}
            other => {
                fx.uncertain = Some(format!("DROP {other} may drop tables the model has"));
            }
        },
        Statement::Comment {
            object_type,
            object_name,
            ..
        } => match object_type {
            CommentObject::Table => fx.tables.push(name(object_name)),
            CommentObject::Column => {
                let mut parts = object_name.0.clone();
                parts.pop();
                fx.tables.push(name(&ObjectName(parts)));
            }
            _ => {}
        },
        Statement::CreateType { name: n, .. } => fx.enums.push(name(n)),
        Statement::AlterType(t) => fx.enums.push(name(&t.name)),
        Statement::CreateExtension { name: n, .. } => extension(&[n], fx),
        Statement::DropExtension { names, .. } => extension(&names.iter().collect::<Vec<_>>(), fx),
        other => {
            let text = other.to_string();
            let head: Vec<&str> = text.split_whitespace().take(2).collect();
            fx.uncertain = Some(format!(
                "a {} statement is not one the model can follow",
                head.join(" ")
            ));
        }
    }
}

fn extension(names: &[&Ident], fx: &mut Effects) {
    for n in names {
        if !TABLELESS_EXTENSIONS.contains(&n.value.to_lowercase().as_str()) {
            fx.uncertain = Some(format!("extension {} may create or drop tables", n.value));
        }
    }
}

/// An object name as the database resolves it: unquoted PostgreSQL names fold to lower case
/// (MySQL and SQLite fold later, by [`Rules`]).
fn qualified(n: &ObjectName, d: Dialect) -> QualifiedName {
    let mut parts: Vec<String> =
        n.0.iter()
            .map(|p| match p {
                ObjectNamePart::Identifier(i) => ident(i, d),
                other => other.to_string(),
            })
            .collect();
    let name = parts.pop().unwrap_or_default();
    QualifiedName {
        schema: parts.pop(),
        name,
    }
}

fn ident(i: &Ident, d: Dialect) -> String {
    if i.quote_style.is_none() && crate::dialect::of(d).quoted_names_are_exact() {
        i.value.to_lowercase()
    } else {
        i.value.clone()
    }
}
