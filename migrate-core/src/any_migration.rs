//! A migration of any origin, as a [`Registry`](crate::Registry) holds it: a `#[migration]`
//! (all `'static`, plain `fn` pointers), a diesel_migrations folder entry, or one built in
//! code at run time with owned strings and closures.
//!
//! One shared, immutable value per migration (`Arc`), so a registry, the migrators built on
//! it and their clones share it, and nothing is leaked to make run-time data look `'static`.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::migration::Migration;
use crate::migration_error::MigrationError;
use crate::op::Op;

/// Text that is `'static` when the migration is compiled in, owned when built at run time.
pub type Text = Cow<'static, str>;

/// An upgrade or downgrade as a closure: what [`AnyMigration::builder`] takes.
type Closure = Arc<dyn Fn(&mut Op) -> Result<()> + Send + Sync>;

/// A migration's code: a `#[migration]` fn pointer, or a closure (which may own data).
#[derive(Clone)]
enum Code {
    Fn(fn(&mut Op) -> Result<()>),
    /// A fn returning the prelude's `Result`, its error converted on return.
    Prelude(fn(&mut Op) -> std::result::Result<(), MigrationError>),
    Closure(Closure),
}

impl Code {
    fn closure<F>(f: F) -> Code
    where
        F: Fn(&mut Op) -> std::result::Result<(), MigrationError> + Send + Sync + 'static,
    {
        Code::Closure(Arc::new(move |op: &mut Op| f(op).map_err(Error::from)))
    }

    fn call(&self, op: &mut Op) -> Result<()> {
        match self {
            Code::Fn(f) => f(op),
            Code::Prelude(f) => f(op).map_err(Error::from),
            Code::Closure(f) => f(op),
        }
    }
}

#[derive(Clone)]
struct Inner {
    rev: Text,
    down_revs: Vec<Text>,
    depends_on: Vec<Text>,
    branch_labels: Vec<Text>,
    message: Text,
    checksum: Text,
    legacy_checksum: Text,
    source_file: Text,
    line: u32,
    upgrade: Code,
    downgrade: Option<Code>,
    transactional: bool,
    allow_lint: Vec<Text>,
    allow_lint_reason: Text,
    table_lock_timeout: Option<std::time::Duration>,
    statement_timeout: Option<std::time::Duration>,
    /// Built by `#[migration]`: the same one reached twice (`inventory` and a set) is one
    /// migration, not a duplicate.
    compiled: bool,
}

/// A migration in a [`Registry`](crate::Registry): its metadata and its code, whatever
/// [`MigrationSource`](crate::MigrationSource) it came from.
///
/// Cheap to clone (shared). Build one in code with [`AnyMigration::builder`]; a
/// `#[migration]`'s [`Migration`] converts with `From`.
#[derive(Clone)]
pub struct AnyMigration(Arc<Inner>);

/// The prefix of a checksum in the current scheme (`migrate_source::CHECKSUM_SCHEME`).
const CHECKSUM_SCHEME: &str = "v2:";

/// A `#[migration]` duration key's milliseconds (0 when absent).
fn millis(ms: u64) -> Option<std::time::Duration> {
    (ms > 0).then(|| std::time::Duration::from_millis(ms))
}

fn texts(items: &'static [&'static str]) -> Vec<Text> {
    items.iter().map(|s| Cow::Borrowed(*s)).collect()
}

impl From<Migration> for AnyMigration {
    fn from(m: Migration) -> AnyMigration {
        AnyMigration(Arc::new(Inner {
            rev: Cow::Borrowed(m.rev),
            down_revs: texts(m.down_revs),
            depends_on: texts(m.depends_on),
            branch_labels: texts(m.branch_labels),
            message: Cow::Borrowed(m.message),
            checksum: Cow::Borrowed(m.checksum),
            legacy_checksum: Cow::Borrowed(m.legacy_checksum),
            source_file: Cow::Borrowed(m.source_file),
            line: m.line,
            upgrade: m.upgrade_prelude.map_or(Code::Fn(m.upgrade), Code::Prelude),
            downgrade: m.downgrade.map(Code::Fn),
            transactional: m.transactional,
            allow_lint: texts(m.allow_lint),
            allow_lint_reason: Cow::Borrowed(m.allow_lint_reason),
            table_lock_timeout: millis(m.table_lock_timeout_ms),
            statement_timeout: millis(m.statement_timeout_ms),
            compiled: true,
        }))
    }
}

impl From<&Migration> for AnyMigration {
    fn from(m: &Migration) -> AnyMigration {
        AnyMigration::from(*m)
    }
}

