//! Introspection agrees with replay, and `check` reports drift, on SQLite, PostgreSQL and
//! MariaDB.
//!
//! The self-consistency property: for a fixture's migrations, the schema the recorded
//! operations build without a database (`Migrator::replay`) is what introspection reads from
//! a database the same migrations were applied to; the diff is empty except for what the model
//! says it cannot check (tables raw SQL made). The fixtures: the 20-migration project of
//! `tests/offline_project` (many column types, defaults, keys, checks, foreign keys,
//! indexes, a rename, raw SQL, a branch and its merge, a second root) at head and after
//! downgrades, and `LINEAR` (raw SQL only).

#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod common;

use common::{TestDb, LINEAR};
use migrate_core::schema::{diff, Difference, Schema};
use migrate_core::sql::{Action, ColumnDefault, Dialect, Sql, Type, Value};
use migrate_core::{Backend, Error, Migration, Migrator, Op, Registry, Result};

migrate_core::migrations!("tests/offline_project/versions");

on_each_backend!(
    project_replay_is_what_introspection_reads,
    linear_raw_sql_tables_are_not_checked_and_bookkeeping_is_left_out,
    check_fails_on_drift_naming_each_difference,
    drift_check_can_be_turned_off,
    objects_the_model_cannot_represent_are_reported_by_name,
    dsl_features_replay_as_introspection_reads_them,
    generated_columns_are_not_modelled,
);

fn project(db: &TestDb) -> Migrator {
    Migrator::new(&[&MIGRATIONS])
        .expect("the project's graph is valid")
        .url(&db.url)
        .unwrap()
}

