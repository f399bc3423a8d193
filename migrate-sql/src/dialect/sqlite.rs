//! SQLite: `INTEGER PRIMARY KEY AUTOINCREMENT`, enums as CHECK, no comments, and a table
//! rebuild for what its `ALTER TABLE` cannot do (see [`crate::rebuild`]).

use super::common::{column_def, create_table, drop_table, inline_references};
use super::Dialect;
use crate::error::{Error, Result};
use crate::ops::{Constraint, ConstraintType, Operation, QualifiedName};
use crate::types::Type;
use crate::value::ColumnDefault;

const D: Dialect = Dialect::Sqlite;

pub(super) fn type_sql(ty: &Type) -> Result<String> {
    Ok(match ty {
        Type::Integer => "INTEGER".into(),
        Type::BigInt => "BIGINT".into(),
        Type::SmallInt => "SMALLINT".into(),
        Type::Boolean => "BOOLEAN".into(),
        Type::String(n) => format!("VARCHAR({n})"),
        Type::Text | Type::TimestampTz | Type::Uuid | Type::Json | Type::Jsonb => "TEXT".into(),
        Type::Enum { .. } => "TEXT".into(),
        Type::Float => "REAL".into(),
        Type::Double => "DOUBLE".into(),
        Type::Numeric(p, s) => format!("NUMERIC({p}, {s})"),
        Type::Date => "DATE".into(),
        Type::Time => "TIME".into(),
        Type::Timestamp => "TIMESTAMP".into(),
        Type::Binary => "BLOB".into(),
        Type::Array(_) => {
            return Err(D.unsupported(
                "Type::Array: SQLite has no array columns; use Type::Json for a list",
            ))
        }
        Type::Custom(s) => s.clone(),
    })
}

/// The table to rebuild when SQLite's ALTER TABLE cannot apply `op` in place.
pub(super) fn rebuild_target(op: &Operation) -> Option<&QualifiedName> {
    match op {
        Operation::AlterColumn(a)
            if a.ty.is_some() || a.nullable.is_some() || a.default.is_some() =>
        {
            Some(&a.table)
        }
        // ADD COLUMN refuses PRIMARY KEY, UNIQUE, NOT NULL without a default and
        // non-constant defaults; a rebuild handles them all.
        Operation::AddColumn(a) => {
            let c = &a.column;
            let needs = c.primary_key
                || c.unique
                || c.autoincrement
                || (!c.nullable && c.default.is_none())
                || matches!(
                    c.default,
                    Some(ColumnDefault::Sql(_) | ColumnDefault::Portable(_))
                );
            needs.then_some(&a.table)
        }
        // Native DROP COLUMN refuses columns that are indexed, unique, keys, or used by a
        // foreign key or CHECK; the rebuild drops what depends on the column, as PostgreSQL
        // does.
        Operation::DropColumn(d) => Some(&d.table),
        Operation::AddConstraint(c) if c.constraint.kind() != ConstraintType::Unique => {
            Some(&c.table)
        }
        Operation::DropConstraint(d) if d.kind != ConstraintType::Unique => Some(&d.table),
        _ => None,
    }
}

