//! PostgreSQL: column changes that scan or rewrite an existing table under an ACCESS
//! EXCLUSIVE lock (nothing reads or writes the table meanwhile).

use migrate_sql::{ColumnDefault, Default as Portable, Operation, Type};

use super::{Category, Check, Rule, PG};
use crate::engine::{Cx, Hit};
use crate::finding::Severity;

/// `set-not-null`: `SET NOT NULL` on a column of an existing table, which scans every row.
///
/// ```text
/// op.alter_column("users", "email")?.set_nullable(false);
/// ```
///
/// Fix: `op.create_check_constraint` via raw SQL `ALTER TABLE users ADD CONSTRAINT
/// ck_email_nn CHECK (email IS NOT NULL) NOT VALID`, `VALIDATE CONSTRAINT ck_email_nn` in a
/// later migration, then `SET NOT NULL` (PostgreSQL 12+ sees the validated check and skips
/// the scan) and drop the check.
pub static SET_NOT_NULL: Rule = Rule {
    id: "set-not-null",
    category: Category::Locking,
    dialects: PG,
    default: Severity::Error,
    summary: "SET NOT NULL on an existing column without a validated CHECK (col IS NOT NULL) first",
    fix: "add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL (PostgreSQL 12+ skips the scan) and drop the check",
    squawk: Some("adding-not-nullable-field"),
    atlas: None,
    new_tables: false,
    check: Check::Op(set_not_null),
};

fn set_not_null(_: &Cx<'_>, op: &Operation) -> Vec<Hit> {
    match op {
        Operation::AlterColumn(a) if a.nullable == Some(false) => vec![Hit::on(
            &a.table,
            format!(
                "scans every row of {} under an ACCESS EXCLUSIVE lock to prove {} has no NULL: reads and writes wait",
                a.table, a.column
            ),
        )],
        _ => Vec::new(),
    }
}

/// `column-type-change`: a column type change that rewrites the table (anything but
/// widening a `VARCHAR` or turning it into `TEXT`, which only changes the catalog).
///
/// ```text
/// op.alter_column("users", "age")?.set_type(Type::BigInt);
/// ```
///
/// Fix: add a column of the new type, backfill it in batches, move the application to it,
/// and drop the old column in a later migration.
pub static COLUMN_TYPE_CHANGE: Rule = Rule {
    id: "column-type-change",
    category: Category::Locking,
    dialects: PG,
    default: Severity::Error,
    summary: "a column type change that rewrites the table and its indexes",
    fix: "add a column of the new type, backfill it in batches, switch the application to it, then drop the old column",
    squawk: Some("changing-column-type"),
    atlas: None,
    new_tables: false,
    check: Check::Op(column_type_change),
};

fn column_type_change(cx: &Cx<'_>, op: &Operation) -> Vec<Hit> {
    let Operation::AlterColumn(a) = op else {
        return Vec::new();
    };
    let Some(to) = &a.ty else {
        return Vec::new();
    };
    let from = a
        .existing_type
        .clone()
        .or_else(|| cx.column(&a.table, &a.column).map(|c| c.ty.clone()));
    let catalog_only = match (&from, to) {
        (Some(Type::String(n)), Type::String(m)) => m >= n,
        (Some(Type::String(_)), Type::Text) => true,
        (Some(f), t) => f == t,
        (None, _) => false,
    };
    if catalog_only {
        return Vec::new();
    }
    vec![Hit::on(
        &a.table,
        format!(
            "rewrites {} and rebuilds its indexes under an ACCESS EXCLUSIVE lock to change {} to Type::{:?}: reads and writes wait",
            a.table, a.column, to
        ),
    )]
}

