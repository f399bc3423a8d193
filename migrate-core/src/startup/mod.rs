//! Start-up for applications: migrate, verify, verify-at-or-ahead or nothing, chosen in code
//! or from the environment, with a status the application keeps, reports and can retry.
//!
//! ```no_run
//! # fn demo(migrations: &migrate_core::MigrationSet) -> Result<(), Box<dyn std::error::Error>> {
//! use migrate_core::{Migrator, StartMode, Startup};
//!
//! let migrator = Migrator::from_config(&[migrations], "migrate.toml")?;
//! // MIGRATE_ON_START=migrate|verify|verify-at-or-ahead|off (or DISABLE_AUTO_MIGRATIONS=true)
//! let mode = StartMode::from_env(StartMode::Verify)?;
//! let startup = Startup::start(migrator, mode);
//! if !startup.is_usable() {
//!     eprintln!("migrations: {}", startup.status()); // e.g. "failed: migration 3f1c... failed: ..."
//! }
//! // ... serve; an admin action calls `startup.retry()`.
//! # Ok(()) }
//! ```
//!
//! The modes run the library's own commands, so they hold the same lock and give the same
//! guarantees as the CLI: `Migrate` is `upgrade heads` (under the database lock; N replicas
//! starting at once apply each migration once), the verify modes are read-only and create
//! nothing.
//!
//! # What "ahead" means
//!
//! A database is **ahead** of this build when its version table names revisions this build
//! does not have, and every head of this build is either a version row itself or recorded as
//! applied in the history table (its last successful step there is an upgrade or a stamp, not
//! a downgrade). That is what a newer release leaves behind when it migrated past this build's
//! heads: the rolling deploy where new code migrated first. An unknown revision can't be placed
//! in this build's graph, so descent is judged from the history table; a database without one
//! (or whose history shows this build's head reverted or never applied) is not ahead, and the
//! unknown revision is an error, [`Error::UnknownRevision`](crate::Error::UnknownRevision).

mod keeper;
mod run;
mod status;

use std::fmt;
use std::str::FromStr;

pub use keeper::Startup;
pub use status::{Ahead, StartError, StartStatus};

/// What an application does with its database at start-up (and on [`Startup::retry`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StartMode {
    /// Apply pending migrations (`upgrade heads`) under the database lock. A failure leaves
    /// the application up, [`StartStatus::Degraded`]; a database [ahead](self#what-ahead-means)
    /// is left alone and accepted (there is nothing this build could apply).
    Migrate,
    /// Read-only: the database must be exactly at this build's heads; behind or ahead is not
    /// usable (the production pattern, where a release job runs `migrate upgrade`).
    Verify,
    /// Read-only, as [`Verify`](StartMode::Verify), but a database
    /// [ahead](self#what-ahead-means) of this build is accepted: rolling deploys, where the new
    /// release migrated first and old replicas keep serving.
    VerifyAtOrAhead,
    /// Nothing: no connection is opened and nothing is checked.
    Off,
}

impl StartMode {
    /// The variable naming the mode: `migrate` (also `true`, `1`, `yes`, `on`), `verify`
    /// (also `false`, `0`, `no`), `verify-at-or-ahead`, or `off`.
    pub const ENV: &'static str = "MIGRATE_ON_START";
    /// The seed projects' switch: `true` means verify instead of migrating, `false` migrate.
    pub const DISABLE_ENV: &'static str = "DISABLE_AUTO_MIGRATIONS";

    /// The mode the environment asks for ([`ENV`](StartMode::ENV), then
    /// [`DISABLE_ENV`](StartMode::DISABLE_ENV)), else `default`. An empty variable counts as
    /// unset.
    ///
    /// # Errors
    ///
    /// A value that is not a mode, or `MIGRATE_ON_START=migrate` together with
    /// `DISABLE_AUTO_MIGRATIONS=true`: one line naming the variable and the values it takes.
    pub fn from_env(default: StartMode) -> Result<StartMode, ModeError> {
        let var = |name| std::env::var(name).ok();
        StartMode::from_values(
            var(StartMode::ENV).as_deref(),
            var(StartMode::DISABLE_ENV).as_deref(),
            default,
        )
    }

