//! The tables and columns a Diesel `schema.rs` names (its `table!` invocations), for the
//! rule that a dropped column must leave the application's schema first.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// Table name → its column names, as Diesel's `schema.rs` spells them (the SQL name when a
/// `#[sql_name = ".."]` renames one).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DieselColumns {
    tables: BTreeMap<String, BTreeSet<String>>,
}

impl DieselColumns {
    /// Read the `table!` invocations of `text`; `None` when it is not Rust tokens.
    ///
    /// ```
    /// let cols = migrate_lint::DieselColumns::parse(
    ///     "diesel::table! { users (id) { id -> Int8, email -> Text, } }",
    /// ).unwrap();
    /// assert!(cols.names("users", "email"));
    /// assert!(!cols.names("users", "name"));
    /// ```
    pub fn parse(text: &str) -> Option<DieselColumns> {
        let tokens: TokenStream = text.parse().ok()?;
        let mut out = DieselColumns::default();
        find_tables(tokens, &mut out);
        Some(out)
    }

    /// Whether `table` (its last name part) has `column`.
    pub fn names(&self, table: &str, column: &str) -> bool {
        self.tables.get(table).is_some_and(|c| c.contains(column))
    }

    /// Whether `table` is declared at all.
    pub fn has_table(&self, table: &str) -> bool {
        self.tables.contains_key(table)
    }
}

/// Walk the file: every `table! { .. }` body is read, whatever path precedes `table`.
fn find_tables(tokens: TokenStream, out: &mut DieselColumns) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, t) in trees.iter().enumerate() {
        let is_table_macro = matches!(t, TokenTree::Ident(id) if id == "table")
            && matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!');
        if is_table_macro {
            if let Some(TokenTree::Group(body)) = trees.get(i + 2) {
                read_body(body.stream(), out);
            }
        } else if let TokenTree::Group(g) = t {
            find_tables(g.stream(), out);
        }
    }
}

/// `[#[attrs]] [schema.]name (pk) { col -> Type, ... }`, possibly several per invocation.
fn read_body(tokens: TokenStream, out: &mut DieselColumns) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut last_ident: Option<String> = None;
    for t in &trees {
        match t {
            TokenTree::Ident(id) => last_ident = Some(id.to_string()),
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                if let Some(table) = last_ident.take() {
                    out.tables.insert(table, columns(g.stream()));
                }
            }
            _ => {}
        }
    }
}

/// `[#[sql_name = "x"]] name -> Type,` ...
fn columns(tokens: TokenStream) -> BTreeSet<String> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut cols = BTreeSet::new();
    let mut sql_name: Option<String> = None;
    for (i, t) in trees.iter().enumerate() {
        match t {
            TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket => {
                let text = g.stream().to_string();
                if let Some(rest) = text.strip_prefix("sql_name") {
                    sql_name = rest.split('"').nth(1).map(str::to_owned);
                }
            }
            TokenTree::Ident(id) => {
                let arrow = matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '-')
                    && matches!(trees.get(i + 2), Some(TokenTree::Punct(p)) if p.as_char() == '>');
                if arrow {
                    let name = id.to_string();
                    let name = name.strip_prefix("r#").unwrap_or(&name).to_owned();
                    cols.insert(sql_name.take().unwrap_or(name));
                }
            }
            _ => {}
        }
    }
    cols
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_table_and_renamed_columns() {
        let text = r#"
            // @generated
            diesel::table! {
                posts (id) {
                    id -> Int8,
                    #[sql_name = "type"]
                    type_ -> Text,
                }
            }
            diesel::table! { users (id) { id -> Int8, email -> Nullable<Text>, } }
            diesel::joinable!(posts -> users (id));
        "#;
        let c = DieselColumns::parse(text).expect("tokens");
        assert!(c.names("posts", "type"));
        assert!(c.names("users", "email"));
        assert!(!c.names("posts", "email"));
        assert!(c.has_table("users"));
        assert!(!c.has_table("comments"));
    }
}
