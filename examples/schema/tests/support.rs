//! A fresh database per test on each backend: an SQLite file in a temporary directory, or a
//! PostgreSQL / MariaDB database created for the test and dropped afterwards.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Text};
use diesel::{Connection, QueryableByName, RunQueryDsl};
use migrate_core::{AnyConnection, Backend, DatabaseUrl, Migrator};

/// The server the PostgreSQL tests create their databases on.
pub(crate) fn pg_admin_url() -> String {
    std::env::var("MIGRATE_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// The server the MariaDB tests create their databases on.
pub(crate) fn mysql_admin_url() -> String {
    std::env::var("MIGRATE_TEST_MYSQL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into())
}

fn server_of(url: &str) -> &str {
    &url[..url.rfind('/').expect("admin URL names a database")]
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A database that exists for one test.
pub(crate) struct TestDb {
    pub(crate) backend: Backend,
    pub(crate) name: String,
    pub(crate) url: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub(crate) fn new(backend: Backend, test: &str) -> TestDb {
        let name = format!(
            "ex_{test}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        let (url, dir) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let path = dir.path().join(format!("{name}.db"));
                (format!("sqlite:///{}", path.display()), Some(dir))
            }
            Backend::Postgres => {
                let admin = pg_admin_url();
                let mut c = diesel::PgConnection::establish(&admin)
                    .expect("PostgreSQL is up (scripts/databases)");
                c.batch_execute(&format!("CREATE DATABASE \"{name}\""))
                    .expect("create database");
                (format!("{}/{name}", server_of(&admin)), None)
            }
            _ => {
                let admin = mysql_admin_url();
                let mut c = diesel::MysqlConnection::establish(&admin)
                    .expect("MariaDB is up (scripts/databases)");
                c.batch_execute(&format!("CREATE DATABASE `{name}`"))
                    .expect("create database");
                (format!("{}/{name}", server_of(&admin)), None)
            }
        };
        TestDb {
            backend,
            name,
            url,
            _dir: dir,
        }
    }

    pub(crate) fn migrator(&self) -> Migrator {
        Migrator::new(&[&example_schema::MIGRATIONS])
            .expect("the example migrations form a valid graph")
            .url(&self.url)
            .expect("test URL parses")
    }

    /// A connection (with foreign keys enforced on SQLite, as an application turns them on).
    pub(crate) fn conn(&self) -> AnyConnection {
        let url = DatabaseUrl::parse(&self.url).expect("url");
        let mut conn =
            AnyConnection::establish_url(&url, Duration::from_secs(30)).expect("connect");
        if self.backend == Backend::Sqlite {
            conn.batch_execute("PRAGMA foreign_keys = ON")
                .expect("foreign keys on");
        }
        conn
    }

    pub(crate) fn exec(&self, sql: &str) {
        self.conn()
            .batch_execute(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    pub(crate) fn try_exec(&self, sql: &str) -> Result<(), diesel::result::Error> {
        self.conn().batch_execute(sql)
    }

    /// The single BIGINT column `n` of the first row of `sql`.
    pub(crate) fn number(&self, sql: &str) -> i64 {
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let rows: Vec<N> = diesel::sql_query(sql)
            .load(&mut self.conn())
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        rows[0].n
    }

    /// The text column `s` of every row of `sql`.
    pub(crate) fn strings(&self, sql: &str) -> Vec<String> {
        #[derive(QueryableByName)]
        struct S {
            #[diesel(sql_type = Text)]
            s: String,
        }
        let rows: Vec<S> = diesel::sql_query(sql)
            .load(&mut self.conn())
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        rows.into_iter().map(|r| r.s).collect()
    }

    /// The user tables (not the version and history tables), sorted.
    pub(crate) fn tables(&self) -> Vec<String> {
        let sql = match self.backend {
            Backend::Sqlite => "SELECT name AS s FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'migrate_%' ORDER BY name",
            Backend::Postgres => "SELECT tablename::text AS s FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'migrate_%' ORDER BY tablename",
            _ => "SELECT CAST(table_name AS CHAR) AS s FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name NOT LIKE 'migrate_%' ORDER BY table_name",
        };
        self.strings(sql)
    }

    /// The index names of `table`, sorted.
    pub(crate) fn indexes(&self, table: &str) -> Vec<String> {
        let sql = match self.backend {
            Backend::Sqlite => format!("SELECT name AS s FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}' AND name LIKE 'ix_%' ORDER BY name"),
            Backend::Postgres => format!("SELECT indexname::text AS s FROM pg_indexes WHERE tablename = '{table}' AND indexname LIKE 'ix_%' ORDER BY indexname"),
            _ => format!("SELECT DISTINCT CAST(index_name AS CHAR) AS s FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = '{table}' AND index_name LIKE 'ix_%' ORDER BY s"),
        };
        self.strings(&sql)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match self.backend {
            Backend::Postgres => {
                if let Ok(mut c) = diesel::PgConnection::establish(&pg_admin_url()) {
                    let _ = c.batch_execute(&format!(
                        "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                        self.name
                    ));
                }
            }
            Backend::Mysql => {
                if let Ok(mut c) = diesel::MysqlConnection::establish(&mysql_admin_url()) {
                    let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS `{}`", self.name));
                }
            }
            _ => {}
        }
    }
}
