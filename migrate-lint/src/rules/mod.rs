//! The rules: one `static` per rule, grouped by concept, each documented with an example
//! and its fix, and tested with an operation that triggers it and one that does not.

use migrate_sql::{Dialect, Operation};

use crate::engine::{Cx, Hit};
use crate::finding::Severity;

mod compat;
mod destructive;
mod hygiene;
mod mysql;
mod pg_index;
mod pg_rewrite;
mod sqlite;
#[cfg(test)]
mod testutil;

pub use compat::{DROP_STILL_IN_SCHEMA_RS, RENAME_COLUMN, RENAME_TABLE};
pub use destructive::{DROP_COLUMN, DROP_ENUM, DROP_TABLE, TRUNCATE};
pub use hygiene::{
    ENUM_VALUE_POSITION, MIXED_SCHEMA_AND_DATA, PREFER_BIGINT_PK, TIMESTAMP_WITHOUT_TZ,
    VARCHAR_LENGTH_CHANGE,
};
pub use mysql::MYSQL_COPY_ALTER;
pub use pg_index::{
    CONSTRAINT_NOT_VALID, CREATE_INDEX_NOT_CONCURRENTLY, DROP_INDEX_NOT_CONCURRENTLY,
    UNIQUE_WITHOUT_INDEX,
};
pub use pg_rewrite::{COLUMN_TYPE_CHANGE, SET_NOT_NULL, VOLATILE_DEFAULT};
pub use sqlite::SQLITE_TABLE_REBUILD;

/// What kind of harm a rule is about; a category name in `[lint]` sets all its rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Data is deleted.
    Destructive,
    /// A table is locked, scanned or rewritten while the application runs.
    Locking,
    /// The application that is running now breaks (expand/contract).
    Compatibility,
    /// Safe today, a trap later.
    Hygiene,
}

impl Category {
    /// Every category.
    pub const ALL: [Category; 4] = [
        Category::Destructive,
        Category::Locking,
        Category::Compatibility,
        Category::Hygiene,
    ];

    /// Its name in `[lint]`.
    pub fn name(self) -> &'static str {
        match self {
            Category::Destructive => "destructive",
            Category::Locking => "locking",
            Category::Compatibility => "compatibility",
            Category::Hygiene => "hygiene",
        }
    }
}

/// A migration's operations, each with whether its table is new in the migration.
pub type Ops<'a, 'b> = &'a [(&'b Operation, bool)];

/// How a rule looks at a migration.
#[derive(Clone, Copy)]
pub enum Check {
    /// One operation at a time.
    Op(fn(&Cx<'_>, &Operation) -> Vec<Hit>),
    /// The whole migration: each operation, and whether its table is new in the migration.
    Migration(fn(&Cx<'_>, Ops<'_, '_>) -> Vec<Hit>),
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Check::Op(_) => "Check::Op",
            Check::Migration(_) => "Check::Migration",
        })
    }
}

/// One rule.
#[derive(Debug)]
pub struct Rule {
    /// Its id, kebab-case: what `[lint]` and `allow_lint` name.
    pub id: &'static str,
    /// Its category.
    pub category: Category,
    /// The dialects it applies to.
    pub dialects: &'static [Dialect],
    /// Its severity unless `[lint]` says otherwise.
    pub default: Severity,
    /// What it finds, in a few words (the guide's table).
    pub summary: &'static str,
    /// How to do the same safely.
    pub fix: &'static str,
    /// squawk's rule(s) for the same thing, comma-separated.
    pub squawk: Option<&'static str>,
    /// Atlas's analyzer check for the same thing.
    pub atlas: Option<&'static str>,
    /// Whether it also fires on a table created earlier in the same migration (only the
    /// hygiene rules do: nothing can be locked or broken on a table nobody uses yet).
    pub new_tables: bool,
    /// The check.
    pub check: Check,
}

pub(crate) const ALL: &[Dialect] = &[Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite];
pub(crate) const PG: &[Dialect] = &[Dialect::Postgres];

/// Every rule, in the order of the guide's table.
pub static RULES: &[&Rule] = &[
    &DROP_TABLE,
    &DROP_COLUMN,
    &DROP_ENUM,
    &TRUNCATE,
    &CREATE_INDEX_NOT_CONCURRENTLY,
    &DROP_INDEX_NOT_CONCURRENTLY,
    &CONSTRAINT_NOT_VALID,
    &UNIQUE_WITHOUT_INDEX,
    &SET_NOT_NULL,
    &COLUMN_TYPE_CHANGE,
    &VOLATILE_DEFAULT,
    &RENAME_COLUMN,
    &RENAME_TABLE,
    &DROP_STILL_IN_SCHEMA_RS,
    &MYSQL_COPY_ALTER,
    &SQLITE_TABLE_REBUILD,
    &PREFER_BIGINT_PK,
    &TIMESTAMP_WITHOUT_TZ,
    &VARCHAR_LENGTH_CHANGE,
    &ENUM_VALUE_POSITION,
    &MIXED_SCHEMA_AND_DATA,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_squawk_names_exist() {
        let mut seen = std::collections::BTreeSet::new();
        for r in RULES {
            assert!(seen.insert(r.id), "{} twice", r.id);
            assert!(
                r.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                r.id
            );
            for s in r.squawk.into_iter().flat_map(|s| s.split(", ")) {
                assert!(
                    s.parse::<squawk_linter::Rule>().is_ok(),
                    "{}: squawk has no {s}",
                    r.id
                );
            }
            assert!(!r.fix.is_empty() && !r.summary.is_empty());
        }
    }

    /// docs/guide.md's table lists every rule with its dialects, default and fix.
    #[test]
    fn the_guide_lists_every_rule() {
        let guide = include_str!("../../../docs/guide.md");
        for r in RULES {
            let row = guide
                .lines()
                .find(|l| l.starts_with(&format!("| `{}` |", r.id)))
                .unwrap_or_else(|| panic!("docs/guide.md has no row for {}", r.id));
            let cells: Vec<&str> = row.split(" | ").collect();
            let dialects: Vec<&str> = r
                .dialects
                .iter()
                .map(|d| match d {
                    Dialect::Postgres => "PostgreSQL",
                    Dialect::Mysql => "MySQL",
                    Dialect::Sqlite => "SQLite",
                })
                .collect();
            assert_eq!(cells[1], r.category.name(), "{row}");
            assert_eq!(cells[2], dialects.join(", "), "{row}");
            assert_eq!(cells[3], r.default.name(), "{row}");
            assert!(row.contains(r.fix), "{row}");
        }
    }
}
