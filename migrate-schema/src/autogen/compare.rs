//! The comparison: `schema.rs` against a schema model, table by table and column by column,
//! in what `schema.rs` can say.

use migrate_sql::{Column as DslColumn, ConstraintType, Dialect, Operations, QualifiedName, Type};

use super::types::{TypeMap, Unmapped};
use super::{Error, Options, Plan, Step};
use crate::diesel_schema::infer::{joinables, listed};
use crate::diesel_schema::{DieselColumn, DieselSchema, DieselTable};
use crate::{Column, Key, Schema, Table};

/// A `schema.rs` table as compared: its name in the model's terms, its columns with their
/// SQL types resolved when they can be.
struct Want<'f> {
    key: Key,
    name: QualifiedName,
    table: &'f DieselTable,
    /// The columns, SQLite's implicit `rowid` left out.
    columns: Vec<&'f DieselColumn>,
    primary_key: Vec<String>,
}

/// The operations that take `actual` to what `file` says (see the [module
/// docs](super)).
///
/// # Errors
///
/// [`Error::UnknownType`] for a Diesel type that must be created and has no SQL type;
/// [`Error::Uncertain`] when `actual` is a replay that raw SQL or Rust steps made uncertain.
pub fn plan(file: &DieselSchema, actual: &Schema, options: &Options) -> Result<Plan, Error> {
    if !actual.is_certain() {
        return Err(Error::Uncertain(actual.uncertain().join("; ")));
    }
    let map = TypeMap {
        actual,
        file,
        overrides: &options.types,
    };
    let mut p = Planner {
        map,
        plan: Plan::default(),
        ops: Operations::default(),
    };
    let d = actual.dialect();
    let rules = actual.rules();
    let wants: Vec<Want<'_>> = file
        .tables
        .iter()
        .filter(|t| options.filter.allows(&t.name))
        .filter(|t| !(rules.imp().diesel_default_schema_only() && t.schema.is_some()))
        .map(|t| want(t, actual))
        .collect();
    let mut have: Vec<(&Key, &Table)> = actual
        .tables()
        .filter(|(k, t)| {
            listed(d, &t.name.name)
                && options.filter.allows(&t.name.name)
                && !(rules.imp().diesel_default_schema_only() && k.schema.is_some())
        })
        .collect();
    have.retain(|(k, t)| {
        if let Some(why) = actual.opaque_tables().get(*k) {
            p.plan.notes.push(format!(
                "table {}: not compared ({})",
                shown(&t.name, actual.rules()),
                why.join("; ")
            ));
            return false;
        }
        true
    });
    let wanted_keys: Vec<&Key> = wants.iter().map(|w| &w.key).collect();
    let mut new: Vec<&Want<'_>> = wants
        .iter()
        .filter(|w| !have.iter().any(|(k, _)| **k == w.key))
        .filter(|w| !actual.opaque_tables().contains_key(&w.key))
        .collect();
    let mut gone: Vec<&Table> = have
        .iter()
        .filter(|(k, _)| !wanted_keys.contains(k))
        .map(|(_, t)| *t)
        .collect();

    // Foreign keys that go away first: a column or table they use may go next.
    let keep_fk = p.foreign_keys_to_drop(file, wants.as_slice(), &have);
    p.enums(&new, &wants)?;

    // A table gone while one of the same shape appears: a rename.
    let mut renamed: Vec<(&Table, &Want<'_>)> = Vec::new();
    gone.retain(|g| match new.iter().position(|n| p.same_shape(g, n)) {
        Some(i) => {
            renamed.push((g, new.remove(i)));
            false
        }
        None => true,
    });
    for (g, n) in &renamed {
        p.rename_table(g, n)?;
    }
    for n in order_by_references(&new, file) {
        p.create_table(n, file)?;
    }
    for w in &wants {
        if let Some((_, t)) = have.iter().find(|(k, _)| **k == w.key) {
            p.columns(t, w, rules)?;
        }
    }
    for g in gone {
        if options.drop_missing_tables {
            p.drop_table(g)?;
        } else {
            p.plan.notes.push(format!(
                "table {} is in the database but not in schema.rs: kept (--drop-missing-tables drops it)",
                shown(&g.name, rules)
            ));
        }
    }
    p.foreign_keys_to_add(file, &wants, &new, keep_fk)?;
    Ok(p.plan)
}

fn want<'f>(t: &'f DieselTable, actual: &Schema) -> Want<'f> {
    let name = QualifiedName {
        schema: t.schema.clone(),
        name: t.name.clone(),
    };
    let mut columns: Vec<&DieselColumn> = t.columns.iter().collect();
    let mut primary_key = t.primary_key.clone();
    // SQLite: `rowid -> Integer` keyed alone is Diesel's stand-in for a table without a key.
    if actual.rules().imp().diesel_rowid_keys() {
        if let [only] = primary_key.as_slice() {
            if ["rowid", "oid", "_rowid_"].contains(&only.as_str()) {
                columns.retain(|c| c.name != *only);
                primary_key.clear();
            }
        }
    }
    Want {
        key: actual.rules().table_key(&name),
        name,
        table: t,
        columns,
        primary_key,
    }
}