impl AnyMigration {
    /// Start a migration built in code: revision `rev` whose upgrade is `upgrade` (a closure
    /// that may own what it needs). It is a root until [`down_rev`](MigrationBuilder::down_rev)
    /// says otherwise; the caller's file and line are its location (in errors, and the
    /// tie-break order of independent branches).
    ///
    /// ```
    /// use migrate_core::AnyMigration;
    /// let table = String::from("audit_log");
    /// let sql = format!("CREATE TABLE {table} (id INTEGER)");
    /// let m = AnyMigration::builder("a1b2c3", move |op| {
    ///     op.execute_reversible(sql.as_str(), "DROP TABLE audit_log")?;
    ///     Ok(())
    /// })
    /// .message(format!("create {table}"))
    /// .build();
    /// assert_eq!(m.rev(), "a1b2c3");
    /// assert!(m.down_revs().is_empty());
    /// ```
    #[track_caller]
    pub fn builder<F>(rev: impl Into<String>, upgrade: F) -> MigrationBuilder
    where
        F: Fn(&mut Op) -> std::result::Result<(), MigrationError> + Send + Sync + 'static,
    {
        let at = std::panic::Location::caller();
        MigrationBuilder(Inner {
            rev: Cow::Owned(rev.into()),
            down_revs: Vec::new(),
            depends_on: Vec::new(),
            branch_labels: Vec::new(),
            message: Cow::Borrowed(""),
            checksum: Cow::Borrowed(""),
            legacy_checksum: Cow::Borrowed(""),
            source_file: Cow::Borrowed(at.file()),
            line: at.line(),
            upgrade: Code::closure(upgrade),
            downgrade: None,
            transactional: true,
            allow_lint: Vec::new(),
            allow_lint_reason: Cow::Borrowed(""),
            table_lock_timeout: None,
            statement_timeout: None,
            compiled: false,
        })
    }

    /// Revision id.
    pub fn rev(&self) -> &str {
        &self.0.rev
    }

    /// Versioned parents (`down_rev`).
    pub fn down_revs(&self) -> &[Text] {
        &self.0.down_revs
    }

    /// `depends_on` parents (ids or labels).
    pub fn depends_on(&self) -> &[Text] {
        &self.0.depends_on
    }

    /// Branch labels declared here.
    pub fn branch_labels(&self) -> &[Text] {
        &self.0.branch_labels
    }

    /// The message `history` shows.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The checksum new history rows store (empty: none, never reported as edited).
    pub fn checksum(&self) -> &str {
        &self.0.checksum
    }

    /// The checksum in the legacy scheme (see [`Migration::legacy_checksum`]); often empty.
    pub fn legacy_checksum(&self) -> &str {
        &self.0.legacy_checksum
    }

    /// Where it is defined: a source file, a diesel folder's `up.sql`, or the code that built it.
    pub fn source_file(&self) -> &str {
        &self.0.source_file
    }

    /// The line in [`source_file`](AnyMigration::source_file).
    pub fn line(&self) -> u32 {
        self.0.line
    }

    /// Whether it runs inside a transaction.
    pub fn transactional(&self) -> bool {
        self.0.transactional
    }

    /// The `migrate lint` rules (ids or categories) it allows (`allow_lint = [..]`).
    pub fn allow_lint(&self) -> &[Text] {
        &self.0.allow_lint
    }

    /// Why it allows them (`allow_lint_reason = ".."`).
    pub fn allow_lint_reason(&self) -> &str {
        &self.0.allow_lint_reason
    }

    /// Its own `table_lock_timeout` and `statement_timeout` (over migrate.toml's), if set.
    pub fn timeouts(&self) -> (Option<std::time::Duration>, Option<std::time::Duration>) {
        (self.0.table_lock_timeout, self.0.statement_timeout)
    }

    /// Whether it has an explicit downgrade (otherwise one is derived from the upgrade's
    /// operations, when they are all reversible).
    pub fn has_downgrade(&self) -> bool {
        self.0.downgrade.is_some()
    }

    /// See [`Migration::checksum_matches`].
    pub fn checksum_matches(&self, stored: &str) -> bool {
        stored == self.checksum_like(stored)
    }

    /// See [`Migration::checksum_like`].
    pub fn checksum_like(&self, stored: &str) -> &str {
        if stored.starts_with(CHECKSUM_SCHEME) || self.0.legacy_checksum.is_empty() {
            &self.0.checksum
        } else {
            &self.0.legacy_checksum
        }
    }

    /// Run the upgrade (`down == false`) or the explicit downgrade to record operations on
    /// `op`. A downgrade without explicit code is an error here; the executor derives it.
    pub(crate) fn call(&self, down: bool, op: &mut Op) -> Result<()> {
        match (down, &self.0.downgrade) {
            (false, _) => self.0.upgrade.call(op),
            (true, Some(code)) => code.call(op),
            (true, None) => Err(Error::Message(format!(
                "migration {} has no downgrade code",
                self.rev()
            ))),
        }
    }

