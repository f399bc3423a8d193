//! Running a plan: record every step first (so an irreversible downgrade is refused before
//! anything runs), then run each step's statements and its version-row change together.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use migrate_graph::{Direction, Plan, Step};
use migrate_sql::{Dialect, Operation};

use crate::any_migration::AnyMigration;
use crate::connection::{self, AnyConnection};
use crate::db_error::DatabaseError;
use crate::error::{Error, Result};
use crate::event::Event;
use crate::failure::{step_error, timed_out_step, Failure};
use crate::foreign_keys::{rebuilt_schemas, ForeignKeys};
use crate::history::{Entry, HistoryDirection};
use crate::lock;
use crate::op::{Callback, Op};
use crate::registry::Registry;
use crate::render;
use crate::timeouts::{limits_of, run_limited, TimedOut};
use crate::version_table::{apply_in_memory, same_rows, Tables};

/// How migrations are grouped into transactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum TransactionMode {
    /// One transaction per migration (the default): a failure keeps the earlier migrations.
    #[default]
    PerMigration,
    /// The whole run in one transaction (PostgreSQL, SQLite): a failure rolls everything back.
    /// MySQL/MariaDB commit DDL implicitly and always run one migration at a time.
    Single,
}

/// What the executor needs from the configuration.
pub(crate) struct Context<'a> {
    pub(crate) registry: &'a Registry,
    pub(crate) tables: &'a Tables,
    pub(crate) mode: TransactionMode,
    /// `Some(timeout)` when locking is on (SQLite takes its lock per write transaction).
    pub(crate) lock_timeout: Option<std::time::Duration>,
    /// Limits on the migrations' own statements, and lock retries.
    pub(crate) timeouts: crate::StatementTimeouts,
    pub(crate) args: &'a Arc<BTreeMap<String, String>>,
    /// migrate.toml's `naming_convention`, applied to every recording.
    pub(crate) naming: &'a migrate_sql::NamingConvention,
    pub(crate) emit: &'a dyn Fn(&Event),
}

/// A step's operations, recorded by running its migration function.
pub(crate) struct Recorded {
    pub(crate) ops: Vec<Operation>,
    pub(crate) callbacks: Vec<Option<Callback>>,
}

/// How running a plan ended.
pub(crate) enum Outcome {
    /// Every step ran; the revisions, in order.
    Done(Vec<String>),
    /// SQLite only: another process changed the rows before this one took the write lock. The
    /// revisions run so far, and the rows found.
    Stale(Vec<String>, Vec<String>),
}

fn migration<'r>(registry: &'r Registry, rev: &str) -> Result<&'r AnyMigration> {
    registry.get(rev).ok_or_else(|| {
        Error::Message(format!(
            "the plan names revision {rev}, which no linked migration defines"
        ))
    })
}

/// Run a migration's upgrade (or downgrade) function to record its operations, and name
/// what it left unnamed by the naming convention (once, here, so that rendering, replay and
/// the derived downgrade all see the same names). A downgrade without `downgrade = fn` is
/// the upgrade's operations reversed.
pub(crate) fn record(
    m: &AnyMigration,
    direction: Direction,
    dialect: Dialect,
    args: &Arc<BTreeMap<String, String>>,
    naming: &migrate_sql::NamingConvention,
) -> Result<Recorded> {
    let run = |down: bool| -> Result<Recorded> {
        let mut op = Op::new(dialect, Arc::clone(args));
        m.call(down, &mut op).map_err(|e| Error::Record {
            rev: m.rev().to_string(),
            source: Box::new(e),
        })?;
        let (ops, callbacks) = op.into_parts();
        let mut ops = ops.into_vec();
        naming.apply(&mut ops, dialect).map_err(|e| Error::Record {
            rev: m.rev().to_string(),
            source: Box::new(Error::from(e)),
        })?;
        Ok(Recorded { ops, callbacks })
    };
    match (direction, m.has_downgrade()) {
        (Direction::Up, _) => run(false),
        (Direction::Down, true) => run(true),
        (Direction::Down, false) => {
            let up = run(false)?;
            let ops = render::reverse(&up.ops).map_err(|reason| Error::NotReversible {
                rev: m.rev().to_string(),
                reason,
            })?;
            Ok(Recorded {
                ops,
                callbacks: Vec::new(),
            })
        }
    }
}

