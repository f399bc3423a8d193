//! SQLite "move and copy": rebuild a table to apply what `ALTER TABLE` cannot (Alembic's batch
//! mode:
//! <https://alembic.sqlalchemy.org/en/latest/batch.html>).
//!
//! The executor introspects the table (`PRAGMA table_info`, `index_list`/`index_info`,
//! `foreign_key_list`, and the `sql` of `sqlite_master`), builds a [`TableDef`] with
//! [`TableDef::from_pragma`] (adding the table's triggers), and runs what [`rebuild`] returns:
//!
//! ```text
//! CREATE TABLE "_migrate_tmp_t" (...new definition...)
//! INSERT INTO "_migrate_tmp_t" (kept columns) SELECT (their sources) FROM "t"
//! DROP TABLE "t"
//! PRAGMA legacy_alter_table = ON
//! ALTER TABLE "_migrate_tmp_t" RENAME TO "t"
//! PRAGMA legacy_alter_table = OFF
//! CREATE INDEX ... (every index that still applies)
//! CREATE TRIGGER ... (the table's triggers, as given)
//! ```
//!
//! With `PRAGMA foreign_keys = ON`, dropping a referenced table fails (deferring does not help:
//! the re-inserted rows live in another table then), so the caller runs the rebuild with
//! `PRAGMA foreign_keys = OFF`, set *before* its transaction starts, and may check
//! `PRAGMA foreign_key_check` afterwards, as SQLite's own ALTER TABLE procedure says.

mod pragma;
mod scan;

pub use pragma::{PragmaColumn, PragmaForeignKey, PragmaIndex};

use crate::dialect::Dialect;
use crate::error::{invalid, Error, Result};
use crate::ops::{Column, Constraint, ConstraintType, IndexColumn, Operation, Table};

const D: Dialect = Dialect::Sqlite;

/// A table as it is now: its definition plus the indexes created with `CREATE INDEX`
/// (including the unique indexes that stand for named unique constraints).
#[derive(Debug, Clone, PartialEq)]
pub struct TableDef {
    /// Columns, primary key, unnamed unique constraints, checks and foreign keys.
    pub table: Table,
    /// Indexes to re-create after the rebuild.
    pub indexes: Vec<IndexDef>,
    /// The table's triggers, each its `CREATE TRIGGER` text from `sqlite_master` (`type =
    /// 'trigger' AND tbl_name = <table>`), re-run after the rebuild.
    pub triggers: Vec<String>,
}

/// An index to re-create after a rebuild.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexDef {
    /// Index name.
    pub name: String,
    /// `UNIQUE`.
    pub unique: bool,
    /// Indexed columns, in order (PRAGMA index_info; expressions are not listed there).
    pub columns: Vec<String>,
    /// The index's own `CREATE INDEX` text from `sqlite_master`, re-run as is when none of its
    /// columns was renamed or dropped (keeps partial and expression indexes exact).
    pub sql: Option<String>,
}

/// One column of the new table and where its data comes from.
struct Slot {
    source: Option<String>,
}

