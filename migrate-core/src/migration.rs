//! A compiled migration, as `migrations!()` lists it.

use crate::{Op, Result};

/// A migration linked into the binary.
///
/// Built by `migrations!()`, one row of its crate's `MIGRATIONS` per `#[migration]` fn; every
/// field is `'static` so the value can live in that `static`, which `inventory` registers.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Migration {
    /// Revision id.
    pub rev: &'static str,
    /// Versioned parents.
    pub down_revs: &'static [&'static str],
    /// `depends_on` parents (ids or labels).
    pub depends_on: &'static [&'static str],
    /// Branch labels declared here.
    pub branch_labels: &'static [&'static str],
    /// Message: doc comment or `message = ".."`.
    pub message: &'static str,
    /// Checksum of the function's tokens and of its `downgrade` fn when that is in the same
    /// file, in the current scheme: `v2:` then 64 hex digits (see `migrate-source`). New
    /// history rows store it.
    pub checksum: &'static str,
    /// The checksum in the legacy scheme (no prefix, the upgrade fn's tokens as written),
    /// which history rows written before the v2 scheme hold: a stored value is compared with
    /// the checksum of the scheme it was written in (see [`Migration::checksum_matches`]).
    /// Empty when the migration was not built by `#[migration]` with both schemes.
    pub legacy_checksum: &'static str,
    /// Source file (`file!()`), the tie-break order key.
    pub source_file: &'static str,
    /// Line of the attribute in `source_file`.
    pub line: u32,
    /// The upgrade function (unused when [`upgrade_prelude`](Migration::upgrade_prelude) is
    /// set).
    pub upgrade: fn(&mut Op) -> Result<()>,
    /// The upgrade function when it returns the prelude's `Result` (any error through `?`),
    /// as `migrations!()` lists most migrations: the fn itself, with no wrapper fn per
    /// migration for `cargo check` to type-check. Runs instead of `upgrade` when set.
    pub upgrade_prelude: Option<fn(&mut Op) -> crate::prelude::Result<()>>,
    /// The explicit downgrade function, if any (`downgrade = path`).
    pub downgrade: Option<fn(&mut Op) -> Result<()>>,
    /// Whether the migration runs inside a transaction (`transactional = false` opts out).
    pub transactional: bool,
    /// The `migrate lint` rules (ids or categories) this migration allows (`allow_lint`).
    pub allow_lint: &'static [&'static str],
    /// Why (`allow_lint_reason`; `#[migration]` requires one with `allow_lint`).
    pub allow_lint_reason: &'static str,
    /// `table_lock_timeout` in milliseconds (0: migrate.toml's).
    pub table_lock_timeout_ms: u64,
    /// `statement_timeout` in milliseconds (0: migrate.toml's).
    pub statement_timeout_ms: u64,
}

inventory::collect!(Migration);

/// Not public API: a crate's `MIGRATIONS`, submitted to `inventory` once by its
/// `migrations!()` (one registration per crate: a submission per migration costs `cargo
/// check` more than the migration itself). Read by [`Linked`](crate::Linked).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct LinkedSet(pub fn() -> &'static MigrationSet);

inventory::collect!(LinkedSet);

/// The prefix of a checksum in the current scheme (`migrate_source::CHECKSUM_SCHEME`).
const CHECKSUM_SCHEME: &str = "v2:";

impl Migration {
    /// Whether `stored`, the checksum a history row recorded, is this migration's checksum in
    /// the scheme the row was written with: a `v2:` value is compared with
    /// [`checksum`](Migration::checksum), an older one with
    /// [`legacy_checksum`](Migration::legacy_checksum) (so upgrading the tool never makes an
    /// applied migration look edited). A migration without a legacy checksum compares any
    /// value with its checksum.
    ///
    /// # Examples
    ///
    /// ```
    /// # use migrate_core::__private::{Migration, MigrationFields};
    /// let m = Migration::__from_fields(MigrationFields {
    ///     rev: "a1",
    ///     checksum: "v2:5e1f",
    ///     legacy_checksum: "9c0d",
    ///     ..MigrationFields::DEFAULT
    /// });
    /// assert!(m.checksum_matches("v2:5e1f")); // written by this version
    /// assert!(m.checksum_matches("9c0d")); // written before the v2 scheme
    /// assert!(!m.checksum_matches("v2:9c0d"));
    /// assert_eq!(m.checksum_like("9c0d"), "9c0d");
    /// ```
    pub fn checksum_matches(&self, stored: &str) -> bool {
        if stored.starts_with(CHECKSUM_SCHEME) || self.legacy_checksum.is_empty() {
            stored == self.checksum
        } else {
            stored == self.legacy_checksum
        }
    }

