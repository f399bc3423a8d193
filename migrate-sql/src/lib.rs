//! Internal to `migrate` (semver exempt): schema operations as data, and their SQL per dialect.
//!
//! A migration's upgrade function records [`Operation`]s through the builder methods of
//! [`Operations`] (`create_table`, `add_column`, `alter_column`, `create_index`, ...). The
//! executor renders each with [`Operation::render`] for its [`Dialect`] and runs it; offline
//! mode assembles the rendering into a script with [`render_script`]; a derived downgrade is
//! [`reverse_all`] of the recorded list. SQLite's move-and-copy table rebuild is [`rebuild`].
//!
//! # Example
//!
//! ```
//! use migrate_sql::{Dialect, Operations, Sql, Type};
//!
//! let mut op = Operations::default();
//! op.create_table("users", |t| {
//!     t.column("id", Type::BigInt).primary_key().autoincrement();
//!     t.column("email", Type::String(255)).not_null().unique();
//!     t.column("created_at", Type::TimestampTz).not_null().server_default(Sql("CURRENT_TIMESTAMP"));
//! })?;
//! op.create_index("ix_users_email", "users", &["email"])?;
//!
//! let sql = op.as_slice()[1].render(Dialect::Postgres)?;
//! assert_eq!(sql, [r#"CREATE INDEX "ix_users_email" ON "users" ("email")"#]);
//! // The derived downgrade: dropping the table drops its index with it.
//! let down = migrate_sql::reverse_all(op.as_slice())?;
//! assert_eq!(down.len(), 1);
//! assert_eq!(down[0].render(Dialect::Postgres)?, [r#"DROP TABLE "users""#]);
//! # Ok::<(), migrate_sql::Error>(())
//! ```
//!
//! # Details
//!
//! Identifiers are always quoted and literals escaped per dialect; only text given as
//! [`Sql`] (and `execute`) is written as is. Nothing here touches a database.
//!
//! How an executor uses it, per migration:
//!
//! 1. Record: run the upgrade function on an [`Operations`]. For a derived downgrade, take
//!    [`reverse_all`] of the recording; it fails before anything runs if one step has no
//!    inverse.
//! 2. Check: [`Operation::must_run_outside_transaction`] (PostgreSQL `CONCURRENTLY`) against
//!    the migration's `transactional` flag, and render every [`Step::Render`] step once before
//!    executing anything, so a refused operation stops the migration before its first
//!    statement (MySQL cannot roll DDL back).
//! 3. Run each [`Step`] of [`plan`]: a rendered statement list, or on SQLite a rebuild: read
//!    the table's PRAGMA rows into [`TableDef::from_pragma`] (plus its triggers), run
//!    [`rebuild`]'s statements with `PRAGMA foreign_keys = OFF` set before the transaction
//!    began (SQLite ignores it inside one), then `PRAGMA foreign_key_check`.
//! 4. Offline: [`render_script`] with each migration's rendering and version-row changes.
//!    SQLite steps that need a rebuild cannot render offline ([`Error::NeedsRebuild`]).

#![warn(missing_docs)]

mod batch;
mod dialect;
mod error;
mod naming;
mod offline;
mod ops;
mod reverse;
mod types;
mod value;
mod version_table;

pub use batch::{
    plan, rebuild, IndexDef, PragmaColumn, PragmaForeignKey, PragmaIndex, Step, TableDef,
};
pub use dialect::Dialect;
pub use error::{Error, Result};
pub use migrate_graph::{Direction, VersionChange};
pub use naming::NamingConvention;
pub use offline::{render_script, ScriptStep};
pub use ops::{
    Action, AddColumn, AddConstraint, AddEnumValue, AlterColumn, CheckConstraint, Column,
    Constraint, ConstraintType, CreateEnum, CreateExtension, DropColumn, DropConstraint, DropEnum,
    DropExtension, DropIndex, DropTable, EnumPosition, ForeignKey, Index, IndexColumn, IndexMethod,
    Operation, Operations, PrimaryKey, QualifiedName, RenameTable, SetTableComment, Table,
    UniqueConstraint,
};
pub use reverse::reverse_all;
pub use types::Type;
pub use value::{ColumnDefault, Default, Sql, Value};
pub use version_table::{Create, Values, VersionTable};
