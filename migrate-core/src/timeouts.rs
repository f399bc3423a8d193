//! Limits on the migration's own statements: how long one waits for a table lock another
//! session holds (`table_lock_timeout`), how long one may run (`statement_timeout`), and how
//! often a transactional migration that timed out on a lock is run again from its start
//! (`lock_retries`). Each backend turns them into its own settings
//! ([`Backend::timeout_sql`](crate::backend::Backend)): `SET LOCAL lock_timeout` on
//! PostgreSQL, `lock_wait_timeout`/`max_statement_time` on MySQL/MariaDB, `busy_timeout` on
//! SQLite.

use std::time::Duration;

use migrate_sql::Operation;

use crate::any_migration::AnyMigration;
use crate::connection::{self, AnyConnection};
use crate::db_error::DatabaseError;
use crate::executor::{Context, Recorded};
use crate::failure::Failure;

/// `table_lock_timeout`, `statement_timeout` and `lock_retries` (none set: wait as the
/// database's own settings say, never retry).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatementTimeouts {
    /// How long a migration statement waits for a lock on a table.
    pub table_lock: Option<Duration>,
    /// How long a migration statement may run.
    pub statement: Option<Duration>,
    /// How many times a transactional migration that timed out on a lock is run again.
    pub lock_retries: u32,
}

impl StatementTimeouts {
    /// Whether any limit is set (else no setting is sent).
    pub(crate) fn any(&self) -> bool {
        self.table_lock.is_some() || self.statement.is_some()
    }
}

/// Which limit a statement ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimedOut {
    /// It waited for a lock longer than `table_lock_timeout`.
    Lock,
    /// It ran longer than `statement_timeout`.
    Statement,
}

/// The wait before retry `attempt` (1-based): 100 ms doubled each time, at most 5 s, so that
/// the session holding the lock gets to finish and the queue behind it drains.
pub(crate) fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(100u64.saturating_mul(1 << attempt.min(6))).min(Duration::from_secs(5))
}

/// What an operation locks, for the error of a lock timeout: its table, else what it does.
pub(crate) fn lock_target(op: &Operation) -> String {
    let table = match op {
        Operation::CreateTable(t) => Some(&t.name),
        Operation::DropTable(d) => Some(&d.table),
        Operation::RenameTable(r) => Some(&r.table),
        Operation::AddColumn(a) => Some(&a.table),
        Operation::DropColumn(d) => Some(&d.table),
        Operation::AlterColumn(a) => Some(&a.table),
        Operation::CreateIndex(i) => Some(&i.table),
        Operation::DropIndex(d) => Some(&d.table),
        Operation::AddConstraint(c) => Some(&c.table),
        Operation::DropConstraint(d) => Some(&d.table),
        Operation::SetTableComment(c) => Some(&c.table),
        _ => None,
    };
    match table {
        Some(t) => format!("table {t}"),
        None => format!("what `{}` needs", op.describe()),
    }
}

/// Seconds as the settings write them: `1.5`, `2`.
pub(crate) fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{}", d.as_secs())
    } else {
        format!("{s:.3}")
    }
}

/// [`run_ops`] under the statement limits of `cx` (set before, put back after where they
/// outlive the transaction).
pub(crate) fn run_limited(
    conn: &mut AnyConnection,
    cx: &Context<'_>,
    limits: &StatementTimeouts,
    in_transaction: bool,
    rec: &mut Recorded,
) -> std::result::Result<(), Failure> {
    let backend = crate::backend::of(conn.dialect());
    for sql in backend.timeout_sql(limits, in_transaction) {
        connection::batch(conn, &sql)
            .map_err(|e| Failure::of(Some(sql), DatabaseError::from(e)))?;
    }
    let ran = crate::executor::run_ops(conn, rec);
    for sql in backend.reset_timeout_sql(limits, in_transaction, cx.lock_timeout) {
        // The migration's own outcome matters more than the session's settings.
        let _ = connection::batch(conn, &sql);
    }
    ran
}

/// The limits of migration `m`: its own `table_lock_timeout`/`statement_timeout` over the
/// migrator's.
pub(crate) fn limits_of(cx: &Context<'_>, m: &AnyMigration) -> StatementTimeouts {
    let (table_lock, statement) = m.timeouts();
    StatementTimeouts {
        table_lock: table_lock.or(cx.timeouts.table_lock),
        statement: statement.or(cx.timeouts.statement),
        lock_retries: cx.timeouts.lock_retries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1), Duration::from_millis(200));
        assert_eq!(backoff(2), Duration::from_millis(400));
        assert_eq!(backoff(30), Duration::from_secs(5));
    }

    #[test]
    fn seconds_are_written_plainly() {
        assert_eq!(seconds(Duration::from_secs(2)), "2");
        assert_eq!(seconds(Duration::from_millis(1500)), "1.500");
    }
}
