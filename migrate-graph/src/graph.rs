//! Building and validating the graph, and the sets derived from it (Alembic's `RevisionMap`).

use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashMap;

use crate::adj::{Adj, Ix};
use crate::error::GraphError;
use crate::ident::{validate_id, validate_label};
use crate::revision::Revision;

mod cycles;
mod sets;
#[cfg(test)]
mod tests;

use cycles::{cycle_error, normalize_depends_on, topo_order};

/// A validated revision graph.
///
/// Revisions are kept in *map order*: sorted by [`Revision::order_key`] (stably), which stands
/// for Alembic's file-discovery order and decides every tie between independent branches.
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
/// assert_eq!(g.heads(), ["b"]);
/// ```
#[derive(Debug, Clone)]
pub struct Graph {
    pub(crate) revs: Vec<Revision>,
    /// Id → index. Fx, not SipHash: the keys are the project's own revision ids, and hashing
    /// 10,000 of them with SipHash was a third of building the graph in an unoptimized build.
    pub(crate) ids: FxHashMap<String, Ix>,
    /// Declared branch label → the revision declaring it.
    pub(crate) label_map: FxHashMap<String, Ix>,
    /// Declared labels in map order (Alembic appends them to its map after the ids).
    pub(crate) label_keys: Vec<(String, Ix)>,
    /// Every key (`k < n`: revision `k`'s id; else label `k - n`) sorted by string, for prefix
    /// lookups; built on the first lookup that needs it.
    pub(crate) sorted_keys: OnceLock<Vec<u32>>,
    /// Versioned parents, `down_rev` order.
    pub(crate) down: Adj,
    /// Resolved dependencies (labels turned into ids), declaration order, no duplicates.
    pub(crate) deps: Adj,
    /// Normalized parents: `down_rev`, then the dependencies not already a dependency of a
    /// versioned ancestor (#789).
    pub(crate) norm: Adj,
    /// Versioned children, map order.
    pub(crate) children: Adj,
    /// Children through normalized parents, map order.
    pub(crate) norm_children: Adj,
    /// Number of distinct children through `down_rev` or `depends_on` (`_all_nextrev`).
    pub(crate) all_child_count: Vec<u32>,
    /// Position in a parents-first order over all edges (a path down from `x` to `y` only
    /// passes revisions placed after `y`).
    pub(crate) topo: Vec<u32>,
    pub(crate) heads: Vec<Ix>,
    pub(crate) real_heads: Vec<Ix>,
    pub(crate) bases: Vec<Ix>,
    pub(crate) real_bases: Vec<Ix>,
    /// Propagated branch labels, as sorted indices into `label_names`.
    pub(crate) labels: Vec<Arc<[u32]>>,
    pub(crate) label_names: Vec<String>,
}

