//! Issue 10's PostgreSQL types through the whole tool, on every backend: double precision,
//! portable defaults, index methods, arrays (columns, defaults, `bulk_insert`), extensions
//! and `ALTER TYPE .. ADD VALUE`. The self-consistency property holds for each: the schema
//! the recorded operations replay to is what introspection reads after the upgrade (and
//! after each downgrade); what a dialect lacks fails before anything runs, naming the
//! dialect and the alternative; the offline script says the same as the online run.

#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod common;

use common::TestDb;
use diesel::sql_types::Text;
use diesel::{QueryableByName, RunQueryDsl};
use migrate_core::prelude::Default;
use migrate_core::schema::{diff, Schema};
use migrate_core::sql::{Dialect, IndexMethod, Type, Value};
use migrate_core::{Backend, Migration, Migrator, Op, Registry, Result};

on_each_backend!(
    new_types_replay_as_introspection_reads_them,
    what_a_dialect_lacks_fails_before_anything_runs,
);

const MOODS: &[&str] = &["sad", "ok"];

/// Every dialect: double precision, portable defaults on create and add, an explicit
/// B-tree. PostgreSQL also: an extension, an enum, array columns with defaults, GIN, BRIN
/// and hash indexes, array rows.
fn t1(op: &mut Op) -> Result<()> {
    let pg = op.dialect() == Dialect::Postgres;
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
    })?;
    op.create_index("ix_readings_taken", "readings", &["taken"])?
        .using(IndexMethod::Btree);
    if pg {
        op.create_extension("pg_trgm")?.if_not_exists();
        op.create_enum("mood", MOODS)?;
        op.create_table("posts", |t| {
            t.column("id", Type::BigInt).primary_key().autoincrement();
            t.column("tags", Type::array(Type::Text))
                .not_null()
                .default(Value::array(Vec::<&str>::new()));
            t.column("scores", Type::array(Type::Integer))
                .default(Value::array([1, 2]));
            t.column("labels", Type::array(Type::String(20)))
                .default(Value::array(["a b", "it's", "{x}"]));
            t.column("moods", Type::array(Type::enumeration("mood", MOODS)));
            t.column("body", Type::Jsonb);
            t.column("written", Type::TimestampTz)
                .server_default(Default::Now);
        })?;
        op.create_index("ix_posts_tags", "posts", &["tags"])?
            .using(IndexMethod::Gin);
        op.create_index("ix_posts_body", "posts", &["body"])?
            .using(IndexMethod::Gin);
        op.create_index("ix_posts_written", "posts", &["written"])?
            .using(IndexMethod::Brin);
        op.create_index("ix_posts_labels", "posts", &["labels"])?
            .using(IndexMethod::Hash);
    }
    Ok(())
}

/// Portable defaults on an existing table (SQLite: a rebuild each).
fn t2(op: &mut Op) -> Result<()> {
    op.add_column("readings", "batch", Type::Uuid)?
        .server_default(Default::GenRandomUuid);
    op.add_column("readings", "noted", Type::TimestampTz)?
        .not_null()
        .server_default(Default::Now);
    op.alter_column("readings", "ratio")?
        .set_type(Type::Double)
        .existing_type(Type::Float)
        .existing_nullable(true);
    Ok(())
}

/// PostgreSQL: a new enum value (irreversible).
fn t3(op: &mut Op) -> Result<()> {
    if op.dialect() == Dialect::Postgres {
        op.add_enum_value("mood", "happy")?.after("ok");
        op.add_enum_value("mood", "awful")?.before("sad");
    }
    Ok(())
}

