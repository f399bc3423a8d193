//! Alembic-grade schema migrations for Rust: migrations written as Rust functions
//! (`#[migration]`), a revision graph with Alembic's semantics, and an executor over Diesel
//! connections for SQLite, PostgreSQL and MySQL/MariaDB with a version table, a history table
//! and a database lock.
//!
//! A migration file (see [`prelude`]):
//!
//! ```ignore
//! use migrate_core::prelude::*;
//!
//! /// Create the users table.
//! #[migration(rev = "1f3a9c0de2b4", down_rev = "0a7be11c9d02")]
//! pub fn upgrade(op: &mut Op) -> Result<()> {
//!     op.execute_reversible("CREATE TABLE users (id BIGINT PRIMARY KEY)", "DROP TABLE users")?;
//!     Ok(())
//! }
//! ```
//!
//! An application at start-up (see [`Migrator`]):
//!
//! ```no_run
//! # fn demo(migrations: &migrate_core::MigrationSet) -> migrate_core::Result<()> {
//! let migrator = migrate_core::Migrator::new(&[migrations])?.url("postgres://app@db/app")?;
//! migrator.upgrade("head")?; // or, verify only: migrator.ensure_at_head()?;
//! # Ok(()) }
//! ```
//!
//! or with a mode from `MIGRATE_ON_START` and a status the application keeps for its health
//! endpoint and retries (see [`startup`]):
//!
//! ```no_run
//! # fn demo(migrator: migrate_core::Migrator) -> Result<(), migrate_core::ModeError> {
//! use migrate_core::{StartMode, Startup};
//! let startup = Startup::start(migrator, StartMode::from_env(StartMode::Verify)?);
//! println!("migrations: {}", startup.status()); // ok, behind, ahead, failed: ..., off
//! # Ok(()) }
//! ```
//!
//! Guarantees: every writing command takes a database lock first (PostgreSQL advisory lock,
//! MySQL `GET_LOCK`, SQLite `BEGIN IMMEDIATE`) and re-reads the version rows under it; each
//! migration and its version-row change commit together (PostgreSQL, SQLite); on MySQL/MariaDB,
//! where DDL commits as it runs, the version and history rows commit together and a migration
//! interrupted by a crash resumes at its first statement that did not take effect (see
//! `docs/guide.md`, "MySQL/MariaDB: after a crash"); a failure rolls
//! the migration back and names the revision, the statement and the database's message; a
//! downgrade that would cross an irreversible migration is refused before anything runs; a
//! SQLite table rebuild runs with foreign keys off (so dropping the old table deletes no
//! `ON DELETE CASCADE` child rows), is checked with `PRAGMA foreign_key_check` before it
//! commits, and the connection's setting is put back; read-only commands (`current`,
//! `status`, `check`, `history`) create nothing.

//!
//! # Sources: which migrations a graph holds
//!
//! [`Migrator::new`] takes a [`MigrationSource`], and the graph is exactly what it yields:
//! a migrations crate's `MIGRATIONS` ([`MigrationSet`]), several of them, [`Linked`] (every
//! migrations crate linked into the program, each registered once with `inventory` by its
//! `migrations!()`, asked for explicitly; the
//! `migrate` CLI runs `(Linked, &MIGRATIONS)`), a [`MigrationList`] built in code with owned
//! data and closures ([`AnyMigration::builder`]), a diesel_migrations folder
//! (`diesel_compat::DieselMigrations`), or a tuple of these. No registration is global, so
//! two migrators with different graphs work side by side in one process:
//!
//! ```
//! use migrate_core::{AnyMigration, MigrationList, Migrator};
//! let tenant = |table: String| {
//!     let sql = format!("CREATE TABLE {table} (id INTEGER)");
//!     MigrationList::new().with(AnyMigration::builder("t1", move |op| {
//!         op.execute(sql.as_str())?;
//!         Ok(())
//!     }))
//! };
//! let a = Migrator::new(&tenant("orders".into()))?;
//! let b = Migrator::new(&tenant("invoices".into()))?;
//! assert_eq!(a.graph().heads(), b.graph().heads()); // same ids, different content
//! # Ok::<(), migrate_core::Error>(())
//! ```
//!
//! # On a connection you already have
//!
//! The [`Harness`] trait (in the spirit of diesel_migrations' `MigrationHarness`) runs the
//! commands on a typed Diesel connection or a pooled one (r2d2, deadpool), under the same
//! lock, without opening a connection from a URL:
//!
//! ```no_run
//! # #[cfg(all(feature = "postgres", feature = "r2d2"))]
//! # fn demo(
//! #     pool: &diesel::r2d2::Pool<diesel::r2d2::ConnectionManager<diesel::PgConnection>>,
//! #     migrator: &migrate_core::Migrator,
//! # ) -> Result<(), Box<dyn std::error::Error>> {
//! use migrate_core::Harness;
//! let mut conn = pool.get()?;
//! conn.upgrade(migrator, "head")?;
//! let status = conn.ensure_at_head(migrator)?;
//! # let _ = status; Ok(()) }
//! ```
//!
//! # Backends
//!
//! Each backend is a Cargo feature: `sqlite` (the default; SQLite is bundled, no system
//! library), `postgres` (links libpq) and `mysql` (links the MySQL/MariaDB client library).
//! `migrate-core = { version = "...", features = ["postgres"] }` adds PostgreSQL; a URL of a
//! backend the build lacks fails with [`Error::BackendDisabled`], naming the feature. The
//! `migrate` CLI enables all three. The `r2d2` feature makes r2d2's pooled connections
//! (`diesel::r2d2`) a [`Harness`] themselves, and `diesel-migrations` adds
//! `diesel_compat` (diesel_migrations folders as a source, adopting a diesel-managed database).
//!
//! Inside, everything that differs between databases (beyond rendering SQL, which is
//! migrate-sql's `Dialect`) is one module per database behind one trait, in `src/backend/`:
//! opening the connection, the lock, the transaction's begin statement and per-transaction
//! settings, the catalog queries and DDL of migrate's own tables, whether DDL commits as it
//! runs (MySQL's resumable executor), SQLite's foreign-key suspension for table rebuilds,
//! what a database's command-line client does to an offline script, introspection, and
//! scratch databases. Nothing else in the crate matches on the dialect.
//!
//! A fourth backend adds **one file per crate**, each an implementation of that crate's one
//! per-database trait, whose default methods are the common case:
//!
//! - `migrate-sql/src/dialect/<db>.rs`: how its SQL is written (`SqlDialect`: quoting and its
//!   checks, type names, literals, autoincrement, portable defaults, the identifier length
//!   limit, its ALTER spellings);
//! - `migrate-schema/src/dialect/<db>.rs`: how its schema compares (`SchemaDialect`: name
//!   folding, reading SQL text, canonical types and expressions, the names it gives unnamed
//!   constraints, what an operation does to the model, diesel_cli's types for it);
//! - `migrate-core/src/backend/<db>.rs`: how it is driven (`Backend`: connecting, the lock,
//!   transactions, migrate's own tables, scratch databases, and introspection, which the three
//!   built-in backends keep beside it in `src/introspect/<db>.rs` only for size).
//!
//! Beyond those files it is one line in each list that names the backends: the `Dialect`
//! enum and its dispatch `Dialect::imp` (migrate-sql `src/dialect/mod.rs`); `dialect::of`
//! (migrate-schema `src/dialect/mod.rs`); in this crate `backend::of`, the [`Backend`] enum,
//! its URL schemes, dialect and feature name (`src/url/mod.rs`), the `From` impl of its Diesel
//! connection (`src/connection/mod.rs`), its `typed_harness!` line (`src/harness.rs`), its
//! `AnyConnection` variant and `with_inner!` arm (`src/connection/any.rs`: the enum is
//! declared once per combination of backend features, since `diesel::MultiConnection` has
//! no `#[cfg]` on variants); and its Cargo feature here and in migrate-cli's manifest.

