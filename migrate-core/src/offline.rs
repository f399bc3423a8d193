//! Offline (`--sql`) mode: the SQL script of an upgrade, a downgrade or a stamp, for a DBA to
//! review and run, produced without a database (Alembic's offline mode:
//! <https://alembic.sqlalchemy.org/en/latest/offline.html>).
//!
//! The start of a `START:END` range stands in for the database's version rows: `base` (or no
//! start, for `upgrade`) is an empty database, anything else exactly one revision. Each
//! migration is recorded for the target dialect, exactly as the online executor records it,
//! and rendered with its version-row changes; `migrate_sql::render_script` lays the script
//! out (`-- Running upgrade a -> b` comments, `BEGIN;`/`COMMIT;` where DDL is transactional,
//! the version table created when the run starts from no rows, never dropped).
//!
//! Two additions make the script survive the database's own client: a MySQL script starts
//! with `SET NAMES utf8mb4;` (the script is UTF-8, and the `mysql`/`mariadb` client's default
//! connection character set may not hold every character, e.g. emoji); on SQLite a text value
//! with a carriage return is written with `char(13)` (see `shell`).

use migrate_graph::{Direction, Plan, Step};
use migrate_sql::{Dialect, Operation, ScriptStep, VersionTable};

use crate::error::{Error, Result};
use crate::event::Event;
use crate::executor::TransactionMode;
use crate::migrator::Migrator;

pub(crate) mod shell;

/// Alembic's refusal of `downgrade --sql` without a range.
const DOWNGRADE_NEEDS_RANGE: &str = "downgrade with --sql requires <fromrev>:<torev>";
/// Alembic's refusal of `stamp --sql` ranges with different starts.
const STAMP_ONE_START: &str =
    "Stamp operation with --sql only supports a single starting revision at a time";

/// What a script starts with (MySQL is told the script's encoding).
fn preamble(dialect: Dialect) -> String {
    crate::backend::of(dialect).script_preamble().to_owned()
}

/// Offline scripts. Nothing here connects to a database: the configured URL, if any, is not
/// used; the dialect is given.
impl Migrator {
    /// The script `upgrade --sql RANGE` prints: `[START:]END`, where a missing `START` means
    /// an empty database (base). The version table is created first when the run starts from
    /// no rows; then every migration with its `INSERT`/`UPDATE`/`DELETE` of version rows.
    ///
    /// Fails, before producing anything, on an unknown revision, on a migration whose Rust
    /// step (`op.run`) has no offline SQL, and on SQLite changes that need a table rebuild
    /// (an offline script cannot read the table's current definition); the error names the
    /// migration.
    ///
    /// ```no_run
    /// # fn demo(migrations: &migrate_core::MigrationSet) -> migrate_core::Result<()> {
    /// use migrate_core::{sql::Dialect, Migrator};
    /// let migrator = Migrator::new(&[migrations])?;
    /// // Everything, from an empty database, for PostgreSQL:
    /// let script = migrator.upgrade_sql(Dialect::Postgres, "heads")?;
    /// std::fs::write("upgrade.sql", &script).map_err(|e| migrate_core::Error::msg(e.to_string()))?;
    /// // A database at 1f3a9c0de2b4 (no database is read: the range says where it stands):
    /// let next = migrator.upgrade_sql(Dialect::Mysql, "1f3a9c0de2b4:head")?;
    /// # let _ = next; Ok(()) }
    /// ```
    pub fn upgrade_sql(&self, dialect: Dialect, range: &str) -> Result<String> {
        let range = self.on_branch(range);
        let (start, end) = range.split_once(':').unwrap_or(("", &range));
        let rows = self.graph().resolve_start(start)?;
        let plan = self.graph().plan_upgrade(&rows, end)?;
        self.script(dialect, &rows, &plan)
    }

