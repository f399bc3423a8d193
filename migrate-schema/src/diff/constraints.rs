//! Matching keys, unique constraints, indexes, foreign keys and checks of two canonical
//! tables: by name where names mean something, else by content.

use super::canon::{self, CIndex, CTable};
use super::{changed, cols, opt};
use crate::foreign_key::action_sql;
use crate::Difference;
use migrate_sql::Dialect;

pub(super) fn uniques(t: &str, e: &CTable, a: &CTable, out: &mut Vec<Difference>) {
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

/// MySQL creates an index for a foreign key that has none (non-unique, exactly the key's
/// columns); it is the key's, on whichever side it shows up.
fn mysql_fk_index(d: Dialect, i: &CIndex, t: &CTable) -> bool {
    crate::dialect::of(d).fk_creates_index()
        && !i.unique
        && t.fks.iter().any(|f| f.columns == i.columns)
}

fn same_content(x: &CIndex, y: &CIndex) -> bool {
    x.unique == y.unique && x.columns == y.columns && x.predicate == y.predicate
}

pub(super) fn indexes(table: &str, e: &CTable, a: &CTable, d: Dialect, out: &mut Vec<Difference>) {
    let name = |i: &CIndex| i.name.clone().unwrap_or_else(|| cols(&i.columns));
    // MySQL index names are per table, so a line about one names its table too.
    let label = |i: &CIndex| {
        if crate::dialect::of(d).index_names_per_table() {
            format!("{table}.{}", name(i))
        } else {
            name(i)
        }
    };
    let mut lines = Vec::new();
    let mut used = vec![false; a.indexes.len()];
    let mut partner: Vec<Option<usize>> = vec![None; e.indexes.len()];
    // By name first; then unnamed ones (MySQL's unnamed unique constraints) by content,
    // unnamed expected ones before named ones, so a named index cannot take the place of
    // the constraint that has no other way to match.
    for (i, ei) in e.indexes.iter().enumerate() {
        if let Some(k) = &ei.key {
            if let Some(p) = a.indexes.iter().position(|x| x.key.as_ref() == Some(k)) {
                if !used[p] {
                    used[p] = true;
                    partner[i] = Some(p);
                }
            }
        }
    }
    let mut by_content: Vec<usize> = (0..e.indexes.len())
        .filter(|i| partner[*i].is_none())
        .collect();
    by_content.sort_by_key(|i| e.indexes[*i].key.is_some());
    let mut unmatched = Vec::new();
    for i in by_content {
        let ei = &e.indexes[i];
        match a.indexes.iter().enumerate().find(|(p, x)| {
            !used[*p] && (ei.key.is_none() || x.key.is_none()) && same_content(ei, x)
        }) {
            Some((p, _)) => used[p] = true,
            None => unmatched.push(i),
        }
    }
    for i in unmatched {
        let ei = &e.indexes[i];
        if !mysql_fk_index(d, ei, e) {
            lines.push(Difference::MissingIndex {
                index: name(ei),
                table: table.to_owned(),
            });
        }
    }
    for (i, p) in partner.iter().enumerate() {
        let Some(p) = *p else { continue };
        let (ei, ai) = (&e.indexes[i], &a.indexes[p]);
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
        if !mysql_fk_index(d, x, a) {
            lines.push(Difference::ExtraIndex {
                index: name(x),
                table: table.to_owned(),
            });
        }
    }
    sorted(lines, out);
}

pub(super) fn foreign_keys(t: &str, e: &CTable, a: &CTable, out: &mut Vec<Difference>) {
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

pub(super) fn checks(t: &str, e: &CTable, a: &CTable, out: &mut Vec<Difference>) {
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
                if c.name.is_some() && c.name != x.name {
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
