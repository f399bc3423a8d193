//! Apply 1000 migrations that each create a table, against the same SQL run as one script by
//! the database's own client (`sqlite3`, `psql -1 -f`). Prints figures; asserts nothing.
//!
//! `cargo bench -p migrate-rs-core --bench apply` (PostgreSQL from `MIGRATE_TEST_PG`, default
//! `postgres://postgres@127.0.0.1:5432/test`). `MIGRATE_BENCH_N` changes the count.

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
    op.execute(table_sql(n))?;
    Ok(())
}

fn table_sql(n: usize) -> String {
    format!("CREATE TABLE bench_{n} (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL, created_at VARCHAR(32))")
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn chain(n: usize) -> Registry {
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
            create_next,
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

fn script(n: usize) -> String {
    (0..n).map(|i| format!("{};\n", table_sql(i))).collect()
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

fn report(name: &str, ours: Duration, theirs: Duration, tool: &str) {
    println!(
        "{name:<44} {:>8.3} s   {tool:<18} {:>8.3} s   ratio {:.2}x",
        ours.as_secs_f64(),
        theirs.as_secs_f64(),
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
}

fn sqlite(registry: &Registry, n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let sql_file = dir.path().join("script.sql");
    std::fs::write(&sql_file, script(n)).unwrap();
    let run_client = |name: &str, wrap: bool| {
        let db = dir.path().join(name);
        let body = std::fs::read_to_string(&sql_file).unwrap();
        let body = if wrap {
            format!("BEGIN;\n{body}COMMIT;\n")
        } else {
            body
        };
        let file = dir.path().join(format!("{name}.sql"));
        std::fs::write(&file, body).unwrap();
        client(
            Command::new("sqlite3")
                .arg(&db)
                .arg(format!(".read {}", file.display())),
        )
    };
    let theirs_each = run_client("client_each.db", false);
    let theirs_one = run_client("client_one.db", true);
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
        per,
        theirs_each,
        "sqlite3 (autocommit)",
    );
    report(
        "SQLite, one transaction",
        single,
        theirs_one,
        "sqlite3 BEGIN..COMMIT",
    );
}

fn postgres(registry: &Registry, n: usize) {
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
    let file = dir.path().join("script.sql");
    std::fs::write(&file, script(n)).unwrap();
    let client_url = fresh(&mut admin_conn, "migrate_bench_client");
    let theirs = client(
        Command::new("psql")
            .args(["-q", "-v", "ON_ERROR_STOP=1", "-1", "-f"])
            .arg(&file)
            .arg(&client_url),
    );
    let each_url = fresh(&mut admin_conn, "migrate_bench_client_each");
    let theirs_each = client(
        Command::new("psql")
            .args(["-q", "-v", "ON_ERROR_STOP=1", "-f"])
            .arg(&file)
            .arg(&each_url),
    );
    let per_url = fresh(&mut admin_conn, "migrate_bench_each");
    let per = ours(registry, &per_url, TransactionMode::PerMigration);
    let one_url = fresh(&mut admin_conn, "migrate_bench_one");
    let single = ours(registry, &one_url, TransactionMode::Single);
    report(
        "PostgreSQL, a transaction per migration",
        per,
        theirs,
        "psql -1 -f",
    );
    report(
        "PostgreSQL, a transaction per migration",
        per,
        theirs_each,
        "psql -f (autocommit)",
    );
    report("PostgreSQL, one transaction", single, theirs, "psql -1 -f");
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

fn main() {
    let n: usize = std::env::var("MIGRATE_BENCH_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let t = Instant::now();
    let registry = chain(n);
    println!(
        "{n} migrations, each creating a table (registry + graph built in {:.3} s)",
        t.elapsed().as_secs_f64()
    );
    sqlite(&registry, n);
    postgres(&registry, n);
}