    /// The script `downgrade --sql FROM:TO` prints: the range is required (there is no
    /// database to read the current revisions from), as in Alembic. A downgrade to base
    /// deletes the last version row; the table itself is never dropped.
    ///
    /// Fails like [`upgrade_sql`](Migrator::upgrade_sql), and on a migration that cannot be
    /// reversed (no `downgrade = fn` and an operation without an inverse).
    ///
    /// ```no_run
    /// # fn demo(migrator: &migrate_core::Migrator) -> migrate_core::Result<()> {
    /// use migrate_core::sql::Dialect;
    /// let script = migrator.downgrade_sql(Dialect::Sqlite, "head:1f3a9c0de2b4")?;
    /// assert!(migrator.downgrade_sql(Dialect::Sqlite, "-1").is_err()); // needs FROM:TO
    /// # let _ = script; Ok(()) }
    /// ```
    pub fn downgrade_sql(&self, dialect: Dialect, range: &str) -> Result<String> {
        let range = self.on_branch(range);
        let Some((start, end)) = range.split_once(':') else {
            return Err(Error::Message(DOWNGRADE_NEEDS_RANGE.into()));
        };
        let rows = self.graph().resolve_start(start)?;
        let plan = self.graph().plan_downgrade(&rows, end)?;
        self.script(dialect, &rows, &plan)
    }

    /// The script `stamp --sql REVISION...` prints: version-row changes only, no migration
    /// runs. Each argument is a destination, optionally `START:DEST`; every range must name
    /// the same start (the rows the database holds); without one the database is empty and
    /// the version table is created first.
    ///
    /// ```no_run
    /// # fn demo(migrator: &migrate_core::Migrator) -> migrate_core::Result<()> {
    /// use migrate_core::sql::Dialect;
    /// // UPDATE b -> c, then INSERT e and INSERT f (Alembic's example):
    /// let script = migrator.stamp_sql(Dialect::Postgres, &["b:c", "b:e", "b:f"])?;
    /// # let _ = script; Ok(()) }
    /// ```
    pub fn stamp_sql(&self, dialect: Dialect, revisions: &[&str]) -> Result<String> {
        let mut start: Option<&str> = None;
        let mut targets = Vec::with_capacity(revisions.len());
        for spec in revisions {
            let target = match spec.split_once(':') {
                Some((s, t)) => {
                    if start.is_some_and(|prev| prev != s) {
                        return Err(Error::Message(STAMP_ONE_START.into()));
                    }
                    start = Some(s);
                    t
                }
                None => spec,
            };
            targets.push(self.on_branch(target));
        }
        let targets: Vec<&str> = targets.iter().map(String::as_str).collect();
        let rows = self.graph().resolve_start(start.unwrap_or(""))?;
        let changes = self.graph().plan_stamp(&rows, &targets, false)?;
        let table = self.offline_version_table(dialect);
        let mut script = preamble(dialect);
        if rows.is_empty() {
            push_statement(
                &mut script,
                &table.create_sql(dialect, migrate_sql::Create::Always)?,
            );
        }
        if changes.is_empty() {
            return Ok(script);
        }
        let mut end = rows.clone();
        crate::version_table::apply_in_memory(&mut end, &changes);
        let tx = dialect.transactional_ddl();
        if tx {
            script.push_str("BEGIN;\n\n");
        }
        let description = clean(&format!("{} -> {}", rows.join(", "), end.join(", ")));
        script.push_str(&format!("-- Running stamp_revision {description}\n\n"));
        for change in &changes {
            push_statement(
                &mut script,
                &table
                    .change_sql(dialect, change, migrate_sql::Values::Literals)?
                    .0,
            );
        }
        if tx {
            script.push_str("COMMIT;\n\n");
        }
        Ok(script)
    }

    fn offline_version_table(&self, dialect: Dialect) -> VersionTable {
        self.tables(dialect).version_table()
    }

