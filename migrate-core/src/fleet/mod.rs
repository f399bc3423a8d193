//! Many databases in one run: one command (upgrade, downgrade, current, check, stamp) over a
//! list of databases — tenants, shards, or PostgreSQL schemas — with bounded parallelism, each
//! database under its own migration lock, a failure in one not stopping the others, and a
//! result per database.
//!
//! ```no_run
//! # fn demo(migrations: &migrate_core::MigrationSet) -> migrate_core::Result<()> {
//! use migrate_core::fleet::{Fleet, FleetCommand, Target};
//! use migrate_core::{DatabaseUrl, Migrator};
//! let template = Migrator::new(&[migrations])?; // version table, lock timeout, ... for all
//! let fleet = Fleet::new(template)
//!     .target(Target::new("acme", DatabaseUrl::parse("sqlite://tenants/acme.db")?))
//!     .target(Target::new("globex", DatabaseUrl::parse("sqlite://tenants/globex.db")?))
//!     .jobs(4);
//! let report = fleet.run(&FleetCommand::Upgrade("head".into()));
//! for r in &report.results {
//!     println!("{}: {:?} -> {:?} {}", r.name, r.before, r.after, r.status());
//! }
//! assert!(report.is_ok(), "{} database(s) failed", report.failed().count());
//! # Ok(()) }
//! ```
//!
//! Re-running the same command continues where each database stopped: every database's own
//! version rows say what is left to do.
//!
//! The databases `migrate.toml` names (`[databases.NAME]`, `[tenants]`), as `migrate --all`
//! runs them:
//!
//! ```no_run
//! # fn demo(migrations: &migrate_core::MigrationSet) -> migrate_core::Result<()> {
//! use migrate_core::fleet::Fleet;
//! use migrate_core::{Config, Migrator};
//! let config = Config::load("migrate.toml")?;
//! let fleet = Fleet::new(config.apply_settings(Migrator::new(&[migrations])?))
//!     .targets(config.fleet_targets(None)?)
//!     .on_done(|r, done, total| eprintln!("{done}/{total}: {} {}", r.name, r.status()));
//! let report = fleet.upgrade("head");
//! for failed in report.failed() {
//!     eprintln!("{}: {}", failed.name, failed.status());
//! }
//! # Ok(()) }
//! ```

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};
use crate::migrator::Migrator;
use crate::sql::Dialect;

#[cfg(feature = "config")]
pub(crate) mod config;
mod target;
#[cfg(feature = "config")]
pub use config::{DatabaseSpec, TenantsSpec};
pub use target::Target;

/// What a [`Fleet`] runs on each database.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FleetCommand {
    /// [`Migrator::upgrade`] to the target (`head`, a revision, ...).
    Upgrade(String),
    /// [`Migrator::downgrade`] to the target (`-1`, `base`, a revision, ...).
    Downgrade(String),
    /// [`Migrator::current`]: read the version rows only.
    Current,
    /// [`Migrator::check`]: at head, no edited migration, no drift.
    Check,
    /// [`Migrator::stamp`] to the revisions (`purge`: delete every row first).
    Stamp {
        /// The new version rows.
        revisions: Vec<String>,
        /// Delete every row first.
        purge: bool,
    },
}

/// What became of one database.
#[derive(Debug)]
pub struct TargetResult {
    /// The target's name.
    pub name: String,
    /// The version rows before the command (empty when they couldn't be read).
    pub before: Vec<String>,
    /// The version rows after it, failed or not (where a failed upgrade stopped).
    pub after: Vec<String>,
    /// `None`: it went well. Otherwise why not.
    pub error: Option<Error>,
}

impl TargetResult {
    /// The command went well on this database.
    pub fn is_ok(&self) -> bool {
        self.error.is_none()
    }

    /// `ok`, or `failed: ` and the error with each of its causes, `: `-separated.
    pub fn status(&self) -> String {
        match &self.error {
            None => "ok".to_owned(),
            Some(e) => format!("failed: {}", error_chain(e)),
        }
    }
}

/// The error and its causes on one line, `: `-separated (a cause its parent already quotes
/// is not repeated).
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(c) = cause {
        let part = c.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        cause = c.source();
    }
    text
}

/// The results of a [`Fleet::run`], in the order the targets were given.
#[derive(Debug)]
pub struct FleetReport {
    /// One per target.
    pub results: Vec<TargetResult>,
}

