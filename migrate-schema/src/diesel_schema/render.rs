//! The text of `schema.rs`, laid out exactly as `diesel print-schema` writes it: diesel_cli
//! 2.3's `print_schema.rs` output after its pass through rustfmt (default settings), which
//! only reflows the `allow_tables_to_appear_in_same_query!` list (rustfmt leaves brace-
//! delimited macros and `joinable!`, which does not parse as expressions, as written).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::infer::{ColumnData, ForeignKey, Group, TableData};
use super::names::string_literal;
use super::types::SqlType;
use migrate_sql::Dialect;

/// diesel_cli's header line.
pub(crate) const HEADER: &str = "// @generated automatically by Diesel CLI.\n";

/// The derives of a PostgreSQL or MySQL custom type: what the `diesel.toml` that
/// `diesel setup` writes asks for (`custom_type_derives`), plus `SqlType`, which diesel_cli
/// always adds.
const DERIVES: &str = "diesel::query_builder::QueryId, Clone, diesel::sql_types::SqlType";

/// rustfmt's default `max_width`.
const MAX_WIDTH: usize = 100;

/// rustfmt's default `short_array_element_width_threshold`: a list whose items are all this
/// short is filled line by line rather than one item per line.
const SHORT_ITEM: usize = 10;

/// Indent every non-empty line of `text` by `n` spaces (diesel_cli's `PadAdapter`).
fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if line != "\n" {
            out.push_str(&pad);
        }
        out.push_str(line);
    }
    out
}

/// The whole file for `groups` (the default schema's group, if any, first).
pub(crate) fn file(groups: &[Group], dialect: Dialect) -> String {
    let mut out = String::from(HEADER);
    let mut body = String::new();
    for g in groups {
        let mut text = custom_types(g, dialect);
        text.push_str(&definitions(g, dialect));
        if let Some(schema) = &g.schema {
            let module = super::names::rust_name(schema, None);
            text = format!("pub mod {module} {{\n{}}}\n", indent(&text, 4));
        }
        if !body.is_empty() {
            body.push('\n');
        }
        body.push_str(&text);
    }
    if !body.is_empty() {
        out.push('\n');
        out.push_str(&body);
    }
    out
}

/// `pub mod sql_types { .. }` with the types Diesel does not provide, then a blank line; empty
/// when there are none.
fn custom_types(g: &Group, dialect: Dialect) -> String {
    let mut types: Vec<&SqlType> = g
        .tables
        .iter()
        .flat_map(|t| t.columns.iter())
        .filter_map(|c| c.custom.as_ref())
        .collect();
    if types.is_empty() {
        return String::new();
    }
    types.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
    if !crate::dialect::of(dialect).diesel_custom_type_per_column() {
        // One PostgreSQL type serves every column of it; MySQL's are per column.
        types.dedup_by(|a, b| a.rust_name == b.rust_name);
    }
    let mut inner = String::new();
    for (i, t) in types.iter().enumerate() {
        if i > 0 {
            inner.push('\n');
        }
        let _ = writeln!(inner, "#[derive({DERIVES})]");
        let _ = writeln!(
            inner,
            "{}",
            crate::dialect::of(dialect).diesel_type_attribute(t)
        );
        let _ = writeln!(inner, "pub struct {};", t.rust_name);
    }
    format!("pub mod sql_types {{\n{}}}\n\n", indent(&inner, 4))
}

/// The tables, the `joinable!` lines and `allow_tables_to_appear_in_same_query!`.
fn definitions(g: &Group, dialect: Dialect) -> String {
    let mut out = String::new();
    for (i, t) in g.tables.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&table(t, dialect));
    }
    if !g.joinable.is_empty() {
        out.push('\n');
    }
    for fk in &g.joinable {
        out.push_str(&joinable(fk));
    }
    if g.tables.len() >= 2 {
        out.push('\n');
        let names: Vec<&str> = g.tables.iter().map(|t| t.name.rust_name.as_str()).collect();
        let depth = if g.schema.is_some() { 4 } else { 0 };
        out.push_str(&allow_tables(&names, depth));
    }
    out
}

