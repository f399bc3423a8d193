//! Hygiene: safe to run today, a trap later. Warnings by default; these also fire on tables
//! the migration creates.

use migrate_sql::{Column, Dialect, Operation, Type};

use super::{Category, Check, Rule, ALL, PG};
use crate::engine::{Cx, Hit};
use crate::finding::Severity;

/// `prefer-bigint-pk`: a 32-bit `INTEGER` primary key, which runs out at 2,147,483,647 rows
/// (SQLite's `INTEGER PRIMARY KEY` is already 64-bit, so not there).
///
/// ```text
/// op.create_table("events", |t| { t.column("id", Type::Integer).primary_key(); })?;
/// ```
///
/// Fix: `Type::BigInt`.
pub static PREFER_BIGINT_PK: Rule = Rule {
    id: "prefer-bigint-pk",
    category: Category::Hygiene,
    dialects: &[Dialect::Postgres, Dialect::Mysql],
    default: Severity::Warning,
    summary: "an INTEGER primary key, which runs out at 2^31 - 1",
    fix: "use Type::BigInt for the key (and for the columns referencing it)",
    squawk: Some("prefer-bigint-over-int"),
    atlas: None,
    new_tables: true,
    check: Check::Op(bigint_pk),
};

fn bigint_pk(_: &Cx<'_>, op: &Operation) -> Vec<Hit> {
    let hit = |table, column: &str| {
        Hit::on(
            table,
            format!("{table}.{column} is a 32-bit INTEGER key: inserts fail once ids pass 2,147,483,647, and widening it later rewrites the table"),
        )
    };
    match op {
        Operation::CreateTable(t) => {
            let pk = t.primary_key_columns();
            t.columns
                .iter()
                .filter(|c| c.ty == Type::Integer && pk.len() == 1 && pk[0] == c.name)
                .map(|c| hit(&t.name, &c.name))
                .collect()
        }
        Operation::AddColumn(a) if a.column.primary_key && a.column.ty == Type::Integer => {
            vec![hit(&a.table, &a.column.name)]
        }
        _ => Vec::new(),
    }
}

/// `timestamp-without-tz`: a PostgreSQL `TIMESTAMP` (without time zone) column, which
/// stores wall-clock time and silently shifts when servers or sessions change time zone.
///
/// ```text
/// op.add_column("users", "seen_at", Type::Timestamp)?;
/// ```
///
/// Fix: `Type::TimestampTz`.
pub static TIMESTAMP_WITHOUT_TZ: Rule = Rule {
    id: "timestamp-without-tz",
    category: Category::Hygiene,
    dialects: PG,
    default: Severity::Warning,
    summary: "a TIMESTAMP column without time zone on PostgreSQL",
    fix: "use Type::TimestampTz (timestamptz)",
    squawk: Some("prefer-timestamp-tz"),
    atlas: None,
    new_tables: true,
    check: Check::Op(timestamp),
};

fn timestamp(_: &Cx<'_>, op: &Operation) -> Vec<Hit> {
    let hit = |table, column: &str| {
        Hit::on(
            table,
            format!("{table}.{column} is TIMESTAMP WITHOUT TIME ZONE: values are read back in whatever zone the session has, with no offset kept"),
        )
    };
    let cols: Vec<&Column> = match op {
        Operation::CreateTable(t) => t.columns.iter().collect(),
        Operation::AddColumn(a) => vec![&a.column],
        Operation::AlterColumn(a) if a.ty == Some(Type::Timestamp) => {
            return vec![hit(&a.table, &a.column)];
        }
        _ => return Vec::new(),
    };
    let table = match op {
        Operation::CreateTable(t) => &t.name,
        Operation::AddColumn(a) => &a.table,
        _ => return Vec::new(),
    };
    cols.into_iter()
        .filter(|c| c.ty == Type::Timestamp)
        .map(|c| hit(table, &c.name))
        .collect()
}

