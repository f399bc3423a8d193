//! SQLite: `sqlite_master` for the objects and their SQL, the table-valued PRAGMAs
//! (`pragma_table_xinfo`, `pragma_index_list`, `pragma_index_xinfo`,
//! `pragma_foreign_key_list`) joined with it, five queries whatever the number of tables.
//! CHECKs, AUTOINCREMENT and foreign-key names come from the CREATE TABLE text, read by
//! migrate-sql's [`TableDef::from_pragma`] (the same reading a table rebuild uses); index
//! expressions and partial predicates from the CREATE INDEX text.

use std::collections::BTreeMap;

use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{QueryResult, QueryableByName, RunQueryDsl, SqliteConnection};
use migrate_schema::{Index, Schema, Table};
use migrate_sql::{
    Dialect, IndexColumn, PragmaColumn, PragmaForeignKey, PragmaIndex, QualifiedName, TableDef,
};

use super::skipped;
use crate::connection::quote_ident;

#[derive(QueryableByName)]
struct ObjectRow {
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    tbl_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    sql: Option<String>,
}

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    tbl: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    decl_type: String,
    #[diesel(sql_type = BigInt)]
    not_null: i64,
    #[diesel(sql_type = Nullable<Text>)]
    dflt: Option<String>,
    #[diesel(sql_type = BigInt)]
    pk: i64,
    #[diesel(sql_type = BigInt)]
    hidden: i64,
}

#[derive(QueryableByName)]
struct IndexRow {
    #[diesel(sql_type = Text)]
    tbl: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    is_unique: i64,
    #[diesel(sql_type = Text)]
    origin: String,
}

#[derive(QueryableByName)]
struct IndexColumnRow {
    #[diesel(sql_type = Text)]
    ix: String,
    #[diesel(sql_type = BigInt)]
    cid: i64,
    #[diesel(sql_type = Nullable<Text>)]
    name: Option<String>,
}

#[derive(QueryableByName)]
struct ForeignKeyRow {
    #[diesel(sql_type = Text)]
    tbl: String,
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    seq: i64,
    #[diesel(sql_type = Text)]
    target: String,
    #[diesel(sql_type = Text)]
    from_col: String,
    #[diesel(sql_type = Nullable<Text>)]
    to_col: Option<String>,
    #[diesel(sql_type = Text)]
    on_update: String,
    #[diesel(sql_type = Text)]
    on_delete: String,
}

/// One index's key elements: a column (`Some(name)`) or an expression (`None`).
type Keys = Vec<Option<String>>;

