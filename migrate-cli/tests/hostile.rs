//! Hostile but ordinary input (issue "bad input never costs data"): each case fails with a
//! clear line and its exit code, and leaves the database as it was.

use crate::util::{mysql_url, pg_url, project_on, Project};

/// `downgrade ""` once meant `downgrade base`: every table dropped, exit 0.
fn empty_targets_touch_nothing(url: &str) {
    let p = project_on(url);
    p.ok(&["upgrade"]);
    for args in [
        &["downgrade", ""][..],
        &["downgrade", "  "],
        &["upgrade", ""],
        &["stamp", ""],
        &["show", ""],
    ] {
        let err = p.fails(args, 2);
        assert!(err.contains("the revision is empty"), "{args:?}: {err}");
    }
    let err = p.fails(&["upgrade", "--bogus-flag"], 2);
    assert!(err.contains("'--bogus-flag' is not a flag"), "{err}");
    assert_eq!(p.ok(&["current"]), "b2 (head)\n");
    // Both tables are still there: the downgrade drops them without an error.
    p.ok(&["downgrade", "base"]);
    assert_eq!(p.ok(&["current"]), "");
}

#[test]
fn empty_targets_are_usage_errors_on_sqlite() {
    empty_targets_touch_nothing("sqlite://hostile.db");
}

#[test]
fn empty_targets_are_usage_errors_on_postgres() {
    empty_targets_touch_nothing(&pg_url());
}

#[test]
fn empty_targets_are_usage_errors_on_mariadb() {
    empty_targets_touch_nothing(&mysql_url());
}

const LEAKY_URLS: [&str; 5] = [
    "postgres:/app:S3cret@host/app",
    "postgre://host/app?user=app&password=S3cret",
    "postgres://app:S3cret@[::1/app",
    "postgres://app:S3cret@host:abc/app",
    "mysql://app:S3cret@host",
];

#[test]
fn malformed_urls_exit_5_without_the_password_from_every_source() {
    let p = project_on("sqlite://unused.db");
    for url in LEAKY_URLS {
        let err = p.fails(&["--url", url, "current"], 5);
        assert!(!err.contains("S3cret"), "--url {url}: {err}");
        assert_eq!(
            err.lines().filter(|l| l.starts_with("error:")).count(),
            1,
            "{err}"
        );

        let out = p
            .migrate(&["current"])
            .env("DATABASE_URL", url)
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(5), "DATABASE_URL {url}: {err}");
        assert!(!err.contains("S3cret"), "DATABASE_URL {url}: {err}");

        std::fs::write(p.path().join(".env"), format!("DATABASE_URL={url}\n")).expect("write");
        let err = p.fails(&["current"], 5);
        assert!(!err.contains("S3cret"), ".env {url}: {err}");
        std::fs::remove_file(p.path().join(".env")).expect("remove");

        let toml = format!("[migrate]\nmigrations = \"migrations\"\nurl = \"{url}\"\n");
        let q = Project::with_config(&toml);
        let err = q.fails(&["current"], 5);
        assert!(!err.contains("S3cret"), "migrate.toml {url}: {err}");
    }
}

#[test]
fn urls_that_name_no_database_or_an_in_memory_one_exit_5() {
    let p = project_on("sqlite://unused.db");
    for (url, says) in [
        ("mysql://root@127.0.0.1:3306", "names no database"),
        ("postgres://postgres@127.0.0.1:5432", "names no database"),
        ("postgres://postgres@[::1:5432/test", "IPv6"),
        ("postgres://postgres@127.0.0.1:abc/test", "port"),
        ("sqlite://:memory:", "in-memory"),
    ] {
        let err = p.fails(&["--url", url, "upgrade"], 5);
        assert!(err.contains(says), "{url}: {err}");
    }
}

#[test]
fn sqlalchemy_urls_work() {
    let p = project_on(&pg_url().replace("postgres://", "postgresql+psycopg2://"));
    p.ok(&["upgrade"]);
    assert_eq!(p.ok(&["current"]), "b2 (head)\n");
    p.ok(&["downgrade", "base"]);
}

