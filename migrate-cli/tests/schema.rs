//! `migrate schema` and the `diesel_schema` key: Diesel's `schema.rs`, compared byte for byte
//! with what `diesel print-schema` (diesel_cli 2.3) printed for the same databases.
//!
//! The goldens in `tests/schema_rs/` were printed by diesel_cli itself for the fixture
//! migrations in `tests/schema_rs/versions/`; `scripts/diesel-goldens` prints them again
//! (these tests with `MIGRATE_DIESEL` naming a `diesel` executable write them instead of
//! comparing). CI has no diesel_cli: the tests compare with the committed files.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use diesel::connection::SimpleConnection as _;
use migrate_core::{AnyConnection, DatabaseUrl};

use crate::util::{mysql_url, pg_url, Project};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schema_rs")
}

/// One project (one runner build) for every test here; each test brings its own database.
fn project() -> &'static Project {
    static P: OnceLock<Project> = OnceLock::new();
    P.get_or_init(|| {
        let p = Project::empty();
        p.ok(&["init"]);
        let versions = p.path().join("migrations/src/versions");
        for entry in std::fs::read_dir(fixture().join("versions")).expect("fixture") {
            let path = entry.expect("entry").path();
            let name = path.file_name().expect("name").to_owned();
            std::fs::copy(&path, versions.join(name)).expect("copy");
        }
        p
    })
}

/// A database of its own: a SQLite file in the project, or one created on the server of
/// `base` and dropped at the end.
pub(crate) struct Db {
    pub(crate) url: String,
    drop: Option<(String, String)>,
}

impl Db {
    fn sqlite(name: &str) -> Db {
        let path = project().path().join(format!("{name}.db"));
        let _ = std::fs::remove_file(&path);
        Db {
            url: format!("sqlite:///{}", path.display()),
            drop: None,
        }
    }

    pub(crate) fn server(base: &str, name: &str) -> Db {
        let name = format!("migrate_schema_{name}_{}", std::process::id());
        let (prefix, _) = base.rsplit_once('/').expect("a URL ending in /<database>");
        exec(base, &format!("DROP DATABASE IF EXISTS {name}"));
        exec(base, &format!("CREATE DATABASE {name}"));
        Db {
            url: format!("{prefix}/{name}"),
            drop: Some((base.to_owned(), name)),
        }
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Some((base, name)) = &self.drop {
            exec(base, &format!("DROP DATABASE IF EXISTS {name}"));
        }
    }
}

pub(crate) fn exec(url: &str, sql: &str) {
    let parsed = DatabaseUrl::parse(url).expect("url");
    let mut conn = AnyConnection::establish_url(&parsed, Duration::from_secs(10)).expect("connect");
    conn.batch_execute(sql).expect(sql);
}

