//! The canonical, comparable form of a table: every normalisation rule applied, on either
//! side alike (so applying it to an introspected table is as right as to a replayed one).

use std::collections::HashMap;

use crate::foreign_key::effective_action;
use crate::replay::resolve;
use crate::{normalize, Key, Rules, Schema, Table};
use migrate_sql::{Action, ColumnDefault, IndexColumn, Type};

pub(super) struct CColumn {
    pub(super) name: String,
    pub(super) key: String,
    pub(super) ty: String,
    pub(super) nullable: bool,
    pub(super) default: Option<String>,
    pub(super) autoincrement: bool,
    pub(super) comment: Option<String>,
}

pub(super) struct CUnique {
    pub(super) columns: Vec<String>,
    pub(super) sorted: Vec<String>,
    pub(super) name: Option<String>,
}

pub(super) struct CIndex {
    pub(super) name: Option<String>,
    pub(super) key: Option<String>,
    pub(super) unique: bool,
    pub(super) columns: Vec<String>,
    pub(super) predicate: Option<String>,
    pub(super) method: Option<String>,
    pub(super) include: Vec<String>,
}

pub(super) struct CForeignKey {
    pub(super) name: Option<String>,
    pub(super) columns: Vec<String>,
    pub(super) ref_key: Key,
    pub(super) ref_label: String,
    pub(super) ref_columns: Vec<String>,
    pub(super) on_delete: Action,
    pub(super) on_update: Action,
}

pub(super) struct CCheck {
    pub(super) name: Option<String>,
    pub(super) expr: String,
}

pub(super) struct CTable {
    pub(super) columns: Vec<CColumn>,
    pub(super) pk: Vec<String>,
    pub(super) pk_name: Option<String>,
    pub(super) uniques: Vec<CUnique>,
    pub(super) indexes: Vec<CIndex>,
    pub(super) fks: Vec<CForeignKey>,
    pub(super) checks: Vec<CCheck>,
    pub(super) comment: Option<String>,
}

/// Caches the canonical type and default of each distinct column spelling: a diff of
/// thousands of tables sees the same few types over and over.
#[derive(Default)]
pub(super) struct Cache {
    types: HashMap<(Type, bool), String>,
    defaults: HashMap<(String, String), Option<String>>,
}

impl Cache {
    fn ty(&mut self, ty: &Type, auto: bool, rules: &Rules) -> String {
        if let Some(t) = self.types.get(&(ty.clone(), auto)) {
            return t.clone();
        }
        let c = normalize::column_type(ty, auto, rules);
        self.types.insert((ty.clone(), auto), c.clone());
        c
    }

    fn default(
        &mut self,
        d: Option<&ColumnDefault>,
        ty: &Type,
        canon_ty: &str,
        auto: bool,
        rules: &Rules,
    ) -> Option<String> {
        match d? {
            ColumnDefault::Sql(s) => {
                let k = (s.clone(), canon_ty.to_owned());
                if let Some(v) = self.defaults.get(&k) {
                    return v.clone();
                }
                let v = normalize::default(d, ty, auto, rules);
                self.defaults.insert(k, v.clone());
                v
            }
            ColumnDefault::Value(_) | ColumnDefault::Portable(_) => {
                normalize::default(d, ty, auto, rules)
            }
        }
    }
}

/// The name a constraint is compared by: `None` when unnamed or named as the database
/// would have named it anyway.
fn explicit(name: &Option<String>, generated: &[String], rules: &Rules) -> Option<String> {
    let n = name.as_ref()?;
    if generated.iter().any(|g| rules.same_name(g, n)) {
        None
    } else {
        Some(rules.fold_name(n))
    }
}

