//! Where a graph's migrations come from: [`MigrationSource`] and its implementations.
//!
//! The model is sqlx's `MigrationSource` and diesel_migrations' `MigrationSource<DB>`: a
//! source only lists migrations; the [`Registry`](crate::Registry) built from it checks them
//! as one graph. Nothing global is added behind the caller's back: a graph holds what its
//! source yields, so two migrators in one process can run two different graphs.

use crate::any_migration::AnyMigration;
use crate::error::Result;
use crate::migration::{Migration, MigrationSet};

/// A source of migrations for [`Migrator::new`](crate::Migrator::new) and
/// [`Registry::from_source`](crate::Registry::from_source).
///
/// Implemented by a migrations crate's `MIGRATIONS` ([`MigrationSet`]), [`Linked`] (every
/// `#[migration]` linked into the program), [`MigrationList`] (built in code), a
/// diesel_migrations folder (`diesel_compat::DieselMigrations`, feature `diesel-migrations`),
/// and by references, slices, arrays, `Vec`s, `Box`es and tuples of sources (their union):
///
/// ```
/// # use migrate_core::{Linked, MigrationList, MigrationSource, MigrationSet};
/// # static APP: MigrationSet = MigrationSet::__new("app", &[]);
/// # static LIB: MigrationSet = MigrationSet::__new("lib", &[]);
/// fn takes<S: MigrationSource + ?Sized>(_: &S) {}
/// takes(&APP);                           // one migrations crate
/// takes(&[&APP, &LIB]);                  // two crates
/// takes(&(Linked, &APP));                // everything linked, and APP's
/// takes(&(&APP, MigrationList::new()));  // APP's and some built in code
/// ```
pub trait MigrationSource {
    /// The migrations this source yields (in any order: the graph orders them).
    ///
    /// # Errors
    ///
    /// Whatever keeps the source from listing them (a source that reads files, say).
    fn migrations(&self) -> Result<Vec<AnyMigration>>;
}

impl MigrationSource for MigrationSet {
    fn migrations(&self) -> Result<Vec<AnyMigration>> {
        Ok(self.migrations.iter().map(AnyMigration::from).collect())
    }
}

impl MigrationSource for Migration {
    fn migrations(&self) -> Result<Vec<AnyMigration>> {
        Ok(vec![AnyMigration::from(*self)])
    }
}

impl MigrationSource for AnyMigration {
    fn migrations(&self) -> Result<Vec<AnyMigration>> {
        Ok(vec![self.clone()])
    }
}

impl<S: MigrationSource + ?Sized> MigrationSource for &S {
    fn migrations(&self) -> Result<Vec<AnyMigration>> {
        (**self).migrations()
    }
}

impl<S: MigrationSource + ?Sized> MigrationSource for Box<S> {
    fn migrations(&self) -> Result<Vec<AnyMigration>> {
        (**self).migrations()
    }
}

/// `None` yields nothing.
impl<S: MigrationSource> MigrationSource for Option<S> {
    fn migrations(&self) -> Result<Vec<AnyMigration>> {
        self.as_ref().map_or_else(|| Ok(Vec::new()), S::migrations)
    }
}

impl<S: MigrationSource> MigrationSource for [S] {
    fn migrations(&self) -> Result<Vec<AnyMigration>> {
        let mut all = Vec::new();
        for s in self {
            all.extend(s.migrations()?);
        }
        Ok(all)
    }
}

impl<S: MigrationSource, const N: usize> MigrationSource for [S; N] {
    fn migrations(&self) -> Result<Vec<AnyMigration>> {
        self.as_slice().migrations()
    }
}

impl<S: MigrationSource> MigrationSource for Vec<S> {
    fn migrations(&self) -> Result<Vec<AnyMigration>> {
        self.as_slice().migrations()
    }
}

macro_rules! tuple_source {
    ($($name:ident),+) => {
        impl<$($name: MigrationSource),+> MigrationSource for ($($name,)+) {
            #[allow(non_snake_case)]
            fn migrations(&self) -> Result<Vec<AnyMigration>> {
                let ($($name,)+) = self;
                let mut all = Vec::new();
                $(all.extend($name.migrations()?);)+
                Ok(all)
            }
        }
    };
}
tuple_source!(A, B);
tuple_source!(A, B, C);
tuple_source!(A, B, C, D);