pub(crate) fn introspect(
    c: &mut SqliteConnection,
    schema: Option<&str>,
    skip: &[&str],
) -> QueryResult<Schema> {
    let db = schema.unwrap_or("main");
    let master = format!(
        "{}.sqlite_master",
        quote_ident(Dialect::Sqlite, db)
            .map_err(|e| diesel::result::Error::QueryBuilderError(Box::new(e)))?
    );
    let objects: Vec<ObjectRow> = diesel::sql_query(format!(
        "SELECT type AS kind, name, tbl_name, sql FROM {master} \
         WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
    ))
    .load(c)?;
    let columns: Vec<ColumnRow> = diesel::sql_query(format!(
        "SELECT m.name AS tbl, p.name, p.type AS decl_type, p.\"notnull\" AS not_null, \
         p.dflt_value AS dflt, p.pk, p.hidden \
         FROM {master} m JOIN pragma_table_xinfo(m.name, ?) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
         ORDER BY m.name, p.cid"
    ))
    .bind::<Text, _>(db)
    .load(c)?;
    let indexes: Vec<IndexRow> = diesel::sql_query(format!(
        "SELECT m.name AS tbl, il.name, il.\"unique\" AS is_unique, il.origin \
         FROM {master} m JOIN pragma_index_list(m.name, ?) il \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
         ORDER BY m.name, il.seq DESC"
    ))
    .bind::<Text, _>(db)
    .load(c)?;
    let index_columns: Vec<IndexColumnRow> = diesel::sql_query(format!(
        "SELECT il.name AS ix, ii.cid, ii.name \
         FROM {master} m JOIN pragma_index_list(m.name, ?) il \
         JOIN pragma_index_xinfo(il.name, ?) ii \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND ii.key = 1 \
         ORDER BY il.name, ii.seqno"
    ))
    .bind::<Text, _>(db)
    .bind::<Text, _>(db)
    .load(c)?;
    let foreign_keys: Vec<ForeignKeyRow> = diesel::sql_query(format!(
        "SELECT m.name AS tbl, f.id, f.seq, f.\"table\" AS target, f.\"from\" AS from_col, \
         f.\"to\" AS to_col, f.on_update, f.on_delete \
         FROM {master} m JOIN pragma_foreign_key_list(m.name, ?) f \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    ))
    .bind::<Text, _>(db)
    .load(c)?;

    let mut out = Schema::new(Dialect::Sqlite);
    let mut create_sql: BTreeMap<&str, Option<&str>> = BTreeMap::new();
    let mut index_sql: BTreeMap<&str, &str> = BTreeMap::new();
    for o in &objects {
        match o.kind.as_str() {
            "table" if skipped(&o.name, skip, false) => {}
            "table" => {
                let sql = o.sql.as_deref();
                if sql.is_some_and(|s| starts_with_words(s, &["CREATE", "VIRTUAL"])) {
                    out.mark_not_modelled(format!("virtual table {}", o.name));
                } else {
                    create_sql.insert(&o.name, sql);
                }
            }
            "index" => {
                if let Some(sql) = &o.sql {
                    index_sql.insert(&o.name, sql);
                }
            }
            "view" => out.mark_not_modelled(format!("view {}", o.name)),
            "trigger" => out.mark_not_modelled(format!("table {}: trigger {}", o.tbl_name, o.name)),
            other => out.mark_not_modelled(format!("{other} {}", o.name)),
        }
    }

    let mut cols: BTreeMap<&str, Vec<PragmaColumn>> = BTreeMap::new();
    for r in &columns {
        if !create_sql.contains_key(r.tbl.as_str()) {
            continue;
        }
        // hidden: 1 a virtual table's hidden column, 2 and 3 generated columns.
        if r.hidden != 0 {
            out.mark_not_modelled(format!("table {}: generated column {}", r.tbl, r.name));
            continue;
        }
        cols.entry(&r.tbl).or_default().push(PragmaColumn {
            name: r.name.clone(),
            decl_type: r.decl_type.clone(),
            not_null: r.not_null != 0,
            default: r.dflt.clone(),
            pk: u32::try_from(r.pk).unwrap_or(0),
        });
    }
    let mut keys: BTreeMap<&str, Keys> = BTreeMap::new();
    for r in &index_columns {
        // cid -2: an expression; -1: the rowid.
        let k = if r.cid == -2 { None } else { r.name.clone() };
        keys.entry(&r.ix).or_default().push(k);
    }
    let mut ixs: BTreeMap<&str, Vec<(PragmaIndex, &Keys)>> = BTreeMap::new();
    let none = Keys::new();
    for r in &indexes {
        let k = keys.get(r.name.as_str()).unwrap_or(&none);
        ixs.entry(&r.tbl).or_default().push((
            PragmaIndex {
                name: r.name.clone(),
                unique: r.is_unique != 0,
                origin: r.origin.clone(),
                columns: k.iter().flatten().cloned().collect(),
                sql: index_sql.get(r.name.as_str()).map(|s| (*s).to_owned()),
            },
            k,
        ));
    }
    let mut fks: BTreeMap<&str, Vec<PragmaForeignKey>> = BTreeMap::new();
    for r in &foreign_keys {
        fks.entry(&r.tbl).or_default().push(PragmaForeignKey {
            id: r.id,
            seq: r.seq,
            table: r.target.clone(),
            from: r.from_col.clone(),
            to: r.to_col.clone(),
            on_update: r.on_update.clone(),
            on_delete: r.on_delete.clone(),
        });
    }

    for (name, sql) in create_sql {
        let qname = QualifiedName {
            schema: schema.map(str::to_owned),
            name: name.to_owned(),
        };
        let pragma_ix: Vec<PragmaIndex> = ixs
            .get(name)
            .map(|v| v.iter().map(|(p, _)| p.clone()).collect())
            .unwrap_or_default();
        let def = TableDef::from_pragma(
            qname,
            cols.get(name).map_or(&[][..], Vec::as_slice),
            &pragma_ix,
            fks.get(name).map_or(&[][..], Vec::as_slice),
            sql,
        );
        let mut table = Table::from_definition(&def.table);
        for (p, k) in ixs.get(name).map_or(&[][..], Vec::as_slice) {
            if p.origin == "u" || p.origin == "pk" {
                continue;
            }
            table.indexes.push(index(p, k));
        }
        out.insert_table(table);
    }
    Ok(out)
}

/// An index made by CREATE INDEX: its columns from the PRAGMA, its expressions and partial
/// predicate from its SQL.
fn index(p: &PragmaIndex, keys: &Keys) -> Index {
    let (elements, predicate) = p.sql.as_deref().map(parse_create_index).unwrap_or_default();
    let columns = keys
        .iter()
        .enumerate()
        .map(|(i, k)| match k {
            Some(name) => IndexColumn::Name(name.clone()),
            None => IndexColumn::Expr(elements.get(i).map(|e| strip_order(e)).unwrap_or_default()),
        })
        .collect();
    Index {
        name: p.name.clone(),
        columns,
        unique: p.unique,
        predicate,
        method: None,
        include: Vec::new(),
    }
}

/// `CREATE [UNIQUE] INDEX name ON table (e1, e2, ..) [WHERE predicate]`: the elements and the
/// predicate, split outside quotes and parentheses.
pub(crate) fn parse_create_index(sql: &str) -> (Vec<String>, Option<String>) {
    let bytes: Vec<char> = sql.chars().collect();
    let mut i = 0;
    let mut depth = 0usize;
    let mut start = None;
    let mut elements = Vec::new();
    let mut current = String::new();
    while i < bytes.len() {
        let ch = bytes[i];
        if let Some(close) = match ch {
            '\'' => Some('\''),
            '"' => Some('"'),
            '`' => Some('`'),
            '[' => Some(']'),
            _ => None,
        } {
            let from = i;
            i += 1;
            while i < bytes.len() {
                if bytes[i] == close {
                    if close != ']' && bytes.get(i + 1) == Some(&close) {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            if depth > 0 {
                current.extend(&bytes[from..=i.min(bytes.len() - 1)]);
            }
            i += 1;
            continue;
        }
        match ch {
            '(' => {
                depth += 1;
                if depth == 1 {
                    start.get_or_insert(i);
                    i += 1;
                    continue;
                }
            }
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && start.is_some() {
                    elements.push(current.trim().to_owned());
                    let rest: String = bytes[i + 1..].iter().collect();
                    let rest = rest.trim();
                    let predicate = rest
                        .get(..5)
                        .filter(|w| w.eq_ignore_ascii_case("WHERE"))
                        .map(|_| rest[5..].trim().trim_end_matches(';').trim().to_owned());
                    return (elements, predicate);
                }
            }
            ',' if depth == 1 => {
                elements.push(current.trim().to_owned());
                current.clear();
                i += 1;
                continue;
            }
            _ => {}
        }
        if depth > 0 {
            current.push(ch);
        }
        i += 1;
    }
    (elements, None)
}

/// An index element without its `ASC`/`DESC` (sort order is not modelled).
fn strip_order(e: &str) -> String {
    let t = e.trim_end();
    for word in ["ASC", "DESC"] {
        if t.len() > word.len() && t[t.len() - word.len()..].eq_ignore_ascii_case(word) {
            let before = &t[..t.len() - word.len()];
            if before.ends_with(|c: char| c.is_whitespace() || c == ')') {
                return before.trim_end().to_owned();
            }
        }
    }
    t.to_owned()
}

fn starts_with_words(sql: &str, words: &[&str]) -> bool {
    let mut it = sql.split_whitespace();
    words
        .iter()
        .all(|w| it.next().is_some_and(|x| x.eq_ignore_ascii_case(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_index_is_split_outside_quotes_and_parentheses() {
        let (e, p) = parse_create_index(
            "CREATE UNIQUE INDEX \"ix (a)\" ON \"t\" (\"a\", lower(\"b, c\"), (x + 1) DESC) WHERE \"a\" > 0",
        );
        assert_eq!(e, ["\"a\"", "lower(\"b, c\")", "(x + 1) DESC"]);
        assert_eq!(p.as_deref(), Some("\"a\" > 0"));
        assert_eq!(strip_order(&e[2]), "(x + 1)");
        let (e, p) = parse_create_index("CREATE INDEX i ON t(a)");
        assert_eq!((e, p), (vec!["a".to_owned()], None));
    }
}
