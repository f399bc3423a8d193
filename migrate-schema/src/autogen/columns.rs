//! Columns of a table both sides have: added, dropped, renamed, changed.

use migrate_sql::Column as DslColumn;

use super::compare::{default_of, invalid, narrows, Want};
use super::planner::Planner;
use super::Error;
use crate::diesel_schema::DieselColumn;
use crate::{Column, Table};

impl Planner<'_> {
    pub(super) fn columns(
        &mut self,
        have: &Table,
        want: &Want<'_>,
        rules: &crate::Rules,
    ) -> Result<(), Error> {
        let mut added: Vec<&DieselColumn> = want
            .columns
            .iter()
            .copied()
            .filter(|c| have.column(&c.name, rules).is_none())
            .collect();
        let mut dropped: Vec<&Column> = have
            .columns
            .iter()
            .filter(|h| {
                !want
                    .columns
                    .iter()
                    .any(|c| rules.same_name(&c.name, &h.name))
            })
            .collect();
        // A column gone while one of the same type and nullability appears: a rename.
        let mut renames = Vec::new();
        dropped.retain(
            |h| match added.iter().position(|c| self.same_column(h, c)) {
                Some(i) => {
                    renames.push((*h, added.remove(i)));
                    false
                }
                None => true,
            },
        );
        for (h, c) in renames {
            self.ops
                .alter_column(want.name.clone(), h.name.clone())
                .map_err(invalid)?
                .rename_to(c.name.clone());
            self.step(
                format!("table {}: column {} renamed from {}", want.name, c.name, h.name),
                Some(format!(
                    "rename or drop+add? column {} is gone from schema.rs and {} is new with the same type; a rename keeps the values",
                    h.name, c.name
                )),
            );
        }
        for c in added {
            if let Some(later) = want
                .columns
                .iter()
                .skip_while(|w| w.name != c.name)
                .find(|w| have.column(&w.name, rules).is_some())
            {
                self.plan.notes.push(format!(
                    "table {}: column {} goes last in the database (SQL adds columns at the end), while schema.rs lists it before {}; upgrade rewrites schema.rs in the database's order, so keep Queryable structs in that order",
                    want.name, c.name, later.name
                ));
            }
            let col = self.definition(want.table, c, &[])?;
            let review = (!col.nullable).then(|| {
                format!(
                    "adds NOT NULL column {} without a default: fails if table {} has rows; add a .default(..), or add it nullable, backfill, then set NOT NULL",
                    c.name, want.name
                )
            });
            let ty = col.ty.clone();
            *self
                .ops
                .add_column(want.name.clone(), c.name.clone(), ty)
                .map_err(invalid)? = col;
            self.step(format!("table {}: column {}", want.name, c.name), review);
        }
        for c in &want.columns {
            let Some(h) = have.column(&c.name, rules) else {
                continue;
            };
            self.alter(h, want, c)?;
        }
        for h in dropped {
            let mut definition = DslColumn::new(h.name.clone(), h.ty.clone());
            definition.nullable = h.nullable;
            definition.default = default_of(h);
            self.ops
                .drop_column(want.name.clone(), h.name.clone())
                .map_err(invalid)?
                .definition = Some(definition);
            self.step(
                format!("table {}: column {} dropped", want.name, h.name),
                Some(format!(
                    "drops column {}.{} and its values (it is not in schema.rs)",
                    want.name, h.name
                )),
            );
        }
        let have_key = have.primary_key_columns();
        let same_key = have_key.len() == want.primary_key.len()
            && want
                .primary_key
                .iter()
                .all(|k| have_key.iter().any(|h| rules.same_name(h, k)));
        if !same_key {
            self.plan.notes.push(format!(
                "table {}: primary key ({}) in schema.rs, ({}) in the database: not changed (write op.drop_constraint and op.create_primary_key yourself)",
                want.name,
                want.primary_key.join(", "),
                have_key.join(", ")
            ));
        }
        Ok(())
    }

    /// Type and nullability of a column both sides have.
    pub(super) fn alter(
        &mut self,
        have: &Column,
        want: &Want<'_>,
        c: &DieselColumn,
    ) -> Result<(), Error> {
        let printed = self.map.printed(&have.ty, have.autoincrement);
        let type_ok = printed.as_ref().is_some_and(|p| self.map.matches(p, &c.ty));
        let null_ok = have.nullable == c.ty.nullable;
        if type_ok && null_ok {
            return Ok(());
        }
        let new_type = if type_ok {
            None
        } else {
            Some(self.sql_type(want.table, c)?)
        };
        let alter = self
            .ops
            .alter_column(want.name.clone(), have.name.clone())
            .map_err(invalid)?;
        alter
            .existing_type(have.ty.clone())
            .existing_nullable(have.nullable)
            .existing_default(default_of(have));
        if have.comment.is_some() {
            alter.existing_comment(have.comment.as_deref());
        }
        let mut what = Vec::new();
        let mut review = Vec::new();
        if let Some(ty) = new_type {
            let was = printed.map_or_else(
                || "?".to_owned(),
                |p| match p.max_length {
                    Some(n) => format!("{p} (max_length {n})"),
                    None => p.to_string(),
                },
            );
            what.push(format!("type {was} to {}", c.ty));
            if narrows(&have.ty, &ty, &self.map) {
                review.push(format!(
                    "narrows {}.{} from {was} to {}: the upgrade fails (or cuts values) where a value does not fit",
                    want.name, c.name, c.ty
                ));
            }
            alter.set_type(ty);
        }
        if !null_ok {
            alter.set_nullable(c.ty.nullable);
            if c.ty.nullable {
                what.push("nullable".to_owned());
            } else {
                what.push("NOT NULL".to_owned());
                review.push(format!(
                    "sets {}.{} NOT NULL: the upgrade fails if a row holds NULL there; backfill first",
                    want.name, c.name
                ));
            }
        }
        let review = (!review.is_empty()).then(|| review.join("; "));
        self.step(
            format!(
                "table {}: column {}: {}",
                want.name,
                c.name,
                what.join(", ")
            ),
            review,
        );
        Ok(())
    }
}