/// `volatile-default`: a column added to an existing table with a volatile default
/// (`random()`, `gen_random_uuid()`, `clock_timestamp()` ...), which PostgreSQL must compute
/// for every row, rewriting the table. (A constant or `now()` is only stored in the catalog.)
///
/// ```text
/// op.add_column("users", "token", Type::Uuid)?.server_default(Default::GenRandomUuid);
/// ```
///
/// Fix: add the column without a default, set the default in a second statement (new rows
/// get it), and backfill the existing rows in batches.
pub static VOLATILE_DEFAULT: Rule = Rule {
    id: "volatile-default",
    category: Category::Locking,
    dialects: PG,
    default: Severity::Error,
    summary: "a column added to an existing table with a volatile default, which rewrites the table",
    fix: "add the column with no default, then alter_column(..).set_server_default(..) for new rows, and backfill the old rows in batches",
    squawk: Some("adding-field-with-default"),
    atlas: None,
    new_tables: false,
    check: Check::Op(volatile_default),
};

/// Functions PostgreSQL marks VOLATILE that column defaults use.
const VOLATILE: &[&str] = &[
    "random(",
    "gen_random_uuid(",
    "uuid_generate_v1",
    "uuid_generate_v4",
    "clock_timestamp(",
    "timeofday(",
    "nextval(",
    "txid_current(",
];

fn volatile_default(_: &Cx<'_>, op: &Operation) -> Vec<Hit> {
    let Operation::AddColumn(a) = op else {
        return Vec::new();
    };
    let volatile = match &a.column.default {
        Some(ColumnDefault::Portable(Portable::GenRandomUuid)) => true,
        Some(ColumnDefault::Sql(s)) => {
            let s = s.to_ascii_lowercase().replace(' ', "");
            VOLATILE.iter().any(|f| s.contains(f))
        }
        _ => false,
    };
    if !volatile {
        return Vec::new();
    }
    vec![Hit::on(
        &a.table,
        format!(
            "rewrites every row of {} under an ACCESS EXCLUSIVE lock to fill {} with its volatile default: reads and writes wait",
            a.table, a.column.name
        ),
    )]
}

#[cfg(test)]
mod tests {
    use migrate_sql::{Default as Portable, Dialect, Operations, Sql, Type};

    use crate::rules::testutil::{fired, users};

    const PG: Dialect = Dialect::Postgres;

    #[test]
    fn set_not_null_fires_dropping_not_null_does_not() {
        let set = |op: &mut Operations| {
            op.alter_column("users", "email")?.set_nullable(false);
            Ok(())
        };
        assert_eq!(fired(PG, users, set), ["set-not-null"]);
        let unset = |op: &mut Operations| {
            op.alter_column("users", "email")?.set_nullable(true);
            Ok(())
        };
        assert_eq!(fired(PG, users, unset), Vec::<String>::new());
    }

    #[test]
    fn type_change_fires_varchar_widening_does_not() {
        let to_bigint = |op: &mut Operations| {
            op.alter_column("users", "age")?.set_type(Type::BigInt);
            Ok(())
        };
        assert_eq!(fired(PG, users, to_bigint), ["column-type-change"]);
        let widen = |op: &mut Operations| {
            op.alter_column("users", "email")?.set_type(Type::Text);
            Ok(())
        };
        assert_eq!(fired(PG, users, widen), Vec::<String>::new());
    }

    #[test]
    fn volatile_default_fires_a_constant_or_now_does_not() {
        let uuid = |op: &mut Operations| {
            op.add_column("users", "token", Type::Uuid)?
                .server_default(Portable::GenRandomUuid);
            Ok(())
        };
        assert_eq!(fired(PG, users, uuid), ["volatile-default"]);
        let random = |op: &mut Operations| {
            op.add_column("users", "r", Type::Double)?
                .server_default(Sql("random ()"));
            Ok(())
        };
        assert_eq!(fired(PG, users, random), ["volatile-default"]);
        let now = |op: &mut Operations| {
            op.add_column("users", "seen", Type::TimestampTz)?
                .server_default(Sql("now()"));
            op.add_column("users", "n", Type::BigInt)?.default(0);
            Ok(())
        };
        assert_eq!(fired(PG, users, now), Vec::<String>::new());
    }
}
