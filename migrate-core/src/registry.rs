//! The migrations of one graph, from a [`MigrationSource`], validated as one revision graph.
//!
//! A registry holds exactly what its source yielded: nothing process-wide is added to it, so
//! several registries (and migrators) with different graphs live side by side.

use std::collections::HashSet;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use migrate_graph::{Graph, Revision};

use crate::any_migration::AnyMigration;
use crate::error::{Error, Result};
use crate::migration::{Migration, MigrationSet};
use crate::source::{Linked, MigrationSource};

/// The migrations of a graph and the graph.
///
/// Cloning a registry is cheap: clones share the migrations and the graph, so a command can
/// keep one (to show where each revision is written) after handing another to a migrator.
#[derive(Debug, Clone)]
pub struct Registry(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    migrations: Vec<AnyMigration>,
    /// Fx rather than SipHash, as the graph's id map: the keys are the project's own ids.
    by_rev: FxHashMap<String, usize>,
    graph: Graph,
}

impl Registry {
    /// Every `#[migration]` linked into the program ([`Linked`]) and those in `sets`: the
    /// same as [`Registry::from_source`]`(&(Linked, sets))`.
    pub fn new(sets: &[&MigrationSet]) -> Result<Registry> {
        Registry::from_source(&(Linked, sets))
    }

    /// The migrations `source` yields, as one graph: exact repeats of a `#[migration]` (the
    /// same one reached through [`Linked`] and a set) count once, a revision declared twice
    /// is rejected, and the graph is validated with the same rules as the compile-time check.
    ///
    /// ```
    /// # use migrate_core::{AnyMigration, MigrationList, Registry};
    /// let list = MigrationList::new()
    ///     .with(AnyMigration::builder("a1", |_| Ok(())))
    ///     .with(AnyMigration::builder("b2", |_| Ok(())).down_rev("a1"));
    /// let registry = Registry::from_source(&list)?;
    /// assert_eq!(registry.graph().heads(), ["b2"]);
    /// # Ok::<(), migrate_core::Error>(())
    /// ```
    pub fn from_source<S: MigrationSource + ?Sized>(source: &S) -> Result<Registry> {
        Self::from_any(source.migrations()?)
    }

    /// Build from an explicit list of `#[migration]`s (no `inventory`).
    pub fn from_migrations(all: impl IntoIterator<Item = Migration>) -> Result<Registry> {
        Self::from_any(all.into_iter().map(AnyMigration::from))
    }

    /// Build from an explicit list of migrations of any origin, with the rules of
    /// [`from_source`](Registry::from_source).
    pub fn from_any(all: impl IntoIterator<Item = AnyMigration>) -> Result<Registry> {
        let mut migrations: Vec<AnyMigration> = Vec::new();
        let mut by_rev: FxHashMap<String, usize> = FxHashMap::default();
        for m in all {
            match by_rev.get(m.rev()) {
                Some(&i) if migrations[i].same_compiled(&m) => {}
                Some(&i) => {
                    return Err(Error::DuplicateRevision {
                        rev: m.rev().to_string(),
                        first: location(&migrations[i]),
                        second: location(&m),
                    })
                }
                None => {
                    by_rev.insert(m.rev().to_owned(), migrations.len());
                    migrations.push(m);
                }
            }
        }
        if migrations.is_empty() {
            return Err(Error::NoMigrations);
        }
        let revisions = migrations.iter().map(revision).collect();
        let graph = Graph::new(revisions).map_err(Error::InvalidGraph)?;
        Ok(Registry(Arc::new(Inner {
            migrations,
            by_rev,
            graph,
        })))
    }

    /// The validated graph.
    pub fn graph(&self) -> &Graph {
        &self.0.graph
    }

    /// The migration with revision `rev`.
    pub fn get(&self, rev: &str) -> Option<&AnyMigration> {
        self.0.by_rev.get(rev).map(|&i| &self.0.migrations[i])
    }

    /// Every migration of the graph, in the order the source yielded them.
    pub fn migrations(&self) -> &[AnyMigration] {
        &self.0.migrations
    }

    /// `rows` and every revision they imply (parents and dependencies, transitively).
    pub fn applied(&self, rows: &[String]) -> HashSet<String> {
        let mut seen: HashSet<String> = HashSet::new();
        let mut todo: Vec<String> = rows.to_vec();
        while let Some(rev) = todo.pop() {
            if !seen.insert(rev.clone()) {
                continue;
            }
            let Some(m) = self.get(&rev) else { continue };
            todo.extend(m.down_revs().iter().map(|s| s.to_string()));
            for dep in m.depends_on() {
                if self.get(dep).is_some() {
                    todo.push(dep.to_string());
                } else if let Ok(ids) = self.graph().resolve(dep, &[]) {
                    todo.extend(ids);
                }
            }
        }
        seen
    }

    /// The first version row no migration of the graph defines.
    pub(crate) fn unknown_row<'a>(&self, rows: &'a [String]) -> Option<&'a String> {
        rows.iter().find(|r| self.get(r).is_none())
    }
}

impl MigrationSource for Registry {
    fn migrations(&self) -> Result<Vec<AnyMigration>> {
        Ok(self.0.migrations.clone())
    }
}

fn location(m: &AnyMigration) -> String {
    format!("{}:{}", m.source_file(), m.line())
}

/// The graph's view of a migration. The order key is the source file then the line, so
/// independent branches tie-break by file name as Alembic's do.
pub(crate) fn revision(m: &AnyMigration) -> Revision {
    let owned = |xs: &[crate::any_migration::Text]| xs.iter().map(|s| s.to_string()).collect();
    Revision {
        id: m.rev().to_string(),
        down_revs: owned(m.down_revs()),
        depends_on: owned(m.depends_on()),
        branch_labels: owned(m.branch_labels()),
        message: m.message().to_string(),
        checksum: m.checksum().to_string(),
        order_key: migrate_graph::order_key(m.source_file(), m.line()),
    }
}
