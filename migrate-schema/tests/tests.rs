//! One integration-test binary (one link) for the crate.

// Fixture builders outside #[test] fns unwrap the DSL's builders: a failure is a test bug.
#![allow(clippy::unwrap_used)]

mod agreement;
mod autogen;
mod constraints;
mod diesel_schema;
mod diff;
mod errors;
mod normalize;
mod opaque;
mod pg_types;
mod replay;

use migrate_schema::{diff as schema_diff, Schema};
use migrate_sql::{Dialect, Operations};

pub(crate) const ALL: [Dialect; 3] = [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite];

/// Replay `build`'s operations on `d`, panicking with the error (tests only).
pub(crate) fn replay(d: Dialect, build: impl FnOnce(&mut Operations)) -> Schema {
    let mut op = Operations::default();
    build(&mut op);
    match Schema::replay(d, op.as_slice()) {
        Ok(s) => s,
        Err(e) => panic!("replay on {}: {e}", d.name()),
    }
}

/// The diff as lines.
pub(crate) fn lines(expected: &Schema, actual: &Schema) -> Vec<String> {
    schema_diff(expected, actual)
        .iter()
        .map(ToString::to_string)
        .collect()
}
