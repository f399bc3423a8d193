//! `table_lock_timeout` and `lock_retries` on real databases: a second connection holds a
//! lock on the table a migration alters; the migration fails with an error naming the table
//! it waited for (nothing applied), and with retries it succeeds once the lock is released.
//! Outcomes are asserted (errors, version rows, columns), not timings.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::mpsc;
use std::time::Duration;

use common::{Events, TestDb};
use migrate_core::sql::Type;
use migrate_core::{
    AnyMigration, Backend, Error, Event, MigrationList, Migrator, StatementTimeouts,
};

/// i1 creates `items`; i2 adds a column to it (ops DSL, so the error can name the table).
fn migrations() -> MigrationList {
    MigrationList::new()
        .with(AnyMigration::builder("i1", |op| {
            op.execute_reversible("CREATE TABLE items (id INT)", "DROP TABLE items")?;
            Ok(())
        }))
        .with(
            AnyMigration::builder("i2", |op| {
                op.add_column("items", "note", Type::Text)?;
                Ok(())
            })
            .down_rev("i1"),
        )
}

fn limits(retries: u32) -> StatementTimeouts {
    StatementTimeouts {
        table_lock: Some(Duration::from_millis(200)),
        statement: None,
        lock_retries: retries,
    }
}

/// Another session: takes the table lock, says so, and releases it when told.
fn hold_lock(db: &TestDb, release: mpsc::Receiver<()>) -> std::thread::JoinHandle<()> {
    let url = db.url.clone();
    let backend = db.backend;
    let (locked, is_locked) = mpsc::channel();
    let holder = std::thread::spawn(move || {
        let url = migrate_core::DatabaseUrl::parse(&url).unwrap();
        let mut conn =
            migrate_core::AnyConnection::establish_url(&url, Duration::from_secs(30)).unwrap();
        let (take, free) = match backend {
            Backend::Postgres => ("BEGIN; LOCK TABLE items IN ACCESS EXCLUSIVE MODE", "COMMIT"),
            // SQLite locks the whole database for a writer.
            Backend::Sqlite => ("BEGIN IMMEDIATE", "COMMIT"),
            _ => ("LOCK TABLES items WRITE", "UNLOCK TABLES"),
        };
        diesel::connection::SimpleConnection::batch_execute(&mut conn, take).unwrap();
        locked.send(()).unwrap();
        // Released when told, or after 30 s, so that a migration that ignored the limit
        // (and waited) fails the test instead of hanging it.
        let _ = release.recv_timeout(Duration::from_secs(30));
        diesel::connection::SimpleConnection::batch_execute(&mut conn, free).unwrap();
    });
    is_locked.recv().unwrap();
    holder
}

fn migrator(db: &TestDb, list: &MigrationList, retries: u32) -> Migrator {
    Migrator::new(list)
        .unwrap()
        .url(&db.url)
        .unwrap()
        .statement_timeouts(limits(retries))
}

