//! Drift: the live database (introspected) compared with the schema its migrations build at
//! its revisions (replayed from their recorded operations, without a database).

use migrate_schema::{Difference, Rules, Schema};

use crate::connection::AnyConnection;
use crate::error::{Error, Result};
use crate::introspect;
use crate::migrator::Migrator;
use crate::version_table::apply_in_memory;

/// How the database differs from the replay of its migrations (see [`Migrator::drift`]).
///
/// A difference is a fact the model can vouch for; what it cannot (a table raw SQL or a Rust
/// step changed, a view or trigger the model does not represent, a schema a Rust step without
/// offline SQL made uncertain, a table or enum type no migration made) is listed apart as not
/// checked, never as equal and never as a failure.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Drift {
    /// The version rows compared at.
    pub revisions: Vec<String>,
    /// What differs, in the diff's order; each displays as one line.
    pub differences: Vec<Difference>,
    /// What was not compared, and why.
    pub not_checked: Vec<Difference>,
}

impl Drift {
    /// No difference (things not checked may remain).
    pub fn is_clean(&self) -> bool {
        self.differences.is_empty()
    }

    /// `Ok` when clean, else [`Error::Drift`] listing every difference.
    pub fn into_result(self) -> Result<Drift> {
        if self.is_clean() {
            return Ok(self);
        }
        Err(Error::Drift {
            revisions: self.revisions,
            differences: self.differences.iter().map(ToString::to_string).collect(),
        })
    }
}

/// Whether a line of the diff says "not compared" rather than "different". A table (or enum
/// type) the migrations never made is not theirs to vouch for: one database may hold several
/// applications' tables, each with its own version table, or another tool's.
fn not_checked(d: &Difference) -> bool {
    matches!(
        d,
        Difference::SchemaNotChecked { .. }
            | Difference::TableNotChecked { .. }
            | Difference::EnumNotChecked { .. }
            | Difference::NotModelled { .. }
            | Difference::ExtraTable { .. }
            | Difference::ExtraEnum { .. }
    )
}

/// The database's schema without migrate's own tables (version, history, MySQL progress):
/// the connection's current schema, and each of `others` (schemas the migrations use).
pub(crate) fn introspect_schemas(
    m: &Migrator,
    conn: &mut AnyConnection,
    others: &[String],
) -> Result<Schema> {
    let dialect = conn.dialect();
    let t = m.tables(dialect);
    let extra = t.extra_tables();
    let mut skip = vec![t.version.as_str(), t.history.as_str()];
    skip.extend(extra.iter().map(String::as_str));
    let mut out = introspect::introspect(conn, None, &skip)?;
    for other in others {
        let more = introspect::introspect(conn, Some(other), &skip)?;
        for (_, t) in more.tables() {
            out.insert_table(t.clone());
        }
        for (_, e) in more.enums() {
            out.insert_enum(e.clone());
        }
        for o in more.not_modelled() {
            out.mark_not_modelled(format!("{other}.{o}"));
        }
    }
    Ok(out)
}

/// [`introspect_schemas`] of the current schema only.
pub(crate) fn introspect(m: &Migrator, conn: &mut AnyConnection) -> Result<Schema> {
    introspect_schemas(m, conn, &[])
}

/// The schema the migrations build up to the version rows `rows`, compared by `rules`: each
/// migration's upgrade recorded (not run) and replayed, parents first.
pub(crate) fn replay(m: &Migrator, rows: &[String], rules: Rules) -> Result<Schema> {
    let dialect = rules.dialect;
    let mut schema = Schema::with_rules(rules);
    let mut current: Vec<String> = Vec::new();
    for row in rows {
        let plan = m.graph().plan_upgrade(&current, row)?;
        for step in &plan.steps {
            for op in m.record(&step.revision, true, dialect)? {
                schema.apply(&op).map_err(|source| Error::Replay {
                    rev: step.revision.clone(),
                    source,
                })?;
            }
            apply_in_memory(&mut current, &step.version_changes);
        }
    }
    Ok(schema)
}

/// Introspect, replay at `rows` with the database's rules, and diff. Besides the current
/// schema, the schemas the replay has tables or enum types in are read too.
pub(crate) fn drift(m: &Migrator, conn: &mut AnyConnection, rows: &[String]) -> Result<Drift> {
    let current = introspect(m, conn)?;
    let expected = replay(m, rows, current.rules().clone())?;
    // Schemas other than the default one, as the migrations spell them.
    let mut others: Vec<String> = Vec::new();
    for (k, t) in expected.tables() {
        if k.schema.is_some() {
            others.extend(t.name.schema.clone());
        }
    }
    for (k, e) in expected.enums() {
        if k.schema.is_some() {
            others.extend(e.name.schema.clone());
        }
    }
    others.sort();
    others.dedup();
    let actual = if others.is_empty() {
        current
    } else {
        introspect_schemas(m, conn, &others)?
    };
    let (not, differences): (Vec<Difference>, Vec<Difference>) =
        migrate_schema::diff(&expected, &actual)
            .into_iter()
            .partition(not_checked);
    Ok(Drift {
        revisions: rows.to_vec(),
        differences,
        not_checked: not,
    })
}