/// `varchar-length-change`: changing a `VARCHAR(n)`'s length. Narrowing checks every row
/// (and rewrites on MySQL); widening is cheap on PostgreSQL but a copy on MySQL once the
/// length prefix grows; either way the limit moves again later.
///
/// ```text
/// op.alter_column("users", "email")?.set_type(Type::String(320));
/// ```
///
/// Fix: `Type::Text` with a CHECK constraint on its length, which can be changed (`NOT VALID`
/// + `VALIDATE`) without a rewrite.
pub static VARCHAR_LENGTH_CHANGE: Rule = Rule {
    id: "varchar-length-change",
    category: Category::Hygiene,
    dialects: ALL,
    default: Severity::Warning,
    summary: "a VARCHAR(n) length change",
    fix: "use Type::Text with a CHECK (length(col) <= n) constraint, whose limit can change without a rewrite",
    squawk: Some("prefer-text-field"),
    atlas: None,
    new_tables: false,
    check: Check::Op(varchar_length),
};

fn varchar_length(cx: &Cx<'_>, op: &Operation) -> Vec<Hit> {
    let Operation::AlterColumn(a) = op else {
        return Vec::new();
    };
    let Some(Type::String(to)) = a.ty else {
        return Vec::new();
    };
    let from = a
        .existing_type
        .clone()
        .or_else(|| cx.column(&a.table, &a.column).map(|c| c.ty.clone()));
    match from {
        Some(Type::String(from)) if from != to => vec![Hit::on(
            &a.table,
            format!(
                "changes {}.{} from VARCHAR({from}) to VARCHAR({to}){}",
                a.table,
                a.column,
                if to < from {
                    ": every row is checked against the shorter limit while the table is locked"
                } else {
                    ": the limit will likely move again"
                }
            ),
        )],
        _ => Vec::new(),
    }
}

/// `enum-value-position`: a value added to a PostgreSQL enum type without `.before(..)` or
/// `.after(..)`, so it sorts after every existing value.
///
/// ```text
/// op.add_enum_value("status", "archived")?;
/// ```
///
/// Fix: say where it goes: `op.add_enum_value("status", "archived")?.after("done");`.
pub static ENUM_VALUE_POSITION: Rule = Rule {
    id: "enum-value-position",
    category: Category::Hygiene,
    dialects: PG,
    default: Severity::Warning,
    summary: "an enum value added without a position (BEFORE/AFTER)",
    fix: "say where it goes with .before(..) or .after(..)",
    squawk: Some("require-enum-value-ordering"),
    atlas: None,
    new_tables: true,
    check: Check::Op(enum_position),
};

fn enum_position(_: &Cx<'_>, op: &Operation) -> Vec<Hit> {
    match op {
        Operation::AddEnumValue(e) if e.position.is_none() => vec![Hit {
            table: None,
            message: format!(
                "{:?} goes last in the order of {}: ORDER BY and comparisons on its columns sort by that order",
                e.value, e.name
            ),
        }],
        _ => Vec::new(),
    }
}

/// `mixed-schema-and-data`: one migration that both changes existing tables' schema and
/// changes data in existing tables (a backfill: `UPDATE`, `INSERT`, `DELETE`, `bulk_insert`).
///
/// ```text
/// op.add_column("users", "email_lower", Type::Text)?;
/// op.execute("UPDATE users SET email_lower = lower(email)")?;
/// ```
///
/// Fix: put the backfill in a migration of its own (with `transactional = false` to commit
/// it in batches).
pub static MIXED_SCHEMA_AND_DATA: Rule = Rule {
    id: "mixed-schema-and-data",
    category: Category::Hygiene,
    dialects: ALL,
    default: Severity::Warning,
    summary: "a migration mixing schema changes and data backfills on existing tables",
    fix: "move the backfill into a migration of its own (transactional = false to commit it in batches)",
    squawk: None,
    atlas: None,
    new_tables: false,
    check: Check::Migration(mixed),
};

