//! The pure diff: two [`Schema`]s in, the [`Difference`]s out, in a deterministic order.

mod canon;

use std::collections::BTreeSet;

use crate::foreign_key::action_sql;
use crate::{Difference, Key, Schema};
use canon::{CIndex, CTable, Cache};
use migrate_sql::Dialect;

/// How `actual` (the database) differs from `expected` (the migrations' replay), compared by
/// `expected`'s [`Rules`](crate::Rules) after every normalisation rule.
///
/// Opaque tables (and enum types) of either side are reported as not checked, never as
/// equal; when either side is uncertain as a whole, that is the only line. The order is
/// deterministic: schema-wide lines, enum types, then tables by key, each table's lines in a
/// fixed order (columns in table order, then keys, unique constraints, indexes, foreign keys,
/// checks, comment; each group sorted).
///
/// ```
/// use migrate_schema::{diff, Schema};
/// use migrate_sql::{Dialect, Operations, Type};
/// let mut op = Operations::default();
/// op.create_table("users", |t| {
///     t.column("id", Type::BigInt).primary_key();
///     t.column("email", Type::String(255));
/// })?;
/// let expected = Schema::replay(Dialect::Postgres, op.as_slice())?;
/// let mut actual = expected.clone();
/// actual.table_mut(&"users".into()).unwrap().columns[1].ty = Type::Custom("text".into());
/// let lines: Vec<String> = diff(&expected, &actual).iter().map(|d| d.to_string()).collect();
/// assert_eq!(lines, ["table users: column email: type VARCHAR(255) in migrations, TEXT in the database"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn diff(expected: &Schema, actual: &Schema) -> Vec<Difference> {
    let mut out = Vec::new();
    if expected.dialect() != actual.dialect() {
        out.push(Difference::Dialect {
            expected: expected.dialect(),
            actual: actual.dialect(),
        });
        return out;
    }
    let mut reasons: Vec<String> = expected.uncertain().to_vec();
    reasons.extend(actual.uncertain().iter().cloned());
    if !reasons.is_empty() {
        out.push(Difference::SchemaNotChecked { reasons });
        return out;
    }
    enums(expected, actual, &mut out);
    let keys: BTreeSet<&Key> = expected
        .tables
        .keys()
        .chain(actual.tables.keys())
        .chain(expected.opaque.keys())
        .chain(actual.opaque.keys())
        .collect();
    let mut cache = Cache::default();
    for k in keys {
        let label = k.to_string();
        let opaque: Vec<String> = expected
            .opaque
            .get(k)
            .into_iter()
            .chain(actual.opaque.get(k))
            .flatten()
            .cloned()
            .collect();
        if !opaque.is_empty() {
            out.push(Difference::TableNotChecked {
                table: label,
                reasons: opaque,
            });
            continue;
        }
        match (expected.tables.get(k), actual.tables.get(k)) {
            (Some(_), None) => out.push(Difference::MissingTable { table: label }),
            (None, Some(_)) => out.push(Difference::ExtraTable { table: label }),
            (Some(e), Some(a)) => {
                let ce = canon::table(e, expected, &mut cache);
                let ca = canon::table(a, actual, &mut cache);
                table(&label, &ce, &ca, expected.dialect(), &mut out);
            }
            (None, None) => {}
        }
    }
    out
}

fn enums(expected: &Schema, actual: &Schema, out: &mut Vec<Difference>) {
    // Only PostgreSQL has enum types; elsewhere the values live on the column's type.
    if expected.dialect() != Dialect::Postgres {
        return;
    }
    let keys: BTreeSet<&Key> = expected
        .enums
        .keys()
        .chain(actual.enums.keys())
        .chain(expected.opaque_enums.keys())
        .chain(actual.opaque_enums.keys())
        .collect();
    for k in keys {
        let name = k.to_string();
        let why: Vec<String> = expected
            .opaque_enums
            .get(k)
            .into_iter()
            .chain(actual.opaque_enums.get(k))
            .flatten()
            .cloned()
            .collect();
        if !why.is_empty() {
            out.push(Difference::EnumNotChecked { name, reasons: why });
            continue;
        }
        match (expected.enums.get(k), actual.enums.get(k)) {
            (Some(_), None) => out.push(Difference::MissingEnum { name }),
            (None, Some(_)) => out.push(Difference::ExtraEnum { name }),
            (Some(e), Some(a)) if e.values != a.values => out.push(Difference::EnumValues {
                name,
                expected: e.values.iter().map(|v| format!("'{v}'")).collect(),
                actual: a.values.iter().map(|v| format!("'{v}'")).collect(),
            }),
            _ => {}
        }
    }
}

fn changed(subject: String, aspect: &'static str, e: String, a: String) -> Difference {
    Difference::Changed {
        subject,
        aspect,
        expected: e,
        actual: a,
    }
}

fn opt(v: &Option<String>, none: &str) -> String {
    v.clone().unwrap_or_else(|| none.to_owned())
}