fn a_held_table_lock_fails_the_migration_naming_the_table(backend: Backend) {
    let db = TestDb::new(backend, "tlock");
    let list = migrations();
    migrator(&db, &list, 0).upgrade("i1").unwrap();
    let (release, released) = mpsc::channel();
    let holder = hold_lock(&db, released);
    let err = migrator(&db, &list, 0).upgrade("head").unwrap_err();
    release.send(()).unwrap();
    holder.join().unwrap();
    assert!(matches!(err, Error::StatementLockTimeout { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("migration i2 failed: waited longer than table_lock_timeout (0.200 s) for a lock on table items, which another session holds, on 1 attempt(s)"),
        "{text}"
    );
    assert_eq!(db.rows(), ["i1"], "i2 is not applied");
    // Once the lock is free, the same migration runs.
    migrator(&db, &list, 0).upgrade("head").unwrap();
    assert_eq!(db.rows(), ["i2"]);
}

fn with_lock_retries_it_succeeds_once_the_lock_is_released(backend: Backend) {
    let db = TestDb::new(backend, "tretry");
    let list = migrations();
    migrator(&db, &list, 0).upgrade("i1").unwrap();
    let (release, released) = mpsc::channel();
    let holder = hold_lock(&db, released);
    let events = Events::default();
    let sink = events.sink();
    // The holder lets go when the first retry is announced: the migration has failed once.
    let release = std::sync::Mutex::new(Some(release));
    let m = migrator(&db, &list, 5).on_event(move |e| {
        if matches!(e, Event::Warning { message, .. } if message.contains("retry 1 of 5")) {
            if let Some(tx) = release.lock().unwrap().take() {
                let _ = tx.send(());
            }
        }
        sink(e);
    });
    assert_eq!(m.upgrade("head").unwrap(), ["i2"]);
    holder.join().unwrap();
    assert_eq!(db.rows(), ["i2"]);
    let note = match backend {
        Backend::Postgres => "SELECT COUNT(*) AS n FROM information_schema.columns WHERE table_name = 'items' AND column_name = 'note'",
        _ => "SELECT COUNT(*) AS n FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'items' AND column_name = 'note'",
    };
    assert_eq!(db.count(note), 1);
    let warned = events
        .all()
        .iter()
        .any(|e| matches!(e, Event::Warning { message, .. } if message.contains("timed out waiting for a lock and was rolled back")));
    assert!(warned);
}

/// A migration's own `table_lock_timeout` (the attribute's key) applies with none in the
/// migrator's settings.
fn a_migrations_own_limit_applies(backend: Backend) {
    let db = TestDb::new(backend, "town");
    let own = MigrationList::new()
        .with(AnyMigration::builder("i1", |op| {
            op.execute_reversible("CREATE TABLE items (id INT)", "DROP TABLE items")?;
            Ok(())
        }))
        .with(
            AnyMigration::builder("i2", |op| {
                op.add_column("items", "note", Type::Text)?;
                Ok(())
            })
            .down_rev("i1")
            .timeouts(Some(Duration::from_millis(200)), None),
        );
    let plain = |db: &TestDb| Migrator::new(&own).unwrap().url(&db.url).unwrap();
    plain(&db).upgrade("i1").unwrap();
    let (release, released) = mpsc::channel();
    let holder = hold_lock(&db, released);
    let err = plain(&db).upgrade("head").unwrap_err();
    release.send(()).unwrap();
    holder.join().unwrap();
    assert!(matches!(err, Error::StatementLockTimeout { .. }), "{err}");
    assert_eq!(db.rows(), ["i1"]);
}

/// SQLite: a migration outside a transaction takes the write lock statement by statement,
/// waiting `busy_timeout` (which `table_lock_timeout` sets for it; the setting itself is
/// checked in the backend's unit test); the error names the table.
fn sqlite_outside_a_transaction_waits_table_lock_timeout(backend: Backend) {
    let db = TestDb::new(backend, "tsqlite");
    let list = MigrationList::new()
        .with(AnyMigration::builder("i1", |op| {
            op.execute_reversible("CREATE TABLE items (id INT)", "DROP TABLE items")?;
            Ok(())
        }))
        .with(
            AnyMigration::builder("i2", |op| {
                op.add_column("items", "note", Type::Text)?;
                Ok(())
            })
            .down_rev("i1")
            .transactional(false),
        );
    migrator(&db, &list, 0).upgrade("i1").unwrap();
    let (release, released) = mpsc::channel();
    let holder = hold_lock(&db, released);
    // The failure's history row waits for the lock too: `lock_timeout` bounds that.
    let err = migrator(&db, &list, 0)
        .lock_timeout(Duration::from_secs(1))
        .upgrade("head")
        .unwrap_err();
    release.send(()).unwrap();
    holder.join().unwrap();
    assert!(matches!(err, Error::StatementLockTimeout { .. }), "{err}");
    assert!(
        err.to_string().contains("for a lock on table items"),
        "{err}"
    );
    assert_eq!(db.rows(), ["i1"]);
}

mod sqlite {
    #[test]
    fn outside_a_transaction_waits_table_lock_timeout() {
        super::sqlite_outside_a_transaction_waits_table_lock_timeout(migrate_core::Backend::Sqlite);
    }
}

mod postgres {
    #[test]
    fn a_migrations_own_limit_applies() {
        super::a_migrations_own_limit_applies(migrate_core::Backend::Postgres);
    }

    #[test]
    fn a_held_table_lock_fails_the_migration_naming_the_table() {
        super::a_held_table_lock_fails_the_migration_naming_the_table(
            migrate_core::Backend::Postgres,
        );
    }

    #[test]
    fn with_lock_retries_it_succeeds_once_the_lock_is_released() {
        super::with_lock_retries_it_succeeds_once_the_lock_is_released(
            migrate_core::Backend::Postgres,
        );
    }
}

mod mysql {
    /// MariaDB commits DDL as it runs, so a lock timeout fails the migration (named) and is
    /// not retried; the next run applies it.
    #[test]
    fn a_held_table_lock_fails_the_migration_naming_the_table() {
        super::a_held_table_lock_fails_the_migration_naming_the_table(migrate_core::Backend::Mysql);
    }
}