fn mixed(cx: &Cx<'_>, ops: &[(&Operation, bool)]) -> Vec<Hit> {
    let mut schema = false;
    let mut data = false;
    for (op, on_new) in ops {
        match op {
            Operation::Execute { sql, .. } => {
                let k = crate::sqltext::kinds(sql, cx.dialect);
                schema |= k.schema;
                data |= k.data;
            }
            Operation::BulkInsert { .. } => data |= !on_new,
            Operation::Callback { .. } => {}
            Operation::CreateTable(_)
            | Operation::CreateEnum(_)
            | Operation::CreateExtension(_) => {}
            _ => schema |= !on_new,
        }
    }
    if !(schema && data) {
        return Vec::new();
    }
    let effect = if cx.dialect.transactional_ddl() && cx.transactional {
        "the backfill and the DDL's table locks are held together until the migration commits: one long transaction that blocks writers"
    } else {
        "the DDL commits at once but the backfill may fail halfway: a retry finds the schema changed and the data partly written"
    };
    vec![Hit {
        table: None,
        message: effect.to_owned(),
    }]
}

#[cfg(test)]
mod tests {
    use migrate_sql::{Dialect, EnumPosition, Operations, Type, Value};

    use crate::rules::testutil::{fired, nothing, users};

    const PG: Dialect = Dialect::Postgres;

    #[test]
    fn an_integer_key_fires_a_bigint_key_does_not() {
        let int = |op: &mut Operations| {
            op.create_table("events", |t| {
                t.column("id", Type::Integer).primary_key();
            })
        };
        assert_eq!(fired(PG, nothing, int), ["prefer-bigint-pk"]);
        assert_eq!(fired(Dialect::Sqlite, nothing, int), Vec::<String>::new());
        let big = |op: &mut Operations| {
            op.create_table("events", |t| {
                t.column("id", Type::BigInt).primary_key();
                t.column("n", Type::Integer);
            })
        };
        assert_eq!(fired(PG, nothing, big), Vec::<String>::new());
    }

    #[test]
    fn timestamp_fires_timestamptz_does_not() {
        let ts = |op: &mut Operations| op.add_column("users", "seen", Type::Timestamp).map(drop);
        assert_eq!(fired(PG, users, ts), ["timestamp-without-tz"]);
        assert_eq!(fired(Dialect::Mysql, users, ts), Vec::<String>::new());
        let tz = |op: &mut Operations| op.add_column("users", "seen", Type::TimestampTz).map(drop);
        assert_eq!(fired(PG, users, tz), Vec::<String>::new());
    }

    #[test]
    fn varchar_length_change_fires_a_varchar_to_text_does_not() {
        let narrow = |op: &mut Operations| {
            op.alter_column("users", "email")?
                .set_type(Type::String(50));
            Ok(())
        };
        let got = fired(Dialect::Sqlite, users, narrow);
        assert!(got.contains(&"varchar-length-change".to_owned()), "{got:?}");
        let text = |op: &mut Operations| {
            op.alter_column("users", "email")?.set_type(Type::Text);
            Ok(())
        };
        assert!(!fired(PG, users, text).contains(&"varchar-length-change".to_owned()));
    }

    #[test]
    fn an_enum_value_without_position_fires() {
        let setup = |op: &mut Operations| op.create_enum("mood", &["sad", "ok"]);
        let last = |op: &mut Operations| op.add_enum_value("mood", "meh").map(drop);
        assert_eq!(fired(PG, setup, last), ["enum-value-position"]);
        let placed = |op: &mut Operations| {
            op.add_enum_value("mood", "meh")?.position = Some(EnumPosition::After("sad".into()));
            Ok(())
        };
        assert_eq!(fired(PG, setup, placed), Vec::<String>::new());
    }

    #[test]
    fn schema_plus_backfill_fires_seed_rows_in_a_new_table_do_not() {
        let mixed = |op: &mut Operations| {
            op.add_column("users", "lower", Type::Text)?;
            op.execute("UPDATE users SET lower = lower(email)")
        };
        assert_eq!(fired(PG, users, mixed), ["mixed-schema-and-data"]);
        let seed = |op: &mut Operations| {
            op.create_table("colors", |t| {
                t.column("id", Type::BigInt).primary_key();
            })?;
            op.bulk_insert("colors", &["id"], vec![vec![Value::from(1_i64)]])
        };
        assert_eq!(fired(PG, users, seed), Vec::<String>::new());
    }
}
