//! The workflow of DESIGN.md §1, typed as a user types it, end to end on SQLite, PostgreSQL
//! and MariaDB: `init`, two `revision`s written with the ops DSL, `cargo build` (and its
//! failure on a broken chain), `upgrade`, the read commands, `downgrade -1`, `upgrade head
//! --sql`, `check` (and an edited migration), `test`. Each backend has its own folder and its
//! own database, read back with the database's own client (`sqlite3`, `psql`, `mariadb`).
//!
//! Slow: the scaffold compiles migrate-core and migrate-cli. Every project builds into the test
//! binary's target directory, so that happens once for the three tests.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{build_env, Project};

mod db;

use db::{client_command, Db, Kind};

/// A user's folder and database, and the commands they type.
struct Workflow {
    project: Project,
    db: Db,
}

/// What a command printed and how it ended.
struct Output {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Workflow {
    /// `migrate ARGS` in the folder; the URL as the user gives it on this backend.
    fn migrate(&self, args: &[&str]) -> Output {
        let mut cmd = self.project.migrate(&[]);
        match (self.db.kind, &self.db.url) {
            (Kind::Postgres, Some(url)) => {
                cmd.env("DATABASE_URL", url);
            }
            (_, Some(url)) => {
                cmd.args(["--url", url]);
            }
            (_, None) => {}
        }
        output(cmd.args(args).output().expect("run migrate"))
    }

    /// `migrate ARGS`, which must exit with `code`.
    fn expect(&self, args: &[&str], code: i32) -> Output {
        let out = self.migrate(args);
        assert_eq!(
            out.code,
            Some(code),
            "migrate {args:?} on {:?}:\nstdout: {}\nstderr: {}",
            self.db.kind,
            out.stdout,
            out.stderr
        );
        out
    }

    fn ok(&self, args: &[&str]) -> Output {
        self.expect(args, 0)
    }

    /// `migrate ARGS`, which must succeed with nothing on stdout: its stderr (the log), see
    /// [`log_lines`].
    fn log(&self, args: &[&str]) -> Vec<String> {
        let out = self.ok(args);
        assert_eq!(out.stdout, "", "migrate {args:?} on {:?}", self.db.kind);
        log_lines(&out.stderr)
    }

    /// `migrate ARGS`, which must succeed with nothing on stderr; its stdout.
    fn stdout(&self, args: &[&str]) -> String {
        let out = self.ok(args);
        assert_eq!(out.stderr, "", "migrate {args:?} on {:?}", self.db.kind);
        out.stdout
    }

    /// `cargo build` in the migrations crate.
    fn cargo_build(&self) -> Output {
        let out = Command::new(env!("CARGO"))
            .arg("build")
            .current_dir(self.project.path().join("migrations"))
            .envs(build_env())
            .output()
            .expect("run cargo");
        output(out)
    }

    /// The file of the new revision named in `revision`'s output, and its id.
    fn generated(&self, out: &str, slug: &str) -> (PathBuf, String) {
        let line = out.trim_end();
        let path = line
            .strip_prefix("Generating ")
            .and_then(|l| l.strip_suffix(" ...  done"))
            .unwrap_or_else(|| panic!("one `Generating ... done` line: {line}"));
        let path = PathBuf::from(path);
        let name = path.file_name().and_then(|n| n.to_str()).expect("a name");
        // <yyyymmdd>_<hhmm>_<rev: 12 lowercase hex digits>_<slug>.rs
        let parts: Vec<&str> = name.splitn(4, '_').collect();
        let digits = |i: usize, n: usize| {
            parts.get(i).is_some_and(|p| {
                p.len() == n
                    && p.bytes()
                        .all(|b| b.is_ascii_digit() || i == 2 && matches!(b, b'a'..=b'f'))
            })
        };
        assert!(digits(0, 8) && digits(1, 4) && digits(2, 12), "{name}");
        assert_eq!(parts[3], format!("{slug}.rs"));
        assert_eq!(path.parent(), Some(self.versions().as_path()), "{line}");
        let rev = parts[2].to_owned();
        (path, rev)
    }

    fn versions(&self) -> PathBuf {
        std::fs::canonicalize(self.project.path())
            .expect("canonical")
            .join("migrations/src/versions")
    }
}

fn output(out: std::process::Output) -> Output {
    Output {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf-8 stderr"),
    }
}

/// Replace the generated `upgrade` (keeping the docs and the `#[migration]` line above it).
fn write_upgrade(file: &Path, upgrade: &str) {
    let text = std::fs::read_to_string(file).expect("read the migration");
    let at = text.find("pub fn upgrade").expect("a generated upgrade");
    std::fs::write(file, format!("{}{upgrade}", &text[..at])).expect("write the migration");
}

/// DESIGN.md §3's upgrade.
const CREATE_USERS: &str = r#"pub fn upgrade(op: &mut Op) -> Result<()> {
    op.create_table("users", |t| {
        t.column("id", Type::BigInt).primary_key().autoincrement();
        t.column("email", Type::String(255)).not_null().unique();
        t.column("created_at", Type::TimestampTz).not_null().server_default(Sql("CURRENT_TIMESTAMP"));
    })?;
    op.create_index("ix_users_email", "users", &["email"])?;
    Ok(())
}
"#;

