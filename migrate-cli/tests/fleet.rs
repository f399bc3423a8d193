//! `migrate --db NAME` and `migrate --all`: one command over the databases of migrate.toml
//! (`[databases.NAME]`, `[tenants]`), a summary table, exit code 11 when any failed, and a
//! re-run that continues where each database stopped.

use std::time::Instant;

use diesel::{Connection as _, RunQueryDsl as _};

use crate::db::add_migrations;
use crate::schema::{exec, Db};
use crate::util::{mysql_url, pg_url, Project};

/// Exit code: some databases failed.
const SOME_FAILED: i32 = 11;

/// A project with migrations a1 (table `t`) -> b2 (table `u`) and `toml` after `[migrate]`.
fn project(toml: &str) -> Project {
    let p = Project::empty();
    p.ok(&["init"]);
    add_migrations(&p, "");
    std::fs::write(
        p.path().join("migrate.toml"),
        format!("[migrate]\nmigrations = \"migrations\"\n\n{toml}"),
    )
    .expect("migrate.toml");
    p
}

/// The summary table's rows after the header: (database, before, after, status).
fn table(out: &str) -> Vec<Vec<String>> {
    let mut lines = out.lines();
    let header: Vec<&str> = lines
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    assert_eq!(header, ["DATABASE", "BEFORE", "AFTER", "STATUS"], "{out}");
    lines
        .map(|l| l.split_whitespace().map(str::to_owned).collect())
        .collect()
}

