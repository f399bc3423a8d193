//! Failure safety on real databases: rollback, refusal before anything runs, unknown rows,
//! edited migrations, lock timeouts, migrations outside a transaction.

#![allow(clippy::unwrap_used)]

mod common;

use common::{Events, TestDb, LINEAR_SET};
use migrate_core::{Backend, Error, Event, Migration, MigrationSet, Op, Result, TransactionMode};

on_each_backend!(
    failure_rolls_back_and_names_the_statement,
    unknown_version_row_runs_nothing,
    checksum_change_is_detected,
    irreversible_downgrade_is_refused_before_anything_runs,
    lock_timeout_is_a_distinct_error,
    the_longest_lock_timeout_still_waits,
    non_transactional_migration_runs_outside_a_transaction,
);

fn bad_upgrade(op: &mut Op) -> Result<()> {
    op.execute("CREATE TABLE t_bad (id INT)")?;
    op.execute("INSERT INTO no_such_table VALUES (1)")?;
    Ok(())
}

static FAILING: [Migration; 3] = [
    table_migration!("f1", []),
    table_migration!("f2", ["f1"]),
    Migration::__new(
        "f3",
        &["f2"],
        &[],
        &[],
        "bad",
        "sum",
        "tests/versions/f3.rs",
        1,
        bad_upgrade,
        None,
        true,
    ),
];
static FAILING_SET: MigrationSet = MigrationSet::__new("failing", &FAILING);