impl FleetReport {
    /// Every database went well.
    pub fn is_ok(&self) -> bool {
        self.results.iter().all(TargetResult::is_ok)
    }

    /// The databases that failed.
    pub fn failed(&self) -> impl Iterator<Item = &TargetResult> {
        self.results.iter().filter(|r| !r.is_ok())
    }
}

type DoneSink = Arc<dyn Fn(&TargetResult, usize, usize) + Send + Sync>;

/// Runs one command over many databases. See the [module docs](self).
#[derive(Clone)]
pub struct Fleet {
    template: Migrator,
    targets: Vec<Target>,
    jobs: usize,
    on_done: Option<DoneSink>,
}

impl Fleet {
    /// A fleet whose databases all get `template`'s migrations and settings (version table,
    /// lock timeout, transaction mode, events ...); its URL, if any, is not used.
    pub fn new(template: Migrator) -> Fleet {
        Fleet {
            template,
            targets: Vec::new(),
            jobs: std::thread::available_parallelism().map_or(1, NonZeroUsize::get),
            on_done: None,
        }
    }

    /// Add a database.
    pub fn target(mut self, target: Target) -> Fleet {
        self.targets.push(target);
        self
    }

    /// Add databases.
    pub fn targets(mut self, targets: impl IntoIterator<Item = Target>) -> Fleet {
        self.targets.extend(targets);
        self
    }

    /// The databases, in order.
    pub fn target_list(&self) -> &[Target] {
        &self.targets
    }

    /// How many databases are worked on at once (default: the number of CPUs; at least 1).
    pub fn jobs(mut self, jobs: usize) -> Fleet {
        self.jobs = jobs.max(1);
        self
    }

    /// Called as each database finishes, with its result, how many are done and the total
    /// (for a "databases done / total" progress line). Called from the worker threads.
    pub fn on_done(
        mut self,
        sink: impl Fn(&TargetResult, usize, usize) + Send + Sync + 'static,
    ) -> Fleet {
        self.on_done = Some(Arc::new(sink));
        self
    }

    /// The migrator for one target: the template's settings with the target's URL and tables.
    pub fn migrator_for(&self, target: &Target) -> Migrator {
        let mut m = self.template.clone().database_url(target.url.clone());
        if let Some(table) = &target.version_table {
            m = m.version_table(table.clone());
        }
        if let Some(schema) = &target.version_table_schema {
            m = m.version_table_schema(schema.clone());
        }
        if let Some(label) = &target.branch {
            m = m.branch(label.clone());
        }
        m
    }