const ADD_POSTS: &str = r#"pub fn upgrade(op: &mut Op) -> Result<()> {
    op.create_table("posts", |t| {
        t.column("id", Type::BigInt).primary_key().autoincrement();
        t.column("user_id", Type::BigInt).not_null().references("users", "id").on_delete(Action::Cascade);
        t.column("title", Type::String(200)).not_null();
        t.column("body", Type::Text);
    })?;
    op.create_index("ix_posts_user_id", "posts", &["user_id"])?;
    Ok(())
}
"#;

/// The workflow, step by step, each step asserting what the user sees and the database holds.
fn run(w: Workflow) {
    init(&w);
    let (users, r1) = revision(&w, "create users", CREATE_USERS, None);
    let (_, r2) = revision(&w, "add posts", ADD_POSTS, Some(&r1));
    build(&w);
    upgrade(&w, &r1, &r2);
    read_commands(&w, &r1, &r2);
    downgrade(&w, &r1, &r2);
    offline(&w, &r1, &r2);
    check(&w, &users, &r1, &r2);
    stairway(&w, &r2);
}

/// Step 1: `migrate init migrations` in an empty folder.
fn init(w: &Workflow) {
    let out = w.stdout(&["init", "migrations"]);
    let root = std::fs::canonicalize(w.project.path()).expect("canonical");
    let mut lines = vec![format!(
        "Creating directory {} ...  done",
        root.join("migrations").display()
    )];
    for file in [
        "migrations/Cargo.toml",
        "migrations/build.rs",
        "migrations/src/lib.rs",
        "migrate.toml",
    ] {
        lines.push(format!(
            "Generating {} ...  done",
            root.join(file).display()
        ));
    }
    let config = root.join("migrate.toml");
    lines.push(format!(
        "Please edit the database URL in '{}' before proceeding.",
        config.display()
    ));
    for line in lines {
        assert!(out.lines().any(|l| l == line), "{line}\n{}", out);
    }
    assert!(w.versions().is_dir());
}

/// Step 2, 3: `migrate revision -m MESSAGE`, then the upgrade written into the new file.
fn revision(w: &Workflow, message: &str, upgrade: &str, down: Option<&str>) -> (PathBuf, String) {
    let out = w.stdout(&["revision", "-m", message]);
    let (file, rev) = w.generated(&out, &message.replace(' ', "_"));
    let text = std::fs::read_to_string(&file).expect("read");
    let attribute = match down {
        None => format!("#[migration(rev = \"{rev}\")]"),
        Some(d) => format!("#[migration(rev = \"{rev}\", down_rev = \"{d}\")]"),
    };
    assert!(text.contains(&attribute), "down_rev = the head: {text}");
    write_upgrade(&file, upgrade);
    (file, rev)
}

/// Step 4: `cargo build` passes; a broken chain fails it at the attribute; removing the file
/// makes it pass again (build.rs reruns on the versions folder: no stale result either way).
fn build(w: &Workflow) {
    let out = w.cargo_build();
    assert_eq!(out.code, Some(0), "cargo build: {}", out.stderr);
    let name = "20261122_0130_0badc0ffee00_orphan.rs";
    let broken = w.versions().join(name);
    std::fs::write(
        &broken,
        "//! orphan\nuse migrate_core::prelude::*;\n\n/// orphan\n\
         #[migration(rev = \"0badc0ffee00\", down_rev = \"deadbeef0000\")]\n\
         pub fn upgrade(op: &mut Op) -> Result<()> {\n    let _ = op;\n    Ok(())\n}\n",
    )
    .expect("write");
    let out = w.cargo_build();
    assert_ne!(out.code, Some(0), "a broken chain must fail the build");
    for text in [
        "error: down_rev 'deadbeef0000' of migration '0badc0ffee00' is not a known revision; \
         fix the id or add that migration",
        &format!("{name}:5:"),
        "#[migration(rev = \"0badc0ffee00\", down_rev = \"deadbeef0000\")]",
    ] {
        assert!(out.stderr.contains(text), "{text}\n{}", out.stderr);
    }
    std::fs::remove_file(&broken).expect("remove");
    let out = w.cargo_build();
    assert_eq!(out.code, Some(0), "cargo build: {}", out.stderr);
}

