//! The start-up modes, written once over the two ways the library reaches a database: a
//! [`Migrator`]'s URL (a connection per command, as its other methods) and a [`Session`] on a
//! connection the application holds.

use std::collections::HashSet;

use crate::error::{Error, Result};
use crate::migrator::{Migrator, Status};
use crate::session::Session;

use super::{Ahead, StartMode, StartStatus};

/// The commands a start-up uses.
trait Db {
    fn migrator(&self) -> &Migrator;
    fn upgrade(&mut self) -> Result<Vec<String>>;
    fn ensure_at_head(&mut self) -> Result<Status>;
    fn status(&mut self) -> Result<Status>;
    fn current(&mut self) -> Result<Vec<String>>;
    /// The revisions the history table records as applied; `None` without a history table.
    fn recorded(&mut self) -> Result<Option<HashSet<String>>>;
}

impl Db for &Migrator {
    fn migrator(&self) -> &Migrator {
        self
    }
    fn upgrade(&mut self) -> Result<Vec<String>> {
        Migrator::upgrade(self, "heads")
    }
    fn ensure_at_head(&mut self) -> Result<Status> {
        Migrator::ensure_at_head(self)
    }
    fn status(&mut self) -> Result<Status> {
        Migrator::status(self)
    }
    fn current(&mut self) -> Result<Vec<String>> {
        Migrator::current(self)
    }
    fn recorded(&mut self) -> Result<Option<HashSet<String>>> {
        let mut conn = self.connect()?;
        self.tables(conn.dialect()).recorded(&mut conn)
    }
}

impl Db for Session<'_, '_> {
    fn migrator(&self) -> &Migrator {
        Session::migrator(self)
    }
    fn upgrade(&mut self) -> Result<Vec<String>> {
        Session::upgrade(self, "heads")
    }
    fn ensure_at_head(&mut self) -> Result<Status> {
        Session::ensure_at_head(self)
    }
    fn status(&mut self) -> Result<Status> {
        Session::status(self)
    }
    fn current(&mut self) -> Result<Vec<String>> {
        Session::current(self)
    }
    fn recorded(&mut self) -> Result<Option<HashSet<String>>> {
        let tables = Session::migrator(self).tables(self.connection().dialect());
        tables.recorded(self.connection())
    }
}

impl Migrator {
    /// Start-up in `mode` on the configured URL: `Migrate` applies pending migrations
    /// (`upgrade heads`, under the database lock, as `migrate upgrade heads`); `Verify` and
    /// `VerifyAtOrAhead` only read (nothing is created); `Off` opens no connection. Never
    /// fails: a failure is [`StartStatus::Degraded`], which the application keeps, reports
    /// and can retry (see [`Startup`](crate::Startup), which keeps it for you).
    ///
    /// ```no_run
    /// # fn demo(migrator: &migrate_core::Migrator) {
    /// use migrate_core::{StartMode, StartStatus};
    /// match migrator.on_start(StartMode::VerifyAtOrAhead) {
    ///     StartStatus::Ok { .. } | StartStatus::Ahead(_) => {} // serve
    ///     other => eprintln!("not serving: {other}"),
    /// }
    /// # }
    /// ```
    pub fn on_start(&self, mode: StartMode) -> StartStatus {
        on_start(&mut &*self, mode)
    }
}

impl Session<'_, '_> {
    /// [`Migrator::on_start`] on this session's connection.
    pub fn on_start(&mut self, mode: StartMode) -> StartStatus {
        on_start(self, mode)
    }
}

fn on_start(db: &mut impl Db, mode: StartMode) -> StartStatus {
    match mode {
        StartMode::Off => StartStatus::Off,
        StartMode::Migrate => match db.upgrade() {
            Ok(applied) => match db.status() {
                Ok(status) => StartStatus::Ok { status, applied },
                Err(e) => StartStatus::Degraded(e.into()),
            },
            Err(e @ Error::UnknownRevision { .. }) => ahead_or(db, e),
            Err(e) => StartStatus::Degraded(e.into()),
        },
        StartMode::Verify | StartMode::VerifyAtOrAhead => match db.ensure_at_head() {
            Ok(status) => StartStatus::Ok {
                status,
                applied: Vec::new(),
            },
            Err(Error::NotAtHead { .. }) => match db.status() {
                Ok(status) => StartStatus::Behind { status },
                Err(e) => StartStatus::Degraded(e.into()),
            },
            Err(e @ Error::UnknownRevision { .. }) => ahead_or(db, e),
            Err(e) => StartStatus::Degraded(e.into()),
        },
    }
}

/// The version table names a revision this build lacks: ahead, or the original error.
fn ahead_or(db: &mut impl Db, unknown: Error) -> StartStatus {
    match ahead(db) {
        Ok(Some(ahead)) => StartStatus::Ahead(ahead),
        Ok(None) | Err(_) => StartStatus::Degraded(unknown.into()),
    }
}

/// See the module docs of `startup`, "What ahead means".
fn ahead(db: &mut impl Db) -> Result<Option<Ahead>> {
    let current = db.current()?;
    let registry = db.migrator().registry();
    let unknown: Vec<String> = current
        .iter()
        .filter(|r| registry.get(r).is_none())
        .cloned()
        .collect();
    if unknown.is_empty() {
        return Ok(None);
    }
    let heads: Vec<String> = db
        .migrator()
        .graph()
        .heads()
        .into_iter()
        .map(str::to_string)
        .collect();
    let Some(recorded) = db.recorded()? else {
        return Ok(None);
    };
    let applied = heads
        .iter()
        .all(|h| current.contains(h) || recorded.contains(h));
    Ok(applied.then_some(Ahead {
        current,
        heads,
        unknown,
    }))
}