pub(crate) fn run_ops(
    conn: &mut AnyConnection,
    rec: &mut Recorded,
) -> std::result::Result<(), Failure> {
    let dialect = conn.dialect();
    let backend = crate::backend::of(dialect);
    // Consecutive SQLite changes to one table that need a rebuild share one rebuild.
    for step in migrate_sql::plan(&rec.ops, dialect) {
        let statements = match step {
            migrate_sql::Step::Render(Operation::Callback { index, .. }) => {
                let callback = rec
                    .callbacks
                    .get_mut(*index)
                    .and_then(Option::take)
                    .ok_or_else(|| {
                        Failure::said(
                            None,
                            format!("callback {index} was not recorded or already ran"),
                        )
                    })?;
                callback(conn).map_err(|e| Failure::of(None, Error::from(e)))?;
                continue;
            }
            migrate_sql::Step::Render(op) => (
                render::statements(op, dialect).map_err(|e| Failure::of(None, e))?,
                crate::timeouts::lock_target(op),
            ),
            migrate_sql::Step::Rebuild { table, changes } => (
                crate::sqlite_batch::rebuild(conn, table, &changes).map_err(|message| {
                    let what: Vec<String> = changes.iter().map(Operation::describe).collect();
                    Failure::said(None, format!("{}: {message}", what.join(", ")))
                })?,
                format!("table {table}"),
            ),
        };
        let (statements, target) = statements;
        for sql in statements {
            connection::batch(conn, &sql).map_err(|e| {
                let e = DatabaseError::from(e);
                let timed_out = backend.timed_out(e.message()).map(|k| (k, target.clone()));
                Failure {
                    timed_out,
                    ..Failure::of(Some(sql), e)
                }
            })?;
        }
    }
    Ok(())
}

fn history_kind(d: Direction) -> HistoryDirection {
    match d {
        Direction::Up => HistoryDirection::Upgrade,
        Direction::Down => HistoryDirection::Downgrade,
    }
}

/// Run `plan` from the version rows `rows` (read under the lock).
pub(crate) fn run_plan(
    conn: &mut AnyConnection,
    cx: &Context<'_>,
    plan: &Plan,
    rows: Vec<String>,
) -> Result<Outcome> {
    let mut fk = ForeignKeys::default();
    let result = run_steps(conn, cx, plan, rows, &mut fk);
    if fk.is_suspended() {
        // Failed half-way: the transaction must be over before the PRAGMA counts again.
        if connection::in_transaction(conn) {
            let _ = connection::rollback(conn);
        }
        let restored = fk.restore(conn);
        if result.is_ok() {
            restored?;
        }
    }
    result
}

/// Inside a transaction SQLite ignores `PRAGMA foreign_keys = OFF`: rebuilding then would
/// delete the rows of every `ON DELETE CASCADE` child table, so nothing runs.
fn foreign_keys_stay_on(step: &Step, direction: &'static str) -> Error {
    Error::MigrationFailed {
        rev: step.revision.clone(),
        direction,
        statement: Some("PRAGMA foreign_keys = OFF".into()),
        message: "a transaction is already open on the connection, so SQLite keeps foreign \
                  keys on, and the table rebuild would delete the rows of ON DELETE CASCADE \
                  child tables; nothing ran: migrate on a connection outside any transaction"
            .into(),
        source: None,
    }
}

/// Check the foreign keys (when a rebuild suspended them), commit, and restore the setting.
/// A violation rolls back; the error names `rev`.
fn commit(
    conn: &mut AnyConnection,
    fk: &mut ForeignKeys,
    rev: &str,
    direction: &'static str,
) -> Result<()> {
    if let Some(broken) = fk.violations(conn)? {
        // The caller (`run_plan`) puts the setting back once the error reaches it.
        let _ = connection::rollback(conn);
        let message =
            format!("{broken}; rolled back: fix those rows (or the migration) and run it again");
        return Err(Error::MigrationFailed {
            rev: rev.to_string(),
            direction,
            statement: Some("PRAGMA foreign_key_check".into()),
            message,
            source: None,
        });
    }
    connection::commit(conn).map_err(|e| {
        let e = DatabaseError::from(e);
        Error::MigrationFailed {
            rev: rev.to_string(),
            direction,
            statement: Some("COMMIT".into()),
            message: e.to_string(),
            source: Some(Box::new(e)),
        }
    })?;
    fk.restore(conn)
}

