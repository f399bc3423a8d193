//! What planning produces: ordered steps and the version-row changes that record them.

/// A change to the version table's rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionChange {
    /// `INSERT` a row.
    Insert(String),
    /// `UPDATE` one row from `from` to `to`.
    Update {
        /// The row that must exist.
        from: String,
        /// Its new value.
        to: String,
    },
    /// `DELETE` one row.
    Delete(String),
}

/// Which way a step runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Apply the migration.
    Up,
    /// Revert the migration.
    Down,
}

impl Direction {
    /// `upgrade` or `downgrade`, as messages and Alembic's log lines say it.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Up => "upgrade",
            Direction::Down => "downgrade",
        }
    }
}

impl std::fmt::Display for Direction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One migration to run, with the version-row changes that record it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The revision run.
    pub revision: String,
    /// Upgrade or downgrade.
    pub direction: Direction,
    /// The rows before the step that it moves from (for `Running upgrade a -> b`).
    pub from: Vec<String>,
    /// The rows it moves to.
    pub to: Vec<String>,
    /// The exact row changes, in order; each UPDATE/DELETE hits exactly one row.
    pub version_changes: Vec<VersionChange>,
}

/// An ordered plan.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// Steps in execution order.
    pub steps: Vec<Step>,
    /// Warnings Alembic prints while planning (e.g. `downgrade -1` from several rows).
    pub warnings: Vec<String>,
}
