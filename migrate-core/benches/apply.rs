//! Apply 1000 migrations that each create a table, against the floor: the same statements
//! run as one script by the database's own client (`sqlite3`, `psql -X -q -f`), with the same
//! commit pattern and the same bookkeeping migrate does (its version and history tables
//! created, then per migration `BEGIN`, the `CREATE TABLE`, the version row's `INSERT` or
//! `UPDATE`, the history row's `INSERT`, `COMMIT`; or all of it in one transaction). Prints
//! each figure beside its floor and the ratio; asserts nothing. MariaDB is reported beside
//! its client's script without migrate's per-statement progress rows.
//!
//! `cargo bench -p migrate-rs-core --bench apply` (PostgreSQL from `MIGRATE_TEST_PG`, default
//! `postgres://postgres@127.0.0.1:5432/test`; MariaDB from `MIGRATE_TEST_MYSQL`, default
//! `mysql://root@127.0.0.1:3306/test`). `MIGRATE_BENCH_N` changes the count.

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use diesel::{Connection, RunQueryDsl};
use migrate_core::{Migration, Migrator, Op, Registry, Result, TransactionMode};

/// The table the next recorded migration creates. Recording runs in plan order, so a counter
/// gives migration k the table `bench_k` without 1000 hand-written functions.
static NEXT: AtomicUsize = AtomicUsize::new(0);

fn create_next(op: &mut Op) -> Result<()> {
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    // Reversible, for the downgrade rows: recorded in plan order again, the k-th migration
    // undone drops `bench_k` (another table than it created, but each exactly once).
    op.execute_reversible(table_sql(n), format!("DROP TABLE bench_{n}"))?;
    Ok(())
}

fn select_one(op: &mut Op) -> Result<()> {
    NEXT.fetch_add(1, Ordering::SeqCst);
    op.execute("SELECT 1")?;
    Ok(())
}

/// What each migration runs: a `CREATE TABLE` of its own, or `SELECT 1` (pure overhead).
#[derive(Clone, Copy)]
enum Work {
    CreateTable,
    SelectOne,
}

impl Work {
    fn name(self) -> &'static str {
        match self {
            Work::CreateTable => "CREATE TABLE",
            Work::SelectOne => "SELECT 1",
        }
    }

    fn sql(self, n: usize) -> String {
        match self {
            Work::CreateTable => table_sql(n),
            Work::SelectOne => "SELECT 1".to_owned(),
        }
    }
}

fn table_sql(n: usize) -> String {
    format!("CREATE TABLE bench_{n} (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, created_at VARCHAR(32))")
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn chain(n: usize, work: Work) -> Registry {
    let mut migrations = Vec::with_capacity(n);
    let mut prev: Option<&'static str> = None;
    for i in 0..n {
        let rev = leak(format!("r{i:05}"));
        let down: &'static [&'static str] = match prev {
            Some(p) => Box::leak(vec![p].into_boxed_slice()),
            None => &[],
        };
        let file = leak(format!("benches/versions/{i:05}.rs"));
        migrations.push(Migration::__new(
            rev,
            down,
            &[],
            &[],
            "bench",
            "",
            file,
            1,
            match work {
                Work::CreateTable => create_next,
                Work::SelectOne => select_one,
            },
            None,
            true,
        ));
        prev = Some(rev);
    }
    Registry::from_migrations(migrations).unwrap()
}

fn ours(registry: &Registry, url: &str, mode: TransactionMode) -> Duration {
    NEXT.store(0, Ordering::SeqCst);
    let m = Migrator::from_registry(registry.clone())
        .url(url)
        .unwrap()
        .transaction_mode(mode);
    let t = Instant::now();
    let applied = m.upgrade("head").unwrap();
    let elapsed = t.elapsed();
    assert_eq!(applied.len(), registry.migrations().len());
    elapsed
}

/// `downgrade base` of what [`ours`] upgraded at `url`.
fn ours_down(registry: &Registry, url: &str) -> Duration {
    NEXT.store(0, Ordering::SeqCst);
    let m = Migrator::from_registry(registry.clone()).url(url).unwrap();
    let t = Instant::now();
    let reverted = m.downgrade("base").unwrap();
    let elapsed = t.elapsed();
    assert_eq!(reverted.len(), registry.migrations().len());
    elapsed
}

