//! Coming from diesel_migrations: a folder of diesel SQL migrations as a chain of revisions,
//! and adoption of a database that `diesel_cli` managed.
//!
//! ```no_run
//! # fn main() -> Result<(), migrate_core::diesel_compat::DieselCompatError> {
//! use migrate_core::diesel_compat::DieselMigrations;
//! use migrate_core::Migrator;
//!
//! // migrations/2024-01-01-000000_create_users/{up.sql,down.sql}, ...
//! let diesel = DieselMigrations::load("migrations")?;
//! let migrator = Migrator::from_registry(diesel.registry(&[])?).url("postgres://localhost/app")?;
//! diesel.adopt(&migrator)?;        // versions in __diesel_schema_migrations become version rows
//! migrator.upgrade("heads")?;     // only what diesel had not applied runs
//! # Ok(()) }
//! ```
//!
//! # Details
//!
//! * The folder is read with diesel_migrations' own [`FileBasedMigrations`] (its naming rules,
//!   its `metadata.toml`), and each migration runs through diesel's own
//!   [`Migration::run`](diesel::migration::Migration::run) / `revert` on the live connection,
//!   inside the executor's transaction (unless `metadata.toml` says `run_in_transaction = false`).
//! * Revision ids are diesel's versions as `__diesel_schema_migrations` stores them: the folder
//!   name's prefix without dashes (`2024-01-01-000000_create_users` → `20240101000000`). The
//!   migrations form one chain in version order; the first is a root (or sits on the revision
//!   given to [`DieselMigrations::on_top_of`]).
//! * A migration without `down.sql` is irreversible: a downgrade past it fails before anything
//!   runs. Offline mode (`--sql`) prints the files' SQL.
//! * The checksum of each revision is a hash of its `up.sql` and `down.sql`, so `check` notices
//!   an edited, already applied diesel migration.
//!
//! * The chain is a [`MigrationSource`]: pass it to
//!   [`Migrator::new`] alone, or with other sources (`&(&app::MIGRATIONS, &diesel)`). Each
//!   loaded migration owns what it needs (its folder and name); nothing is leaked, and any
//!   number of folders can be loaded in one process.

use std::path::{Path, PathBuf};

use diesel::migration::{Migration as DieselMigration, MigrationSource as DieselSource};
use diesel_migrations::FileBasedMigrations;

use crate::any_migration::{AnyMigration, Text};
use crate::connection::{AnyBackend, AnyConnection};
use crate::error::{Error, Result};
use crate::migration::MigrationSet;
use crate::migrator::Migrator;
use crate::op::Op;
use crate::registry::Registry;
use crate::source::{Linked, MigrationSource};

/// What can go wrong loading or adopting diesel migrations.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DieselCompatError {
    /// diesel_migrations could not read the folder.
    #[error("can't load diesel migrations from {}: {message}", dir.display())]
    Load {
        /// The folder.
        dir: PathBuf,
        /// diesel_migrations' error.
        message: String,
    },
    /// Two folders have the same version.
    #[error("diesel migrations {first} and {second} have the same version {version}; give one of them a new version")]
    DuplicateVersion {
        /// The version.
        version: String,
        /// One folder name.
        first: String,
        /// The other.
        second: String,
    },
    /// `__diesel_schema_migrations` names a version the folder doesn't have.
    #[error("__diesel_schema_migrations lists version {version}, which is not in {}; restore that migration folder", dir.display())]
    UnknownVersion {
        /// The version.
        version: String,
        /// The folder.
        dir: PathBuf,
    },
    /// diesel applied a later migration but not an earlier one, so no single revision describes
    /// the database.
    #[error("diesel migration {missing} is not applied but the later {applied} is; run the pending diesel migrations (`diesel migration run`) before adopting")]
    Gap {
        /// The earliest version not applied.
        missing: String,
        /// A later version that is applied.
        applied: String,
    },
    /// The version table already has rows that are not a diesel revision.
    #[error("the version table already holds {rows:?}; adopt a diesel database before any other migration runs on it, or stamp it yourself")]
    AlreadyVersioned {
        /// The rows found.
        rows: Vec<String>,
    },
    /// The database or the executor failed.
    #[error(transparent)]
    Migrate(#[from] Error),
}

/// One loaded diesel migration: where to find it again when it runs.
#[derive(Debug, Clone)]
struct Loaded {
    dir: PathBuf,
    name: String,
    version: String,
    has_down: bool,
}

/// A folder of diesel migrations, loaded as a chain of revisions.
#[derive(Debug, Clone)]
pub struct DieselMigrations {
    dir: PathBuf,
    migrations: Vec<AnyMigration>,
}

