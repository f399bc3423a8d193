//! The version table's rows and how each step changes them (Alembic's `HeadMaintainer` in
//! `alembic/runtime/migration.py`).
//!
//! Rows are the applied *tips*: applied revisions no other applied revision descends from
//! (through `down_rev` or a normalized dependency). Upgrading R: INSERT R when none of its
//! normalized parents is a row (new branch); with two or more parent rows DELETE all but the
//! last and UPDATE the last to R (merge); otherwise UPDATE the one parent row. Downgrading R:
//! its parents that nothing else applied still needs become rows again — none: DELETE R; one
//! (single parent): UPDATE R to it; several (unmerge): INSERT all but the last, then UPDATE R
//! to the last. Parent order is `down_rev` order, then dependencies.
//!
//! Alembic's `HeadMaintainer` computes "still needed" from ancestor sets of the other rows,
//! which differs from the tip rule only when one normalized parent is itself an ancestor of
//! another (then Alembic may DELETE a row that is not there, or leave a non-tip row). Here
//! every change is computed from per-revision counts of applied children, so each step is
//! O(parents), every UPDATE/DELETE matches exactly one row, and the rows stay the tips.

use crate::adj::Ix;
use crate::error::GraphError;
use crate::graph::Graph;
use crate::VersionChange;

/// The rows during a plan, with enough bookkeeping to keep them the applied tips.
pub(crate) struct Rows<'g> {
    g: &'g Graph,
    in_rows: Vec<bool>,
    applied: Vec<bool>,
    /// Applied children through normalized parents, per revision.
    applied_children: Vec<u32>,
    /// Reused buffer (saves an allocation per step on large plans).
    scratch: Vec<Ix>,
}

impl<'g> Rows<'g> {
    /// Starts from `rows`; everything they imply is applied.
    pub(crate) fn new(g: &'g Graph, rows: &[Ix]) -> Rows<'g> {
        let applied = g.ancestors(rows);
        let mut applied_children = vec![0u32; g.len()];
        for (v, &a) in applied.iter().enumerate() {
            if a {
                for &p in g.norm.get(v as Ix) {
                    applied_children[p as usize] += 1;
                }
            }
        }
        let mut in_rows = vec![false; g.len()];
        for &r in rows {
            in_rows[r as usize] = true;
        }
        Rows {
            g,
            in_rows,
            applied,
            applied_children,
            scratch: Vec::new(),
        }
    }

    fn id(&self, i: Ix) -> String {
        self.g.id(i).to_owned()
    }

    fn insert(&mut self, r: Ix, out: &mut Vec<VersionChange>) {
        self.in_rows[r as usize] = true;
        out.push(VersionChange::Insert(self.id(r)));
    }

    fn delete(&mut self, r: Ix, out: &mut Vec<VersionChange>) {
        self.in_rows[r as usize] = false;
        out.push(VersionChange::Delete(self.id(r)));
    }

    fn update(&mut self, from: Ix, to: Ix, out: &mut Vec<VersionChange>) {
        self.in_rows[from as usize] = false;
        self.in_rows[to as usize] = true;
        out.push(VersionChange::Update {
            from: self.id(from),
            to: self.id(to),
        });
    }

    pub(crate) fn contains(&self, r: Ix) -> bool {
        self.in_rows[r as usize]
    }

    /// The rows now, map order.
    #[cfg(test)]
    pub(crate) fn current(&self) -> Vec<Ix> {
        (0..self.g.len() as Ix)
            .filter(|&r| self.contains(r))
            .collect()
    }

    /// Records applying `r`.
    pub(crate) fn upgrade(&mut self, r: Ix) -> Vec<VersionChange> {
        let mut out = Vec::with_capacity(1);
        let parents = self.g.norm.get(r);
        let mut parent_rows = std::mem::take(&mut self.scratch);
        parent_rows.clear();
        parent_rows.extend(
            parents
                .iter()
                .copied()
                .filter(|&p| self.in_rows[p as usize]),
        );
        if !self.applied[r as usize] {
            self.applied[r as usize] = true;
            for &p in parents {
                self.applied_children[p as usize] += 1;
            }
        }
        match parent_rows.split_last() {
            _ if self.contains(r) => {}
            None => self.insert(r, &mut out),
            Some((&last, rest)) => {
                for &p in rest {
                    self.delete(p, &mut out);
                }
                self.update(last, r, &mut out);
            }
        }
        self.scratch = parent_rows;
        out
    }

    /// Records reverting `r`.
    pub(crate) fn downgrade(&mut self, r: Ix) -> Vec<VersionChange> {
        let mut out = Vec::with_capacity(1);
        let parents = self.g.norm.get(r);
        if self.applied[r as usize] {
            self.applied[r as usize] = false;
            for &p in parents {
                self.applied_children[p as usize] -= 1;
            }
        }
        let mut uncovered = std::mem::take(&mut self.scratch);
        uncovered.clear();
        uncovered.extend(parents.iter().copied().filter(|&p| {
            self.applied[p as usize] && self.applied_children[p as usize] == 0 && !self.contains(p)
        }));
        if !self.contains(r) {
            // Only reachable from inconsistent rows: keep the tips right without touching r.
            for &p in &uncovered {
                self.insert(p, &mut out);
            }
            self.scratch = uncovered;
            return out;
        }
        match uncovered.split_last() {
            None => self.delete(r, &mut out),
            Some((&last, rest)) => {
                for &p in rest {
                    self.insert(p, &mut out);
                }
                self.update(r, last, &mut out);
            }
        }
        self.scratch = uncovered;
        out
    }
}

impl Graph {
    /// What `current` prints: the rows plus every revision they imply (ancestors and
    /// dependencies), reduced to branch tips; map order. O(n).
    pub fn current_tips(&self, rows: &[String]) -> Result<Vec<&str>, GraphError> {
        let rows = self.resolve_rows(rows)?;
        Ok(self.ids_of(&self.current_tips_ix(&rows)))
    }