pub(super) fn render(op: &Operation) -> Result<Vec<String>> {
    if let (Some(table), false) = (rebuild_target(op), matches!(op, Operation::DropColumn(_))) {
        return Err(Error::NeedsRebuild {
            table: table.to_string(),
            operation: op.describe(),
        });
    }
    Ok(match op {
        Operation::CreateTable(t) => create_table(D, t)?,
        Operation::DropTable(d) => vec![drop_table(D, d)?],
        Operation::RenameTable(r) => vec![format!(
            "ALTER TABLE {} RENAME TO {}",
            D.quote_name(&r.table)?,
            D.quote_ident(&r.new_name)?
        )],
        Operation::AddColumn(a) => {
            let mut s = format!(
                "ALTER TABLE {} ADD COLUMN {}",
                D.quote_name(&a.table)?,
                column_def(D, &a.column, false)?
            );
            if let Some(fk) = &a.column.references {
                s.push(' ');
                s.push_str(&inline_references(D, fk)?);
            }
            vec![s]
        }
        // Only a rename or a comment reach here (the rest is a rebuild); SQLite keeps no
        // comments.
        Operation::AlterColumn(a) => match &a.new_name {
            Some(n) => vec![format!(
                "ALTER TABLE {} RENAME COLUMN {} TO {}",
                D.quote_name(&a.table)?,
                D.quote_ident(&a.column)?,
                D.quote_ident(n)?
            )],
            None => Vec::new(),
        },
        Operation::CreateIndex(i) => vec![index_sql(i)?],
        Operation::DropIndex(d) => vec![format!(
            "DROP INDEX {}{}",
            if d.if_exists { "IF EXISTS " } else { "" },
            D.quote_name(&d.table.sibling(&d.name))?
        )],
        // A unique constraint is kept as a unique index, so its name survives PRAGMA
        // introspection and it can be dropped by name.
        Operation::AddConstraint(c) => match &c.constraint {
            Constraint::Unique(u) => vec![format!(
                "CREATE UNIQUE INDEX {} ON {} ({})",
                D.quote_name(&c.table.sibling(c.constraint.name()))?,
                D.quote_ident(&c.table.name)?,
                D.ident_list(&u.columns)?
            )],
            _ => Vec::new(),
        },
        Operation::DropConstraint(d) => vec![format!(
            "DROP INDEX {}",
            D.quote_name(&d.table.sibling(&d.name))?
        )],
        Operation::CreateEnum(_) | Operation::DropEnum(_) | Operation::SetTableComment(_) => {
            Vec::new()
        }
        // Online, the executor rebuilds (see rebuild_target). Offline there is no table to
        // introspect, so the script gets SQLite's own DROP COLUMN, which works unless the
        // column is indexed, unique, a key, or used by a foreign key or CHECK.
        Operation::DropColumn(d) => vec![format!(
            "ALTER TABLE {} DROP COLUMN {}",
            D.quote_name(&d.table)?,
            D.quote_ident(&d.column)?
        )],
        Operation::CreateExtension(_) | Operation::DropExtension(_) => {
            return Err(D.unsupported(format!(
                "{}: only PostgreSQL has extensions; record it only when op.dialect() is Dialect::Postgres",
                op.describe()
            )))
        }
        Operation::AddEnumValue(_) => {
            return Err(D.unsupported(format!(
                "{}: {}",
                op.describe(),
                "SQLite keeps an enum's values in each column's CHECK: change each column with alter_column(..).set_type(Type::enumeration(..)) (a table rebuild)"
            )))
        }
        Operation::Execute { .. } | Operation::BulkInsert { .. } | Operation::Callback { .. } => {
            Vec::new()
        }
    })
}

/// `CREATE INDEX`; SQLite puts the schema on the index name, never on the table.
pub(crate) fn index_sql(i: &crate::ops::Index) -> Result<String> {
    match i.method {
        None | Some(crate::ops::IndexMethod::Btree) => {}
        Some(m) => {
            return Err(D.unsupported(format!(
                "index {} uses {}, which SQLite does not have (every SQLite index is a B-tree); drop .using(..) for this dialect",
                i.name,
                m.name()
            )))
        }
    }
    Ok(format!(
        "CREATE {}INDEX {}{} ON {} ({}){}",
        if i.unique { "UNIQUE " } else { "" },
        if i.if_not_exists {
            "IF NOT EXISTS "
        } else {
            ""
        },
        D.quote_name(&i.table.sibling(&i.name))?,
        D.quote_ident(&i.table.name)?,
        super::postgres::index_columns(D, i)?,
        match &i.where_clause {
            Some(w) => format!(" WHERE {w}"),
            None => String::new(),
        }
    ))
}
