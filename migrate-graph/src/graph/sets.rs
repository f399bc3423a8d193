//! The sets derived from a built graph: heads, bases, branch and merge points, labels
//! (`RevisionMap` in Alembic's `alembic/script/revision.py`), the single-head rule of the
//! compile-time check, and the reachability
//! queries planning builds on.

use crate::adj::{Adj, Ix};
use crate::error::GraphError;
use crate::revision::Revision;

use super::Graph;

impl Graph {
    /// All revisions in map order (sorted by `order_key`).
    pub fn revisions(&self) -> impl Iterator<Item = &Revision> + '_ {
        self.revs.iter()
    }

    /// The revision with exactly this id.
    pub fn get(&self, id: &str) -> Option<&Revision> {
        self.ids.get(id).map(|&i| &self.revs[i as usize])
    }

    /// Versioned heads (no `down_rev` child), map order. Includes effective heads.
    pub fn heads(&self) -> Vec<&str> {
        self.ids_of(&self.heads)
    }

    /// Real heads (no `down_rev` nor `depends_on` child), map order.
    pub fn real_heads(&self) -> Vec<&str> {
        self.ids_of(&self.real_heads)
    }

    /// Effective heads: versioned heads that something depends on, map order.
    pub fn effective_heads(&self) -> Vec<&str> {
        let v: Vec<Ix> = self
            .heads
            .iter()
            .copied()
            .filter(|&h| self.all_child_count[h as usize] > 0)
            .collect();
        self.ids_of(&v)
    }

    /// Bases (no `down_rev`, including revisions with only `depends_on`), map order.
    pub fn bases(&self) -> Vec<&str> {
        self.ids_of(&self.bases)
    }

    /// Real bases (no `down_rev` and no `depends_on`), map order.
    pub fn real_bases(&self) -> Vec<&str> {
        self.ids_of(&self.real_bases)
    }

    /// Branch points (more than one `down_rev` child), map order.
    pub fn branch_points(&self) -> Vec<&str> {
        let v: Vec<Ix> = (0..self.len() as Ix)
            .filter(|&i| self.children.get(i).len() > 1)
            .collect();
        self.ids_of(&v)
    }

    /// Merge points (more than one `down_rev`), map order.
    pub fn merge_points(&self) -> Vec<&str> {
        let v: Vec<Ix> = (0..self.len() as Ix)
            .filter(|&i| self.is_merge(i))
            .collect();
        self.ids_of(&v)
    }

    /// The `down_rev` children of `id`, map order (empty for an unknown id).
    pub fn children(&self, id: &str) -> Vec<&str> {
        self.ids
            .get(id)
            .map(|&i| self.ids_of(self.children.get(i)))
            .unwrap_or_default()
    }

    /// The revisions that depend on `id` (by id or label), map order.
    pub fn dependents(&self, id: &str) -> Vec<&str> {
        let Some(&i) = self.ids.get(id) else {
            return Vec::new();
        };
        let v: Vec<Ix> = (0..self.len() as Ix)
            .filter(|&j| self.deps.get(j).contains(&i))
            .collect();
        self.ids_of(&v)
    }

    /// The branch labels that apply to `id` after propagation (§2.1), sorted.
    pub fn labels(&self, id: &str) -> Vec<&str> {
        let Some(&i) = self.ids.get(id) else {
            return Vec::new();
        };
        self.labels[i as usize]
            .iter()
            .map(|&l| self.label_names[l as usize].as_str())
            .collect()
    }

    /// The dependencies of `id` resolved to revision ids (labels replaced), declaration order.
    pub fn resolved_dependencies(&self, id: &str) -> Vec<&str> {
        self.ids
            .get(id)
            .map(|&i| self.ids_of(self.deps.get(i)))
            .unwrap_or_default()
    }

    /// Normalized parents of `id`: its `down_rev`s, then each dependency that is not already
    /// a dependency of one of its versioned ancestors (#789).
    pub fn normalized_parents(&self, id: &str) -> Vec<&str> {
        self.ids
            .get(id)
            .map(|&i| self.ids_of(self.norm.get(i)))
            .unwrap_or_default()
    }

    /// The compile-time single-head rule: an error when more than one versioned head carries
    /// no branch label, or two heads share a branch label.
    ///
    /// # Examples
    ///
    /// ```
    /// use migrate_graph::{Graph, Revision};
    /// let g = Graph::new(vec![
    ///     Revision::new("a0", Vec::<String>::new()),
    ///     Revision::new("a1b2", ["a0"]),
    ///     Revision::new("c3d4", ["a0"]),
    /// ])
    /// .unwrap();
    /// let err = g.check_single_head().unwrap_err();
    /// assert_eq!(err.to_string(), "2 heads: a1b2, c3d4 — create a merge with `migrate merge heads`");
    /// ```
    pub fn check_single_head(&self) -> Result<(), GraphError> {
        let unlabelled: Vec<Ix> = self
            .heads
            .iter()
            .copied()
            .filter(|&h| self.labels[h as usize].is_empty())
            .collect();
        if unlabelled.len() > 1 {
            return Err(GraphError::MultipleHeads {
                heads: self.strings(&unlabelled),
                label: None,
            });
        }
        for (l, name) in self.label_names.iter().enumerate() {
            let on: Vec<Ix> = self
                .heads
                .iter()
                .copied()
                .filter(|&h| self.labels[h as usize].contains(&(l as u32)))
                .collect();
            if on.len() > 1 {
                return Err(GraphError::MultipleHeads {
                    heads: self.strings(&on),
                    label: Some(name.clone()),
                });
            }
        }
        Ok(())
    }

    // ---- traversals ----

    /// Marks `starts` and everything reachable from them through `edges`.
    pub(crate) fn reach(&self, starts: &[Ix], edges: &Adj) -> Vec<bool> {
        let mut seen = vec![false; self.len()];
        let mut stack: Vec<Ix> = Vec::new();
        for &s in starts {
            if !seen[s as usize] {
                seen[s as usize] = true;
                stack.push(s);
            }
        }
        while let Some(v) = stack.pop() {
            for &w in edges.get(v) {
                if !seen[w as usize] {
                    seen[w as usize] = true;
                    stack.push(w);
                }
            }
        }
        seen
    }

    /// Ancestors of `starts` (inclusive) through normalized parents, i.e. including
    /// dependencies.
    pub(crate) fn ancestors(&self, starts: &[Ix]) -> Vec<bool> {
        self.reach(starts, &self.norm)
    }

    /// Ancestors through `down_rev` only (inclusive).
    pub(crate) fn versioned_ancestors(&self, starts: &[Ix]) -> Vec<bool> {
        self.reach(starts, &self.down)
    }

    /// Descendants (inclusive) through `down_rev` and `depends_on`.
    pub(crate) fn descendants(&self, starts: &[Ix]) -> Vec<bool> {
        self.reach(starts, &self.norm_children)
    }

    /// Descendants through `down_rev` only (inclusive).
    pub(crate) fn versioned_descendants(&self, starts: &[Ix]) -> Vec<bool> {
        self.reach(starts, &self.children)
    }

    /// `x` shares lineage with `y` when it is an ancestor or a descendant of it (inclusive);
    /// returns the set of nodes sharing lineage with `y`.
    pub(crate) fn lineage(&self, y: Ix, include_dependencies: bool) -> Vec<bool> {
        let (up, down) = if include_dependencies {
            (self.descendants(&[y]), self.ancestors(&[y]))
        } else {
            (
                self.versioned_descendants(&[y]),
                self.versioned_ancestors(&[y]),
            )
        };
        up.into_iter().zip(down).map(|(a, b)| a || b).collect()
    }
}
