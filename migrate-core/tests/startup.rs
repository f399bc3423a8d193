//! The start-up modes (`Migrator::on_start`, `Startup`) on real databases: migrate (and a
//! failure kept as degraded, then retried), verify on a database behind (nothing runs), a
//! database a newer build migrated (ahead) in each mode, an unknown revision that is not
//! ahead, and off.

#![allow(clippy::unwrap_used)]

mod common;

use common::TestDb;
use migrate_core::{
    AnyMigration, Backend, Error, Harness, MigrationList, Migrator, StartMode, StartStatus, Startup,
};

/// A linear build: each revision creates table `t_<rev>`; `fails_on` additionally creates
/// table `stray`, which fails while a `stray` table is there.
fn build(revs: &[&str], fails_on: Option<&str>) -> MigrationList {
    let mut list = MigrationList::new();
    let mut parent: Option<&str> = None;
    for &rev in revs {
        let mut sql = vec![(
            format!("CREATE TABLE t_{rev} (id INTEGER)"),
            format!("DROP TABLE t_{rev}"),
        )];
        if fails_on == Some(rev) {
            sql.push((
                "CREATE TABLE stray (id INTEGER)".to_owned(),
                "DROP TABLE stray".to_owned(),
            ));
        }
        let mut m = AnyMigration::builder(rev, move |op| {
            for (up, down) in &sql {
                op.execute_reversible(up.as_str(), down.as_str())?;
            }
            Ok(())
        })
        .message(format!("create t_{rev}"));
        if let Some(p) = parent {
            m = m.down_rev(p);
        }
        list = list.with(m);
        parent = Some(rev);
    }
    list
}

fn migrator(db: &TestDb, list: &MigrationList) -> Migrator {
    Migrator::new(list).unwrap().url(&db.url).unwrap()
}

/// Verify on a database behind: `Behind` with the pending list, and no migration runs.
fn verify_behind_runs_nothing(backend: Backend) {
    let db = TestDb::new(backend, "verify_behind");
    let m = migrator(&db, &build(&["a1", "b2"], None));
    m.upgrade("a1").unwrap();
    for mode in [StartMode::Verify, StartMode::VerifyAtOrAhead] {
        let status = m.on_start(mode);
        let StartStatus::Behind { status: s } = &status else {
            panic!("{mode}: {status:?}");
        };
        assert_eq!(s.pending, ["b2"]);
        assert_eq!(s.current, ["a1"]);
        assert!(!status.is_usable(mode));
        assert_eq!(status.label(), "behind");
    }
    assert!(!db.has_table("t_b2"), "verify ran a migration");
    assert_eq!(db.rows(), ["a1"]);
}

/// Migrate: a failure is kept as degraded (what ran before it stays), and a retry after the
/// cause is fixed applies the rest.
fn migrate_degraded_then_retry(backend: Backend) {
    let db = TestDb::new(backend, "migrate_retry");
    db.exec("CREATE TABLE stray (id INTEGER)");
    let startup = Startup::start(
        migrator(&db, &build(&["a1", "b2", "c3"], Some("b2"))),
        StartMode::Migrate,
    );
    let status = startup.status();
    let error = status.error().unwrap_or_else(|| panic!("{status:?}"));
    assert_eq!(error.error().revision(), Some("b2"));
    assert!(
        error.statement().is_some_and(|s| s.contains("stray")),
        "{error:?}"
    );
    assert!(
        error.report().contains("revision: b2"),
        "{}",
        error.report()
    );
    if backend == Backend::Postgres {
        let db_error = error.database_error().unwrap();
        assert!(
            db_error.message().contains("\"stray\" already exists"),
            "{db_error}"
        );
    }
    assert!(!startup.is_usable());
    assert_eq!(db.rows(), ["a1"], "a1 stays applied");

    // Still failing: the retry says so again.
    assert_eq!(startup.retry().label(), "failed");
    db.exec("DROP TABLE stray");
    match startup.retry() {
        StartStatus::Ok { applied, status } => {
            assert_eq!(applied, ["b2", "c3"]);
            assert_eq!(status.current, ["c3"]);
        }
        other => panic!("{other:?}"),
    }
    assert!(startup.is_usable());
    assert_eq!(startup.status().label(), "ok");
    // At head, a second start-up has nothing to do.
    assert!(matches!(startup.retry(), StartStatus::Ok { applied, .. } if applied.is_empty()));
}