/// How many rows of the table read `before after status`.
fn count(rows: &[Vec<String>], cells: [&str; 3]) -> usize {
    rows.iter().filter(|r| r[1..] == cells).count()
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Each database's `after` rows of `--all current --json`, by name.
fn current_all(p: &Project) -> Vec<(String, Vec<String>)> {
    let out = json(&p.ok(&["--all", "current", "--json"]));
    out["databases"]
        .as_array()
        .expect("databases")
        .iter()
        .map(|d| {
            let rows = d["after"].as_array().expect("after");
            (
                d["name"].as_str().expect("name").to_owned(),
                rows.iter()
                    .map(|r| r.as_str().expect("row").to_owned())
                    .collect(),
            )
        })
        .collect()
}

#[derive(diesel::QueryableByName)]
struct Applied {
    #[diesel(sql_type = diesel::sql_types::Text)]
    revision: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// How often each revision was applied (successful `up` rows of the history table).
fn applied_counts(path: &std::path::Path) -> Vec<(String, i64)> {
    let mut conn = diesel::SqliteConnection::establish(&path.display().to_string()).expect("open");
    diesel::sql_query(
        "SELECT revision, COUNT(*) AS n FROM migrate_history \
         WHERE direction = 'up' AND success GROUP BY revision ORDER BY revision",
    )
    .load::<Applied>(&mut conn)
    .expect("history")
    .into_iter()
    .map(|a| (a.revision, a.n))
    .collect()
}

/// Many SQLite tenants from a file; one fails (its table `u` exists already): the others
/// reach head, the summary names it, the exit code is 11; after the fix a re-run brings it to
/// head, and every tenant has each migration applied once.
#[test]
fn sqlite_tenants_one_fails_then_rerun_finishes() {
    const TENANTS: usize = 200;
    let p = project("[tenants]\nfile = \"tenants.txt\"\n");
    std::fs::create_dir(p.path().join("tenants")).expect("tenants dir");
    let list: String = (0..TENANTS)
        .map(|i| format!("sqlite://tenants/t{i:03}.db\n"))
        .collect();
    std::fs::write(p.path().join("tenants.txt"), format!("# tenants\n{list}")).expect("list");
    let bad = p.path().join("tenants/t007.db");
    exec(
        &format!("sqlite:///{}", bad.display()),
        "CREATE TABLE u (id INTEGER)",
    );

    let started = Instant::now();
    let out = p
        .migrate(&["--all", "--jobs", "4", "upgrade"])
        .output()
        .expect("run");
    eprintln!("{TENANTS} tenants, --jobs 4: {:?}", started.elapsed());
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(SOME_FAILED), "{stdout}\n{stderr}");
    let rows = table(&stdout);
    assert_eq!(rows.len(), TENANTS, "{stdout}");
    let failed: Vec<&Vec<String>> = rows.iter().filter(|r| r[3] == "failed").collect();
    assert_eq!(failed.len(), 1, "{stdout}");
    assert!(failed[0][0].ends_with("tenants/t007.db"), "{stdout}");
    assert_eq!(failed[0][1..], ["base", "a1", "failed"], "{stdout}");
    assert_eq!(count(&rows, ["base", "b2", "ok"]), TENANTS - 1, "{stdout}");
    assert!(
        stderr.contains(&format!("databases {TENANTS}/{TENANTS} done")),
        "{stderr}"
    );
    assert!(stderr.contains("t007.db: migration b2"), "{stderr}");
    assert!(
        stderr.contains(&format!("1 of {TENANTS} database(s) failed")),
        "{stderr}"
    );

    // The fix, then the same command again: only t007 has work left.
    exec(&format!("sqlite:///{}", bad.display()), "DROP TABLE u");
    let rows = table(&p.ok(&["--all", "upgrade"]));
    let t007 = rows
        .iter()
        .find(|r| r[0].ends_with("t007.db"))
        .expect("t007 row");
    assert_eq!(t007[1..], ["a1", "b2", "ok"]);
    assert_eq!(count(&rows, ["b2", "b2", "ok"]), TENANTS - 1);

    let current = current_all(&p);
    assert_eq!(current.len(), TENANTS);
    assert!(
        current.iter().all(|(_, rows)| rows == &["b2"]),
        "{current:?}"
    );
    for i in 0..TENANTS {
        let counts = applied_counts(&p.path().join(format!("tenants/t{i:03}.db")));
        assert_eq!(
            counts,
            [("a1".to_owned(), 1), ("b2".to_owned(), 1)],
            "tenant {i}"
        );
    }
}

/// `[databases.NAME]`: `--db NAME` runs on that one only, with its own version table and a
/// URL from the environment; bad names and unset variables are one line, exit 5, nothing run;
/// a password is never printed.
#[test]
fn named_databases() {
    let p = project(
        "[databases.main]\nurl = \"sqlite://main.db\"\n\n\
         [databases.reports]\nurl_env = \"REPORTS_URL\"\nversion_table = \"reports_version\"\n",
    );
    let reports = p.path().join("reports.db");
    let reports_url = format!("sqlite:///{}", reports.display());
    let out = p
        .migrate(&["--db", "reports", "upgrade", "a1"])
        .env("REPORTS_URL", &reports_url)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = table(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(rows, [["reports", "base", "a1", "ok"]]);
    assert!(
        !p.path().join("main.db").exists(),
        "--db reports touched main"
    );
    let mut conn =
        diesel::SqliteConnection::establish(&reports.display().to_string()).expect("open");
    diesel::sql_query("SELECT version_num FROM reports_version")
        .execute(&mut conn)
        .expect("its own version table");

    // REPORTS_URL unset: one line naming the variable, exit 5, main untouched.
    let err = p.fails(&["--all", "upgrade"], 5);
    assert!(err.contains("REPORTS_URL (url_env) is not set"), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{err}"
    );
    assert!(!p.path().join("main.db").exists());

    let err = p.fails(&["--db", "nope", "current"], 5);
    assert!(
        err.contains("no database named `nope`; the databases are `main`, `reports`"),
        "{err}"
    );
    let err = p.fails(&["--all", "heads"], 1);
    assert!(err.contains("--db and --all work with upgrade"), "{err}");
    p.fails(&["--jobs", "0", "--all", "upgrade"], 2);
    // --sql: one script per database, headed by its name, each with its own version table;
    // nothing is opened or created.
    let out = p
        .migrate(&["--all", "upgrade", "--sql"])
        .env("REPORTS_URL", &reports_url)
        .output()
        .expect("run");
    let script = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{script}");
    let (main, rest) = script
        .split_once("-- Database: reports")
        .unwrap_or_else(|| panic!("no reports script: {script}"));
    assert!(main.starts_with("-- Database: main\n"), "{script}");
    assert!(
        main.contains("CREATE TABLE \"migrate_version\"") && main.contains("CREATE TABLE u "),
        "{main}"
    );
    assert!(
        rest.contains("CREATE TABLE \"reports_version\"") && !rest.contains("migrate_version"),
        "{rest}"
    );
    let err = p.fails(&["--db", "main", "--url", "sqlite://x.db", "current"], 1);
    assert!(
        err.contains("--db and --all take theirs from migrate.toml"),
        "{err}"
    );
    assert!(!p.path().join("main.db").exists() && !p.path().join("x.db").exists());
    let err = p.fails(&["--jobs", "2", "upgrade"], 1);
    assert!(err.contains("--jobs needs --db NAME or --all"), "{err}");

    // Everything: main to head, reports from a1 to head, JSON per database.
    let out = p
        .migrate(&["--all", "upgrade", "--json"])
        .env("REPORTS_URL", &reports_url)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(
        report,
        serde_json::json!({
            "databases": [
                { "name": "main", "before": [], "after": ["b2"], "status": "ok", "error": null },
                { "name": "reports", "before": ["a1"], "after": ["b2"], "status": "ok", "error": null },
            ],
            "failed": 0,
            "total": 2,
        })
    );

    // A database that can't be reached fails alone, its password masked.
    let out = p
        .migrate(&["--all", "check"])
        .env("REPORTS_URL", "postgres://postgres:s3cret@127.0.0.1:1/test")
        .output()
        .expect("run");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(SOME_FAILED), "{all}");
    assert!(!all.contains("s3cret"), "{all}");
    assert!(all.contains("error: reports: "), "{all}");
    assert!(all.contains("1 of 2 database(s) failed: reports"), "{all}");
}

#[derive(diesel::QueryableByName)]
struct Name {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

/// The tables of a SQLite file.
fn sqlite_tables(path: &std::path::Path) -> Vec<String> {
    let mut conn = diesel::SqliteConnection::establish(&path.display().to_string()).expect("open");
    diesel::sql_query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .load::<Name>(&mut conn)
        .expect("tables")
        .into_iter()
        .map(|n| n.name)
        .collect()
}

/// A migration `rev` labelled `label` creating table `table`, reversible.
fn labelled(rev: &str, down: Option<&str>, label: &str, table: &str) -> String {
    let head = match down {
        Some(d) => format!("rev = \"{rev}\", down_rev = \"{d}\""),
        None => format!("rev = \"{rev}\", branch_labels = [\"{label}\"]"),
    };
    format!(
        "//! {table}\nuse migrate_core::prelude::*;\n\n/// {table}\n#[migration({head})]\n\
         pub fn upgrade(op: &mut Op) -> Result<()> {{\n    \
         op.execute_reversible(\"CREATE TABLE {table} (id INTEGER)\", \"DROP TABLE {table}\")?;\n    \
         Ok(())\n}}\n"
    )
}

/// Two independent branches, one per database (`branch = "..."`): each database gets its
/// branch only, `check` accepts each at its branch's head, `base` is the branch's base, and
/// `--sql` writes each database its own branch.
#[test]
fn a_branch_per_database() {
    let p = Project::empty();
    p.ok(&["init"]);
    let versions = p.path().join("migrations/src/versions");
    for (file, text) in [
        (
            "0001_bill1.rs",
            labelled("bill1", None, "billing", "invoices"),
        ),
        (
            "0002_bill2.rs",
            labelled("bill2", Some("bill1"), "billing", "payments"),
        ),
        (
            "0003_cat1.rs",
            labelled("cat1", None, "catalog", "products"),
        ),
    ] {
        std::fs::write(versions.join(file), text).expect("write");
    }
    std::fs::write(
        p.path().join("migrate.toml"),
        "[migrate]\nmigrations = \"migrations\"\n\n\
         [databases.billing]\nurl = \"sqlite://billing.db\"\nbranch = \"billing\"\n\n\
         [databases.catalog]\nurl = \"sqlite://catalog.db\"\nbranch = \"catalog\"\n",
    )
    .expect("migrate.toml");

    let script = p.ok(&["--all", "upgrade", "--sql"]);
    let (billing, catalog) = script.split_once("-- Database: catalog").expect(&script);
    assert!(
        billing.contains("CREATE TABLE payments") && !billing.contains("products"),
        "{script}"
    );
    assert!(
        catalog.contains("CREATE TABLE products") && !catalog.contains("invoices"),
        "{script}"
    );

    let rows = table(&p.ok(&["--all", "upgrade"]));
    assert_eq!(
        rows,
        [
            ["billing", "base", "bill2", "ok"],
            ["catalog", "base", "cat1", "ok"]
        ]
    );
    let tables = |db: &str| sqlite_tables(&p.path().join(db));
    assert!(tables("billing.db").contains(&"payments".to_owned()));
    assert!(!tables("billing.db").contains(&"products".to_owned()));
    assert!(!tables("catalog.db").contains(&"invoices".to_owned()));
    // Each is at its branch's head: check passes, though neither holds the other's head.
    let rows = table(&p.ok(&["--all", "check"]));
    assert_eq!(count(&rows, ["bill2", "bill2", "ok"]), 1);
    assert_eq!(count(&rows, ["cat1", "cat1", "ok"]), 1);

    let rows = table(&p.ok(&["--db", "billing", "downgrade", "base"]));
    assert_eq!(rows, [["billing", "bill2", "base", "ok"]]);
    assert!(!tables("billing.db").contains(&"invoices".to_owned()));
    // billing is behind now: check says so for it alone.
    let out = p.migrate(&["--all", "check"]).output().expect("run");
    assert_eq!(out.status.code(), Some(SOME_FAILED));
    let rows = table(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(rows[0], ["billing", "base", "base", "failed"]);
    assert_eq!(rows[1], ["catalog", "cat1", "cat1", "ok"]);
}

/// PostgreSQL tenants as schemas of one database: each schema gets its own tables and its
/// own version table (`version_table_schema`), from a list in the environment.
#[test]
fn postgres_tenant_schemas() {
    let db = Db::server(&pg_url(), "fleet");
    let schemas: Vec<String> = (0..20).map(|i| format!("tenant_{i}")).collect();
    for s in &schemas {
        exec(&db.url, &format!("CREATE SCHEMA {s}"));
    }
    let p = project(&format!(
        "[tenants]\nurl = \"{}\"\nenv = \"TENANT_SCHEMAS\"\n",
        db.url
    ));
    let run = |args: &[&str]| {
        p.migrate(args)
            .env("TENANT_SCHEMAS", schemas.join(","))
            .output()
            .expect("run")
    };
    let out = run(&["--all", "--jobs", "3", "upgrade"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = table(&stdout);
    for s in &schemas {
        let row = rows.iter().find(|r| &r[0] == s).expect(s);
        assert_eq!(row[1..], ["base", "b2", "ok"]);
        // Its tables and its version table are in its schema.
        exec(
            &db.url,
            &format!("SELECT id FROM {s}.t; SELECT id FROM {s}.u"),
        );
        exec(
            &db.url,
            &format!("SELECT version_num FROM {s}.migrate_version"),
        );
    }
    let out = run(&["--all", "check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["--db", "tenant_3", "downgrade", "base"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["--all", "check"]);
    assert_eq!(out.status.code(), Some(SOME_FAILED));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 of 20 database(s) failed: tenant_3"));

    // The same tenants from a query on a control table (one of them is not on the list).
    exec(
        &db.url,
        "CREATE TABLE public.tenants (schema_name TEXT, active BOOLEAN)",
    );
    for (i, s) in schemas.iter().enumerate() {
        exec(
            &db.url,
            &format!("INSERT INTO public.tenants VALUES ('{s}', {})", i != 5),
        );
    }
    std::fs::write(
        p.path().join("migrate.toml"),
        format!(
            "[migrate]\nmigrations = \"migrations\"\n\n[tenants]\nurl = \"{}\"\n\
             query = \"SELECT schema_name AS tenant FROM tenants WHERE active ORDER BY schema_name\"\n",
            db.url
        ),
    )
    .expect("migrate.toml");
    let current = current_all(&p);
    let names: Vec<&str> = current.iter().map(|(n, _)| n.as_str()).collect();
    let mut listed: Vec<&str> = schemas
        .iter()
        .map(String::as_str)
        .filter(|s| *s != "tenant_5")
        .collect();
    listed.sort_unstable();
    assert_eq!(names, listed);
    for (name, rows) in &current {
        let want: &[&str] = if name == "tenant_3" { &[] } else { &["b2"] };
        assert_eq!(rows, want, "{name}");
    }

    // --sql for a tenant schema puts the schema first on search_path: run by hand, the
    // script migrates that schema, not public.
    let script = p.ok(&["--db", "tenant_3", "upgrade", "--sql"]);
    assert!(
        script.starts_with("-- Database: tenant_3\n\nSET search_path TO \"tenant_3\";\n"),
        "{script}"
    );
    exec(&db.url, "DROP TABLE tenant_3.migrate_version");
    exec(&db.url, &script);
    exec(
        &db.url,
        "SELECT id FROM tenant_3.t; SELECT id FROM tenant_3.u",
    );
    let current = current_all(&p);
    let tenant_3 = current
        .iter()
        .find(|(n, _)| n == "tenant_3")
        .expect("tenant_3");
    assert_eq!(tenant_3.1, ["b2"]);
}

/// MariaDB: one migrations set over several databases, listed one URL per line.
#[test]
fn mariadb_databases() {
    let dbs: Vec<Db> = (0..10)
        .map(|i| Db::server(&mysql_url(), &format!("fleet{i}")))
        .collect();
    let p = project("[tenants]\nfile = \"tenants.txt\"\n");
    let list: String = dbs.iter().map(|d| format!("{}\n", d.url)).collect();
    std::fs::write(p.path().join("tenants.txt"), list).expect("list");
    let rows = table(&p.ok(&["--all", "upgrade"]));
    assert_eq!(count(&rows, ["base", "b2", "ok"]), 10, "{rows:?}");
    for d in &dbs {
        exec(&d.url, "SELECT id FROM t; SELECT id FROM u");
    }
    let rows = table(&p.ok(&["--all", "downgrade", "-1"]));
    assert_eq!(count(&rows, ["b2", "a1", "ok"]), 10, "{rows:?}");
    let current = current_all(&p);
    assert!(
        current.iter().all(|(_, rows)| rows == &["a1"]),
        "{current:?}"
    );
}
