//! MySQL/MariaDB: a migration interrupted half-way (its connection gone, as after kill -9)
//! resumes on the next run. Each test interrupts a real run on MariaDB (a Rust step that
//! panics, which drops the connection mid-transaction), then simulates what the server may
//! have committed before the crash by running statements by hand, and reruns.

#![allow(clippy::unwrap_used)]

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};

use common::{Events, TestDb, LINEAR_SET};
use migrate_core::{Backend, Error, Event, Migration, Migrator, Op, Registry, Result};

fn one(
    rev: &'static str,
    down: &'static [&'static str],
    f: fn(&mut Op) -> Result<()>,
) -> Migration {
    Migration::__new(
        rev,
        down,
        &[],
        &[],
        "resume",
        "sum",
        "tests/versions/x.rs",
        1,
        f,
        None,
        true,
    )
}

fn migrator(db: &TestDb, migrations: Vec<Migration>) -> Migrator {
    Migrator::from_registry(Registry::from_migrations(migrations).unwrap())
        .url(&db.url)
        .unwrap()
}

fn crash(op: &mut Op) -> Result<()> {
    op.run(|_| panic!("simulated crash: the connection goes away mid-migration"))
}

/// Run `f`'s migration until its Rust step "crashes" the process.
fn interrupted(db: &TestDb, migrations: Vec<Migration>) {
    let m = migrator(db, migrations);
    let result = catch_unwind(AssertUnwindSafe(|| m.upgrade("head")));
    assert!(result.is_err(), "the run was interrupted");
}

fn progress(db: &TestDb) -> i64 {
    db.count("SELECT COUNT(*) AS n FROM migrate_version_progress")
}

fn has_column(db: &TestDb, table: &str, column: &str) -> bool {
    db.count(&format!(
        "SELECT COUNT(*) AS n FROM information_schema.columns WHERE table_schema = DATABASE() \
         AND table_name = '{table}' AND column_name = '{column}'"
    )) > 0
}

fn has_index(db: &TestDb, table: &str, index: &str) -> bool {
    db.count(&format!(
        "SELECT COUNT(*) AS n FROM information_schema.statistics WHERE table_schema = DATABASE() \
         AND table_name = '{table}' AND index_name = '{index}'"
    )) > 0
}

fn history_ok(db: &TestDb, rev: &str) -> i64 {
    db.count(&format!(
        "SELECT COUNT(*) AS n FROM migrate_history WHERE revision = '{rev}' AND direction = 'up' AND success"
    ))
}

fn w1_interrupted(op: &mut Op) -> Result<()> {
    op.execute("CREATE TABLE a (id INT)")?;
    crash(op)
}

fn w1(op: &mut Op) -> Result<()> {
    op.execute("CREATE TABLE a (id INT)")?;
    op.execute("ALTER TABLE a ADD COLUMN c INT")?;
    op.execute("CREATE INDEX ix_a_c ON a (c)")?;
    op.execute("INSERT INTO a (id, c) VALUES (1, 2)")?;
    Ok(())
}

/// The window: statement 2 committed on the server, the progress write after it lost. The
/// rerun finds its effect there (1060 duplicate column), counts it done and goes on.
#[test]
fn window_statement_that_took_effect_is_skipped() {
    let db = TestDb::new(Backend::Mysql, "window");
    interrupted(&db, vec![one("w1", &[], w1_interrupted)]);
    assert_eq!(progress(&db), 1, "the interrupted migration is recorded");
    db.exec("ALTER TABLE a ADD COLUMN c INT");

    let events = Events::default();
    let applied = migrator(&db, vec![one("w1", &[], w1)])
        .on_event(events.sink())
        .upgrade("head")
        .unwrap();
    assert_eq!(applied, ["w1"]);
    assert_eq!(db.rows(), ["w1"]);
    assert!(has_column(&db, "a", "c") && has_index(&db, "a", "ix_a_c"));
    assert_eq!(db.count("SELECT COUNT(*) AS n FROM a WHERE c = 2"), 1);
    assert_eq!(history_ok(&db, "w1"), 1);
    assert_eq!(progress(&db), 0);
    let warnings: Vec<String> = events
        .all()
        .into_iter()
        .filter_map(|e| match e {
            Event::Warning { message, .. } => Some(message),
            _ => None,
        })
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("resuming its upgrade at statement 2 of 4")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("statement 2 of 4") && w.contains("had already taken effect")),
        "{warnings:?}"
    );
}

