//! Introspect a 500-table database (10 columns, 2 indexes and 1 foreign key each) on SQLite,
//! PostgreSQL and MariaDB, and diff it with itself. Prints figures; asserts only the count.
//!
//! `cargo bench -p migrate-rs-core --bench introspect` (servers from `MIGRATE_TEST_PG` and
//! `MIGRATE_TEST_MYSQL`, defaults `postgres://postgres@127.0.0.1:5432/test` and
//! `mysql://root@127.0.0.1:3306/test`; a server that is down is skipped). `MIGRATE_BENCH_N`
//! changes the table count. Targets: PostgreSQL ≤ 2 s, SQLite ≤ 0.5 s.

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::{Connection, RunQueryDsl};
use migrate_core::{Migration, Migrator, Op, Registry, Result};

fn nothing(_: &mut Op) -> Result<()> {
    Ok(())
}

fn migrator(url: &str) -> Migrator {
    let m = Migration::__new(
        "r0",
        &[],
        &[],
        &[],
        "bench",
        "",
        "benches/versions/r0.rs",
        1,
        nothing,
        None,
        true,
    );
    Migrator::from_registry(Registry::from_migrations([m]).unwrap())
        .url(url)
        .unwrap()
}

#[derive(Clone, Copy, PartialEq)]
enum Db {
    Sqlite,
    Postgres,
    Mysql,
}

/// The DDL of table `i`: 10 columns, a foreign key to the previous table (the first to
/// itself), two indexes.
fn ddl(db: Db, i: usize) -> String {
    let (boolean, yes, ts, prec) = match db {
        Db::Mysql => ("TINYINT(1)", "1", "DATETIME(6)", "(6)"),
        Db::Postgres => ("BOOLEAN", "true", "TIMESTAMP", ""),
        Db::Sqlite => ("BOOLEAN", "1", "TIMESTAMP", ""),
    };
    let parent = i.saturating_sub(1);
    format!(
        "CREATE TABLE t{i} (\
         id BIGINT NOT NULL PRIMARY KEY, \
         parent_id BIGINT REFERENCES t{parent} (id) ON DELETE CASCADE, \
         name VARCHAR(100) NOT NULL, \
         email VARCHAR(255), \
         age INTEGER DEFAULT 0, \
         active {boolean} NOT NULL DEFAULT {yes}, \
         balance NUMERIC(12, 2), \
         note TEXT, \
         created_at {ts} NOT NULL DEFAULT CURRENT_TIMESTAMP{prec}, \
         code CHAR(8)\
         );\n\
         CREATE INDEX ix_t{i}_name ON t{i} (name);\n\
         CREATE UNIQUE INDEX ux_t{i}_email_code ON t{i} (email, code);\n"
    )
}

fn run(db: Db, url: &str, n: usize) {
    let m = migrator(url);
    let mut conn = m.connect().unwrap();
    let t = Instant::now();
    let script: String = (0..n).map(|i| ddl(db, i)).collect();
    conn.batch_execute(&script).unwrap();
    let created = t.elapsed();
    let mut best = Duration::MAX;
    let mut schema = None;
    for _ in 0..3 {
        let t = Instant::now();
        let s = m.on(&mut conn).introspect().unwrap();
        best = best.min(t.elapsed());
        schema = Some(s);
    }
    let schema = schema.unwrap();
    assert_eq!(schema.tables().count(), n);
    let t = Instant::now();
    let d = migrate_core::schema::diff(&schema, &schema);
    let diffed = t.elapsed();
    assert!(d.is_empty(), "{d:?}");
    let name = match db {
        Db::Sqlite => "SQLite",
        Db::Postgres => "PostgreSQL",
        Db::Mysql => "MariaDB",
    };
    println!(
        "{name:<10} {n} tables: introspect {:>7.3} s (best of 3), diff with itself {:.3} s, created in {:.1} s",
        best.as_secs_f64(),
        diffed.as_secs_f64(),
        created.as_secs_f64()
    );
}

fn server_of(url: &str) -> &str {
    &url[..url.rfind('/').unwrap()]
}

fn main() {
    let n: usize = std::env::var("MIGRATE_BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let name = format!("bench_introspect_{}", std::process::id());

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bench.db");
    run(Db::Sqlite, &format!("sqlite:///{}", file.display()), n);

    let pg = std::env::var("MIGRATE_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    match diesel::PgConnection::establish(&pg) {
        Ok(mut admin) => {
            diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
                .execute(&mut admin)
                .unwrap();
            run(Db::Postgres, &format!("{}/{name}", server_of(&pg)), n);
            diesel::sql_query(format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
                .execute(&mut admin)
                .unwrap();
        }
        Err(e) => println!("PostgreSQL skipped: {e}"),
    }

    let my = std::env::var("MIGRATE_TEST_MYSQL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into());
    match diesel::MysqlConnection::establish(&my) {
        Ok(mut admin) => {
            diesel::sql_query(format!("CREATE DATABASE `{name}`"))
                .execute(&mut admin)
                .unwrap();
            run(Db::Mysql, &format!("{}/{name}", server_of(&my)), n);
            diesel::sql_query(format!("DROP DATABASE `{name}`"))
                .execute(&mut admin)
                .unwrap();
        }
        Err(e) => println!("MariaDB skipped: {e}"),
    }
}
