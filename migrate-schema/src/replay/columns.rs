//! Column operations: add, drop, alter (type, nullability, default, name, comment).

use super::resolve;
use crate::error::{Error, ErrorKind};
use crate::normalize::{rename_ident, tokens::mentions};
use crate::{Column, ForeignKey, Rules, Schema, Table, UniqueConstraint};
use migrate_sql::{AlterColumn, IndexColumn, Operation, QualifiedName};

/// Every name in `names` is a column of `t`.
pub(crate) fn require_columns<'a>(
    op: &Operation,
    t: &Table,
    mut names: impl Iterator<Item = &'a str>,
    rules: &Rules,
) -> Result<(), Error> {
    match names.find(|n| t.column(n, rules).is_none()) {
        Some(missing) => Err(no_column(op, t, missing)),
        None => Ok(()),
    }
}

pub(crate) fn no_column(op: &Operation, t: &Table, column: &str) -> Error {
    Error::new(
        op,
        ErrorKind::NoColumn {
            table: t.name.to_string(),
            column: column.to_owned(),
        },
    )
}

impl Schema {
    pub(super) fn add_column(
        &mut self,
        op: &Operation,
        table: &QualifiedName,
        c: &migrate_sql::Column,
    ) -> Result<(), Error> {
        let rules = self.rules().clone();
        let t = self.get_mut(op, table)?;
        if t.column(&c.name, &rules).is_some() {
            return Err(Error::new(
                op,
                ErrorKind::ColumnExists {
                    table: t.name.to_string(),
                    column: c.name.clone(),
                },
            ));
        }
        if c.primary_key && t.primary_key.is_some() {
            return Err(Error::new(
                op,
                ErrorKind::PrimaryKeyExists(t.name.to_string()),
            ));
        }
        t.columns.push(Column::from_definition(c));
        if c.primary_key {
            t.primary_key = Some(migrate_sql::PrimaryKey {
                name: None,
                columns: vec![c.name.clone()],
            });
        }
        if c.unique {
            t.uniques.push(UniqueConstraint {
                name: None,
                columns: vec![c.name.clone()],
            });
        }
        if let Some(fk) = &c.references {
            t.foreign_keys.push(fk.clone());
        }
        Ok(())
    }

    pub(super) fn drop_column(
        &mut self,
        op: &Operation,
        table: &QualifiedName,
        column: &str,
    ) -> Result<(), Error> {
        let rules = self.rules().clone();
        let d = rules.dialect;
        let t = self.get_mut(op, table)?;
        let Some(pos) = t
            .columns
            .iter()
            .position(|c| rules.same_name(&c.name, column))
        else {
            return Err(no_column(op, t, column));
        };
        let same = |c: &String| rules.same_name(c, column);
        if rules.imp().refuses_dropping_key_column() && t.primary_key_columns().iter().any(same) {
            // migrate-sql's SQLite rebuild refuses this.
            return Err(Error::new(
                op,
                ErrorKind::KeyColumn {
                    table: t.name.to_string(),
                    column: column.to_owned(),
                },
            ));
        }
        t.columns.remove(pos);
        let folded = rules.fold_name(column);
        let expr_mentions = |sql: &str| mentions(sql, &folded, d);
        if rules.imp().drop_column_shrinks_indexes() {
            // MySQL takes the column out of each index (and key), dropping those left empty.
            if let Some(pk) = &mut t.primary_key {
                pk.columns.retain(|c| !same(c));
                if pk.columns.is_empty() {
                    t.primary_key = None;
                }
            }
            for u in &mut t.uniques {
                u.columns.retain(|c| !same(c));
            }
            t.uniques.retain(|u| !u.columns.is_empty());
            for ix in &mut t.indexes {
                ix.columns.retain(|c| match c {
                    IndexColumn::Name(n) => !same(n),
                    IndexColumn::Expr(e) => !expr_mentions(e),
                });
            }
            t.indexes.retain(|i| !i.columns.is_empty());
        } else {
            // PostgreSQL (and SQLite's rebuild) drop whatever uses the column.
            if t.primary_key_columns().iter().any(same) {
                t.primary_key = None;
            }
            t.uniques.retain(|u| !u.columns.iter().any(same));
            t.indexes.retain(|i| {
                !i.columns.iter().any(|c| match c {
                    IndexColumn::Name(n) => same(n),
                    IndexColumn::Expr(e) => expr_mentions(e),
                }) && !i.include.iter().any(same)
                    && !i.predicate.as_deref().is_some_and(expr_mentions)
            });
        }
        t.foreign_keys.retain(|f| !f.columns.iter().any(same));
        t.checks.retain(|c| !expr_mentions(&c.expr));
        Ok(())
    }

