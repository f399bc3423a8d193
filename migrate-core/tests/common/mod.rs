//! Test support: a fresh database per test on each backend (a SQLite file, a PostgreSQL
//! database, a MariaDB database), dropped afterwards; and helpers to define migrations.

#![allow(dead_code, unreachable_pub, clippy::unwrap_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use diesel::sql_types::BigInt;
use diesel::{Connection, QueryableByName, RunQueryDsl};
use migrate_core::{AnyConnection, Backend, Event, MigrationSet, Migrator};

pub fn pg_admin_url() -> String {
    std::env::var("MIGRATE_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

pub fn mysql_admin_url() -> String {
    std::env::var("MIGRATE_TEST_MYSQL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into())
}

fn server_of(url: &str) -> &str {
    &url[..url.rfind('/').expect("admin URL has a database")]
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A database that exists for one test.
pub struct TestDb {
    pub backend: Backend,
    pub name: String,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub fn new(backend: Backend, test: &str) -> TestDb {
        let name = format!(
            "mt_{}_{}_{}",
            test,
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!(
                    "sqlite:///{}",
                    dir.path().join(format!("{name}.db")).display()
                );
                TestDb {
                    backend,
                    name,
                    url,
                    _dir: Some(dir),
                }
            }
            Backend::Postgres => {
                let admin = pg_admin_url();
                let mut c = diesel::PgConnection::establish(&admin)
                    .expect("PostgreSQL is up (scripts/databases)");
                diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
                    .execute(&mut c)
                    .expect("create database");
                let url = format!("{}/{name}", server_of(&admin));
                TestDb {
                    backend,
                    name,
                    url,
                    _dir: None,
                }
            }
            Backend::Mysql => {
                let admin = mysql_admin_url();
                let mut c = diesel::MysqlConnection::establish(&admin)
                    .expect("MariaDB is up (scripts/databases)");
                diesel::sql_query(format!("CREATE DATABASE `{name}`"))
                    .execute(&mut c)
                    .expect("create database");
                let url = format!("{}/{name}", server_of(&admin));
                TestDb {
                    backend,
                    name,
                    url,
                    _dir: None,
                }
            }
            _ => unreachable!(),
        }
    }

    pub fn conn(&self) -> AnyConnection {
        let url = migrate_core::DatabaseUrl::parse(&self.url).expect("url");
        AnyConnection::establish_url(&url, std::time::Duration::from_secs(30)).expect("connect")
    }

    pub fn migrator(&self, sets: &[&MigrationSet]) -> Migrator {
        Migrator::new(sets)
            .expect("valid migrations")
            .url(&self.url)
            .expect("url")
    }

    /// Wait until no other session is connected to the database: a killed client's server
    /// session may still be finishing the COMMIT it sent just before the kill, so what the
    /// database holds is only settled once that session is gone.
    pub fn settle(&self) {
        let sql = match self.backend {
            Backend::Postgres => "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
            Backend::Mysql => "SELECT COUNT(*) AS n FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID()",
            _ => return,
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while self.count(sql) > 0 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// Whether table `t` exists.
    pub fn has_table(&self, t: &str) -> bool {
        let sql = match self.backend {
            Backend::Sqlite => format!("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '{t}'"),
            Backend::Postgres => format!("SELECT COUNT(*) AS n FROM pg_tables WHERE schemaname = 'public' AND tablename = '{t}'"),
            _ => format!("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '{t}'"),
        };
        self.count(&sql) > 0
    }

    pub fn count(&self, sql: &str) -> i64 {
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let rows: Vec<N> = diesel::sql_query(sql)
            .load(&mut self.conn())
            .expect("count query");
        rows[0].n
    }

    pub fn exec(&self, sql: &str) {
        diesel::sql_query(sql)
            .execute(&mut self.conn())
            .expect("statement");
    }

    /// The version rows, sorted.
    pub fn rows(&self) -> Vec<String> {
        #[derive(QueryableByName)]
        struct R {
            #[diesel(sql_type = diesel::sql_types::Text)]
            version_num: String,
        }
        let rows: Vec<R> = diesel::sql_query("SELECT version_num FROM migrate_version")
            .load(&mut self.conn())
            .expect("version rows");
        let mut v: Vec<String> = rows.into_iter().map(|r| r.version_num).collect();
        v.sort();
        v
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match self.backend {
            Backend::Postgres => {
                if let Ok(mut c) = diesel::PgConnection::establish(&pg_admin_url()) {
                    let _ = diesel::sql_query(format!(
                        "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                        self.name
                    ))
                    .execute(&mut c);
                }
            }
            Backend::Mysql => {
                if let Ok(mut c) = diesel::MysqlConnection::establish(&mysql_admin_url()) {
                    let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS `{}`", self.name))
                        .execute(&mut c);
                }
            }
            _ => {}
        }
    }
}

/// Collects events.
#[derive(Clone, Default)]
pub struct Events(pub Arc<Mutex<Vec<Event>>>);

impl Events {
    pub fn sink(&self) -> impl Fn(&Event) + Send + Sync + 'static {
        let inner = Arc::clone(&self.0);
        move |e: &Event| inner.lock().expect("events").push(e.clone())
    }
    pub fn all(&self) -> Vec<Event> {
        self.0.lock().expect("events").clone()
    }
}

/// Sorted strings.
pub fn sorted<S: AsRef<str>>(v: &[S]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| s.as_ref().to_string()).collect();
    v.sort();
    v
}

/// A migration creating table `t_<rev>`; its downgrade is derived (drops it).
#[macro_export]
macro_rules! table_migration {
    ($rev:literal, [$($down:literal),*] $(, deps = [$($dep:literal),*])? $(, labels = [$($label:literal),*])?) => {
        migrate_core::Migration::__new(
            $rev,
            &[$($down),*],
            &[$($($dep),*)?],
            &[$($($label),*)?],
            concat!("create t_", $rev),
            concat!("sum-", $rev),
            concat!("tests/versions/", $rev, ".rs"),
            1,
            |op| {
                op.execute_reversible(
                    concat!("CREATE TABLE t_", $rev, " (id INT)"),
                    concat!("DROP TABLE t_", $rev),
                )?;
                Ok(())
            },
            None,
            true,
        )
    };
}

/// Defines `#[test]`s `sqlite::NAME`, `postgres::NAME` and `mysql::NAME` for each
/// `fn NAME(backend: Backend)` listed.
#[macro_export]
macro_rules! on_each_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite { $( #[test] fn $name() { super::$name(migrate_core::Backend::Sqlite) } )* }
        mod postgres { $( #[test] fn $name() { super::$name(migrate_core::Backend::Postgres) } )* }
        mod mysql { $( #[test] fn $name() { super::$name(migrate_core::Backend::Mysql) } )* }
    };
}

/// Three tables in a line: a1 → b2 → c3.
pub static LINEAR: [migrate_core::Migration; 3] = [
    table_migration!("a1", []),
    table_migration!("b2", ["a1"]),
    table_migration!("c3", ["b2"]),
];
/// [`LINEAR`] as a set.
pub static LINEAR_SET: MigrationSet = MigrationSet::__new("linear", &LINEAR);