/// The floor of `downgrade base` after [`floor_script`]'s per-migration upgrade: per
/// migration, newest first, `BEGIN`, the `DROP TABLE`, the version row's `UPDATE` (or
/// `DELETE` for the last), the history row, `COMMIT`.
fn floor_down_script(n: usize, floor: &Floor<'_>) -> String {
    let mut out = String::new();
    for i in (0..n).rev() {
        out.push_str(floor.begin);
        out.push_str(";\n");
        if let Some(setting) = floor.intermediate.filter(|_| i > 0) {
            out.push_str(setting);
            out.push_str(";\n");
        }
        out.push_str(&format!("DROP TABLE bench_{i};\n"));
        if i == 0 {
            out.push_str("DELETE FROM migrate_version WHERE version_num = 'r00000';\n");
        } else {
            out.push_str(&format!(
                "UPDATE migrate_version SET version_num = 'r{:05}' WHERE version_num = 'r{i:05}';\n",
                i - 1
            ));
        }
        out.push_str(&format!(
            "INSERT INTO migrate_history (revision, direction, checksum, started_at, duration_ms, \
             success, error) VALUES ('r{i:05}', 'down', 'v2:0123456789abcdef0123456789abcdef', \
             '2026-12-01T00:00:00.000Z', 1, TRUE, NULL);\nCOMMIT;\n"
        ));
    }
    out
}

/// The floor's script: what migrate sends for `n` migrations, as literal SQL. `begin` is the
/// backend's `BEGIN`, and `intermediate` what migrate sets in each transaction but the last
/// (PostgreSQL: `SET LOCAL synchronous_commit = off`); `id` its history id column;
/// `per_migration`: a transaction per migration (else the caller wraps the whole script in
/// one).
struct Floor<'a> {
    begin: &'a str,
    intermediate: Option<&'a str>,
    id: &'a str,
}

fn floor_script(n: usize, work: Work, floor: &Floor<'_>, per_migration: bool) -> String {
    let Floor {
        begin,
        intermediate,
        id,
    } = floor;
    let mut out = format!(
        "CREATE TABLE migrate_version (version_num VARCHAR(64) NOT NULL, \
         CONSTRAINT migrate_version_pkc PRIMARY KEY (version_num));\n\
         CREATE TABLE migrate_history ({id}, revision VARCHAR(255) NOT NULL, \
         direction VARCHAR(8) NOT NULL, checksum VARCHAR(128) NOT NULL, \
         started_at VARCHAR(32) NOT NULL, duration_ms BIGINT NOT NULL, \
         success BOOLEAN NOT NULL, error TEXT);\n"
    );
    for i in 0..n {
        if per_migration {
            out.push_str(begin);
            out.push_str(";\n");
            if let Some(setting) = intermediate.filter(|_| i + 1 < n) {
                out.push_str(setting);
                out.push_str(";\n");
            }
        }
        out.push_str(&work.sql(i));
        out.push_str(";\n");
        if i == 0 {
            out.push_str("INSERT INTO migrate_version (version_num) VALUES ('r00000');\n");
        } else {
            out.push_str(&format!(
                "UPDATE migrate_version SET version_num = 'r{i:05}' WHERE version_num = 'r{:05}';\n",
                i - 1
            ));
        }
        out.push_str(&format!(
            "INSERT INTO migrate_history (revision, direction, checksum, started_at, duration_ms, \
             success, error) VALUES ('r{i:05}', 'up', 'v2:0123456789abcdef0123456789abcdef', \
             '2026-12-01T00:00:00.000Z', 1, TRUE, NULL);\n"
        ));
        if per_migration {
            out.push_str("COMMIT;\n");
        }
    }
    out
}

fn client(cmd: &mut Command) -> Duration {
    let t = Instant::now();
    let out = cmd.output().unwrap();
    let elapsed = t.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    elapsed
}

fn report(name: &str, work: Work, ours: Duration, theirs: Duration, tool: &str) {
    let name = format!("{}, {name}", work.name());
    println!(
        "{name:<62} {:>7.3} s   {tool:<18} {:>7.3} s   ratio {:.2}x",
        ours.as_secs_f64(),
        theirs.as_secs_f64(),
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
}

const SQLITE: Floor<'static> = Floor {
    begin: "BEGIN IMMEDIATE",
    intermediate: None,
    id: "id INTEGER PRIMARY KEY AUTOINCREMENT",
};

