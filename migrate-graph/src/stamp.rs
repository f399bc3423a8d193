//! `stamp` (`ScriptDirectory._stamp_revs` in Alembic's `alembic/script/base.py`): set the rows
//! without running migrations.

use crate::adj::Ix;
use crate::error::GraphError;
use crate::graph::Graph;
use crate::{Direction, Step, VersionChange};

impl Graph {
    /// The row changes of `stamp targets...` from the rows `current`. With `purge`, every
    /// current row is deleted first (without being resolved: the way out of a row naming a
    /// deleted revision) and the stamp starts from an empty table.
    ///
    /// # Examples
    ///
    /// ```
    /// use migrate_graph::{Graph, Revision, VersionChange};
    /// let g = Graph::new(vec![
    ///     Revision::new("a", Vec::<String>::new()),
    ///     Revision::new("e", ["a"]),
    ///     Revision::new("f", ["a"]),
    /// ])
    /// .unwrap();
    /// let changes = g.plan_stamp(&["a".to_string()], &["e", "f"], false).unwrap();
    /// assert_eq!(changes, [
    ///     VersionChange::Update { from: "a".into(), to: "e".into() },
    ///     VersionChange::Insert("f".into()),
    /// ]);
    /// ```
    pub fn plan_stamp(
        &self,
        current: &[String],
        targets: &[&str],
        purge: bool,
    ) -> Result<Vec<VersionChange>, GraphError> {
        let mut out: Vec<VersionChange> = Vec::new();
        let start: &[String] = if purge {
            out.extend(current.iter().map(|r| VersionChange::Delete(r.clone())));
            &[]
        } else {
            current
        };
        for step in self.stamp_steps(start, targets)? {
            out.extend(step.version_changes);
        }
        Ok(out)
    }

    /// `stamp` as steps, one per destination that changes anything, for the
    /// `Running stamp_revision <from> -> <to>` log lines. No purge: pass an empty `current`
    /// after deleting the rows.
    pub fn stamp_steps(
        &self,
        current: &[String],
        targets: &[&str],
    ) -> Result<Vec<Step>, GraphError> {
        let base = ["base"];
        let targets: &[&str] = if targets.is_empty() { &base } else { targets };
        let heads = self.resolve_rows(current).map_err(stamp_error)?;

        // Rows sharing lineage (dependencies included) with any destination, computed once.
        let mut filtered: Vec<Ix> = Vec::new();
        for t in targets.iter().filter(|t| !t.is_empty()) {
            for h in self
                .filter_for_lineage(&heads, t, true)
                .map_err(stamp_error)?
            {
                if !filtered.contains(&h) {
                    filtered.push(h);
                }
            }
        }
        let mut dests: Vec<Option<Ix>> = Vec::new();
        for t in targets {
            for p in self.get_revisions_str(t).map_err(stamp_error)? {
                dests.push(p.rev());
            }
        }
        if dests.is_empty() {
            dests.push(None);
        }

        let mut rows = StampRows {
            g: self,
            rows: heads,
        };
        let mut steps = Vec::new();
        for dest in dests {
            let Some(d) = dest else {
                for &h in &filtered {
                    steps.extend(rows.step(&[h], None, false, true));
                }
                continue;
            };
            if filtered.contains(&d) {
                continue;
            }
            let above = self.descendants(&[d]);
            let below = self.ancestors(&[d]);
            let step = if filtered.iter().any(|&h| above[h as usize]) {
                rows.step(&filtered, Some(d), false, false)
            } else if filtered.iter().any(|&h| below[h as usize]) {
                rows.step(&filtered, Some(d), true, false)
            } else {
                rows.step(&[], Some(d), true, true)
            };
            steps.extend(step);
        }
        Ok(steps)
    }
}

/// `_stamp_revs` reports several heads with its own message.
fn stamp_error(e: GraphError) -> GraphError {
    match e {
        GraphError::MultipleHeadsForArgument { argument, heads } => {
            GraphError::StampMultipleHeads { argument, heads }
        }
        e => e,
    }
}

/// Rows under a stamp: `HeadMaintainer.update_to_step` for `StampStep`s, guarded so that a
/// row consumed by an earlier destination is never updated or deleted again (Alembic crashes
/// there) and no row is inserted twice.
struct StampRows<'g> {
    g: &'g Graph,
    rows: Vec<Ix>,
}

impl StampRows<'_> {
    fn step(&mut self, from: &[Ix], to: Option<Ix>, up: bool, branch_move: bool) -> Option<Step> {
        let present: Vec<Ix> = from
            .iter()
            .copied()
            .filter(|f| self.rows.contains(f))
            .collect();
        let mut changes = Vec::new();
        match to {
            None => {
                // A branch delete (stamp to base).
                for f in present {
                    self.delete(f, &mut changes);
                }
            }
            Some(d) if self.rows.contains(&d) => {
                for f in present.into_iter().filter(|&f| f != d) {
                    self.delete(f, &mut changes);
                }
            }
            Some(d) if up && (branch_move || present.len() < from.len()) => {
                self.rows.push(d);
                changes.push(VersionChange::Insert(self.g.id(d).to_owned()));
            }
            Some(d) => match present.split_last() {
                None => {
                    self.rows.push(d);
                    changes.push(VersionChange::Insert(self.g.id(d).to_owned()));
                }
                Some((&last, rest)) => {
                    for &f in rest {
                        self.delete(f, &mut changes);
                    }
                    if let Some(slot) = self.rows.iter_mut().find(|x| **x == last) {
                        *slot = d;
                    }
                    changes.push(VersionChange::Update {
                        from: self.g.id(last).to_owned(),
                        to: self.g.id(d).to_owned(),
                    });
                }
            },
        }
        if changes.is_empty() {
            return None;
        }
        Some(Step {
            revision: self.g.id(to.or(from.first().copied())?).to_owned(),
            direction: if up { Direction::Up } else { Direction::Down },
            from: self.g.strings(from),
            to: to
                .map(|d| vec![self.g.id(d).to_owned()])
                .unwrap_or_default(),
            version_changes: changes,
        })
    }

    fn delete(&mut self, r: Ix, out: &mut Vec<VersionChange>) {
        self.rows.retain(|&x| x != r);
        out.push(VersionChange::Delete(self.g.id(r).to_owned()));
    }
}

#[cfg(test)]
mod tests;
