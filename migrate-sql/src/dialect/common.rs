//! Rendering shared by the dialects: column definitions, CREATE TABLE, constraints, INSERT.

use super::base::SqlDialect;
use crate::error::Result;
use crate::ops::{
    Column, Constraint, DropTable, ForeignKey, Index, IndexColumn, QualifiedName, Table,
};
use crate::types::Type;
use crate::value::Value;

/// The standard SQL name of each type every dialect spells the same way (PostgreSQL's),
/// the base that each dialect's `type_sql` falls back to.
pub(super) fn standard_type_sql<D: SqlDialect + ?Sized>(d: &D, ty: &Type) -> Result<String> {
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
        Type::Custom(s) => s.clone(),
        other => {
            return Err(d.unsupported(&format!(
                "{other:?} has no standard SQL spelling and this dialect gives none"
            )))
        }
    })
}

/// Columns quoted, expressions in parentheses (as PostgreSQL, SQLite and MySQL 8 want them).
pub(super) fn index_columns<D: SqlDialect + ?Sized>(d: &D, i: &Index) -> Result<String> {
    Ok(i.columns
        .iter()
        .map(|c| match c {
            IndexColumn::Name(n) => d.quote_ident(n),
            IndexColumn::Expr(e) => Ok(format!("({e})")),
        })
        .collect::<Result<Vec<_>>>()?
        .join(", "))
}

/// A column definition. `inline_pk` writes `PRIMARY KEY` on the column itself.
pub(super) fn column_def<D: SqlDialect + ?Sized>(
    d: &D,
    col: &Column,
    inline_pk: bool,
) -> Result<String> {
    let mut s = d.quote_ident(&col.name)?;
    s.push(' ');
    let whole = col.autoincrement.then(|| d.autoincrement_type()).flatten();
    match whole {
        Some(spelling) => s.push_str(spelling),
        None => s.push_str(&d.type_sql(&col.ty)?),
    }
    if col.autoincrement {
        s.push_str(d.autoincrement_after_type());
    }
    if !col.nullable {
        s.push_str(" NOT NULL");
    }
    if let Some(def) = &col.default {
        s.push_str(" DEFAULT ");
        s.push_str(&d.default_clause(def, &col.ty)?);
    }
    if col.autoincrement {
        s.push_str(d.autoincrement_after_default());
    }
    if inline_pk && whole.is_none() {
        s.push_str(" PRIMARY KEY");
    }
    if col.unique {
        s.push_str(" UNIQUE");
    }
    s.push_str(&d.column_suffix(col)?);
    Ok(s)
}

pub(super) fn literal_list<D: SqlDialect + ?Sized>(d: &D, values: &[String]) -> Result<String> {
    Ok(values
        .iter()
        .map(|v| d.string_literal(v))
        .collect::<Result<Vec<_>>>()?
        .join(", "))
}

fn constraint_prefix<D: SqlDialect + ?Sized>(d: &D, name: &Option<String>) -> Result<String> {
    Ok(match name {
        Some(n) => format!("CONSTRAINT {} ", d.quote_ident(n)?),
        None => String::new(),
    })
}

/// `FOREIGN KEY (..) REFERENCES t (..) [ON DELETE ..] [ON UPDATE ..]`, without the name.
pub(super) fn fk_body<D: SqlDialect + ?Sized>(d: &D, fk: &ForeignKey) -> Result<String> {
    Ok(format!(
        "FOREIGN KEY ({}) {}",
        d.ident_list(&fk.columns)?,
        references(d, fk)?
    ))
}

/// `REFERENCES t (..) [ON DELETE ..] [ON UPDATE ..]`.
fn references<D: SqlDialect + ?Sized>(d: &D, fk: &ForeignKey) -> Result<String> {
    let target = d.references_target(fk)?;
    // No column list: the referenced table's primary key.
    let mut s = if fk.ref_columns.is_empty() {
        format!("REFERENCES {target}")
    } else {
        format!("REFERENCES {target} ({})", d.ident_list(&fk.ref_columns)?)
    };
    if let Some(a) = fk.on_delete {
        s.push_str(" ON DELETE ");
        s.push_str(a.sql());
    }
    if let Some(a) = fk.on_update {
        s.push_str(" ON UPDATE ");
        s.push_str(a.sql());
    }
    Ok(s)
}

/// `[CONSTRAINT n] REFERENCES t (c) [ON DELETE ..]`, for a column added to an existing table.
pub(super) fn inline_references<D: SqlDialect + ?Sized>(d: &D, fk: &ForeignKey) -> Result<String> {
    Ok(format!(
        "{}{}",
        constraint_prefix(d, &fk.name)?,
        references(d, fk)?
    ))
}

