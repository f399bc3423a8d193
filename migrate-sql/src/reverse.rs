//! Derived downgrades: the inverse of each recorded operation, when it can be known.

use crate::error::{Error, Result};
use crate::ops::{
    AddColumn, AddConstraint, AlterColumn, CreateEnum, CreateExtension, DropColumn, DropConstraint,
    DropEnum, DropExtension, DropIndex, DropTable, Operation, RenameTable, SetTableComment,
};

impl Operation {
    /// The operations that undo this one, in the order to run them.
    ///
    /// Reversible: create/drop table, add/drop column, rename table, create/drop index,
    /// constraints, enum types and extensions, each drop only when it carries the dropped
    /// definition (an extension's name is its definition);
    /// `alter_column` when every changed property has its `existing_*` value; `execute` with a
    /// reverse statement. Never: `bulk_insert` (which rows to delete is not known), Rust steps,
    /// and `add_enum_value` (PostgreSQL cannot remove an enum value).
    ///
    /// ```
    /// use migrate_sql::{Operation, Operations, Type};
    /// let mut op = Operations::default();
    /// op.add_column("users", "bio", Type::Text)?;
    /// let undo = op.as_slice()[0].reverse()?;
    /// assert!(matches!(&undo[0], Operation::DropColumn(d) if d.column == "bio"));
    /// # Ok::<(), migrate_sql::Error>(())
    /// ```
    pub fn reverse(&self) -> Result<Vec<Operation>> {
        let not = |why: &str| Err(Error::NotReversible(format!("{} ({why})", self.describe())));
        let one = |op: Operation| Ok(vec![op]);
        match self {
            Operation::Execute { sql, reverse } => match reverse {
                Some(r) => one(Operation::Execute {
                    sql: r.clone(),
                    reverse: Some(sql.clone()),
                }),
                None => not("raw SQL without a reverse statement; use execute_reversible"),
            },
            Operation::BulkInsert { .. } => not("the inserted rows are not known to delete"),
            Operation::Callback { .. } => not("Rust code cannot be undone automatically"),
            Operation::CreateTable(t) => one(Operation::DropTable(DropTable {
                table: t.name.clone(),
                if_exists: false,
                definition: Some(t.clone()),
            })),
            Operation::DropTable(d) => match &d.definition {
                Some(t) => one(Operation::CreateTable(t.clone())),
                None => not("its definition was not given; add .definition(|t| ..)"),
            },
            Operation::RenameTable(r) => one(Operation::RenameTable(RenameTable {
                table: r.table.sibling(&r.new_name),
                new_name: r.table.name.clone(),
            })),
            Operation::AddColumn(a) => one(Operation::DropColumn(DropColumn {
                table: a.table.clone(),
                column: a.column.name.clone(),
                definition: Some(a.column.clone()),
            })),
            Operation::DropColumn(d) => match &d.definition {
                Some(c) => one(Operation::AddColumn(AddColumn {
                    table: d.table.clone(),
                    column: c.clone(),
                })),
                None => not("its definition was not given; add .definition(type)"),
            },
            Operation::AlterColumn(a) => reverse_alter(a).map(|r| vec![Operation::AlterColumn(r)]),
            Operation::CreateIndex(i) => one(Operation::DropIndex(DropIndex {
                name: i.name.clone(),
                table: i.table.clone(),
                concurrently: i.concurrently,
                if_exists: false,
                definition: Some(i.clone()),
            })),
            Operation::DropIndex(d) => match &d.definition {
                Some(i) => one(Operation::CreateIndex(i.clone())),
                None => not("its columns were not given; add .definition(&[..])"),
            },
            Operation::AddConstraint(c) => one(Operation::DropConstraint(DropConstraint {
                table: c.table.clone(),
                name: c.constraint.name().to_owned(),
                kind: c.constraint.kind(),
                definition: Some(c.constraint.clone()),
            })),
            Operation::DropConstraint(d) => match &d.definition {
                Some(c) => one(Operation::AddConstraint(AddConstraint {
                    table: d.table.clone(),
                    constraint: c.clone(),
                })),
                None => not("its definition was not given; add .definition(..)"),
            },
            Operation::CreateEnum(e) => one(Operation::DropEnum(DropEnum {
                name: e.name.clone(),
                values: Some(e.values.clone()),
            })),
            Operation::DropEnum(e) => match &e.values {
                Some(v) => one(Operation::CreateEnum(CreateEnum {
                    name: e.name.clone(),
                    values: v.clone(),
                })),
                None => not("its values were not given; add .values(&[..])"),
            },
            Operation::SetTableComment(c) => match &c.existing {
                Some(before) => one(Operation::SetTableComment(SetTableComment {
                    table: c.table.clone(),
                    comment: before.clone(),
                    existing: Some(c.comment.clone()),
                })),
                None => not("the comment before was not given"),
            },
            Operation::CreateExtension(e) => one(Operation::DropExtension(DropExtension {
                name: e.name.clone(),
                if_exists: e.if_not_exists,
            })),
            Operation::DropExtension(e) => one(Operation::CreateExtension(CreateExtension {
                name: e.name.clone(),
                schema: None,
                if_not_exists: e.if_exists,
            })),
            Operation::AddEnumValue(_) => not("PostgreSQL cannot remove a value from an enum type"),
        }
    }
}