/// With `MIGRATE_DIESEL` set: `diesel print-schema` of `url` (without migrate's own tables),
/// as `diesel setup`'s diesel.toml configures it, then `--schema S` of each of `schemas`
/// after a blank line, without its header (migrate prints those modules in one file),
/// written to the golden file.
fn bless(url: &str, schemas: &[&str], golden: &Path) {
    let Some(diesel) = std::env::var_os("MIGRATE_DIESEL") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("diesel.toml"),
        "[print_schema]\ncustom_type_derives = [\"diesel::query_builder::QueryId\", \"Clone\"]\n",
    )
    .expect("diesel.toml");
    let print = |schema: Option<&str>| {
        let mut cmd = std::process::Command::new(&diesel);
        cmd.current_dir(dir.path()).args([
            "print-schema",
            "--database-url",
            url,
            "--except-tables",
            "^migrate_",
        ]);
        if let Some(s) = schema {
            cmd.args(["--schema", s]);
        }
        let out = cmd.output().expect("run diesel");
        assert!(
            out.status.success(),
            "diesel print-schema failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let mut text = print(None);
    for schema in schemas {
        let module = print(Some(schema));
        let header = "// @generated automatically by Diesel CLI.\n\n";
        text.push('\n');
        text.push_str(module.strip_prefix(header).expect("diesel's header"));
    }
    std::fs::write(golden, text).expect("write golden");
}

fn golden(name: &str) -> String {
    std::fs::read_to_string(fixture().join(name)).expect("golden")
}

/// The replay before anything ran, the database after `upgrade`, and the golden agree.
fn same_as_diesel(db: &Db, schemas: &[&str], golden_name: &str) {
    let p = project();
    let url = db.url.as_str();
    let replayed = p.ok(&["--url", url, "schema"]);
    p.ok(&["--url", url, "upgrade"]);
    bless(url, schemas, &fixture().join(golden_name));
    let expected = golden(golden_name);
    assert_eq!(replayed, expected, "replay vs diesel print-schema");
    let live = p.ok(&["--url", url, "schema", "--from-db"]);
    assert_eq!(live, expected, "--from-db vs diesel print-schema");
}

#[test]
fn sqlite_schema_is_what_diesel_prints() {
    same_as_diesel(&Db::sqlite("golden"), &[], "sqlite.schema.rs");
}

#[test]
fn postgres_schema_is_what_diesel_prints() {
    same_as_diesel(
        &Db::server(&pg_url(), "pg"),
        &["billing"],
        "postgres.schema.rs",
    );
}

#[test]
fn mariadb_schema_is_what_diesel_prints() {
    same_as_diesel(&Db::server(&mysql_url(), "my"), &[], "mariadb.schema.rs");
}

/// A configuration file of the shared project with `diesel_schema` set to `schema_rs`.
fn config_with(name: &str, url: &str, schema_rs: &str) -> String {
    let file = format!("{name}.toml");
    std::fs::write(
        project().path().join(&file),
        format!("[migrate]\nmigrations = \"migrations\"\nurl = \"{url}\"\ndiesel_schema = \"{schema_rs}\"\n"),
    )
    .expect("config");
    file
}

#[test]
fn upgrade_and_downgrade_rewrite_schema_rs_and_check_catches_a_stale_one() {
    let p = project();
    let db = Db::sqlite("rewrite");
    std::fs::create_dir_all(p.path().join("rewrite-src")).expect("dir");
    let config = config_with("rewrite", &db.url, "rewrite-src/schema.rs");
    let file = p.path().join("rewrite-src/schema.rs");

    let (_, err) = p.ok2(&["-c", &config, "upgrade"]);
    assert!(err.contains("Writing "), "{err}");
    assert_eq!(
        std::fs::read_to_string(&file).expect("written"),
        golden("sqlite.schema.rs")
    );
    assert_eq!(p.ok(&["-c", &config, "check"]).lines().count(), 1);

    p.ok(&["-c", &config, "downgrade", "s1"]);
    let after = std::fs::read_to_string(&file).expect("rewritten");
    assert!(
        after.contains("users (id)") && !after.contains("posts"),
        "{after}"
    );

    p.ok(&["-c", &config, "upgrade"]);
    let full = std::fs::read_to_string(&file).expect("rewritten");
    assert_eq!(full, golden("sqlite.schema.rs"));

    // A change by hand that no migration carries: check fails with exit 10 and names it.
    std::fs::write(&file, full.replace("email -> Text", "email -> Integer")).expect("edit");
    let out = p.migrate(&["-c", &config, "check"]).output().expect("run");
    assert_eq!(out.status.code(), Some(10));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with(
            "error: schema.rs has changes not in any migration: table users: column email: type Text to Integer"
        ),
        "{stderr}"
    );
    // Edited so that it says the same but reads differently: stale, exit 3, and what it
    // should be as a diff.
    let blank = full.replacen(
        "diesel::table! {\n    users",
        "diesel::table! {\n\n    users",
        1,
    );
    assert_ne!(blank, full);
    std::fs::write(&file, &blank).expect("edit");
    let out = p.migrate(&["-c", &config, "check"]).output().expect("run");
    assert_eq!(out.status.code(), Some(3));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(" diesel::table! {\n-\n     users (id) {\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("--- a/") && stdout.contains("+++ b/"),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: ") && stderr.contains("is stale"),
        "{stderr}"
    );

    // Nothing to do: the file is made current again; then left alone (no "Writing" line).
    let (_, err) = p.ok2(&["-c", &config, "upgrade"]);
    assert!(err.contains("Writing"), "{err}");
    p.ok(&["-c", &config, "check"]);
    let (_, err) = p.ok2(&["-c", &config, "upgrade"]);
    assert!(!err.contains("Writing"), "{err}");
    // --sql writes no file.
    std::fs::remove_file(&file).expect("rm");
    p.ok(&["-c", &config, "downgrade", "s2:s1", "--sql"]);
    assert!(!file.exists());
}

#[test]
fn an_unwritable_schema_rs_is_refused_before_anything_runs() {
    let p = project();
    let db = Db::sqlite("unwritable");
    for (name, target) in [
        ("nofolder", "no-such-folder/schema.rs"),
        ("isdir", "migrations"),
    ] {
        let config = config_with(name, &db.url, target);
        let err = p.fails(&["-c", &config, "upgrade"], 5);
        assert!(
            err.starts_with("error: can't write the schema file "),
            "{err}"
        );
        assert_eq!(
            err.lines().filter(|l| l.starts_with("error:")).count(),
            1,
            "{err}"
        );
        assert!(err.contains("hint: point `diesel_schema`"), "{err}");
        // The database is untouched: no version row, not even a file.
        assert!(
            !Path::new(db.url.trim_start_matches("sqlite:///")).exists(),
            "{err}"
        );
    }
    let config = config_with("empty", &db.url, "");
    let err = p.fails(&["-c", &config, "upgrade"], 5);
    assert!(err.contains("diesel_schema must name a file"), "{err}");
}

#[test]
fn schema_output_writes_the_file() {
    let p = project();
    let db = Db::sqlite("output");
    let out = p.path().join("output.schema.rs");
    let (stdout, err) = p.ok2(&["--url", &db.url, "schema", "--output", "output.schema.rs"]);
    assert_eq!(stdout, "");
    assert!(err.contains("Writing "), "{err}");
    assert_eq!(
        std::fs::read_to_string(out).expect("file"),
        golden("sqlite.schema.rs")
    );
    // The replay needs no database: none was created.
    assert!(!Path::new(db.url.trim_start_matches("sqlite:///")).exists());
}