/// `diff(replay at the database's rows, introspection)`, as lines.
fn drift_lines(m: &Migrator) -> Vec<String> {
    let actual: Schema = m.introspect().expect("introspect");
    let rows = m.current().unwrap();
    let expected = m.replay(&rows, actual.rules().clone()).expect("replay");
    diff(&expected, &actual)
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// Tables the project creates with raw SQL: the model cannot vouch for them.
fn raw_sql_line(line: &str) -> bool {
    line.starts_with("table audit_entries: not checked (changed by raw SQL")
        || line.starts_with("table audit_log: not checked (changed by raw SQL")
}

fn project_replay_is_what_introspection_reads(backend: Backend) {
    let db = TestDb::new(backend, "intro_project");
    let m = project(&db);
    m.upgrade("heads").unwrap();
    let lines = drift_lines(&m);
    assert!(
        lines.iter().all(|l| raw_sql_line(l)),
        "{backend:?} at head: {lines:#?}"
    );
    assert_eq!(lines.len(), 1, "{lines:#?}");
    // Down the main line, one revision at a time, then to the fork, the reference root only,
    // and nothing.
    for target in [
        "c7000000e007",
        "c6000000e006",
        "c5000000e005",
        "c4000000e004",
        "c3000000e003",
        "c2000000e002",
        "c1000000e001",
        "a8000000c008",
        "a5000000c005",
        "a3000000c003",
        "a1000000c001",
        "base",
    ] {
        m.downgrade(target).unwrap();
        let lines = drift_lines(&m);
        assert!(
            lines.iter().all(|l| raw_sql_line(l)),
            "{backend:?} after downgrade to {target}: {lines:#?}"
        );
    }
    // And up again in two steps, through the branch point.
    m.upgrade("b1000000f001").unwrap();
    assert!(drift_lines(&m).iter().all(|l| raw_sql_line(l)));
    m.upgrade("heads").unwrap();
    assert!(drift_lines(&m).iter().all(|l| raw_sql_line(l)));
    // The same, as `check` sees it.
    m.check().expect("no drift at head");
}

fn linear_raw_sql_tables_are_not_checked_and_bookkeeping_is_left_out(backend: Backend) {
    let db = TestDb::new(backend, "intro_linear");
    let m = Migrator::from_registry(Registry::from_migrations(LINEAR.iter().copied()).unwrap())
        .url(&db.url)
        .unwrap();
    m.upgrade("head").unwrap();
    let lines = drift_lines(&m);
    assert_eq!(lines.len(), 3, "{lines:#?}");
    for (line, t) in lines.iter().zip(["t_a1", "t_b2", "t_c3"]) {
        assert!(
            line.starts_with(&format!("table {t}: not checked (changed by raw SQL")),
            "{line}"
        );
    }
    let live = m.introspect().unwrap();
    let names: Vec<String> = live.tables().map(|(k, _)| k.to_string()).collect();
    assert_eq!(
        names,
        ["t_a1", "t_b2", "t_c3"],
        "no version or history table"
    );
    m.check().expect("not checked is not drift");
    m.downgrade("a1").unwrap();
    assert_eq!(drift_lines(&m).len(), 1);
}

fn check_fails_on_drift_naming_each_difference(backend: Backend) {
    // An identical upgrade passes.
    let clean = TestDb::new(backend, "intro_clean");
    project(&clean).upgrade("heads").unwrap();
    project(&clean)
        .check()
        .expect("an untouched database has no drift");
    // Another application's table is not drift: a warning, not a failure.
    clean.exec("CREATE TABLE someone_elses (id INT)");
    let m = project(&clean);
    m.check().expect("a table no migration made is not drift");
    let notes: Vec<String> = m
        .drift()
        .unwrap()
        .not_checked
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        notes.contains(&"table someone_elses: in the database, not in migrations".to_string()),
        "{notes:?}"
    );

    let db = TestDb::new(backend, "intro_drift");
    let m = project(&db);
    m.upgrade("heads").unwrap();
    db.exec("ALTER TABLE accounts DROP COLUMN bio");
    db.exec("DROP TABLE tags");
    let err = m.check().expect_err("drift fails check");
    let Error::Drift {
        revisions,
        differences,
    } = &err
    else {
        panic!("not a drift error: {err}");
    };
    assert_eq!(revisions, &["c8000000e008".to_string()]);
    assert_eq!(
        differences,
        &[
            "table accounts: column bio missing in the database",
            "table tags: missing in the database",
        ],
        "{err}"
    );
    let message = err.to_string();
    assert!(
        message.contains("\n  table accounts: column bio missing in the database")
            && message.contains("\n  table tags: missing in the database"),
        "{message}"
    );
    // The library's own report says the same.
    let drift = m.drift().unwrap();
    assert!(!drift.is_clean());
    assert_eq!(drift.differences.len(), 2);
    assert!(drift
        .not_checked
        .iter()
        .all(|d| matches!(d, Difference::TableNotChecked { .. })));
}

fn drift_check_can_be_turned_off(backend: Backend) {
    let db = TestDb::new(backend, "intro_nodrift");
    let m = project(&db);
    m.upgrade("heads").unwrap();
    db.exec("DROP TABLE tags");
    assert!(matches!(m.check(), Err(Error::Drift { .. })));
    m.clone()
        .drift_check(false)
        .check()
        .expect("drift not compared");
}

