//! SQLite: what `ALTER TABLE` can't do there, migrate does by rebuilding the table ("move and
//! copy", Alembic's batch mode).

use migrate_sql::{Dialect, Operation};

use super::{Category, Check, Rule};
use crate::engine::{Cx, Hit};
use crate::finding::Severity;

/// `sqlite-table-rebuild`: an operation SQLite can only apply by rebuilding an existing
/// table: a new table is created, every row copied into it, the old one dropped, all under
/// the database's write lock.
///
/// ```text
/// op.alter_column("users", "age")?.set_type(Type::BigInt);
/// ```
///
/// Fix: fine for a small table; for a large one, put all of a table's changes in one
/// migration (one rebuild, not several) and run it when writers can wait.
pub static SQLITE_TABLE_REBUILD: Rule = Rule {
    id: "sqlite-table-rebuild",
    category: Category::Locking,
    dialects: &[Dialect::Sqlite],
    default: Severity::Warning,
    summary: "an ALTER SQLite can't do in place: the existing table is rebuilt and every row copied",
    fix: "fine for a small table; for a large one, group the table's changes into one migration (one rebuild) and run it when writers can wait",
    squawk: None,
    atlas: None,
    new_tables: false,
    check: Check::Op(rebuild),
};

fn rebuild(_: &Cx<'_>, op: &Operation) -> Vec<Hit> {
    match op.requires_rebuild(Dialect::Sqlite) {
        Some(table) => vec![Hit::on(
            table,
            format!(
                "rebuilds {table}: creates a copy, copies every row into it and drops the original, holding the database's write lock throughout"
            ),
        )],
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use migrate_sql::{Dialect, Operations, Type};

    use crate::rules::testutil::{fired, users};

    #[test]
    fn a_type_change_rebuilds_adding_a_column_does_not() {
        let retype = |op: &mut Operations| {
            op.alter_column("users", "age")?.set_type(Type::BigInt);
            Ok(())
        };
        assert_eq!(
            fired(Dialect::Sqlite, users, retype),
            ["sqlite-table-rebuild"]
        );
        let add = |op: &mut Operations| op.add_column("users", "bio", Type::Text).map(drop);
        assert_eq!(fired(Dialect::Sqlite, users, add), Vec::<String>::new());
    }
}