/// A newer build migrated past this build's head: ahead. Verify refuses it, VerifyAtOrAhead
/// and Migrate accept it, and nothing is written.
fn ahead_of_a_newer_build(backend: Backend) {
    let db = TestDb::new(backend, "ahead");
    let newer = migrator(&db, &build(&["a1", "b2", "c3", "d4"], None));
    newer.upgrade("head").unwrap();
    let older = migrator(&db, &build(&["a1", "b2"], None));
    for mode in [
        StartMode::Verify,
        StartMode::VerifyAtOrAhead,
        StartMode::Migrate,
    ] {
        let status = older.on_start(mode);
        let StartStatus::Ahead(ahead) = &status else {
            panic!("{mode}: {status:?}");
        };
        assert_eq!(ahead.unknown, ["d4"]);
        assert_eq!(ahead.heads, ["b2"]);
        assert_eq!(status.is_usable(mode), mode != StartMode::Verify, "{mode}");
        assert!(
            status.to_string().contains("a newer release migrated it"),
            "{status}"
        );
    }
    assert_eq!(db.rows(), ["d4"], "nothing written");
    assert_eq!(
        db.count("SELECT COUNT(*) AS n FROM migrate_history"),
        4,
        "no history row added"
    );

    // The newer build reverts below this build's head: no longer ahead.
    newer.downgrade("a1").unwrap();
    let other = migrator(&db, &build(&["a1", "x9"], None));
    other.upgrade("x9").unwrap();
    let status = older.on_start(StartMode::VerifyAtOrAhead);
    let error = status.error().unwrap_or_else(|| panic!("{status:?}"));
    assert!(
        matches!(error.error(), Error::UnknownRevision { .. }),
        "{error}"
    );
    let message = error.to_string();
    assert!(message.contains("'x9'"), "{message}");
    assert!(
        message.contains("the database may be ahead of this build"),
        "{message}"
    );
    assert!(
        message.contains("`stamp --purge` only if the migration was deleted"),
        "{message}"
    );
}

/// Off opens no connection and creates nothing.
fn off_does_nothing(backend: Backend) {
    let db = TestDb::new(backend, "off");
    let m = migrator(&db, &build(&["a1"], None));
    let status = m.on_start(StartMode::Off);
    assert!(matches!(status, StartStatus::Off), "{status:?}");
    assert!(status.is_usable(StartMode::Off));
    if let Some(path) = db.url.strip_prefix("sqlite://") {
        assert!(
            !std::path::Path::new(path).exists(),
            "no SQLite file created"
        );
    }
    assert!(!db.has_table("migrate_version"));
    assert!(!db.has_table("t_a1"));
}

/// On a connection the application holds (`Harness`), the same modes.
fn on_a_connection(backend: Backend) {
    let db = TestDb::new(backend, "on_conn");
    let m = Migrator::new(&build(&["a1", "b2"], None)).unwrap();
    let mut conn = db.conn();
    assert_eq!(conn.on_start(&m, StartMode::Verify).label(), "behind");
    assert!(!db.has_table("t_a1"));
    let status = conn.on_start(&m, StartMode::Migrate);
    assert!(
        matches!(&status, StartStatus::Ok { applied, .. } if applied == &["a1", "b2"]),
        "{status:?}"
    );
    assert_eq!(conn.on_start(&m, StartMode::Verify).label(), "ok");
}

macro_rules! on_backends {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $scenario() { super::$scenario(migrate_core::Backend::Sqlite); })*
        }
        mod postgres {
            $(#[test] fn $scenario() { super::$scenario(migrate_core::Backend::Postgres); })*
        }
        mod mariadb {
            $(#[test] fn $scenario() { super::$scenario(migrate_core::Backend::Mysql); })*
        }
    };
}

on_backends!(
    verify_behind_runs_nothing,
    migrate_degraded_then_retry,
    ahead_of_a_newer_build,
    off_does_nothing,
    on_a_connection,
);

/// An unreachable database is degraded, and says so (a health endpoint's 503).
#[test]
fn unreachable_database() {
    let m = Migrator::new(&build(&["a1"], None))
        .unwrap()
        .url("postgres://postgres:secret@127.0.0.1:1/nowhere")
        .unwrap();
    for mode in [StartMode::Migrate, StartMode::Verify] {
        let status = m.on_start(mode);
        let error = status.error().unwrap_or_else(|| panic!("{status:?}"));
        assert!(error.is_unreachable(), "{error}");
        assert!(!error.to_string().contains("secret"), "{error}");
    }
}
