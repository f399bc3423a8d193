//! `migrate lint` end to end: the runner records each migration's operations and prints one
//! finding per line (or JSON), exit 9 on an error; `[lint]` severities and a migration's
//! `allow_lint`; the pending-only default on a database; `check` showing the findings.

use crate::util::Project;

fn write(p: &Project, name: &str, text: &str) {
    std::fs::write(p.versions().join(name), text).expect("write migration");
}

/// a1 creates `users`; b2 drops a column and renames the table; c3 drops another column,
/// allowed with a reason.
fn project() -> Project {
    let p = Project::empty();
    p.ok(&["init"]);
    write(
        &p,
        "0001_a1_users.rs",
        r#"use migrate_core::prelude::*;

/// create users
#[migration(rev = "a1", down_rev = None)]
pub fn upgrade(op: &mut Op) -> Result<()> {
    op.create_table("users", |t| {
        t.column("id", Type::BigInt).primary_key();
        t.column("email", Type::String(100));
        t.column("nickname", Type::Text);
        t.column("bio", Type::Text);
    })?;
    Ok(())
}
"#,
    );
    write(
        &p,
        "0002_b2_drop_nickname.rs",
        r#"use migrate_core::prelude::*;

/// drop nickname
#[migration(rev = "b2", down_rev = "a1")]
pub fn upgrade(op: &mut Op) -> Result<()> {
    op.drop_column("users", "nickname")?.definition(Type::Text);
    Ok(())
}
"#,
    );
    write(
        &p,
        "0003_c3_drop_bio.rs",
        r#"use migrate_core::prelude::*;

/// drop bio
#[migration(
    rev = "c3",
    down_rev = "b2",
    allow_lint = ["drop-column"],
    allow_lint_reason = "bio was never shown; the app stopped writing it in 2.3"
)]
pub fn upgrade(op: &mut Op) -> Result<()> {
    op.drop_column("users", "bio")?.definition(Type::Text);
    Ok(())
}
"#,
    );
    p
}

fn run(p: &Project, args: &[&str]) -> (Option<i32>, String, String) {
    let out = p.migrate(args).output().expect("run migrate");
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

#[test]
fn lint_reports_findings_like_a_compiler_and_exits_9() {
    let p = project();
    let (code, out, err) = run(&p, &["lint", "--offline"]);
    assert_eq!(code, Some(9), "{out}\n{err}");
    let drops: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("[drop-column]"))
        .collect();
    assert_eq!(drops.len(), 1, "c3 allows drop-column: {out}");
    assert!(
        drops[0].starts_with(
            "migrations/src/versions/0002_b2_drop_nickname.rs:4: error[drop-column] b2: drop_column users.nickname: deletes users.nickname"
        ),
        "{out}"
    );
    assert!(drops[0].contains("; fix: ship a release"), "{out}");
    assert!(err.contains("error: lint: 1 error(s)"), "{err}");
    assert!(err.contains("hint: "), "{err}");

    // JSON for CI: the same findings, as fields.
    let (code, out, _) = run(&p, &["lint", "--offline", "--json"]);
    assert_eq!(code, Some(9));
    let v: serde_json::Value = serde_json::from_str(out.trim()).expect("one JSON document");
    assert_eq!(v["errors"], 1);
    let f = &v["findings"].as_array().expect("findings")[0];
    assert_eq!(f["rule"], "drop-column");
    assert_eq!(f["revision"], "b2");
    assert_eq!(f["line"], 4);
    assert_eq!(f["severity"], "error");

    // A range: a1 alone creates a table, which nothing can be using yet.
    let (code, out, err) = run(&p, &["lint", "--offline", "a1"]);
    assert_eq!((code, out.as_str()), (Some(0), ""), "{err}");
    assert!(err.contains("lint: 1 migration(s) on sqlite"), "{err}");
}

