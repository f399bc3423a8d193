//! Migrating over a Diesel connection the application already has: a typed connection
//! (`PgConnection`, `SqliteConnection`, `MysqlConnection`), one from an r2d2 or deadpool
//! pool, or an [`AnyConnection`]. The model is diesel_migrations' `MigrationHarness`
//! (`conn.run_pending_migrations(MIGRATIONS)`): an extension trait on connections.
//!
//! The commands run with the same lock, transactions and checks as [`Migrator::upgrade`] and
//! the others, on the given connection instead of one opened from a URL.
//!
//! # How a typed connection is lent
//!
//! Migration code receives an [`AnyConnection`] (`op.run(|conn| ..)`), which owns its
//! backend's connection. A typed connection is moved into one for the duration of the
//! command and moved back afterwards, panics included (the panic is caught, the connection
//! put back, and the panic resumed). `replace_with` does the move out of the `&mut`; it can
//! only abort where the connection could not be put back: when migration code replaces the
//! connection it was handed with one of another backend (`*conn = AnyConnection::Sqlite(..)`
//! inside a PostgreSQL run), which the process then does not survive.

use std::panic::{self, AssertUnwindSafe};

use crate::connection::AnyConnection;
use crate::error::Result;
use crate::migrator::{Migrator, Status};
use crate::session::Session;

/// The [`Migrator`] commands on a Diesel connection you hold: `conn.upgrade(&migrator,
/// "head")`, `conn.current(&migrator)`, `conn.ensure_at_head(&migrator)` ...
///
/// Implemented for [`AnyConnection`] and for each enabled backend's connection
/// (`diesel::SqliteConnection`, `diesel::PgConnection`, `diesel::MysqlConnection`). A pooled
/// connection dereferences to one of those, so the methods work on it directly: r2d2's
/// `PooledConnection` (and, with the `r2d2` feature, it implements the trait itself, for
/// generic code), deadpool-diesel's `conn.interact(move |c| c.upgrade(&migrator, "head"))`.
///
/// ```no_run
/// # #[cfg(feature = "postgres")]
/// # fn demo(migrator: &migrate_core::Migrator) -> Result<(), Box<dyn std::error::Error>> {
/// use diesel::Connection;
/// use migrate_core::Harness;
///
/// let mut conn = diesel::PgConnection::establish("postgres://app@db/app")?;
/// conn.upgrade(migrator, "head")?;        // under the lock, one transaction per migration
/// let status = conn.ensure_at_head(migrator)?;
/// println!("at {:?}", status.current);
/// # Ok(()) }
/// ```
pub trait Harness {
    /// Run `f` on a [`Session`] of `migrator` over this connection (the other methods are
    /// this with one command).
    ///
    /// # Errors
    ///
    /// What `f` returns.
    fn with_session<T>(
        &mut self,
        migrator: &Migrator,
        f: impl FnOnce(&mut Session<'_, '_>) -> Result<T>,
    ) -> Result<T>;

    /// See [`Migrator::upgrade`].
    ///
    /// # Errors
    ///
    /// As [`Migrator::upgrade`].
    fn upgrade(&mut self, migrator: &Migrator, target: &str) -> Result<Vec<String>> {
        self.with_session(migrator, |s| s.upgrade(target))
    }

    /// See [`Migrator::downgrade`].
    ///
    /// # Errors
    ///
    /// As [`Migrator::downgrade`].
    fn downgrade(&mut self, migrator: &Migrator, target: &str) -> Result<Vec<String>> {
        self.with_session(migrator, |s| s.downgrade(target))
    }

    /// See [`Migrator::stamp`].
    ///
    /// # Errors
    ///
    /// As [`Migrator::stamp`].
    fn stamp(&mut self, migrator: &Migrator, targets: &[&str], purge: bool) -> Result<Vec<String>> {
        self.with_session(migrator, |s| s.stamp(targets, purge))
    }