#![warn(missing_docs)]

pub use migrate_macros::{migration, migrations};

mod any_migration;
mod backend;
#[cfg(feature = "config")]
pub mod config;
mod connection;
mod db_error;
mod drift;
mod error;
mod event;
mod executor;
mod failure;
pub mod fleet;
mod foreign_keys;
mod harness;
mod history;
mod introspect;
mod lock;
mod migration;
mod migration_error;
mod migrator;
mod offline;
mod op;
mod registry;
mod render;
mod resume;
mod scratch;
mod session;
mod source;
mod sqlite_batch;
pub mod startup;
mod timeouts;
mod url;
mod version_table;

#[cfg(feature = "diesel-migrations")]
pub mod diesel_compat;

pub use any_migration::{AnyMigration, MigrationBuilder, Text};
#[cfg(feature = "config")]
pub use config::{Config, ConfigError};
pub use connection::{AnyBackend, AnyConnection};
pub use db_error::{DatabaseError, DatabaseErrorKind};
pub use drift::Drift;
pub use error::{Error, Result};
pub use event::{human_duration, Event, EventSink};
pub use executor::TransactionMode;
pub use harness::Harness;
pub use history::{HistoryDirection, HistoryEntry};
pub use migrate_graph::Direction;
pub use migration::{Migration, MigrationSet};
pub use migration_error::MigrationError;
pub use migrator::{Migrator, Status};
pub use op::Op;
pub use registry::Registry;
pub use scratch::ScratchDatabase;
pub use session::Session;
pub use source::{Linked, MigrationList, MigrationSource};
pub use startup::{Ahead, ModeError, StartError, StartMode, StartStatus, Startup};
pub use timeouts::StatementTimeouts;
pub use url::{redact, Backend, DatabaseUrl};

/// The revision graph (`migrate-graph`).
pub use migrate_graph as graph;
/// The schema model, its replay and diff (`migrate-schema`): what [`Migrator::introspect`]
/// returns and [`Migrator::drift`] compares.
pub use migrate_schema as schema;
/// The operations model and SQL rendering (`migrate-sql`).
pub use migrate_sql as sql;

/// Everything a migration file needs: `use migrate_core::prelude::*;`.
///
/// Its [`Result`](prelude::Result) is for migration code: `?` works on any error (io, parse,
/// serde, Diesel, migrate), which becomes a [`MigrationError`], exported here as `Error`
/// (`Err(Error::msg("..."))`). `migrate_core::Result` is the library's own.
pub mod prelude {

    /// The result of a migration fn or an `op.run` step.
    pub type Result<T = (), E = crate::MigrationError> = std::result::Result<T, E>;
    pub use crate::MigrationError as Error;
    pub use crate::{migration, AnyConnection, Op};
    // `Default` (portable server defaults) takes the place of the standard library's
    // `Default` trait in a file that globs this prelude: `T::default()` still works there,
    // and so does `#[derive(Default)]` (a macro, another namespace).
    pub use migrate_sql::{Action, Default, Dialect, IndexMethod, Sql, Type, Value};
}

/// Not public API: what `#[migration]` and `migrations!` expand to. Semver exempt.
#[doc(hidden)]
pub mod __private {
    pub use inventory;

    pub use crate::migration::{
        __join_migrations as join_migrations, LinkedSet, Migration, MigrationFields, MigrationSet,
    };
    pub use crate::migration_error::{call, signature};
}