fn run_steps(
    conn: &mut AnyConnection,
    cx: &Context<'_>,
    plan: &Plan,
    mut rows: Vec<String>,
    fk: &mut ForeignKeys,
) -> Result<Outcome> {
    let dialect = conn.dialect();
    // Record everything first: a failing or irreversible migration stops the run here.
    let mut recorded = Vec::with_capacity(plan.steps.len());
    let mut rebuilds = Vec::with_capacity(plan.steps.len());
    for step in &plan.steps {
        let m = migration(cx.registry, &step.revision)?;
        let rec = record(m, step.direction, dialect, cx.args, cx.naming)?;
        // Whatever cannot be rendered for this dialect fails now, before anything runs.
        for part in migrate_sql::plan(&rec.ops, dialect) {
            if let migrate_sql::Step::Render(op) = part {
                render::statements(op, dialect).map_err(|e| Error::Record {
                    rev: m.rev().to_string(),
                    source: Box::new(e),
                })?;
            }
        }
        if m.transactional() {
            if let Some(op) = rec
                .ops
                .iter()
                .find(|op| op.must_run_outside_transaction(dialect))
            {
                return Err(Error::NeedsNoTransaction {
                    rev: m.rev().to_string(),
                    operation: op.describe(),
                });
            }
        }
        rebuilds.push(rebuilt_schemas(&rec.ops, dialect));
        recorded.push(rec);
    }
    // MySQL/MariaDB: the migrations interrupted earlier that this plan resumes (any other
    // interrupted migration stops the run here, before anything runs).
    let backend = crate::backend::of(dialect);
    let mut interrupted = if backend.ddl_commits() {
        crate::resume::claim(conn, cx.tables, plan)?
    } else {
        std::collections::HashMap::new()
    };
    let single = cx.mode == TransactionMode::Single && !backend.ddl_commits();
    let revalidate = backend.rereads_rows_per_transaction() && cx.lock_timeout.is_some();
    let mut open = false;
    let mut done = Vec::new();
    let last = plan.steps.len().saturating_sub(1);
    for (i, (step, mut rec)) in plan.steps.iter().zip(recorded).enumerate() {
        let m = migration(cx.registry, &step.revision)?;
        let limits = limits_of(cx, m);
        let (step_kind, history_kind, direction) = (
            step.direction,
            history_kind(step.direction),
            step.direction.as_str(),
        );
        if backend.ddl_commits() {
            // DDL commits as it runs: each statement's progress is recorded so that a crash
            // can be resumed (see `resume`).
            (cx.emit)(&Event::StepStarted {
                revision: step.revision.clone(),
                kind: step_kind,
                from: step.from.clone(),
                to: step.to.clone(),
                message: m.message().to_string(),
            });
            let t0 = Instant::now();
            let progress = interrupted.remove(&step.revision);
            for sql in backend.timeout_sql(&limits, false) {
                connection::batch(conn, &sql).map_err(Error::db(
                    "setting table_lock_timeout and statement_timeout",
                ))?;
            }
            let ran = crate::resume::run_step(conn, cx, step, m, &mut rec, progress, history_kind);
            for sql in backend.reset_timeout_sql(&limits, false, cx.lock_timeout) {
                let _ = connection::batch(conn, &sql);
            }
            ran.map_err(|e| timed_out_step(&limits, step, &rec.ops, dialect, e))?;
            apply_in_memory(&mut rows, &step.version_changes);
            done.push(step.revision.clone());
            (cx.emit)(&Event::StepFinished {
                revision: step.revision.clone(),
                kind: step_kind,
                duration: t0.elapsed(),
            });
            continue;
        }
        if m.transactional() {
            if !open {
                // The transaction opened now holds this step, or in one-transaction mode
                // every step up to the next non-transactional one: if any of them rebuilds a
                // SQLite table, foreign keys go off before BEGIN.
                let group = if single { plan.steps.len() } else { i + 1 };
                let mut schemas = std::collections::BTreeSet::new();
                for (s, r) in plan.steps[i..group].iter().zip(&rebuilds[i..group]) {
                    if !migration(cx.registry, &s.revision)?.transactional() {
                        break;
                    }
                    schemas.extend(r.iter().cloned());
                }
                if !fk.suspend(conn, schemas)? {
                    return Err(foreign_keys_stay_on(step, direction));
                }
                // The setting for a commit that isn't the run's last goes with the BEGIN,
                // in one round trip.
                let setting = backend
                    .before_intermediate_commit()
                    .filter(|_| !single && i < last);
                lock::begin_write_then(conn, cx.lock_timeout, cx.emit, setting)?;
                open = true;
                if revalidate {
                    let fresh = cx.tables.read_existing_rows(conn)?;
                    if !same_rows(&fresh, &rows) {
                        connection::rollback(conn).map_err(Error::db("ending a transaction"))?;
                        return Ok(Outcome::Stale(done, fresh));
                    }
                }
            }
        } else {
            if open {
                let previous = &plan.steps[i.saturating_sub(1)];
                commit(conn, fk, &previous.revision, previous.direction.as_str())?;
                open = false;
            }
            // Outside a transaction each statement commits alone: foreign keys stay off
            // for the whole rebuild and are checked after it.
            if !fk.suspend(conn, rebuilds[i].clone())? {
                return Err(foreign_keys_stay_on(step, direction));
            }
        }
        (cx.emit)(&Event::StepStarted {
            revision: step.revision.clone(),
            kind: step_kind,
            from: step.from.clone(),
            to: step.to.clone(),
            message: m.message().to_string(),
        });
        let started_at = SystemTime::now();
        let t0 = Instant::now();
        let mut ran = run_limited(conn, cx, &limits, open, &mut rec);
        let mut attempts = 1;
        // A lock wait that timed out rolled the migration's own transaction back: run it
        // again from its start after a pause, `lock_retries` times (not in one-transaction
        // mode, where the rollback took earlier migrations with it).
        while open
            && !single
            && attempts <= cx.timeouts.lock_retries
            && matches!(&ran, Err(f) if matches!(f.timed_out, Some((TimedOut::Lock, _))))
        {
            let _ = connection::rollback(conn);
            let wait = crate::timeouts::backoff(attempts);
            (cx.emit)(&Event::Warning {
                revision: Some(step.revision.clone()),
                message: format!(
                    "migration {} timed out waiting for a lock and was rolled back; running it again in {} (retry {attempts} of {})",
                    step.revision,
                    crate::event::human_duration(wait),
                    cx.timeouts.lock_retries
                ),
            });
            std::thread::sleep(wait);
            attempts += 1;
            rec = record(m, step.direction, dialect, cx.args, cx.naming)?;
            let setting = backend.before_intermediate_commit().filter(|_| i < last);
            lock::begin_write_then(conn, cx.lock_timeout, cx.emit, setting)?;
            ran = run_limited(conn, cx, &limits, open, &mut rec);
        }
        if ran.is_ok() && !m.transactional() {
            ran = match fk.violations(conn) {
                Ok(None) => Ok(()),
                Ok(Some(broken)) => Err(Failure::said(
                    Some("PRAGMA foreign_key_check".into()),
                    format!(
                        "{broken}; the migration is not transactional, so its changes stay: \
                         fix those rows"
                    ),
                )),
                Err(e) => Err(Failure::of(None, e)),
            };
            fk.restore(conn)?;
        }
        if let Err(f) = ran {
            if open {
                let _ = connection::rollback(conn);
            }
            let err = step_error(&limits, step, direction, attempts, f);
            record_failure(conn, cx, step, m, history_kind, started_at, t0, &err);
            return Err(err);
        }
        if !m.transactional() {
            lock::begin_write(conn, cx.lock_timeout, cx.emit)?;
            open = true;
        }
        let entry = Entry {
            revision: &step.revision,
            kind: history_kind,
            checksum: m.checksum(),
            started_at,
            duration: t0.elapsed(),
            error: None,
        };
        let bookkeeping = cx
            .tables
            .apply(conn, &step.version_changes)
            .and_then(|()| cx.tables.record(conn, &entry));
        if let Err(e) = bookkeeping {
            let _ = connection::rollback(conn);
            return Err(e);
        }
        if !single || !m.transactional() {
            if let Err(err) = commit(conn, fk, &step.revision, direction) {
                record_failure(conn, cx, step, m, history_kind, started_at, t0, &err);
                return Err(err);
            }
            open = false;
        }
        apply_in_memory(&mut rows, &step.version_changes);
        done.push(step.revision.clone());
        (cx.emit)(&Event::StepFinished {
            revision: step.revision.clone(),
            kind: step_kind,
            duration: t0.elapsed(),
        });
    }
    if open {
        let step = &plan.steps[last];
        commit(conn, fk, &step.revision, step.direction.as_str())?;
    }
    Ok(Outcome::Done(done))
}

/// Best effort: note the failed step in the history table (after the rollback). A failure to
/// do so must not hide the migration's own error.
#[allow(clippy::too_many_arguments)]
pub(crate) fn record_failure(
    conn: &mut AnyConnection,
    cx: &Context<'_>,
    step: &Step,
    m: &AnyMigration,
    kind: HistoryDirection,
    started_at: SystemTime,
    t0: Instant,
    err: &Error,
) {
    let message = err.to_string();
    let entry = Entry {
        revision: &step.revision,
        kind,
        checksum: m.checksum(),
        started_at,
        duration: t0.elapsed(),
        error: Some(&message),
    };
    let _ = cx.tables.record(conn, &entry);
}
