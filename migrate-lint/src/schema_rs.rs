//! The tables and columns a Diesel `schema.rs` names (its `table!` invocations), for the
//! rule that a dropped column must leave the application's schema first.

use std::collections::{BTreeMap, BTreeSet};

/// Table name → its column names, as Diesel's `schema.rs` spells them (the SQL name when a
/// `#[sql_name = ".."]` renames one).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DieselColumns {
    tables: BTreeMap<String, BTreeSet<String>>,
}

impl DieselColumns {
    /// Read the `table!` invocations of `text`; `None` when it does not parse.
    ///
    /// ```
    /// let cols = migrate_lint::DieselColumns::parse(
    ///     "diesel::table! { users (id) { id -> Int8, email -> Text, } }",
    /// ).unwrap();
    /// assert!(cols.names("users", "email"));
    /// assert!(!cols.names("users", "name"));
    /// ```
    pub fn parse(text: &str) -> Option<DieselColumns> {
        // The one reader of schema.rs (autogenerate's): `#[sql_name]`, modules, `use` items.
        let file = migrate_schema::diesel_schema::parse(text).ok()?;
        let mut out = DieselColumns::default();
        for t in file.tables {
            out.tables
                .entry(t.name)
                .or_default()
                .extend(t.columns.into_iter().map(|c| c.name));
        }
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