    pub(super) fn alter_column(&mut self, op: &Operation, a: &AlterColumn) -> Result<(), Error> {
        let rules = self.rules().clone();
        let t = self.get_mut(op, &a.table)?;
        if t.column(&a.column, &rules).is_none() {
            return Err(no_column(op, t, &a.column));
        }
        if let Some(new) = &a.new_name {
            if !rules.same_name(new, &a.column) && t.column(new, &rules).is_some() {
                return Err(Error::new(
                    op,
                    ErrorKind::ColumnExists {
                        table: t.name.to_string(),
                        column: new.clone(),
                    },
                ));
            }
        }
        let Some(c) = t.column_mut(&a.column, &rules) else {
            return Err(Error::new(op, ErrorKind::NoTable(a.table.to_string())));
        };
        let restate = rules.imp().alter_restates_column()
            && (a.ty.is_some() || a.nullable.is_some() || a.comment.is_some());
        if restate {
            // MySQL's MODIFY/CHANGE replaces the whole definition: what the operation does
            // not restate (from its `existing_*` values) is lost, AUTO_INCREMENT included.
            if let Some(ty) = a.ty.clone().or_else(|| a.existing_type.clone()) {
                c.ty = ty;
            }
            if let Some(n) = a.nullable.or(a.existing_nullable) {
                c.nullable = n;
            }
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
            c.autoincrement = false;
        } else {
            if let Some(ty) = &a.ty {
                c.ty = ty.clone();
            }
            if let Some(n) = a.nullable {
                c.nullable = n;
            }
            if let Some(def) = &a.default {
                c.default = def.clone();
            }
            if let Some(cm) = &a.comment {
                c.comment = cm.clone();
            }
        }
        if let Some(new) = &a.new_name {
            c.name = new.clone();
            let table = t.name.clone();
            self.rename_column_refs(&table, &a.column, new);
        }
        Ok(())
    }

    /// After a column rename: the table's keys, indexes and checks, and other tables'
    /// foreign keys, name the new column (every dialect rewrites them).
    fn rename_column_refs(&mut self, table: &QualifiedName, old: &str, new: &str) {
        let rules = self.rules().clone();
        let d = rules.dialect;
        let key = rules.table_key(table);
        let folded = rules.fold_name(old);
        let ren = |list: &mut Vec<String>| {
            for c in list.iter_mut().filter(|c| rules.same_name(c, old)) {
                *c = new.to_owned();
            }
        };
        let ren_sql = |sql: &mut String| *sql = rename_ident(sql, &folded, new, d);
        for (k, t) in self.tables.iter_mut() {
            let from = t.name.clone();
            for fk in &mut t.foreign_keys {
                if rules.table_key(&resolve(&fk.ref_table, &from, d)) == key {
                    ren(&mut fk.ref_columns);
                }
            }
            if *k != key {
                continue;
            }
            if let Some(pk) = &mut t.primary_key {
                ren(&mut pk.columns);
            }
            t.uniques.iter_mut().for_each(|u| ren(&mut u.columns));
            t.foreign_keys
                .iter_mut()
                .for_each(|f: &mut ForeignKey| ren(&mut f.columns));
            for ix in &mut t.indexes {
                for c in &mut ix.columns {
                    match c {
                        IndexColumn::Name(n) if rules.same_name(n, old) => *n = new.to_owned(),
                        IndexColumn::Expr(e) => ren_sql(e),
                        IndexColumn::Name(_) => {}
                    }
                }
                ren(&mut ix.include);
                if let Some(p) = &mut ix.predicate {
                    ren_sql(p);
                }
            }
            for ch in &mut t.checks {
                ren_sql(&mut ch.expr);
            }
        }
    }
}