    /// `_get_all_current`: the rows plus everything they imply (ancestors and dependencies),
    /// reduced to the revisions with no `down_rev` child in that set; map order.
    pub(crate) fn current_tips_ix(&self, rows: &[Ix]) -> Vec<Ix> {
        let all = self.ancestors(rows);
        (0..self.len() as Ix)
            .filter(|&v| all[v as usize] && !self.children.get(v).iter().any(|&c| all[c as usize]))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::testutil::*;
    use crate::VersionChange::{self, *};

    fn s(x: &str) -> String {
        x.to_owned()
    }

    fn upd(from: &str, to: &str) -> VersionChange {
        Update {
            from: s(from),
            to: s(to),
        }
    }

    #[test]
    fn upgrade_row_changes() {
        let g = networking();
        let ix = |id: &str| g.ids[id];
        let mut rows = super::Rows::new(&g, &[]);
        assert_eq!(
            rows.upgrade(ix("1975ea83b712")),
            [Insert(s("1975ea83b712"))]
        );
        assert_eq!(
            rows.upgrade(ix("27c6a30d7c24")),
            [upd("1975ea83b712", "27c6a30d7c24")]
        );
        // A sibling of an applied branch: its parent is no row, so a new row.
        assert_eq!(
            rows.upgrade(ix("ae1027a6acf0")),
            [Insert(s("ae1027a6acf0"))]
        );
    }

    #[test]
    fn merge_deletes_all_but_last_parent() {
        // The docs' SQL: DELETE 'ae10…', UPDATE '27c6…' → the merge.
        let g = build(vec![
            r("1975ea83b712", &[]),
            r("ae1027a6acf", &["1975ea83b712"]),
            r("27c6a30d7c24", &["1975ea83b712"]),
            r("53fffde5ad5", &["ae1027a6acf", "27c6a30d7c24"]),
        ]);
        let ix = |id: &str| g.ids[id];
        let mut rows = super::Rows::new(&g, &[ix("ae1027a6acf"), ix("27c6a30d7c24")]);
        assert_eq!(
            rows.upgrade(ix("53fffde5ad5")),
            [Delete(s("ae1027a6acf")), upd("27c6a30d7c24", "53fffde5ad5")]
        );
        // Unmerge gives both parents back.
        assert_eq!(
            rows.downgrade(ix("53fffde5ad5")),
            [Insert(s("ae1027a6acf")), upd("53fffde5ad5", "27c6a30d7c24")]
        );
        assert_eq!(g.strings(&rows.current()), ["ae1027a6acf", "27c6a30d7c24"]);
    }

    #[test]
    fn downgrade_to_shared_parent_deletes() {
        let g = forked();
        let ix = |id: &str| g.ids[id];
        let mut rows = super::Rows::new(&g, &[ix("c1"), ix("c2")]);
        assert_eq!(rows.downgrade(ix("c1")), [Delete(s("c1"))]);
        assert_eq!(rows.downgrade(ix("c2")), [upd("c2", "b")]);
        assert_eq!(rows.downgrade(ix("b")), [upd("b", "a")]);
        assert_eq!(rows.downgrade(ix("a")), [Delete(s("a"))]);
        assert!(rows.current().is_empty());
    }

    #[test]
    fn downgrade_reinserts_dependencies_no_longer_implied() {
        // test_kaboom's shape: d1 depends on a3, b2 and c1; only row d1.
        let g = build(vec![
            r("a1", &[]),
            r("a2", &["a1"]),
            r("a3", &["a2"]),
            r("b1", &[]),
            r("b2", &["b1"]),
            r("c1", &[]),
            r("d1", &["c1"]).depends_on(["a3", "b2"]),
        ]);
        let ix = |id: &str| g.ids[id];
        let mut rows = super::Rows::new(&g, &[ix("d1")]);
        assert_eq!(
            rows.downgrade(ix("d1")),
            [Insert(s("c1")), Insert(s("a3")), upd("d1", "b2")]
        );
    }

    #[test]
    fn all_current_includes_dependency_tips() {
        // rows {b2} print b2 and a2 when b2 depends on a2.
        let g = build(vec![
            r("a1", &[]),
            r("a2", &["a1"]),
            r("a3", &["a2"]),
            r("b1", &[]),
            r("b2", &["b1"]).depends_on(["a2"]),
        ]);
        let tips = g.current_tips_ix(&[g.ids["b2"]]);
        assert_eq!(g.strings(&tips), ["a2", "b2"]);
    }
}
