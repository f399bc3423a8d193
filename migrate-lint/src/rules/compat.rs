//! Backward-incompatible for the application that is running while the migration runs
//! (expand/contract): the old code still uses the old names.

use migrate_sql::Operation;

use super::{Category, Check, Rule, ALL};
use crate::engine::{Cx, Hit};
use crate::finding::Severity;

/// `rename-column`: renaming a column of an existing table.
///
/// ```text
/// op.alter_column("users", "email")?.rename_to("email_address");
/// ```
///
/// Fix: expand/contract. Add the new column, write both (or backfill), move the readers,
/// then drop the old column in a later release.
pub static RENAME_COLUMN: Rule = Rule {
    id: "rename-column",
    category: Category::Compatibility,
    dialects: ALL,
    default: Severity::Error,
    summary: "renames a column the running application still uses by its old name",
    fix: "add the new column, write both and backfill, move the readers, then drop the old one in a later release",
    squawk: Some("renaming-column"),
    atlas: Some("BC102"),
    new_tables: false,
    check: Check::Op(rename_column),
};

fn rename_column(_: &Cx<'_>, op: &Operation) -> Vec<Hit> {
    match op {
        Operation::AlterColumn(a) => match &a.new_name {
            Some(to) if *to != a.column => vec![Hit::on(
                &a.table,
                format!(
                    "renames {}.{} to {to}: the running application's queries that name {} fail until it is redeployed",
                    a.table, a.column, a.column
                ),
            )],
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// `rename-table`: renaming an existing table.
///
/// ```text
/// op.rename_table("users", "accounts")?;
/// ```
///
/// Fix: create the new table (or a view named like the old one over the new table), move the
/// application, then drop the old name in a later release.
pub static RENAME_TABLE: Rule = Rule {
    id: "rename-table",
    category: Category::Compatibility,
    dialects: ALL,
    default: Severity::Error,
    summary: "renames a table the running application still uses by its old name",
    fix: "rename it and create a view with the old name in the same migration, move the application, then drop the view in a later release",
    squawk: Some("renaming-table"),
    atlas: Some("BC101"),
    new_tables: false,
    check: Check::Op(rename_table),
};

fn rename_table(_: &Cx<'_>, op: &Operation) -> Vec<Hit> {
    match op {
        Operation::RenameTable(r) => vec![Hit::on(
            &r.table,
            format!(
                "renames {} to {}: the running application's queries on {} fail until it is redeployed",
                r.table, r.new_name, r.table.name
            ),
        )],
        _ => Vec::new(),
    }
}

/// `drop-still-in-schema-rs`: dropping a column (or table) that the application's Diesel
/// `schema.rs` (`diesel_schema` in migrate.toml) still names, so the code that is deployed
/// next to this migration still selects it.
///
/// ```text
/// // schema.rs: diesel::table! { users (id) { id -> Int8, legacy_email -> Text, } }
/// op.drop_column("users", "legacy_email")?;
/// ```
///
/// Fix: remove it from `schema.rs` and the code, ship that, then drop it.
pub static DROP_STILL_IN_SCHEMA_RS: Rule = Rule {
    id: "drop-still-in-schema-rs",
    category: Category::Compatibility,
    dialects: ALL,
    default: Severity::Error,
    summary: "drops a column or table that Diesel's schema.rs (diesel_schema) still names",
    fix: "remove the column from schema.rs and the code that uses it, deploy that, then drop it in a later migration",
    squawk: None,
    atlas: None,
    new_tables: false,
    check: Check::Op(drop_still_named),
};

fn drop_still_named(cx: &Cx<'_>, op: &Operation) -> Vec<Hit> {
    let Some(diesel) = cx.diesel else {
        return Vec::new();
    };
    match op {
        Operation::DropColumn(d) if diesel.names(&d.table.name, &d.column) => vec![Hit::on(
            &d.table,
            format!(
                "schema.rs still names {}.{}: Diesel's `{}::all_columns` and every query built on it select it, and fail once it is gone",
                d.table, d.column, d.table.name
            ),
        )],
        Operation::DropTable(d) if diesel.has_table(&d.table.name) => vec![Hit::on(
            &d.table,
            format!("schema.rs still declares table {}: code using it fails once it is gone", d.table),
        )],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use migrate_sql::{Dialect, Operations};

    use crate::rules::testutil::{fired, fired_with, users};
    use crate::DieselColumns;

    #[test]
    fn rename_column_fires_other_alters_do_not() {
        let rename = |op: &mut Operations| {
            op.alter_column("users", "email")?.rename_to("mail");
            Ok(())
        };
        assert_eq!(fired(Dialect::Sqlite, users, rename), ["rename-column"]);
        let comment = |op: &mut Operations| {
            op.alter_column("users", "email")?
                .set_comment(Some("login"));
            Ok(())
        };
        assert_eq!(fired(Dialect::Sqlite, users, comment), Vec::<String>::new());
    }

    #[test]
    fn rename_table_fires_except_on_a_table_made_here() {
        let rename = |op: &mut Operations| op.rename_table("posts", "articles");
        assert_eq!(fired(Dialect::Mysql, users, rename), ["rename-table"]);
        let made_here = |op: &mut Operations| {
            users(op)?;
            op.rename_table("posts", "articles")
        };
        assert_eq!(
            fired(Dialect::Mysql, |_| Ok(()), made_here),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_column_schema_rs_still_names_fires() {
        let diesel =
            DieselColumns::parse("diesel::table! { users (id) { id -> Int8, nickname -> Text, } }")
                .expect("tokens");
        let drop_nick = |op: &mut Operations| op.drop_column("users", "nickname").map(drop);
        let got = fired_with(Dialect::Postgres, users, drop_nick, Some(&diesel));
        assert_eq!(got, ["drop-column", "drop-still-in-schema-rs"]);
        let drop_age = |op: &mut Operations| op.drop_column("users", "age").map(drop);
        let got = fired_with(Dialect::Postgres, users, drop_age, Some(&diesel));
        assert_eq!(got, ["drop-column"]);
    }
}