impl DieselMigrations {
    /// Load `dir` (the folder diesel_cli calls `migrations/`) with diesel_migrations'
    /// [`FileBasedMigrations`]; the migrations become a chain in version order.
    pub fn load(dir: impl AsRef<Path>) -> std::result::Result<Self, DieselCompatError> {
        let dir = dir.as_ref().to_path_buf();
        let load_err = |message: String| DieselCompatError::Load {
            dir: dir.clone(),
            message,
        };
        let source = FileBasedMigrations::from_path(&dir).map_err(|e| load_err(e.to_string()))?;
        let found =
            DieselSource::<AnyBackend>::migrations(&source).map_err(|e| load_err(e.to_string()))?;
        let mut loaded: Vec<(Loaded, bool)> = found
            .iter()
            .map(|m| {
                let name = m.name().to_string();
                let loaded = Loaded {
                    has_down: dir.join(&name).join("down.sql").is_file(),
                    version: m.name().version().to_string(),
                    dir: dir.clone(),
                    name,
                };
                (loaded, m.metadata().run_in_transaction())
            })
            .collect();
        loaded.sort_by(|a, b| a.0.version.cmp(&b.0.version));
        for pair in loaded.windows(2) {
            if pair[0].0.version == pair[1].0.version {
                return Err(DieselCompatError::DuplicateVersion {
                    version: pair[0].0.version.clone(),
                    first: pair[0].0.name.clone(),
                    second: pair[1].0.name.clone(),
                });
            }
        }
        let mut migrations: Vec<AnyMigration> = Vec::with_capacity(loaded.len());
        for (m, transactional) in loaded {
            let migration = migration(m, transactional);
            let migration = match migrations.last() {
                Some(parent) => migration.down_rev(parent.rev()),
                None => migration,
            };
            migrations.push(migration.build());
        }
        Ok(DieselMigrations { dir, migrations })
    }

    /// Put the chain's first migration on top of `rev` instead of making it a root (for a
    /// diesel folder that continues a history kept elsewhere).
    pub fn on_top_of(mut self, rev: &str) -> Self {
        if let Some(first) = self.migrations.first_mut() {
            first.set_down_revs(vec![Text::Owned(rev.to_owned())]);
        }
        self
    }