/// PostgreSQL: array rows, one with the new values, used by the next migration (which
/// commits on its own: the values exist by then).
fn t4(op: &mut Op) -> Result<()> {
    if op.dialect() == Dialect::Postgres {
        op.bulk_insert(
            "posts",
            &["id", "tags", "moods"],
            vec![
                vec![
                    1.into(),
                    Value::array(["a,b", "it's", r#"q"t"#, r"back\slash"]),
                    Value::array(["ok", "sad"]),
                ],
                vec![
                    2.into(),
                    Value::array(Vec::<&str>::new()),
                    Value::array(["happy", "awful"]),
                ],
            ],
        )?;
    }
    Ok(())
}

/// `t4`'s downgrade: the rows go.
fn t4_down(op: &mut Op) -> Result<()> {
    if op.dialect() == Dialect::Postgres {
        op.execute("DELETE FROM posts WHERE id IN (1, 2)")?;
    }
    Ok(())
}

macro_rules! m {
    ($rev:literal, [$($down:literal),*], $f:ident) => {
        m!($rev, [$($down),*], $f, None)
    };
    ($rev:literal, [$($down:literal),*], $f:ident, $downgrade:expr) => {
        Migration::__new(
            $rev,
            &[$($down),*],
            &[],
            &[],
            stringify!($f),
            concat!("sum-", $rev),
            concat!("tests/versions/", $rev, ".rs"),
            1,
            $f,
            $downgrade,
            true,
        )
    };
}

static TYPES: [Migration; 4] = [
    m!("t1", [], t1),
    m!("t2", ["t1"], t2),
    m!("t3", ["t2"], t3),
    m!("t4", ["t3"], t4, Some(t4_down)),
];

fn migrator(db: &TestDb) -> Migrator {
    Migrator::from_registry(Registry::from_migrations(TYPES.iter().copied()).unwrap())
        .url(&db.url)
        .unwrap()
}

fn drift_lines(m: &Migrator) -> Vec<String> {
    let actual: Schema = m.introspect().expect("introspect");
    let rows = m.current().unwrap();
    let expected = m.replay(&rows, actual.rules().clone()).expect("replay");
    diff(&expected, &actual)
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

fn lines(db: &TestDb, sql: &str) -> Vec<String> {
    let rows: Vec<Line> = diesel::sql_query(sql).load(&mut db.conn()).unwrap();
    rows.into_iter().map(|l| l.line).collect()
}

fn new_types_replay_as_introspection_reads_them(backend: Backend) {
    let db = TestDb::new(backend, "pgt_property");
    let m = migrator(&db);
    for target in ["t1", "t2", "t3", "t4"] {
        m.upgrade(target).unwrap();
        assert_eq!(
            drift_lines(&m),
            Vec::<String>::new(),
            "{backend:?} at {target}"
        );
    }
    m.check().unwrap();

    // What the database holds: double precision, defaults that fill rows, the index methods.
    let live = m.introspect().unwrap();
    let readings = live.table(&"readings".into()).unwrap();
    let ty = |c: &str| format!("{:?}", readings.column(c, live.rules()).unwrap().ty);
    let double = match backend {
        Backend::Postgres => "Custom(\"double precision\")",
        Backend::Mysql => "Custom(\"double\")",
        _ => "Custom(\"DOUBLE\")",
    };
    assert_eq!(ty("value"), double, "not silently REAL");
    assert_eq!(ty("ratio"), double, "altered to double");
    db.exec("INSERT INTO readings (value) VALUES (1.5)");
    db.exec("INSERT INTO readings (value) VALUES (2.5)");
    let tokens = db.count(match backend {
        Backend::Postgres => {
            "SELECT COUNT(DISTINCT token::text || batch::text)::bigint AS n FROM readings WHERE noted IS NOT NULL AND taken IS NOT NULL"
        }
        Backend::Mysql => "SELECT COUNT(DISTINCT CONCAT(token, batch)) AS n FROM readings WHERE noted IS NOT NULL AND taken IS NOT NULL",
        _ => "SELECT COUNT(DISTINCT token || batch) AS n FROM readings WHERE noted IS NOT NULL AND taken IS NOT NULL",
    });
    assert_eq!(
        tokens, 2,
        "{backend:?}: a fresh UUID per row, the time filled in"
    );
    if backend == Backend::Postgres {
        let posts = live.table(&"posts".into()).unwrap();
        let method = |n: &str| posts.index(n, live.rules()).unwrap().method.clone();
        assert_eq!(method("ix_posts_tags").as_deref(), Some("gin"));
        assert_eq!(method("ix_posts_written").as_deref(), Some("brin"));
        assert_eq!(method("ix_posts_labels").as_deref(), Some("hash"));
        assert_eq!(
            live.enum_type(&"mood".into()).unwrap().values,
            ["awful", "sad", "ok", "happy"]
        );
        assert_eq!(
            lines(&db, "SELECT t AS line FROM posts, unnest(tags) WITH ORDINALITY u(t, i) WHERE id = 1 ORDER BY i"),
            ["a,b", "it's", r#"q"t"#, r"back\slash"]
        );
        assert_eq!(
            lines(&db, "SELECT concat_ws(' | ', tags::text, scores::text, labels::text, moods::text) AS line FROM posts ORDER BY id"),
            [
                r#"{"a,b",it's,"q\"t","back\\slash"} | {1,2} | {"a b",it's,"{x}"} | {ok,sad}"#,
                r#"{} | {1,2} | {"a b",it's,"{x}"} | {happy,awful}"#,
            ]
        );
        assert_eq!(
            db.count("SELECT COUNT(*) AS n FROM pg_extension WHERE extname = 'pg_trgm'"),
            1
        );
        m.downgrade("t3").unwrap();
        assert_eq!(drift_lines(&m), Vec::<String>::new(), "down at t3");
        // PostgreSQL cannot drop an enum value: the downgrade fails before anything runs.
        let err = m.downgrade("t2").unwrap_err().to_string();
        assert!(
            err.contains("PostgreSQL cannot remove a value from an enum type"),
            "{err}"
        );
        assert_eq!(m.current().unwrap(), ["t3"]);
        // Out of band, as a hand-written downgrade would: back to t2 without the values.
        db.exec("DELETE FROM migrate_version");
        db.exec("INSERT INTO migrate_version (version_num) VALUES ('t2')");
        db.exec("ALTER TYPE mood RENAME TO mood_old");
        db.exec("CREATE TYPE mood AS ENUM ('sad', 'ok')");
        db.exec("ALTER TABLE posts ALTER COLUMN moods TYPE mood[] USING moods::text[]::mood[]");
        db.exec("DROP TYPE mood_old");
    } else {
        m.downgrade("t2").unwrap();
    }
    for target in ["t1", "base"] {
        m.downgrade(target).unwrap();
        assert_eq!(
            drift_lines(&m),
            Vec::<String>::new(),
            "{backend:?} down at {target}"
        );
    }
    if backend == Backend::Postgres {
        assert_eq!(
            db.count("SELECT COUNT(*) AS n FROM pg_extension WHERE extname = 'pg_trgm'"),
            0,
            "the downgrade drops the extension"
        );
    }
    // The offline script renders the same operations (on SQLite up to t1: t2's column
    // additions are table rebuilds, which need the live table).
    let d = match backend {
        Backend::Postgres => Dialect::Postgres,
        Backend::Mysql => Dialect::Mysql,
        _ => Dialect::Sqlite,
    };
    let script = Migrator::from_registry(Registry::from_migrations(TYPES.iter().copied()).unwrap())
        .upgrade_sql(d, if d == Dialect::Sqlite { "t1" } else { "t4" })
        .unwrap();
    let expected: &[&str] = match d {
        Dialect::Postgres => &[
            "\"value\" DOUBLE PRECISION NOT NULL",
            "\"token\" UUID NOT NULL DEFAULT gen_random_uuid()",
            "CREATE EXTENSION IF NOT EXISTS \"pg_trgm\";",
            "CREATE INDEX \"ix_posts_tags\" ON \"posts\" USING gin (\"tags\");",
            "\"labels\" VARCHAR(20)[] DEFAULT '{\"a b\",\"it''s\",\"{x}\"}'",
            "INSERT INTO \"posts\" (\"id\", \"tags\", \"moods\") VALUES (1, E'{\"a,b\",\"it''s\",\"q\\\\\"t\",\"back\\\\\\\\slash\"}', '{\"ok\",\"sad\"}');",
            "ALTER TYPE \"mood\" ADD VALUE 'happy' AFTER 'ok';",
        ],
        Dialect::Mysql => &[
            "`value` DOUBLE NOT NULL",
            "`token` CHAR(36) NOT NULL DEFAULT (UUID())",
            "`taken` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)",
            "CREATE INDEX `ix_readings_taken` ON `readings` (`taken`) USING BTREE;",
        ],
        _ => &[
            "\"value\" DOUBLE NOT NULL",
            "\"token\" TEXT NOT NULL DEFAULT (lower(hex(randomblob(4))",
            "\"taken\" TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP",
        ],
    };
    for e in expected {
        assert!(script.contains(e), "{backend:?}: {e}\nin\n{script}");
    }
}

/// Arrays, GIN, extensions and enum values recorded unconditionally.
fn pg_only(op: &mut Op) -> Result<()> {
    match op.arg("what") {
        Some("array") => {
            op.create_table("posts", |t| {
                t.column("tags", Type::array(Type::Text));
            })?;
        }
        Some("gin") => {
            op.create_table("posts", |t| {
                t.column("body", Type::Json);
            })?;
            op.create_index("ix_posts_body", "posts", &["body"])?
                .using(IndexMethod::Gin);
        }
        Some("extension") => {
            op.create_extension("pgcrypto")?;
        }
        _ => {
            op.create_table("posts", |t| {
                t.column("id", Type::Integer);
            })?;
            op.add_enum_value("mood", "happy")?;
        }
    }
    Ok(())
}

static PG_ONLY: [Migration; 1] = [m!("p1", [], pg_only)];

fn what_a_dialect_lacks_fails_before_anything_runs(backend: Backend) {
    if backend == Backend::Postgres {
        return;
    }
    let name = if backend == Backend::Mysql {
        "mysql"
    } else {
        "sqlite"
    };
    for (what, message) in [
        ("array", "Type::Array"),
        ("gin", "index ix_posts_body uses gin"),
        ("extension", "only PostgreSQL has extensions"),
        ("enum", "add_enum_value \"happy\" to mood"),
    ] {
        let db = TestDb::new(backend, "pgt_refused");
        let m =
            Migrator::from_registry(Registry::from_migrations(PG_ONLY.iter().copied()).unwrap())
                .url(&db.url)
                .unwrap()
                .arg("what", what);
        let err = m.upgrade("head").unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(&format!("{name}: ")) && text.contains(message),
            "{what}: {text}"
        );
        assert!(!text.contains('\n'), "one line: {text}");
        assert!(!db.has_table("posts"), "{what}: nothing ran");
        assert!(m.current().unwrap().is_empty());
    }
}
