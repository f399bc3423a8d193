//! Resolving identifiers against a graph (Alembic's `RevisionMap.get_revisions`): symbols,
//! prefixes, branch
//! labels, lineage filters and relative walks.

use crate::adj::Ix;
use crate::error::GraphError;
use crate::graph::Graph;

use super::{python_int, split_branch, Pos, Spec, Token};

impl Graph {
    /// `_resolve_revision_number`: splits `L@`, expands `head`, `heads` and `base`.
    pub(crate) fn resolve_number<'a>(
        &self,
        id: &'a str,
    ) -> Result<(Vec<Token<'a>>, Option<&'a str>), GraphError> {
        let (branch, id) = split_branch(id);
        match id {
            "heads" => {
                let heads = match branch {
                    Some(b) => self.filter_for_lineage(&self.heads, b, false)?,
                    None => self.real_heads.clone(),
                };
                Ok((heads.into_iter().map(Token::Node).collect(), branch))
            }
            "head" => Ok((
                self.current_head(branch)?
                    .map(Token::Node)
                    .into_iter()
                    .collect(),
                branch,
            )),
            "base" | "" => Ok((Vec::new(), branch)),
            other => Ok((vec![Token::Str(other)], branch)),
        }
    }

    /// `get_current_head`: the single versioned head (of `branch`'s lineage).
    pub(crate) fn current_head(&self, branch: Option<&str>) -> Result<Option<Ix>, GraphError> {
        let heads = match branch {
            Some(b) => self.filter_for_lineage(&self.heads, b, false)?,
            None => self.heads.clone(),
        };
        if heads.len() > 1 {
            return Err(GraphError::MultipleHeadsForArgument {
                argument: match branch {
                    Some(b) => format!("{b}@head"),
                    None => "head".to_owned(),
                },
                heads: self.strings(&heads),
            });
        }
        Ok(heads.first().copied())
    }

    /// `_revision_for_ident`: exact key (id or label), else a unique prefix of a key longer
    /// than 3 characters; with `branch`, the result must share lineage with it.
    pub(crate) fn revision_for_ident(
        &self,
        ident: &str,
        branch: Option<&str>,
    ) -> Result<Ix, GraphError> {
        let branch_rev = match branch {
            Some(b) if !b.is_empty() => Some(self.resolve_branch(b)?),
            _ => None,
        };
        let found = match self.exact(ident) {
            Some(i) => i,
            None => {
                let mut cands = self.prefix_candidates(ident);
                if let Some(br) = branch_rev {
                    let lineage = self.lineage(br, false);
                    cands.retain(|&(_, i)| lineage[i as usize]);
                }
                match cands.as_slice() {
                    [] => {
                        return Err(GraphError::UnknownRevision {
                            argument: ident.to_owned(),
                        })
                    }
                    [(_, i)] => *i,
                    many => {
                        return Err(GraphError::AmbiguousPrefix {
                            argument: ident.to_owned(),
                            candidates: many.iter().map(|(k, _)| (*k).to_owned()).collect(),
                        })
                    }
                }
            }
        };
        if let (Some(br), Some(b)) = (branch_rev, branch) {
            if !self.lineage(br, false)[found as usize] {
                return Err(GraphError::NotMemberOfBranch {
                    argument: ident.to_owned(),
                    rev: self.id(found).to_owned(),
                    branch: b.to_owned(),
                });
            }
        }
        Ok(found)
    }

    /// An exact key: revision id or declared branch label.
    pub(crate) fn exact(&self, key: &str) -> Option<Ix> {
        self.ids
            .get(key)
            .or_else(|| self.label_map.get(key))
            .copied()
    }

    /// Keys longer than 3 characters starting with `prefix`, in map order (ids, then labels).
    fn prefix_candidates(&self, prefix: &str) -> Vec<(&str, Ix)> {
        let keys = self.sorted_keys();
        let start = keys.partition_point(|&k| self.key_str(k) < prefix);
        let mut found: Vec<u32> = keys[start..]
            .iter()
            .copied()
            .take_while(|&k| self.key_str(k).starts_with(prefix))
            .filter(|&k| self.key_str(k).chars().count() > 3)
            .collect();
        found.sort_unstable();
        found
            .into_iter()
            .map(|k| (self.key_str(k), self.key_node(k)))
            .collect()
    }

    /// `_resolve_branch`: a label or id, exactly or by prefix; otherwise "No such branch".
    pub(crate) fn resolve_branch(&self, branch: &str) -> Result<Ix, GraphError> {
        if let Some(i) = self.exact(branch) {
            return Ok(i);
        }
        self.revision_for_ident(branch, None).map_err(|e| match e {
            GraphError::UnknownRevision { .. } | GraphError::AmbiguousPrefix { .. } => {
                GraphError::NoSuchBranch {
                    branch: branch.to_owned(),
                }
            }
            e => e,
        })
    }

    /// `filter_for_lineage`: the `targets` sharing lineage (ancestor or descendant) with what
    /// `check_against` names (`L`, `L@x`, `heads`, ...). `base` keeps everything.
    pub(crate) fn filter_for_lineage(
        &self,
        targets: &[Ix],
        check_against: &str,
        include_dependencies: bool,
    ) -> Result<Vec<Ix>, GraphError> {
        let shares = self.lineage_shares(check_against)?;
        Ok(self.filter_sharing(targets, &shares, include_dependencies))
    }

    /// The revisions `check_against` names for a lineage test: its branch, then its ids.
    fn lineage_shares(&self, check_against: &str) -> Result<Vec<Ix>, GraphError> {
        let (ids, branch) = self.resolve_number(check_against)?;
        let mut shares: Vec<Ix> = Vec::new();
        if let Some(b) = branch {
            shares.push(self.revision_for_ident(b, None)?);
        }
        for t in ids {
            shares.push(match t {
                Token::Node(i) => i,
                Token::Str(s) => self.revision_for_ident(s, None)?,
            });
        }
        Ok(shares)
    }

    /// The `targets` that are an ancestor or descendant of one of `shares` (all when empty).
    pub(crate) fn filter_sharing(&self, targets: &[Ix], shares: &[Ix], deps: bool) -> Vec<Ix> {
        if shares.is_empty() {
            return targets.to_vec();
        }
        // Compute lineage from whichever side is smaller.
        if targets.len() < shares.len() {
            targets
                .iter()
                .copied()
                .filter(|&t| {
                    let l = self.lineage(t, deps);
                    shares.iter().any(|&s| l[s as usize])
                })
                .collect()
        } else {
            let mut mask = vec![false; self.len()];
            for &s in shares {
                for (m, l) in mask.iter_mut().zip(self.lineage(s, deps)) {
                    *m |= l;
                }
            }
            targets
                .iter()
                .copied()
                .filter(|&t| mask[t as usize])
                .collect()
        }
    }

    /// `get_revisions` for one string: symbols, ids, prefixes, labels, `L@x`, and `-N` /
    /// `L@-N` (walk down N from each real head, or each head labelled `L`).
    pub(crate) fn get_revisions_str(&self, id: &str) -> Result<Vec<Pos>, GraphError> {
        let (tokens, branch) = self.resolve_number(id)?;
        if let [Token::Str(s)] = tokens.as_slice() {
            if let Some(n) = python_int(s) {
                if n < 0 {
                    let mut heads = self.real_heads.clone();
                    if let Some(b) = branch {
                        heads.retain(|&h| self.has_label(h, b));
                    }
                    return heads
                        .into_iter()
                        .map(|h| self.walk(Pos::Rev(h), n, None, true))
                        .collect();
                }
            }
        }
        tokens
            .into_iter()
            .map(|t| match t {
                Token::Node(i) => Ok(Pos::Rev(i)),
                Token::Str(s) => self.revision_for_ident(s, branch).map(Pos::Rev),
            })
            .collect()
    }

    /// `get_revisions` for a string or for the rows.
    pub(crate) fn get_revisions(&self, spec: Spec<'_>) -> Result<Vec<Pos>, GraphError> {
        match spec {
            Spec::Str(s) => self.get_revisions_str(s),
            Spec::Rows(rows) => {
                let mut out = Vec::with_capacity(rows.len());
                for r in rows {
                    out.extend(self.get_revisions_str(r)?);
                }
                Ok(out)
            }
        }
    }

    /// Resolves the rows to revisions (an unknown row: `Can't locate revision ...`).
    pub(crate) fn resolve_rows(&self, rows: &[String]) -> Result<Vec<Ix>, GraphError> {
        Ok(self
            .get_revisions(Spec::Rows(rows))?
            .into_iter()
            .filter_map(Pos::rev)
            .collect())
    }

    /// `get_revision`: at most one revision; several (`heads`) is the multiple-heads error.
    pub(crate) fn get_revision(&self, id: &str) -> Result<Option<Ix>, GraphError> {
        let (tokens, branch) = self.resolve_number(id)?;
        if tokens.len() > 1 {
            let heads = tokens
                .iter()
                .map(|t| match t {
                    Token::Node(i) => self.id(*i).to_owned(),
                    Token::Str(s) => (*s).to_owned(),
                })
                .collect();
            return Err(GraphError::MultipleHeadsForArgument {
                argument: id.to_owned(),
                heads,
            });
        }
        match tokens.first() {
            None => Ok(None),
            Some(Token::Node(i)) => Ok(Some(*i)),
            Some(Token::Str(s)) => self.revision_for_ident(s, branch).map(Some),
        }
    }

    /// `_walk`: `steps` up (> 0) or down (< 0), one child or parent at a time; more than one
    /// candidate is `Ambiguous walk`. Walking off the graph gives `Nothing` when `no_overwalk`,
    /// otherwise it stops where it is. `branch` filters children to its lineage.
    pub(crate) fn walk(
        &self,
        start: Pos,
        steps: i64,
        branch: Option<&str>,
        no_overwalk: bool,
    ) -> Result<Pos, GraphError> {
        let mut at = start;
        let lineage = match branch.filter(|b| !b.is_empty()) {
            Some(b) if steps > 0 => self.lineage_mask(b)?,
            _ => None,
        };
        for _ in 0..steps.unsigned_abs() {
            let next: Vec<Pos> = if steps > 0 {
                let up: &[Ix] = match at {
                    Pos::Rev(i) => self.children.get(i),
                    _ => &self.bases,
                };
                up.iter()
                    .copied()
                    .filter(|&c| lineage.as_ref().is_none_or(|m| m[c as usize]))
                    .map(Pos::Rev)
                    .collect()
            } else {
                match at {
                    Pos::Base => Vec::new(),
                    Pos::Nothing => self.heads.iter().map(|&h| Pos::Rev(h)).collect(),
                    Pos::Rev(i) => match self.down.get(i) {
                        [] => vec![Pos::Base],
                        ps => ps.iter().map(|&p| Pos::Rev(p)).collect(),
                    },
                }
            };
            match next.as_slice() {
                [] => return Ok(if no_overwalk { Pos::Nothing } else { at }),
                [one] => at = *one,
                _ => return Err(GraphError::AmbiguousWalk),
            }
        }
        Ok(at)
    }

    /// The nodes sharing lineage (versioned) with what `check_against` names; `None` = all.
    pub(crate) fn lineage_mask(
        &self,
        check_against: &str,
    ) -> Result<Option<Vec<bool>>, GraphError> {
        let shares = self.lineage_shares(check_against)?;
        if shares.is_empty() {
            return Ok(None);
        }
        let mut mask = vec![false; self.len()];
        for s in shares {
            for (m, l) in mask.iter_mut().zip(self.lineage(s, false)) {
                *m |= l;
            }
        }
        Ok(Some(mask))
    }

    /// Resolves an identifier the way `show`/`edit` do (Alembic's `get_revisions`): `head`,
    /// `heads` (real heads), `base` (nothing), ids, prefixes, labels, `L@head`, `L@heads`,
    /// `L@rev`, `-N` / `L@-N` (N steps down from each head), and `current` (the rows).
    /// Returns full ids, map order where the symbol gives several.
    ///
    /// # Examples
    ///
    /// ```
    /// use migrate_graph::{Graph, Revision};
    /// let g = Graph::new(vec![
    ///     Revision::new("x1234567", Vec::<String>::new()),
    ///     Revision::new("xyz", ["x1234567"]),
    /// ])
    /// .unwrap();
    /// assert_eq!(g.resolve("x", &[]).unwrap(), ["x1234567"]);
    /// assert_eq!(
    ///     g.resolve("xy", &[]).unwrap_err().to_string(),
    ///     "Can't locate revision identified by 'xy'"
    /// );
    /// ```
    pub fn resolve(&self, ident: &str, current: &[String]) -> Result<Vec<String>, GraphError> {
        let found = if ident == "current" {
            self.get_revisions(Spec::Rows(current))?
        } else {
            self.get_revisions_str(ident)?
        };
        let mut out = Vec::with_capacity(found.len());
        for p in found {
            match p {
                Pos::Rev(i) => out.push(self.id(i).to_owned()),
                Pos::Base => {}
                Pos::Nothing => return Err(GraphError::WalkedTooFar),
            }
        }
        Ok(out)
    }

    /// The start of an offline `--sql start:end` range as rows: `base` (or empty) is no row,
    /// anything else one full id (`heads` with several heads is the multiple-heads error).
    pub fn resolve_start(&self, start: &str) -> Result<Vec<String>, GraphError> {
        if start.is_empty() || start == "base" {
            return Ok(Vec::new());
        }
        Ok(self
            .get_revision(start)?
            .map(|i| self.id(i).to_owned())
            .into_iter()
            .collect())
    }
}