const POSTGRES: Floor<'static> = Floor {
    begin: "BEGIN",
    intermediate: Some("SET LOCAL synchronous_commit = off"),
    id: "id BIGSERIAL PRIMARY KEY",
};

fn sqlite(registry: &Registry, n: usize, work: Work) {
    let dir = tempfile::tempdir().unwrap();
    let run_client = |name: &str, per_migration: bool| {
        let db = dir.path().join(name);
        let body = floor_script(n, work, &SQLITE, per_migration);
        let body = if per_migration {
            body
        } else {
            format!("BEGIN IMMEDIATE;\n{body}COMMIT;\n")
        };
        let file = dir.path().join(format!("{name}.sql"));
        std::fs::write(&file, body).unwrap();
        client(
            Command::new("sqlite3")
                .arg(&db)
                .arg(format!(".read {}", file.display())),
        )
    };
    let theirs_each = run_client("client_each.db", true);
    let theirs_one = run_client("client_one.db", false);
    let per = ours(
        registry,
        &format!("sqlite:///{}", dir.path().join("ours_each.db").display()),
        TransactionMode::PerMigration,
    );
    let single = ours(
        registry,
        &format!("sqlite:///{}", dir.path().join("ours_one.db").display()),
        TransactionMode::Single,
    );
    report(
        "SQLite, a transaction per migration",
        work,
        per,
        theirs_each,
        "sqlite3, same",
    );
    report(
        "SQLite, one transaction",
        work,
        single,
        theirs_one,
        "sqlite3, same",
    );
    if let Work::CreateTable = work {
        let file = dir.path().join("down.sql");
        std::fs::write(&file, floor_down_script(n, &SQLITE)).unwrap();
        let theirs = client(
            Command::new("sqlite3")
                .arg(dir.path().join("client_each.db"))
                .arg(format!(".read {}", file.display())),
        );
        let down = ours_down(
            registry,
            &format!("sqlite:///{}", dir.path().join("ours_each.db").display()),
        );
        report(
            "SQLite, downgrade base, a transaction each",
            work,
            down,
            theirs,
            "sqlite3, same",
        );
    }
}

fn postgres(registry: &Registry, n: usize, work: Work) {
    let admin = std::env::var("MIGRATE_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let server = &admin[..admin.rfind('/').unwrap()];
    let Ok(mut admin_conn) = diesel::PgConnection::establish(&admin) else {
        println!("PostgreSQL is not reachable at {admin}: skipped");
        return;
    };
    let fresh = |conn: &mut diesel::PgConnection, name: &str| {
        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(conn)
            .unwrap();
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(conn)
            .unwrap();
        format!("{server}/{name}")
    };
    let dir = tempfile::tempdir().unwrap();
    let psql = |file: &std::path::Path, url: &str, one: bool| {
        let mut cmd = Command::new("psql");
        cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1"]);
        if one {
            cmd.arg("-1");
        }
        client(cmd.arg("-f").arg(file).arg(url))
    };
    let each_file = dir.path().join("each.sql");
    std::fs::write(&each_file, floor_script(n, work, &POSTGRES, true)).unwrap();
    let one_file = dir.path().join("one.sql");
    std::fs::write(&one_file, floor_script(n, work, &POSTGRES, false)).unwrap();
    let theirs_each = psql(
        &each_file,
        &fresh(&mut admin_conn, "migrate_bench_client_each"),
        false,
    );
    let theirs_one = psql(
        &one_file,
        &fresh(&mut admin_conn, "migrate_bench_client"),
        true,
    );
    let per_url = fresh(&mut admin_conn, "migrate_bench_each");
    let per = ours(registry, &per_url, TransactionMode::PerMigration);
    let one_url = fresh(&mut admin_conn, "migrate_bench_one");
    let single = ours(registry, &one_url, TransactionMode::Single);
    report(
        "PostgreSQL, a transaction per migration",
        work,
        per,
        theirs_each,
        "psql -f, same",
    );
    report(
        "PostgreSQL, one transaction",
        work,
        single,
        theirs_one,
        "psql -1 -f, same",
    );
    if let Work::CreateTable = work {
        let file = dir.path().join("down.sql");
        std::fs::write(&file, floor_down_script(n, &POSTGRES)).unwrap();
        let theirs = psql(&file, &format!("{server}/migrate_bench_client_each"), false);
        let down = ours_down(registry, &per_url);
        report(
            "PostgreSQL, downgrade base, a transaction each",
            work,
            down,
            theirs,
            "psql -f, same",
        );
    }
    for name in [
        "migrate_bench_client",
        "migrate_bench_client_each",
        "migrate_bench_each",
        "migrate_bench_one",
    ] {
        let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut admin_conn);
    }
}

