//! Helpers shared by the unit tests.

use crate::{Graph, GraphError, Revision};

mod random;

/// A revision with the given `down_rev`s.
pub(crate) fn r(id: &str, down: &[&str]) -> Revision {
    Revision::new(id, down.iter().copied())
}

/// Builds a graph whose map order is the order given (order keys `0000`, `0001`, ...), the
/// way files sorted by name would be.
pub(crate) fn build(revs: Vec<Revision>) -> Graph {
    match try_build(revs) {
        Ok(g) => g,
        Err(e) => panic!("graph should be valid: {e:?}"),
    }
}

pub(crate) fn try_build(revs: Vec<Revision>) -> Result<Graph, Vec<GraphError>> {
    let revs = revs
        .into_iter()
        .enumerate()
        .map(|(i, r)| r.order_key(format!("{i:06}")))
        .collect();
    Graph::new(revs)
}

/// `["a", "b"]` as owned rows.
pub(crate) fn rows(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|s| (*s).to_owned()).collect()
}

/// The error messages, one per error.
pub(crate) fn messages(errs: &[GraphError]) -> Vec<String> {
    errs.iter().map(ToString::to_string).collect()
}

/// a1→a2→a3; b1→b2[dep a3]→b3→b4[dep a3] (Alembic's effective heads,
/// `RevisionMap._get_base_revisions`).
pub(crate) fn effective_head_graph() -> Graph {
    build(vec![
        r("a1", &[]),
        r("a2", &["a1"]),
        r("a3", &["a2"]),
        r("b1", &[]),
        r("b2", &["b1"]).depends_on(["a3"]),
        r("b3", &["b2"]),
        r("b4", &["b3"]).depends_on(["a3"]),
    ])
}

/// a→b; b→c1→d1; b→c2→d2; e=(d1,d2)→f, with labels c1branch on c1 and c2branch on c2
/// (Alembic's MergedPath / the branch examples of
/// <https://alembic.sqlalchemy.org/en/latest/branches.html>).
pub(crate) fn merged_path() -> Graph {
    build(vec![
        r("a", &[]),
        r("b", &["a"]),
        r("c1", &["b"]).labels(["c1branch"]),
        r("c2", &["b"]).labels(["c2branch"]),
        r("d1", &["c1"]),
        r("d2", &["c2"]),
        r("e", &["d1", "d2"]),
        r("f", &["e"]),
    ])
}

/// a→b; b→c1→d1; b→c2→d2, labels c1branch and c2branch, no merge.
pub(crate) fn forked() -> Graph {
    build(vec![
        r("a", &[]),
        r("b", &["a"]),
        r("c1", &["b"]).labels(["c1branch"]),
        r("c2", &["b"]).labels(["c2branch"]),
        r("d1", &["c1"]),
        r("d2", &["c2"]),
    ])
}

/// The "networking" example of Alembic's branches docs: 1975 (branch point) → ae10 → 55af and
/// 1975 → 27c6 (`shoppingcart`); an own base 3cac (`networking`) → 109e → 29f8 → 2a95, which
/// depends on 55af.
pub(crate) fn networking() -> Graph {
    build(vec![
        r("1975ea83b712", &[]),
        r("ae1027a6acf0", &["1975ea83b712"]),
        r("27c6a30d7c24", &["1975ea83b712"]).labels(["shoppingcart"]),
        r("55af2cb1c267", &["ae1027a6acf0"]),
        r("3cac04ae8714", &[]).labels(["networking"]),
        r("109ec7d132bf", &["3cac04ae8714"]),
        r("29f859a13ea0", &["109ec7d132bf"]),
        r("2a95102259be", &["29f859a13ea0"]).depends_on(["55af2cb1c267"]),
    ])
}