    /// See [`Migrator::current`].
    ///
    /// # Errors
    ///
    /// As [`Migrator::current`].
    fn current(&mut self, migrator: &Migrator) -> Result<Vec<String>> {
        self.with_session(migrator, |s| s.current())
    }

    /// See [`Migrator::status`].
    ///
    /// # Errors
    ///
    /// As [`Migrator::status`].
    fn status(&mut self, migrator: &Migrator) -> Result<Status> {
        self.with_session(migrator, |s| s.status())
    }

    /// See [`Migrator::ensure_at_head`].
    ///
    /// # Errors
    ///
    /// As [`Migrator::ensure_at_head`].
    fn ensure_at_head(&mut self, migrator: &Migrator) -> Result<Status> {
        self.with_session(migrator, |s| s.ensure_at_head())
    }

    /// See [`Migrator::check`].
    ///
    /// # Errors
    ///
    /// As [`Migrator::check`].
    fn check(&mut self, migrator: &Migrator) -> Result<Status> {
        self.with_session(migrator, |s| s.check())
    }

    /// See [`Migrator::on_start`]: the start-up modes on this connection.
    fn on_start(&mut self, migrator: &Migrator, mode: crate::StartMode) -> crate::StartStatus {
        self.with_session(migrator, |s| Ok(s.on_start(mode)))
            .unwrap_or_else(|e| crate::StartStatus::Degraded(e.into()))
    }
}

impl Harness for AnyConnection {
    fn with_session<T>(
        &mut self,
        migrator: &Migrator,
        f: impl FnOnce(&mut Session<'_, '_>) -> Result<T>,
    ) -> Result<T> {
        f(&mut migrator.on(self))
    }
}

/// Lend `conn` to `f` as an [`AnyConnection`] (`wrap`), and take it back (`unwrap`) however
/// `f` ends (see the module docs).
fn lend<C, T>(
    conn: &mut C,
    wrap: fn(C) -> AnyConnection,
    unwrap: fn(AnyConnection) -> Option<C>,
    f: impl FnOnce(&mut AnyConnection) -> T,
) -> T {
    let outcome = replace_with::replace_with_or_abort_and_return(conn, |owned| {
        let mut any = wrap(owned);
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| f(&mut any)));
        match unwrap(any) {
            Some(back) => (outcome, back),
            None => {
                eprintln!(
                    "migrate: migration code replaced the connection it was lent with another backend's; aborting"
                );
                std::process::abort()
            }
        }
    });
    match outcome {
        Ok(value) => value,
        Err(payload) => panic::resume_unwind(payload),
    }
}

macro_rules! typed_harness {
    ($feature:literal, $ty:ty, $variant:ident) => {
        #[cfg(feature = $feature)]
        impl Harness for $ty {
            fn with_session<T>(
                &mut self,
                migrator: &Migrator,
                f: impl FnOnce(&mut Session<'_, '_>) -> Result<T>,
            ) -> Result<T> {
                #[allow(unreachable_patterns)]
                fn unwrap(any: AnyConnection) -> Option<$ty> {
                    match any {
                        AnyConnection::$variant(c) => Some(c),
                        _ => None,
                    }
                }
                lend(self, AnyConnection::$variant, unwrap, |any| {
                    f(&mut migrator.on(any))
                })
            }
        }
    };
}

typed_harness!("sqlite", diesel::SqliteConnection, Sqlite);
typed_harness!("postgres", diesel::PgConnection, Postgres);
typed_harness!("mysql", diesel::MysqlConnection, Mysql);

/// A connection from an r2d2 pool of any connection type that is a [`Harness`].
#[cfg(feature = "r2d2")]
impl<C> Harness for diesel::r2d2::PooledConnection<diesel::r2d2::ConnectionManager<C>>
where
    C: Harness + diesel::r2d2::R2D2Connection + 'static,
{
    fn with_session<T>(
        &mut self,
        migrator: &Migrator,
        f: impl FnOnce(&mut Session<'_, '_>) -> Result<T>,
    ) -> Result<T> {
        (**self).with_session(migrator, f)
    }
}
