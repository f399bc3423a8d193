//! Internal to `migrate` (semver exempt): `migrate lint`'s rules over the operations a
//! migration records, per dialect, before anything runs.
//!
//! Each rule looks at one recorded [`Operation`](migrate_sql::Operation) (or at a whole
//! migration) with what the schema model knows at that point: the tables earlier migrations
//! built, and the ones this migration created itself (nothing can be locked on those yet, so
//! the lock, rewrite and compatibility rules stay quiet there). Raw PostgreSQL SQL
//! (`op.execute`) is linted by squawk's rules (the `squawk-linter` crate).
//!
//! # Example
//!
//! ```
//! use migrate_lint::{lint, LintConfig, MigrationInput, Severity};
//! use migrate_schema::Schema;
//! use migrate_sql::{Dialect, Operations, Type};
//!
//! let mut op = Operations::default();
//! op.drop_column("users", "legacy_email")?;
//! let input = MigrationInput::new("b2c3", op.as_slice());
//! let before = Schema::new(Dialect::Postgres);
//! let findings = lint(&before, &input, &LintConfig::default(), None);
//! assert_eq!(findings[0].rule, "drop-column");
//! assert_eq!(findings[0].severity, Severity::Error);
//! # Ok::<(), migrate_sql::Error>(())
//! ```
//!
//! # Details
//!
//! [`RULES`] lists every rule: its id (what `[lint]` in migrate.toml and `allow_lint` name),
//! the dialects it applies to, its default severity, its squawk or Atlas counterpart and its
//! fix; docs/guide.md has the same table for users.

#![warn(missing_docs, unreachable_pub)]
#![forbid(unsafe_code)]

mod config;
mod engine;
mod finding;
pub mod rules;
mod schema_rs;
mod sqltext;
mod squawk;

pub use config::{check_allowance, ConfigError, LintConfig};
pub use engine::{lint, Cx, Hit, MigrationInput};
pub use finding::{Finding, Severity};
pub use rules::{Category, Check, Rule, RULES};
pub use schema_rs::DieselColumns;

/// The rule with id `id`, if there is one (squawk's rules are `squawk:<name>`, not listed).
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.id == id)
}
