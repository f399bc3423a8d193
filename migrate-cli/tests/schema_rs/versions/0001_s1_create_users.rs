//! Users: one column of every portable type, and an enum.
use migrate_core::prelude::*;

const MOODS: &[&str] = &["happy", "sad", "indifferent"];

/// Create users
#[migration(rev = "s1")]
pub fn upgrade(op: &mut Op) -> Result<()> {
    let dialect = op.dialect();
    op.create_enum("mood", MOODS)?;
    op.create_table("users", |t| {
        t.column("id", Type::Integer).primary_key().autoincrement();
        t.column("email", Type::String(255)).not_null().unique();
        t.column("name", Type::Text);
        t.column("is_admin", Type::Boolean).not_null().default(false);
        t.column("rank", Type::SmallInt);
        t.column("karma", Type::BigInt).not_null().default(0);
        t.column("balance", Type::Numeric(10, 2));
        t.column("score", Type::Double);
        t.column("ratio", Type::Float);
        t.column("avatar", Type::Binary);
        t.column("born_on", Type::Date);
        t.column("wakes_at", Type::Time);
        t.column("seen_at", Type::Timestamp);
        t.column("created_at", Type::TimestampTz)
            .not_null()
            .server_default(Sql("CURRENT_TIMESTAMP"));
        t.column("token", Type::Uuid).not_null();
        t.column("mood", Type::enumeration("mood", MOODS));
        // MariaDB keeps JSON as LONGTEXT, which a replay on the MySQL dialect can't know.
        if dialect != Dialect::Mysql {
            t.column("prefs", Type::Json);
            t.column("settings", Type::Jsonb).not_null();
        }
    })?;
    Ok(())
}