/// The window statement is not where it left off, and it fails with an error that does not
/// mean "already there": stop, one line, the revision, the statement and the way out.
#[test]
fn window_statement_failing_otherwise_stops_with_the_way_out() {
    fn interrupted_w2(op: &mut Op) -> Result<()> {
        op.execute("CREATE TABLE b (x INT)")?;
        crash(op)
    }
    fn w2(op: &mut Op) -> Result<()> {
        op.execute("CREATE TABLE b (x INT)")?;
        op.execute("ALTER TABLE b RENAME COLUMN x TO y")?;
        op.execute("INSERT INTO b (y) VALUES (1)")?;
        Ok(())
    }
    let db = TestDb::new(Backend::Mysql, "window_stop");
    interrupted(&db, vec![one("w2", &[], interrupted_w2)]);
    // Someone renamed the column, but not to what the migration says: `x` is gone, `y` is not
    // there, so the rename did not take effect and migrate must not say it did.
    db.exec("ALTER TABLE b RENAME COLUMN x TO z");

    let m = migrator(&db, vec![one("w2", &[], w2)]);
    let err = m.upgrade("head").unwrap_err();
    assert!(
        matches!(&err, Error::Interrupted { rev, .. } if rev == "w2"),
        "{err}"
    );
    let shown = err.to_string();
    assert!(!shown.contains('\n'), "one line: {shown}");
    for part in [
        "migration w2 was interrupted at statement 2 of 3",
        "ALTER TABLE b RENAME COLUMN x TO y",
        "Unknown column",
        "(error 1054)",
        "SET state = 'skip' WHERE revision = 'w2'",
    ] {
        assert!(shown.contains(part), "{part:?} in {shown}");
    }
    assert_eq!(db.rows(), Vec::<String>::new());
    assert_eq!(db.count("SELECT COUNT(*) AS n FROM b"), 0, "nothing ran");

    // The way out the message gives, once the database holds the statement's effect.
    db.exec("ALTER TABLE b RENAME COLUMN z TO y");
    db.exec("UPDATE migrate_version_progress SET state = 'skip' WHERE revision = 'w2'");
    assert_eq!(m.upgrade("head").unwrap(), ["w2"]);
    assert_eq!(db.count("SELECT COUNT(*) AS n FROM b WHERE y = 1"), 1);
    assert_eq!(progress(&db), 0);
}

/// A rename in the window: run again it fails with "unknown column" (1054) or "no such
/// table" (1146); the catalog shows the new name there and the old one gone, so it is done.
#[test]
fn window_rename_that_took_effect_is_skipped() {
    fn interrupted_w11(op: &mut Op) -> Result<()> {
        op.execute("CREATE TABLE r11 (x INT)")?;
        op.execute("CREATE TABLE old11 (id INT)")?;
        crash(op)
    }
    fn w11(op: &mut Op) -> Result<()> {
        op.execute("CREATE TABLE r11 (x INT)")?;
        op.execute("CREATE TABLE old11 (id INT)")?;
        op.execute("ALTER TABLE `r11` RENAME COLUMN `x` TO `y`")?;
        op.execute("RENAME TABLE `old11` TO `new11`")?;
        op.execute("INSERT INTO r11 (y) VALUES (1)")?;
        Ok(())
    }
    fn w11_later(op: &mut Op) -> Result<()> {
        op.execute("CREATE TABLE r11 (x INT)")?;
        op.execute("CREATE TABLE old11 (id INT)")?;
        op.execute("ALTER TABLE `r11` RENAME COLUMN `x` TO `y`")?;
        crash(op)
    }
    // The column rename in the window.
    let db = TestDb::new(Backend::Mysql, "window_rename");
    interrupted(&db, vec![one("w11", &[], interrupted_w11)]);
    db.exec("ALTER TABLE r11 RENAME COLUMN x TO y");
    assert_eq!(
        migrator(&db, vec![one("w11", &[], w11)])
            .upgrade("head")
            .unwrap(),
        ["w11"]
    );
    assert!(has_column(&db, "r11", "y") && db.has_table("new11") && !db.has_table("old11"));

    // The table rename in the window.
    let db = TestDb::new(Backend::Mysql, "window_rename_table");
    interrupted(&db, vec![one("w11", &[], w11_later)]);
    db.exec("RENAME TABLE old11 TO new11");
    assert_eq!(
        migrator(&db, vec![one("w11", &[], w11)])
            .upgrade("head")
            .unwrap(),
        ["w11"]
    );
    assert!(db.has_table("new11") && !db.has_table("old11"));
    assert_eq!(db.count("SELECT COUNT(*) AS n FROM r11 WHERE y = 1"), 1);
}

