//! Database commands end to end on SQLite: `migrate` builds the runner linked with the
//! project's migrations crate and runs it. Slow the first time (compiles the runner's
//! dependencies into the shared test target directory).

use crate::util::Project;

pub(crate) fn migration(
    rev: &str,
    down: Option<&str>,
    message: &str,
    up: &str,
    down_sql: &str,
) -> String {
    let down_rev = down
        .map(|d| format!(", down_rev = \"{d}\""))
        .unwrap_or_default();
    format!(
        "//! {message}\nuse migrate_core::prelude::*;\n\n/// {message}\n\
         #[migration(rev = \"{rev}\"{down_rev})]\n\
         pub fn upgrade(op: &mut Op) -> Result<()> {{\n    op.execute_reversible({up:?}, {down_sql:?})?;\n    Ok(())\n}}\n"
    )
}

/// `init`, then two reversible migrations a1 -> b2.
fn project() -> Project {
    let p = Project::empty();
    p.ok(&["init"]);
    add_migrations(&p, "");
    p
}

/// Migrations a1 -> b2 creating tables `t{tag}` and `u{tag}`.
pub(crate) fn add_migrations(p: &Project, tag: &str) {
    let versions = p.path().join("migrations/src/versions");
    std::fs::write(
        versions.join("0001_a1_create_t.rs"),
        migration(
            "a1",
            None,
            "create t",
            &format!("CREATE TABLE t{tag} (id INTEGER)"),
            &format!("DROP TABLE t{tag}"),
        ),
    )
    .expect("write");
    std::fs::write(
        versions.join("0002_b2_create_u.rs"),
        migration(
            "b2",
            Some("a1"),
            "create u",
            &format!("CREATE TABLE u{tag} (id INTEGER)"),
            &format!("DROP TABLE u{tag}"),
        ),
    )
    .expect("write");
}

#[test]
fn sqlite_round_trip() {
    let p = project();
    // A fresh database: nothing current, not at head.
    assert_eq!(p.ok(&["current"]), "");
    p.fails(&["current", "--check-heads"], 3);

    let (out, err) = p.ok2(&["upgrade"]);
    assert_eq!(out, "");
    let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("Running")).collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0].starts_with("Running upgrade  -> a1, create t ... "),
        "{err}"
    );
    assert!(
        lines[1].starts_with("Running upgrade a1 -> b2, create u ... "),
        "{err}"
    );
    assert!(lines[1].ends_with(" ms"), "{err}");

    assert_eq!(p.ok(&["current"]), "b2 (head)\n");
    p.ok(&["current", "--check-heads"]);
    let out = p.ok(&["check"]);
    assert!(out.starts_with("OK: 2 migrations"), "{out}");
    assert_eq!(
        p.ok(&["history", "-i"]),
        "a1 -> b2 (head) (current), create u\n<base> -> a1, create t\n"
    );
    assert_eq!(
        p.ok(&["history", "-r", "current:"]),
        "a1 -> b2 (head), create u\n"
    );
    assert!(p
        .ok(&["show", "current"])
        .starts_with("Rev: b2 (head)\nParent: a1\n"));
    let status: serde_json::Value =
        serde_json::from_str(&p.ok(&["current", "--json"])).expect("json");
    assert_eq!(status["rows"], serde_json::json!(["b2"]));
    assert_eq!(status["pending"], serde_json::json!([]));

    // Again: nothing to do, nothing printed.
    let (out, err) = p.ok2(&["upgrade", "head"]);
    assert_eq!((out.as_str(), err.contains("Running")), ("", false));

    let (_, err) = p.ok2(&["downgrade", "-1"]);
    assert!(
        err.contains("Running downgrade b2 -> a1, create u ... "),
        "{err}"
    );
    assert_eq!(p.ok(&["current"]), "a1\n");
    let err = p.fails(&["check"], 3);
    assert!(err.contains("not up to date"), "{err}");

    p.ok(&["stamp", "base"]);
    assert_eq!(p.ok(&["current"]), "");
    p.ok(&["stamp", "heads"]);
    assert_eq!(p.ok(&["current"]), "b2 (head)\n");
    // Table u was dropped by the downgrade above: put the rows back where the schema is.
    let (_, err) = p.ok2(&["stamp", "a1"]);
    assert!(err.contains("Running stamp_revision b2 -> a1"), "{err}");
    p.ok(&["downgrade", "base"]);
    assert_eq!(p.ok(&["current"]), "");

    let out = p.ok(&["test"]);
    assert!(out.contains("Stairway passed: 2 revisions"), "{out}");
}