/// The statements that rebuild `def` with `changes` applied, keeping data, indexes and
/// foreign keys. `changes` are operations on that table: `add_column`, `drop_column`,
/// `alter_column`, `create_*`/`drop_constraint`, `create_index`, `drop_index`.
pub fn rebuild(def: &TableDef, changes: &[Operation]) -> Result<Vec<String>> {
    let mut t = def.table.clone();
    t.validate()?;
    let mut indexes = def.indexes.clone();
    // Named unique constraints live as unique indexes on SQLite (see the dialect).
    for u in std::mem::take(&mut t.uniques) {
        match u.name {
            Some(name) => indexes.push(IndexDef {
                name,
                unique: true,
                columns: u.columns,
                sql: None,
            }),
            None => t.uniques.push(u),
        }
    }
    let mut slots: Vec<Slot> = t
        .columns
        .iter()
        .map(|c| Slot {
            source: Some(c.name.clone()),
        })
        .collect();
    for op in changes {
        apply(&mut t, &mut slots, &mut indexes, op)?;
    }
    t.validate()?;

    let name = &def.table.name;
    let tmp_name = name.sibling(&format!("_migrate_tmp_{}", name.name));
    let mut tmp = t.clone();
    tmp.name = tmp_name.clone();
    let mut out = crate::ops::Operation::CreateTable(tmp).render(D)?;
    let (targets, sources): (Vec<String>, Vec<String>) = t
        .columns
        .iter()
        .zip(&slots)
        .filter_map(|(c, s)| s.source.as_ref().map(|src| (c.name.clone(), src.clone())))
        .unzip();
    if !targets.is_empty() {
        out.push(format!(
            "INSERT INTO {} ({}) SELECT {} FROM {}",
            D.quote_name(&tmp_name)?,
            D.ident_list(&targets)?,
            D.ident_list(&sources)?,
            D.quote_name(name)?
        ));
    }
    out.push(format!("DROP TABLE {}", D.quote_name(name)?));
    // Since SQLite 3.26 a rename re-parses every view and trigger of the schema, and a view
    // on the dropped table fails that check; the legacy mode renames without it (nothing
    // refers to the temporary name, so there is nothing to rewrite).
    out.push("PRAGMA legacy_alter_table = ON".to_owned());
    out.push(format!(
        "ALTER TABLE {} RENAME TO {}",
        D.quote_name(&tmp_name)?,
        D.quote_ident(&name.name)?
    ));
    out.push("PRAGMA legacy_alter_table = OFF".to_owned());
    for ix in &indexes {
        out.push(match &ix.sql {
            Some(sql) => sql.clone(),
            None => format!(
                "CREATE {}INDEX {} ON {} ({})",
                if ix.unique { "UNIQUE " } else { "" },
                D.quote_name(&name.sibling(&ix.name))?,
                D.quote_ident(&name.name)?,
                D.ident_list(&ix.columns)?
            ),
        });
    }
    // DROP TABLE took the table's triggers with it.
    out.extend(def.triggers.iter().cloned());
    Ok(out)
}

fn column_mut<'a>(t: &'a mut Table, name: &str) -> Result<(usize, &'a mut Column)> {
    let table = t.name.to_string();
    t.columns
        .iter_mut()
        .enumerate()
        .find(|(_, c)| c.name == name)
        .ok_or_else(|| invalid(format!("table {table} has no column {name:?} to change")))
}

fn rename_in(list: &mut [String], from: &str, to: &str) -> bool {
    let mut hit = false;
    for c in list.iter_mut().filter(|c| *c == from) {
        *c = to.to_owned();
        hit = true;
    }
    hit
}