fn objects_the_model_cannot_represent_are_reported_by_name(backend: Backend) {
    let db = TestDb::new(backend, "intro_unmodelled");
    let m = project(&db);
    m.upgrade("heads").unwrap();
    db.exec("CREATE VIEW active_accounts AS SELECT id FROM accounts WHERE is_active");
    match backend {
        Backend::Sqlite => {
            db.exec("CREATE TRIGGER touch_tags AFTER INSERT ON tags BEGIN SELECT 1; END")
        }
        Backend::Postgres => {
            db.exec("CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'");
            db.exec("CREATE TRIGGER touch_tags AFTER INSERT ON tags FOR EACH ROW EXECUTE FUNCTION noop()");
            db.exec("CREATE EXTENSION IF NOT EXISTS btree_gist");
            db.exec("ALTER TABLE countries ADD CONSTRAINT no_same_name EXCLUDE USING gist (name WITH =)");
        }
        _ => db.exec("CREATE TRIGGER touch_tags AFTER INSERT ON tags FOR EACH ROW SET @x = 1"),
    }
    let lines = drift_lines(&m);
    let mut expected = vec![
        "table tags: trigger touch_tags: not modelled, not checked".to_string(),
        "view active_accounts: not modelled, not checked".to_string(),
    ];
    if backend == Backend::Postgres {
        expected.insert(
            0,
            "table countries: exclusion constraint no_same_name: not modelled, not checked"
                .to_string(),
        );
    }
    let unmodelled: Vec<String> = lines
        .iter()
        .filter(|l| l.contains("not modelled"))
        .cloned()
        .collect();
    assert_eq!(unmodelled, expected, "{lines:#?}");
    assert!(
        lines
            .iter()
            .all(|l| l.contains("not modelled") || raw_sql_line(l)),
        "{lines:#?}"
    );
    m.check().expect("what is not modelled is not drift");
}

const MOODS: &[&str] = &["sad", "ok", "happy"];

/// Enum types, comments, numeric and JSON defaults, an identity key, foreign-key actions, a
/// check, an unnamed composite unique constraint, expression and partial indexes (not on
/// MySQL/MariaDB, which has neither).
fn features_1(op: &mut Op) -> Result<()> {
    op.create_enum("mood", MOODS)?;
    op.create_table("people", |t| {
        t.column("id", Type::Integer).primary_key().autoincrement();
        t.column("name", Type::String(80))
            .not_null()
            .comment("full name");
        t.column("mood", Type::enumeration("mood", MOODS))
            .default("ok");
        t.column("score", Type::Numeric(8, 3)).default(1.5);
        t.column("born", Type::Date);
        t.column("meta", Type::Jsonb);
        t.column("flags", Type::SmallInt).not_null().default(0);
        t.column("seen", Type::Timestamp)
            .server_default(Sql("CURRENT_TIMESTAMP"));
        t.comment("everyone");
    })?;
    op.create_table("pets", |t| {
        t.column("id", Type::BigInt).primary_key().autoincrement();
        t.column("owner_id", Type::Integer)
            .references("people", "id")
            .on_delete(Action::SetNull)
            .on_update(Action::Cascade);
        t.column("name", Type::Text).not_null();
        t.column("uid", Type::Uuid);
        t.check(Sql("length(name) > 0")).name("ck_pets_name");
        t.unique(&["owner_id", "uid"]);
    })?;
    if op.dialect() != Dialect::Mysql {
        op.create_index("ix_people_lower_name", "people", &[] as &[&str])?
            .expression(Sql("lower(name)"));
        op.create_index("ix_people_happy", "people", &["score"])?
            .where_sql(Sql("mood = 'happy'"));
    }
    op.create_index("ix_pets_name_owner", "pets", &["name", "owner_id"])?
        .unique();
    Ok(())
}

/// What later migrations do to those tables: add, retype, rename, re-default and drop
/// columns, add a check (SQLite: table rebuilds).
fn features_2(op: &mut Op) -> Result<()> {
    op.add_column("people", "nick", Type::String(20))?;
    op.alter_column("people", "nick")?
        .rename_to("nickname")
        .existing_type(Type::String(20));
    op.alter_column("people", "score")?
        .set_nullable(false)
        .existing_nullable(true)
        .existing_type(Type::Numeric(8, 3))
        .existing_default(Some(ColumnDefault::Value(Value::Float(1.5))));
    op.alter_column("pets", "name")?
        .set_server_default(Sql("'rex'"))
        .existing_default(None)
        .existing_type(Type::Text)
        .existing_nullable(false);
    op.drop_column("people", "born")?.definition(Type::Date);
    op.create_check_constraint("ck_people_score", "people", Sql("score >= 0"))?;
    Ok(())
}