#[test]
fn sqlite_offline_script_needs_no_database() {
    let p = project();
    let out = p.ok(&["upgrade", "head", "--sql"]);
    assert!(out.contains("CREATE TABLE t (id INTEGER);"), "{out}");
    assert!(out.contains("-- Running upgrade a1 -> b2"), "{out}");
    assert!(
        !p.path().join("migrate.db").exists(),
        "--sql must not touch the database"
    );
    let out = p.ok(&["downgrade", "--sql", "b2:a1"]);
    assert!(out.contains("DROP TABLE u;"), "{out}");
    let err = p.fails(&["downgrade", "--sql", "a1"], 1);
    assert!(
        err.contains("downgrade with --sql requires <fromrev>:<torev>"),
        "{err}"
    );
    let err = p.fails(&["stamp", "--sql", "--purge", "head"], 1);
    assert!(err.contains("Can't use --purge with --sql mode"), "{err}");
    // A range without --sql: Alembic's refusal, with the way out.
    let err = p.fails(&["upgrade", "a1:b2"], 1);
    assert_eq!(
        err,
        "error: Range revision not allowed\n\
         hint: a START:END range is for offline scripts: add --sql, or give one target\n"
    );
    assert!(!p.path().join("migrate.db").exists());
}

#[test]
fn failing_migration_reports_one_error_line() {
    let p = project();
    std::fs::write(
        p.path().join("migrations/src/versions/0003_c3_broken.rs"),
        migration(
            "c3",
            Some("b2"),
            "broken",
            "CREATE TABLE t (id INTEGER)",
            "SELECT 1",
        ),
    )
    .expect("write");
    let err = p.fails(&["upgrade"], 1);
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert!(errors[0].contains("c3"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // The migrations before it stay applied.
    assert_eq!(p.ok(&["current"]), "b2\n");
}

#[test]
fn url_flag_overrides_the_config() {
    let p = project();
    let other = p.path().join("other.db");
    let url = format!("sqlite:///{}", other.display());
    p.ok(&["--url", &url, "upgrade"]);
    assert!(other.exists());
    assert_eq!(p.ok(&["--url", &url, "current"]), "b2 (head)\n");
    assert_eq!(p.ok(&["current"]), "");
}

/// SQLAlchemy's spellings, as an Alembic project's `alembic.ini` has them: three slashes
/// start a path relative to the working directory (`--url`) or to migrate.toml's folder (the
/// file), four an absolute one.
#[test]
fn sqlalchemy_sqlite_urls_create_the_file_where_they_say() {
    let p = project();
    let (_, err) = p.ok2(&["--url", "sqlite:///relative.db", "upgrade"]);
    assert!(!err.contains("warning"), "{err}");
    assert!(p.path().join("relative.db").exists());
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let abs = elsewhere.path().join("abs.db");
    let four = format!("sqlite:///{}", abs.display());
    assert!(four.starts_with("sqlite:////"), "{four}");
    p.ok(&["--url", &four, "upgrade"]);
    assert!(abs.exists());
    assert_eq!(p.ok(&["--url", &four, "current"]), "b2 (head)\n");
    std::fs::write(
        p.path().join("migrate.toml"),
        "[migrate]\nmigrations = \"migrations\"\nurl = \"sqlite:///sub/from-file.db\"\n",
    )
    .expect("write migrate.toml");
    std::fs::create_dir(p.path().join("sub")).expect("sub");
    p.ok(&["upgrade"]);
    assert!(p.path().join("sub/from-file.db").exists());
}

/// `sqlite:///<path>` meant `/<path>` before: when only that file exists, say so, naming both
/// files and how to write each.
#[test]
fn relative_sqlite_url_warns_when_only_the_old_absolute_file_exists() {
    let p = project();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let old = elsewhere.path().join("old.db");
    p.ok(&["--url", &format!("sqlite:///{}", old.display()), "upgrade"]);
    let three = format!("sqlite://{}", old.display());
    let (out, err) = p.ok2(&["--url", &three, "current"]);
    assert_eq!(out, "", "the relative file is a new, empty database");
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning: ")).collect();
    assert_eq!(warnings.len(), 1, "{err}");
    let relative = p.path().join(old.strip_prefix("/").expect("absolute"));
    for part in [
        format!("{three} now opens {}", relative.display()),
        format!("earlier versions opened {}", old.display()),
        format!("write sqlite:///{} to keep using that file", old.display()),
    ] {
        assert!(warnings[0].contains(&part), "{part}: {err}");
    }
    assert!(!relative.exists(), "a read-only command creates no file");
}

#[test]
fn stairway_steps_every_revision_of_a_branch_and_its_merge() {
    let p = project();
    let versions = p.path().join("migrations/src/versions");
    std::fs::write(
        versions.join("0003_c3_create_v.rs"),
        migration(
            "c3",
            Some("a1"),
            "create v",
            "CREATE TABLE v (id INTEGER)",
            "DROP TABLE v",
        ),
    )
    .expect("write");
    std::fs::write(
        versions.join("0004_d4_merge.rs"),
        "//! merge\nuse migrate_core::prelude::*;\n\n/// merge\n\
         #[migration(rev = \"d4\", down_rev = [\"b2\", \"c3\"])]\n\
         pub fn upgrade(op: &mut Op) -> Result<()> {\n    op.execute_reversible(\"SELECT 1\", \"SELECT 1\")?;\n    Ok(())\n}\n",
    )
    .expect("write");
    let out = p.ok(&["test"]);
    assert!(out.contains("Stairway passed: 4 revisions"), "{out}");
    assert!(!out.contains("Not stepped down"), "{out}");
    // The scratch database is gone and the project's own was never touched.
    assert!(!p.path().join("migrate.db").exists());
}

#[test]
fn a_panicking_migration_is_one_error_line() {
    let p = project();
    std::fs::write(
        p.path().join("migrations/src/versions/0003_c3_panics.rs"),
        "//! panics\nuse migrate_core::prelude::*;\n\n/// panics\n\
         #[migration(rev = \"c3\", down_rev = \"b2\")]\n\
         pub fn upgrade(op: &mut Op) -> Result<()> {\n    let _ = op;\n    panic!(\"boom\")\n}\n",
    )
    .expect("write");
    let err = p.fails(&["upgrade"], 1);
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert!(
        errors[0].contains("panicked at") && errors[0].contains("boom"),
        "{err}"
    );
    assert!(
        !err.contains("stack backtrace") && !err.contains("thread 'main'"),
        "{err}"
    );
    // The executor records every step before it runs any: nothing was applied.
    assert!(!p.ok(&["current"]).contains("c3"));
}

#[test]
fn x_arguments_reach_the_migrations_and_purge_resets_rows() {
    let p = project();
    std::fs::write(
        p.path().join("migrations/src/versions/0003_c3_tenant.rs"),
        "//! tenant table\nuse migrate_core::prelude::*;\n\n/// tenant table\n\
         #[migration(rev = \"c3\", down_rev = \"b2\")]\n\
         pub fn upgrade(op: &mut Op) -> Result<()> {\n\
         \x20   let name = format!(\"tenant_{}\", op.arg(\"tenant\").unwrap_or(\"none\"));\n\
         \x20   op.execute_reversible(format!(\"CREATE TABLE {name} (id INTEGER)\"), format!(\"DROP TABLE {name}\"))?;\n\
         \x20   Ok(())\n}\n",
    )
    .expect("write");
    let out = p.ok(&["upgrade", "b2:c3", "--sql", "-x", "tenant=acme"]);
    assert!(
        out.contains("CREATE TABLE tenant_acme (id INTEGER);"),
        "{out}"
    );
    assert!(
        !out.contains("CREATE TABLE t (id INTEGER)"),
        "the range starts at b2: {out}"
    );
    p.ok(&["-x", "tenant=acme", "upgrade"]);
    assert_eq!(p.ok(&["current"]), "c3 (head)\n");
    p.ok(&["stamp", "--purge", "a1"]);
    assert_eq!(p.ok(&["current"]), "a1\n");
}

#[test]
fn unknown_version_row_exits_7_and_runs_nothing() {
    let p = project();
    p.ok(&["upgrade", "a1"]);
    // A migration that was applied by a newer deploy, then rolled back in code.
    let db = p.path().join("migrate.db");
    let status = std::process::Command::new("sqlite3")
        .arg(&db)
        .arg("UPDATE migrate_version SET version_num = 'f00dfeed0001'")
        .status()
        .expect("sqlite3");
    assert!(status.success());
    let err = p.fails(&["upgrade"], 7);
    assert!(err.contains("f00dfeed0001"), "{err}");
    assert!(
        err.contains("the database may be ahead of this build, migrated by a newer release"),
        "a newer release is the likely cause: {err}"
    );
    assert!(
        err.contains("`migrate stamp --purge <rev>` is only for a migration that was deleted"),
        "the destructive way out is kept for a deleted migration: {err}"
    );
    // Nothing ran: b2's table was not created.
    let tables = std::process::Command::new("sqlite3")
        .arg(&db)
        .arg(".tables")
        .output()
        .expect("sqlite3");
    let tables = String::from_utf8_lossy(&tables.stdout);
    assert!(!tables.split_whitespace().any(|t| t == "u"), "{tables}");
    // The documented way out.
    p.ok(&["stamp", "--purge", "a1"]);
    p.ok(&["upgrade"]);
}
