//! MySQL/MariaDB: the `ALTER TABLE` algorithm. INSTANT changes only metadata; INPLACE
//! rebuilds or scans but lets reads and writes go on; COPY copies the table row by row and
//! blocks writes until it is done (MySQL's "Online DDL Operations" reference lists which
//! change needs which).

use migrate_sql::{Constraint, ConstraintType, Operation, Type};

use super::{Category, Check, Rule};
use crate::engine::{Cx, Hit};
use crate::finding::Severity;

/// `mysql-copy-alter`: an `ALTER TABLE` on an existing table that neither INSTANT nor
/// INPLACE can do, so MySQL/MariaDB copies the table and blocks writes meanwhile: a column
/// type change (other than widening a `VARCHAR` within the same length-prefix size), a
/// foreign key added with `foreign_key_checks` on, or dropping the primary key.
///
/// ```text
/// op.alter_column("users", "age")?.set_type(Type::BigInt);
/// ```
///
/// Fix: an online schema change tool (gh-ost, pt-online-schema-change) for a large table,
/// or add a new column, backfill it in batches and switch over.
pub static MYSQL_COPY_ALTER: Rule = Rule {
    id: "mysql-copy-alter",
    category: Category::Locking,
    dialects: &[migrate_sql::Dialect::Mysql],
    default: Severity::Error,
    summary: "an ALTER that cannot run ALGORITHM=INSTANT or INPLACE: MySQL/MariaDB copies the table and blocks writes",
    fix: "for a large table use an online schema change tool (gh-ost, pt-online-schema-change), or add a new column, backfill it in batches and switch over",
    squawk: None,
    atlas: None,
    new_tables: false,
    check: Check::Op(copy_alter),
};

/// Bytes per character of utf8mb4, MySQL's default character set: a VARCHAR's length prefix
/// is one byte up to 255 bytes, two beyond, and only a change within one size is INPLACE.
const UTF8MB4: u32 = 4;

fn copy_alter(cx: &Cx<'_>, op: &Operation) -> Vec<Hit> {
    let why = match op {
        Operation::AlterColumn(a) => {
            let Some(to) = &a.ty else {
                return Vec::new();
            };
            let from = a
                .existing_type
                .clone()
                .or_else(|| cx.column(&a.table, &a.column).map(|c| c.ty.clone()));
            let inplace = match (&from, to) {
                (Some(Type::String(n)), Type::String(m)) => {
                    m >= n && (n * UTF8MB4 < 256) == (m * UTF8MB4 < 256)
                }
                (Some(f), t) => f == t,
                (None, _) => false,
            };
            if inplace {
                return Vec::new();
            }
            format!(
                "changing the type of {}.{} to Type::{to:?} needs ALGORITHM=COPY (only widening a VARCHAR within its length-prefix size is INPLACE): the table is copied row by row and writes wait until it is done",
                a.table, a.column
            )
        }
        Operation::AddConstraint(a) => match &a.constraint {
            Constraint::ForeignKey(_) => format!(
                "adding a foreign key to {} with foreign_key_checks on needs ALGORITHM=COPY (INPLACE only with foreign_key_checks = 0): the table is copied and writes wait",
                a.table
            ),
            _ => return Vec::new(),
        },
        Operation::DropConstraint(d) if d.kind == ConstraintType::PrimaryKey => format!(
            "dropping the primary key of {} without adding one in the same ALTER needs ALGORITHM=COPY: the table is copied and writes wait",
            d.table
        ),
        _ => return Vec::new(),
    };
    match op.table() {
        Some(table) => vec![Hit::on(&table, why)],
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use migrate_sql::{Dialect, Operations, Type};

    use crate::rules::testutil::{fired, users};

    const MY: Dialect = Dialect::Mysql;

    #[test]
    fn a_type_change_and_a_foreign_key_need_copy() {
        let bigint = |op: &mut Operations| {
            op.alter_column("users", "age")?.set_type(Type::BigInt);
            Ok(())
        };
        assert_eq!(fired(MY, users, bigint), ["mysql-copy-alter"]);
        let fk = |op: &mut Operations| {
            op.create_foreign_key("fk_p", "posts", "users", &["user_id"], &["id"])
                .map(drop)
        };
        assert_eq!(fired(MY, users, fk), ["mysql-copy-alter"]);
        // 50 to 100 characters crosses the one-byte length prefix (200 to 400 bytes).
        let across = |op: &mut Operations| {
            op.alter_column("users", "email")?
                .set_type(Type::String(100))
                .existing_type(Type::String(50));
            Ok(())
        };
        assert!(fired(MY, users, across).contains(&"mysql-copy-alter".to_owned()));
    }

    #[test]
    fn widening_a_varchar_and_adding_an_index_are_online() {
        let widen = |op: &mut Operations| {
            op.alter_column("users", "email")?
                .set_type(Type::String(60))
                .existing_type(Type::String(50));
            op.create_index("ix_age", "users", &["age"]).map(drop)
        };
        // Only the hygiene rule on VARCHAR length changes.
        assert_eq!(fired(MY, users, widen), ["varchar-length-change"]);
    }
}