/// Every line of `stderr`, the `Running ...` ones with their timings (`... 12 ms`) cut off.
fn log_lines(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .map(|l| match l.rsplit_once(" ... ") {
            Some((head, time)) if l.starts_with("Running ") => {
                let ms = time
                    .strip_suffix(" ms")
                    .unwrap_or_else(|| panic!("a timing: {l}"));
                assert!(ms.parse::<u64>().is_ok(), "{l}");
                head.to_owned()
            }
            _ => l.to_owned(),
        })
        .collect()
}

/// Step 5: `migrate upgrade`: one line per migration; the tables, indexes and foreign key exist;
/// the version row is the second revision.
fn upgrade(w: &Workflow, r1: &str, r2: &str) {
    assert_eq!(
        w.log(&["upgrade"]),
        // The user's `cargo build` came first: nothing is compiled here, and nothing said.
        [
            format!("Running upgrade  -> {r1}, create users"),
            format!("Running upgrade {r1} -> {r2}, add posts"),
        ]
    );
    let db = &w.db;
    assert_eq!(db.schema(), "ix_posts_user_id,ix_users_email,posts,users");
    let fk = match db.kind {
        Kind::Postgres => "FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE",
        _ => "user_id->users.id CASCADE",
    };
    assert_eq!(db.posts_foreign_keys(), fk);
    assert_eq!(db.versions(), r2);
    // The columns behave as written: id generated, created_at defaulted, email unique.
    db.sql("INSERT INTO users (email) VALUES ('ada@example.com')");
    assert_eq!(
        db.sql("SELECT id FROM users WHERE created_at IS NOT NULL"),
        "1"
    );
    let dup = client_command(
        &db.client,
        "INSERT INTO users (email) VALUES ('ada@example.com')",
    )
    .output()
    .expect("client");
    assert!(!dup.status.success(), "email is unique");
    db.sql("INSERT INTO posts (user_id, title) VALUES (1, 'hello')");
}

/// Step 6: The read commands, in Alembic's formats.
fn read_commands(w: &Workflow, r1: &str, r2: &str) {
    assert_eq!(w.stdout(&["current"]), format!("{r2} (head)\n"));
    assert_eq!(
        w.stdout(&["history"]),
        format!("{r1} -> {r2} (head), add posts\n<base> -> {r1}, create users\n")
    );
    assert_eq!(w.stdout(&["heads"]), format!("{r2} (head)\n"));
    // A straight line has no branch point: nothing to list.
    assert_eq!(w.stdout(&["branches"]), "");
    let path = |slug: &str, rev: &str| {
        std::fs::read_dir(w.versions())
            .expect("versions")
            .map(|e| e.expect("entry").path())
            .find(|p| p.to_string_lossy().ends_with(&format!("_{rev}_{slug}.rs")))
            .expect("the revision's file")
    };
    assert_eq!(
        w.stdout(&["show", r1]),
        format!(
            "Rev: {r1}\nParent: <base>\nPath: {}\n\n    create users\n\n",
            path("create_users", r1).display()
        )
    );
    // A unique prefix resolves, as in Alembic.
    assert_eq!(
        w.stdout(&["show", &r2[..6]]),
        format!(
            "Rev: {r2} (head)\nParent: {r1}\nPath: {}\n\n    add posts\n\n",
            path("add_posts", r2).display()
        )
    );
}

/// Step 7: `migrate downgrade -1` drops posts (derived downgrade); `migrate upgrade` again.
fn downgrade(w: &Workflow, r1: &str, r2: &str) {
    assert_eq!(
        w.log(&["downgrade", "-1"]),
        [format!("Running downgrade {r2} -> {r1}, add posts")]
    );
    assert_eq!(w.db.schema(), "ix_users_email,users");
    assert_eq!(w.db.versions(), r1);
    assert_eq!(w.stdout(&["current"]), format!("{r1}\n"));
    assert_eq!(
        w.log(&["upgrade"]),
        [format!("Running upgrade {r1} -> {r2}, add posts")]
    );
    assert_eq!(w.db.schema(), "ix_posts_user_id,ix_users_email,posts,users");
    assert_eq!(w.db.versions(), r2);
}