fn cols(v: &[String]) -> String {
    format!("({})", v.join(", "))
}

fn table(label: &str, e: &CTable, a: &CTable, d: Dialect, out: &mut Vec<Difference>) {
    let t = format!("table {label}");
    // Columns: the migrations' order, then the database's extras in its order.
    for ec in &e.columns {
        let Some(ac) = a.columns.iter().find(|c| c.key == ec.key) else {
            out.push(Difference::MissingColumn {
                table: label.to_owned(),
                column: ec.name.clone(),
            });
            continue;
        };
        let s = format!("{t}: column {}", ec.name);
        if ec.ty != ac.ty {
            out.push(changed(s.clone(), "type", ec.ty.clone(), ac.ty.clone()));
        }
        if ec.nullable != ac.nullable {
            let n = |b: bool| if b { "nullable" } else { "NOT NULL" }.to_owned();
            out.push(changed(
                s.clone(),
                "nullability",
                n(ec.nullable),
                n(ac.nullable),
            ));
        }
        if ec.default != ac.default {
            let v = |x: &Option<String>| {
                x.clone()
                    .map_or("no default".to_owned(), |x| format!("default {x}"))
            };
            out.push(changed(s.clone(), "flag", v(&ec.default), v(&ac.default)));
        }
        if ec.autoincrement != ac.autoincrement {
            let v = |b: bool| {
                if b {
                    "autoincrement"
                } else {
                    "not autoincrement"
                }
                .to_owned()
            };
            out.push(changed(
                s.clone(),
                "flag",
                v(ec.autoincrement),
                v(ac.autoincrement),
            ));
        }
        if ec.comment != ac.comment {
            out.push(comment(s, &ec.comment, &ac.comment));
        }
    }
    for ac in &a.columns {
        if !e.columns.iter().any(|c| c.key == ac.key) {
            out.push(Difference::ExtraColumn {
                table: label.to_owned(),
                column: ac.name.clone(),
            });
        }
    }
    if e.pk != a.pk {
        let v = |p: &[String]| {
            if p.is_empty() {
                "none".to_owned()
            } else {
                cols(p)
            }
        };
        out.push(changed(t.clone(), "primary key", v(&e.pk), v(&a.pk)));
    } else if e.pk_name.is_some() && e.pk_name != a.pk_name {
        out.push(changed(
            format!("{t}: primary key"),
            "name",
            opt(&e.pk_name, "generated"),
            opt(&a.pk_name, "generated"),
        ));
    }
    uniques(&t, e, a, out);
    indexes(label, e, a, d, out);
    foreign_keys(&t, e, a, out);
    checks(&t, e, a, out);
    if e.comment != a.comment {
        out.push(comment(t, &e.comment, &a.comment));
    }
}

fn comment(subject: String, e: &Option<String>, a: &Option<String>) -> Difference {
    let v = |x: &Option<String>| {
        x.as_ref().map_or("no comment".to_owned(), |c| {
            format!("comment '{}'", c.replace('\'', "''"))
        })
    };
    changed(subject, "flag", v(e), v(a))
}

fn uniques(t: &str, e: &CTable, a: &CTable, out: &mut Vec<Difference>) {
    let mut used = vec![false; a.uniques.len()];
    let mut lines = Vec::new();
    for u in &e.uniques {
        let s = format!("{t}: unique constraint {}", cols(&u.columns));
        match a
            .uniques
            .iter()
            .enumerate()
            .find(|(i, x)| !used[*i] && x.sorted == u.sorted)
        {
            Some((i, x)) => {
                used[i] = true;
                if u.name.is_some() && u.name != x.name {
                    lines.push(changed(
                        s,
                        "name",
                        opt(&u.name, "generated"),
                        opt(&x.name, "generated"),
                    ));
                }
            }
            None => lines.push(Difference::Missing { subject: s }),
        }
    }
    for (i, x) in a.uniques.iter().enumerate() {
        if !used[i] {
            lines.push(Difference::Extra {
                subject: format!("{t}: unique constraint {}", cols(&x.columns)),
            });
        }
    }
    sorted(lines, out);
}

fn sorted(mut lines: Vec<Difference>, out: &mut Vec<Difference>) {
    lines.sort_by_cached_key(ToString::to_string);
    out.extend(lines);
}

fn same_content(x: &CIndex, y: &CIndex) -> bool {
    x.unique == y.unique && x.columns == y.columns && x.predicate == y.predicate
}

