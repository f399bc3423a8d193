//! `op.bulk_insert` of 10k rows in one migration, on SQLite, PostgreSQL and MariaDB. Prints
//! figures; asserts nothing but the row count.
//!
//! `cargo bench -p migrate-core --bench bulk_insert` (servers from `MIGRATE_TEST_PG`,
//! `MIGRATE_TEST_MYSQL`; `MIGRATE_BENCH_ROWS` changes the count).

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use diesel::sql_types::BigInt;
use diesel::{Connection, QueryableByName, RunQueryDsl};
use migrate_core::sql::Value;
use migrate_core::{AnyConnection, DatabaseUrl, Migration, Migrator, Op, Registry, Result};

static ROWS: AtomicUsize = AtomicUsize::new(10_000);

fn upgrade(op: &mut Op) -> Result<()> {
    op.execute(
        "CREATE TABLE bulk (id BIGINT PRIMARY KEY, name VARCHAR(64) NOT NULL, email VARCHAR(128))",
    )?;
    let rows = (0..ROWS.load(Ordering::SeqCst))
        .map(|i| {
            let i = i64::try_from(i).unwrap();
            vec![
                Value::from(i),
                Value::Text(format!("user {i}")),
                Value::Text(format!("user{i}@example.com")),
            ]
        })
        .collect();
    op.bulk_insert("bulk", &["id", "name", "email"], rows)?;
    Ok(())
}

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn run(url: &str) -> Duration {
    let registry = Registry::from_migrations(vec![Migration::__new(
        "b1",
        &[],
        &[],
        &[],
        "bulk",
        "",
        "benches/versions/b1.rs",
        1,
        upgrade,
        None,
        true,
    )])
    .unwrap();
    let m = Migrator::from_registry(registry).url(url).unwrap();
    let t = Instant::now();
    m.upgrade("head").unwrap();
    let elapsed = t.elapsed();
    let mut conn =
        AnyConnection::establish_url(&DatabaseUrl::parse(url).unwrap(), Duration::from_secs(5))
            .unwrap();
    let n: Vec<N> = diesel::sql_query("SELECT COUNT(*) AS n FROM bulk")
        .load(&mut conn)
        .unwrap();
    assert_eq!(
        usize::try_from(n[0].n).unwrap(),
        ROWS.load(Ordering::SeqCst)
    );
    elapsed
}

fn server(admin: &str) -> &str {
    &admin[..admin.rfind('/').unwrap()]
}

fn main() {
    if let Ok(n) = std::env::var("MIGRATE_BENCH_ROWS") {
        ROWS.store(n.parse().unwrap(), Ordering::SeqCst);
    }
    let rows = ROWS.load(Ordering::SeqCst);
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite:///{}", dir.path().join("bulk.db").display());
    println!(
        "bulk_insert of {rows} rows, SQLite      {:>7.3} s",
        run(&sqlite).as_secs_f64()
    );

    let pg = std::env::var("MIGRATE_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    if let Ok(mut c) = diesel::PgConnection::establish(&pg) {
        let _ = diesel::sql_query("DROP DATABASE IF EXISTS migrate_bench_bulk WITH (FORCE)")
            .execute(&mut c);
        diesel::sql_query("CREATE DATABASE migrate_bench_bulk")
            .execute(&mut c)
            .unwrap();
        let url = format!("{}/migrate_bench_bulk", server(&pg));
        println!(
            "bulk_insert of {rows} rows, PostgreSQL  {:>7.3} s",
            run(&url).as_secs_f64()
        );
        diesel::sql_query("DROP DATABASE migrate_bench_bulk WITH (FORCE)")
            .execute(&mut c)
            .unwrap();
    } else {
        println!("PostgreSQL is not reachable at {pg}: skipped");
    }

    let my = std::env::var("MIGRATE_TEST_MYSQL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into());
    if let Ok(mut c) = diesel::MysqlConnection::establish(&my) {
        let _ = diesel::sql_query("DROP DATABASE IF EXISTS migrate_bench_bulk").execute(&mut c);
        diesel::sql_query("CREATE DATABASE migrate_bench_bulk")
            .execute(&mut c)
            .unwrap();
        let url = format!("{}/migrate_bench_bulk", server(&my));
        println!(
            "bulk_insert of {rows} rows, MariaDB     {:>7.3} s",
            run(&url).as_secs_f64()
        );
        diesel::sql_query("DROP DATABASE migrate_bench_bulk")
            .execute(&mut c)
            .unwrap();
    } else {
        println!("MariaDB is not reachable at {my}: skipped");
    }
}
