//! The pure diff: two [`Schema`]s in, the [`Difference`]s out, in a deterministic order.

mod canon;
mod constraints;

use std::collections::BTreeSet;

use crate::{Difference, Key, Schema};
use canon::{CTable, Cache};
use constraints::{checks, foreign_keys, indexes, uniques};
use migrate_sql::Dialect;

/// How `actual` (the database) differs from `expected` (the migrations' replay), compared by
/// `expected`'s [`Rules`](crate::Rules) after every normalisation rule.
///
/// Opaque tables (and enum types) of either side are reported as not checked, never as
/// equal, and so is every object either side lists as [not
/// modelled](Schema::not_modelled); when either side is uncertain as a whole, that is the only line. The order is
/// deterministic: schema-wide lines, objects not modelled (sorted), enum types, then tables
/// by key, each table's lines in a fixed order (columns in table order, then keys, unique constraints, indexes, foreign keys,
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
    let mut not_modelled: Vec<&String> = expected
        .not_modelled
        .iter()
        .chain(&actual.not_modelled)
        .collect();
    not_modelled.sort();
    not_modelled.dedup();
    out.extend(
        not_modelled
            .into_iter()
            .map(|o| Difference::NotModelled { object: o.clone() }),
    );
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
    if !expected.rules().imp().has_enum_types() {
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

pub(super) fn changed(subject: String, aspect: &'static str, e: String, a: String) -> Difference {
    Difference::Changed {
        subject,
        aspect,
        expected: e,
        actual: a,
    }
}

pub(super) fn opt(v: &Option<String>, none: &str) -> String {
    v.clone().unwrap_or_else(|| none.to_owned())
}

pub(super) fn cols(v: &[String]) -> String {
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