    /// The checksum of this migration in the scheme `stored` was written with (what an
    /// "edited" error shows next to it).
    pub fn checksum_like(&self, stored: &str) -> &'static str {
        if stored.starts_with(CHECKSUM_SCHEME) || self.legacy_checksum.is_empty() {
            self.checksum
        } else {
            self.legacy_checksum
        }
    }

    /// Not public API: the positional constructor (kept for code written against it; the
    /// macros build a [`MigrationFields`] literal instead).
    #[doc(hidden)]
    #[allow(clippy::too_many_arguments)]
    pub const fn __new(
        rev: &'static str,
        down_revs: &'static [&'static str],
        depends_on: &'static [&'static str],
        branch_labels: &'static [&'static str],
        message: &'static str,
        checksum: &'static str,
        source_file: &'static str,
        line: u32,
        upgrade: fn(&mut Op) -> Result<()>,
        downgrade: Option<fn(&mut Op) -> Result<()>>,
        transactional: bool,
    ) -> Self {
        Migration::__from_fields(MigrationFields {
            rev,
            down_revs,
            depends_on,
            branch_labels,
            message,
            checksum,
            legacy_checksum: "",
            source_file,
            line,
            upgrade,
            downgrade,
            transactional,
            ..MigrationFields::DEFAULT
        })
    }

    /// Not public API: what `#[migration]` expands to, `__from_fields(MigrationFields { ..,
    /// ..MigrationFields::DEFAULT })`.
    #[doc(hidden)]
    pub const fn __from_fields(fields: MigrationFields) -> Self {
        let MigrationFields {
            rev,
            down_revs,
            depends_on,
            branch_labels,
            message,
            checksum,
            legacy_checksum,
            source_file,
            line,
            upgrade,
            upgrade_prelude,
            downgrade,
            transactional,
            allow_lint,
            allow_lint_reason,
            table_lock_timeout_ms,
            statement_timeout_ms,
        } = fields;
        Migration {
            rev,
            down_revs,
            depends_on,
            branch_labels,
            message,
            checksum,
            legacy_checksum,
            source_file,
            line,
            upgrade,
            upgrade_prelude,
            downgrade,
            transactional,
            allow_lint,
            allow_lint_reason,
            table_lock_timeout_ms,
            statement_timeout_ms,
        }
    }
}

/// Not public API: the fields of a [`Migration`], which generated code writes as a struct
/// literal by name.
///
/// [`Migration`] is `#[non_exhaustive]`, so no other crate can write it as a literal; this
/// twin can be, and generated code ends the literal with `..MigrationFields::DEFAULT`, so a
/// field added here later (with its default) does not break the macros' output. The fields
/// mean what [`Migration`]'s do.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
#[allow(missing_docs)]
pub struct MigrationFields {
    pub rev: &'static str,
    pub down_revs: &'static [&'static str],
    pub depends_on: &'static [&'static str],
    pub branch_labels: &'static [&'static str],
    pub message: &'static str,
    pub checksum: &'static str,
    pub legacy_checksum: &'static str,
    pub source_file: &'static str,
    pub line: u32,
    pub upgrade: fn(&mut Op) -> Result<()>,
    pub upgrade_prelude: Option<fn(&mut Op) -> crate::prelude::Result<()>>,
    pub downgrade: Option<fn(&mut Op) -> Result<()>>,
    pub transactional: bool,
    pub allow_lint: &'static [&'static str],
    pub allow_lint_reason: &'static str,
    pub table_lock_timeout_ms: u64,
    pub statement_timeout_ms: u64,
}

impl MigrationFields {
    /// The defaults of the keys `#[migration]` may omit (a root, no labels, no dependencies,
    /// no explicit downgrade, transactional). Never a migration by itself: its `rev` is empty,
    /// which the graph rejects, and its `upgrade` fails.
    pub const DEFAULT: MigrationFields = MigrationFields {
        rev: "",
        down_revs: &[],
        depends_on: &[],
        branch_labels: &[],
        message: "",
        checksum: "",
        legacy_checksum: "",
        source_file: "",
        line: 0,
        upgrade: no_upgrade,
        upgrade_prelude: None,
        downgrade: None,
        transactional: true,
        allow_lint: &[],
        allow_lint_reason: "",
        table_lock_timeout_ms: 0,
        statement_timeout_ms: 0,
    };
}

fn no_upgrade(_: &mut Op) -> Result<()> {
    Err(crate::Error::Message(
        "this migration was built without an upgrade fn (a bug in the code that generated it)"
            .to_owned(),
    ))
}

/// Every migration of one migrations crate, generated by `migrations!()` as `MIGRATIONS`.
///
/// Passing it to the runtime (e.g. `Migrator::new(&[&my_migrations::MIGRATIONS])`) references
/// every migration of the crate directly, so the linker can never drop them; `inventory` adds
/// whatever other migration crates are linked.
#[derive(Debug, Clone, Copy)]
pub struct MigrationSet {
    /// The crate that defined them (`CARGO_PKG_NAME`).
    pub crate_name: &'static str,
    /// Its migrations, in file order.
    pub migrations: &'static [Migration],
}

/// Not public API: the migrations of `chunks`, in order, as one array of `N`.
///
/// `migrations!()` writes a crate's table in chunks, each its own const, so an edit of one
/// migration makes `cargo check` re-check one chunk, not every row; this joins them.
#[doc(hidden)]
pub const fn __join_migrations<const N: usize>(chunks: &[&[Migration]]) -> [Migration; N] {
    let mut out = [Migration::__from_fields(MigrationFields::DEFAULT); N];
    let (mut at, mut c) = (0, 0);
    while c < chunks.len() {
        let chunk = chunks[c];
        let mut i = 0;
        while i < chunk.len() {
            out[at] = chunk[i];
            at += 1;
            i += 1;
        }
        c += 1;
    }
    assert!(
        at == N,
        "the chunks hold a different number of migrations than N"
    );
    out
}

impl MigrationSet {
    /// Not public API: the constructor `migrations!()` calls.
    #[doc(hidden)]
    pub const fn __new(crate_name: &'static str, migrations: &'static [Migration]) -> Self {
        MigrationSet {
            crate_name,
            migrations,
        }
    }
}
