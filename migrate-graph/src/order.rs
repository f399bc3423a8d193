//! Alembic's topological sort and its tie-break (`RevisionMap._topological_sort` in
//! `alembic/script/revision.py`), in near-linear time.
//!
//! `RevisionMap._topological_sort` keeps a list of pending "heads" (initially the targets in
//! map order) and walks the current one down until it reaches a revision that another pending
//! head still needs; it then switches to the *first* such head. Emitting a revision replaces
//! its head by its first pending parent and appends the other parents as new heads; a head with
//! no pending parent is removed and the walk steps back to the previous head.
//!
//! Alembic decides "another head still needs it" by recomputing ancestor sets (quadratic).
//! Here the sets it sorts are convex (every revision between two members is a member: true of
//! `ancestors(targets) − ancestors(current)` and of `descendants(roots) ∩ ancestors(rows)`), so
//! "some other pending head descends from `c`" is the same as "`c` has a child not yet emitted",
//! which a counter answers in O(1). Which head to switch to (the first one, in list order, that
//! descends from `c`) is found by a search upward from `c` through revisions not yet emitted,
//! stopping as soon as it meets the first head in the list. The output is identical to
//! Alembic's; a test compares it with a literal port on random graphs.

use crate::adj::{Ix, Marks};
use crate::graph::Graph;

impl Graph {
    /// Downward order (children before parents) of `todo`, started from `heads`.
    pub(crate) fn topological_sort(&self, todo: &[Ix], heads: &[Ix]) -> Vec<Ix> {
        let n = self.len();
        let mut in_todo = vec![false; n];
        for &v in todo {
            in_todo[v as usize] = true;
        }
        let todo_len = todo.iter().filter(|&&v| in_todo[v as usize]).count();
        // pending[v]: children of v (through normalized parents) still to be emitted.
        let mut pending = vec![0u32; n];
        for &v in todo {
            for &p in self.norm.get(v) {
                if in_todo[p as usize] {
                    pending[p as usize] += 1;
                }
            }
        }
        // The list of pending heads, with a key per entry that only grows along the list, so
        // "first in the list" is "smallest key" and positions can be found by binary search.
        let mut start: Vec<Ix> = heads
            .iter()
            .copied()
            .filter(|&h| in_todo[h as usize])
            .collect();
        start.sort_unstable();
        start.dedup();
        let mut cur: Vec<Ix> = start;
        let mut keys: Vec<u64> = (0..cur.len() as u64).collect();
        let mut next_key = cur.len() as u64;
        let mut key_of = vec![u64::MAX; n];
        for (k, &h) in cur.iter().enumerate() {
            key_of[h as usize] = k as u64;
        }
        let mut out = Vec::with_capacity(todo_len);
        let mut marks = Marks::new(n);
        let mut stack = Vec::new();
        let mut to_add: Vec<Ix> = Vec::new();
        let mut i = 0usize;
        while !cur.is_empty() {
            let cand = cur[i];
            if pending[cand as usize] > 0 {
                // Another pending head descends from `cand`: switch to the first such head.
                let best = self.first_head_above(
                    cand, &cur, &keys, &key_of, i, &in_todo, &mut marks, &mut stack,
                );
                if let Some(Ok(j)) = best.map(|b| keys.binary_search(&b)) {
                    i = j;
                    continue;
                }
                // Unreachable for convex sets; emitting keeps the loop finite regardless.
            }
            out.push(cand);
            in_todo[cand as usize] = false;
            key_of[cand as usize] = u64::MAX;
            let parents = self.norm.get(cand);
            for &p in parents {
                if in_todo[p as usize] {
                    pending[p as usize] -= 1;
                }
            }
            to_add.clear();
            to_add.extend(
                parents
                    .iter()
                    .copied()
                    .filter(|&p| in_todo[p as usize] && key_of[p as usize] == u64::MAX),
            );
            match to_add.first().copied() {
                None => {
                    cur.remove(i);
                    keys.remove(i);
                    i = i.saturating_sub(1);
                }
                Some(first) => {
                    cur[i] = first;
                    key_of[first as usize] = keys[i];
                    for &p in &to_add[1..] {
                        cur.push(p);
                        keys.push(next_key);
                        key_of[p as usize] = next_key;
                        next_key += 1;
                    }
                }
            }
        }
        debug_assert_eq!(out.len(), todo_len, "sorted set must be convex");
        out
    }

    /// The smallest key among pending heads (other than `cur[i]`) that descend from `cand`.
    #[allow(clippy::too_many_arguments)]
    fn first_head_above(
        &self,
        cand: Ix,
        cur: &[Ix],
        keys: &[u64],
        key_of: &[u64],
        i: usize,
        in_todo: &[bool],
        marks: &mut Marks,
        stack: &mut Vec<Ix>,
    ) -> Option<u64> {
        // The best possible answer: the first entry that is not `cand` itself. Usually it is
        // the answer (the next branch waiting on a branch point), so check it first with a
        // search down from that head that never goes below `cand` in topological order.
        let floor_at = usize::from(i == 0);
        let &floor = keys.get(floor_at)?;
        if cur.len() == 2 || self.descends_from(cur[floor_at], cand, in_todo, marks, stack) {
            return Some(floor);
        }
        marks.clear();
        stack.clear();
        marks.insert(cand);
        // Depth-first, children in map order, so the search tends to meet early heads first.
        for &c in self.norm_children.get(cand).iter().rev() {
            if in_todo[c as usize] && marks.insert(c) {
                stack.push(c);
            }
        }
        let mut best = None;
        while let Some(v) = stack.pop() {
            let k = key_of[v as usize];
            if k != u64::MAX {
                best = Some(best.map_or(k, |b: u64| b.min(k)));
                if best == Some(floor) {
                    break;
                }
            }
            for &c in self.norm_children.get(v).iter().rev() {
                if in_todo[c as usize] && marks.insert(c) {
                    stack.push(c);
                }
            }
        }
        best
    }

    /// Whether `cand` is an ancestor of `head` through revisions not yet emitted.
    fn descends_from(
        &self,
        head: Ix,
        cand: Ix,
        in_todo: &[bool],
        marks: &mut Marks,
        stack: &mut Vec<Ix>,
    ) -> bool {
        let floor = self.topo[cand as usize];
        marks.clear();
        stack.clear();
        stack.push(head);
        marks.insert(head);
        while let Some(v) = stack.pop() {
            for &p in self.norm.get(v) {
                if p == cand {
                    return true;
                }
                if in_todo[p as usize] && self.topo[p as usize] > floor && marks.insert(p) {
                    stack.push(p);
                }
            }
        }
        false
    }
}

#[cfg(test)]
pub(crate) mod tests;