/// Each changed property needs its value from before; the reverse's `existing_*` values are
/// this change's new ones, so the reverse is reversible (and restatable on MySQL) too.
fn reverse_alter(a: &AlterColumn) -> Result<AlterColumn> {
    let missing = |what: &str| {
        Error::NotReversible(format!(
            "alter_column {}.{} (the {what} before was not given; add .existing_{what}(..))",
            a.table, a.column
        ))
    };
    let mut r = AlterColumn {
        table: a.table.clone(),
        column: a.final_name().to_owned(),
        new_name: a.new_name.as_ref().map(|_| a.column.clone()),
        ..AlterColumn::default()
    };
    if let Some(ty) = &a.ty {
        r.ty = Some(a.existing_type.clone().ok_or_else(|| missing("type"))?);
        r.existing_type = Some(ty.clone());
    } else {
        r.existing_type = a.existing_type.clone();
    }
    if let Some(n) = a.nullable {
        r.nullable = Some(a.existing_nullable.ok_or_else(|| missing("nullable"))?);
        r.existing_nullable = Some(n);
    } else {
        r.existing_nullable = a.existing_nullable;
    }
    if let Some(d) = &a.default {
        r.default = Some(
            a.existing_default
                .clone()
                .ok_or_else(|| missing("default"))?,
        );
        r.existing_default = Some(d.clone());
    } else {
        r.existing_default = a.existing_default.clone();
    }
    if let Some(c) = &a.comment {
        r.comment = Some(
            a.existing_comment
                .clone()
                .ok_or_else(|| missing("comment"))?,
        );
        r.existing_comment = Some(c.clone());
    } else {
        r.existing_comment = a.existing_comment.clone();
    }
    Ok(r)
}

/// The downgrade derived from an upgrade's operations: each reversed, in reverse order.
/// Fails with [`Error::NotReversible`] naming the first operation (from the end) that has no
/// inverse, before anything runs.
///
/// Index and constraint drops on a table the downgrade then drops are left out: dropping the
/// table drops them, and MySQL/MariaDB refuse to drop an index a foreign key of the table
/// still needs.
pub fn reverse_all(ops: &[Operation]) -> Result<Vec<Operation>> {
    let mut out = Vec::with_capacity(ops.len());
    for op in ops.iter().rev() {
        out.extend(op.reverse()?);
    }
    Ok(omit_drops_covered_by_table_drops(out))
}

/// Leave out each `drop_index` / `drop_constraint` on a table that a later `drop_table` in
/// `ops` drops anyway. Looking back from the table drop, the search stops at anything after
/// which the name may denote another table or the table may have changed in unknown ways: a
/// rename to or from it, its creation or drop, raw SQL and Rust steps.
fn omit_drops_covered_by_table_drops(ops: Vec<Operation>) -> Vec<Operation> {
    let mut keep = vec![true; ops.len()];
    for (j, op) in ops.iter().enumerate() {
        let Operation::DropTable(dropped) = op else {
            continue;
        };
        let table = &dropped.table;
        for i in (0..j).rev() {
            match &ops[i] {
                Operation::DropIndex(d) if &d.table == table => keep[i] = false,
                Operation::DropConstraint(d) if &d.table == table => keep[i] = false,
                Operation::RenameTable(r)
                    if &r.table == table || r.table.sibling(&r.new_name) == *table =>
                {
                    break
                }
                Operation::CreateTable(t) if &t.name == table => break,
                Operation::DropTable(d) if &d.table == table => break,
                Operation::Execute { .. } | Operation::Callback { .. } => break,
                _ => {}
            }
        }
    }
    ops.into_iter()
        .zip(keep)
        .filter_map(|(op, keep)| keep.then_some(op))
        .collect()
}