    /// Run `command` on every database, [`jobs`](Fleet::jobs) at a time. A database that
    /// fails does not stop the others; each has its result in the report.
    pub fn run(&self, command: &FleetCommand) -> FleetReport {
        let total = self.targets.len();
        let next = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        let slots: Mutex<Vec<Option<TargetResult>>> =
            Mutex::new((0..total).map(|_| None).collect());
        let workers = self.jobs.min(total);
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(target) = self.targets.get(i) else {
                        break;
                    };
                    // A panicking migration fails its database, not the run.
                    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        self.run_one(target, command)
                    }))
                    .unwrap_or_else(|_| TargetResult {
                        name: target.name.clone(),
                        before: Vec::new(),
                        after: Vec::new(),
                        error: Some(Error::msg("a migration panicked; its transaction was rolled back where the database allows")),
                    });
                    let finished = done.fetch_add(1, Ordering::SeqCst) + 1;
                    if let Some(sink) = &self.on_done {
                        sink(&result, finished, total);
                    }
                    // A worker that panicked poisons nothing we can't still read.
                    let mut slots = slots.lock().unwrap_or_else(|p| p.into_inner());
                    slots[i] = Some(result);
                });
            }
        });
        let slots = slots.into_inner().unwrap_or_else(|p| p.into_inner());
        let results = slots
            .into_iter()
            .zip(&self.targets)
            .map(|(slot, target)| {
                slot.unwrap_or_else(|| TargetResult {
                    name: target.name.clone(),
                    before: Vec::new(),
                    after: Vec::new(),
                    error: Some(Error::msg("the worker running it stopped (a panic)")),
                })
            })
            .collect();
        FleetReport { results }
    }

    /// The offline (`--sql`) script of `command` for each database, in order: each for its
    /// own dialect, version table and branch, and for a PostgreSQL tenant schema beginning
    /// with `SET search_path`. `Upgrade` and `Downgrade` hold a range as
    /// [`Migrator::upgrade_sql`] and [`Migrator::downgrade_sql`] take it; `Stamp` its
    /// revisions ([`Migrator::stamp_sql`]). No database is opened.
    ///
    /// ```
    /// # use migrate_core::{AnyMigration, DatabaseUrl, MigrationList, Migrator};
    /// use migrate_core::fleet::{Fleet, FleetCommand, Target};
    /// let list = MigrationList::new().with(AnyMigration::builder("a1", |op| {
    ///     op.execute("CREATE TABLE t (id INT)")?;
    ///     Ok(())
    /// }));
    /// let fleet = Fleet::new(Migrator::new(&list)?)
    ///     .target(Target::new("eu", DatabaseUrl::parse("postgres://db-eu/app")?))
    ///     .target(Target::new("us", DatabaseUrl::parse("mysql://db-us/app")?));
    /// let scripts = fleet.sql(&FleetCommand::Upgrade("head".into()))?;
    /// assert_eq!(scripts[1].0, "us");
    /// assert!(scripts[1].1.contains("CREATE TABLE t (id INT)"));
    /// # Ok::<(), migrate_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// The offline errors of those methods (a range without its start for a downgrade, an
    /// unknown revision ...), and [`Error::Message`] for `Current` and `Check`, which have no
    /// script.
    pub fn sql(&self, command: &FleetCommand) -> Result<Vec<(String, String)>> {
        self.targets
            .iter()
            .map(|target| {
                let m = self.migrator_for(target);
                let dialect = target.url.dialect();
                let script = match command {
                    FleetCommand::Upgrade(range) => m.upgrade_sql(dialect, range)?,
                    FleetCommand::Downgrade(range) => m.downgrade_sql(dialect, range)?,
                    FleetCommand::Stamp { revisions, .. } => {
                        let revs: Vec<&str> = revisions.iter().map(String::as_str).collect();
                        m.stamp_sql(dialect, &revs)?
                    }
                    FleetCommand::Current | FleetCommand::Check => {
                        return Err(Error::msg(
                            "only upgrade, downgrade and stamp have an offline script",
                        ))
                    }
                };
                let script = match (&target.search_path, dialect) {
                    (Some(schema), Dialect::Postgres) => format!(
                        "SET search_path TO {};\n\n{script}",
                        crate::connection::quote_ident(dialect, schema)?
                    ),
                    _ => script,
                };
                Ok((target.name.clone(), script))
            })
            .collect()
    }

    /// [`run`](Fleet::run) of [`FleetCommand::Upgrade`].
    pub fn upgrade(&self, target: &str) -> FleetReport {
        self.run(&FleetCommand::Upgrade(target.to_owned()))
    }

    fn run_one(&self, target: &Target, command: &FleetCommand) -> TargetResult {
        let m = self.migrator_for(target);
        let mut result = TargetResult {
            name: target.name.clone(),
            before: Vec::new(),
            after: Vec::new(),
            error: None,
        };
        result.before = match m.current() {
            Ok(rows) => rows,
            Err(e) => {
                result.error = Some(e);
                return result;
            }
        };
        let outcome = match command {
            FleetCommand::Upgrade(to) => m.upgrade(to).map(drop),
            FleetCommand::Downgrade(to) => m.downgrade(to).map(drop),
            FleetCommand::Current => Ok(()),
            FleetCommand::Check => m.check().map(drop),
            FleetCommand::Stamp { revisions, purge } => {
                let revs: Vec<&str> = revisions.iter().map(String::as_str).collect();
                m.stamp(&revs, *purge).map(drop)
            }
        };
        result.error = outcome.err();
        result.after = match command {
            FleetCommand::Current | FleetCommand::Check => result.before.clone(),
            _ => m.current().unwrap_or_else(|_| result.before.clone()),
        };
        result
    }
}

impl std::fmt::Debug for Fleet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fleet")
            .field("template", &self.template)
            .field("targets", &self.targets)
            .field("jobs", &self.jobs)
            .finish_non_exhaustive()
    }
}
