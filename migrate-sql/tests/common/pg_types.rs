//! Scenarios of issue 10's PostgreSQL types: double precision, portable defaults, index
//! methods, arrays and enum values, with what each other dialect refuses.

use super::{sc, users, Scenario};
use migrate_sql::{Default, Dialect, IndexMethod, Sql, Type, Value};

const ONLY_PG: &[Dialect] = &[Dialect::Mysql, Dialect::Sqlite];

fn docs(op: &mut migrate_sql::Operations) -> migrate_sql::Result<()> {
    op.create_table("docs", |t| {
        t.column("id", Type::BigInt).primary_key().autoincrement();
        t.column("body", Type::Jsonb);
        t.column("written", Type::Timestamp).not_null();
        t.column("slug", Type::String(40)).not_null();
    })
}

fn moods(op: &mut migrate_sql::Operations) -> migrate_sql::Result<()> {
    op.create_enum("mood", &["sad", "ok"])?;
    op.create_table("people", |t| {
        t.column("id", Type::Integer).primary_key();
        t.column("mood", Type::enumeration("mood", &["sad", "ok"]));
    })
}

pub(super) fn all() -> Vec<Scenario> {
    let mut v = vec![
        sc(
            "create_table_double_and_portable_defaults",
            super::none,
            |op| {
                op.create_table("readings", |t| {
                    t.column("id", Type::BigInt).primary_key().autoincrement();
                    t.column("value", Type::Double).not_null();
                    t.column("ratio", Type::Float);
                    t.column("token", Type::Uuid)
                        .not_null()
                        .server_default(Default::GenRandomUuid);
                    t.column("taken", Type::Timestamp)
                        .not_null()
                        .server_default(Default::Now);
                    t.column("taken_tz", Type::TimestampTz)
                        .server_default(Default::Now);
                })
            },
        ),
        sc("add_column_portable_defaults", users, |op| {
            op.add_column("users", "token", Type::Uuid)?
                .server_default(Default::GenRandomUuid);
            op.add_column("users", "joined", Type::TimestampTz)?
                .not_null()
                .server_default(Default::Now);
            Ok(())
        }),
        sc("alter_column_portable_default", docs, |op| {
            op.alter_column("docs", "written")?
                .set_server_default(Default::Now)
                .existing_default(None)
                .existing_type(Type::Timestamp)
                .existing_nullable(false);
            Ok(())
        }),
        sc("create_index_btree_explicit", docs, |op| {
            op.create_index("ix_docs_slug", "docs", &["slug"])?
                .using(IndexMethod::Btree);
            Ok(())
        }),
        sc("create_index_methods", docs, |op| {
            op.create_index("ix_docs_body", "docs", &["body"])?
                .using(IndexMethod::Gin);
            op.create_index("ix_docs_written", "docs", &["written"])?
                .using(IndexMethod::Brin);
            op.create_index("ix_docs_slug_hash", "docs", &["slug"])?
                .using(IndexMethod::Hash);
            op.create_index("ix_docs_slug_gist", "docs", &[] as &[&str])?
                .expression(Sql("box(point(id, id), point(id, id))"))
                .using(IndexMethod::Gist);
            Ok(())
        }),
        sc("create_table_arrays", super::none, |op| {
            op.create_table("posts", |t| {
                t.column("id", Type::BigInt).primary_key().autoincrement();
                t.column("tags", Type::array(Type::Text))
                    .not_null()
                    .default(Value::array(Vec::<&str>::new()));
                t.column("scores", Type::array(Type::Integer))
                    .default(Value::array([1, 2]));
                t.column("labels", Type::array(Type::String(20)))
                    .default(Value::array(["a b", "it's", "{x}"]));
                t.column("grid", Type::array(Type::array(Type::Double)));
            })?;
            op.create_index("ix_posts_tags", "posts", &["tags"])?
                .using(IndexMethod::Gin);
            Ok(())
        }),
        sc("add_enum_value", moods, |op| {
            op.add_enum_value("mood", "happy")?;
            op.add_enum_value("mood", "meh")?.after("sad");
            op.add_enum_value("mood", "awful")?.before("sad");
            op.add_enum_value("mood", "ok")?.if_not_exists();
            Ok(())
        }),
    ];
    for s in &mut v {
        s.unsupported = match s.name {
            "create_index_methods" | "create_table_arrays" | "add_enum_value" => ONLY_PG,
            _ => &[],
        };
    }
    v
}
