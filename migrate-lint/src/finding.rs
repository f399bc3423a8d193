//! What a rule reports.

use std::fmt;

/// How much a finding matters: an error fails `migrate lint` (and, printed by `migrate
/// check`, the review); a warning is printed only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Printed, does not fail.
    Warning,
    /// Fails `migrate lint`.
    Error,
}

impl Severity {
    /// `error` or `warning`.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding: which migration, which rule, what the operation does to a running system
/// and how to avoid it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The migration's revision.
    pub revision: String,
    /// Its source file, as the caller gave it (empty when unknown).
    pub file: String,
    /// The line of its `#[migration]` (0 when unknown).
    pub line: u32,
    /// The rule's id (`drop-column`, `squawk:ban-drop-column`).
    pub rule: String,
    /// Its severity after `[lint]` in migrate.toml.
    pub severity: Severity,
    /// The operation it is about (`drop_column users.email`), or the migration.
    pub operation: String,
    /// What it does to a running system.
    pub message: String,
    /// How to get the same result safely.
    pub fix: String,
}

/// One line, like a compiler's diagnostic:
/// `file:line: error[drop-column] b2c3: drop_column users.email: <effect>; fix: <fix>`.
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.file.is_empty() {
            write!(f, "{}:{}: ", self.file, self.line)?;
        }
        write!(
            f,
            "{}[{}] {}: {}: {}; fix: {}",
            self.severity.name(),
            self.rule,
            self.revision,
            self.operation,
            self.message,
            self.fix
        )
    }
}
