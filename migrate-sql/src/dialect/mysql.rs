//! MySQL / MariaDB: `AUTO_INCREMENT`, inline `ENUM(..)` and `COMMENT`, `MODIFY`/`CHANGE` that
//! restate the whole column, and a distinct `DROP` per constraint kind.

use super::common::{
    column_def, constraint_sql, create_table, default_sql, drop_table, literal_list,
};
use super::Dialect;
use crate::error::Result;
use crate::ops::{AlterColumn, Column, ConstraintType, IndexMethod, Operation};
use crate::types::Type;

const D: Dialect = Dialect::Mysql;

pub(super) fn type_sql(ty: &Type) -> Result<String> {
    Ok(match ty {
        Type::Integer => "INT".into(),
        Type::BigInt => "BIGINT".into(),
        Type::SmallInt => "SMALLINT".into(),
        Type::Boolean => "BOOL".into(),
        Type::String(n) => format!("VARCHAR({n})"),
        // Plain TEXT holds 64 KB; `Type::Text` means text of any length, as on the others.
        Type::Text => "LONGTEXT".into(),
        Type::Float => "FLOAT".into(),
        Type::Double => "DOUBLE".into(),
        Type::Numeric(p, s) => format!("NUMERIC({p}, {s})"),
        Type::Date => "DATE".into(),
        Type::Time => "TIME(6)".into(),
        Type::Timestamp | Type::TimestampTz => "DATETIME(6)".into(),
        Type::Uuid => "CHAR(36)".into(),
        Type::Json | Type::Jsonb => "JSON".into(),
        Type::Binary => "LONGBLOB".into(),
        Type::Enum { values, .. } => format!("ENUM({})", literal_list(D, values)?),
        Type::Array(_) => {
            return Err(D.unsupported(
                "Type::Array: MySQL and MariaDB have no array columns; use Type::Json for a list",
            ))
        }
        Type::Custom(s) => s.clone(),
    })
}

/// MySQL's MODIFY/CHANGE replaces the whole column definition, so everything the column keeps
/// must be restated from the `existing_*` values.
fn alter_column(a: &AlterColumn) -> Result<Vec<String>> {
    let table = D.quote_name(&a.table)?;
    let col = D.quote_ident(&a.column)?;
    let restate = a.ty.is_some() || a.nullable.is_some() || a.comment.is_some();
    let mut out = Vec::new();
    if restate {
        let what = format!("alter_column {}.{}", a.table, a.column);
        let ty =
            a.ty.clone()
                .or_else(|| a.existing_type.clone())
                .ok_or_else(|| {
                    D.unsupported(format!(
                        "{what}: MySQL restates the whole column; give .existing_type(..)"
                    ))
                })?;
        let nullable = a.nullable.or(a.existing_nullable).ok_or_else(|| {
            D.unsupported(format!(
                "{what}: MySQL restates the whole column; give .existing_nullable(..)"
            ))
        })?;
        let mut c = Column::new(a.final_name(), ty);
        c.nullable = nullable;
        c.default = a
            .default
            .clone()
            .or_else(|| a.existing_default.clone())
            .flatten();
        c.comment = a
            .comment
            .clone()
            .or_else(|| a.existing_comment.clone())
            .flatten();
        let def = column_def(D, &c, false)?;
        out.push(match &a.new_name {
            Some(_) => format!("ALTER TABLE {table} CHANGE COLUMN {col} {def}"),
            None => format!("ALTER TABLE {table} MODIFY COLUMN {def}"),
        });
    } else {
        match &a.default {
            Some(Some(d)) => out.push(format!(
                "ALTER TABLE {table} ALTER COLUMN {col} SET DEFAULT {}",
                default_sql(D, d, &a.column_type())?
            )),
            Some(None) => out.push(format!(
                "ALTER TABLE {table} ALTER COLUMN {col} DROP DEFAULT"
            )),
            None => {}
        }
        if let Some(n) = &a.new_name {
            out.push(format!(
                "ALTER TABLE {table} RENAME COLUMN {col} TO {}",
                D.quote_ident(n)?
            ));
        }
    }
    Ok(out)
}

