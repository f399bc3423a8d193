//! PostgreSQL: identity columns, `COMMENT ON`, `CREATE TYPE ... AS ENUM`, `USING` on type
//! changes, `CONCURRENTLY` indexes.

use super::common::{
    column_def, constraint_sql, create_table, default_sql, drop_table, inline_references,
    literal_list,
};
use super::Dialect;
use crate::error::Result;
use crate::ops::{AlterColumn, EnumPosition, Index, IndexColumn, Operation, QualifiedName};
use crate::types::Type;

const D: Dialect = Dialect::Postgres;

pub(super) fn type_sql(ty: &Type) -> Result<String> {
    Ok(match ty {
        Type::Integer => "INTEGER".into(),
        Type::BigInt => "BIGINT".into(),
        Type::SmallInt => "SMALLINT".into(),
        Type::Boolean => "BOOLEAN".into(),
        Type::String(n) => format!("VARCHAR({n})"),
        Type::Text => "TEXT".into(),
        Type::Float => "REAL".into(),
        Type::Double => "DOUBLE PRECISION".into(),
        Type::Numeric(p, s) => format!("NUMERIC({p}, {s})"),
        Type::Date => "DATE".into(),
        Type::Time => "TIME".into(),
        Type::Timestamp => "TIMESTAMP".into(),
        Type::TimestampTz => "TIMESTAMPTZ".into(),
        Type::Uuid => "UUID".into(),
        Type::Json => "JSON".into(),
        Type::Jsonb => "JSONB".into(),
        Type::Binary => "BYTEA".into(),
        Type::Enum { name, .. } => D.quote_ident(name)?,
        // PostgreSQL does not enforce dimensions: `INTEGER[][]` is the type `INTEGER[]`.
        Type::Array(elem) => match elem.as_ref() {
            Type::Array(_) => type_sql(elem)?,
            other => format!("{}[]", type_sql(other)?),
        },
        Type::Custom(s) => s.clone(),
    })
}

pub(super) fn index_sql(i: &Index) -> Result<String> {
    let cols = index_columns(D, i)?;
    Ok(format!(
        "CREATE {}INDEX {}{}{} ON {}{} ({cols}){}",
        if i.unique { "UNIQUE " } else { "" },
        if i.concurrently { "CONCURRENTLY " } else { "" },
        if i.if_not_exists {
            "IF NOT EXISTS "
        } else {
            ""
        },
        D.quote_ident(&i.name)?,
        D.quote_name(&i.table)?,
        match i.method {
            Some(m) => format!(" USING {}", m.name()),
            None => String::new(),
        },
        match &i.where_clause {
            Some(w) => format!(" WHERE {w}"),
            None => String::new(),
        }
    ))
}

/// Columns quoted, expressions in parentheses (as PostgreSQL, SQLite and MySQL 8 want them).
pub(super) fn index_columns(d: Dialect, i: &Index) -> Result<String> {
    Ok(i.columns
        .iter()
        .map(|c| match c {
            IndexColumn::Name(n) => d.quote_ident(n),
            IndexColumn::Expr(e) => Ok(format!("({e})")),
        })
        .collect::<Result<Vec<_>>>()?
        .join(", "))
}

fn comment_on_column(table: &QualifiedName, column: &str, c: Option<&str>) -> Result<String> {
    Ok(format!(
        "COMMENT ON COLUMN {}.{} IS {}",
        D.quote_name(table)?,
        D.quote_ident(column)?,
        match c {
            Some(c) => D.string_literal(c)?,
            None => "NULL".into(),
        }
    ))
}