/// Applies row changes to `rows`, asserting every UPDATE/DELETE matches exactly one row and
/// no INSERT duplicates one.
pub(crate) fn apply(rows: &mut Vec<String>, changes: &[crate::VersionChange]) {
    use crate::VersionChange::*;
    for c in changes {
        match c {
            Insert(r) => {
                assert!(!rows.contains(r), "INSERT {r} duplicates a row in {rows:?}");
                rows.push(r.clone());
            }
            Update { from, to } => {
                assert_eq!(
                    rows.iter().filter(|x| *x == from).count(),
                    1,
                    "UPDATE {from} in {rows:?}"
                );
                assert!(
                    !rows.contains(to),
                    "UPDATE to {to} duplicates a row in {rows:?}"
                );
                let slot = rows.iter_mut().find(|x| *x == from).unwrap();
                *slot = to.clone();
            }
            Delete(r) => {
                assert_eq!(
                    rows.iter().filter(|x| *x == r).count(),
                    1,
                    "DELETE {r} in {rows:?}"
                );
                rows.retain(|x| x != r);
            }
        }
    }
}

/// Runs a plan on `rows`: the revisions in order and the sorted rows after.
pub(crate) fn run(plan: &crate::Plan, start: &[&str]) -> (Vec<String>, Vec<String>) {
    let mut rows = self::rows(start);
    for s in &plan.steps {
        apply(&mut rows, &s.version_changes);
    }
    rows.sort();
    (
        plan.steps.iter().map(|s| s.revision.clone()).collect(),
        rows,
    )
}

/// `upgrade target` from `start`: (revisions run, sorted rows after).
pub(crate) fn up(g: &Graph, start: &[&str], target: &str) -> (Vec<String>, Vec<String>) {
    let plan = g
        .plan_upgrade(&rows(start), target)
        .unwrap_or_else(|e| panic!("upgrade {target}: {e}"));
    run(&plan, start)
}

/// `downgrade target` from `start`: (revisions run, sorted rows after).
pub(crate) fn down(g: &Graph, start: &[&str], target: &str) -> (Vec<String>, Vec<String>) {
    let plan = g
        .plan_downgrade(&rows(start), target)
        .unwrap_or_else(|e| panic!("downgrade {target}: {e}"));
    run(&plan, start)
}

/// `vec!["a", "b"]` as owned strings, for comparing with results.
pub(crate) fn v(ids: &[&str]) -> Vec<String> {
    rows(ids)
}

/// a → b → c → d → e.
pub(crate) fn chain() -> Graph {
    build(vec![
        r("a", &[]),
        r("b", &["a"]),
        r("c", &["b"]),
        r("d", &["c"]),
        r("e", &["d"]),
    ])
}

/// A random valid graph (see [`random::random_graph`]) with seeds for picking rows and targets.
#[derive(Debug, Clone)]
pub(crate) struct GraphSpec {
    pub(crate) revs: Vec<crate::Revision>,
    /// Seeds for picking rows and targets.
    pub(crate) seeds: Vec<usize>,
}

impl GraphSpec {
    pub(crate) fn build(&self) -> Graph {
        Graph::new(self.revs.clone()).unwrap_or_else(|e| panic!("generated graph invalid: {e:?}"))
    }

    /// Some applied rows: the tips of the ancestors of a few random revisions.
    pub(crate) fn some_rows(&self, g: &Graph) -> Vec<String> {
        if g.len() == 0 {
            return Vec::new();
        }
        let picks: Vec<String> = self
            .seeds
            .iter()
            .take(self.seeds.first().map_or(0, |s| s % 3))
            .map(|s| g.id((*s % g.len()) as crate::adj::Ix).to_owned())
            .collect();
        let ix = g.resolve_rows(&picks).unwrap_or_default();
        // Rows are the tips of what the picks imply, the way a database would hold them.
        let all = g.ancestors(&ix);
        (0..g.len() as crate::adj::Ix)
            .filter(|&v| {
                all[v as usize] && !g.norm_children.get(v).iter().any(|&c| all[c as usize])
            })
            .map(|v| g.id(v).to_owned())
            .collect()
    }

    /// A random revision id.
    pub(crate) fn pick(&self, g: &Graph) -> Option<String> {
        let s = *self.seeds.get(1)?;
        (g.len() > 0).then(|| g.id((s % g.len()) as crate::adj::Ix).to_owned())
    }
}

/// [`random::random_graph`] as a [`GraphSpec`] with 4 seeds.
pub(crate) fn arb_graph(max: usize) -> impl proptest::strategy::Strategy<Value = GraphSpec> {
    use proptest::strategy::Strategy as _;
    random::random_graph(max, 4).prop_map(|(revs, seeds)| GraphSpec { revs, seeds })
}
