//! Internal to `migrate` (semver exempt): reading `#[migration]` attributes and migration
//! source files.
//!
//! There is one code path for every reader: the `#[migration]` proc macro parses its
//! arguments with [`parse_args`] and hashes its item with [`checksum`]; the compile-time
//! chain check and the CLI read a versions folder with [`scan_dir`], which calls the same two
//! functions on the file text. A migration therefore has the same revision, parents and
//! checksum whether the compiler or `migrate history` looks at it. The keys the attribute takes
//! are declared once, in [`SCHEMA`], which every reader (and the macro's code generation)
//! follows.
//!
//! # Example
//!
//! ```
//! let dir = tempfile::tempdir()?;
//! std::fs::write(
//!     dir.path().join("0001_init.rs"),
//!     r#"
//! use migrate_core::prelude::*;
//!
//! /// Create the users table.
//! #[migration(rev = "a1b2c3", down_rev = None)]
//! pub fn upgrade(op: &mut Op) -> Result<()> { Ok(()) }
//! "#,
//! )?;
//! let found = migrate_source::scan_dir(dir.path())?;
//! assert_eq!(found[0].rev, "a1b2c3");
//! assert_eq!(found[0].message, "Create the users table.");
//! assert_eq!(found[0].line, 5);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

mod attr;
mod canon;
mod checksum;
mod downgrade;
mod error;
mod fast;
mod returns;
mod scan;
mod schema;

pub use attr::{
    crate_override, doc_message, is_migration_attr, parse_args, parse_attribute, MigrationAttr,
};
pub use checksum::{checksum, legacy_checksum, Downgrade, CHECKSUM_SCHEME};
pub use error::SourceError;
pub use migrate_graph::order_key;
pub use returns::Returns;
pub use scan::{
    refuse_nested_files, rust_files, scan_dir, scan_dir_lenient, scan_source, Scan, SourceMigration,
};
pub use schema::{
    duration_ms, path_text, Args, Key, KeySpec, Shape, Spanned, KEYS, KEY_COUNT, SCHEMA,
};

#[cfg(test)]
mod tests;
