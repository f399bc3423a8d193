//! Posts, comments, tags and follows: names Rust can't use as they are, a composite key,
//! foreign keys `joinable!` can and can't express.
use migrate_core::prelude::*;

const STATUSES: &[&str] = &["draft", "published"];

/// Create posts, comments, tags and follows
#[migration(rev = "s2", down_rev = "s1")]
pub fn upgrade(op: &mut Op) -> Result<()> {
    let dialect = op.dialect();
    op.create_enum("post_status", STATUSES)?;
    op.create_table("posts", |t| {
        t.column("id", Type::BigInt).primary_key().autoincrement();
        t.column("user_id", Type::Integer)
            .not_null()
            .references("users", "id");
        t.column("title", Type::String(200)).not_null();
        t.column("type", Type::String(20)).not_null();
        t.column("Display Title", Type::String(50));
        t.column("status", Type::enumeration("post_status", STATUSES))
            .not_null();
        t.column("published_at", Type::TimestampTz);
    })?;
    if dialect == Dialect::Postgres {
        op.add_column("posts", "labels", Type::Custom("text[]".into()))?;
        op.add_column("posts", "moods", Type::Custom("mood[]".into()))?
            .not_null();
        op.add_column("posts", "code", Type::Custom("character(4)".into()))?;
    }
    op.create_table("comments", |t| {
        t.column("id", Type::Integer).primary_key().autoincrement();
        t.column("post_id", Type::BigInt)
            .not_null()
            .references("posts", "id");
        t.column("author_id", Type::Integer).references("users", "id");
        t.column("parent_id", Type::Integer)
            .references("comments", "id");
        t.column("body", Type::Text).not_null();
    })?;
    op.create_table("user-tags", |t| {
        t.column("user_id", Type::Integer)
            .not_null()
            .references("users", "id");
        t.column("tag", Type::String(50)).not_null();
        t.primary_key(&["user_id", "tag"]);
    })?;
    op.create_table("follows", |t| {
        t.column("id", Type::Integer).primary_key().autoincrement();
        t.column("follower_id", Type::Integer)
            .not_null()
            .references("users", "id");
        t.column("followee_id", Type::Integer)
            .not_null()
            .references("users", "id");
    })?;
    if dialect == Dialect::Postgres {
        // Another schema: a module of its own; its key to `public.users` is not joinable.
        op.execute_reversible("CREATE SCHEMA billing", "DROP SCHEMA billing")?;
        op.create_table(("billing", "customers"), |t| {
            t.column("id", Type::Integer).primary_key();
            t.column("user_id", Type::Integer).references("users", "id");
        })?;
        op.create_table(("billing", "invoices"), |t| {
            t.column("id", Type::BigInt).primary_key().autoincrement();
            t.column("customer_id", Type::Integer)
                .not_null()
                .references(("billing", "customers"), "id");
            t.column("amount", Type::Numeric(12, 2)).not_null();
        })?;
    }
    if dialect == Dialect::Sqlite {
        // No primary key: Diesel keys it by its rowid (PostgreSQL and MySQL refuse it).
        op.create_table("audit_log", |t| {
            t.column("message", Type::Text).not_null();
        })?;
    }
    Ok(())
}