/// MariaDB/MySQL, reported beside a plain client script: its DDL commits as it runs, and
/// migrate records each statement's progress so that a killed run resumes (see `resume`), so
/// the floor here is the `mysql` client running each `CREATE TABLE` then the version and
/// history rows in a transaction, without those progress rows.
fn mariadb(registry: &Registry, n: usize, work: Work) {
    let admin = std::env::var("MIGRATE_TEST_MYSQL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into());
    let server = &admin[..admin.rfind('/').unwrap()];
    let Ok(mut admin_conn) = diesel::MysqlConnection::establish(&admin) else {
        println!("MariaDB is not reachable at {admin}: skipped");
        return;
    };
    let mut fresh = |name: &str| {
        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name}"))
            .execute(&mut admin_conn)
            .unwrap();
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin_conn)
            .unwrap();
        format!("{server}/{name}")
    };
    let mut script = String::from(
        "CREATE TABLE migrate_version (version_num VARCHAR(64) NOT NULL, \
         CONSTRAINT migrate_version_pkc PRIMARY KEY (version_num)) ENGINE=InnoDB;\n\
         CREATE TABLE migrate_history (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, \
         revision VARCHAR(255) NOT NULL, direction VARCHAR(8) NOT NULL, \
         checksum VARCHAR(128) NOT NULL, started_at VARCHAR(32) NOT NULL, \
         duration_ms BIGINT NOT NULL, success BOOLEAN NOT NULL, error TEXT) ENGINE=InnoDB;\n",
    );
    for i in 0..n {
        script.push_str(&work.sql(i));
        script.push_str(";\nBEGIN;\n");
        if i == 0 {
            script.push_str("INSERT INTO migrate_version (version_num) VALUES ('r00000');\n");
        } else {
            script.push_str(&format!(
                "UPDATE migrate_version SET version_num = 'r{i:05}' WHERE version_num = 'r{:05}';\n",
                i - 1
            ));
        }
        script.push_str(&format!(
            "INSERT INTO migrate_history (revision, direction, checksum, started_at, duration_ms, \
             success, error) VALUES ('r{i:05}', 'up', 'v2:0123456789abcdef0123456789abcdef', \
             '2026-12-01T00:00:00.000Z', 1, TRUE, NULL);\nCOMMIT;\n"
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("floor.sql");
    std::fs::write(&file, script).unwrap();
    let client_db = "migrate_bench_client";
    fresh(client_db);
    let theirs = client(
        Command::new("mysql")
            .args(["--host=127.0.0.1", "--user=root", "--database", client_db])
            .arg("-e")
            .arg(format!("source {}", file.display())),
    );
    let url = fresh("migrate_bench_each");
    let per = ours(registry, &url, TransactionMode::PerMigration);
    report(
        "MariaDB, each statement commits, progress recorded",
        work,
        per,
        theirs,
        "mysql, no progress",
    );
    for name in [client_db, "migrate_bench_each"] {
        let _ =
            diesel::sql_query(format!("DROP DATABASE IF EXISTS {name}")).execute(&mut admin_conn);
    }
}

fn main() {
    let n: usize = std::env::var("MIGRATE_BENCH_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    println!("{n} migrations; the floor runs the same statements with the same commits");
    for work in [Work::CreateTable, Work::SelectOne] {
        let registry = chain(n, work);
        sqlite(&registry, n, work);
        postgres(&registry, n, work);
        mariadb(&registry, n, work);
    }
}
