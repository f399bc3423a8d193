//! The library API: configure once, then upgrade, downgrade, stamp or inspect a database.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

mod branch;

use migrate_graph::Graph;
use migrate_sql::Dialect;

use crate::connection::AnyConnection;
use crate::error::{Error, Result};
use crate::event::{Event, EventSink};
use crate::executor::{self, Recorded, TransactionMode};
use crate::history::HistoryEntry;
use crate::registry::Registry;
use crate::session::Session;
use crate::source::MigrationSource;
use crate::url::DatabaseUrl;
use crate::version_table::Tables;

/// Where the database stands (`status()`): for a health endpoint or `migrate current`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The version rows (one per applied branch tip); empty on a fresh database.
    pub current: Vec<String>,
    /// The head revisions of the graph (of its branch, with [`Migrator::branch`]).
    pub heads: Vec<String>,
    /// The revisions `upgrade heads` would apply, in order.
    pub pending: Vec<String>,
}

impl Status {
    /// No migration is pending.
    pub fn is_up_to_date(&self) -> bool {
        self.pending.is_empty()
    }
}

/// Runs the linked migrations against databases.
///
/// ```no_run
/// # fn demo(sets: &[&migrate_core::MigrationSet]) -> migrate_core::Result<()> {
/// use migrate_core::Migrator;
/// let migrator = Migrator::new(sets)?.url("sqlite://app.db")?;
/// migrator.upgrade("head")?;            // auto-migrate at start-up (development)
/// migrator.ensure_at_head()?;           // or: refuse to start unless up to date (production)
/// let status = migrator.status()?;      // current, heads, pending
/// # let _ = status; Ok(()) }
/// ```
#[derive(Clone)]
pub struct Migrator {
    registry: Registry,
    url: Option<DatabaseUrl>,
    schema: Option<String>,
    version_table: String,
    history_table: String,
    lock_timeout: Duration,
    timeouts: crate::StatementTimeouts,
    locking: bool,
    mode: TransactionMode,
    args: Arc<BTreeMap<String, String>>,
    events: Option<EventSink>,
    drift_check: bool,
    naming: Arc<migrate_sql::NamingConvention>,
    branch: Option<String>,
}

impl Migrator {
    /// The migrations of `source`, validated as one graph: a migrations crate's `MIGRATIONS`
    /// (`Migrator::new(&my_migrations::MIGRATIONS)`, or several: `&[&app::MIGRATIONS,
    /// &lib::MIGRATIONS]`), [`Linked`](crate::Linked) for every `#[migration]` linked into
    /// the program (`&(Linked, &my_migrations::MIGRATIONS)`, what the `migrate` CLI runs), a
    /// [`MigrationList`](crate::MigrationList) built in code, a diesel_migrations folder, or
    /// a tuple of these (see [`MigrationSource`]). The graph is exactly what the source
    /// yields: nothing else linked into the program joins it.
    ///
    /// ```
    /// # use migrate_core::{AnyMigration, MigrationList, Migrator};
    /// let one = Migrator::new(&MigrationList::new().with(AnyMigration::builder("a1", |_| Ok(()))))?;
    /// let other = Migrator::new(&MigrationList::new().with(AnyMigration::builder("z9", |_| Ok(()))))?;
    /// assert_eq!(one.graph().heads(), ["a1"]);
    /// assert_eq!(other.graph().heads(), ["z9"]);
    /// # Ok::<(), migrate_core::Error>(())
    /// ```
    pub fn new<S: MigrationSource + ?Sized>(source: &S) -> Result<Migrator> {
        Ok(Migrator::from_registry(Registry::from_source(source)?))
    }

