//! Autogenerate: the operations that take a database (or the migrations' replay) to what
//! Diesel's `schema.rs` says, each with the hazard a reviewer should weigh.
//!
//! `schema.rs` says which tables exist, their columns (name, Diesel type, nullability), their
//! primary keys and the one-column foreign keys `joinable!` shows. It does not say indexes,
//! defaults, unique or check constraints, multi-column foreign keys, or an enum's values, so
//! [`plan`] never drops or changes those. A table the database has and `schema.rs` lacks is
//! dropped only with [`Options::drop_missing_tables`]. A table or column that disappears while
//! one of the same shape appears is planned as a rename (Alembic plans drop and add, which
//! loses the data), marked for review.
//!
//! ```
//! use migrate_schema::autogen::{plan, Options};
//! use migrate_schema::{diesel_schema, Schema};
//! use migrate_sql::{Dialect, Operations, Type};
//!
//! let mut op = Operations::default();
//! op.create_table("users", |t| {
//!     t.column("id", Type::Integer).primary_key().autoincrement();
//! })?;
//! let database = Schema::replay(Dialect::Postgres, op.as_slice())?;
//! let file = diesel_schema::parse(
//!     "diesel::table! { users (id) { id -> Int4, timezone -> Nullable<Text>, } }",
//! )?;
//! let plan = plan(&file, &database, &Options::default())?;
//! assert_eq!(plan.summary(), ["table users: column timezone"]);
//! assert_eq!(
//!     plan.rust(),
//!     "op.add_column(\"users\", \"timezone\", Type::Text)?;\n"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod columns;
mod compare;
mod keys;
mod planner;
mod rust;
mod types;

use std::collections::BTreeMap;

use migrate_sql::{Operation, Operations};

pub use compare::plan;

/// What autogenerate may do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Drop tables the database has and `schema.rs` lacks (`--drop-missing-tables`).
    pub drop_missing_tables: bool,
    /// Which tables `schema.rs` speaks for (diesel.toml's `filter`); others are left alone.
    pub filter: TableFilter,
    /// `[types]` in migrate.toml: a Diesel type's name → the SQL type to create it as.
    pub types: BTreeMap<String, String>,
}

/// diesel.toml's `[print_schema] filter = { only_tables = [..] }` / `except_tables`:
/// regular expressions, matched anywhere in the table name as Diesel matches them (anchor
/// with `^..$` for a whole name).
#[derive(Debug, Clone, Default)]
pub struct TableFilter {
    only: Vec<regex::Regex>,
    except: Vec<regex::Regex>,
}

impl TableFilter {
    /// A filter from diesel.toml's two lists.
    ///
    /// # Errors
    ///
    /// The first pattern that is not a regular expression.
    pub fn new<S: AsRef<str>>(only: &[S], except: &[S]) -> Result<TableFilter, regex::Error> {
        let compile = |list: &[S]| {
            list.iter()
                .map(|p| regex::Regex::new(p.as_ref()))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(TableFilter {
            only: compile(only)?,
            except: compile(except)?,
        })
    }

    /// Whether the table `name` is one `schema.rs` speaks for.
    pub fn allows(&self, name: &str) -> bool {
        let hit = |patterns: &[regex::Regex]| patterns.iter().any(|p| p.is_match(name));
        (self.only.is_empty() || hit(&self.only)) && !hit(&self.except)
    }
}

/// One planned operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The operation, as the generated migration records it.
    pub operation: Operation,
    /// What a reviewer must weigh (data loss, a failure on existing rows), if anything.
    pub review: Option<String>,
    /// One line for `check`: `table users: column timezone`.
    pub summary: String,
}

/// The operations from the database to `schema.rs`, in an order that runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// The operations.
    pub steps: Vec<Step>,
    /// Enum types `schema.rs` uses that the database lacks: their values must be written in.
    pub new_enums: Vec<String>,
    /// What was left alone and why (a table kept without `--drop-missing-tables`, a table the
    /// migrations cannot vouch for, a primary key change).
    pub notes: Vec<String>,
}

impl Plan {
    /// No operation: the database already is what `schema.rs` says.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty() && self.new_enums.is_empty()
    }

    /// One line per change, for `check`.
    pub fn summary(&self) -> Vec<String> {
        let enums = self.new_enums.iter().map(|e| format!("enum {e}: new"));
        enums
            .chain(self.steps.iter().map(|s| s.summary.clone()))
            .collect()
    }

    /// The operations, to render as SQL.
    pub fn operations(&self) -> Operations {
        let mut ops = Operations::default();
        for s in &self.steps {
            ops.push(s.operation.clone());
        }
        ops
    }

    /// The upgrade function's body: one `op.` statement per step, each hazard as a
    /// `// REVIEW:` comment above it.
    pub fn rust(&self) -> String {
        rust::body(self)
    }
}

/// Why no plan could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A Diesel type no SQL type of the dialect prints as.
    #[error("schema.rs: column {table}.{column} has the Diesel type `{ty}`, which migrate cannot map to a {dialect} type; map it in migrate.toml: [migrate.types] {name} = \"SQL TYPE\"")]
    UnknownType {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// The type as written.
        ty: String,
        /// The innermost type's name (the `[types]` key).
        name: String,
        /// The dialect's name.
        dialect: &'static str,
    },
    /// The migrations' schema is uncertain (raw SQL or Rust steps), so no comparison holds.
    #[error("the schema the migrations build is not certain ({0}); compare against the database instead of --offline")]
    Uncertain(String),
    /// The DSL refused an operation (a name it cannot write).
    #[error("schema.rs: {0}")]
    Invalid(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_match_as_diesel_matches() {
        let f = TableFilter::new(&["^users$", "^post"], &["_archive$"]).unwrap();
        assert!(f.allows("users") && f.allows("posts"));
        assert!(!f.allows("users2") && !f.allows("posts_archive") && !f.allows("comments"));
        // Unanchored, as Diesel matches: `users` alone also takes `old_users`.
        assert!(TableFilter::new(&["users"], &[])
            .unwrap()
            .allows("old_users"));
        assert!(TableFilter::new(&["("], &[]).is_err());
        assert!(TableFilter::default().allows("anything"));
    }
}