pub(super) fn table(t: &Table, schema: &Schema, cache: &mut Cache) -> CTable {
    let rules = schema.rules();
    let d = rules.dialect;
    let imp = rules.imp();
    let tname = &t.name.name;
    let fold = |s: &String| rules.fold_name(s);
    let pk: Vec<String> = t.primary_key_columns().iter().map(fold).collect();
    let mut checks = Vec::new();
    let columns: Vec<CColumn> = t
        .columns
        .iter()
        .map(|c| {
            let key = rules.fold_name(&c.name);
            let ty = cache.ty(&c.ty, c.autoincrement, rules);
            let mut default = cache.default(c.default.as_ref(), &c.ty, &ty, c.autoincrement, rules);
            let mut autoincrement = c.autoincrement;
            // A serial column: its sequence's nextval() is PostgreSQL's autoincrement.
            if imp.serial_is_autoincrement()
                && default
                    .as_deref()
                    .is_some_and(|x| x.starts_with("nextval("))
            {
                autoincrement = true;
                default = None;
            }
            if imp.enum_is_check() {
                if let Type::Enum { values, .. } = &c.ty {
                    let list: Vec<String> = values
                        .iter()
                        .map(|v| format!("'{}'", v.replace('\'', "''")))
                        .collect();
                    let sql = format!(
                        "\"{}\" IN ({})",
                        c.name.replace('"', "\"\""),
                        list.join(", ")
                    );
                    checks.push(CCheck {
                        name: None,
                        expr: normalize::expression(&sql, d),
                    });
                }
            }
            let comment = imp.comment(&c.comment);
            CColumn {
                nullable: c.nullable && !pk.contains(&key),
                name: c.name.clone(),
                key,
                ty,
                default,
                autoincrement,
                comment,
            }
        })
        .collect();
    let pk_name = imp.generated_pk_name(tname).and_then(|generated| {
        t.primary_key
            .as_ref()
            .and_then(|p| explicit(&p.name, &[generated], rules))
    });
    let mut uniques = Vec::new();
    let mut indexes: Vec<CIndex> = t
        .indexes
        .iter()
        .map(|i| CIndex {
            name: Some(i.name.clone()),
            key: Some(rules.fold_name(&i.name)),
            unique: i.unique,
            columns: i
                .columns
                .iter()
                .map(|c| match c {
                    IndexColumn::Name(n) => rules.fold_name(n),
                    IndexColumn::Expr(e) => format!("({})", normalize::expression(e, d)),
                })
                .collect(),
            predicate: i.predicate.as_deref().map(|p| normalize::expression(p, d)),
            // MariaDB's HASH on a unique index is its "long unique" over TEXT/BLOB columns,
            // which the database picks itself (InnoDB has no other hash index).
            method: i
                .method
                .as_deref()
                .map(str::to_lowercase)
                .filter(|m| m != "btree")
                .filter(|m| !(rules.mariadb && i.unique && m == "hash")),
            include: i.include.iter().map(fold).collect(),
        })
        .collect();
    for u in &t.uniques {
        let columns: Vec<String> = u.columns.iter().map(fold).collect();
        // A unique constraint is a unique index on MySQL, and a named one on SQLite (the
        // dialect creates it so, to keep its name).
        let generated = imp.generated_unique_names(tname, &u.columns);
        if imp.unique_is_index(u.name.is_some()) {
            let name = u.name.clone().or_else(|| generated.first().cloned());
            indexes.push(CIndex {
                key: u.name.as_ref().map(fold),
                name,
                unique: true,
                columns,
                predicate: None,
                method: None,
                include: Vec::new(),
            });
        } else {
            let mut sorted = columns.clone();
            sorted.sort();
            uniques.push(CUnique {
                columns,
                sorted,
                name: explicit(&u.name, &generated, rules),
            });
        }
    }
    let fks = t
        .foreign_keys
        .iter()
        .map(|f| {
            let target = resolve(&f.ref_table, &t.name, d);
            let ref_key = rules.table_key(&target);
            let ref_columns: Vec<String> = if f.ref_columns.is_empty() {
                // No column list: the referenced table's primary key.
                schema
                    .table(&target)
                    .map(|r| r.primary_key_columns().iter().map(fold).collect())
                    .unwrap_or_default()
            } else {
                f.ref_columns.iter().map(fold).collect()
            };
            // Names compare as PostgreSQL generates them, `<table>_<cols>_fkey`, on MySQL
            // too (besides its numbered ones).
            let name = if !imp.keeps_fk_names() || imp.numbered_name(&f.name, tname, "_ibfk_") {
                None
            } else {
                explicit(
                    &f.name,
                    &[format!("{tname}_{}_fkey", f.columns.join("_"))],
                    rules,
                )
            };
            CForeignKey {
                name,
                columns: f.columns.iter().map(fold).collect(),
                ref_label: ref_key.to_string(),
                ref_key,
                ref_columns,
                on_delete: effective_action(f.on_delete, d),
                on_update: effective_action(f.on_update, d),
            }
        })
        .collect();
    for c in &t.checks {
        let expr = normalize::expression(&c.expr, d);
        // MariaDB's JSON is LONGTEXT with a json_valid CHECK; the check is part of the type.
        if imp.json_is_checked_text(rules) && expr.starts_with("json_valid(") {
            continue;
        }
        let name = if imp.numbered_name(&c.name, tname, "_chk_") {
            None
        } else {
            let columns: Vec<String> = t.columns.iter().map(|col| col.name.clone()).collect();
            explicit(&c.name, &imp.check_name_candidates(tname, &columns), rules)
        };
        checks.push(CCheck { name, expr });
    }
    let comment = imp.comment(&t.comment);
    CTable {
        columns,
        pk,
        pk_name,
        uniques,
        indexes,
        fks,
        checks,
        comment,
    }
}