pub(super) fn render(op: &Operation) -> Result<Vec<String>> {
    Ok(match op {
        Operation::CreateTable(t) => create_table(D, t)?,
        Operation::DropTable(d) => vec![drop_table(D, d)?],
        Operation::RenameTable(r) => vec![format!(
            "RENAME TABLE {} TO {}",
            D.quote_name(&r.table)?,
            D.quote_name(&r.table.sibling(&r.new_name))?
        )],
        Operation::AddColumn(a) => {
            let mut s = format!(
                "ALTER TABLE {} ADD COLUMN {}",
                D.quote_name(&a.table)?,
                column_def(D, &a.column, a.column.primary_key)?
            );
            // MySQL parses and ignores inline REFERENCES; the key must be its own clause.
            if let Some(fk) = &a.column.references {
                s.push_str(", ADD ");
                s.push_str(&constraint_sql(
                    D,
                    &crate::ops::Constraint::ForeignKey(fk.clone()),
                )?);
            }
            vec![s]
        }
        Operation::DropColumn(d) => {
            // MySQL refuses to drop a column a foreign key uses; drop the key with it when
            // the definition names it.
            let fk = match d.definition.as_ref().and_then(|c| c.references.as_ref()) {
                Some(crate::ops::ForeignKey { name: Some(n), .. }) => {
                    format!("DROP FOREIGN KEY {}, ", D.quote_ident(n)?)
                }
                _ => String::new(),
            };
            vec![format!(
                "ALTER TABLE {} {fk}DROP COLUMN {}",
                D.quote_name(&d.table)?,
                D.quote_ident(&d.column)?
            )]
        }
        Operation::AlterColumn(a) => alter_column(a)?,
        Operation::CreateIndex(i) => {
            if i.where_clause.is_some() {
                return Err(D.unsupported(format!(
                    "index {} is partial (WHERE ..), which MySQL and MariaDB do not have; drop the predicate for this dialect",
                    i.name
                )));
            }
            let using = match i.method {
                None => "",
                Some(IndexMethod::Btree) => " USING BTREE",
                // InnoDB accepts USING HASH and silently builds a B-tree: refuse rather than
                // write SQL that does not do what it says.
                Some(m) => {
                    return Err(D.unsupported(format!(
                        "index {} uses {}, which InnoDB does not build (MySQL and MariaDB index with B-trees); drop .using(..) for this dialect{}",
                        i.name,
                        m.name(),
                        if m == IndexMethod::Gin { ", or use a FULLTEXT index through op.execute" } else { "" }
                    )))
                }
            };
            vec![format!(
                "CREATE {}INDEX {}{} ON {} ({}){using}",
                if i.unique { "UNIQUE " } else { "" },
                if i.if_not_exists {
                    "IF NOT EXISTS "
                } else {
                    ""
                },
                D.quote_ident(&i.name)?,
                D.quote_name(&i.table)?,
                super::postgres::index_columns(D, i)?
            )]
        }
        Operation::DropIndex(d) => vec![format!(
            "DROP INDEX {}{} ON {}",
            if d.if_exists { "IF EXISTS " } else { "" },
            D.quote_ident(&d.name)?,
            D.quote_name(&d.table)?
        )],
        Operation::AddConstraint(c) => vec![format!(
            "ALTER TABLE {} ADD {}",
            D.quote_name(&c.table)?,
            constraint_sql(D, &c.constraint)?
        )],
        Operation::DropConstraint(d) => {
            let name = D.quote_ident(&d.name)?;
            let what = match d.kind {
                ConstraintType::ForeignKey => format!("DROP FOREIGN KEY {name}"),
                ConstraintType::Unique => format!("DROP INDEX {name}"),
                ConstraintType::Check => format!("DROP CONSTRAINT {name}"),
                ConstraintType::PrimaryKey => "DROP PRIMARY KEY".to_owned(),
            };
            vec![format!("ALTER TABLE {} {what}", D.quote_name(&d.table)?)]
        }
        Operation::CreateEnum(_) | Operation::DropEnum(_) => Vec::new(),
        Operation::SetTableComment(c) => vec![format!(
            "ALTER TABLE {} COMMENT = {}",
            D.quote_name(&c.table)?,
            D.string_literal(c.comment.as_deref().unwrap_or(""))?
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
                "MySQL/MariaDB keep an enum's values on each column: change each column with alter_column(..).set_type(Type::enumeration(..)).existing_nullable(..)"
            )))
        }
        Operation::Execute { .. } | Operation::BulkInsert { .. } | Operation::Callback { .. } => {
            Vec::new()
        }
    })
}