/// A constraint clause as written in CREATE TABLE or after `ADD`.
pub(super) fn constraint_sql<D: SqlDialect + ?Sized>(d: &D, c: &Constraint) -> Result<String> {
    Ok(match c {
        Constraint::PrimaryKey(pk) => format!(
            "{}PRIMARY KEY ({})",
            constraint_prefix(d, &pk.name)?,
            d.ident_list(&pk.columns)?
        ),
        Constraint::Unique(u) => format!(
            "{}UNIQUE ({})",
            constraint_prefix(d, &u.name)?,
            d.ident_list(&u.columns)?
        ),
        Constraint::Check(ch) => {
            format!("{}CHECK ({})", constraint_prefix(d, &ch.name)?, ch.expr)
        }
        Constraint::ForeignKey(fk) => {
            format!("{}{}", constraint_prefix(d, &fk.name)?, fk_body(d, fk)?)
        }
    })
}

/// `DROP TABLE [IF EXISTS] name`, the same in every dialect.
pub(super) fn drop_table<D: SqlDialect + ?Sized>(d: &D, t: &DropTable) -> Result<String> {
    Ok(format!(
        "DROP TABLE {}{}",
        if t.if_exists { "IF EXISTS " } else { "" },
        d.quote_name(&t.table)?
    ))
}

/// `CREATE TABLE` plus what the dialect states separately (comments, named unique
/// constraints kept as unique indexes).
pub(super) fn create_table<D: SqlDialect + ?Sized>(d: &D, t: &Table) -> Result<Vec<String>> {
    let name = d.quote_name(&t.name)?;
    let pk_cols = t.primary_key_columns();
    let inline_pk = match t.columns.iter().find(|c| c.autoincrement) {
        Some(a) => d.check_autoincrement(t, a, &pk_cols)?,
        None => false,
    };
    let mut lines = Vec::new();
    for c in &t.columns {
        // Key columns are NOT NULL everywhere; SQLite alone would otherwise allow NULL in a
        // non-INTEGER primary key.
        if c.nullable && pk_cols.contains(&c.name.as_str()) {
            let mut c = c.clone();
            c.nullable = false;
            lines.push(column_def(d, &c, false)?);
        } else {
            lines.push(column_def(d, c, false)?);
        }
    }
    if !pk_cols.is_empty() && !inline_pk {
        let pk = crate::ops::PrimaryKey {
            name: t.primary_key.as_ref().and_then(|p| p.name.clone()),
            columns: pk_cols.iter().map(|s| (*s).to_owned()).collect(),
        };
        lines.push(constraint_sql(d, &Constraint::PrimaryKey(pk))?);
    }
    let mut after = Vec::new();
    for u in &t.uniques {
        match &u.name {
            Some(n) if d.named_unique_as_index() => after.push(format!(
                "CREATE UNIQUE INDEX {} ON {} ({})",
                d.quote_name(&t.name.sibling(n))?,
                d.quote_ident(&t.name.name)?,
                d.ident_list(&u.columns)?
            )),
            _ => lines.push(constraint_sql(d, &Constraint::Unique(u.clone()))?),
        }
    }
    for c in &t.checks {
        lines.push(constraint_sql(d, &Constraint::Check(c.clone()))?);
    }
    for fk in t.all_foreign_keys() {
        lines.push(constraint_sql(d, &Constraint::ForeignKey(fk.clone()))?);
    }
    let if_not_exists = if t.if_not_exists {
        "IF NOT EXISTS "
    } else {
        ""
    };
    let create = format!(
        "CREATE TABLE {if_not_exists}{name} (\n    {}\n){}",
        lines.join(",\n    "),
        d.table_suffix(t)?
    );
    let mut out = vec![create];
    out.extend(d.after_create_table(t)?);
    out.extend(after);
    Ok(out)
}

/// `INSERT`s for `rows`, values escaped: one per row, or multi-row `INSERT`s where the dialect
/// batches them ([`SqlDialect::insert_batch`]: MySQL/MariaDB, where a statement is a round
/// trip and a row-at-a-time insert of 10k rows takes seconds).
pub(super) fn bulk_insert(
    d: &dyn SqlDialect,
    schema: Option<&str>,
    table: &str,
    columns: &[String],
    rows: &[Vec<Value>],
) -> Result<Vec<String>> {
    let name = d.quote_name(&QualifiedName {
        schema: schema.map(str::to_owned),
        name: table.to_owned(),
    })?;
    let cols = d.ident_list(columns)?;
    let head = format!("INSERT INTO {name} ({cols}) VALUES ");
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_current = 0;
    for row in rows {
        let values = row
            .iter()
            .map(|v| d.literal(v))
            .collect::<Result<Vec<_>>>()?
            .join(", ");
        let Some((max_rows, max_bytes)) = d.insert_batch() else {
            out.push(format!("{head}({values})"));
            continue;
        };
        let full = in_current == max_rows
            || (in_current > 0 && current.len() + values.len() + 4 > max_bytes);
        if full {
            out.push(std::mem::take(&mut current));
            in_current = 0;
        }
        if in_current == 0 {
            current.push_str(&head);
        } else {
            current.push_str(", ");
        }
        current.push('(');
        current.push_str(&values);
        current.push(')');
        in_current += 1;
    }
    if in_current > 0 {
        out.push(current);
    }
    Ok(out)
}
