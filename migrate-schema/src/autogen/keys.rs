//! Foreign keys: the `joinable!`s `schema.rs` adds or removes.

use migrate_sql::{ConstraintType, QualifiedName};

use super::compare::{fk_name, invalid, Want};
use super::planner::Planner;
use super::Error;
use crate::diesel_schema::infer::joinables;
use crate::diesel_schema::DieselSchema;
use crate::{Key, Table};

impl Planner<'_> {
    /// Drop the foreign keys `joinable!` would show for the database but `schema.rs` lacks,
    /// between tables both sides have. Returns the database's keys that stay.
    pub(super) fn foreign_keys_to_drop(
        &mut self,
        file: &DieselSchema,
        wants: &[Want<'_>],
        have: &[(&Key, &Table)],
    ) -> Vec<(Key, String, Key)> {
        let actual = self.map.actual;
        let rules = actual.rules();
        let mut kept = Vec::new();
        for fk in joinables(actual) {
            let child_name = QualifiedName {
                schema: fk.child.schema.clone(),
                name: fk.child.sql_name.clone(),
            };
            let parent_name = QualifiedName {
                schema: fk.parent.schema.clone(),
                name: fk.parent.sql_name.clone(),
            };
            let child = rules.table_key(&child_name);
            let parent = rules.table_key(&parent_name);
            let column = fk.columns.first().cloned().unwrap_or_default();
            let in_file = |k: &Key| wants.iter().any(|w| w.key == *k);
            let in_db = |k: &Key| have.iter().any(|(h, _)| **h == *k);
            let wanted = file.joinables.iter().any(|j| {
                let jc = rules.table_key(&QualifiedName {
                    schema: j.schema.clone(),
                    name: j.child.clone(),
                });
                let jp = rules.table_key(&QualifiedName {
                    schema: j.schema.clone(),
                    name: j.parent.clone(),
                });
                jc == child && jp == parent && rules.same_name(&j.column, &column)
            });
            if wanted {
                kept.push((child, column, parent));
                continue;
            }
            // Only between tables schema.rs speaks for (a table it lacks is kept or dropped
            // whole).
            if !(in_file(&child) && in_file(&parent) && in_db(&child)) {
                continue;
            }
            let Some(table) = actual.table(&child_name) else {
                continue;
            };
            let Some(constraint) = table
                .foreign_keys
                .iter()
                .find(|f| f.columns.len() == 1 && rules.same_name(&f.columns[0], &column))
            else {
                continue;
            };
            let Some(name) = constraint.name.clone() else {
                self.plan.notes.push(format!(
                    "table {child_name}: its foreign key on {column} has no name, so it can't be dropped by name; drop it yourself"
                ));
                continue;
            };
            let Ok(drop) =
                self.ops
                    .drop_constraint(&name, child_name.clone(), ConstraintType::ForeignKey)
            else {
                continue;
            };
            drop.definition = Some(migrate_sql::Constraint::ForeignKey(constraint.clone()));
            self.step(
                format!("table {child_name}: foreign key {column} -> {parent_name} dropped"),
                None,
            );
        }
        kept
    }

    /// Add the `joinable!` keys the database lacks, on tables that existed (new tables got
    /// theirs in `CREATE TABLE`).
    pub(super) fn foreign_keys_to_add(
        &mut self,
        file: &DieselSchema,
        wants: &[Want<'_>],
        new: &[&Want<'_>],
        kept: Vec<(Key, String, Key)>,
    ) -> Result<(), Error> {
        let rules = self.map.actual.rules();
        for j in &file.joinables {
            let child = rules.table_key(&QualifiedName {
                schema: j.schema.clone(),
                name: j.child.clone(),
            });
            let parent = rules.table_key(&QualifiedName {
                schema: j.schema.clone(),
                name: j.parent.clone(),
            });
            if new.iter().any(|n| n.key == child) {
                continue;
            }
            if kept
                .iter()
                .any(|(c, col, p)| *c == child && *p == parent && rules.same_name(col, &j.column))
            {
                continue;
            }
            let (Some(cw), Some(pw)) = (
                wants.iter().find(|w| w.key == child),
                wants.iter().find(|w| w.key == parent),
            ) else {
                continue;
            };
            let name = fk_name(&j.child, &j.column);
            self.ops
                .create_foreign_key(
                    &name,
                    cw.name.clone(),
                    pw.name.clone(),
                    &[j.column.as_str()],
                    &pw.primary_key
                        .iter()
                        .map(String::as_str)
                        .collect::<Vec<_>>(),
                )
                .map_err(invalid)?;
            self.step(
                format!("table {}: foreign key {} -> {}", cw.name, j.column, pw.name),
                None,
            );
        }
        Ok(())
    }
}