/// Every `#[migration]` linked into the program, through `inventory` (the `MIGRATIONS` of each
/// migrations crate the binary links, libraries' included, each registered once by its
/// `migrations!()`), asked for explicitly.
///
/// This is what the `migrate` CLI runs: `Migrator::new(&(Linked, &MIGRATIONS))`. Pass each crate's
/// `MIGRATIONS` with it anyway, so the linker can't drop a crate nothing else references.
/// A migration reached both ways counts once.
#[derive(Debug, Clone, Copy, Default)]
pub struct Linked;

impl Linked {
    /// The `MIGRATIONS` of each migrations crate linked into the program (what its
    /// `migrations!()` registered), in no particular order.
    ///
    /// A program that also names a set explicitly (`migrate_cli::main_with(&[&MIGRATIONS])`)
    /// can leave out the ones listed here: [`Linked`] yields them already.
    pub fn sets() -> impl Iterator<Item = &'static MigrationSet> {
        inventory::iter::<crate::migration::LinkedSet>
            .into_iter()
            .map(|linked| (linked.0)())
    }
}

impl MigrationSource for Linked {
    fn migrations(&self) -> Result<Vec<AnyMigration>> {
        // Each migrations crate's `MIGRATIONS` (submitted once by its `migrations!()`), and
        // any single migration submitted on its own.
        let sets = Linked::sets().flat_map(|set| set.migrations.iter());
        Ok(sets
            .chain(inventory::iter::<Migration>)
            .map(AnyMigration::from)
            .collect())
    }
}

/// Migrations built in code at run time (owned revision ids and messages, closures for the
/// upgrade and downgrade), e.g. generated from a configuration file or per tenant.
///
/// ```no_run
/// use migrate_core::{AnyMigration, MigrationList, Migrator};
/// # fn demo() -> migrate_core::Result<()> {
/// let tables = ["orders".to_string(), "invoices".to_string()];
/// let mut list = MigrationList::new();
/// let mut parent: Option<String> = None;
/// for (i, table) in tables.iter().enumerate() {
///     let rev = format!("t{i}");
///     let create = format!("CREATE TABLE {table} (id INTEGER PRIMARY KEY)");
///     let drop = format!("DROP TABLE {table}");
///     let mut m = AnyMigration::builder(rev.clone(), move |op| {
///         op.execute_reversible(create.as_str(), drop.as_str())?;
///         Ok(())
///     })
///     .message(format!("create {table}"));
///     if let Some(p) = parent.replace(rev) {
///         m = m.down_rev(p);
///     }
///     list.push(m);
/// }
/// Migrator::new(&list)?.url("sqlite://app.db")?.upgrade("head")?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct MigrationList {
    migrations: Vec<AnyMigration>,
}

impl MigrationList {
    /// An empty list.
    pub fn new() -> MigrationList {
        MigrationList::default()
    }

    /// Add a migration (an [`AnyMigration`], its builder, or a `#[migration]`'s
    /// [`Migration`]).
    pub fn push(&mut self, migration: impl Into<AnyMigration>) {
        self.migrations.push(migration.into());
    }

    /// [`push`](MigrationList::push), by value, for chaining.
    pub fn with(mut self, migration: impl Into<AnyMigration>) -> MigrationList {
        self.push(migration);
        self
    }

    /// The migrations, in the order they were added.
    pub fn as_slice(&self) -> &[AnyMigration] {
        &self.migrations
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.migrations.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.migrations.is_empty()
    }
}

impl MigrationSource for MigrationList {
    fn migrations(&self) -> Result<Vec<AnyMigration>> {
        Ok(self.migrations.clone())
    }
}

impl<M: Into<AnyMigration>> FromIterator<M> for MigrationList {
    fn from_iter<I: IntoIterator<Item = M>>(iter: I) -> MigrationList {
        MigrationList {
            migrations: iter.into_iter().map(Into::into).collect(),
        }
    }
}

impl<M: Into<AnyMigration>> Extend<M> for MigrationList {
    fn extend<I: IntoIterator<Item = M>>(&mut self, iter: I) {
        self.migrations.extend(iter.into_iter().map(Into::into));
    }
}
