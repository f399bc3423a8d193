//! [`Startup`]: the start-up status an application keeps for its health endpoint and admin
//! page, and retries.

use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::migrator::Migrator;

use super::{StartMode, StartStatus};

/// A [`Migrator`], its [`StartMode`] and the status of the last start-up (or retry): shared
/// by an application's handlers (`Arc<Startup>`).
///
/// ```no_run
/// # fn demo(migrator: migrate_core::Migrator) {
/// use migrate_core::{StartMode, Startup};
/// let startup = Startup::start(migrator, StartMode::Migrate);
/// if let Some(error) = startup.status().error() {
///     eprintln!("migrations failed, serving degraded: {error}");
/// }
/// // Later, after the cause is fixed (an admin page's button):
/// let after = startup.retry();
/// # let _ = after; }
/// ```
#[derive(Debug)]
pub struct Startup {
    migrator: Migrator,
    mode: StartMode,
    last: Mutex<StartStatus>,
    /// Serialises retries from this process (the database lock does it across processes), so
    /// two concurrent retries don't queue on the lock.
    running: Mutex<()>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere leaves the status as it was last set: still the best answer.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Startup {
    /// Run the start-up in `mode` ([`Migrator::on_start`]) and keep its status.
    pub fn start(migrator: Migrator, mode: StartMode) -> Startup {
        let startup = Startup {
            migrator,
            mode,
            last: Mutex::new(StartStatus::Off),
            running: Mutex::new(()),
        };
        startup.retry();
        startup
    }

    /// Run the start-up again, in the same mode (`Migrate` applies what is pending; the
    /// verify modes read again), keep the status and return it.
    pub fn retry(&self) -> StartStatus {
        let _one_at_a_time = lock(&self.running);
        let status = self.migrator.on_start(self.mode);
        *lock(&self.last) = status.clone();
        status
    }

    /// The status of the last start-up or retry.
    pub fn status(&self) -> StartStatus {
        lock(&self.last).clone()
    }

    /// Where the database stands now, read-only (what `Verify` would find), without changing
    /// the kept status: for a health endpoint that reports changes made behind the
    /// application's back (a downgrade, a newer release).
    pub fn check(&self) -> StartStatus {
        self.migrator.on_start(StartMode::Verify)
    }

    /// Whether the last start-up left a schema this build can use in its mode
    /// ([`StartStatus::is_usable`]).
    pub fn is_usable(&self) -> bool {
        lock(&self.last).is_usable(self.mode)
    }

    /// The mode.
    pub fn mode(&self) -> StartMode {
        self.mode
    }

    /// The migrator.
    pub fn migrator(&self) -> &Migrator {
        &self.migrator
    }
}
