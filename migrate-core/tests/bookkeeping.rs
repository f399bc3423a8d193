//! The version and history tables as a user meets them, on every backend: what `check` says
//! of rows that disagree, what a bad target or a foreign version table leaves behind, and how
//! a failing statement is shown.

#![allow(clippy::unwrap_used)]

mod common;

use common::{TestDb, LINEAR_SET};
use migrate_core::{Backend, Error, Migration, Op, Registry, Result};

on_each_backend!(
    version_row_without_history_row_is_flagged_by_check,
    bad_target_on_a_fresh_database_creates_nothing,
    integer_version_column_is_a_clear_error,
    failing_multi_line_statement_is_shown_on_one_line,
);

/// Nothing of migrate's own appears in the database unless the command has work to do.
fn bookkeeping_tables(db: &TestDb) -> Vec<&'static str> {
    [
        "migrate_version",
        "migrate_history",
        "migrate_version_progress",
    ]
    .into_iter()
    .filter(|t| db.has_table(t))
    .collect()
}

/// A version row with no history row (a crash between the two before they were written
/// together, or a hand edit) means an edit of that migration would go unnoticed: `check` says
/// so, and stamping the row records it.
fn version_row_without_history_row_is_flagged_by_check(backend: Backend) {
    let db = TestDb::new(backend, "nohistory");
    let m = db.migrator(&[&LINEAR_SET]);
    m.upgrade("head").unwrap();
    m.check().unwrap();
    db.exec("DELETE FROM migrate_history WHERE revision = 'c3'");
    let err = m.check().unwrap_err();
    assert!(
        matches!(&err, Error::MissingHistory { rev, .. } if rev == "c3"),
        "{err}"
    );
    let shown = err.to_string();
    assert!(!shown.contains('\n'), "{shown}");
    assert!(
        shown.starts_with("revision c3 is in the version table migrate_version but has no row in the history table migrate_history"),
        "{shown}"
    );
    assert!(shown.contains("`migrate stamp c3`"), "{shown}");

    // The way out the message gives.
    m.stamp(&["c3"], false).unwrap();
    m.check().unwrap();
    assert_eq!(
        db.count("SELECT COUNT(*) AS n FROM migrate_history WHERE revision = 'c3' AND direction = 'stamp'"),
        1
    );

    // A database that never had a history table (moved from Alembic) is not flagged.
    db.exec("DROP TABLE migrate_history");
    m.check().unwrap();
}

/// A target that does not resolve fails before anything is created; so does a run with
/// nothing to do. The first real write creates the tables.
fn bad_target_on_a_fresh_database_creates_nothing(backend: Backend) {
    let db = TestDb::new(backend, "badtarget");
    let m = db.migrator(&[&LINEAR_SET]);
    let none: Vec<&str> = Vec::new();
    assert!(m.upgrade("nope").is_err());
    assert_eq!(bookkeeping_tables(&db), none, "upgrade nope");
    assert!(m.downgrade("nope").is_err());
    assert_eq!(bookkeeping_tables(&db), none, "downgrade nope");
    assert!(m.stamp(&["nope"], false).is_err());
    assert_eq!(bookkeeping_tables(&db), none, "stamp nope");
    assert_eq!(m.downgrade("base").unwrap(), Vec::<String>::new());
    assert_eq!(
        bookkeeping_tables(&db),
        none,
        "downgrade base, nothing to do"
    );

    assert_eq!(m.upgrade("a1").unwrap(), ["a1"]);
    let mut created = vec!["migrate_version", "migrate_history"];
    if backend == Backend::Mysql {
        created.push("migrate_version_progress");
    }
    assert_eq!(bookkeeping_tables(&db), created);
}

