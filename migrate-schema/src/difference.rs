//! One difference between two schemas, displayed as one line.

use std::fmt;

use migrate_sql::Dialect;

/// How two schemas differ, one fact each. `Display` gives one line, e.g.
/// `table users: column email: type VARCHAR(255) in migrations, TEXT in the database`.
///
/// "In migrations" is the expected schema (the replay), "in the database" the actual one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Difference {
    /// The schemas are of different dialects; nothing else is compared.
    Dialect {
        /// Expected.
        expected: Dialect,
        /// Actual.
        actual: Dialect,
    },
    /// Nothing can be said: raw SQL or a Rust step made the whole schema uncertain.
    SchemaNotChecked {
        /// Why.
        reasons: Vec<String>,
    },
    /// The table is opaque on one side, so it was not compared.
    TableNotChecked {
        /// The table.
        table: String,
        /// Why.
        reasons: Vec<String>,
    },
    /// The enum type is opaque on one side, so it was not compared.
    EnumNotChecked {
        /// The type.
        name: String,
        /// Why.
        reasons: Vec<String>,
    },
    /// An object one side has that the model cannot represent (a view, a trigger, an
    /// exclusion constraint, ...), so it was not compared.
    NotModelled {
        /// The object, e.g. `view active_users`.
        object: String,
    },
    /// A table of the migrations is not in the database.
    MissingTable {
        /// The table.
        table: String,
    },
    /// A table of the database is not in the migrations.
    ExtraTable {
        /// The table.
        table: String,
    },
    /// An enum type of the migrations is not in the database.
    MissingEnum {
        /// The type.
        name: String,
    },
    /// An enum type of the database is not in the migrations.
    ExtraEnum {
        /// The type.
        name: String,
    },
    /// The values of an enum type differ (order counts).
    EnumValues {
        /// The type.
        name: String,
        /// Expected.
        expected: Vec<String>,
        /// Actual.
        actual: Vec<String>,
    },
    /// A column of the migrations is not in the database.
    MissingColumn {
        /// The table.
        table: String,
        /// The column.
        column: String,
    },
    /// A column of the database is not in the migrations.
    ExtraColumn {
        /// The table.
        table: String,
        /// The column.
        column: String,
    },
    /// Something about a column, a key, an index, a constraint or a comment differs.
    Changed {
        /// What it is about: `table users: column email`, `index ix_users_email` (MySQL:
        /// `index users.email`, index names are per table there), ...
        subject: String,
        /// What differs: `type`, `primary key`, `name`, `columns`, `predicate`, `method`,
        /// `included columns`, `ON DELETE`, `ON UPDATE`; `nullability` and `flag` (defaults,
        /// autoincrement, comments, uniqueness) when the values read on their own, as in
        /// `unique in migrations, not unique in the database`.
        aspect: &'static str,
        /// Expected, as displayed.
        expected: String,
        /// Actual, as displayed.
        actual: String,
    },
    /// An index of the migrations is not in the database.
    MissingIndex {
        /// The index.
        index: String,
        /// Its table.
        table: String,
    },
    /// An index of the database is not in the migrations.
    ExtraIndex {
        /// The index, as displayed.
        index: String,
        /// Its table.
        table: String,
    },
    /// A constraint of the migrations is not in the database.
    Missing {
        /// What: `table users: unique constraint (email)`, `index ix_users_email`, ...
        subject: String,
    },
    /// A constraint of the database is not in the migrations.
    Extra {
        /// What.
        subject: String,
    },
}

fn list(v: &[String]) -> String {
    format!("({})", v.join(", "))
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::Dialect { expected, actual } => write!(
                f,
                "schema: dialect {} in migrations, {} in the database",
                expected.name(),
                actual.name()
            ),
            Difference::SchemaNotChecked { reasons } => {
                write!(f, "schema: not checked ({})", reasons.join("; "))
            }
            Difference::TableNotChecked { table, reasons } => {
                write!(f, "table {table}: not checked ({})", reasons.join("; "))
            }
            Difference::EnumNotChecked { name, reasons } => {
                write!(f, "enum {name}: not checked ({})", reasons.join("; "))
            }
            Difference::NotModelled { object } => {
                write!(f, "{object}: not modelled, not checked")
            }
            Difference::MissingTable { table } => {
                write!(f, "table {table}: missing in the database")
            }
            Difference::ExtraTable { table } => {
                write!(f, "table {table}: in the database, not in migrations")
            }
            Difference::MissingEnum { name } => write!(f, "enum {name}: missing in the database"),
            Difference::ExtraEnum { name } => {
                write!(f, "enum {name}: in the database, not in migrations")
            }
            Difference::EnumValues {
                name,
                expected,
                actual,
            } => write!(
                f,
                "enum {name}: values {} in migrations, {} in the database",
                list(expected),
                list(actual)
            ),
            Difference::MissingColumn { table, column } => {
                write!(f, "table {table}: column {column} missing in the database")
            }
            Difference::ExtraColumn { table, column } => write!(
                f,
                "table {table}: column {column} in the database, not in migrations"
            ),
            Difference::Changed {
                subject,
                aspect,
                expected,
                actual,
            } => match *aspect {
                // Flags read as adjectives: "unique in migrations, not unique in the database".
                "flag" | "nullability" => write!(
                    f,
                    "{subject}: {expected} in migrations, {actual} in the database"
                ),
                _ => write!(
                    f,
                    "{subject}: {aspect} {expected} in migrations, {actual} in the database"
                ),
            },
            Difference::MissingIndex { index, table } => {
                write!(f, "index {index} on {table}: missing in the database")
            }
            Difference::ExtraIndex { index, table } => {
                write!(
                    f,
                    "index {index} on {table}: in the database, not in migrations"
                )
            }
            Difference::Missing { subject } => write!(f, "{subject} missing in the database"),
            Difference::Extra { subject } => {
                write!(f, "{subject} in the database, not in migrations")
            }
        }
    }
}