/// A statement after the window that fails with an "already there" error is a real failure:
/// only the window statement may be taken as done.
#[test]
fn only_the_window_statement_is_skipped() {
    fn interrupted_w3(op: &mut Op) -> Result<()> {
        op.execute("CREATE TABLE c3 (id INT)")?;
        crash(op)
    }
    fn w3(op: &mut Op) -> Result<()> {
        op.execute("CREATE TABLE c3 (id INT)")?;
        op.execute("ALTER TABLE c3 ADD COLUMN z INT")?;
        op.execute("CREATE TABLE d3 (id INT)")?;
        op.execute("INSERT INTO c3 (id, z) VALUES (1, 1)")?;
        Ok(())
    }
    let db = TestDb::new(Backend::Mysql, "window_only");
    interrupted(&db, vec![one("w3", &[], interrupted_w3)]);
    db.exec("CREATE TABLE d3 (id INT)"); // made by someone else, not by statement 3

    let m = migrator(&db, vec![one("w3", &[], w3)]);
    let err = m.upgrade("head").unwrap_err();
    let Error::MigrationFailed { rev, statement, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(rev, "w3");
    assert_eq!(statement.as_deref(), Some("CREATE TABLE d3 (id INT)"));
    let shown = err.to_string();
    assert!(shown.contains("already exists"), "{shown}");
    assert!(
        shown.contains("statements 1 to 2 of 4 stay applied")
            && shown.contains("resumes at statement 3"),
        "{shown}"
    );
    assert!(has_column(&db, "c3", "z"), "the window statement ran");
    assert_eq!(db.rows(), Vec::<String>::new());

    db.exec("DROP TABLE d3");
    assert_eq!(m.upgrade("head").unwrap(), ["w3"]);
    assert_eq!(db.count("SELECT COUNT(*) AS n FROM c3"), 1);
    assert_eq!(history_ok(&db, "w3"), 1);
}

/// A Rust step where the run was cut: migrate does not guess whether it committed.
#[test]
fn rust_step_in_the_window_is_not_guessed() {
    fn interrupted_w4(op: &mut Op) -> Result<()> {
        op.execute("CREATE TABLE e4 (id INT)")?;
        crash(op)
    }
    fn w4(op: &mut Op) -> Result<()> {
        op.execute("CREATE TABLE e4 (id INT)")?;
        op.run(|conn| {
            use diesel::RunQueryDsl;
            diesel::sql_query("INSERT INTO e4 (id) VALUES (4)").execute(conn)?;
            Ok(())
        })?;
        op.execute("CREATE INDEX ix_e4 ON e4 (id)")?;
        Ok(())
    }
    let db = TestDb::new(Backend::Mysql, "window_rust");
    interrupted(&db, vec![one("w4", &[], interrupted_w4)]);

    let m = migrator(&db, vec![one("w4", &[], w4)]);
    let err = m.upgrade("head").unwrap_err();
    assert!(
        matches!(&err, Error::Interrupted { rev, .. } if rev == "w4"),
        "{err}"
    );
    let shown = err.to_string();
    assert!(!shown.contains('\n'), "{shown}");
    for part in [
        "migration w4 was interrupted during its Rust step (2 of its 3 steps)",
        "SET state = 'skip' WHERE revision = 'w4'",
        "SET state = 'stopped' WHERE revision = 'w4'",
    ] {
        assert!(shown.contains(part), "{part:?} in {shown}");
    }
    assert_eq!(db.count("SELECT COUNT(*) AS n FROM e4"), 0, "nothing ran");

    db.exec("UPDATE migrate_version_progress SET state = 'stopped' WHERE revision = 'w4'");
    assert_eq!(m.upgrade("head").unwrap(), ["w4"]);
    assert_eq!(db.count("SELECT COUNT(*) AS n FROM e4 WHERE id = 4"), 1);
    assert!(has_index(&db, "e4", "ix_e4"));
}

/// A migration that failed half-way (DDL stays on MySQL) resumes after the fix, instead of
/// failing forever on its first statement; the message says what stays.
#[test]
fn a_failed_migration_resumes_after_the_fix() {
    fn broken(op: &mut Op) -> Result<()> {
        op.execute("CREATE TABLE f5 (id INT)")?;
        op.execute("CREATE INDEX ix_f5 ON f5 (no_such_column)")?;
        Ok(())
    }
    fn fixed(op: &mut Op) -> Result<()> {
        op.execute("CREATE TABLE f5 (id INT)")?;
        op.execute("CREATE INDEX ix_f5 ON f5 (id)")?;
        Ok(())
    }
    let db = TestDb::new(Backend::Mysql, "resume_fix");
    let err = migrator(&db, vec![one("w5", &[], broken)])
        .upgrade("head")
        .unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.contains("statement 1 of 2 stays applied")
            && shown.contains("resumes at statement 2"),
        "{shown}"
    );
    assert_eq!(
        migrator(&db, vec![one("w5", &[], fixed)])
            .upgrade("head")
            .unwrap(),
        ["w5"]
    );
    assert!(has_index(&db, "f5", "ix_f5"));
    assert_eq!(db.rows(), ["w5"]);
    assert_eq!(history_ok(&db, "w5"), 1);
}

