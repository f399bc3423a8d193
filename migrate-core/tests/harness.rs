//! `Harness`: the commands on a Diesel connection the application holds (typed, or from an
//! r2d2 pool), with no connection opened from a URL.

#![allow(clippy::unwrap_used)]

mod common;

use common::{TestDb, LINEAR_SET};
use diesel::r2d2::{ConnectionManager, Pool, R2D2Connection};
use diesel::sql_types::BigInt;
use diesel::{Connection, QueryableByName, RunQueryDsl};
use migrate_core::{AnyMigration, Backend, Error, Harness, MigrationList, Migrator};

/// The migrator has no URL: every command below runs on the connection given.
fn migrator() -> Migrator {
    Migrator::new(&[&LINEAR_SET]).unwrap()
}

fn connect_target(db: &TestDb) -> String {
    match db.url.strip_prefix("sqlite:///") {
        Some(path) => path.to_owned(),
        None => db.url.clone(),
    }
}

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Generic code over any harness (this is what a pooled connection itself implements).
fn start_up<C: Harness>(conn: &mut C, m: &Migrator) -> Vec<String> {
    conn.upgrade(m, "head").unwrap()
}

fn pooled<C>(backend: Backend)
where
    C: Harness + R2D2Connection + diesel::connection::LoadConnection + 'static,
    C::Backend: diesel::backend::Backend,
{
    let db = TestDb::new(backend, "pooled");
    let pool: Pool<ConnectionManager<C>> = Pool::builder()
        .max_size(2)
        .build(ConnectionManager::new(connect_target(&db)))
        .unwrap();
    let m = migrator();
    let mut conn = pool.get().unwrap();

    let err = conn.ensure_at_head(&m).unwrap_err();
    assert!(matches!(err, Error::NotAtHead { .. }), "{err}");
    assert!(conn.current(&m).unwrap().is_empty());

    assert_eq!(conn.upgrade(&m, "b2").unwrap(), ["a1", "b2"]);
    assert_eq!(db.rows(), ["b2"]);
    assert_eq!(start_up(&mut conn, &m), ["c3"]);
    assert_eq!(db.rows(), ["c3"]);
    assert!(db.has_table("t_a1") && db.has_table("t_b2") && db.has_table("t_c3"));
    drop(conn);

    // Another connection of the pool sees the same state.
    let mut other = pool.get().unwrap();
    assert_eq!(other.current(&m).unwrap(), ["c3"]);
    let status = other.ensure_at_head(&m).unwrap();
    assert_eq!(status.current, ["c3"]);
    assert!(status.is_up_to_date());
    assert_eq!(other.downgrade(&m, "-1").unwrap(), ["c3"]);
    assert_eq!(db.rows(), ["b2"]);
    assert!(!db.has_table("t_c3"));
    assert_eq!(m.status_on(&mut other).pending, ["c3"]);
}

/// Status through `with_session`, the one required method.
trait StatusOn {
    fn status_on<C: Harness>(&self, conn: &mut C) -> migrate_core::Status;
}
impl StatusOn for Migrator {
    fn status_on<C: Harness>(&self, conn: &mut C) -> migrate_core::Status {
        conn.with_session(self, |s| s.status()).unwrap()
    }
}

#[test]
fn r2d2_pooled_postgres_connection() {
    pooled::<diesel::PgConnection>(Backend::Postgres);
}

#[test]
fn r2d2_pooled_sqlite_connection() {
    pooled::<diesel::SqliteConnection>(Backend::Sqlite);
}

#[test]
fn r2d2_pooled_mysql_connection() {
    pooled::<diesel::MysqlConnection>(Backend::Mysql);
}

#[test]
fn a_typed_connection_is_lent_and_given_back() {
    let db = TestDb::new(Backend::Postgres, "typed");
    let mut conn = diesel::PgConnection::establish(&db.url).unwrap();
    let m = migrator();
    assert_eq!(conn.upgrade(&m, "head").unwrap(), ["a1", "b2", "c3"]);
    assert_eq!(conn.current(&m).unwrap(), ["c3"]);
    assert!(conn.ensure_at_head(&m).is_ok());
    assert!(conn.check(&m).is_ok());
    // Still the application's connection, usable as before.
    let n: Vec<N> = diesel::sql_query("SELECT COUNT(*) AS n FROM t_c3")
        .load(&mut conn)
        .unwrap();
    assert_eq!(n[0].n, 0);
    assert_eq!(db.rows(), ["c3"]);
}

/// `p1`, then `p2` whose Rust step panics when `panics` (at run time, inside its
/// transaction, with the lock held).
fn panicking(panics: bool) -> MigrationList {
    MigrationList::new()
        .with(AnyMigration::builder("p1", |op| {
            op.execute_reversible("CREATE TABLE t_p1 (id INT)", "DROP TABLE t_p1")?;
            Ok(())
        }))
        .with(
            AnyMigration::builder("p2", move |op| {
                op.execute("CREATE TABLE t_p2 (id INT)")?;
                op.run(move |_| {
                    assert!(!panics, "boom in p2");
                    Ok(())
                })?;
                Ok(())
            })
            .down_rev("p1"),
        )
}

#[test]
fn a_panicking_migration_gives_the_connection_back() {
    let db = TestDb::new(Backend::Postgres, "panic");
    let mut conn = diesel::PgConnection::establish(&db.url).unwrap();
    let m = Migrator::new(&panicking(true)).unwrap();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = conn.upgrade(&m, "head");
    }));
    let payload = caught.unwrap_err();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom in p2"));

    // The connection came back out of the failed transaction: p1 applied, p2 rolled back.
    assert_eq!(conn.current(&m).unwrap(), ["p1"]);
    let n: Vec<N> = diesel::sql_query("SELECT COUNT(*) AS n FROM t_p1")
        .load(&mut conn)
        .unwrap();
    assert_eq!(n[0].n, 0);
    assert_eq!(db.rows(), ["p1"]);
    assert!(!db.has_table("t_p2"));

    // And the lock was released: another connection migrates while this one stays open.
    let fixed = Migrator::new(&panicking(false))
        .unwrap()
        .url(&db.url)
        .unwrap()
        .lock_timeout(std::time::Duration::from_secs(5));
    assert_eq!(fixed.upgrade("head").unwrap(), ["p2"]);
    assert_eq!(conn.current(&m).unwrap(), ["p2"]);
}
