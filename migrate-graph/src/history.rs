//! `history -r start:end` (`ScriptDirectory.walk_revisions` in Alembic), with Alembic's quirks.

use crate::error::GraphError;
use crate::graph::Graph;
use crate::ident::{parse_range, Spec};
use crate::revision::Revision;
use crate::upgrade::spec_text;

impl Graph {
    /// The revisions `history -r range` lists, newest first. `range` is `[start]:[end]`
    /// (start defaults to `base`, end to `heads`); `current` on either side stands for the
    /// rows `current`, and an empty table makes `:current` list everything.
    ///
    /// Quirks kept from Alembic: a negative start is relative to the heads (and clamps at
    /// base when it walks off); `+N` as a start and `-N` as an end are errors; `L@base:`
    /// lists L's revisions plus every ancestor and dependency they need; a start that is not
    /// below the end is `Requested range S:E does not refer to ...`.
    ///
    /// # Examples
    ///
    /// ```
    /// use migrate_graph::{Graph, Revision};
    /// let g = Graph::new(vec![
    ///     Revision::new("a", Vec::<String>::new()),
    ///     Revision::new("b", ["a"]),
    ///     Revision::new("c", ["b"]),
    /// ])
    /// .unwrap();
    /// let ids = |v: Vec<&Revision>| v.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    /// assert_eq!(ids(g.history("b:", &[]).unwrap()), ["c", "b"]);
    /// assert_eq!(ids(g.history("-5:c", &[]).unwrap()), ["c", "b", "a"]);
    /// ```
    pub fn history(&self, range: &str, current: &[String]) -> Result<Vec<&Revision>, GraphError> {
        let (start, end) = parse_range(range)?;
        let (lower, upper) = if end == "current" {
            (Spec::Str(start), Spec::Rows(current))
        } else if start == "current" {
            (Spec::Rows(current), Spec::Str(end))
        } else {
            (Spec::Str(start), Spec::Str(end))
        };
        // `base or "base"`, `head or "heads"`: an empty string or an empty row tuple.
        let lower = match lower {
            Spec::Str("") => Spec::Str("base"),
            Spec::Rows([]) => Spec::Str("base"),
            l => l,
        };
        let upper = match upper {
            Spec::Str("") => Spec::Str("heads"),
            Spec::Rows([]) => Spec::Str("heads"),
            u => u,
        };
        let collected = self
            .collect_upgrade(upper, lower, true, false, false)
            .map_err(|e| match e {
                GraphError::RangeNotAncestor { .. } => GraphError::RangeNotAncestor {
                    start: spec_text(lower),
                    end: spec_text(upper),
                },
                GraphError::MultipleHeadsForArgument { argument, heads } => {
                    GraphError::MultipleHeadsForArgument {
                        argument: match upper {
                            Spec::Str(s) => s.to_owned(),
                            Spec::Rows(_) => argument,
                        },
                        heads,
                    }
                }
                e => e,
            })?;
        let order = self.topological_sort(&collected.needs, &collected.targets);
        Ok(order.into_iter().map(|i| &self.revs[i as usize]).collect())
    }
}

#[cfg(test)]
mod tests;
