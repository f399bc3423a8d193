//! Offline scripts: the exact text for each dialect, and the script run for real.

use crate::common::db::Db;
use migrate_sql::{
    render_script, Dialect, Direction, Operations, ScriptStep, Type, VersionChange, VersionTable,
};

fn steps(d: Dialect) -> Vec<ScriptStep> {
    let mut a = Operations::default();
    let built = a.create_table("users", |t| {
        t.column("id", Type::BigInt).primary_key().autoincrement();
        t.column("email", Type::String(255)).not_null();
    });
    let mut b = Operations::default();
    let built = built.and_then(|_| {
        b.create_index("ix_users_email", "users", &["email"])
            .map(drop)
    });
    if let Err(e) = built {
        panic!("{e}");
    }
    let render = |ops: &Operations| -> Vec<String> {
        ops.as_slice()
            .iter()
            .flat_map(|o| o.render(d).unwrap_or_default())
            .collect()
    };
    vec![
        ScriptStep {
            revision: "a1".into(),
            direction: Direction::Up,
            description: " -> a1".into(),
            statements: render(&a),
            version_changes: vec![VersionChange::Insert("a1".into())],
            transactional: true,
        },
        ScriptStep {
            revision: "b2".into(),
            direction: Direction::Up,
            description: "a1 -> b2".into(),
            statements: render(&b),
            version_changes: vec![VersionChange::Update {
                from: "a1".into(),
                to: "b2".into(),
            }],
            transactional: false,
        },
    ]
}

fn script(d: Dialect) -> String {
    match render_script(d, &VersionTable::default(), true, &steps(d)) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn postgres_script() {
    insta::assert_snapshot!(script(Dialect::Postgres));
}

#[test]
fn mysql_script() {
    insta::assert_snapshot!(script(Dialect::Mysql));
}

#[test]
fn sqlite_script() {
    insta::assert_snapshot!(script(Dialect::Sqlite));
}

#[test]
fn downgrade_to_base_deletes_the_row_and_never_drops_the_table() -> migrate_sql::Result<()> {
    let step = ScriptStep {
        revision: "a1".into(),
        direction: Direction::Down,
        description: "a1 -> ".into(),
        statements: vec!["DROP TABLE \"users\";".into()],
        version_changes: vec![VersionChange::Delete("a1".into())],
        transactional: true,
    };
    let vt = VersionTable {
        name: "my_versions".into(),
        schema: Some("ops".into()),
    };
    let s = render_script(Dialect::Postgres, &vt, false, &[step])?;
    assert_eq!(
        s,
        "BEGIN;\n\n-- Running downgrade a1 -> \n\nDROP TABLE \"users\";\n\nDELETE FROM \"ops\".\"my_versions\" WHERE \"version_num\" = 'a1';\n\nCOMMIT;\n\n"
    );
    assert!(!s.contains("DROP TABLE \"ops\""));
    Ok(())
}

#[test]
fn a_newline_in_the_description_cannot_end_the_comment() -> migrate_sql::Result<()> {
    let step = ScriptStep {
        revision: "x".into(),
        direction: Direction::Up,
        description: "a -> b\nDROP TABLE users; --".into(),
        statements: vec![],
        version_changes: vec![VersionChange::Insert("x'; DROP TABLE y; --".into())],
        transactional: true,
    };
    let s = render_script(Dialect::Sqlite, &VersionTable::default(), false, &[step])?;
    assert!(
        s.contains("-- Running upgrade a -> b DROP TABLE users; --\n"),
        "{s}"
    );
    assert!(s.contains("VALUES ('x''; DROP TABLE y; --');"), "{s}");
    Ok(())
}

fn run_script(d: Dialect, tag: &str) {
    let mut db = Db::open(d, tag);
    if let Err(e) = db.exec(&script(d)) {
        panic!("{d:?}: the script does not run: {e}");
    }
    assert_eq!(
        db.lines("SELECT version_num AS line FROM migrate_version"),
        ["b2"]
    );
    let ix = match d {
        Dialect::Postgres => "SELECT indexname AS line FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'ix_users_email'",
        Dialect::Mysql => "SELECT DISTINCT INDEX_NAME AS line FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = 'ix_users_email'",
        Dialect::Sqlite => "SELECT name AS line FROM sqlite_master WHERE name = 'ix_users_email'",
    };
    assert_eq!(db.lines(ix), ["ix_users_email"]);
}

#[test]
fn the_script_runs_on_postgres() {
    run_script(Dialect::Postgres, "pg_offline");
}

#[test]
fn the_script_runs_on_mysql() {
    run_script(Dialect::Mysql, "my_offline");
}

#[test]
fn the_script_runs_on_sqlite() {
    run_script(Dialect::Sqlite, "lite_offline");
}

#[test]
fn a_statement_ending_in_a_comment_still_ends() -> migrate_sql::Result<()> {
    let step = ScriptStep {
        revision: "x".into(),
        direction: Direction::Up,
        description: "a -> x".into(),
        statements: vec![
            "UPDATE t SET a = 1 -- fix the data".into(),
            "SELECT 1;".into(),
        ],
        version_changes: vec![],
        transactional: false,
    };
    let s = render_script(Dialect::Mysql, &VersionTable::default(), false, &[step])?;
    assert_eq!(
        s,
        "-- Running upgrade a -> x\n\nUPDATE t SET a = 1 -- fix the data\n;\n\nSELECT 1;\n\n"
    );
    Ok(())
}