/// Step 8: `migrate upgrade head --sql`: the script from base, with no database touched (the
/// same script comes out with an unreachable database URL).
fn offline(w: &Workflow, r1: &str, r2: &str) {
    let file = w.project.path().join("migrate.db");
    let state = || {
        let sqlite = (w.db.kind == Kind::Sqlite).then(|| {
            let meta = std::fs::metadata(&file).expect("migrate.db");
            (
                meta.modified().expect("mtime"),
                std::fs::read(&file).expect("read"),
            )
        });
        (sqlite, w.db.versions(), w.db.history_rows())
    };
    let before = state();
    let out = w.ok(&["upgrade", "head", "--sql"]);
    assert_eq!(out.stderr, "");
    assert!(state() == before, "--sql must not touch the database");
    let q = if w.db.kind == Kind::Mariadb {
        "`"
    } else {
        "\""
    };
    let vt = format!("{q}migrate_version{q}");
    let vn = format!("{q}version_num{q}");
    let script = &out.stdout;
    let expected = [
        format!("CREATE TABLE {vt} ("),
        format!("-- Running upgrade  -> {r1}"),
        format!("CREATE TABLE {q}users{q} ("),
        format!("INSERT INTO {vt} ({vn}) VALUES ('{r1}');"),
        format!("-- Running upgrade {r1} -> {r2}"),
        format!("CREATE TABLE {q}posts{q} ("),
        format!("UPDATE {vt} SET {vn} = '{r2}' WHERE {vn} = '{r1}';"),
    ];
    let mut at = 0;
    for text in &expected {
        let found = script[at..]
            .find(text.as_str())
            .unwrap_or_else(|| panic!("{text} (in this order) in:\n{script}"));
        at += found + text.len();
    }
    let nowhere = match w.db.kind {
        Kind::Sqlite => "sqlite://absent/nowhere.db",
        Kind::Postgres => "postgres://postgres@127.0.0.1:1/nowhere",
        Kind::Mariadb => "mysql://root@127.0.0.1:1/nowhere",
    };
    let mut cmd = w
        .project
        .migrate(&["--url", nowhere, "upgrade", "head", "--sql"]);
    let again = output(cmd.output().expect("run migrate"));
    assert_eq!(
        (again.code, &again.stdout),
        (Some(0), script),
        "{}",
        again.stderr
    );
    assert!(!w.project.path().join("absent").exists());
}

/// Step 9: `migrate check` passes; an edited applied migration fails it (exit 3, naming the
/// migration); reverting the edit passes it again.
fn check(w: &Workflow, users: &Path, r1: &str, r2: &str) {
    let ok = format!("OK: 2 migrations, database at head ({r2}), no applied migration edited\n");
    assert_eq!(w.stdout(&["check"]), ok);
    let original = std::fs::read_to_string(users).expect("read");
    let edited = original.replacen(
        "    Ok(())\n}",
        "    op.execute(\"SELECT 1\")?;\n    Ok(())\n}",
        1,
    );
    assert_ne!(edited, original);
    std::fs::write(users, &edited).expect("edit");
    let out = w.expect(&["check"], 3);
    assert!(
        out.stderr.starts_with(&format!(
            "error: migration {r1} was edited after it was applied"
        )),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("revert the edit"), "{}", out.stderr);
    std::fs::write(users, &original).expect("revert");
    assert_eq!(w.stdout(&["check"]), ok);
}

/// Step 10: `migrate test`: the stairway on a scratch database, dropped afterwards; the project's
/// database is left as it was.
fn stairway(w: &Workflow, r2: &str) {
    let out = w.ok(&["test"]);
    let first = out.stdout.lines().next().unwrap_or_default();
    let scratch = first
        .strip_prefix("Stairway over 2 revisions on ")
        .unwrap_or_else(|| panic!("{}", out.stdout));
    assert!(
        out.stdout
            .ends_with("Stairway passed: 2 revisions up, down and up again\n"),
        "{}",
        out.stdout
    );
    let steps = log_lines(&out.stderr);
    assert!(
        steps.len() == 6 && steps.iter().all(|l| l.starts_with("Running ")),
        "{steps:?}"
    );
    let (_, name) = scratch.rsplit_once('/').expect("a URL");
    match w.db.kind {
        Kind::Sqlite => assert!(!Path::new(scratch.trim_start_matches("sqlite:///")).exists()),
        _ => {
            assert!(name.starts_with("migrate_test_"), "{scratch}");
            assert!(!w.db.server_has_database(name), "{name} was dropped");
        }
    }
    assert_eq!(w.db.versions(), r2);
    assert_eq!(w.db.schema(), "ix_posts_user_id,ix_users_email,posts,users");
}

#[test]
fn workflow_sqlite() {
    let project = Project::empty();
    let db = Db::sqlite(project.path());
    run(Workflow { project, db });
}

#[test]
fn workflow_postgres() {
    let base = std::env::var("MIGRATE_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let db = Db::server(Kind::Postgres, &base);
    run(Workflow {
        project: Project::empty(),
        db,
    });
}

#[test]
fn workflow_mariadb() {
    let base = std::env::var("MIGRATE_TEST_MYSQL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into());
    let db = Db::server(Kind::Mariadb, &base);
    run(Workflow {
        project: Project::empty(),
        db,
    });
}
