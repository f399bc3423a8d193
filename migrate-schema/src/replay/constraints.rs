//! Index and constraint operations, and the names databases give unnamed constraints (so a
//! `drop_constraint` by such a name finds its constraint).

use super::columns::require_columns;
use crate::error::{Error, ErrorKind};
use crate::{Rules, Schema, Table};
use migrate_sql::{
    AddConstraint, Constraint, ConstraintType, DropConstraint, DropIndex, Operation,
};

impl Schema {
    pub(super) fn drop_index(&mut self, op: &Operation, di: &DropIndex) -> Result<(), Error> {
        let rules = self.rules().clone();
        let imp = rules.imp();
        let mut owner = self.key(&di.table);
        // A (named) unique constraint is an index on MySQL and SQLite.
        let found = |t: &Table| {
            t.index(&di.name, &rules).is_some()
                || (imp.unique_is_index(true) && named(&t.uniques, |u| &u.name, &di.name, &rules))
        };
        if !self.tables.get(&owner).is_some_and(found) && !imp.index_names_per_table() {
            // PostgreSQL and SQLite find an index by name in the whole schema.
            if let Some((k, _)) = self
                .tables
                .iter()
                .find(|(k, t)| k.schema == owner.schema && found(t))
            {
                owner = k.clone();
            }
        }
        let Some(t) = self.tables.get_mut(&owner) else {
            if di.if_exists {
                return Ok(());
            }
            return Err(Error::new(op, ErrorKind::NoTable(di.table.to_string())));
        };
        let before = (t.indexes.len(), t.uniques.len());
        t.indexes.retain(|i| !rules.same_name(&i.name, &di.name));
        if imp.unique_is_index(true) && before.0 == t.indexes.len() {
            // A unique constraint is an index on MySQL and SQLite.
            t.uniques.retain(|u| {
                !u.name
                    .as_deref()
                    .is_some_and(|n| rules.same_name(n, &di.name))
            });
        }
        if before == (t.indexes.len(), t.uniques.len()) && !di.if_exists {
            return Err(Error::new(
                op,
                ErrorKind::NoIndex {
                    table: t.name.to_string(),
                    index: di.name.clone(),
                },
            ));
        }
        Ok(())
    }

    pub(super) fn add_constraint(
        &mut self,
        op: &Operation,
        c: &AddConstraint,
    ) -> Result<(), Error> {
        let rules = self.rules().clone();
        let t = self.get_mut(op, &c.table)?;
        match &c.constraint {
            Constraint::PrimaryKey(pk) => {
                if t.primary_key.is_some() {
                    return Err(Error::new(
                        op,
                        ErrorKind::PrimaryKeyExists(t.name.to_string()),
                    ));
                }
                require_columns(op, t, pk.columns.iter().map(String::as_str), &rules)?;
                for col in &mut t.columns {
                    if pk.columns.iter().any(|k| rules.same_name(k, &col.name)) {
                        col.nullable = false;
                    }
                    // SQLite's rebuild drops AUTOINCREMENT with the old INTEGER PRIMARY KEY.
                    if rules.imp().pk_change_drops_autoincrement() {
                        col.autoincrement = false;
                    }
                }
                t.primary_key = Some(pk.clone());
            }
            Constraint::Unique(u) => {
                require_columns(op, t, u.columns.iter().map(String::as_str), &rules)?;
                t.uniques.push(u.clone());
            }
            Constraint::Check(ch) => t.checks.push(ch.clone()),
            Constraint::ForeignKey(fk) => {
                require_columns(op, t, fk.columns.iter().map(String::as_str), &rules)?;
                t.foreign_keys.push(fk.clone());
            }
        }
        Ok(())
    }