    /// Record and render every step of `plan`, then lay the script out.
    fn script(&self, dialect: Dialect, rows: &[String], plan: &Plan) -> Result<String> {
        for warning in &plan.warnings {
            self.emit(&Event::Warning {
                revision: None,
                message: warning.clone(),
            });
        }
        let steps = plan
            .steps
            .iter()
            .map(|step| self.script_step(dialect, step))
            .collect::<Result<Vec<_>>>()?;
        let table = self.offline_version_table(dialect);
        // As Alembic: the version table is created when the run starts from no rows.
        let create = rows.is_empty() && !steps.is_empty();
        let (mode, _, _) = self.settings();
        let mut script = preamble(dialect);
        if mode != TransactionMode::Single || !dialect.transactional_ddl() {
            script.push_str(&migrate_sql::render_script(
                dialect, &table, create, &steps,
            )?);
            return Ok(script);
        }
        // One transaction for the whole run, as online: every run of transactional
        // migrations shares one BEGIN/COMMIT; a non-transactional one runs between them.
        let mut create = create;
        for group in steps.chunk_by(|a, b| a.transactional && b.transactional) {
            let tx = group.iter().all(|s| s.transactional);
            let bare: Vec<ScriptStep> = group
                .iter()
                .map(|s| ScriptStep {
                    transactional: false,
                    ..s.clone()
                })
                .collect();
            if create {
                // Before the first BEGIN, as render_script places it.
                script.push_str(&migrate_sql::render_script(dialect, &table, true, &[])?);
                create = false;
            }
            if tx {
                script.push_str("BEGIN;\n\n");
            }
            script.push_str(&migrate_sql::render_script(dialect, &table, false, &bare)?);
            if tx {
                script.push_str("COMMIT;\n\n");
            }
        }
        Ok(script)
    }

    /// One migration of the script: its recorded operations as SQL, and its row changes.
    fn script_step(&self, dialect: Dialect, step: &Step) -> Result<ScriptStep> {
        let rev = &step.revision;
        let m = self
            .registry()
            .get(rev)
            .ok_or_else(|| Error::NoSuchRevision { rev: rev.clone() })?;
        let upgrade = step.direction == Direction::Up;
        let way = if upgrade { "upgrade" } else { "downgrade" };
        let refuse = |why: String| Error::MigrationFailed {
            rev: rev.clone(),
            direction: way,
            statement: None,
            message: format!("cannot be written as SQL for an offline (--sql) script: {why}"),
            source: None,
        };
        let mut statements = Vec::new();
        for op in self.record(rev, upgrade, dialect)? {
            if m.transactional() && op.must_run_outside_transaction(dialect) {
                return Err(Error::NeedsNoTransaction {
                    rev: rev.clone(),
                    operation: op.describe(),
                });
            }
            let sql = render(&op, dialect).map_err(refuse)?;
            statements.extend(
                sql.iter()
                    .map(|s| crate::backend::of(dialect).for_client(s).into_owned()),
            );
        }
        Ok(ScriptStep {
            revision: rev.clone(),
            direction: step.direction,
            description: format!("{} -> {}", step.from.join(", "), step.to.join(", ")),
            statements,
            version_changes: step.version_changes.clone(),
            transactional: m.transactional(),
        })
    }
}

/// The SQL of one operation, or why an offline script can't carry it (and how to fix that).
fn render(op: &Operation, dialect: Dialect) -> std::result::Result<Vec<String>, String> {
    if let Operation::Callback {
        index,
        offline_sql: None,
    } = op
    {
        return Err(format!(
            "its Rust step #{index} (`op.run`) has no SQL of its own; give the SQL to print \
             with `op.run_offline(sql, f)`, or run the migration online"
        ));
    }
    op.render(dialect).map_err(|e| match e {
        migrate_sql::Error::NeedsRebuild { table, operation } => format!(
            "{operation} needs SQLite's table rebuild (move and copy), which reads table \
             {table}'s current definition from the database, and an offline script has no \
             database; run this migration online, or write its SQLite SQL with `op.execute`"
        ),
        other => other.to_string(),
    })
}

fn push_statement(script: &mut String, sql: &str) {
    script.push_str(sql);
    script.push_str(";\n\n");
}

/// A comment line stays one line: control characters would end it and let the rest run.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
