//! What the listing commands say about each revision: head, branch point, labels, path ...
//! asked of the graph per revision shown (`current` or `heads` shows one of 10,000), with the
//! sets every line consults built once, so printing 10,000 lines stays linear.

use std::collections::HashSet;
use std::path::Path;

use migrate_graph::{Graph, Revision};

use crate::sources::Known;

/// The graph plus the per-revision facts the output formats need.
pub(crate) struct View<'g> {
    pub(crate) graph: &'g Graph,
    known: &'g Known,
    heads: HashSet<&'g str>,
    real_heads: HashSet<&'g str>,
    current: HashSet<String>,
}

/// One revision with everything a line or a block about it shows.
pub(crate) struct Facts<'a> {
    pub(crate) rev: &'a Revision,
    /// Branch labels, including those inherited along its branch.
    pub(crate) labels: Vec<String>,
    /// Versioned children, in map order.
    pub(crate) children: Vec<&'a str>,
    /// No versioned child (includes effective heads).
    pub(crate) is_head: bool,
    /// No child at all, `depends_on` included.
    pub(crate) is_real_head: bool,
    /// One of the database's current revisions (only when asked to indicate them).
    pub(crate) is_current: bool,
    pub(crate) path: Option<&'a Path>,
    /// Line of the `#[migration]` attribute in `path`.
    pub(crate) line: Option<u32>,
}

impl Facts<'_> {
    pub(crate) fn is_branch_point(&self) -> bool {
        self.children.len() > 1
    }
    pub(crate) fn is_merge_point(&self) -> bool {
        self.rev.down_revs.len() > 1
    }
    pub(crate) fn is_effective_head(&self) -> bool {
        self.is_head && !self.is_real_head
    }
}

impl<'g> View<'g> {
    pub(crate) fn new(graph: &'g Graph, known: &'g Known) -> View<'g> {
        View {
            graph,
            known,
            heads: graph.heads().into_iter().collect(),
            real_heads: graph.real_heads().into_iter().collect(),
            current: HashSet::new(),
        }
    }

    /// Mark these revisions `(current)`.
    pub(crate) fn with_current(mut self, current: &[String]) -> Self {
        self.current = current.iter().cloned().collect();
        self
    }

    pub(crate) fn facts<'a>(&'a self, rev: &'a Revision) -> Facts<'a> {
        let id = rev.id.as_str();
        Facts {
            rev,
            labels: self
                .graph
                .labels(id)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            children: self.graph.children(id),
            is_head: self.heads.contains(id),
            is_real_head: self.real_heads.contains(id),
            is_current: self.current.contains(id),
            path: self.known.locations.get(id).map(|(file, _)| file),
            line: self.known.locations.get(id).map(|(_, line)| line),
        }
    }

    /// Facts for an id the graph knows (ids from the graph's own answers always are).
    pub(crate) fn facts_of<'a>(&'a self, id: &str) -> Option<Facts<'a>> {
        self.graph.get(id).map(|rev| self.facts(rev))
    }
}
