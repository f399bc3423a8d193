//! A database created and migrated by diesel_migrations' own harness is adopted, then
//! upgraded, downgraded and checked through `migrate`, on SQLite and PostgreSQL.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use diesel::connection::SimpleConnection;
use diesel::sql_types::BigInt;
use diesel::{Connection, QueryableByName, RunQueryDsl};
use diesel_migrations::{FileBasedMigrations, MigrationHarness};
use migrate_core::diesel_compat::{Adopted, DieselCompatError, DieselMigrations};
use migrate_core::{Backend, Error, Migrator};

const V1: &str = "20240101000000";
const V2: &str = "20240201120000";
const V3: &str = "20240315083000";

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations")
}

fn pg_admin_url() -> String {
    std::env::var("MIGRATE_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A database for one test, with diesel's connection for the "before" state.
struct Db {
    backend: Backend,
    name: String,
    url: String,
    _dir: Option<tempfile::TempDir>,
}

impl Db {
    fn new(backend: Backend, test: &str) -> Db {
        let name = format!(
            "fd_{test}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        if backend == Backend::Sqlite {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite:///{}", dir.path().join("app.db").display());
            return Db {
                backend,
                name,
                url,
                _dir: Some(dir),
            };
        }
        let admin = pg_admin_url();
        let mut c = diesel::PgConnection::establish(&admin).expect("PostgreSQL is up");
        c.batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .expect("create database");
        let url = format!("{}/{name}", &admin[..admin.rfind('/').expect("db in URL")]);
        Db {
            backend,
            name,
            url,
            _dir: None,
        }
    }

    /// Run diesel's harness: apply the first `n` migrations of the folder, as diesel_cli would.
    fn diesel_applies(&self, n: usize) {
        let source = FileBasedMigrations::from_path(folder()).expect("diesel folder");
        match self.backend {
            Backend::Sqlite => {
                let path = self.url.trim_start_matches("sqlite:///");
                let mut c = diesel::SqliteConnection::establish(path).expect("sqlite");
                for _ in 0..n {
                    c.run_next_migration(source.clone())
                        .expect("diesel runs it");
                }
            }
            _ => {
                let mut c = diesel::PgConnection::establish(&self.url).expect("pg");
                for _ in 0..n {
                    c.run_next_migration(source.clone())
                        .expect("diesel runs it");
                }
            }
        }
    }

    fn exec(&self, sql: &str) {
        let url = migrate_core::DatabaseUrl::parse(&self.url).expect("url");
        let mut c =
            migrate_core::AnyConnection::establish_url(&url, std::time::Duration::from_secs(10))
                .expect("connect");
        c.batch_execute(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    fn number(&self, sql: &str) -> i64 {
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let url = migrate_core::DatabaseUrl::parse(&self.url).expect("url");
        let mut c =
            migrate_core::AnyConnection::establish_url(&url, std::time::Duration::from_secs(10))
                .expect("connect");
        let rows: Vec<N> = diesel::sql_query(sql)
            .load(&mut c)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        rows[0].n
    }

    fn table_exists(&self, table: &str) -> bool {
        let sql = match self.backend {
            Backend::Sqlite => format!("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '{table}'"),
            _ => format!("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = '{table}'"),
        };
        self.number(&sql) > 0
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if self.backend == Backend::Postgres {
            if let Ok(mut c) = diesel::PgConnection::establish(&pg_admin_url()) {
                let _ = c.batch_execute(&format!(
                    "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                    self.name
                ));
            }
        }
    }
}

fn migrator(diesel: &DieselMigrations, url: &str) -> Migrator {
    Migrator::from_registry(diesel.registry(&[]).expect("one graph"))
        .url(url)
        .expect("url")
}

fn adopt_then_continue(backend: Backend, test: &str) {
    let db = Db::new(backend, test);
    db.diesel_applies(2);
    db.exec("INSERT INTO users (id, email) VALUES (1, 'ada@example.com')");

    let diesel = DieselMigrations::load(folder()).expect("load");
    let m = migrator(&diesel, &db.url);
    assert_eq!(
        m.status().expect("status").pending,
        [V1, V2, V3],
        "before adoption everything looks pending"
    );

    // Adopt: the applied diesel versions become our version row; nothing runs.
    assert_eq!(
        diesel.adopt(&m).expect("adopt"),
        Adopted::Stamped(V2.to_owned())
    );
    assert_eq!(m.current().expect("current"), [V2]);
    assert_eq!(m.status().expect("status").pending, [V3]);
    assert_eq!(
        db.number("SELECT COUNT(*) AS n FROM users WHERE id = 1 AND name IS NULL"),
        1,
        "add_user_name did not run again (its UPDATE would have filled name)"
    );
    // Idempotent at every start-up.
    assert_eq!(
        diesel.adopt(&m).expect("adopt again"),
        Adopted::AlreadyAdopted
    );

    // Only the migration diesel had not applied runs, through diesel's own runner.
    assert_eq!(m.upgrade("heads").expect("upgrade"), [V3]);
    assert!(db.table_exists("posts"));
    db.exec("INSERT INTO posts (id, user_id, title) VALUES (1, 1, 'hello')");
    assert_eq!(m.current().expect("current"), [V3]);
    assert!(m.check().is_ok(), "check passes at head");
    assert_eq!(
        diesel.adopt(&m).expect("adopt later"),
        Adopted::AlreadyAdopted
    );

    // Downgrades run diesel's down.sql, newest first.
    assert_eq!(m.downgrade(V1).expect("downgrade"), [V3, V2]);
    assert!(!db.table_exists("posts"));
    assert_eq!(
        db.number("SELECT COUNT(*) AS n FROM users WHERE id = 1"),
        1,
        "users kept"
    );
    assert_eq!(m.downgrade("base").expect("to base"), [V1]);
    assert!(!db.table_exists("users"));
    assert_eq!(m.upgrade("heads").expect("up again"), [V1, V2, V3]);
    assert!(db.table_exists("posts"));
}

#[test]
fn sqlite_adopt_then_continue() {
    adopt_then_continue(Backend::Sqlite, "sqlite");
}

#[test]
fn postgres_adopt_then_continue() {
    adopt_then_continue(Backend::Postgres, "pg");
}

/// The folder as revisions: ids are diesel's stored versions, one chain in version order.
#[test]
fn folder_becomes_a_chain() {
    let diesel = DieselMigrations::load(folder()).expect("load");
    let revs: Vec<(&str, Vec<&str>, &str)> = diesel
        .migrations()
        .iter()
        .map(|m| {
            let down_revs = m.down_revs().iter().map(|r| r.as_ref()).collect();
            (m.rev(), down_revs, m.message())
        })
        .collect();
    assert_eq!(
        revs,
        [
            (V1, vec![], "create_users"),
            (V2, vec![V1], "add_user_name"),
            (V3, vec![V2], "create_posts"),
        ]
    );
    assert_eq!(diesel.head(), Some(V3));
    let labelled = diesel
        .clone()
        .branch_label("diesel")
        .on_top_of("0a1b2c3d4e5f");
    assert_eq!(labelled.migrations()[0].branch_labels(), ["diesel"]);
    assert_eq!(labelled.migrations()[0].down_revs(), ["0a1b2c3d4e5f"]);
    // Offline: the SQL files are what `--sql` prints.
    let ops = migrator(&diesel, "sqlite::memory:")
        .record(V3, true, migrate_core::sql::Dialect::Postgres)
        .expect("record");
    assert!(matches!(
        &ops[0],
        migrate_core::sql::Operation::Callback { offline_sql: Some(sql), .. } if sql[0].contains("CREATE TABLE posts")
    ));
}

/// Database states adoption refuses, and a migration without down.sql.
#[test]
fn refusals() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("migrations");
    for (name, up, down) in [
        (
            "2024-01-01-000000_a",
            "CREATE TABLE a (id INTEGER);",
            Some("DROP TABLE a;"),
        ),
        ("2024-01-02-000000_b", "CREATE TABLE b (id INTEGER);", None),
        (
            "2024-01-03-000000_c",
            "CREATE TABLE c (id INTEGER);",
            Some("DROP TABLE c;"),
        ),
    ] {
        std::fs::create_dir_all(dir.join(name)).expect("mkdir");
        std::fs::write(dir.join(name).join("up.sql"), up).expect("up.sql");
        if let Some(down) = down {
            std::fs::write(dir.join(name).join("down.sql"), down).expect("down.sql");
        }
    }
    let db_url = format!("sqlite:///{}", tmp.path().join("x.db").display());
    let diesel = DieselMigrations::load(&dir).expect("load");
    let m = migrator(&diesel, &db_url);
    assert_eq!(diesel.adopt(&m).expect("fresh"), Adopted::NotDieselManaged);

    // A hole: diesel applied c but not b.
    let url = migrate_core::DatabaseUrl::parse(&db_url).expect("url");
    let mut c = migrate_core::AnyConnection::establish_url(&url, std::time::Duration::from_secs(5))
        .expect("connect");
    c.batch_execute(
        "CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);
         INSERT INTO __diesel_schema_migrations (version) VALUES ('20240101000000'), ('20240103000000');",
    )
    .expect("diesel table");
    let err = diesel.adopt(&m).expect_err("gap");
    assert!(
        matches!(err, DieselCompatError::Gap { ref missing, .. } if missing == "20240102000000"),
        "{err}"
    );

    // An unknown version.
    c.batch_execute("INSERT INTO __diesel_schema_migrations (version) VALUES ('20991231000000')")
        .expect("row");
    let err = diesel.adopt(&m).expect_err("unknown");
    assert!(err.to_string().contains("20991231000000"), "{err}");

    // No down.sql: downgrading past b fails before anything runs.
    c.batch_execute("DELETE FROM __diesel_schema_migrations")
        .expect("clear");
    m.upgrade("heads").expect("upgrade");
    let err = m.downgrade("base").expect_err("irreversible");
    assert!(
        matches!(err, Error::NotReversible { ref rev, .. } if rev == "20240102000000"),
        "{err}"
    );
    assert_eq!(
        m.current().expect("current"),
        ["20240103000000"],
        "nothing ran"
    );

    // Editing an applied migration's SQL is caught by `check`.
    assert!(m.check().is_ok());
    std::fs::write(
        dir.join("2024-01-01-000000_a").join("up.sql"),
        "CREATE TABLE a (id INTEGER, edited INTEGER);",
    )
    .expect("edit");
    let edited = DieselMigrations::load(&dir).expect("reload");
    let err = migrator(&edited, &db_url).check().expect_err("edited");
    assert!(
        matches!(err, Error::ChecksumMismatch { ref rev, .. } if rev == "20240101000000"),
        "{err}"
    );
}