static FEATURES: [Migration; 2] = [
    Migration::__new(
        "f1",
        &[],
        &[],
        &[],
        "features",
        "sum-f1",
        "tests/versions/f1.rs",
        1,
        features_1,
        None,
        true,
    ),
    Migration::__new(
        "f2",
        &["f1"],
        &[],
        &[],
        "alterations",
        "sum-f2",
        "tests/versions/f2.rs",
        1,
        features_2,
        None,
        true,
    ),
];

fn dsl_features_replay_as_introspection_reads_them(backend: Backend) {
    let db = TestDb::new(backend, "intro_features");
    let m = Migrator::from_registry(Registry::from_migrations(FEATURES.iter().copied()).unwrap())
        .url(&db.url)
        .unwrap();
    m.upgrade("f1").unwrap();
    assert_eq!(drift_lines(&m), Vec::<String>::new(), "{backend:?} at f1");
    m.upgrade("f2").unwrap();
    assert_eq!(drift_lines(&m), Vec::<String>::new(), "{backend:?} at f2");
    m.check().unwrap();
    m.downgrade("f1").unwrap();
    assert_eq!(
        drift_lines(&m),
        Vec::<String>::new(),
        "{backend:?} back at f1"
    );
    m.downgrade("base").unwrap();
    assert_eq!(drift_lines(&m), Vec::<String>::new(), "{backend:?} at base");

    // What introspection read, beyond what the diff compares.
    m.upgrade("f2").unwrap();
    let live = m.introspect().unwrap();
    let people = live.table(&"people".into()).expect("people");
    let id = &people.columns[0];
    assert!(id.autoincrement && !id.nullable, "{id:?}");
    if backend != Backend::Mysql {
        let lower = people.index("ix_people_lower_name", live.rules()).unwrap();
        assert!(
            matches!(&lower.columns[..], [migrate_core::sql::IndexColumn::Expr(e)] if e.contains("lower")),
            "{lower:?}"
        );
        let happy = people.index("ix_people_happy", live.rules()).unwrap();
        assert!(
            happy
                .predicate
                .as_deref()
                .is_some_and(|p| p.contains("happy")),
            "{happy:?}"
        );
    }
    if backend == Backend::Postgres {
        assert_eq!(
            live.enum_type(&"mood".into()).map(|e| e.values.clone()),
            Some(MOODS.iter().map(|v| v.to_string()).collect())
        );
        assert_eq!(people.comment.as_deref(), Some("everyone"));
    }
    let pets = live.table(&"pets".into()).unwrap();
    let fk = &pets.foreign_keys[0];
    assert_eq!(fk.on_delete, Some(Action::SetNull));
    assert_eq!(fk.on_update, Some(Action::Cascade));
}