fn alter_column(a: &AlterColumn) -> Result<Vec<String>> {
    let table = D.quote_name(&a.table)?;
    let col = D.quote_ident(&a.column)?;
    let mut actions = Vec::new();
    if let Some(ty) = &a.ty {
        let mut s = format!("ALTER COLUMN {col} TYPE {}", type_sql(ty)?);
        if let Some(u) = &a.using {
            s.push_str(&format!(" USING {u}"));
        }
        actions.push(s);
    }
    if let Some(n) = a.nullable {
        let verb = if n { "DROP" } else { "SET" };
        actions.push(format!("ALTER COLUMN {col} {verb} NOT NULL"));
    }
    match &a.default {
        Some(Some(d)) => actions.push(format!(
            "ALTER COLUMN {col} SET DEFAULT {}",
            default_sql(D, d, &a.column_type())?
        )),
        Some(None) => actions.push(format!("ALTER COLUMN {col} DROP DEFAULT")),
        None => {}
    }
    let mut out = Vec::new();
    if !actions.is_empty() {
        out.push(format!("ALTER TABLE {table} {}", actions.join(", ")));
    }
    if let Some(n) = &a.new_name {
        out.push(format!(
            "ALTER TABLE {table} RENAME COLUMN {col} TO {}",
            D.quote_ident(n)?
        ));
    }
    if let Some(c) = &a.comment {
        out.push(comment_on_column(&a.table, a.final_name(), c.as_deref())?);
    }
    Ok(out)
}

pub(super) fn render(op: &Operation) -> Result<Vec<String>> {
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
                column_def(D, &a.column, a.column.primary_key)?
            );
            if let Some(fk) = &a.column.references {
                s.push(' ');
                s.push_str(&inline_references(D, fk)?);
            }
            let mut out = vec![s];
            if let Some(c) = &a.column.comment {
                out.push(comment_on_column(&a.table, &a.column.name, Some(c))?);
            }
            out
        }
        Operation::DropColumn(d) => vec![format!(
            "ALTER TABLE {} DROP COLUMN {}",
            D.quote_name(&d.table)?,
            D.quote_ident(&d.column)?
        )],
        Operation::AlterColumn(a) => alter_column(a)?,
        Operation::CreateIndex(i) => vec![index_sql(i)?],
        Operation::DropIndex(d) => vec![format!(
            "DROP INDEX {}{}{}",
            if d.concurrently { "CONCURRENTLY " } else { "" },
            if d.if_exists { "IF EXISTS " } else { "" },
            D.quote_name(&d.table.sibling(&d.name))?
        )],
        Operation::AddConstraint(c) => vec![format!(
            "ALTER TABLE {} ADD {}",
            D.quote_name(&c.table)?,
            constraint_sql(D, &c.constraint)?
        )],
        Operation::DropConstraint(d) => vec![format!(
            "ALTER TABLE {} DROP CONSTRAINT {}",
            D.quote_name(&d.table)?,
            D.quote_ident(&d.name)?
        )],
        Operation::CreateEnum(e) => vec![format!(
            "CREATE TYPE {} AS ENUM ({})",
            D.quote_name(&e.name)?,
            literal_list(D, &e.values)?
        )],
        Operation::DropEnum(e) => vec![format!("DROP TYPE {}", D.quote_name(&e.name)?)],
        Operation::SetTableComment(c) => vec![format!(
            "COMMENT ON TABLE {} IS {}",
            D.quote_name(&c.table)?,
            match &c.comment {
                Some(c) => D.string_literal(c)?,
                None => "NULL".into(),
            }
        )],
        Operation::CreateExtension(e) => {
            let mut s = format!(
                "CREATE EXTENSION {}{}",
                if e.if_not_exists {
                    "IF NOT EXISTS "
                } else {
                    ""
                },
                D.quote_ident(&e.name)?
            );
            if let Some(schema) = &e.schema {
                s.push_str(&format!(" WITH SCHEMA {}", D.quote_ident(schema)?));
            }
            vec![s]
        }
        Operation::DropExtension(e) => vec![format!(
            "DROP EXTENSION {}{}",
            if e.if_exists { "IF EXISTS " } else { "" },
            D.quote_ident(&e.name)?
        )],
        Operation::AddEnumValue(e) => {
            let mut s = format!(
                "ALTER TYPE {} ADD VALUE {}{}",
                D.quote_name(&e.name)?,
                if e.if_not_exists {
                    "IF NOT EXISTS "
                } else {
                    ""
                },
                D.string_literal(&e.value)?
            );
            match &e.position {
                Some(EnumPosition::Before(v)) => {
                    s.push_str(&format!(" BEFORE {}", D.string_literal(v)?))
                }
                Some(EnumPosition::After(v)) => {
                    s.push_str(&format!(" AFTER {}", D.string_literal(v)?))
                }
                None => {}
            }
            vec![s]
        }
        Operation::Execute { .. } | Operation::BulkInsert { .. } | Operation::Callback { .. } => {
            Vec::new()
        }
    })
}
