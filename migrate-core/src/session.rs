//! The commands, on one connection: each writing command takes the lock, creates the tables if
//! needed, re-reads the version rows, verifies them against the linked migrations, plans and
//! runs. Read-only commands create nothing.

use std::time::SystemTime;

use migrate_graph::{Direction, GraphError, Plan};

use crate::connection::{self, AnyConnection};
use crate::error::{Error, Result};
use crate::event::Event;
use crate::executor::{self, Context, Outcome};
use crate::history::{Entry, HistoryDirection, HistoryEntry};
use crate::lock;
use crate::migrator::{Migrator, Status};
use crate::version_table::{apply_in_memory, Tables};

/// A [`Migrator`] working on one connection (see [`Migrator::on`]).
pub struct Session<'m, 'c> {
    m: &'m Migrator,
    conn: &'c mut AnyConnection,
    tables: Tables,
}

impl<'m, 'c> Session<'m, 'c> {
    pub(crate) fn new(m: &'m Migrator, conn: &'c mut AnyConnection) -> Session<'m, 'c> {
        let tables = m.tables(conn.dialect());
        Session { m, conn, tables }
    }

    /// The connection.
    pub fn connection(&mut self) -> &mut AnyConnection {
        self.conn
    }

    /// The migrator it works for.
    pub fn migrator(&self) -> &'m Migrator {
        self.m
    }

    /// See [`Migrator::current`].
    pub fn current(&mut self) -> Result<Vec<String>> {
        self.tables.read_rows(self.conn)
    }

    /// See [`Migrator::history`].
    pub fn history(&mut self, limit: usize) -> Result<Vec<HistoryEntry>> {
        self.tables.read_history(self.conn, limit)
    }

    /// See [`Migrator::status`].
    pub fn status(&mut self) -> Result<Status> {
        let rows = self.current()?;
        self.m.status_of(rows)
    }

    /// See [`Migrator::check`].
    pub fn check(&mut self) -> Result<Status> {
        let status = self.m.require_up_to_date(self.status()?)?;
        // One read of the history table answers both questions below.
        let recorded = self.tables.read_recorded(self.conn)?;
        if let Some(recorded) = &recorded {
            let mut rows = status.current.clone();
            rows.sort();
            if let Some(rev) = rows.iter().find(|r| !recorded.present.contains(*r)) {
                return Err(Error::MissingHistory {
                    rev: rev.clone(),
                    table: self.tables.version_display(),
                    history: self.tables.history_display(),
                    rows: rows.join(" "),
                });
            }
        }
        let applied_sums = recorded.map(|r| r.checksums).unwrap_or_default();
        if let Some((rev, applied, current)) = self
            .edited_from(&applied_sums, &status.current)
            .into_iter()
            .next()
        {
            return Err(Error::ChecksumMismatch {
                rev,
                applied,
                current,
            });
        }
        if self.m.drift_enabled() {
            let drift = crate::drift::drift(self.m, self.conn, &status.current)?;
            for d in &drift.not_checked {
                self.m.emit(&Event::Warning {
                    revision: None,
                    message: format!("schema drift: {d}"),
                });
            }
            drift.into_result()?;
        }
        Ok(status)
    }

    /// See [`Migrator::introspect`].
    pub fn introspect(&mut self) -> Result<migrate_schema::Schema> {
        crate::drift::introspect(self.m, self.conn)
    }

    /// See [`Migrator::introspect_schemas`].
    pub fn introspect_schemas(&mut self, schemas: &[String]) -> Result<migrate_schema::Schema> {
        crate::drift::introspect_schemas(self.m, self.conn, schemas)
    }

    /// See [`Migrator::drift`].
    pub fn drift(&mut self) -> Result<crate::Drift> {
        let rows = self.current()?;
        crate::drift::drift(self.m, self.conn, &rows)
    }

    /// See [`Migrator::ensure_at_head`].
    pub fn ensure_at_head(&mut self) -> Result<Status> {
        let status = self.m.require_up_to_date(self.status()?)?;
        self.warn_edited(&status.current)?;
        Ok(status)
    }

    /// See [`Migrator::upgrade`].
    pub fn upgrade(&mut self, target: &str) -> Result<Vec<String>> {
        self.migrate(target, Direction::Up)
    }

    /// See [`Migrator::downgrade`].
    pub fn downgrade(&mut self, target: &str) -> Result<Vec<String>> {
        self.migrate(target, Direction::Down)
    }

    /// See [`Migrator::stamp`].
    pub fn stamp(&mut self, targets: &[&str], purge: bool) -> Result<Vec<String>> {
        let targets: Vec<String> = targets.iter().map(|t| self.m.on_branch(t)).collect();
        let targets: Vec<&str> = targets.iter().map(String::as_str).collect();
        let targets = targets.as_slice();
        self.locked(|s| {
            // Resolve the targets first: a bad one creates nothing.
            let before = s.tables.read_rows(s.conn)?;
            if !purge {
                if let Some(rev) = s.m.registry().unknown_row(&before) {
                    return Err(s.m.unknown(rev));
                }
            }
            s.m.graph().plan_stamp(&before, targets, purge)?;
            s.ensure_tables()?;
            let (_, lock_timeout, _) = s.m.settings();
            lock::begin_write(s.conn, lock_timeout, &|e| s.m.emit(e))?;
            let result = s.stamp_in_transaction(targets, purge);
            match result {
                Ok(rows) => {
                    connection::commit(s.conn).map_err(Error::db("committing the stamp"))?;
                    s.warn_drift_after_stamp(&rows);
                    Ok(rows)
                }
                Err(e) => {
                    let _ = connection::rollback(s.conn);
                    Err(e)
                }
            }
        })
    }

    /// Adopting an existing database with `stamp`: say (as warnings, the stamp stands) where
    /// its schema is not what the migrations build at the stamped revisions. Best effort: a
    /// comparison that cannot run is a warning too.
    fn warn_drift_after_stamp(&mut self, rows: &[String]) {
        if !self.m.drift_enabled() {
            return;
        }
        let warn = |message: String| {
            self.m.emit(&Event::Warning {
                revision: None,
                message,
            })
        };
        match crate::drift::drift(self.m, self.conn, rows) {
            Ok(drift) => {
                for d in &drift.differences {
                    warn(format!(
                        "schema drift at the stamped revision(s): {d} (the stamp stands; write a migration, or fix the database)"
                    ));
                }
            }
            Err(e) => warn(format!(
                "could not compare the schema with the stamped revision(s): {e}"
            )),
        }
    }

    fn stamp_in_transaction(&mut self, targets: &[&str], purge: bool) -> Result<Vec<String>> {
        let before = self.tables.read_existing_rows(self.conn)?;
        if !purge {
            if let Some(rev) = self.m.registry().unknown_row(&before) {
                return Err(self.m.unknown(rev));
            }
        }
        let changes = self.m.graph().plan_stamp(&before, targets, purge)?;
        self.tables.apply(self.conn, &changes)?;
        // MySQL/MariaDB: a stamp says where the database stands, so no interrupted migration
        // is left to resume (in the same transaction as the rows).
        self.tables.clear_progress(self.conn)?;
        let mut after = before.clone();
        apply_in_memory(&mut after, &changes);
        let started_at = SystemTime::now();
        let arrived: Vec<&String> = after.iter().filter(|r| !before.contains(r)).collect();
        let base = "base".to_string();
        let mut noted = if arrived.is_empty() && before != after {
            vec![&base]
        } else {
            arrived
        };
        // Stamping rows that are already there records them (a version row without a history
        // row is what `check` reports).
        let recorded = self.tables.recorded(self.conn)?.unwrap_or_default();
        for rev in &after {
            if !noted.contains(&rev) && !recorded.contains(rev) {
                noted.push(rev);
            }
        }
        for rev in noted {
            let checksum = self.m.registry().get(rev).map_or("", |m| m.checksum());
            let entry = Entry {
                revision: rev,
                kind: HistoryDirection::Stamp,
                checksum,
                started_at,
                duration: std::time::Duration::ZERO,
                error: None,
            };
            self.tables.record(self.conn, &entry)?;
        }
        self.m.emit(&Event::Stamped {
            from: before,
            to: after.clone(),
        });
        Ok(after)
    }

    fn migrate(&mut self, target: &str, way: Direction) -> Result<Vec<String>> {
        self.locked(|s| {
            // Nothing is created until the target resolves to a plan with steps in it.
            let mut rows = s.tables.read_rows(s.conn)?;
            if let Some(rev) = s.m.registry().unknown_row(&rows) {
                return Err(s.m.unknown(rev));
            }
            if matches!(way, Direction::Up) {
                s.warn_edited(&rows)?;
            }
            // A relative target (`+1`, `-1`) means "from the rows read now": if another
            // process moves the rows before this one gets the SQLite write lock, re-plan
            // towards the rows the first plan ends at, not relative to the new rows.
            let mut target = s.m.on_branch(target);
            let mut applied = Vec::new();
            let mut first = true;
            loop {
                let plan = s.plan(way, &rows, &target)?;
                for warning in &plan.warnings {
                    s.m.emit(&Event::Warning {
                        revision: None,
                        message: warning.clone(),
                    });
                }
                if first {
                    first = false;
                    let mut end = rows.clone();
                    for step in &plan.steps {
                        apply_in_memory(&mut end, &step.version_changes);
                    }
                    match (end.as_slice(), way) {
                        ([one], _) => target.clone_from(one),
                        ([], Direction::Down) => target = "base".into(),
                        _ => {}
                    }
                }
                if plan.steps.is_empty() {
                    return Ok(applied);
                }
                s.ensure_tables()?;
                let (mode, lock_timeout, args) = s.m.settings();
                let emit = |e: &Event| s.m.emit(e);
                let cx = Context {
                    registry: s.m.registry(),
                    tables: &s.tables,
                    mode,
                    lock_timeout,
                    timeouts: s.m.timeouts(),
                    args,
                    naming: s.m.naming(),
                    emit: &emit,
                };
                match executor::run_plan(s.conn, &cx, &plan, rows)? {
                    Outcome::Done(done) => {
                        applied.extend(done);
                        return Ok(applied);
                    }
                    Outcome::Stale(done, fresh) => {
                        applied.extend(done);
                        if let Some(rev) = s.m.registry().unknown_row(&fresh) {
                            return Err(s.m.unknown(rev));
                        }
                        s.m.emit(&Event::Replanned {
                            rows: fresh.clone(),
                        });
                        rows = fresh;
                    }
                }
            }
        })
    }

    fn plan(&self, way: Direction, rows: &[String], target: &str) -> Result<Plan> {
        let graph = self.m.graph();
        let plan: std::result::Result<Plan, GraphError> = match way {
            Direction::Up => graph.plan_upgrade(rows, target),
            Direction::Down => graph.plan_downgrade(rows, target),
        };
        Ok(plan?)
    }

    /// Applied revisions whose linked checksum differs from the one they were applied with:
    /// `(rev, applied, current)`.
    fn edited(&mut self, rows: &[String]) -> Result<Vec<(String, String, String)>> {
        let applied_sums = self.tables.applied_checksums(self.conn)?;
        Ok(self.edited_from(&applied_sums, rows))
    }

    /// [`edited`](Self::edited) against checksums already read from the history table.
    fn edited_from(
        &self,
        applied_sums: &std::collections::HashMap<String, String>,
        rows: &[String],
    ) -> Vec<(String, String, String)> {
        if applied_sums.is_empty() {
            return Vec::new();
        }
        let registry = self.m.registry();
        let mut out: Vec<(String, String, String)> = registry
            .applied(rows)
            .into_iter()
            .filter_map(|rev| {
                let m = registry.get(&rev)?;
                let then = applied_sums.get(&rev)?;
                // Compared in the scheme the row was written with: a row from before the v2
                // checksums holds a legacy value (see `Migration::checksum_matches`).
                let now = m.checksum_like(then);
                (!now.is_empty() && !then.is_empty() && !m.checksum_matches(then))
                    .then(|| (rev, then.clone(), now.to_string()))
            })
            .collect();
        out.sort();
        out
    }

    fn warn_edited(&mut self, rows: &[String]) -> Result<()> {
        for (rev, applied, current) in self.edited(rows)? {
            self.m.emit(&Event::Warning {
                message: Error::ChecksumMismatch {
                    rev: rev.clone(),
                    applied,
                    current,
                }
                .to_string(),
                revision: Some(rev),
            });
        }
        Ok(())
    }

    /// Take the lock (unless disabled), run `f` (which creates the tables once it knows it
    /// will write), and always
    /// release the lock (rolling back anything left open).
    fn locked<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        let (_, lock_timeout, _) = self.m.settings();
        let held = match lock_timeout {
            Some(timeout) => {
                let m = self.m;
                lock::acquire(self.conn, &self.tables, timeout, &|e| m.emit(e))?
            }
            None => lock::Held::Nothing,
        };
        // A panic in migration code must not leave the connection inside the migration's
        // transaction and holding the lock: the connection may be the application's own (a
        // pooled one goes back to its pool), not one this library drops.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(self)));
        if connection::in_transaction(self.conn) {
            let _ = connection::rollback(self.conn);
        }
        let released = lock::release(self.conn, &held);
        let value = match result {
            Ok(result) => result?,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        released?;
        Ok(value)
    }

    fn ensure_tables(&mut self) -> Result<()> {
        if self
            .tables
            .table_exists(self.conn, &self.tables.version.clone())?
            && self
                .tables
                .table_exists(self.conn, &self.tables.history.clone())?
            && self.tables.extra_tables().iter().try_fold(true, |all, t| {
                Ok::<_, Error>(all && self.tables.table_exists(self.conn, t)?)
            })?
        {
            return Ok(());
        }
        let (_, lock_timeout, _) = self.m.settings();
        let m = self.m;
        lock::begin_write(
            self.conn,
            lock_timeout.or(Some(m.lock_timeout_value())),
            &|e| m.emit(e),
        )?;
        match self.tables.ensure(self.conn) {
            Ok(()) => {
                connection::commit(self.conn).map_err(Error::db("creating the version table"))
            }
            Err(e) => {
                let _ = connection::rollback(self.conn);
                Err(e)
            }
        }
    }
}