    /// [`from_env`](StartMode::from_env) on given values of `MIGRATE_ON_START` and
    /// `DISABLE_AUTO_MIGRATIONS`.
    ///
    /// ```
    /// use migrate_core::StartMode;
    /// assert_eq!(StartMode::from_values(Some("verify-at-or-ahead"), None, StartMode::Verify)?, StartMode::VerifyAtOrAhead);
    /// assert_eq!(StartMode::from_values(None, Some("true"), StartMode::Migrate)?, StartMode::Verify);
    /// assert_eq!(StartMode::from_values(None, None, StartMode::Off)?, StartMode::Off);
    /// assert!(StartMode::from_values(Some("sometimes"), None, StartMode::Off).is_err());
    /// # Ok::<(), migrate_core::ModeError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`from_env`](StartMode::from_env).
    pub fn from_values(
        on_start: Option<&str>,
        disable: Option<&str>,
        default: StartMode,
    ) -> Result<StartMode, ModeError> {
        fn set(v: Option<&str>) -> Option<&str> {
            v.map(str::trim).filter(|v| !v.is_empty())
        }
        let disabled = match set(disable) {
            None => None,
            Some(v) => Some(boolean(v).ok_or_else(|| {
                ModeError(format!(
                    "{}={v:?} is not a boolean; use true or false",
                    StartMode::DISABLE_ENV
                ))
            })?),
        };
        match set(on_start) {
            Some(v) => {
                let mode: StartMode = v
                    .parse()
                    .map_err(|ModeError(why)| ModeError(format!("{}={why}", StartMode::ENV)))?;
                if mode == StartMode::Migrate && disabled == Some(true) {
                    return Err(ModeError(format!(
                        "{}={v} contradicts {}=true; unset one of them",
                        StartMode::ENV,
                        StartMode::DISABLE_ENV
                    )));
                }
                Ok(mode)
            }
            None => Ok(match disabled {
                Some(true) => StartMode::Verify,
                Some(false) => StartMode::Migrate,
                None => default,
            }),
        }
    }

    /// The name `MIGRATE_ON_START` takes: `migrate`, `verify`, `verify-at-or-ahead`, `off`.
    pub fn as_str(self) -> &'static str {
        match self {
            StartMode::Migrate => "migrate",
            StartMode::Verify => "verify",
            StartMode::VerifyAtOrAhead => "verify-at-or-ahead",
            StartMode::Off => "off",
        }
    }

    /// Whether a database [ahead](self#what-ahead-means) of this build is usable in this
    /// mode: in `VerifyAtOrAhead` and `Migrate`, not in `Verify`.
    pub fn accepts_ahead(self) -> bool {
        matches!(self, StartMode::VerifyAtOrAhead | StartMode::Migrate)
    }
}

fn boolean(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

impl FromStr for StartMode {
    type Err = ModeError;

    fn from_str(s: &str) -> Result<StartMode, ModeError> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "migrate" | "true" | "1" | "yes" | "on" => StartMode::Migrate,
            "verify" | "false" | "0" | "no" => StartMode::Verify,
            "verify-at-or-ahead" | "verify_at_or_ahead" => StartMode::VerifyAtOrAhead,
            "off" => StartMode::Off,
            _ => {
                return Err(ModeError(format!(
                    "{s:?} is not a start-up mode; use migrate, verify, verify-at-or-ahead or off"
                )))
            }
        })
    }
}

impl fmt::Display for StartMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A start-up mode that could not be read (one line, naming the variable).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ModeError(String);

#[cfg(test)]
mod tests {
    use super::StartMode::{self, *};

    fn mode(on: Option<&str>, disable: Option<&str>) -> Result<StartMode, String> {
        StartMode::from_values(on, disable, Verify).map_err(|e| e.to_string())
    }

    #[test]
    fn names_and_booleans() {
        for (v, m) in [
            ("migrate", Migrate),
            ("TRUE", Migrate),
            ("1", Migrate),
            ("verify", Verify),
            ("false", Verify),
            ("verify-at-or-ahead", VerifyAtOrAhead),
            ("off", Off),
        ] {
            assert_eq!(mode(Some(v), None), Ok(m), "{v}");
            assert_eq!(m.as_str().parse::<StartMode>(), Ok(m));
        }
        assert_eq!(mode(Some(""), None), Ok(Verify), "empty is unset");
    }

    #[test]
    fn the_seeds_switch() {
        assert_eq!(mode(None, Some("true")), Ok(Verify));
        assert_eq!(mode(None, Some("false")), Ok(Migrate));
        assert_eq!(mode(Some("off"), Some("true")), Ok(Off));
        assert_eq!(mode(Some("verify"), Some("false")), Ok(Verify));
        assert_eq!(
            mode(Some("migrate"), Some("true")),
            Err("MIGRATE_ON_START=migrate contradicts DISABLE_AUTO_MIGRATIONS=true; unset one of them".into())
        );
    }

    #[test]
    fn bad_values_name_the_variable() {
        assert_eq!(
            mode(Some("sometimes"), None),
            Err("MIGRATE_ON_START=\"sometimes\" is not a start-up mode; use migrate, verify, verify-at-or-ahead or off".into())
        );
        assert_eq!(
            mode(None, Some("maybe")),
            Err("DISABLE_AUTO_MIGRATIONS=\"maybe\" is not a boolean; use true or false".into())
        );
    }
}
