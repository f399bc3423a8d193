//! How a dialect compares names, and the settings that change it ([`Rules`]).

use migrate_sql::{Dialect, QualifiedName};

/// How SQLite column types compare (see the crate docs, "Types").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SqliteTypes {
    /// Compare the declared type (spelling normalised): `BIGINT` differs from `INTEGER`.
    /// The default, because Diesel's schema inference reads the declared type.
    #[default]
    Declared,
    /// Compare SQLite's type affinity only (INTEGER, TEXT, BLOB, REAL, NUMERIC), as SQLite
    /// itself stores values: `VARCHAR(255)` equals `TEXT`.
    Affinity,
}

/// The dialect and the server settings that decide when two schemas are equal.
///
/// ```
/// use migrate_schema::Rules;
/// use migrate_sql::Dialect;
/// let mut r = Rules::new(Dialect::Mysql);
/// r.lower_case_table_names = 1;
/// assert_eq!(r.table_key(&"Users".into()), r.table_key(&"users".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rules {
    /// The dialect.
    pub dialect: Dialect,
    /// MySQL's `lower_case_table_names` (0: table names compare case-sensitively, the Linux
    /// default; 1 or 2: case-insensitively). Ignored elsewhere.
    pub lower_case_table_names: u8,
    /// The MySQL dialect talks to MariaDB, where `JSON` is `LONGTEXT` with a `json_valid`
    /// CHECK.
    pub mariadb: bool,
    /// How SQLite types compare.
    pub sqlite_types: SqliteTypes,
    /// The schema an unqualified name lives in (`public` on PostgreSQL, `main` on SQLite,
    /// none on MySQL, where it is the connection's database): a name qualified with it is the
    /// same as the unqualified name.
    pub default_schema: Option<String>,
}

impl Rules {
    /// The defaults for `dialect`.
    pub fn new(dialect: Dialect) -> Rules {
        Rules {
            dialect,
            lower_case_table_names: 0,
            mariadb: false,
            sqlite_types: SqliteTypes::Declared,
            default_schema: crate::dialect::of(dialect)
                .default_schema()
                .map(str::to_owned),
        }
    }

    /// The dialect's rules for the model.
    pub(crate) fn imp(&self) -> &'static dyn crate::dialect::SchemaDialect {
        crate::dialect::of(self.dialect)
    }

    /// The key a table (or PostgreSQL enum type) is stored and compared under.
    pub fn table_key(&self, name: &QualifiedName) -> Key {
        let schema = name
            .schema
            .as_deref()
            .map(|s| self.fold_table(s))
            .filter(|s| {
                self.default_schema
                    .as_deref()
                    .is_none_or(|d| self.fold_table(d) != *s)
            });
        Key {
            schema,
            name: self.fold_table(&name.name),
        }
    }

    /// A table or schema name as compared: exact on PostgreSQL (every name the DSL writes is
    /// quoted), ASCII case-insensitive on SQLite, per `lower_case_table_names` on MySQL.
    pub fn fold_table(&self, name: &str) -> String {
        self.imp().fold_table(name, self.lower_case_table_names)
    }

    /// A column, index or constraint name as compared: exact on PostgreSQL, case-insensitive
    /// on MySQL and SQLite.
    pub fn fold_name(&self, name: &str) -> String {
        self.imp().fold_name(name)
    }

    /// Whether two column, index or constraint names are the same name.
    pub fn same_name(&self, a: &str, b: &str) -> bool {
        self.imp().same_name(a, b)
    }
}

/// A table's (or enum type's) identity in a [`Schema`](crate::Schema): its schema (`None`
/// for the default one) and name, folded by [`Rules::table_key`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// The schema, `None` for the default one.
    pub schema: Option<String>,
    /// The folded name.
    pub name: String,
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.schema {
            Some(s) => write!(f, "{s}.{}", self.name),
            None => f.write_str(&self.name),
        }
    }
}