    /// [`Migrator::new`] configured from `migrate.toml` at `path` exactly as the `migrate`
    /// command reads it: `version_table`, `version_table_schema`, `lock_timeout`,
    /// `transaction_per_migration`, and the URL (`DATABASE_URL` in the environment, then in a
    /// `.env` beside the file, then `url`; a relative SQLite path is taken from the file's
    /// folder). Builder calls after it override what the file says; with no URL anywhere, set
    /// one with [`url`](Migrator::url).
    ///
    /// ```no_run
    /// # fn demo(migrations: &migrate_core::MigrationSet) -> migrate_core::Result<()> {
    /// let migrator = migrate_core::Migrator::from_config(&[migrations], "migrate.toml")?;
    /// migrator.ensure_at_head()?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when the file is missing or invalid (one line, no value of the file
    /// quoted), [`Error::InvalidUrl`] for a malformed URL (password masked), and the errors
    /// of [`Migrator::new`].
    #[cfg(feature = "config")]
    pub fn from_config<S: MigrationSource + ?Sized>(
        source: &S,
        path: impl AsRef<std::path::Path>,
    ) -> Result<Migrator> {
        let config = crate::config::Config::load(path)?;
        config.apply(Migrator::new(source)?)
    }

    /// From an already built registry.
    pub fn from_registry(registry: Registry) -> Migrator {
        Migrator {
            registry,
            url: None,
            schema: None,
            version_table: "migrate_version".into(),
            history_table: "migrate_history".into(),
            lock_timeout: Duration::from_secs(60),
            timeouts: crate::StatementTimeouts::default(),
            locking: true,
            mode: TransactionMode::PerMigration,
            args: Arc::new(BTreeMap::new()),
            events: None,
            drift_check: true,
            naming: Arc::default(),
            branch: None,
        }
    }

    /// The database the convenience methods (`upgrade`, `status`, ...) connect to.
    pub fn url(mut self, url: &str) -> Result<Migrator> {
        self.url = Some(DatabaseUrl::parse(url)?);
        Ok(self)
    }

    /// Like [`url`](Migrator::url) with a parsed URL.
    pub fn database_url(mut self, url: DatabaseUrl) -> Migrator {
        self.url = Some(url);
        self
    }

    /// The version table's name (default `migrate_version`).
    pub fn version_table(mut self, name: impl Into<String>) -> Migrator {
        self.version_table = name.into();
        self
    }

    /// The history table's name (default `migrate_history`).
    pub fn history_table(mut self, name: impl Into<String>) -> Migrator {
        self.history_table = name.into();
        self
    }

    /// The schema (PostgreSQL), database (MySQL) or attached database (SQLite) holding the
    /// version and history tables (default: the connection's current one).
    pub fn version_table_schema(mut self, schema: impl Into<String>) -> Migrator {
        self.schema = Some(schema.into());
        self
    }

    /// The longest lock timeout every backend can wait: SQLite's busy timeout is an `int` of
    /// milliseconds (2147483 s, about 24.8 days); MySQL's `GET_LOCK` answers NULL for larger
    /// values.
    pub const MAX_LOCK_TIMEOUT: Duration = Duration::from_secs(2_147_483);

    /// How long a writing command waits for another one to finish (default 60 s). Longer than
    /// [`Migrator::MAX_LOCK_TIMEOUT`] is cut to it, so that no backend overflows into "no wait"
    /// or "wait forever".
    pub fn lock_timeout(mut self, timeout: Duration) -> Migrator {
        self.lock_timeout = timeout.min(Self::MAX_LOCK_TIMEOUT);
        self
    }

    /// Limits on the migrations' own statements: how long one waits for a table lock
    /// (`table_lock_timeout`), how long one runs (`statement_timeout`), and how often a
    /// transactional migration that timed out on a lock runs again (`lock_retries`).
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use migrate_core::{AnyMigration, Migrator, MigrationList, StatementTimeouts};
    /// let list = MigrationList::new().with(AnyMigration::builder("a1", |_| Ok(())));
    /// let m = Migrator::new(&list)?.statement_timeouts(StatementTimeouts {
    ///     table_lock: Some(Duration::from_secs(2)),
    ///     statement: None,
    ///     lock_retries: 3,
    /// });
    /// # let _ = m; Ok::<(), migrate_core::Error>(())
    /// ```
    pub fn statement_timeouts(mut self, timeouts: crate::StatementTimeouts) -> Migrator {
        self.timeouts = timeouts;
        self
    }