    /// Give the chain's first migration a branch label (e.g. `diesel`), so `diesel@head`
    /// names the chain's tip.
    pub fn branch_label(mut self, label: &str) -> Self {
        if let Some(first) = self.migrations.first_mut() {
            first.set_branch_labels(vec![Text::Owned(label.to_owned())]);
        }
        self
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The migrations, oldest first.
    pub fn migrations(&self) -> &[AnyMigration] {
        &self.migrations
    }

    /// The chain's last revision, if the folder has any migration.
    pub fn head(&self) -> Option<&str> {
        self.migrations.last().map(AnyMigration::rev)
    }

    /// A registry of these migrations plus every `#[migration]` linked into the program
    /// ([`Linked`]) and those in `sets`, validated as one graph: the same as
    /// [`Registry::from_source`]`(&(Linked, sets, self))`. For these migrations alone, or
    /// with sources of your choosing, pass `self` as a source instead
    /// (`Migrator::new(&(&app::MIGRATIONS, &diesel))`).
    pub fn registry(&self, sets: &[&MigrationSet]) -> Result<Registry> {
        Registry::from_source(&(Linked, sets, self))
    }

    /// Adopt a database `diesel_cli` (or diesel_migrations' harness) managed: the versions in
    /// `__diesel_schema_migrations` become this tool's version row (a stamp; nothing runs).
    /// Safe to call at every start-up: once adopted, it does nothing.
    pub fn adopt(&self, migrator: &Migrator) -> std::result::Result<Adopted, DieselCompatError> {
        adopt(self, migrator)
    }
}

impl MigrationSource for DieselMigrations {
    fn migrations(&self) -> Result<Vec<AnyMigration>> {
        Ok(self.migrations.clone())
    }
}

/// The revision of one loaded diesel migration: its steps re-read the files and run them
/// through diesel_migrations (see [`record`]).
fn migration(m: Loaded, transactional: bool) -> crate::MigrationBuilder {
    let source = m.dir.join(&m.name).join("up.sql").display().to_string();
    let message = m
        .name
        .split_once('_')
        .map_or(m.name.as_str(), |(_, rest)| rest);
    let up = m.clone();
    let builder = AnyMigration::builder(m.version.clone(), move |op: &mut Op| {
        Ok(record(&up, true, op)?)
    })
    .location(source, 1)
    .message(message)
    .checksum(checksum(&m))
    .transactional(transactional);
    if m.has_down {
        builder.downgrade(move |op: &mut Op| Ok(record(&m, false, op)?))
    } else {
        builder
    }
}

/// FNV-1a over `up.sql` and `down.sql`: changes when an applied migration is edited.
fn checksum(loaded: &Loaded) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for file in ["up.sql", "down.sql"] {
        let bytes = std::fs::read(loaded.dir.join(&loaded.name).join(file)).unwrap_or_default();
        for b in bytes.iter().chain(&[0xff]) {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("diesel-{hash:016x}")
}

/// Record a diesel migration's step: run diesel's own `run`/`revert` on the live connection;
/// offline, print the file's SQL.
fn record(m: &Loaded, up: bool, op: &mut Op) -> Result<()> {
    let file = m
        .dir
        .join(&m.name)
        .join(if up { "up.sql" } else { "down.sql" });
    let sql = std::fs::read_to_string(&file).map_err(|e| {
        Error::Message(format!(
            "diesel migration {}: can't read {}: {e}",
            m.name,
            file.display()
        ))
    })?;
    let m = m.clone();
    op.run_offline([sql], move |conn| Ok(run_with_diesel(&m, up, conn)?))
}

/// Find the migration again through diesel_migrations and run it on `conn`.
fn run_with_diesel(m: &Loaded, up: bool, conn: &mut AnyConnection) -> Result<()> {
    let fail = |what: String| Error::Message(format!("diesel migration {}: {what}", m.name));
    let source = FileBasedMigrations::from_path(&m.dir).map_err(|e| fail(e.to_string()))?;
    let all = DieselSource::<AnyBackend>::migrations(&source).map_err(|e| fail(e.to_string()))?;
    let migration = all
        .iter()
        .find(|d| d.name().version().to_string() == m.version)
        .ok_or_else(|| fail(format!("it is no longer in {}", m.dir.display())))?;
    let conn: &mut dyn diesel::connection::BoxableConnection<AnyBackend> = conn;
    let result = if up {
        DieselMigration::run(migration.as_ref(), conn)
    } else {
        DieselMigration::revert(migration.as_ref(), conn)
    };
    result.map_err(|e| fail(e.to_string()))
}

/// What [`DieselMigrations::adopt`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Adopted {
    /// The database has no `__diesel_schema_migrations` rows: nothing to adopt.
    NotDieselManaged,
    /// The version table already points into (or past) the diesel chain: nothing to do.
    AlreadyAdopted,
    /// The version row was set to this revision (the last diesel migration applied).
    Stamped(String),
}

fn adopt(
    diesel: &DieselMigrations,
    migrator: &Migrator,
) -> std::result::Result<Adopted, DieselCompatError> {
    let mut conn = migrator.connect()?;
    let applied = diesel_versions(&mut conn)?;
    if applied.is_empty() {
        return Ok(Adopted::NotDieselManaged);
    }
    let chain: Vec<&str> = diesel.migrations.iter().map(AnyMigration::rev).collect();
    if let Some(unknown) = applied.iter().find(|v| !chain.contains(&v.as_str())) {
        return Err(DieselCompatError::UnknownVersion {
            version: unknown.clone(),
            dir: diesel.dir.clone(),
        });
    }
    // diesel applies in version order, but a late-merged older folder can leave a hole.
    let done = chain
        .iter()
        .take_while(|r| applied.iter().any(|a| a == *r))
        .count();
    if let Some(later) = chain[done..]
        .iter()
        .find(|r| applied.iter().any(|a| a == *r))
    {
        return Err(DieselCompatError::Gap {
            missing: chain[done].to_owned(),
            applied: (*later).to_owned(),
        });
    }
    let tip = chain[done - 1];
    let mut session = migrator.on(&mut conn);
    let rows = session.current()?;
    if !rows.is_empty() {
        let implied = migrator.registry().applied(&rows);
        return if implied.contains(tip) {
            Ok(Adopted::AlreadyAdopted)
        } else {
            Err(DieselCompatError::AlreadyVersioned { rows })
        };
    }
    session.stamp(&[tip], false)?;
    Ok(Adopted::Stamped(tip.to_owned()))
}

/// The versions in `__diesel_schema_migrations`; empty when the table doesn't exist.
fn diesel_versions(conn: &mut AnyConnection) -> Result<Vec<String>> {
    use diesel::sql_types::{BigInt, Text};
    use diesel::{QueryableByName, RunQueryDsl};

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    #[derive(QueryableByName)]
    struct Version {
        #[diesel(sql_type = Text)]
        version: String,
    }
    let exists = crate::backend::of(conn.dialect()).diesel_table_query();
    let found: Vec<Count> = diesel::sql_query(exists)
        .load(conn)
        .map_err(Error::db("looking for __diesel_schema_migrations"))?;
    if found.first().is_none_or(|c| c.n == 0) {
        return Ok(Vec::new());
    }
    let rows: Vec<Version> =
        diesel::sql_query("SELECT version FROM __diesel_schema_migrations ORDER BY version")
            .load(conn)
            .map_err(Error::db("reading __diesel_schema_migrations"))?;
    Ok(rows.into_iter().map(|r| r.version).collect())
}
