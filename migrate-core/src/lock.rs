//! The database lock every writing command takes first: a PostgreSQL advisory lock, a MySQL
//! `GET_LOCK`, or on SQLite the write lock of `BEGIN IMMEDIATE` (per transaction).

use std::thread;
use std::time::{Duration, Instant};

use crate::backend;
pub(crate) use crate::backend::Held;
use crate::connection::{self, AnyConnection};
use crate::error::{Error, Result};
use crate::event::Event;
use crate::version_table::Tables;

/// Take the session lock for `tables` (the backend's: an advisory lock, `GET_LOCK`, or
/// nothing where each write transaction locks), waiting up to `timeout`.
pub(crate) fn acquire(
    conn: &mut AnyConnection,
    tables: &Tables,
    timeout: Duration,
    emit: &dyn Fn(&Event),
) -> Result<Held> {
    backend::of(tables.dialect).lock(conn, tables, timeout, emit)
}

/// Try once; if busy, report waiting and retry (`wait` may block up to the time left) until
/// `timeout` has passed.
pub(crate) fn wait_for(
    conn: &mut AnyConnection,
    lock: &str,
    timeout: Duration,
    emit: &dyn Fn(&Event),
    try_once: impl Fn(&mut AnyConnection) -> Result<bool>,
    wait: impl Fn(&mut AnyConnection, Duration) -> Result<bool>,
) -> Result<()> {
    if try_once(conn)? {
        return Ok(());
    }
    let start = Instant::now();
    emit(&Event::LockWaiting {
        lock: lock.to_string(),
        timeout,
    });
    let mut pause = Duration::from_millis(10);
    loop {
        let left = timeout.saturating_sub(start.elapsed());
        if left.is_zero() {
            return Err(Error::LockTimeout {
                waited: start.elapsed(),
                lock: lock.to_string(),
            });
        }
        if wait(conn, left)? {
            emit(&Event::LockAcquired {
                lock: lock.to_string(),
                waited: start.elapsed(),
            });
            return Ok(());
        }
        thread::sleep(pause.min(timeout.saturating_sub(start.elapsed())));
        pause = (pause * 2).min(Duration::from_millis(200));
    }
}

/// Release a session lock.
pub(crate) fn release(conn: &mut AnyConnection, held: &Held) -> Result<()> {
    backend::of(conn.dialect()).unlock(conn, held)
}

fn is_busy(e: &diesel::result::Error) -> bool {
    let s = e.to_string();
    s.contains("database is locked") || s.contains("database table is locked")
}

/// [`begin_write`] followed by `then` (a transaction setting such as PostgreSQL's
/// `SET LOCAL synchronous_commit = off`): where the begin does not wait for writers, both go
/// in one round trip.
pub(crate) fn begin_write_then(
    conn: &mut AnyConnection,
    lock_with: Option<Duration>,
    emit: &dyn Fn(&Event),
    then: Option<&str>,
) -> Result<()> {
    match then {
        None => begin_write(conn, lock_with, emit),
        Some(sql) if !backend::of(conn.dialect()).begin_waits_for_writers() => {
            connection::begin_then(conn, sql).map_err(Error::db("beginning a transaction"))
        }
        Some(sql) => {
            begin_write(conn, lock_with, emit)?;
            connection::batch(conn, sql)
                .map_err(Error::db("configuring the migration's transaction"))
        }
    }
}

/// Begin a write transaction. On SQLite this is `BEGIN IMMEDIATE`, which takes the write lock:
/// if another writer has it, report waiting and wait up to `timeout`.
pub(crate) fn begin_write(
    conn: &mut AnyConnection,
    lock_with: Option<Duration>,
    emit: &dyn Fn(&Event),
) -> Result<()> {
    let timeout = match lock_with {
        Some(t) if backend::of(conn.dialect()).begin_waits_for_writers() => t,
        _ => {
            return connection::begin(conn).map_err(Error::db("beginning a transaction"));
        }
    };
    let set_busy = |conn: &mut AnyConnection, d: Duration| {
        connection::batch(conn, &format!("PRAGMA busy_timeout = {}", d.as_millis()))
            .map_err(Error::db("setting the SQLite busy timeout"))
    };
    set_busy(conn, Duration::ZERO)?;
    let first = connection::begin(conn);
    set_busy(conn, timeout)?;
    match first {
        Ok(()) => return Ok(()),
        Err(e) if is_busy(&e) => {}
        Err(e) => return Err(Error::db("beginning a transaction")(e)),
    }
    let lock = "SQLite write lock".to_string();
    let start = Instant::now();
    emit(&Event::LockWaiting {
        lock: lock.clone(),
        timeout,
    });
    match connection::begin(conn) {
        Ok(()) => {
            emit(&Event::LockAcquired {
                lock,
                waited: start.elapsed(),
            });
            Ok(())
        }
        Err(e) if is_busy(&e) => Err(Error::LockTimeout {
            waited: start.elapsed(),
            lock,
        }),
        Err(e) => Err(Error::db("beginning a transaction")(e)),
    }
}