/// The first statement fails: the message does not blame statements before it, and the
/// error is not taken for "already done" on the next run (there was no crash).
#[test]
fn a_first_statement_failure_says_nothing_took_effect() {
    fn dup(op: &mut Op) -> Result<()> {
        op.execute("CREATE TABLE g6 (id INT, id INT)")?;
        op.execute("CREATE TABLE h6 (id INT)")?;
        Ok(())
    }
    let db = TestDb::new(Backend::Mysql, "first_fails");
    let m = migrator(&db, vec![one("w6", &[], dup)]);
    for run in 0..2 {
        let err = m.upgrade("head").unwrap_err();
        let shown = err.to_string();
        assert!(
            shown.contains("Duplicate column name"),
            "run {run}: {shown}"
        );
        assert!(
            shown.contains("no statement of this migration took effect"),
            "run {run}: {shown}"
        );
        assert!(!shown.contains("stay"), "run {run}: {shown}");
        assert!(!db.has_table("h6"), "run {run}");
    }
}

/// An interrupted migration whose already-run statements were edited is not resumed.
#[test]
fn an_edited_interrupted_migration_is_refused() {
    fn interrupted_w7(op: &mut Op) -> Result<()> {
        op.execute("CREATE TABLE h7 (id INT)")?;
        crash(op)
    }
    fn edited(op: &mut Op) -> Result<()> {
        op.execute("CREATE TABLE h7 (id BIGINT)")?;
        op.execute("INSERT INTO h7 (id) VALUES (1)")?;
        Ok(())
    }
    let db = TestDb::new(Backend::Mysql, "resume_edited");
    interrupted(&db, vec![one("w7", &[], interrupted_w7)]);
    let err = migrator(&db, vec![one("w7", &[], edited)])
        .upgrade("head")
        .unwrap_err();
    assert!(
        matches!(&err, Error::Interrupted { rev, .. } if rev == "w7"),
        "{err}"
    );
    let shown = err.to_string();
    assert!(shown.contains("changed since"), "{shown}");
    assert!(
        shown.contains("DELETE FROM `migrate_version_progress` WHERE revision = 'w7'"),
        "{shown}"
    );
    assert_eq!(db.count("SELECT COUNT(*) AS n FROM h7"), 0);
}

/// A command whose plan does not finish the interrupted migration runs nothing.
#[test]
fn other_commands_wait_for_the_interrupted_migration() {
    fn r0(op: &mut Op) -> Result<()> {
        op.execute_reversible("CREATE TABLE r0 (id INT)", "DROP TABLE r0")?;
        Ok(())
    }
    fn interrupted_w8(op: &mut Op) -> Result<()> {
        op.execute("CREATE TABLE w8 (id INT)")?;
        crash(op)
    }
    let db = TestDb::new(Backend::Mysql, "resume_other");
    interrupted(
        &db,
        vec![one("r0", &[], r0), one("w8", &["r0"], interrupted_w8)],
    );
    assert_eq!(db.rows(), ["r0"]);
    let m = migrator(
        &db,
        vec![one("r0", &[], r0), one("w8", &["r0"], interrupted_w8)],
    );
    let err = m.downgrade("base").unwrap_err();
    assert!(
        matches!(&err, Error::Interrupted { rev, .. } if rev == "w8"),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("finish it first with `migrate upgrade w8`"),
        "{err}"
    );
    assert!(
        err.to_string()
            .contains("or undo its first statement by hand and run `DELETE FROM `migrate_version_progress` WHERE revision = 'w8'`"),
        "{err}"
    );
    assert_eq!(db.rows(), ["r0"], "nothing ran");
    assert!(db.has_table("r0"));

    // The second way out: undo it, forget it, and the downgrade runs.
    db.exec("DROP TABLE w8");
    db.exec("DELETE FROM migrate_version_progress WHERE revision = 'w8'");
    assert_eq!(m.downgrade("base").unwrap(), ["r0"]);
    assert!(!db.has_table("r0"));
}