/// New tables with the tables they reference first (others keep `schema.rs`'s order).
fn order_by_references<'a, 'f>(new: &[&'a Want<'f>], file: &DieselSchema) -> Vec<&'a Want<'f>> {
    let mut left: Vec<&Want<'_>> = new.to_vec();
    let mut out = Vec::new();
    while !left.is_empty() {
        let ready = left
            .iter()
            .position(|w| {
                !left.iter().any(|other| {
                    other.table.name != w.table.name
                        && file.joinables.iter().any(|j| {
                            j.child == w.table.name
                                && j.parent == other.table.name
                                && j.schema == w.table.schema
                        })
                })
            })
            .unwrap_or(0);
        out.push(left.remove(ready));
    }
    out
}

struct Planner<'a> {
    map: TypeMap<'a>,
    plan: Plan,
    /// The builder the steps are recorded with (each step takes what it pushed).
    ops: Operations,
}

impl Planner<'_> {
    fn d(&self) -> Dialect {
        self.map.actual.dialect()
    }

    /// Take what the last builder call recorded as a step.
    fn step(&mut self, summary: String, review: Option<String>) {
        let recorded = std::mem::take(&mut self.ops).into_vec();
        for operation in recorded {
            self.plan.steps.push(Step {
                operation,
                review: review.clone(),
                summary: summary.clone(),
            });
        }
    }

    fn sql_type(&self, table: &DieselTable, c: &DieselColumn) -> Result<Type, Error> {
        match self.map.dsl(&c.ty) {
            Ok(t) => Ok(t),
            Err(Unmapped::NewEnum { name, .. }) => Ok(Type::Custom(name)),
            Err(Unmapped::Unknown) => Err(Error::UnknownType {
                table: table.name.clone(),
                column: c.name.clone(),
                ty: c.ty.to_string(),
                name: c.ty.name.clone(),
                dialect: self.d().name(),
            }),
        }
    }

    /// Whether the database's column is what `schema.rs` says (type and nullability).
    fn same_column(&self, have: &Column, want: &DieselColumn) -> bool {
        self.map
            .printed(&have.ty, have.autoincrement)
            .is_some_and(|p| self.map.matches(&p, &want.ty) && have.nullable == want.ty.nullable)
    }

    fn same_shape(&self, have: &Table, want: &Want<'_>) -> bool {
        let rules = self.map.actual.rules();
        have.columns.len() == want.columns.len()
            && want.columns.iter().all(|w| {
                have.column(&w.name, rules)
                    .is_some_and(|h| self.same_column(h, w))
            })
            && have.primary_key_columns().len() == want.primary_key.len()
            && want.primary_key.iter().all(|k| {
                have.primary_key_columns()
                    .iter()
                    .any(|h| rules.same_name(h, k))
            })
    }

    /// `sql_types` enums used by `schema.rs` that the database lacks (PostgreSQL).
    fn enums(&mut self, _new: &[&Want<'_>], wants: &[Want<'_>]) -> Result<(), Error> {
        for w in wants {
            for c in &w.columns {
                if let Err(Unmapped::NewEnum { name, schema }) = self.map.dsl(&c.ty) {
                    let shown = match schema {
                        Some(s) => format!("{s}.{name}"),
                        None => name,
                    };
                    if !self.plan.new_enums.contains(&shown) {
                        self.plan.new_enums.push(shown);
                    }
                }
            }
        }
        Ok(())
    }

    fn rename_table(&mut self, have: &Table, want: &Want<'_>) -> Result<(), Error> {
        let old = shown(&have.name, self.map.actual.rules());
        self.ops
            .rename_table(old.clone(), want.name.name.clone())
            .map_err(invalid)?;
        self.step(
            format!("table {}: renamed from {old}", want.name),
            Some(format!(
                "rename or drop+add? table {} is gone from schema.rs and {} is new with the same columns; a rename keeps the rows",
                old, want.name
            )),
        );
        Ok(())
    }

    /// The DSL column for a `schema.rs` column of a new table or a new column.
    fn definition(
        &self,
        table: &DieselTable,
        c: &DieselColumn,
        key: &[String],
    ) -> Result<DslColumn, Error> {
        let ty = self.sql_type(table, c)?;
        let mut col = DslColumn::new(c.name.clone(), ty.clone());
        col.nullable = c.ty.nullable;
        if let [only] = key {
            if *only == c.name {
                col.primary_key = true;
                col.nullable = false;
                // An integer key alone is generated by the database (SQLAlchemy's
                // `autoincrement="auto"`), where that still prints as schema.rs says.
                let integer = matches!(ty, Type::Integer | Type::BigInt | Type::SmallInt);
                if integer
                    && self
                        .map
                        .printed(&ty, true)
                        .is_some_and(|p| self.map.matches(&p, &c.ty))
                {
                    col.autoincrement = true;
                }
            }
        }
        Ok(col)
    }

    fn create_table(&mut self, want: &Want<'_>, file: &DieselSchema) -> Result<(), Error> {
        let mut columns = Vec::new();
        for c in &want.columns {
            columns.push(self.definition(want.table, c, &want.primary_key)?);
        }
        let mut failed = None;
        let key = want.primary_key.clone();
        let refs: Vec<(String, QualifiedName, Vec<String>)> = file
            .joinables
            .iter()
            .filter(|j| j.child == want.table.name && j.schema == want.table.schema)
            .filter_map(|j| {
                let parent = file
                    .tables
                    .iter()
                    .find(|t| t.name == j.parent && t.schema == j.schema)?;
                Some((
                    j.column.clone(),
                    QualifiedName {
                        schema: parent.schema.clone(),
                        name: parent.name.clone(),
                    },
                    parent.primary_key.clone(),
                ))
            })
            .collect();
        let result = self.ops.create_table(want.name.clone(), |t| {
            for c in columns {
                let name = c.name.clone();
                let ty = c.ty.clone();
                *t.column(name, ty) = c;
            }
            if key.len() > 1 {
                t.primary_key(&key);
            }
            for (column, parent, parent_key) in &refs {
                let name = fk_name(&want.table.name, column);
                t.foreign_key(&[column.as_str()], parent.clone(), parent_key)
                    .name(name);
            }
        });
        if let Err(e) = result {
            failed = Some(e);
        }
        if let Some(e) = failed {
            return Err(invalid(e));
        }
        let review = want
            .primary_key
            .is_empty()
            .then(|| format!("table {} has no primary key in schema.rs", want.name));
        self.step(format!("table {}: new", want.name), review);
        Ok(())
    }

    fn drop_table(&mut self, have: &Table) -> Result<(), Error> {
        let name = shown(&have.name, self.map.actual.rules());
        let mut definition = dsl_table(have);
        definition.name = name.clone();
        self.ops
            .drop_table(name.clone())
            .map_err(invalid)?
            .definition = Some(definition);
        self.step(
            format!("table {name}: dropped"),
            Some(format!(
                "drops table {name} and every row in it (it is not in schema.rs)"
            )),
        );
        Ok(())
    }

    fn columns(
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
    fn alter(&mut self, have: &Column, want: &Want<'_>, c: &DieselColumn) -> Result<(), Error> {
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

    /// Drop the foreign keys `joinable!` would show for the database but `schema.rs` lacks,
    /// between tables both sides have. Returns the database's keys that stay.
    fn foreign_keys_to_drop(
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
    fn foreign_keys_to_add(
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

/// A column's default, MariaDB's `NULL` (its spelling of none) as none.
fn default_of(c: &Column) -> Option<migrate_sql::ColumnDefault> {
    match &c.default {
        Some(migrate_sql::ColumnDefault::Sql(s)) if s.trim().eq_ignore_ascii_case("null") => None,
        other => other.clone(),
    }
}

/// A table's name as people write it: the default schema (`public`) left out.
fn shown(name: &QualifiedName, rules: &crate::Rules) -> QualifiedName {
    let default = rules.default_schema.as_deref();
    match name.schema.as_deref() {
        Some(s) if Some(s) == default => QualifiedName::from(name.name.as_str()),
        _ => name.clone(),
    }
}

/// PostgreSQL's own name for a one-column foreign key (`posts_user_id_fkey`).
fn fk_name(table: &str, column: &str) -> String {
    format!("{table}_{column}_fkey")
}

fn invalid(e: migrate_sql::Error) -> Error {
    Error::Invalid(e.to_string())
}

/// The DSL definition of a table the model has (to make its drop reversible).
fn dsl_table(t: &Table) -> migrate_sql::Table {
    let mut out = migrate_sql::Table::new(t.name.clone());
    for c in &t.columns {
        let col = out.column(c.name.clone(), c.ty.clone());
        col.nullable = c.nullable;
        col.default = c.default.clone();
        col.autoincrement = c.autoincrement;
        col.comment = c.comment.clone();
    }
    if !t.primary_key_columns().is_empty() {
        out.primary_key(t.primary_key_columns());
    }
    for fk in &t.foreign_keys {
        out.foreign_keys.push(fk.clone());
    }
    out
}

/// Whether going from `from` to `to` can lose values: a smaller integer, a shorter string,
/// text to a bounded string, double to float. Other changes are not judged.
fn narrows(from: &Type, to: &Type, map: &TypeMap<'_>) -> bool {
    let rank = |t: &Type| -> Option<(u8, u64)> {
        let p = map.printed(t, false)?;
        let name = p.rust_name.as_str();
        let int = |r| Some((0, r));
        match name {
            "Int2" | "SmallInt" | "Smallint" => int(2),
            "Int4" | "Integer" => int(4),
            "Int8" | "BigInt" | "Bigint" => int(8),
            "Float4" | "Float" => Some((1, 4)),
            "Float8" | "Double" => Some((1, 8)),
            "Varchar" | "Char" | "Bpchar" => Some((2, p.max_length.unwrap_or(u64::MAX))),
            "Text" | "Longtext" | "Mediumtext" => Some((2, u64::MAX)),
            _ => None,
        }
    };
    match (rank(from), rank(to)) {
        (Some((a, x)), Some((b, y))) => a == b && y < x,
        _ => false,
    }
}