fn indexes(table: &str, e: &CTable, a: &CTable, d: Dialect, out: &mut Vec<Difference>) {
    let label = |i: &CIndex| {
        let n = i.name.clone().unwrap_or_else(|| cols(&i.columns));
        if d == Dialect::Mysql {
            format!("{table}.{n}")
        } else {
            n
        }
    };
    let mut used = vec![false; a.indexes.len()];
    let mut pairs = Vec::new();
    let mut lines = Vec::new();
    // By name first, then unnamed ones (MySQL's unnamed unique constraints) by content.
    for ei in &e.indexes {
        let hit = match &ei.key {
            Some(k) => a.indexes.iter().position(|x| x.key.as_ref() == Some(k)),
            None => None,
        }
        .filter(|p| !used[*p]);
        match hit {
            Some(p) => {
                used[p] = true;
                pairs.push((ei, &a.indexes[p]));
            }
            None => pairs.push((ei, ei)),
        }
    }
    for (ei, ai) in pairs {
        if std::ptr::eq(ei, ai) {
            match a.indexes.iter().enumerate().find(|(p, x)| {
                !used[*p] && (ei.key.is_none() || x.key.is_none()) && same_content(ei, x)
            }) {
                Some((p, _)) => used[p] = true,
                None => lines.push(Difference::MissingIndex {
                    index: label(ei),
                    table: table.to_owned(),
                }),
            }
            continue;
        }
        let s = format!("index {}", label(ei));
        if ei.unique != ai.unique {
            let v = |b: bool| if b { "unique" } else { "not unique" }.to_owned();
            lines.push(changed(s.clone(), "flag", v(ei.unique), v(ai.unique)));
        }
        if ei.columns != ai.columns {
            lines.push(changed(
                s.clone(),
                "columns",
                cols(&ei.columns),
                cols(&ai.columns),
            ));
        }
        if ei.predicate != ai.predicate {
            lines.push(changed(
                s.clone(),
                "predicate",
                opt(&ei.predicate, "none"),
                opt(&ai.predicate, "none"),
            ));
        }
        if ei.method != ai.method {
            lines.push(changed(
                s.clone(),
                "method",
                opt(&ei.method, "btree"),
                opt(&ai.method, "btree"),
            ));
        }
        if ei.include != ai.include {
            lines.push(changed(
                s,
                "included columns",
                cols(&ei.include),
                cols(&ai.include),
            ));
        }
    }
    for (p, x) in a.indexes.iter().enumerate() {
        if used[p] {
            continue;
        }
        // MySQL creates an index for a foreign key that has none; it is the key's, not the
        // migrations'.
        let implicit =
            d == Dialect::Mysql && !x.unique && a.fks.iter().any(|f| f.columns == x.columns);
        if !implicit {
            lines.push(Difference::ExtraIndex {
                index: label(x),
                table: table.to_owned(),
            });
        }
    }
    sorted(lines, out);
}

fn foreign_keys(t: &str, e: &CTable, a: &CTable, out: &mut Vec<Difference>) {
    let mut used = vec![false; a.fks.len()];
    let mut lines = Vec::new();
    let label = |f: &canon::CForeignKey| {
        format!(
            "{t}: foreign key {} -> {} {}",
            cols(&f.columns),
            f.ref_label,
            cols(&f.ref_columns)
        )
    };
    for f in &e.fks {
        let hit = a.fks.iter().enumerate().find(|(i, x)| {
            !used[*i]
                && x.columns == f.columns
                && x.ref_key == f.ref_key
                && x.ref_columns == f.ref_columns
        });
        let Some((i, x)) = hit else {
            lines.push(Difference::Missing { subject: label(f) });
            continue;
        };
        used[i] = true;
        if f.on_delete != x.on_delete {
            lines.push(changed(
                label(f),
                "ON DELETE",
                action_sql(f.on_delete).into(),
                action_sql(x.on_delete).into(),
            ));
        }
        if f.on_update != x.on_update {
            lines.push(changed(
                label(f),
                "ON UPDATE",
                action_sql(f.on_update).into(),
                action_sql(x.on_update).into(),
            ));
        }
        if f.name.is_some() && f.name != x.name {
            lines.push(changed(
                label(f),
                "name",
                opt(&f.name, "generated"),
                opt(&x.name, "generated"),
            ));
        }
    }
    for (i, x) in a.fks.iter().enumerate() {
        if !used[i] {
            lines.push(Difference::Extra { subject: label(x) });
        }
    }
    sorted(lines, out);
}

fn checks(t: &str, e: &CTable, a: &CTable, out: &mut Vec<Difference>) {
    let mut used = vec![false; a.checks.len()];
    let mut lines = Vec::new();
    for c in &e.checks {
        let s = format!("{t}: check ({})", c.expr);
        match a
            .checks
            .iter()
            .enumerate()
            .find(|(i, x)| !used[*i] && x.expr == c.expr)
        {
            Some((i, x)) => {
                used[i] = true;
                if c.name.is_some() && x.name.is_some() && c.name != x.name {
                    lines.push(changed(
                        s,
                        "name",
                        opt(&c.name, "generated"),
                        opt(&x.name, "generated"),
                    ));
                }
            }
            None => lines.push(Difference::Missing { subject: s }),
        }
    }
    for (i, x) in a.checks.iter().enumerate() {
        if !used[i] {
            lines.push(Difference::Extra {
                subject: format!("{t}: check ({})", x.expr),
            });
        }
    }
    sorted(lines, out);
}