impl Graph {
    /// Build and validate; returns every problem found, not only the first.
    ///
    /// Checks: ids (non-empty, at most [`MAX_ID_LEN`](crate::MAX_ID_LEN) characters, none of
    /// `@ - + :`), duplicate ids, labels (non-empty, no `@`/`:`, not an id, not declared twice),
    /// unknown or repeated `down_rev`s, unknown `depends_on` entries (ids or labels), self-loops,
    /// cycles through `down_rev` and through `down_rev` + `depends_on`.
    pub fn new(revisions: Vec<Revision>) -> Result<Graph, Vec<GraphError>> {
        let revisions = into_map_order(revisions);
        let mut errors = Vec::new();

        // Ids: format, then duplicates (the later one in map order is dropped and blamed).
        let mut ids: FxHashMap<String, Ix> =
            FxHashMap::with_capacity_and_hasher(revisions.len(), Default::default());
        let mut revs: Vec<Revision> = Vec::with_capacity(revisions.len());
        for r in revisions {
            if let Err(e) = validate_id(&r.id) {
                errors.push(match e {
                    GraphError::EmptyId { .. } => GraphError::EmptyId {
                        order_key: r.order_key.clone(),
                    },
                    e => e,
                });
                if r.id.is_empty() {
                    continue;
                }
            }
            if let Some(&first) = ids.get(&r.id) {
                errors.push(GraphError::DuplicateRevision {
                    rev: r.id.clone(),
                    order_key: r.order_key.clone(),
                    first_order_key: revs[first as usize].order_key.clone(),
                });
                continue;
            }
            ids.insert(r.id.clone(), revs.len() as Ix);
            revs.push(r);
        }
        let n = revs.len();

        // Branch labels.
        let mut label_map: FxHashMap<String, Ix> = FxHashMap::default();
        let mut label_keys = Vec::new();
        for (i, r) in revs.iter().enumerate() {
            for label in &r.branch_labels {
                if let Err(e) = validate_label(&r.id, label) {
                    errors.push(e);
                    continue;
                }
                if ids.contains_key(label) {
                    errors.push(GraphError::LabelIsRevision {
                        label: label.clone(),
                        rev: r.id.clone(),
                    });
                } else if let Some(&other) = label_map.get(label) {
                    errors.push(GraphError::DuplicateBranchLabel {
                        label: label.clone(),
                        rev: r.id.clone(),
                        other: revs[other as usize].id.clone(),
                    });
                } else {
                    label_map.insert(label.clone(), i as Ix);
                    label_keys.push((label.clone(), i as Ix));
                }
            }
        }

        // Edges. Invalid entries are reported and left out, so the checks below still run.
        let down = Adj::build(n, |i, out| {
            let r = &revs[i];
            let start = out.len();
            for p in &r.down_revs {
                if *p == r.id {
                    errors.push(GraphError::SelfLoop { rev: r.id.clone() });
                } else if let Some(&j) = ids.get(p) {
                    if out[start..].contains(&j) {
                        errors.push(GraphError::DuplicateDownRev {
                            rev: r.id.clone(),
                            parent: p.clone(),
                        });
                    } else {
                        out.push(j);
                    }
                } else {
                    errors.push(GraphError::MissingDownRev {
                        rev: r.id.clone(),
                        missing: p.clone(),
                    });
                }
            }
        });
        // Dependencies resolve against ids, then labels (Alembic's map holds both).
        let mut dep_tokens: Vec<Vec<(Ix, String)>> = vec![Vec::new(); n];
        let deps = Adj::build(n, |i, out| {
            let r = &revs[i];
            let start = out.len();
            for d in &r.depends_on {
                let target = ids.get(d).or_else(|| label_map.get(d)).copied();
                match target {
                    Some(j) if j as usize == i => {
                        errors.push(GraphError::DependencySelfLoop {
                            rev: r.id.clone(),
                            via: d.clone(),
                        });
                    }
                    Some(j) => {
                        if !out[start..].contains(&j) {
                            out.push(j);
                            dep_tokens[i].push((j, d.clone()));
                        }
                    }
                    None => errors.push(GraphError::MissingDependency {
                        rev: r.id.clone(),
                        missing: d.clone(),
                    }),
                }
            }
        });

        // Cycles through down_rev; then (only if none) through down_rev + depends_on, as
        // Alembic raises the first before looking for the second.
        let all_down = Adj::build(n, |i, out| {
            out.extend_from_slice(down.get(i as Ix));
            for &d in deps.get(i as Ix) {
                if !down.get(i as Ix).contains(&d) {
                    out.push(d);
                }
            }
        });
        let topo = match topo_order(&down) {
            Err(cyclic) => {
                errors.push(cycle_error(&revs, &down, &cyclic, None));
                None
            }
            Ok(_) => match topo_order(&all_down) {
                Err(cyclic) => {
                    errors.push(cycle_error(
                        &revs,
                        &all_down,
                        &cyclic,
                        Some((&down, &dep_tokens)),
                    ));
                    None
                }
                Ok(order) => Some(order),
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let Some(order) = topo else {
            return Err(errors);
        };
        let mut topo = vec![0u32; n];
        for (pos, &v) in order.iter().enumerate() {
            topo[v as usize] = pos as u32;
        }

        let children = down.reverse();
        let all_children = all_down.reverse();
        let all_child_count: Vec<u32> = (0..n)
            .map(|i| all_children.get(i as Ix).len() as u32)
            .collect();
        let heads = (0..n as Ix)
            .filter(|&i| children.get(i).is_empty())
            .collect();
        let real_heads = (0..n as Ix)
            .filter(|&i| all_child_count[i as usize] == 0)
            .collect();
        let bases = (0..n as Ix).filter(|&i| down.get(i).is_empty()).collect();
        let real_bases = (0..n as Ix)
            .filter(|&i| down.get(i).is_empty() && revs[i as usize].depends_on.is_empty())
            .collect();

        let norm_deps = normalize_depends_on(&deps, &children, &topo);
        let norm = Adj::build(n, |i, out| {
            out.extend_from_slice(down.get(i as Ix));
            for &d in norm_deps.get(i as Ix) {
                if !down.get(i as Ix).contains(&d) {
                    out.push(d);
                }
            }
        });
        let norm_children = norm.reverse();

        let mut graph = Graph {
            revs,
            ids,
            label_map,
            label_keys,
            sorted_keys: OnceLock::new(),
            down,
            deps,
            norm,
            children,
            norm_children,
            all_child_count,
            topo,
            heads,
            real_heads,
            bases,
            real_bases,
            labels: Vec::new(),
            label_names: Vec::new(),
        };
        graph.propagate_labels(&order);
        Ok(graph)
    }

    /// Branch-label propagation (Alembic's `RevisionMap._add_branches`): a label applies
    /// to the labelled revision and all its `down_rev` descendants; and, when those descendants
    /// form a plain line (no branch point, counting `depends_on` children, and no merge point),
    /// to its ancestors down to, not including, the nearest branch or merge point.
    fn propagate_labels(&mut self, order: &[Ix]) {
        let n = self.revs.len();
        let mut names: Vec<String> = self
            .revs
            .iter()
            .flat_map(|r| r.branch_labels.iter().cloned())
            .collect();
        names.sort();
        names.dedup();
        let id_of = |l: &str| names.binary_search_by(|x| x.as_str().cmp(l)).unwrap_or(0) as u32;
        let empty: Arc<[u32]> = Arc::from(Vec::new());
        let mut sets: Vec<Arc<[u32]>> = vec![empty.clone(); n];
        for &v in order {
            let own: Vec<u32> = self.revs[v as usize]
                .branch_labels
                .iter()
                .map(|l| id_of(l))
                .collect();
            let parents = self.down.get(v);
            if own.is_empty() && parents.len() == 1 {
                sets[v as usize] = sets[parents[0] as usize].clone();
                continue;
            }
            let mut set = own;
            for &p in parents {
                set.extend_from_slice(&sets[p as usize]);
            }
            set.sort_unstable();
            set.dedup();
            if !set.is_empty() {
                sets[v as usize] = Arc::from(set);
            }
        }
        for c in 0..n as Ix {
            if self.revs[c as usize].branch_labels.is_empty() || !self.descendants_form_line(c) {
                continue;
            }
            let add = sets[c as usize].clone();
            let mut parent = self.down.get(c).first().copied();
            while let Some(p) = parent {
                if self.all_child_count[p as usize] > 1 || self.down.get(p).len() > 1 {
                    break;
                }
                let mut set = sets[p as usize].to_vec();
                set.extend_from_slice(&add);
                set.sort_unstable();
                set.dedup();
                sets[p as usize] = Arc::from(set);
                parent = self.down.get(p).first().copied();
            }
        }
        self.labels = sets;
        self.label_names = names;
    }

    /// Whether `c` and its descendants form a line Alembic's label walk can come back down.
    fn descendants_form_line(&self, c: Ix) -> bool {
        let mut cur = c;
        loop {
            if self.all_child_count[cur as usize] > 1 || self.down.get(cur).len() > 1 {
                return false;
            }
            match self.children.get(cur) {
                [] => return true,
                [next] => cur = *next,
                _ => return false,
            }
        }
    }

    /// The string of key `k` (see `sorted_keys`).
    pub(crate) fn key_str(&self, k: u32) -> &str {
        let n = self.revs.len();
        if (k as usize) < n {
            &self.revs[k as usize].id
        } else {
            &self.label_keys[k as usize - n].0
        }
    }

    /// The revision key `k` names.
    pub(crate) fn key_node(&self, k: u32) -> Ix {
        let n = self.revs.len();
        if (k as usize) < n {
            k
        } else {
            self.label_keys[k as usize - n].1
        }
    }

    pub(crate) fn sorted_keys(&self) -> &[u32] {
        self.sorted_keys.get_or_init(|| {
            let mut keys: Vec<u32> =
                (0..(self.revs.len() + self.label_keys.len()) as u32).collect();
            keys.sort_unstable_by(|&a, &b| self.key_str(a).cmp(self.key_str(b)));
            keys
        })
    }

    pub(crate) fn id(&self, i: Ix) -> &str {
        &self.revs[i as usize].id
    }

    pub(crate) fn ids_of(&self, nodes: &[Ix]) -> Vec<&str> {
        nodes.iter().map(|&i| self.id(i)).collect()
    }

    pub(crate) fn strings(&self, nodes: &[Ix]) -> Vec<String> {
        nodes.iter().map(|&i| self.id(i).to_owned()).collect()
    }

    pub(crate) fn len(&self) -> usize {
        self.revs.len()
    }

    pub(crate) fn is_merge(&self, i: Ix) -> bool {
        self.down.get(i).len() > 1
    }

    pub(crate) fn has_label(&self, i: Ix, label: &str) -> bool {
        self.labels[i as usize]
            .iter()
            .any(|&l| self.label_names[l as usize] == label)
    }
}

/// Sorts by order key (stably) through a permutation, so each revision moves once.
fn into_map_order(revisions: Vec<Revision>) -> Vec<Revision> {
    if revisions
        .windows(2)
        .all(|w| w[0].order_key <= w[1].order_key)
    {
        return revisions;
    }
    let mut perm: Vec<u32> = (0..revisions.len() as u32).collect();
    perm.sort_by(|&a, &b| {
        revisions[a as usize]
            .order_key
            .cmp(&revisions[b as usize].order_key)
    });
    let mut slots: Vec<Option<Revision>> = revisions.into_iter().map(Some).collect();
    perm.into_iter()
        .filter_map(|i| slots[i as usize].take())
        .collect()
}

/// Per revision, each resolved dependency with the entry as written.
pub(super) type DepTokens = Vec<Vec<(Ix, String)>>;