/// The version row and the history row commit together: when the history row can't be
/// written, the version row does not move either (before: the DDL's implicit commit left the
/// version row committed alone), and the next run finishes the migration.
#[test]
fn version_and_history_rows_commit_together() {
    let db = TestDb::new(Backend::Mysql, "atomic_rows");
    let m = db.migrator(&[&LINEAR_SET]);
    m.upgrade("a1").unwrap();
    db.exec(
        "CREATE TRIGGER no_history BEFORE INSERT ON migrate_history FOR EACH ROW \
         SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'history is down'",
    );
    let err = m.upgrade("b2").unwrap_err();
    assert!(err.to_string().contains("history is down"), "{err}");
    assert!(db.has_table("t_b2"), "MariaDB committed the DDL");
    assert_eq!(db.rows(), ["a1"], "no version row without its history row");
    assert_eq!(history_ok(&db, "b2"), 0);

    db.exec("DROP TRIGGER no_history");
    assert_eq!(m.upgrade("head").unwrap(), ["b2", "c3"]);
    assert_eq!(db.rows(), ["c3"]);
    assert_eq!(history_ok(&db, "b2"), 1);
    m.check().unwrap();
}

/// Session settings the interrupted run made (`SET foreign_key_checks = 0`) died with its
/// connection: they are replayed before the migration resumes.
#[test]
fn session_settings_are_replayed_on_resume() {
    fn interrupted_w9(op: &mut Op) -> Result<()> {
        op.execute("CREATE TABLE p9 (id INT PRIMARY KEY)")?;
        op.execute("CREATE TABLE c9 (pid INT, FOREIGN KEY (pid) REFERENCES p9 (id))")?;
        op.execute("SET foreign_key_checks = 0")?;
        crash(op)
    }
    fn w9(op: &mut Op) -> Result<()> {
        op.execute("CREATE TABLE p9 (id INT PRIMARY KEY)")?;
        op.execute("CREATE TABLE c9 (pid INT, FOREIGN KEY (pid) REFERENCES p9 (id))")?;
        op.execute("SET foreign_key_checks = 0")?;
        op.execute("DROP TABLE p9")?;
        op.execute("SET foreign_key_checks = 1")?;
        Ok(())
    }
    let db = TestDb::new(Backend::Mysql, "resume_set");
    interrupted(&db, vec![one("w9", &[], interrupted_w9)]);
    assert_eq!(
        migrator(&db, vec![one("w9", &[], w9)])
            .upgrade("head")
            .unwrap(),
        ["w9"]
    );
    assert!(!db.has_table("p9") && db.has_table("c9"));
}

/// `stamp` declares where the database stands: the interrupted migration is not resumed
/// afterwards (here: its effect was completed by hand, and the stamp records it).
#[test]
fn stamp_clears_an_interrupted_migration() {
    fn interrupted_w10(op: &mut Op) -> Result<()> {
        op.execute("CREATE TABLE k10 (id INT)")?;
        crash(op)
    }
    fn w10(op: &mut Op) -> Result<()> {
        op.execute("CREATE TABLE k10 (id INT)")?;
        op.execute("CREATE INDEX ix_k10 ON k10 (id)")?;
        Ok(())
    }
    let db = TestDb::new(Backend::Mysql, "resume_stamp");
    interrupted(&db, vec![one("w10", &[], interrupted_w10)]);
    db.exec("CREATE INDEX ix_k10 ON k10 (id)");
    let m = migrator(
        &db,
        vec![one("w10", &[], w10), one("x10", &["w10"], w10_next)],
    );
    m.stamp(&["w10"], false).unwrap();
    assert_eq!(progress(&db), 0);
    assert_eq!(m.upgrade("head").unwrap(), ["x10"]);
    m.check().unwrap();
}

fn w10_next(op: &mut Op) -> Result<()> {
    op.execute("CREATE TABLE x10 (id INT)")?;
    Ok(())
}
