//! PostgreSQL: index and constraint builds that hold a lock on an existing table for as
//! long as they scan it.

use migrate_sql::{Constraint, Operation};

use super::{Category, Check, Rule, PG};
use crate::engine::{Cx, Hit};
use crate::finding::Severity;

/// `create-index-not-concurrently`: `CREATE INDEX` on an existing table, not concurrently.
///
/// ```text
/// op.create_index("ix_users_email", "users", &["email"])?;
/// ```
///
/// Fix: `op.create_index(..)?.concurrently();` in a migration with `transactional = false`
/// (PostgreSQL builds a concurrent index outside a transaction only).
pub static CREATE_INDEX_NOT_CONCURRENTLY: Rule = Rule {
    id: "create-index-not-concurrently",
    category: Category::Locking,
    dialects: PG,
    default: Severity::Error,
    summary: "CREATE INDEX on an existing table without CONCURRENTLY blocks writes while it builds",
    fix: "build it with .concurrently() in a migration with transactional = false",
    squawk: Some("require-concurrent-index-creation"),
    atlas: Some("concurrent index policy"),
    new_tables: false,
    check: Check::Op(create_index),
};

fn create_index(_: &Cx<'_>, op: &Operation) -> Vec<Hit> {
    match op {
        Operation::CreateIndex(i) if !i.concurrently => vec![Hit::on(
            &i.table,
            format!(
                "takes a SHARE lock on {}: every INSERT, UPDATE and DELETE waits until the index is built",
                i.table
            ),
        )],
        _ => Vec::new(),
    }
}

/// `drop-index-not-concurrently`: `DROP INDEX` of an existing table's index, not
/// concurrently.
///
/// ```text
/// op.drop_index("ix_users_email", "users")?;
/// ```
///
/// Fix: `op.drop_index(..)?.concurrently();` in a migration with `transactional = false`.
pub static DROP_INDEX_NOT_CONCURRENTLY: Rule = Rule {
    id: "drop-index-not-concurrently",
    category: Category::Locking,
    dialects: PG,
    default: Severity::Error,
    summary: "DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table",
    fix: "drop it with .concurrently() in a migration with transactional = false",
    squawk: Some("require-concurrent-index-deletion"),
    atlas: Some("concurrent index policy"),
    new_tables: false,
    check: Check::Op(drop_index),
};

fn drop_index(_: &Cx<'_>, op: &Operation) -> Vec<Hit> {
    match op {
        Operation::DropIndex(d) if !d.concurrently => vec![Hit::on(
            &d.table,
            format!(
                "takes an ACCESS EXCLUSIVE lock on {}: reads and writes wait behind it (and behind any long query it waits for)",
                d.table
            ),
        )],
        _ => Vec::new(),
    }
}

/// `constraint-not-valid`: a foreign key or check constraint added to an existing table in
/// one step, which checks every row while it holds its lock.
///
/// ```text
/// op.create_foreign_key("fk_posts_user", "posts", "users", &["user_id"], &["id"])?;
/// ```
///
/// Fix: add it `NOT VALID` (raw SQL: `ALTER TABLE posts ADD CONSTRAINT fk_posts_user FOREIGN
/// KEY (user_id) REFERENCES users (id) NOT VALID`), then `ALTER TABLE posts VALIDATE
/// CONSTRAINT fk_posts_user` in a later migration: validating takes only a SHARE UPDATE
/// EXCLUSIVE lock, which lets reads and writes go on.
pub static CONSTRAINT_NOT_VALID: Rule = Rule {
    id: "constraint-not-valid",
    category: Category::Locking,
    dialects: PG,
    default: Severity::Error,
    summary: "a foreign key or check constraint added to an existing table without NOT VALID + a separate VALIDATE",
    fix: "op.execute(\"ALTER TABLE .. ADD CONSTRAINT .. NOT VALID\"), then op.execute(\"ALTER TABLE .. VALIDATE CONSTRAINT ..\") in a later migration",
    squawk: Some("constraint-missing-not-valid, adding-foreign-key-constraint"),
    atlas: None,
    new_tables: false,
    check: Check::Op(constraint_not_valid),
};

fn constraint_not_valid(_: &Cx<'_>, op: &Operation) -> Vec<Hit> {
    let Operation::AddConstraint(a) = op else {
        return Vec::new();
    };
    let what = match &a.constraint {
        Constraint::ForeignKey(fk) => format!(
            "locks {} and {} (SHARE ROW EXCLUSIVE: writes wait) while every row is checked against {}",
            a.table, fk.ref_table, fk.ref_table
        ),
        Constraint::Check(_) => format!(
            "takes an ACCESS EXCLUSIVE lock on {} while every row is checked: reads and writes wait",
            a.table
        ),
        _ => return Vec::new(),
    };
    vec![Hit::on(&a.table, what)]
}

