//! The revision graph of `migrate`: Alembic's revision semantics as pure functions.
//!
//! No I/O, no Diesel, no syn: the macros check a crate's graph at compile time and the
//! runtime checks everything linked at start-up with this same code. Behaviour follows
//! Alembic 1.19's `alembic/script/revision.py` (documented at
//! <https://alembic.sqlalchemy.org/en/latest/branches.html>); where it deliberately differs,
//! the item's docs say so.
//!
//! # Example
//!
//! ```
//! use migrate_graph::{Graph, Revision};
//! let g = Graph::new(vec![
//!     Revision::new("a1", Vec::<String>::new()),
//!     Revision::new("a2", ["a1"]),
//! ])
//! .unwrap();
//! g.check_single_head().unwrap();
//! assert_eq!(g.heads(), ["a2"]);
//! let plan = g.plan_upgrade(&[], "head").unwrap();
//! assert_eq!(plan.steps.len(), 2);
//! ```
//!
//! # Details
//!
//! *Map order* (revisions sorted by [`Revision::order_key`]) stands for Alembic's file order
//! and decides every tie between independent branches. Plans follow Alembic's topological
//! sort exactly (checked against a literal port on random graphs) but run in near-linear time;
//! `current_tips` is O(n) where Alembic's is O(n²).
//!
//! Deliberate differences, all where Alembic warns, crashes or depends on Python set order:
//! * a duplicate id, a missing `down_rev` or `depends_on`, a repeated `down_rev`, an empty or
//!   malformed label are errors, all reported at once, each naming who to blame;
//! * several normalized parents are taken in `down_rev` order, then dependencies (Alembic
//!   iterates a set), which fixes which row a merge UPDATEs and an unmerge keeps;
//! * row changes keep the rows exactly the applied tips, so every UPDATE/DELETE hits one row
//!   even when one parent of a revision is an ancestor of another (Alembic then deletes a
//!   missing row or leaves a non-tip);
//! * an ambiguous prefix lists its candidates instead of only `Can't locate revision ...`;
//! * walks Alembic asserts on (`upgrade head+1`, `L@-1` with no row on L) are errors.

#![warn(missing_docs, unreachable_pub)]

mod adj;
mod downgrade;
mod error;
mod graph;
mod history;
mod ident;
mod order;
mod plan;
mod printable;
mod revision;
mod stamp;
#[cfg(test)]
mod testutil;
mod upgrade;
mod versions;

pub use error::{Blame, Field, GraphError, MAX_ID_LEN, RESERVED_IDS};
pub use graph::Graph;
pub use ident::{parse_range, validate_id, validate_label, ILLEGAL_ID_CHARS, ILLEGAL_LABEL_CHARS};
pub use plan::{Direction, Plan, Step, VersionChange};
pub use printable::{printable, printable_line};
pub use revision::{order_key, Revision};