    pub(super) fn drop_constraint(
        &mut self,
        op: &Operation,
        dc: &DropConstraint,
    ) -> Result<(), Error> {
        let rules = self.rules().clone();
        let imp = rules.imp();
        let t = self.get_mut(op, &dc.table)?;
        let table = t.name.name.clone();
        let name = dc.name.as_str();
        let missing = |t: &Table, kind: &'static str| {
            Error::new(
                op,
                ErrorKind::NoConstraint {
                    table: t.name.to_string(),
                    kind,
                    name: name.to_owned(),
                },
            )
        };
        match dc.kind {
            ConstraintType::PrimaryKey => {
                let hit = t.primary_key.as_ref().is_some_and(|pk| {
                    // MySQL and SQLite drop "the" primary key whatever the name.
                    match (imp.generated_pk_name(&table), &pk.name) {
                        (None, _) => true,
                        (Some(_), Some(n)) => n == name,
                        (Some(generated), None) => name == generated,
                    }
                });
                if !hit {
                    return Err(missing(t, "primary key"));
                }
                t.primary_key = None;
                if imp.pk_change_drops_autoincrement() {
                    t.columns.iter_mut().for_each(|c| c.autoincrement = false);
                }
            }
            ConstraintType::Unique => {
                let pos = position(
                    &t.uniques,
                    name,
                    &rules,
                    |u| &u.name,
                    |_, u| imp.generated_unique_names(&table, &u.columns),
                );
                match pos {
                    Some(i) => {
                        t.uniques.remove(i);
                    }
                    // MySQL and SQLite drop a unique index the same way.
                    None if imp.unique_is_index(true) && t.index(name, &rules).is_some() => {
                        t.indexes.retain(|i| !rules.same_name(&i.name, name));
                    }
                    None => return Err(missing(t, "unique constraint")),
                }
            }
            ConstraintType::Check => {
                let columns: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
                let pos = position(
                    &t.checks,
                    name,
                    &rules,
                    |c| &c.name,
                    |i, c| imp.generated_check_names(&table, &c.expr, &columns, i),
                );
                match pos {
                    Some(i) => {
                        t.checks.remove(i);
                    }
                    None => return Err(missing(t, "check constraint")),
                }
            }
            ConstraintType::ForeignKey => {
                let by_def = match &dc.definition {
                    Some(Constraint::ForeignKey(fk)) => Some(fk),
                    _ => None,
                };
                let mut pos = position(
                    &t.foreign_keys,
                    name,
                    &rules,
                    |f| &f.name,
                    |i, f| imp.generated_fk_names(&table, &f.columns, i),
                );
                // SQLite keeps no foreign-key names: its rebuild matches the definition.
                if pos.is_none() && !imp.keeps_fk_names() {
                    pos = by_def.and_then(|g| {
                        t.foreign_keys.iter().position(|f| {
                            f.columns == g.columns && f.ref_table.name == g.ref_table.name
                        })
                    });
                }
                match pos {
                    Some(i) => {
                        let fk = t.foreign_keys.remove(i);
                        // MySQL made an index for the key when none led with its columns, and
                        // keeps it when the key goes (named after the key).
                        let led = |ix: &crate::Index| {
                            ix.columns.len() >= fk.columns.len()
                                && ix.columns.iter().zip(&fk.columns).all(|(c, f)| {
                                    matches!(c, crate::IndexColumn::Name(n) if rules.same_name(n, f))
                                })
                        };
                        if rules.imp().fk_creates_index() && !t.indexes.iter().any(led) {
                            t.indexes.push(crate::Index::new(name, &fk.columns));
                        }
                    }
                    None => return Err(missing(t, "foreign key")),
                }
            }
        }
        Ok(())
    }
}

fn named<T>(
    list: &[T],
    name_of: impl Fn(&T) -> &Option<String>,
    name: &str,
    rules: &Rules,
) -> bool {
    list.iter().any(|x| {
        name_of(x)
            .as_deref()
            .is_some_and(|n| rules.same_name(n, name))
    })
}

/// The position of the constraint called `name`: named so, or unnamed with that generated
/// name (`generated(ordinal among the unnamed, constraint)`).
fn position<T>(
    list: &[T],
    name: &str,
    rules: &Rules,
    name_of: impl Fn(&T) -> &Option<String>,
    generated: impl Fn(usize, &T) -> Vec<String>,
) -> Option<usize> {
    if let Some(p) = list.iter().position(|x| {
        name_of(x)
            .as_deref()
            .is_some_and(|n| rules.same_name(n, name))
    }) {
        return Some(p);
    }
    list.iter()
        .enumerate()
        .filter(|(_, x)| name_of(x).is_none())
        .enumerate()
        .find(|(ordinal, (_, x))| {
            generated(ordinal + 1, x)
                .iter()
                .any(|g| rules.same_name(g, name))
        })
        .map(|(_, (i, _))| i)
}