fn table(t: &TableData, dialect: Dialect) -> String {
    let mut inner = String::new();
    if crate::dialect::of(dialect).diesel_custom_types() {
        let mut seen = BTreeSet::new();
        for ct in t.columns.iter().filter_map(|c| c.custom.as_ref()) {
            if seen.insert(ct.rust_name.as_str()) {
                if seen.len() == 1 {
                    inner.push_str("use diesel::sql_types::*;\n");
                }
                let _ = writeln!(inner, "use super::sql_types::{};", ct.rust_name);
            }
        }
        if !seen.is_empty() {
            inner.push('\n');
        }
    }
    if t.name.rust_name != t.name.sql_name {
        let _ = writeln!(
            inner,
            "#[sql_name = {}]",
            string_literal(&t.name.full_sql_name())
        );
    }
    let shown = match &t.name.rust_schema {
        Some(s) => format!("{s}.{}", t.name.rust_name),
        None => t.name.rust_name.clone(),
    };
    let _ = writeln!(inner, "{shown} ({}) {{", t.primary_key.join(", "));
    let mut columns = String::new();
    for c in &t.columns {
        columns.push_str(&column(c));
    }
    inner.push_str(&indent(&columns, 4));
    inner.push_str("}\n");
    format!("diesel::table! {{\n{}}}\n", indent(&inner, 4))
}

fn column(c: &ColumnData) -> String {
    let mut out = String::new();
    if c.rust_name != c.sql_name {
        let _ = writeln!(out, "#[sql_name = {}]", string_literal(&c.sql_name));
    }
    if let Some(n) = c.ty.max_length {
        let _ = writeln!(out, "#[max_length = {n}]");
    }
    let ty = c.custom.as_ref().unwrap_or(&c.ty);
    let _ = writeln!(out, "{} -> {ty},", c.rust_name);
    out
}

fn joinable(fk: &ForeignKey) -> String {
    format!(
        "diesel::joinable!({} -> {} ({}));\n",
        fk.child.rust_name,
        fk.parent.rust_name,
        fk.columns_rust.first().map_or("", String::as_str)
    )
}

/// `diesel::allow_tables_to_appear_in_same_query!(a, b, c,);` as rustfmt lays it out when
/// it starts at column `depth` (the text returned starts at column 0): on one line when it
/// fits in 100 columns (the trailing comma not counted), else the names filled line by line
/// when each is at most 10 characters, else one per line; a filled line ends before column
/// 100.
pub(crate) fn allow_tables(names: &[&str], depth: usize) -> String {
    const CALL: &str = "diesel::allow_tables_to_appear_in_same_query!(";
    let joined = names.join(", ");
    if depth + CALL.len() + joined.len() + 2 <= MAX_WIDTH {
        return format!("{CALL}{joined},);\n");
    }
    let mut out = format!("{CALL}\n");
    if names.iter().all(|n| n.len() <= SHORT_ITEM) {
        let start = depth + 4;
        let mut line = String::new();
        for n in names {
            if !line.is_empty() && start + line.len() + 2 + n.len() + 1 >= MAX_WIDTH {
                let _ = writeln!(out, "    {line},");
                line.clear();
            }
            if !line.is_empty() {
                line.push_str(", ");
            }
            line.push_str(n);
        }
        let _ = writeln!(out, "    {line},");
    } else {
        for n in names {
            let _ = writeln!(out, "    {n},");
        }
    }
    out.push_str(");\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_tables_layouts_match_rustfmt() {
        assert_eq!(
            allow_tables(&["posts", "users"], 0),
            "diesel::allow_tables_to_appear_in_same_query!(posts, users,);\n"
        );
        let long = "x".repeat(50);
        assert_eq!(
            allow_tables(&[&long, "y"], 0),
            format!("diesel::allow_tables_to_appear_in_same_query!(\n    {long},\n    y,\n);\n")
        );
        let fits = "x".repeat(49);
        assert_eq!(
            allow_tables(&[&fits, "y"], 0),
            format!("diesel::allow_tables_to_appear_in_same_query!({fits}, y,);\n")
        );
        // rustfmt: 8 nine-letter names fill 91 columns; a seven-letter one would end on 100.
        let mut names = vec!["abcdefghi"; 8];
        names.push("zzzzzzz");
        names.extend(["q"; 30]);
        let lines: Vec<usize> = allow_tables(&names, 0).lines().map(str::len).collect();
        assert_eq!(lines, [46, 91, 99, 6, 2]);
        let mut names = vec!["abcdefghi"; 8];
        names.push("zzz");
        names.extend(["q"; 30]);
        let text = indent(&allow_tables(&names, 4), 4);
        let lines: Vec<usize> = text.lines().map(str::len).collect();
        assert_eq!(lines, [50, 95, 99, 10, 6]);
    }

    #[test]
    fn indent_leaves_blank_lines_empty() {
        assert_eq!(indent("a\n\nb\n", 4), "    a\n\n    b\n");
    }
}
