//! The example's migrations replayed without a database are what introspection reads from a
//! database they ran on: at head and after a downgrade to each intermediate revision, on
//! SQLite, PostgreSQL and MariaDB.
//!
//! The backfill revision (9c3d5e7f2a81) has a Rust step with no offline SQL; the model cannot
//! know what Rust code does, so the library's replay is *uncertain* and `check` reports the
//! schema as not checked (asserted below). That step only writes rows (its file says so), so
//! the property is checked on the replay of every recorded operation except that step.

use migrate_core::schema::{diff, Rules, Schema};
use migrate_core::sql::Operation;
use migrate_core::{Backend, Migrator};

use crate::support::TestDb;

/// The schema the applied migrations build, the Rust step left out.
fn replay_without_rust_steps(m: &Migrator, rows: &[String], rules: Rules) -> Schema {
    let mut order: Vec<String> = Vec::new();
    for row in rows {
        let plan = m.graph().plan_upgrade(&[], row).expect("plan from base");
        for step in plan.steps {
            if !order.contains(&step.revision) {
                order.push(step.revision);
            }
        }
    }
    let dialect = rules.dialect;
    let mut schema = Schema::with_rules(rules);
    for rev in &order {
        for op in m.record(rev, true, dialect).expect("record") {
            if !matches!(op, Operation::Callback { .. }) {
                schema.apply(&op).expect("replay");
            }
        }
    }
    schema
}

fn differences(m: &Migrator) -> Vec<String> {
    let actual = m.introspect().expect("introspect");
    let rows = m.current().expect("rows");
    let expected = replay_without_rust_steps(m, &rows, actual.rules().clone());
    assert!(expected.is_certain(), "{:?}", expected.uncertain());
    diff(&expected, &actual)
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn replay_is_what_introspection_reads(backend: Backend, test: &str) {
    let db = TestDb::new(backend, test);
    let m = db.migrator();
    m.upgrade("head").expect("upgrade");
    assert_eq!(differences(&m), Vec::<String>::new(), "{backend:?} at head");
    for target in [
        "a6b8c0d2e4f1",
        "9c3d5e7f2a81",
        "e2a7b4c91f60",
        "5d9f2c8e6b14",
        "c47a1e9b3d25",
        "8b2e4d6f1a93",
        "3f1c9a2b7d40",
        "base",
    ] {
        m.downgrade(target).expect("downgrade");
        assert_eq!(
            differences(&m),
            Vec::<String>::new(),
            "{backend:?} after downgrade to {target}"
        );
    }
    // Up the other feature branch alone, then to head.
    m.upgrade("b7c9d1e3f5a2").expect("upgrade");
    assert_eq!(differences(&m), Vec::<String>::new(), "{backend:?} at b7c9");
    m.upgrade("head").expect("upgrade");
    assert_eq!(differences(&m), Vec::<String>::new());

    // The library cannot see through the Rust step: not checked, which `check` passes.
    let drift = m.drift().expect("drift");
    assert!(drift.is_clean());
    let lines: Vec<String> = drift.not_checked.iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with("schema: not checked (Rust step #0"),
        "{lines:?}"
    );
    m.check()
        .expect("check passes: the schema is not checked, not different");
}

#[test]
fn sqlite_replay_is_what_introspection_reads() {
    replay_is_what_introspection_reads(Backend::Sqlite, "sqlite_intro");
}

#[test]
fn postgres_replay_is_what_introspection_reads() {
    replay_is_what_introspection_reads(Backend::Postgres, "pg_intro");
}

#[test]
fn mariadb_replay_is_what_introspection_reads() {
    replay_is_what_introspection_reads(Backend::Mysql, "maria_intro");
}
