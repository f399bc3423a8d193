//! Raw PostgreSQL SQL (`op.execute`) through squawk's own rules (the `squawk-linter` crate),
//! reported as `squawk:<rule>` findings in the same format as migrate's rules.

use squawk_linter::{Linter, Rule as SquawkRule};

use crate::finding::Severity;
use crate::rules::RULES;

/// One squawk violation, in migrate's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Violation {
    /// Squawk's rule name (`ban-drop-column`).
    pub(crate) rule: String,
    /// Squawk's message.
    pub(crate) message: String,
    /// Squawk's help, or a pointer to its docs.
    pub(crate) fix: String,
}

/// Squawk's rules that say nothing migrate does not already take care of: the timeouts
/// (migrate sets no per-statement timeout in raw SQL and squawk would flag every file) and
/// `IF NOT EXISTS` robustness (migrate's version table, not the SQL, decides what runs).
const LEFT_OUT: &[SquawkRule] = &[
    SquawkRule::RequireTimeoutSettings,
    SquawkRule::RequireLockTimeout,
    SquawkRule::RequireStatementTimeout,
    SquawkRule::PreferRobustStmts,
];

/// Squawk's violations in `sql`, run as one migration's statement (`transactional`: inside
/// its transaction, which squawk's transaction rules need to know). `created` are the tables
/// the migration's operations created before it: squawk is shown a `CREATE TABLE` of each
/// first (in a transactional migration), so that its rules, like migrate's, leave tables
/// nobody can be using yet alone; only what it finds in `sql` is reported.
pub(crate) fn lint(sql: &str, transactional: bool, created: &[String]) -> Vec<Violation> {
    let mut linter = Linter::with_rules(&[], LEFT_OUT);
    linter.settings.assume_in_transaction = transactional;
    let mut text = String::new();
    if transactional {
        for t in created {
            text.push_str(&format!("CREATE TABLE {} ();\n", quoted(t)));
        }
    }
    let offset = text.len();
    text.push_str(sql);
    let file = squawk_syntax::SourceFile::parse(&text);
    linter
        .lint(&file, &text)
        .into_iter()
        .filter(|v| usize::from(v.text_range.start()) >= offset)
        .map(|v| Violation {
            rule: v.code.to_string(),
            message: v.message,
            fix: v
                .help
                .unwrap_or_else(|| format!("see squawk's documentation of the {} rule", v.code)),
        })
        .collect()
}

/// `name` as a PostgreSQL identifier: bare when it is lowercase letters, digits and `_`.
fn quoted(name: &str) -> String {
    let bare = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if bare {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// The severity of a squawk rule: that of migrate's rule with the same meaning, else warning.
pub(crate) fn default_severity(squawk_rule: &str) -> Severity {
    RULES
        .iter()
        .filter(|r| {
            r.squawk
                .is_some_and(|s| s.split(", ").any(|n| n == squawk_rule))
        })
        .map(|r| r.default)
        .max()
        .unwrap_or(Severity::Warning)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_the_migration_created_is_left_alone() {
        let index = "CREATE INDEX ix_tags ON tags (id);";
        let rules = |created: &[String]| -> Vec<String> {
            lint(index, true, created)
                .into_iter()
                .map(|v| v.rule)
                .collect()
        };
        assert_eq!(rules(&[]), ["require-concurrent-index-creation"]);
        assert_eq!(rules(&["tags".to_owned()]), Vec::<String>::new());
        assert_eq!(quoted("Tags"), "\"Tags\"");
    }

    #[test]
    fn a_dropped_column_in_raw_sql_is_found() {
        let v = lint("ALTER TABLE users DROP COLUMN email;", true, &[]);
        assert!(v.iter().any(|v| v.rule == "ban-drop-column"), "{v:?}");
        assert_eq!(default_severity("ban-drop-column"), Severity::Error);
    }

    #[test]
    fn a_safe_statement_has_no_violation() {
        let v = lint(
            "UPDATE users SET email = lower(email) WHERE id < 1000;",
            true,
            &[],
        );
        assert_eq!(v, []);
        assert_eq!(default_severity("no-such-rule"), Severity::Warning);
    }
}
