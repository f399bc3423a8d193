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
use migrate_core::{Backend, Error, Migrator, Registry};

migrate_core::migrations!("tests/offline_project/versions");

on_each_backend!(
    project_replay_is_what_introspection_reads,
    linear_raw_sql_tables_are_not_checked_and_bookkeeping_is_left_out,
    check_fails_on_drift_naming_each_difference,
    drift_check_can_be_turned_off,
    objects_the_model_cannot_represent_are_reported_by_name,
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