/// `unique-without-index`: a unique constraint (or primary key) added to an existing table,
/// which builds its index under an ACCESS EXCLUSIVE lock.
///
/// ```text
/// op.create_unique_constraint("uq_users_email", "users", &["email"])?;
/// ```
///
/// Fix: `op.create_index("uq_users_email", "users", &["email"])?.unique().concurrently();`
/// (with `transactional = false`), then `op.execute("ALTER TABLE users ADD CONSTRAINT
/// uq_users_email UNIQUE USING INDEX uq_users_email")`.
pub static UNIQUE_WITHOUT_INDEX: Rule = Rule {
    id: "unique-without-index",
    category: Category::Locking,
    dialects: PG,
    default: Severity::Error,
    summary: "a unique constraint or primary key added to an existing table, not built from a concurrently created index",
    fix: "create a unique index .concurrently() first (transactional = false), then op.execute(\"ALTER TABLE .. ADD CONSTRAINT .. UNIQUE USING INDEX ..\")",
    squawk: Some("disallowed-unique-constraint, adding-serial-primary-key-field"),
    atlas: None,
    new_tables: false,
    check: Check::Op(unique_without_index),
};

fn unique_without_index(_: &Cx<'_>, op: &Operation) -> Vec<Hit> {
    match op {
        Operation::AddConstraint(a)
            if matches!(
                a.constraint,
                Constraint::Unique(_) | Constraint::PrimaryKey(_)
            ) =>
        {
            vec![Hit::on(
                &a.table,
                format!(
                    "builds a unique index on {} under an ACCESS EXCLUSIVE lock: reads and writes wait until every row is indexed",
                    a.table
                ),
            )]
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use migrate_sql::{Dialect, Operations, Sql, Type};

    use crate::rules::testutil::{fired, users};

    const PG: Dialect = Dialect::Postgres;

    #[test]
    fn create_index_fires_unless_concurrent_or_on_a_new_table() {
        let plain = |op: &mut Operations| op.create_index("ix_a", "users", &["age"]).map(drop);
        assert_eq!(fired(PG, users, plain), ["create-index-not-concurrently"]);
        let conc = |op: &mut Operations| {
            op.create_index("ix_a", "users", &["age"])?.concurrently();
            Ok(())
        };
        assert_eq!(fired(PG, users, conc), Vec::<String>::new());
        let new_table = |op: &mut Operations| {
            op.create_table("tags", |t| {
                t.column("id", Type::BigInt).primary_key();
            })?;
            op.create_index("ix_tags", "tags", &["id"]).map(drop)
        };
        assert_eq!(fired(PG, |_| Ok(()), new_table), Vec::<String>::new());
        // Not a PostgreSQL rule.
        assert_eq!(fired(Dialect::Sqlite, users, plain), Vec::<String>::new());
    }

    #[test]
    fn raw_sql_on_a_table_created_here_is_left_alone_by_squawk_too() {
        let raw = |op: &mut Operations| op.execute("CREATE INDEX ix_a ON users (age)");
        assert_eq!(
            fired(PG, users, raw),
            ["squawk:require-concurrent-index-creation"]
        );
        let made_here = |op: &mut Operations| {
            op.create_table("tags", |t| {
                t.column("id", Type::BigInt).primary_key();
            })?;
            op.execute("CREATE INDEX ix_tags ON tags (id)")
        };
        assert_eq!(fired(PG, users, made_here), Vec::<String>::new());
    }

    #[test]
    fn drop_index_fires_unless_concurrent() {
        let plain = |op: &mut Operations| op.drop_index("ix_users_email", "users").map(drop);
        assert_eq!(fired(PG, users, plain), ["drop-index-not-concurrently"]);
        let conc = |op: &mut Operations| {
            op.drop_index("ix_users_email", "users")?.concurrently();
            Ok(())
        };
        assert_eq!(fired(PG, users, conc), Vec::<String>::new());
    }

    #[test]
    fn foreign_keys_and_checks_on_existing_tables_fire() {
        let fk = |op: &mut Operations| {
            op.create_foreign_key("fk_p", "posts", "users", &["user_id"], &["id"])
                .map(drop)
        };
        assert_eq!(fired(PG, users, fk), ["constraint-not-valid"]);
        let ck =
            |op: &mut Operations| op.create_check_constraint("ck_age", "users", Sql("age > 0"));
        assert_eq!(fired(PG, users, ck), ["constraint-not-valid"]);
        let inline = |op: &mut Operations| {
            op.create_table("tags", |t| {
                t.column("id", Type::BigInt).primary_key();
                t.column("user_id", Type::BigInt).references("users", "id");
            })
        };
        assert_eq!(fired(PG, users, inline), Vec::<String>::new());
    }

    #[test]
    fn unique_constraint_fires_a_concurrent_unique_index_does_not() {
        let uq = |op: &mut Operations| op.create_unique_constraint("uq_e", "users", &["email"]);
        assert_eq!(fired(PG, users, uq), ["unique-without-index"]);
        let ix = |op: &mut Operations| {
            op.create_index("uq_e", "users", &["email"])?
                .unique()
                .concurrently();
            Ok(())
        };
        assert_eq!(fired(PG, users, ix), Vec::<String>::new());
    }
}