    pub(crate) fn timeouts(&self) -> crate::StatementTimeouts {
        self.timeouts
    }

    /// Turn the database lock off, for databases that can't lock (you then guarantee that only
    /// one process migrates at a time).
    pub fn without_lock(mut self) -> Migrator {
        self.locking = false;
        self
    }

    /// One transaction per migration (default) or one for the whole run.
    pub fn transaction_mode(mut self, mode: TransactionMode) -> Migrator {
        self.mode = mode;
        self
    }

    /// An `-x key=value` argument, readable in migrations as `op.arg("key")`.
    pub fn arg(mut self, key: impl Into<String>, value: impl Into<String>) -> Migrator {
        Arc::make_mut(&mut self.args).insert(key.into(), value.into());
        self
    }

    /// Whether [`check`](Migrator::check) also compares the database with the schema its
    /// migrations build ([`drift`](Migrator::drift); default on). `migrate check --no-drift`
    /// turns it off.
    pub fn drift_check(mut self, enabled: bool) -> Migrator {
        self.drift_check = enabled;
        self
    }

    /// Receive progress events (lock waits, each step started and finished, warnings).
    pub fn on_event(mut self, sink: impl Fn(&Event) + Send + Sync + 'static) -> Migrator {
        self.events = Some(Arc::new(sink));
        self
    }

    /// The migrations of its graph.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Their revision graph.
    pub fn graph(&self) -> &Graph {
        self.registry.graph()
    }

    /// The configured URL, if any.
    pub fn database(&self) -> Option<&DatabaseUrl> {
        self.url.as_ref()
    }

    /// Open a connection to the configured URL.
    pub fn connect(&self) -> Result<AnyConnection> {
        AnyConnection::establish_url(self.configured_url()?, self.lock_timeout)
    }