/// A version table made by hand or by another tool with an integer `version_num`: every
/// command says so in one line naming the table, the column and the type it needs, and
/// nothing is created or run (before: `incomplete utf-8 byte sequence`, or garbage ids).
fn integer_version_column_is_a_clear_error(backend: Backend) {
    let db = TestDb::new(backend, "intversion");
    db.exec("CREATE TABLE migrate_version (version_num INTEGER NOT NULL PRIMARY KEY)");
    db.exec("INSERT INTO migrate_version (version_num) VALUES (1)");
    let m = db.migrator(&[&LINEAR_SET]);
    let found = if backend == Backend::Mysql {
        "int"
    } else {
        "integer"
    };
    let expected = format!(
        "the version table migrate_version has a version_num column of type {found}; \
         migrate needs version_num VARCHAR(64) (text) holding revision ids"
    );
    let errors = [
        ("current", m.current().map(drop)),
        ("status", m.status().map(drop)),
        ("check", m.check().map(drop)),
        ("upgrade", m.upgrade("head").map(drop)),
        ("stamp", m.stamp(&["a1"], false).map(drop)),
    ];
    for (command, result) in errors {
        let err = result.unwrap_err();
        assert!(
            matches!(err, Error::VersionColumnType { .. }),
            "{command}: {err}"
        );
        let shown = err.to_string();
        assert!(!shown.contains('\n'), "{command}: {shown}");
        // The type as the database names it: `integer`, `INTEGER` (SQLite), `int`.
        assert!(
            shown.to_lowercase().starts_with(&expected.to_lowercase()),
            "{command}: {shown}"
        );
    }
    assert!(!db.has_table("migrate_history"), "nothing was created");
    assert!(!db.has_table("t_a1"), "nothing ran");

    db.exec("DROP TABLE migrate_version");
    db.exec("CREATE TABLE migrate_version (rev VARCHAR(64))");
    let shown = m.current().unwrap_err().to_string();
    assert!(
        shown.starts_with("the version table migrate_version has no version_num column"),
        "{shown}"
    );
}

fn multi_line(op: &mut Op) -> Result<()> {
    op.execute("CREATE TABLE t_ok (id INT)")?;
    op.execute(
        "CREATE TABLE t_broken (\n    id INT,\n    name VARCHAR(10),\n    CONSTRAINT nope \
         FOREIGN KEY (missing_column) REFERENCES nowhere (id)\n)",
    )?;
    Ok(())
}

fn long_statement(op: &mut Op) -> Result<()> {
    let columns: Vec<String> = (0..40).map(|i| format!("column_{i} INT")).collect();
    op.execute(format!(
        "CREATE TABLE t_long (\n  {},\n  broken INT REFERENCES\n)",
        columns.join(",\n  ")
    ))?;
    Ok(())
}

/// The error of a failing multi-line statement stays one line: the statement's whitespace
/// folded (cut with `…` past 120 characters); the full text is in `Error::MigrationFailed`.
fn failing_multi_line_statement_is_shown_on_one_line(backend: Backend) {
    let run = |f: fn(&mut Op) -> Result<()>| {
        // A database per case: on MySQL the first case's committed DDL stays.
        let db = TestDb::new(backend, "multiline");
        let m = Migration::__new(
            "m1",
            &[],
            &[],
            &[],
            "multi",
            "s",
            "tests/versions/m1.rs",
            1,
            f,
            None,
            true,
        );
        migrate_core::Migrator::from_registry(Registry::from_migrations(vec![m]).unwrap())
            .url(&db.url)
            .unwrap()
            .upgrade("head")
            .unwrap_err()
    };

    let err = run(multi_line);
    let Error::MigrationFailed { statement, .. } = &err else {
        panic!("{err}")
    };
    assert!(
        statement.as_deref().unwrap().contains("\n    id INT,\n"),
        "the full statement is kept"
    );
    let shown = err.to_string();
    assert!(!shown.contains('\n'), "one line: {shown}");
    assert!(shown.starts_with("migration m1 failed: "), "{shown}");
    assert!(
        shown.contains(
            "(statement: CREATE TABLE t_broken ( id INT, name VARCHAR(10), CONSTRAINT nope \
             FOREIGN KEY (missing_column) REFERENCES nowhere (id) ))"
        ),
        "{shown}"
    );

    let err = run(long_statement);
    let shown = err.to_string();
    assert!(!shown.contains('\n'), "one line: {shown}");
    let quoted = &shown[shown.find("(statement: ").unwrap() + "(statement: ".len()..];
    assert!(
        quoted.starts_with("CREATE TABLE t_long ( column_0 INT, column_1 INT,"),
        "{shown}"
    );
    assert!(quoted.ends_with("…)"), "cut with an ellipsis: {shown}");
    let n = quoted.chars().count();
    assert!(
        (110..=122).contains(&n),
        "at most 120 characters, the ellipsis, the paren: {shown}"
    );
}