/// What PostgreSQL's catalog has that the DSL does not write (serial, identity, index
/// methods, INCLUDE columns) reaches the model; constraint indexes do not appear as indexes.
#[test]
fn postgres_catalog_details_reach_the_model() {
    let db = TestDb::new(Backend::Postgres, "intro_pg_details");
    for sql in [
        "CREATE TABLE docs (id serial PRIMARY KEY, n bigint GENERATED ALWAYS AS IDENTITY, \
         body text, tags text[], total numeric(10,2) DEFAULT 0 NOT NULL, UNIQUE (body, total))",
        "COMMENT ON COLUMN docs.body IS 'the text'",
        "CREATE INDEX ix_docs_tags ON docs USING gin (tags)",
        "CREATE INDEX ix_docs_cover ON docs (id) INCLUDE (body) WHERE total > 0",
        "CREATE TABLE \"Mixed\" (\"Id\" int PRIMARY KEY REFERENCES docs (id) ON DELETE RESTRICT)",
    ] {
        db.exec(sql);
    }
    let m = Migrator::from_registry(Registry::from_migrations(LINEAR.iter().copied()).unwrap())
        .url(&db.url)
        .unwrap();
    let live = m.introspect().unwrap();
    let docs = live.table(&"docs".into()).unwrap();
    let col = |n: &str| docs.column(n, live.rules()).unwrap();
    assert!(col("id").autoincrement, "serial: {:?}", col("id"));
    assert!(col("n").autoincrement, "identity: {:?}", col("n"));
    assert_eq!(col("body").comment.as_deref(), Some("the text"));
    assert_eq!(col("tags").ty, Type::Custom("text[]".into()));
    assert_eq!(docs.primary_key_columns(), ["id"]);
    assert_eq!(docs.uniques.len(), 1);
    assert_eq!(docs.uniques[0].columns, ["body", "total"]);
    let names: Vec<&str> = docs.indexes.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        ["ix_docs_cover", "ix_docs_tags"],
        "no constraint indexes"
    );
    let tags = docs.index("ix_docs_tags", live.rules()).unwrap();
    assert_eq!(tags.method.as_deref(), Some("gin"));
    let cover = docs.index("ix_docs_cover", live.rules()).unwrap();
    assert_eq!(cover.include, ["body"]);
    assert!(
        cover
            .predicate
            .as_deref()
            .is_some_and(|p| p.contains("total > ")),
        "{cover:?}"
    );
    let mixed = live.table(&"Mixed".into()).expect("names keep their case");
    assert_eq!(mixed.foreign_keys[0].on_delete, Some(Action::Restrict));
    assert!(live.table(&"mixed".into()).is_none());
}

fn other_schema(op: &mut Op) -> Result<()> {
    op.execute("CREATE SCHEMA extra")?;
    op.create_enum("tone", &["low", "high"])?;
    op.create_enum(("extra", "size"), &["s", "m", "l"])?;
    op.create_table(("extra", "notes"), |t| {
        t.column("id", Type::BigInt).primary_key().autoincrement();
        t.column("body", Type::Text).not_null();
        t.column("tone", Type::enumeration("tone", &["low", "high"]));
    })?;
    Ok(())
}

static OTHER_SCHEMA: [Migration; 1] = [Migration::__new(
    "s1",
    &[],
    &[],
    &[],
    "another schema",
    "sum-s1",
    "tests/versions/s1.rs",
    1,
    other_schema,
    None,
    true,
)];

/// PostgreSQL: the schemas the migrations put tables in are read too, not only the current
/// one.
#[test]
fn postgres_drift_reads_every_schema_the_migrations_use() {
    let db = TestDb::new(Backend::Postgres, "intro_pg_schemas");
    let m =
        Migrator::from_registry(Registry::from_migrations(OTHER_SCHEMA.iter().copied()).unwrap())
            .url(&db.url)
            .unwrap();
    m.upgrade("head").unwrap();
    let drift = m.drift().unwrap();
    assert!(drift.is_clean(), "{drift:#?}");
    assert!(drift.not_checked.is_empty(), "{drift:#?}");
    db.exec("ALTER TABLE extra.notes DROP COLUMN body");
    let lines: Vec<String> = m
        .drift()
        .unwrap()
        .differences
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        lines,
        ["table extra.notes: column body missing in the database"]
    );
}

fn generated_columns_are_not_modelled(backend: Backend) {
    let db = TestDb::new(backend, "intro_generated");
    db.exec(match backend {
        Backend::Sqlite => {
            "CREATE TABLE g (a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2) VIRTUAL)"
        }
        Backend::Postgres => "CREATE TABLE g (a int, b int GENERATED ALWAYS AS (a * 2) STORED)",
        _ => "CREATE TABLE g (a INT, b INT AS (a * 2) VIRTUAL)",
    });
    let m = Migrator::from_registry(Registry::from_migrations(LINEAR.iter().copied()).unwrap())
        .url(&db.url)
        .unwrap();
    let live = m.introspect().unwrap();
    assert_eq!(live.not_modelled(), ["table g: generated column b"]);
    let g = live.table(&"g".into()).unwrap();
    let names: Vec<&str> = g.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["a"]);
}