fn failure_rolls_back_and_names_the_statement(backend: Backend) {
    let db = TestDb::new(backend, "failure");
    let m = db.migrator(&[&FAILING_SET]);
    let err = m.upgrade("head").unwrap_err();
    let Error::MigrationFailed { rev, statement, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(rev, "f3");
    assert_eq!(
        statement.as_deref(),
        Some("INSERT INTO no_such_table VALUES (1)")
    );
    let shown = err.to_string();
    assert!(shown.starts_with("migration f3 failed: "), "{shown}");
    assert!(shown.contains("no_such_table"), "{shown}");
    assert_eq!(db.rows(), ["f2"], "earlier migrations stay applied");
    if backend == Backend::Mysql {
        assert!(db.has_table("t_bad"), "MariaDB committed the DDL");
        assert!(
            shown.contains("statement 1 of 2 stays applied")
                && shown.contains("resumes at statement 2"),
            "the message says which statements stay and where the next run resumes: {shown}"
        );
    } else {
        assert!(
            !db.has_table("t_bad"),
            "the failing migration was rolled back"
        );
    }
    assert_eq!(
        db.count("SELECT COUNT(*) AS n FROM migrate_history WHERE NOT success AND revision = 'f3'"),
        1
    );

    if backend != Backend::Mysql {
        // One transaction for the whole run: nothing of it stays.
        let db = TestDb::new(backend, "failure_single");
        let m = db
            .migrator(&[&FAILING_SET])
            .transaction_mode(TransactionMode::Single);
        assert!(m.upgrade("head").is_err());
        assert_eq!(db.rows(), Vec::<String>::new());
        assert!(!db.has_table("t_f1"));
    }
}

fn unknown_version_row_runs_nothing(backend: Backend) {
    let db = TestDb::new(backend, "unknown");
    let m = db.migrator(&[&LINEAR_SET]);
    m.stamp(&["a1"], false).unwrap();
    db.exec("UPDATE migrate_version SET version_num = 'feedbeef'");
    let err = m.upgrade("head").unwrap_err();
    assert!(
        matches!(&err, Error::UnknownRevision { rev, .. } if rev == "feedbeef"),
        "{err}"
    );
    assert!(
        err.to_string()
            .starts_with("Can't locate revision identified by 'feedbeef'"),
        "{err}"
    );
    assert!(!db.has_table("t_b2"));
    assert!(matches!(m.status(), Err(Error::UnknownRevision { .. })));
    assert!(matches!(m.check(), Err(Error::UnknownRevision { .. })));
}

static EDITED: [Migration; 3] = [
    table_migration!("a1", []),
    Migration::__new(
        "b2",
        &["a1"],
        &[],
        &[],
        "edited",
        "sum-b2-EDITED",
        "tests/versions/b2.rs",
        1,
        |op| {
            op.execute_reversible("CREATE TABLE t_b2 (id INT)", "DROP TABLE t_b2")?;
            Ok(())
        },
        None,
        true,
    ),
    table_migration!("c3", ["b2"]),
];
static EDITED_SET: MigrationSet = MigrationSet::__new("edited", &EDITED);

fn checksum_change_is_detected(backend: Backend) {
    let db = TestDb::new(backend, "checksum");
    db.migrator(&[&LINEAR_SET]).upgrade("b2").unwrap();
    let events = Events::default();
    let edited = db.migrator(&[&EDITED_SET]).on_event(events.sink());
    assert_eq!(
        edited.upgrade("head").unwrap(),
        ["c3"],
        "a warning, not an error, on upgrade"
    );
    let warned = events
        .all()
        .into_iter()
        .any(|e| matches!(e, Event::Warning { revision: Some(r), .. } if r == "b2"));
    assert!(warned, "{:?}", events.all());
    let err = edited.check().unwrap_err();
    assert!(
        matches!(&err, Error::ChecksumMismatch { rev, .. } if rev == "b2"),
        "{err}"
    );
    db.migrator(&[&LINEAR_SET]).check().unwrap();
}

static IRREVERSIBLE: [Migration; 3] = [
    table_migration!("i1", []),
    Migration::__new(
        "i2",
        &["i1"],
        &[],
        &[],
        "data",
        "s",
        "tests/versions/i2.rs",
        1,
        |op| {
            op.execute("INSERT INTO t_i1 (id) VALUES (1)")?;
            Ok(())
        },
        None,
        true,
    ),
    table_migration!("i3", ["i2"]),
];
static IRREVERSIBLE_SET: MigrationSet = MigrationSet::__new("irreversible", &IRREVERSIBLE);

fn irreversible_downgrade_is_refused_before_anything_runs(backend: Backend) {
    let db = TestDb::new(backend, "irreversible");
    let m = db.migrator(&[&IRREVERSIBLE_SET]);
    m.upgrade("head").unwrap();
    let err = m.downgrade("base").unwrap_err();
    assert!(
        matches!(&err, Error::NotReversible { rev, .. } if rev == "i2"),
        "{err}"
    );
    assert!(err.to_string().contains("downgrade = fn"), "{err}");
    assert_eq!(db.rows(), ["i3"], "nothing ran");
    assert!(db.has_table("t_i3"));
    assert_eq!(m.downgrade("i2").unwrap(), ["i3"], "above it is fine");
}

static SLOW: [Migration; 1] = [Migration::__new(
    "s1",
    &[],
    &[],
    &[],
    "slow",
    "s",
    "tests/versions/s1.rs",
    1,
    |op| {
        op.execute("CREATE TABLE t_s1 (id INT)")?;
        op.run(|_| {
            std::thread::sleep(std::time::Duration::from_millis(1500));
            Ok(())
        })?;
        Ok(())
    },
    None,
    true,
)];
static SLOW_SET: MigrationSet = MigrationSet::__new("slow", &SLOW);

/// Another migrator runs SLOW_SET's one slow migration on `db`; returns once it is inside
/// that migration, under the lock (the tables exist first, so only the migration holds it).
fn hold_the_lock(db: &TestDb) -> std::thread::JoinHandle<Result<Vec<String>>> {
    let url = db.url.clone();
    db.migrator(&[&SLOW_SET]).stamp(&["base"], false).unwrap();
    let (started, is_started) = std::sync::mpsc::channel();
    let started = std::sync::Mutex::new(started);
    let holder = std::thread::spawn(move || {
        migrate_core::Migrator::new(&[&SLOW_SET])
            .unwrap()
            .url(&url)
            .unwrap()
            .on_event(move |e| {
                if matches!(e, Event::StepStarted { .. }) {
                    let _ = started.lock().unwrap().send(());
                }
            })
            .upgrade("head")
    });
    is_started.recv().unwrap();
    holder
}

fn lock_timeout_is_a_distinct_error(backend: Backend) {
    let db = TestDb::new(backend, "lock");
    let holder = hold_the_lock(&db);
    let events = Events::default();
    let waiter = db
        .migrator(&[&SLOW_SET])
        .lock_timeout(std::time::Duration::from_millis(300))
        .on_event(events.sink());
    let err = waiter.upgrade("head").unwrap_err();
    assert!(matches!(err, Error::LockTimeout { .. }), "{err}");
    assert!(events
        .all()
        .iter()
        .any(|e| matches!(e, Event::LockWaiting { .. })));
    assert_eq!(holder.join().unwrap().unwrap(), ["s1"]);
    // Once free, the waiter finds nothing left to do.
    assert_eq!(waiter.upgrade("head").unwrap(), Vec::<String>::new());
}

/// A lock timeout beyond what a backend can wait once overflowed: SQLite's busy timeout
/// became 0 (failing at once), MariaDB's `GET_LOCK` answered NULL (polling forever). Any
/// timeout is cut to `Migrator::MAX_LOCK_TIMEOUT`, so the waiter waits, then finds it done.
fn the_longest_lock_timeout_still_waits(backend: Backend) {
    let db = TestDb::new(backend, "maxlock");
    let holder = hold_the_lock(&db);
    for timeout in [
        std::time::Duration::MAX,
        std::time::Duration::from_secs(2_147_484),
    ] {
        let waiter = db.migrator(&[&SLOW_SET]).lock_timeout(timeout);
        assert_eq!(
            waiter.upgrade("head").unwrap(),
            Vec::<String>::new(),
            "{timeout:?}"
        );
    }
    assert_eq!(holder.join().unwrap().unwrap(), ["s1"]);
}

fn concurrent_index(op: &mut Op) -> Result<()> {
    match op.dialect() {
        migrate_core::sql::Dialect::Postgres => {
            // PostgreSQL refuses this inside a transaction block.
            op.execute("CREATE INDEX CONCURRENTLY ix_t_n1 ON t_n1 (id)")?
        }
        _ => op.execute("CREATE INDEX ix_t_n1 ON t_n1 (id)")?,
    }
    Ok(())
}

static NON_TX: [Migration; 3] = [
    table_migration!("n1", []),
    Migration::__new(
        "n2",
        &["n1"],
        &[],
        &[],
        "index",
        "s",
        "tests/versions/n2.rs",
        1,
        concurrent_index,
        None,
        false,
    ),
    table_migration!("n3", ["n2"]),
];
static NON_TX_SET: MigrationSet = MigrationSet::__new("nontx", &NON_TX);

fn non_transactional_migration_runs_outside_a_transaction(backend: Backend) {
    for mode in [TransactionMode::PerMigration, TransactionMode::Single] {
        let db = TestDb::new(backend, "nontx");
        let m = db.migrator(&[&NON_TX_SET]).transaction_mode(mode);
        assert_eq!(m.upgrade("head").unwrap(), ["n1", "n2", "n3"], "{mode:?}");
        assert_eq!(db.rows(), ["n3"]);
        assert_eq!(
            db.count("SELECT COUNT(*) AS n FROM migrate_history WHERE revision = 'n2' AND success"),
            1
        );
    }
}

fn dsl_concurrent_index(op: &mut Op) -> Result<()> {
    op.create_index("ix_t_x1", "t_x1", &["id"])?.concurrently();
    Ok(())
}

static CONCURRENTLY_IN_TX: [Migration; 2] = [
    table_migration!("x1", []),
    Migration::__new(
        "x2",
        &["x1"],
        &[],
        &[],
        "index",
        "s",
        "tests/versions/x2.rs",
        1,
        dsl_concurrent_index,
        None,
        true,
    ),
];
static CONCURRENTLY_IN_TX_SET: MigrationSet =
    MigrationSet::__new("conc_in_tx", &CONCURRENTLY_IN_TX);

#[test]
fn concurrently_inside_a_transaction_is_refused_before_anything_runs() {
    let db = TestDb::new(Backend::Postgres, "conc_in_tx");
    let err = db
        .migrator(&[&CONCURRENTLY_IN_TX_SET])
        .upgrade("head")
        .unwrap_err();
    assert!(
        matches!(&err, Error::NeedsNoTransaction { rev, .. } if rev == "x2"),
        "{err}"
    );
    assert!(err.to_string().contains("transactional = false"), "{err}");
    assert!(!db.has_table("t_x1"), "nothing ran");
}

fn unrenderable(op: &mut Op) -> Result<()> {
    // MySQL must restate the whole column: without `existing_nullable` it cannot be rendered.
    op.alter_column("t_g1", "id")?
        .set_type(migrate_core::sql::Type::BigInt);
    Ok(())
}

static UNRENDERABLE: [Migration; 3] = [
    table_migration!("g1", []),
    table_migration!("g2", ["g1"]),
    Migration::__new(
        "g3",
        &["g2"],
        &[],
        &[],
        "alter",
        "s",
        "tests/versions/g3.rs",
        1,
        unrenderable,
        None,
        true,
    ),
];
static UNRENDERABLE_SET: MigrationSet = MigrationSet::__new("unrenderable", &UNRENDERABLE);

#[test]
fn what_cannot_be_rendered_fails_before_anything_runs() {
    let db = TestDb::new(Backend::Mysql, "unrenderable");
    let err = db
        .migrator(&[&UNRENDERABLE_SET])
        .upgrade("head")
        .unwrap_err();
    assert!(
        matches!(&err, Error::Record { rev, .. } if rev == "g3"),
        "{err}"
    );
    assert!(err.to_string().contains("existing_nullable"), "{err}");
    assert!(!db.has_table("t_g1"), "nothing ran");
}