    /// Whether this and `other` are the same `#[migration]` reached twice.
    pub(crate) fn same_compiled(&self, other: &AnyMigration) -> bool {
        self.0.compiled
            && other.0.compiled
            && self.0.rev == other.0.rev
            && self.0.source_file == other.0.source_file
    }

    /// Replace the versioned parents (a diesel chain put on top of another revision).
    #[cfg_attr(not(feature = "diesel-migrations"), allow(dead_code))]
    pub(crate) fn set_down_revs(&mut self, revs: Vec<Text>) {
        Arc::make_mut(&mut self.0).down_revs = revs;
    }

    /// Replace the branch labels.
    #[cfg_attr(not(feature = "diesel-migrations"), allow(dead_code))]
    pub(crate) fn set_branch_labels(&mut self, labels: Vec<Text>) {
        Arc::make_mut(&mut self.0).branch_labels = labels;
    }
}

impl fmt::Debug for AnyMigration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AnyMigration")
            .field("rev", &self.0.rev)
            .field("down_revs", &self.0.down_revs)
            .field("depends_on", &self.0.depends_on)
            .field("branch_labels", &self.0.branch_labels)
            .field("message", &self.0.message)
            .field("source_file", &self.0.source_file)
            .field("line", &self.0.line)
            .field("transactional", &self.0.transactional)
            .finish_non_exhaustive()
    }
}

/// Builds an [`AnyMigration`] in code (see [`AnyMigration::builder`]).
#[must_use = "call .build(), or pass the builder where an AnyMigration is expected"]
pub struct MigrationBuilder(Inner);

impl MigrationBuilder {
    /// Add a versioned parent (call it twice for a merge).
    pub fn down_rev(mut self, rev: impl Into<String>) -> Self {
        self.0.down_revs.push(Cow::Owned(rev.into()));
        self
    }

    /// Add a `depends_on` parent (an id or a branch label).
    pub fn depends_on(mut self, rev: impl Into<String>) -> Self {
        self.0.depends_on.push(Cow::Owned(rev.into()));
        self
    }

    /// Add a branch label.
    pub fn branch_label(mut self, label: impl Into<String>) -> Self {
        self.0.branch_labels.push(Cow::Owned(label.into()));
        self
    }

    /// The message `history` shows.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.0.message = Cow::Owned(message.into());
        self
    }

    /// The checksum stored in history rows, which `check` compares (say, a hash of the SQL
    /// this migration runs). Without one the migration is never reported as edited.
    pub fn checksum(mut self, checksum: impl Into<String>) -> Self {
        self.0.checksum = Cow::Owned(checksum.into());
        self
    }

    /// An explicit downgrade; without one it is derived from the upgrade's operations.
    pub fn downgrade<F>(mut self, downgrade: F) -> Self
    where
        F: Fn(&mut Op) -> std::result::Result<(), MigrationError> + Send + Sync + 'static,
    {
        self.0.downgrade = Some(Code::closure(downgrade));
        self
    }

    /// `false`: run outside a transaction (as `#[migration(transactional = false)]`).
    pub fn transactional(mut self, transactional: bool) -> Self {
        self.0.transactional = transactional;
        self
    }

    /// Allow `migrate lint`'s `rules` (ids or categories) for this migration, saying `why`
    /// (as `#[migration(allow_lint = [..], allow_lint_reason = "..")]`).
    pub fn allow_lint<S: Into<String>>(
        mut self,
        rules: impl IntoIterator<Item = S>,
        why: impl Into<String>,
    ) -> Self {
        self.0.allow_lint = rules.into_iter().map(|r| Cow::Owned(r.into())).collect();
        self.0.allow_lint_reason = Cow::Owned(why.into());
        self
    }

    /// This migration's own `table_lock_timeout` and `statement_timeout` (over the
    /// migrator's), as `#[migration(table_lock_timeout = "2s", statement_timeout = "30s")]`.
    pub fn timeouts(
        mut self,
        table_lock: Option<std::time::Duration>,
        statement: Option<std::time::Duration>,
    ) -> Self {
        self.0.table_lock_timeout = table_lock;
        self.0.statement_timeout = statement;
        self
    }

    /// Where it is defined, instead of the caller of [`AnyMigration::builder`].
    #[cfg_attr(not(feature = "diesel-migrations"), allow(dead_code))]
    pub(crate) fn location(mut self, file: String, line: u32) -> Self {
        self.0.source_file = Cow::Owned(file);
        self.0.line = line;
        self
    }

    /// The migration.
    pub fn build(self) -> AnyMigration {
        AnyMigration(Arc::new(self.0))
    }
}

impl From<MigrationBuilder> for AnyMigration {
    fn from(b: MigrationBuilder) -> AnyMigration {
        b.build()
    }
}

impl fmt::Debug for MigrationBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("MigrationBuilder")
            .field(&self.0.rev)
            .finish()
    }
}
