//! `upgrade TARGET` (`RevisionMap._collect_upgrade_revisions` in Alembic): `needs = required −
//! current_set`, run parents first.

use crate::adj::Ix;
use crate::error::GraphError;
use crate::graph::Graph;
use crate::ident::{parse_relative, Pos, Spec};
use crate::versions::Rows;
use crate::{Direction, Plan, Step};

/// What `_collect_upgrade_revisions` returns: the set to run and the targets it came from.
pub(crate) struct Collected {
    pub(crate) needs: Vec<Ix>,
    pub(crate) targets: Vec<Ix>,
}

/// One entry of Alembic's `start_revs` for `upgrade +N`.
#[derive(Clone, Copy)]
enum Start<'a> {
    Str(&'a str),
    Node(Ix),
    Nothing,
}

impl Graph {
    /// Plans `upgrade target` from the rows `current` (online: the table's rows; offline
    /// `--sql start:end`: the start, resolved). Steps run in order; each carries its row
    /// changes. Already applied or below the current revision: an empty plan.
    ///
    /// # Examples
    ///
    /// ```
    /// use migrate_graph::{Graph, Revision, VersionChange};
    /// let g = Graph::new(vec![
    ///     Revision::new("a", Vec::<String>::new()),
    ///     Revision::new("b", ["a"]),
    /// ])
    /// .unwrap();
    /// let plan = g.plan_upgrade(&[], "head").unwrap();
    /// let ran: Vec<&str> = plan.steps.iter().map(|s| s.revision.as_str()).collect();
    /// assert_eq!(ran, ["a", "b"]);
    /// assert_eq!(plan.steps[1].version_changes, [VersionChange::Update { from: "a".into(), to: "b".into() }]);
    /// assert!(g.plan_upgrade(&["b".to_string()], "a").unwrap().steps.is_empty());
    /// ```
    pub fn plan_upgrade(&self, current: &[String], target: &str) -> Result<Plan, GraphError> {
        let c = self
            .collect_upgrade(Spec::Str(target), Spec::Rows(current), false, true, true)
            .map_err(|e| with_argument(e, target))?;
        let mut order = self.topological_sort(&c.needs, &c.targets);
        order.reverse();
        let start = self.resolve_rows(current)?;
        let mut rows = Rows::new(self, &start);
        let steps = order
            .into_iter()
            .map(|r| Step {
                revision: self.id(r).to_owned(),
                direction: Direction::Up,
                from: self.strings(self.down.get(r)),
                to: vec![self.id(r).to_owned()],
                version_changes: rows.upgrade(r),
            })
            .collect();
        Ok(Plan {
            steps,
            warnings: Vec::new(),
        })
    }

    /// `_collect_upgrade_revisions(upper, lower, inclusive, implicit_base, assert_relative_length)`.
    pub(crate) fn collect_upgrade(
        &self,
        upper: Spec<'_>,
        lower: Spec<'_>,
        inclusive: bool,
        implicit_base: bool,
        assert_relative_length: bool,
    ) -> Result<Collected, GraphError> {
        let mut targets = Vec::new();
        for p in self.parse_upgrade_target(lower, upper, assert_relative_length)? {
            match p {
                Pos::Rev(i) => targets.push(i),
                // Alembic asserts here; base as a target asks for nothing.
                Pos::Base => {}
                Pos::Nothing => return Err(GraphError::WalkedTooFar),
            }
        }
        // A named lower bound (`L@base:`, `L@x:`) keeps only the targets labelled L.
        if let Spec::Str(l) = lower {
            if let Some((branch, _)) = l.split_once('@') {
                let mut branch = branch.to_owned();
                if let Some(br) = self.get_revision(&branch)? {
                    if self.id(br) == branch {
                        // An id used as a branch: its label instead.
                        if let [only] = &*self.labels[br as usize] {
                            branch = self.label_names[*only as usize].clone();
                        }
                    }
                }
                targets.retain(|&t| self.has_label(t, &branch));
            }
        }
        let required = self.closure_checked(&targets, &self.norm)?;

        let mut lower = lower;
        let mut current = self.get_revisions(lower)?;
        if !implicit_base
            && current.iter().any(|p| match p {
                Pos::Rev(i) => !required[*i as usize],
                Pos::Base => true,
                Pos::Nothing => false,
            })
        {
            return Err(GraphError::RangeNotAncestor {
                start: spec_text(lower),
                end: spec_text(upper),
            });
        }
        // A relative lower bound that walked off the graph: walk it again relative to upper.
        let mut lower_owned = String::new();
        if current.first() == Some(&Pos::Nothing) {
            let Spec::Str(l) = lower else {
                return Err(GraphError::WalkedTooFar);
            };
            let (_, rev) =
                self.parse_downgrade_target(upper, l, assert_relative_length, &mut Vec::new())?;
            match rev {
                Pos::Rev(i) => {
                    current = vec![Pos::Rev(i)];
                    lower_owned = self.id(i).to_owned();
                }
                _ => {
                    current = Vec::new();
                }
            }
            lower = Spec::Str(if lower_owned.is_empty() {
                "base"
            } else {
                &lower_owned
            });
        }
        let current: Vec<Ix> = current.into_iter().filter_map(Pos::rev).collect();
        let current_set = self.closure_checked(&current, &self.norm)?;

        let mut needs_mask: Vec<bool> = required
            .iter()
            .zip(&current_set)
            .map(|(&r, &c)| r && !c)
            .collect();
        if inclusive {
            for p in self.get_revisions(lower)? {
                if let Pos::Rev(i) = p {
                    needs_mask[i as usize] = true;
                }
            }
        }
        if !current.is_empty() && !implicit_base {
            let above = self.closure_checked(&current, &self.children)?;
            for (n, a) in needs_mask.iter_mut().zip(above) {
                *n &= a;
            }
        }
        let needs = (0..self.len() as Ix)
            .filter(|&i| needs_mask[i as usize])
            .collect();
        Ok(Collected { needs, targets })
    }