    /// Work on a connection you opened (e.g. `AnyConnection::from(pg_connection)`).
    pub fn on<'c>(&self, conn: &'c mut AnyConnection) -> Session<'_, 'c> {
        Session::new(self, conn)
    }

    /// Record the operations of `rev` (its upgrade, or its downgrade when `upgrade` is false)
    /// for `dialect`, without a database: what offline (`--sql`) mode renders.
    pub fn record(
        &self,
        rev: &str,
        upgrade: bool,
        dialect: Dialect,
    ) -> Result<Vec<migrate_sql::Operation>> {
        let m = self
            .registry
            .get(rev)
            .ok_or_else(|| Error::NoSuchRevision {
                rev: rev.to_string(),
            })?;
        let direction = if upgrade {
            migrate_graph::Direction::Up
        } else {
            migrate_graph::Direction::Down
        };
        let Recorded { ops, .. } =
            executor::record(m, direction, dialect, &self.args, &self.naming)?;
        Ok(ops)
    }

    fn configured_url(&self) -> Result<&DatabaseUrl> {
        self.url.as_ref().ok_or_else(|| Error::InvalidUrl {
            url: String::new(),
            reason: "no database URL configured; call Migrator::url first".into(),
        })
    }

    fn with_connection<T>(&self, f: impl FnOnce(&mut Session<'_, '_>) -> Result<T>) -> Result<T> {
        let mut conn = self.connect()?;
        f(&mut self.on(&mut conn))
    }

    /// Apply migrations up to `target` (`head`, `heads`, a revision, `+2`, `label@head` ...).
    /// Returns the revisions applied, in order.
    pub fn upgrade(&self, target: &str) -> Result<Vec<String>> {
        self.with_connection(|s| s.upgrade(target))
    }

    /// Revert migrations down to `target` (`-1`, a revision, `base`, `label@base` ...).
    /// Returns the revisions reverted, in order.
    pub fn downgrade(&self, target: &str) -> Result<Vec<String>> {
        self.with_connection(|s| s.downgrade(target))
    }

    /// Set the version rows to `targets` without running migrations (`purge` first deletes
    /// every row). Returns the new rows.
    pub fn stamp(&self, targets: &[&str], purge: bool) -> Result<Vec<String>> {
        self.with_connection(|s| s.stamp(targets, purge))
    }

    /// The version rows. Read-only: creates nothing (a missing SQLite file reads as empty).
    pub fn current(&self) -> Result<Vec<String>> {
        if self.configured_url()?.missing_sqlite_file().is_some() {
            return Ok(Vec::new());
        }
        self.with_connection(|s| s.current())
    }

    /// The last `limit` rows of the history table, newest first: each applied, reverted or
    /// stamped step with its checksum, start time, duration and outcome. Read-only: a database
    /// without a history table (or a missing SQLite file) has an empty history.
    pub fn history(&self, limit: usize) -> Result<Vec<HistoryEntry>> {
        if self.configured_url()?.missing_sqlite_file().is_some() {
            return Ok(Vec::new());
        }
        self.with_connection(|s| s.history(limit))
    }

    /// Current rows, heads and pending revisions. Read-only.
    pub fn status(&self) -> Result<Status> {
        if self.configured_url()?.missing_sqlite_file().is_some() {
            return self.status_of(Vec::new());
        }
        self.with_connection(|s| s.status())
    }

    /// The CI gate: the database is at head, no applied migration was edited, and (unless
    /// [`drift_check(false)`](Migrator::drift_check)) its schema is the one its migrations
    /// build ([`drift`](Migrator::drift); a difference fails with [`Error::Drift`]; what cannot
    /// be compared, and tables no migration made, are warning events). Read-only.
    pub fn check(&self) -> Result<Status> {
        if self.configured_url()?.missing_sqlite_file().is_some() {
            return self.require_up_to_date(self.status_of(Vec::new())?);
        }
        self.with_connection(|s| s.check())
    }

    /// The database's schema, read from its catalog into the schema model: tables (without
    /// the version, history and progress tables), columns, keys, unique constraints, indexes,
    /// foreign keys, checks, comments and PostgreSQL enum types of the connection's current
    /// schema (PostgreSQL), database (MySQL) or `main` (SQLite). What the model cannot
    /// represent (views, triggers, exclusion constraints, generated columns) is listed in
    /// [`Schema::not_modelled`](migrate_schema::Schema::not_modelled). Read-only.
    ///
    /// ```no_run
    /// # fn demo(migrator: &migrate_core::Migrator) -> migrate_core::Result<()> {
    /// let live = migrator.introspect()?;
    /// for (key, table) in live.tables() {
    ///     println!("{key}: {} columns", table.columns.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn introspect(&self) -> Result<migrate_schema::Schema> {
        self.with_connection(|s| s.introspect())
    }

    /// [`introspect`](Migrator::introspect), plus the tables and enum types of each of
    /// `schemas` (PostgreSQL schemas, MySQL databases; e.g. those the migrations create
    /// tables in), keyed by their schema. Read-only.
    pub fn introspect_schemas(&self, schemas: &[String]) -> Result<migrate_schema::Schema> {
        self.with_connection(|s| s.introspect_schemas(schemas))
    }

    /// Compare the database with the schema its migrations build at its version rows: the
    /// rows' migrations are recorded (not run), replayed on the model, and diffed with
    /// [`introspect`](Migrator::introspect), under the database's own
    /// [`Rules`](migrate_schema::Rules). Read-only.
    pub fn drift(&self) -> Result<crate::Drift> {
        self.with_connection(|s| s.drift())
    }

    /// The schema the migrations build up to the version rows `rows` (e.g. the heads), on
    /// `rules`' dialect, without a database. Raw SQL and Rust steps leave what they touch
    /// opaque (see [`migrate_schema::Schema::apply`]).
    ///
    /// ```no_run
    /// # fn demo(migrator: &migrate_core::Migrator) -> migrate_core::Result<()> {
    /// use migrate_core::schema::{diff, Rules};
    /// use migrate_core::sql::Dialect;
    /// let heads: Vec<String> = migrator.graph().heads().iter().map(|h| h.to_string()).collect();
    /// let expected = migrator.replay(&heads, Rules::new(Dialect::Postgres))?;
    /// let actual = migrator.introspect()?;
    /// assert!(diff(&expected, &actual).is_empty());
    /// # Ok(()) }
    /// ```
    pub fn replay(
        &self,
        rows: &[String],
        rules: migrate_schema::Rules,
    ) -> Result<migrate_schema::Schema> {
        crate::drift::replay(self, rows, rules)
    }

    /// Verify-only start-up: fail unless the database is at head. Read-only; an edited
    /// migration is reported as a warning event, not an error.
    pub fn ensure_at_head(&self) -> Result<Status> {
        if self.configured_url()?.missing_sqlite_file().is_some() {
            return self.require_up_to_date(self.status_of(Vec::new())?);
        }
        self.with_connection(|s| s.ensure_at_head())
    }

    pub(crate) fn status_of(&self, current: Vec<String>) -> Result<Status> {
        if let Some(rev) = self.registry.unknown_row(&current) {
            return Err(self.unknown(rev));
        }
        let heads = self.branch_heads()?;
        let plan = self
            .graph()
            .plan_upgrade(&current, &self.on_branch("heads"))?;
        Ok(Status {
            heads,
            pending: plan.steps.into_iter().map(|s| s.revision).collect(),
            current,
        })
    }

    pub(crate) fn require_up_to_date(&self, status: Status) -> Result<Status> {
        if status.is_up_to_date() {
            Ok(status)
        } else {
            Err(Error::NotAtHead {
                current: status.current,
                heads: status.heads,
            })
        }
    }

    pub(crate) fn unknown(&self, rev: &str) -> Error {
        Error::UnknownRevision {
            rev: rev.to_string(),
            table: crate::version_table::display_name(self.schema.as_deref(), &self.version_table),
        }
    }

    pub(crate) fn tables(&self, dialect: Dialect) -> Tables {
        Tables {
            dialect,
            schema: self.schema.clone(),
            version: self.version_table.clone(),
            history: self.history_table.clone(),
        }
    }

    pub(crate) fn emit(&self, event: &Event) {
        if let Some(sink) = &self.events {
            sink(event);
        }
    }

    pub(crate) fn settings(
        &self,
    ) -> (
        TransactionMode,
        Option<Duration>,
        &Arc<BTreeMap<String, String>>,
    ) {
        (
            self.mode,
            self.locking.then_some(self.lock_timeout),
            &self.args,
        )
    }

    /// Name unnamed constraints by `convention` (migrate.toml's `naming_convention`, as
    /// SQLAlchemy's `MetaData.naming_convention`; see
    /// [`NamingConvention`](migrate_sql::NamingConvention)), when running, rendering offline,
    /// replaying and checking drift alike.
    pub fn naming_convention(mut self, convention: migrate_sql::NamingConvention) -> Migrator {
        self.naming = Arc::new(convention);
        self
    }

    pub(crate) fn naming(&self) -> &migrate_sql::NamingConvention {
        &self.naming
    }

    pub(crate) fn drift_enabled(&self) -> bool {
        self.drift_check
    }

    pub(crate) fn lock_timeout_value(&self) -> Duration {
        self.lock_timeout
    }
}

impl fmt::Debug for Migrator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Migrator")
            .field("migrations", &self.registry.migrations().len())
            .field("url", &self.url)
            .field("schema", &self.schema)
            .field("version_table", &self.version_table)
            .field("history_table", &self.history_table)
            .field("lock_timeout", &self.lock_timeout)
            .field("timeouts", &self.timeouts)
            .field("locking", &self.locking)
            .field("mode", &self.mode)
            .field("args", &self.args)
            .field("drift_check", &self.drift_check)
            .field("branch", &self.branch)
            .finish_non_exhaustive()
    }
}