fn apply(
    t: &mut Table,
    slots: &mut Vec<Slot>,
    ix: &mut Vec<IndexDef>,
    op: &Operation,
) -> Result<()> {
    let target = match op {
        Operation::AddColumn(a) => &a.table,
        Operation::DropColumn(d) => &d.table,
        Operation::AlterColumn(a) => &a.table,
        Operation::AddConstraint(c) => &c.table,
        Operation::DropConstraint(d) => &d.table,
        Operation::CreateIndex(i) => &i.table,
        Operation::DropIndex(d) => &d.table,
        other => {
            return Err(invalid(format!(
                "{} cannot be part of a table rebuild",
                other.describe()
            )))
        }
    };
    if target != &t.name {
        return Err(invalid(format!(
            "{} is about table {target}, not {} which is being rebuilt",
            op.describe(),
            t.name
        )));
    }
    op.validate()?;
    match op {
        Operation::AddColumn(a) => {
            if t.columns.iter().any(|c| c.name == a.column.name) {
                return Err(invalid(format!(
                    "table {} already has a column {:?}",
                    t.name, a.column.name
                )));
            }
            t.columns.push(a.column.clone());
            slots.push(Slot { source: None });
        }
        Operation::DropColumn(d) => {
            let (i, _) = column_mut(t, &d.column)?;
            if t.primary_key_columns().contains(&d.column.as_str()) {
                return Err(invalid(format!(
                    "column {:?} is part of the primary key of {}; drop or change the key first",
                    d.column, t.name
                )));
            }
            t.columns.remove(i);
            slots.remove(i);
            // As PostgreSQL does, what depends on the column goes with it.
            let col = d.column.as_str();
            t.uniques.retain(|u| !u.columns.iter().any(|c| c == col));
            t.foreign_keys
                .retain(|f| !f.columns.iter().any(|c| c == col));
            ix.retain(|i| !i.columns.iter().any(|c| c == col));
        }
        Operation::AlterColumn(a) => {
            let (_, c) = column_mut(t, &a.column)?;
            if let Some(ty) = &a.ty {
                c.ty = ty.clone();
            }
            if let Some(n) = a.nullable {
                c.nullable = n;
            }
            if let Some(d) = &a.default {
                c.default = d.clone();
            }
            if let Some(new) = &a.new_name {
                c.name = new.clone();
                if let Some(fk) = &mut c.references {
                    rename_in(&mut fk.columns, &a.column, new);
                }
                if let Some(pk) = &mut t.primary_key {
                    rename_in(&mut pk.columns, &a.column, new);
                }
                for u in &mut t.uniques {
                    rename_in(&mut u.columns, &a.column, new);
                }
                for f in &mut t.foreign_keys {
                    rename_in(&mut f.columns, &a.column, new);
                }
                for i in ix.iter_mut() {
                    if rename_in(&mut i.columns, &a.column, new) {
                        // The stored text names the old column; regenerate from columns.
                        i.sql = None;
                    }
                }
            }
        }
        Operation::AddConstraint(c) => match &c.constraint {
            Constraint::PrimaryKey(pk) => {
                // AUTOINCREMENT belongs to the old INTEGER PRIMARY KEY.
                for col in &mut t.columns {
                    col.primary_key = false;
                    col.autoincrement = false;
                }
                t.primary_key = Some(pk.clone());
            }
            Constraint::Unique(u) => ix.push(IndexDef {
                name: c.constraint.name().to_owned(),
                unique: true,
                columns: u.columns.clone(),
                sql: None,
            }),
            Constraint::Check(ch) => t.checks.push(ch.clone()),
            Constraint::ForeignKey(fk) => t.foreign_keys.push(fk.clone()),
        },
        Operation::DropConstraint(d) => drop_constraint(t, ix, d)?,
        Operation::CreateIndex(i) => {
            if i.columns.iter().any(|c| matches!(c, IndexColumn::Expr(_)))
                || i.where_clause.is_some()
            {
                ix.push(IndexDef {
                    name: i.name.clone(),
                    unique: i.unique,
                    columns: Vec::new(),
                    sql: Some(crate::dialect::sqlite_index_sql(i)?),
                });
            } else {
                ix.push(IndexDef {
                    name: i.name.clone(),
                    unique: i.unique,
                    columns: i
                        .columns
                        .iter()
                        .filter_map(|c| match c {
                            IndexColumn::Name(n) => Some(n.clone()),
                            IndexColumn::Expr(_) => None,
                        })
                        .collect(),
                    sql: None,
                });
            }
        }
        Operation::DropIndex(d) => {
            let before = ix.len();
            ix.retain(|i| i.name != d.name);
            if ix.len() == before && !d.if_exists {
                return Err(not_found("index", &d.name, t));
            }
        }
        _ => {}
    }
    Ok(())
}

fn not_found(what: &str, name: &str, t: &Table) -> Error {
    invalid(format!(
        "table {} has no {what} named {name:?} in its introspected definition",
        t.name
    ))
}