    /// `_parse_upgrade_target`: absolute targets, `+N` from the current rows, `sym±N`.
    pub(crate) fn parse_upgrade_target(
        &self,
        current: Spec<'_>,
        target: Spec<'_>,
        assert_relative_length: bool,
    ) -> Result<Vec<Pos>, GraphError> {
        let Spec::Str(t) = target else {
            return self.get_revisions(target);
        };
        let Some(rel) = parse_relative(t) else {
            return self.get_revisions_str(t);
        };
        let steps = rel.value.unsigned_abs();
        if rel.value > 0 {
            let Some(symbol) = rel.symbol else {
                let mut start: Vec<Start<'_>> = match current {
                    Spec::Str(s) => vec![Start::Str(s)],
                    Spec::Rows(rows) => rows.iter().map(|r| Start::Str(r)).collect(),
                };
                if start.is_empty() {
                    start.push(Start::Nothing);
                }
                if let Some(b) = rel.branch {
                    let nodes: Vec<Ix> = match current {
                        Spec::Rows([]) => Vec::new(),
                        _ => self
                            .get_revisions(current)?
                            .into_iter()
                            .filter_map(Pos::rev)
                            .collect(),
                    };
                    let mut on_branch = self.filter_for_lineage(&nodes, b, false)?;
                    if on_branch.is_empty() {
                        // The branch is not at a row: start from its tips among what is applied.
                        let applied = self.ancestors(&nodes);
                        let all: Vec<Ix> = (0..self.len() as Ix)
                            .filter(|&i| applied[i as usize])
                            .collect();
                        let active = self.filter_for_lineage(&all, b, false)?;
                        let mut below = vec![false; self.len()];
                        for &a in &active {
                            for &p in self.norm.get(a) {
                                below[p as usize] = true;
                            }
                        }
                        on_branch = active.into_iter().filter(|&a| !below[a as usize]).collect();
                    }
                    start = on_branch.into_iter().map(Start::Node).collect();
                    if start.is_empty() {
                        start.push(Start::Nothing);
                    }
                }
                if start.len() > 1 {
                    return Err(GraphError::AmbiguousUpgrade);
                }
                let from = match start[0] {
                    Start::Str(s) => self.get_revision(s)?.map_or(Pos::Nothing, Pos::Rev),
                    Start::Node(i) => Pos::Rev(i),
                    Start::Nothing => Pos::Nothing,
                };
                let to = self.walk(from, rel.value, rel.branch, assert_relative_length)?;
                if to == Pos::Nothing {
                    return Err(GraphError::RelativeTooFar {
                        relative: rel.text.to_owned(),
                        steps,
                    });
                }
                return Ok(vec![to]);
            };
            let from = self.get_revision(symbol)?.map_or(Pos::Nothing, Pos::Rev);
            Ok(vec![self.walk(
                from,
                rel.value,
                rel.branch,
                assert_relative_length,
            )?])
        } else {
            let Some(symbol) = rel.symbol else {
                return Err(GraphError::RelativeTooFar {
                    relative: rel.value_text(),
                    steps,
                });
            };
            let from = match rel.branch {
                None => self.get_revision(symbol)?,
                Some(b) => self.get_revision(&format!("{b}@{symbol}"))?,
            };
            let from = from.map_or(Pos::Nothing, Pos::Rev);
            Ok(vec![self.walk(
                from,
                rel.value,
                None,
                assert_relative_length,
            )?])
        }
    }

    /// Everything reachable from `nodes` through `edges` (inclusive), with Alembic's overlap
    /// check: one of `nodes` reachable from another is an error.
    pub(crate) fn closure_checked(
        &self,
        nodes: &[Ix],
        edges: &crate::adj::Adj,
    ) -> Result<Vec<bool>, GraphError> {
        let mut seen = vec![false; self.len()];
        let mut stack: Vec<Ix> = Vec::new();
        for &v in nodes {
            for &w in edges.get(v) {
                if !seen[w as usize] {
                    seen[w as usize] = true;
                    stack.push(w);
                }
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
        if nodes.iter().any(|&v| seen[v as usize]) {
            // Name the first node (in the given order) that reaches another one.
            for &t in nodes {
                let reach = self.reach(edges.get(t), edges);
                let others: Vec<Ix> = nodes
                    .iter()
                    .copied()
                    .filter(|&o| o != t && reach[o as usize])
                    .collect();
                if !others.is_empty() {
                    return Err(GraphError::Overlap {
                        rev: self.id(t).to_owned(),
                        others: self.strings(&others),
                    });
                }
            }
        }
        for &v in nodes {
            seen[v as usize] = true;
        }
        Ok(seen)
    }
}

/// The text of an argument for messages (`current` for the database's rows).
pub(crate) fn spec_text(spec: Spec<'_>) -> String {
    match spec {
        Spec::Str(s) => s.to_owned(),
        Spec::Rows(_) => "current".to_owned(),
    }
}

/// Alembic's upgrade/downgrade catch quotes the destination as typed in the multiple-heads
/// message (`end=destination`).
pub(crate) fn with_argument(e: GraphError, destination: &str) -> GraphError {
    match e {
        GraphError::MultipleHeadsForArgument { heads, .. } => {
            GraphError::MultipleHeadsForArgument {
                argument: destination.to_owned(),
                heads,
            }
        }
        e => e,
    }
}

#[cfg(test)]
mod tests;