#[test]
fn a_file_that_is_not_a_database_is_named() {
    let p = project_on("sqlite://garbage.db");
    std::fs::write(p.path().join("garbage.db"), vec![b'x'; 4096]).expect("write");
    let err = p.fails(&["upgrade"], 6);
    assert!(err.contains("garbage.db"), "{err}");
    assert!(err.contains("file is not a database"), "{err}");
    assert_eq!(
        std::fs::read(p.path().join("garbage.db")).expect("read"),
        vec![b'x'; 4096]
    );
}

#[test]
fn lock_timeouts_out_of_range_are_config_errors() {
    for value in ["2147484", "9223372036854775807"] {
        let p = Project::with_config(&format!(
            "[migrate]\nmigrations = \"migrations\"\nurl = \"sqlite://t.db\"\nlock_timeout = {value}\n"
        ));
        let err = p.fails(&["heads"], 5);
        assert!(err.contains("use 0 to 2147483 seconds"), "{value}: {err}");
    }
}

#[test]
fn revision_refuses_ids_and_labels_that_could_not_be_targeted_or_compiled() {
    let p = Project::new();
    for args in [
        &["revision", "-m", "x", "--rev-id", "head"][..],
        &["revision", "-m", "x", "--rev-id", "heads"],
        &["revision", "-m", "x", "--rev-id", "base"],
        &["revision", "-m", "x", "--rev-id", "a/b"],
        &["revision", "-m", "x", "--rev-id", ".."],
        &["revision", "-m", "x", "--rev-id", "a\"b"],
        &["revision", "-m", "x", "--rev-id", "a\\b"],
        &["revision", "-m", "x", "--rev-id", "a b"],
        &["revision", "-m", "x", "--rev-id", "a\nb"],
        &["revision", "-m", "x", "--branch-label", ""],
        &["revision", "-m", "x", "--branch-label", "a@b"],
        &["revision", "-m", "x", "--branch-label", "a\u{1b}b"],
    ] {
        let err = p.fails(args, 1);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(!err.contains('\u{1b}'), "{args:?}: {err}");
    }
    let written = std::fs::read_dir(p.versions()).expect("versions").count();
    assert_eq!(written, 0, "no file is written for a refused revision");
}

