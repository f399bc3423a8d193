//! Lint a migration's operations after a setup migration, for the rules' tests.

use migrate_schema::Schema;
use migrate_sql::{Dialect, Operations};

use crate::{lint, DieselColumns, LintConfig, MigrationInput};

/// The rule ids that fire on `migration` (on `dialect`) after `setup` ran.
pub(crate) fn fired(
    dialect: Dialect,
    setup: impl FnOnce(&mut Operations) -> migrate_sql::Result<()>,
    migration: impl FnOnce(&mut Operations) -> migrate_sql::Result<()>,
) -> Vec<String> {
    fired_with(dialect, setup, migration, None)
}

pub(crate) fn fired_with(
    dialect: Dialect,
    setup: impl FnOnce(&mut Operations) -> migrate_sql::Result<()>,
    migration: impl FnOnce(&mut Operations) -> migrate_sql::Result<()>,
    diesel: Option<&DieselColumns>,
) -> Vec<String> {
    let mut before = Operations::default();
    setup(&mut before).expect("setup ops");
    let schema = Schema::replay(dialect, before.as_slice()).expect("setup replays");
    let mut op = Operations::default();
    migration(&mut op).expect("migration ops");
    let input = MigrationInput::new("r1", op.as_slice());
    lint(&schema, &input, &LintConfig::default(), diesel)
        .into_iter()
        .map(|f| f.rule)
        .collect()
}

/// A `users` table (id BIGINT pk, email VARCHAR(100), nickname TEXT, created_at TIMESTAMPTZ)
/// and a `posts` table referencing it.
pub(crate) fn users(op: &mut Operations) -> migrate_sql::Result<()> {
    use migrate_sql::Type;
    op.create_table("users", |t| {
        t.column("id", Type::BigInt).primary_key();
        t.column("email", Type::String(100));
        t.column("nickname", Type::Text);
        t.column("age", Type::Integer);
        t.column("created_at", Type::TimestampTz);
    })?;
    op.create_table("posts", |t| {
        t.column("id", Type::BigInt).primary_key();
        t.column("user_id", Type::BigInt);
    })?;
    op.create_index("ix_users_email", "users", &["email"])?;
    Ok(())
}

/// Nothing before the migration.
pub(crate) fn nothing(_: &mut Operations) -> migrate_sql::Result<()> {
    Ok(())
}