fn drop_constraint(
    t: &mut Table,
    ix: &mut Vec<IndexDef>,
    d: &crate::ops::DropConstraint,
) -> Result<()> {
    let named = |n: &Option<String>| n.as_deref() == Some(d.name.as_str());
    match d.kind {
        ConstraintType::PrimaryKey => {
            t.primary_key = None;
            for c in &mut t.columns {
                c.primary_key = false;
                c.autoincrement = false;
            }
        }
        ConstraintType::Unique => {
            let before = (ix.len(), t.uniques.len());
            ix.retain(|i| i.name != d.name);
            t.uniques.retain(|u| !named(&u.name));
            if before == (ix.len(), t.uniques.len()) {
                return Err(not_found("unique constraint", &d.name, t));
            }
        }
        ConstraintType::Check => {
            let before = t.checks.len();
            t.checks.retain(|c| !named(&c.name));
            if before == t.checks.len() {
                return Err(not_found("check constraint", &d.name, t));
            }
        }
        ConstraintType::ForeignKey => {
            // PRAGMA foreign_key_list has no names: match by name when known, else by the
            // columns and referenced table of the given definition.
            let by_def = match &d.definition {
                Some(Constraint::ForeignKey(fk)) => Some(fk),
                _ => None,
            };
            let matches = |f: &crate::ops::ForeignKey| {
                named(&f.name)
                    || by_def.is_some_and(|g| {
                        f.name.is_none()
                            && f.columns == g.columns
                            && f.ref_table.name == g.ref_table.name
                    })
            };
            let before = t.foreign_keys.len();
            t.foreign_keys.retain(|f| !matches(f));
            let mut hit = before != t.foreign_keys.len();
            for c in &mut t.columns {
                if c.references.as_ref().is_some_and(&matches) {
                    c.references = None;
                    hit = true;
                }
            }
            if !hit {
                return Err(invalid(format!(
                    "table {} has no foreign key named {:?}; SQLite does not keep foreign key names, so give the drop its definition (.definition(Constraint::ForeignKey(..))) to match it by columns",
                    t.name, d.name
                )));
            }
        }
    }
    Ok(())
}

/// How the executor applies a recorded list on a dialect: each operation rendered on its own,
/// except consecutive SQLite operations on one table that need a rebuild, which share one
/// rebuild (one copy of the table instead of one per change, as Alembic's batch mode does).
#[derive(Debug, Clone, PartialEq)]
pub enum Step<'a> {
    /// Render with [`Operation::render`] and run.
    Render(&'a Operation),
    /// Introspect `table`, then run [`rebuild`] of it with `changes`.
    Rebuild {
        /// The table to rebuild.
        table: &'a crate::ops::QualifiedName,
        /// The operations it applies, in order.
        changes: Vec<Operation>,
    },
}

/// Group `ops` into [`Step`]s for `dialect` (only SQLite ever rebuilds).
///
/// ```
/// use migrate_sql::{plan, Dialect, Operations, Step, Type};
/// let mut op = Operations::default();
/// op.alter_column("users", "a")?.set_nullable(false);
/// op.alter_column("users", "b")?.set_type(Type::Text);
/// op.create_index("ix", "users", &["a"])?;
/// let steps = plan(op.as_slice(), Dialect::Sqlite);
/// assert!(matches!(&steps[0], Step::Rebuild { changes, .. } if changes.len() == 2));
/// assert!(matches!(steps[1], Step::Render(_)));
/// assert_eq!(plan(op.as_slice(), Dialect::Postgres).len(), 3);
/// # Ok::<(), migrate_sql::Error>(())
/// ```
pub fn plan(ops: &[Operation], dialect: Dialect) -> Vec<Step<'_>> {
    let mut steps: Vec<Step<'_>> = Vec::new();
    for op in ops {
        match op.requires_rebuild(dialect) {
            Some(t) => match steps.last_mut() {
                Some(Step::Rebuild { table, changes }) if *table == t => changes.push(op.clone()),
                _ => steps.push(Step::Rebuild {
                    table: t,
                    changes: vec![op.clone()],
                }),
            },
            None => steps.push(Step::Render(op)),
        }
    }
    steps
}