#[test]
fn lint_defaults_to_pending_migrations_and_check_shows_them() {
    let p = project();
    p.ok(&["upgrade", "b2"]);
    // Only c3 is pending, and it allows its finding.
    let (code, out, err) = run(&p, &["lint"]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(!out.contains("b2"), "{out}");
    // --all lints the applied ones too.
    let (code, out, _) = run(&p, &["lint", "--all"]);
    assert_eq!(code, Some(9));
    assert!(out.contains("error[drop-column] b2"), "{out}");

    p.ok(&["downgrade", "a1"]);
    let (code, out, err) = run(&p, &["check"]);
    assert_eq!(code, Some(3), "behind: {out}\n{err}");
    assert!(out.contains("error[drop-column] b2"), "{out}");
    assert!(out.contains("lint: 1 error(s)"), "{out}");

    p.ok(&["upgrade", "head"]);
    let (code, out, err) = run(&p, &["lint"]);
    assert_eq!((code, out.as_str()), (Some(0), ""), "{err}");
    assert!(err.contains("lint: 0 migration(s)"), "{err}");
}

#[test]
fn lint_severities_come_from_migrate_toml() {
    let p = project();
    let toml = std::fs::read_to_string(p.path().join("migrate.toml")).expect("toml");
    let with = |lint: &str| {
        std::fs::write(p.path().join("migrate.toml"), format!("{toml}\n{lint}")).expect("write");
    };
    with("[lint]\nwarn = [\"drop-column\"]\n");
    let (code, out, err) = run(&p, &["lint", "--offline"]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(out.contains("warning[drop-column] b2"), "{out}");

    with("[lint]\nallow = [\"destructive\"]\n");
    let (code, out, _) = run(&p, &["lint", "--offline"]);
    assert_eq!(code, Some(0));
    assert!(!out.contains("drop-column"), "{out}");

    with("[lint]\ndeny = [\"drop-colum\"]\n");
    let err = p.fails(&["lint", "--offline"], 5);
    assert!(
        err.contains("unknown lint rule \"drop-colum\" in [lint] deny"),
        "{err}"
    );
}

#[test]
fn lint_on_postgresql_and_mysql_needs_no_server_offline() {
    let p = Project::empty();
    p.ok(&["init"]);
    write(
        &p,
        "0001_a1_users.rs",
        r#"use migrate_core::prelude::*;

/// create users
#[migration(rev = "a1", down_rev = None)]
pub fn upgrade(op: &mut Op) -> Result<()> {
    op.create_table("users", |t| {
        t.column("id", Type::BigInt).primary_key();
        t.column("email", Type::Text);
        t.column("age", Type::Integer);
    })?;
    Ok(())
}
"#,
    );
    write(
        &p,
        "0002_b2_index.rs",
        r#"use migrate_core::prelude::*;

/// index and retype
#[migration(rev = "b2", down_rev = "a1")]
pub fn upgrade(op: &mut Op) -> Result<()> {
    op.create_index("ix_users_email", "users", &["email"])?;
    op.alter_column("users", "age")?.set_type(Type::BigInt).existing_type(Type::Integer);
    op.create_table("tags", |t| {
        t.column("id", Type::BigInt).primary_key();
    })?;
    op.create_index("ix_tags_id", "tags", &["id"])?;
    op.execute("ALTER TABLE users DROP COLUMN email")?;
    Ok(())
}
"#,
    );
    let url = "postgres://nobody@127.0.0.1:1/none";
    let (code, out, err) = run(&p, &["lint", "--offline", "--url", url]);
    assert_eq!(code, Some(9), "{out}\n{err}");
    let rules: Vec<&str> = out
        .lines()
        .filter_map(|l| l.split('[').nth(1)?.split(']').next())
        .collect();
    assert_eq!(
        rules,
        [
            "create-index-not-concurrently",
            "column-type-change",
            "squawk:ban-drop-column"
        ],
        "the index on tags, new in b2, is not reported: {out}"
    );
    let url = "mysql://nobody@127.0.0.1:1/none";
    let (code, out, err) = run(&p, &["lint", "--offline", "--url", url]);
    assert_eq!(code, Some(9), "{out}\n{err}");
    assert!(out.contains("error[mysql-copy-alter] b2: alter_column users.age: changing the type of users.age to Type::BigInt needs ALGORITHM=COPY"), "{out}");
    assert!(!out.contains("squawk"), "squawk is for PostgreSQL: {out}");
}

#[test]
fn lint_rules_lists_every_rule_without_a_project() {
    let p = Project::empty();
    let out = p.ok(&["lint", "--rules"]);
    assert!(
        out.lines().any(|l| l.starts_with(
            "drop-column (destructive, postgresql/mysql/sqlite, error): drops a column"
        )),
        "{out}"
    );
    assert!(
        out.contains("mysql-copy-alter (locking, mysql, error)"),
        "{out}"
    );
    assert!(out.contains("squawk:<rule> (postgresql)"), "{out}");
}
