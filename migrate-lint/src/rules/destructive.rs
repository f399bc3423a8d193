//! Destructive: data is gone once these run, and the running application still expects it.

use migrate_sql::Operation;

use super::{Category, Check, Rule, ALL, PG};
use crate::engine::{Cx, Hit};
use crate::finding::Severity;

/// `drop-table`: dropping a table that existed before this migration.
///
/// ```text
/// op.drop_table("legacy_sessions")?;
/// ```
///
/// Fix: stop reading and writing the table in a release first; drop it in a later migration
/// (with `allow_lint = ["drop-table"]` and a reason), or rename it aside and drop it after a
/// grace period.
pub static DROP_TABLE: Rule = Rule {
    id: "drop-table",
    category: Category::Destructive,
    dialects: ALL,
    default: Severity::Error,
    summary: "drops a table that existed before the migration, with every row",
    fix: "ship a release that no longer uses the table first, then drop it in a later migration (allow_lint = [\"drop-table\"] with a reason)",
    squawk: Some("ban-drop-table"),
    atlas: Some("DS102"),
    new_tables: false,
    check: Check::Op(drop_table),
};

fn drop_table(_: &Cx<'_>, op: &Operation) -> Vec<Hit> {
    match op {
        Operation::DropTable(d) => vec![Hit::on(
            &d.table,
            format!(
                "deletes {} and every row in it; the running application's queries on it fail",
                d.table
            ),
        )],
        _ => Vec::new(),
    }
}

/// `drop-column`: dropping a column of a table that existed before this migration.
///
/// ```text
/// op.drop_column("users", "legacy_email")?;
/// ```
///
/// Fix: expand/contract. Release code that no longer reads or writes the column (remove it
/// from Diesel's `schema.rs`), then drop it in a later migration.
pub static DROP_COLUMN: Rule = Rule {
    id: "drop-column",
    category: Category::Destructive,
    dialects: ALL,
    default: Severity::Error,
    summary: "drops a column of an existing table, with its data",
    fix: "ship a release that no longer reads or writes the column first, then drop it in a later migration (allow_lint = [\"drop-column\"] with a reason)",
    squawk: Some("ban-drop-column"),
    atlas: Some("DS103"),
    new_tables: false,
    check: Check::Op(drop_column),
};

fn drop_column(_: &Cx<'_>, op: &Operation) -> Vec<Hit> {
    match op {
        Operation::DropColumn(d) => vec![Hit::on(
            &d.table,
            format!(
                "deletes {}.{} and its data; a running application that selects or inserts it fails",
                d.table, d.column
            ),
        )],
        _ => Vec::new(),
    }
}

/// `drop-enum`: dropping an enumerated type (PostgreSQL `DROP TYPE`).
///
/// ```text
/// op.drop_enum("mood")?;
/// ```
///
/// Fix: move every column off the type first (and ship the code that no longer writes its
/// values), then drop it.
pub static DROP_ENUM: Rule = Rule {
    id: "drop-enum",
    category: Category::Destructive,
    dialects: PG,
    default: Severity::Error,
    summary: "drops an enumerated type and the set of values it allowed",
    fix: "move every column off the type and ship code that no longer uses its values first, then drop it in a later migration",
    squawk: None,
    atlas: None,
    new_tables: false,
    check: Check::Op(drop_enum),
};

fn drop_enum(_: &Cx<'_>, op: &Operation) -> Vec<Hit> {
    match op {
        Operation::DropEnum(e) => vec![Hit {
            table: None,
            message: format!(
                "removes the type {}; code that casts to it, and columns still of it, break",
                e.name
            ),
        }],
        _ => Vec::new(),
    }
}

/// `truncate`: `TRUNCATE` in raw SQL.
///
/// ```text
/// op.execute("TRUNCATE TABLE audit_log")?;
/// ```
///
/// Fix: delete in batches (`DELETE ... WHERE id < ..`), or drop and recreate a table nobody
/// uses; never truncate a table the application uses.
pub static TRUNCATE: Rule = Rule {
    id: "truncate",
    category: Category::Destructive,
    dialects: ALL,
    default: Severity::Error,
    summary: "TRUNCATE in raw SQL deletes every row at once",
    fix: "delete the rows you mean in batches (DELETE ... WHERE ...) from a data migration, or allow_lint = [\"truncate\"] with a reason",
    squawk: Some("ban-truncate-cascade"),
    atlas: None,
    new_tables: false,
    check: Check::Op(truncate),
};

fn truncate(cx: &Cx<'_>, op: &Operation) -> Vec<Hit> {
    let Operation::Execute { sql, .. } = op else {
        return Vec::new();
    };
    crate::sqltext::kinds(sql, cx.dialect)
        .truncated
        .into_iter()
        .map(|t| Hit {
            table: Some(migrate_sql::QualifiedName::from(t.as_str())),
            message: format!(
                "deletes every row of {t}, under an ACCESS EXCLUSIVE lock on PostgreSQL (a table lock elsewhere)"
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use migrate_sql::{Dialect, Type};

    use crate::rules::testutil::{fired, nothing, users};

    #[test]
    fn drop_table_fires_on_an_existing_table_only() {
        let d = Dialect::Postgres;
        assert_eq!(
            fired(d, users, |op| op.drop_table("posts").map(drop)),
            ["drop-table"]
        );
        let create_then_drop = |op: &mut migrate_sql::Operations| {
            op.create_table("tmp", |t| {
                t.column("id", Type::BigInt).primary_key();
            })?;
            op.drop_table("tmp").map(drop)
        };
        assert_eq!(fired(d, nothing, create_then_drop), Vec::<String>::new());
    }

    #[test]
    fn drop_column_fires_on_every_dialect_but_not_on_add_column() {
        for d in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
            let got = fired(d, users, |op| op.drop_column("users", "nickname").map(drop));
            assert!(got.contains(&"drop-column".to_owned()), "{d:?}: {got:?}");
            let got = fired(d, users, |op| {
                op.add_column("users", "bio", Type::Text).map(drop)
            });
            assert!(!got.contains(&"drop-column".to_owned()), "{d:?}: {got:?}");
        }
    }

    #[test]
    fn drop_enum_fires_create_enum_does_not() {
        let d = Dialect::Postgres;
        let setup = |op: &mut migrate_sql::Operations| op.create_enum("mood", &["sad", "ok"]);
        assert_eq!(
            fired(d, setup, |op| op.drop_enum("mood").map(drop)),
            ["drop-enum"]
        );
        let create = |op: &mut migrate_sql::Operations| op.create_enum("tone", &["a"]);
        assert_eq!(fired(d, nothing, create), Vec::<String>::new());
    }

    #[test]
    fn truncate_fires_delete_with_where_does_not() {
        let d = Dialect::Mysql;
        assert_eq!(
            fired(d, users, |op| op.execute("TRUNCATE TABLE posts")),
            ["truncate"]
        );
        let delete =
            |op: &mut migrate_sql::Operations| op.execute("DELETE FROM posts WHERE id < 10");
        assert_eq!(fired(d, users, delete), Vec::<String>::new());
    }
}