#[test]
fn file_templates_cannot_write_outside_versions() {
    for template in ["../../../../x_{rev}", "sub/{rev}", ".{rev}"] {
        let p = Project::with_config(&format!(
            "[migrate]\nmigrations = \"migrations\"\nfile_template = \"{template}\"\n"
        ));
        let err = p.fails(&["revision", "-m", "x", "--rev-id", "a1"], 5);
        assert!(err.contains("file_template"), "{template}: {err}");
        let found = walk(p.path());
        assert!(
            found.iter().all(|f| !f.to_string_lossy().contains("a1")),
            "{template}: {found:?}"
        );
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// A message with a bare CR, a bidi override and a terminal escape: the file compiles (the
/// upgrade builds and runs it) and `history` shows the characters escaped.
#[test]
fn hostile_messages_compile_and_never_reach_the_terminal_raw() {
    let p = project_on("sqlite://messages.db");
    let message = "evil\rline \u{202e}reversed\u{1b}[2J";
    p.ok(&["revision", "-m", message, "--rev-id", "c3"]);
    p.ok(&["upgrade"]);
    assert_eq!(p.ok(&["current"]), "c3 (head)\n");
    let history = p.ok(&["history"]);
    assert!(
        history.starts_with("b2 -> c3 (head), evil\\u{d}line \\u{202e}reversed\\u{1b}[2J\n"),
        "{history:?}"
    );
    for shown in [history, p.ok(&["show", "c3"]), p.ok(&["history", "-i"])] {
        assert!(!shown.contains(['\r', '\u{1b}', '\u{202e}']), "{shown:?}");
    }
}

#[test]
fn walks_that_fail_name_the_argument_and_a_way_on() {
    let p = project_on("sqlite://walk.db");
    p.revision(
        "c3",
        "three",
        &["--head", "a1", "--splice", "--branch-label", "side"],
    );
    p.ok(&["merge", "b2", "c3", "-m", "merge", "--rev-id", "m4"]);
    p.ok(&["upgrade"]);
    let err = p.fails(&["downgrade", "-1"], 1);
    assert!(
        err.starts_with(
            "error: Ambiguous walk for '-1': the step crosses a branch point or a merge point"
        ),
        "{err}"
    );
    assert!(
        err.contains("\nhint: name the revision to go to instead"),
        "{err}"
    );
    assert_eq!(p.ok(&["current"]), "m4 (head) (mergepoint)\n");
    let err = p.fails(&["downgrade", "b2-5"], 1);
    assert!(err.starts_with("error: Walked too far for 'b2-5'"), "{err}");
    assert!(
        err.contains("\nhint: `migrate history` shows the revisions"),
        "{err}"
    );
}

fn sqlite3(db: &std::path::Path, sql: &str) {
    let status = std::process::Command::new("sqlite3")
        .arg(db)
        .arg(sql)
        .status()
        .expect("sqlite3");
    assert!(status.success(), "{sql}");
}

#[test]
fn check_flags_a_version_row_without_its_history_row() {
    let p = project_on("sqlite://nohistory.db");
    p.ok(&["upgrade"]);
    sqlite3(
        &p.path().join("nohistory.db"),
        "DELETE FROM migrate_history WHERE revision = 'b2'",
    );
    let err = p.fails(&["check"], 3);
    assert!(err.contains("revision b2 is in the version table"), "{err}");
    assert!(err.contains("`migrate stamp b2`"), "{err}");
    p.ok(&["stamp", "b2"]);
    p.ok(&["check"]);
}

#[test]
fn a_version_table_of_another_shape_exits_7_and_runs_nothing() {
    let p = project_on("sqlite://othertool.db");
    let db = p.path().join("othertool.db");
    let toml = std::fs::read_to_string(p.path().join("migrate.toml")).expect("read");
    let table = toml
        .lines()
        .find_map(|l| l.strip_prefix("version_table = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("version_table")
        .to_owned();
    sqlite3(
        &db,
        &format!(
            "CREATE TABLE {table} (version_num INTEGER NOT NULL); INSERT INTO {table} VALUES (42)"
        ),
    );
    let err = p.fails(&["upgrade"], 7);
    assert!(err.contains("version_num"), "{err}");
    assert!(err.contains("\nhint: point `version_table`"), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{err}"
    );
}

/// A table dropped by hand: `check` fails (exit 3) naming it; `--no-drift` skips the
/// comparison.
#[test]
fn check_reports_drift_and_no_drift_skips_it() {
    let p = project_on("sqlite://drift.db");
    add_notes_migration(&p);
    p.ok(&["upgrade"]);
    p.ok(&["check"]);
    sqlite3(&p.path().join("drift.db"), "DROP TABLE notes");
    let err = p.fails(&["check"], 3);
    assert!(err.contains("notes"), "{err}");
    assert!(err.contains("missing in the database"), "{err}");
    p.ok(&["check", "--no-drift"]);
}

/// c3 after b2: a `notes` table made with the DSL (the tables raw SQL makes are not
/// compared, so drift needs one of these).
fn add_notes_migration(p: &Project) {
    std::fs::write(
        p.versions().join("0003_c3_dsl.rs"),
        "use migrate_core::prelude::*;\n\n/// notes\n#[migration(rev = \"c3\", down_rev = \"b2\")]\n\
         pub fn upgrade(op: &mut Op) -> Result<()> {\n    \
         op.create_table(\"notes\", |t| {\n        t.column(\"id\", Type::BigInt).primary_key();\n        \
         t.column(\"body\", Type::Text);\n    })?;\n    Ok(())\n}\n",
    )
    .expect("write");
}

/// Adopting a database with `stamp`: a schema that is not what the migrations build at the
/// stamped revision is warned about (the stamp stands); a matching one is not.
#[test]
fn stamp_warns_when_the_schema_does_not_match() {
    let p = project_on("sqlite://adopt.db");
    add_notes_migration(&p);
    // An empty database stamped at head: everything the migrations make is missing.
    let (_, err) = p.ok2(&["stamp", "head"]);
    assert!(
        err.contains("warning: schema drift at the stamped revision(s): table notes"),
        "{err}"
    );
    assert_eq!(p.ok(&["current"]), "c3 (head)\n");
    // The real thing, then a stamp again: no warning.
    p.ok(&["stamp", "--purge", "base"]);
    p.ok(&["upgrade"]);
    let (_, err) = p.ok2(&["stamp", "head"]);
    assert!(!err.contains("schema drift"), "{err}");
}
