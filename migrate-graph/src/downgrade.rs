//! `downgrade TARGET` (`RevisionMap._collect_downgrade_revisions` in Alembic): un-apply
//! `descendants(roots) ∩ applied`, children
//! first.

use crate::adj::Ix;
use crate::error::GraphError;
use crate::graph::Graph;
use crate::ident::{parse_relative, Pos, Spec};
use crate::upgrade::with_argument;
use crate::versions::Rows;
use crate::{Direction, Plan, Step};

impl Graph {
    /// Plans `downgrade target` from the rows `current`. Steps run in order (children before
    /// parents); each carries its row changes. `-N` with several rows walks from the first row
    /// and adds Alembic's warning to [`Plan::warnings`].
    ///
    /// # Examples
    ///
    /// ```
    /// use migrate_graph::{Graph, Revision};
    /// let g = Graph::new(vec![
    ///     Revision::new("a", Vec::<String>::new()),
    ///     Revision::new("b", ["a"]),
    /// ])
    /// .unwrap();
    /// let plan = g.plan_downgrade(&["b".to_string()], "base").unwrap();
    /// let ran: Vec<&str> = plan.steps.iter().map(|s| s.revision.as_str()).collect();
    /// assert_eq!(ran, ["b", "a"]);
    /// ```
    pub fn plan_downgrade(&self, current: &[String], target: &str) -> Result<Plan, GraphError> {
        let mut warnings = Vec::new();
        let (drop, heads) = self
            .collect_downgrade(current, target, true, &mut warnings)
            .map_err(|e| with_argument(e, target))?;
        let order = self.topological_sort(&drop, &heads);
        let mut rows = Rows::new(self, &heads);
        let steps = order
            .into_iter()
            .map(|r| Step {
                revision: self.id(r).to_owned(),
                direction: Direction::Down,
                from: vec![self.id(r).to_owned()],
                to: self.strings(self.down.get(r)),
                version_changes: rows.downgrade(r),
            })
            .collect();
        Ok(Plan { steps, warnings })
    }

    /// `_collect_downgrade_revisions`: the revisions to drop and the rows to sort them from.
    pub(crate) fn collect_downgrade(
        &self,
        current: &[String],
        target: &str,
        assert_relative_length: bool,
        warnings: &mut Vec<String>,
    ) -> Result<(Vec<Ix>, Vec<Ix>), GraphError> {
        let (branch, target_rev) = self.parse_downgrade_target(
            Spec::Rows(current),
            target,
            assert_relative_length,
            warnings,
        )?;
        let target_rev = target_rev.rev();
        let mut roots: Vec<Ix> = match target_rev {
            None => self.bases.clone(),
            Some(t) => self.children.get(t).to_vec(),
        };
        if let Some(b) = branch.as_deref() {
            if roots.len() > 1 {
                let br = self.resolve_branch(b)?;
                let below = self.versioned_ancestors(&[br]);
                roots.retain(|&r| below[r as usize]);
                if roots.is_empty() {
                    return Err(GraphError::NoDowngradeRoots {
                        branch: b.to_owned(),
                    });
                }
            }
        }
        let heads = self.resolve_rows(current)?;
        let above = self.descendants(&roots);
        let applied = self.ancestors(&heads);
        let drop: Vec<Ix> = (0..self.len() as Ix)
            .filter(|&i| above[i as usize] && applied[i as usize])
            .collect();
        if let Some(t) = target_rev {
            if drop.is_empty() && !heads.contains(&t) {
                return Err(GraphError::InvalidDowngradeTarget {
                    destination: target.to_owned(),
                });
            }
        }
        Ok((drop, heads))
    }

    /// `_parse_downgrade_target`: `(branch, target)`; the target `Pos::Nothing`/`Base` is base.
    pub(crate) fn parse_downgrade_target(
        &self,
        current: Spec<'_>,
        target: &str,
        assert_relative_length: bool,
        warnings: &mut Vec<String>,
    ) -> Result<(Option<String>, Pos), GraphError> {
        let Some(rel) = parse_relative(target) else {
            // Absolute: `X@Y` names branch X (split at the last '@'); Y alone is looked up.
            let (branch, symbol) = match target.rsplit_once('@') {
                Some((b, s)) => ((!b.is_empty()).then(|| b.to_owned()), s),
                None => (None, target),
            };
            let rev = self.get_revision(symbol)?.map_or(Pos::Nothing, Pos::Rev);
            return Ok((branch, rev));
        };
        let steps = rel.value.unsigned_abs();
        if rel.value >= 0 {
            let Some(symbol) = rel.symbol else {
                return Err(GraphError::RelativeTooFar {
                    relative: rel.text.to_owned(),
                    steps,
                });
            };
            let from = self.get_revision(symbol)?.map_or(Pos::Nothing, Pos::Rev);
            let rev = self.walk(from, rel.value, rel.branch, assert_relative_length)?;
            if rev == Pos::Nothing {
                return Err(GraphError::WalkedTooFar);
            }
            return Ok((rel.branch.map(str::to_owned), rev));
        }
        let relative_to_current = rel.symbol.is_none();
        let rows: Vec<&str> = match current {
            Spec::Str(s) => vec![s],
            Spec::Rows(r) => r.iter().map(String::as_str).collect(),
        };
        let (branch, symbol): (Option<String>, String) = match (rel.symbol, rel.branch) {
            (Some(symbol), branch) => (branch.map(str::to_owned), symbol.to_owned()),
            (None, Some(b)) => {
                let nodes = self.resolve_start_list(&rows)?;
                let mut on_branch = self.filter_for_lineage(&nodes, b, false)?;
                if on_branch.is_empty() {
                    let tips = self.current_tips_ix(&nodes);
                    on_branch = self.filter_for_lineage(&tips, b, false)?;
                }
                match on_branch.as_slice() {
                    [one] => (Some(b.to_owned()), self.id(*one).to_owned()),
                    [] => {
                        return Err(GraphError::RelativeTooFar {
                            relative: rel.text.to_owned(),
                            steps,
                        })
                    }
                    _ => return Err(GraphError::AmbiguousWalk),
                }
            }
            (None, None) => {
                let Some(first) = rows.first() else {
                    return Err(GraphError::RelativeTooFar {
                        relative: rel.text.to_owned(),
                        steps,
                    });
                };
                if rows.iter().any(|r| r != first) {
                    warnings.push(
                        "downgrade -1 from multiple heads is ambiguous; this usage will be \
                         disallowed in a future release."
                            .to_owned(),
                    );
                }
                // The walk follows the first row's own line.
                (Some((*first).to_owned()), (*first).to_owned())
            }
        };
        let from = match &branch {
            None => self.get_revision(&symbol)?,
            Some(b) => self.get_revision(&format!("{b}@{symbol}"))?,
        };
        let rev = self.walk(
            from.map_or(Pos::Nothing, Pos::Rev),
            rel.value,
            None,
            assert_relative_length,
        )?;
        if rev == Pos::Nothing {
            return Err(if relative_to_current {
                GraphError::RelativeTooFar {
                    relative: rel.text.to_owned(),
                    steps,
                }
            } else {
                GraphError::WalkedTooFar
            });
        }
        Ok((branch, rev))
    }

    fn resolve_start_list(&self, rows: &[&str]) -> Result<Vec<Ix>, GraphError> {
        let mut out = Vec::new();
        for r in rows {
            out.extend(self.get_revisions_str(r)?.into_iter().filter_map(Pos::rev));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
