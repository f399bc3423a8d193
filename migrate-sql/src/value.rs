//! Literal values and raw SQL expressions.

/// A literal value for `bulk_insert` and defaults; always escaped per dialect, never spliced raw.
///
/// # Examples
///
/// ```
/// use migrate_sql::Value;
/// assert_eq!(Value::from("it's"), Value::Text("it's".into()));
/// assert_eq!(Value::from(Some(3)), Value::Int(3));
/// assert_eq!(Value::from(None::<i64>), Value::Null);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// Boolean.
    Bool(bool),
    /// Integer.
    Int(i64),
    /// Floating point; must be finite to render.
    Float(f64),
    /// Text.
    Text(String),
    /// Raw bytes, rendered as a hexadecimal blob literal.
    Bytes(Vec<u8>),
    /// A PostgreSQL array (for a [`Type::Array`](crate::Type::Array) column), rendered as
    /// PostgreSQL's array literal `'{..}'` so that the column's own type reads it (an enum,
    /// uuid or integer array alike); elements may be arrays themselves (several dimensions).
    /// MySQL/MariaDB and SQLite have no arrays: rendering one there is an error.
    ///
    /// ```
    /// use migrate_sql::{Dialect, Value};
    /// let v = Value::array(["a", "it's"]);
    /// assert_eq!(Dialect::Postgres.literal(&v)?, r#"'{"a","it''s"}'"#);
    /// assert!(Dialect::Sqlite.literal(&v).is_err());
    /// # Ok::<(), migrate_sql::Error>(())
    /// ```
    Array(Vec<Value>),
}

impl Value {
    /// A [`Value::Array`] of anything that converts into values.
    pub fn array<T: Into<Value>>(items: impl IntoIterator<Item = T>) -> Value {
        Value::Array(items.into_iter().map(Into::into).collect())
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

/// Every integer type that fits an `i64` without loss.
macro_rules! from_int {
    ($($t:ty),*) => {
        $(
            impl From<$t> for Value {
                fn from(v: $t) -> Self {
                    Value::Int(i64::from(v))
                }
            }
        )*
    };
}

from_int!(i8, i16, i32, u8, u16, u32);

impl From<f32> for Value {
    fn from(v: f32) -> Self {
        Value::Float(f64::from(v))
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}

impl From<&[u8]> for Value {
    fn from(v: &[u8]) -> Self {
        Value::Bytes(v.to_vec())
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Float(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}

impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Bytes(v)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// A raw SQL expression, written into the statement as is (never escaped).
///
/// This is the explicit marker for "I am writing SQL here": server defaults, CHECK conditions,
/// partial-index predicates, index expressions and `USING` clauses take one. Never build it from
/// untrusted input; use [`Value`] for data.
///
/// # Examples
///
/// ```
/// use migrate_sql::Sql;
/// let now = Sql("CURRENT_TIMESTAMP");
/// assert_eq!(now.as_str(), "CURRENT_TIMESTAMP");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sql<S = String>(pub S);

impl<S: AsRef<str>> Sql<S> {
    /// The SQL text.
    pub fn as_str(&self) -> &str {
        self.0.as_ref()
    }

    pub(crate) fn into_string(self) -> String {
        self.0.as_ref().to_owned()
    }
}

/// A column default: a literal [`Value`] (escaped), a raw server-side expression, or a
/// portable expression each dialect writes its own way ([`Default`](enum@Default)).
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnDefault {
    /// A literal, escaped per dialect.
    Value(Value),
    /// A raw SQL expression such as `CURRENT_TIMESTAMP`, written as is.
    Sql(String),
    /// A portable server-side expression, rendered per dialect.
    Portable(Default),
}

impl<S: AsRef<str>> From<Sql<S>> for ColumnDefault {
    fn from(s: Sql<S>) -> Self {
        ColumnDefault::Sql(s.into_string())
    }
}

impl From<Default> for ColumnDefault {
    fn from(d: Default) -> Self {
        ColumnDefault::Portable(d)
    }
}

/// A portable server default: one spelling in the migration, each dialect's own SQL in the
/// database, for [`Column::server_default`](crate::Column::server_default) and
/// [`AlterColumn::set_server_default`](crate::AlterColumn::set_server_default).
///
/// | default | PostgreSQL | MySQL / MariaDB | SQLite |
/// |---|---|---|---|
/// | `Now` | `CURRENT_TIMESTAMP` | `CURRENT_TIMESTAMP(6)` on a `Timestamp`/`TimestampTz` column (`DATETIME(6)`), `CURRENT_TIMESTAMP` otherwise | `CURRENT_TIMESTAMP` (UTC text, `YYYY-MM-DD HH:MM:SS`) |
/// | `GenRandomUuid` | `gen_random_uuid()` (built in since PostgreSQL 13) | `(UUID())` (MySQL 8.0.13+, MariaDB 10.2+; a version-1 UUID) | a version-4 UUID built from `randomblob()` (SQLite has no UUID function) |
///
/// A migration file that globs `migrate_core::prelude::*` gets this `Default` in place of
/// the standard library's trait of that name; write `T::default()` (or
/// `std::default::Default::default()`) there. `#[derive(Default)]` is unaffected.
///
/// ```
/// use migrate_sql::{Default, Dialect, Type};
/// assert_eq!(Default::Now.sql(Dialect::Mysql, &Type::TimestampTz), "CURRENT_TIMESTAMP(6)");
/// assert_eq!(Default::GenRandomUuid.sql(Dialect::Postgres, &Type::Uuid), "gen_random_uuid()");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Default {
    /// The current date and time (SQL's `CURRENT_TIMESTAMP`).
    Now,
    /// A new random UUID per row.
    GenRandomUuid,
}

impl Default {
    /// The SQL expression `dialect` stores for this default on a column of type `ty`.
    pub fn sql(self, dialect: crate::Dialect, ty: &crate::Type) -> String {
        match self {
            Default::Now => dialect.imp().now_sql(ty),
            Default::GenRandomUuid => dialect.imp().random_uuid_sql(),
        }
    }

    /// How the default reads in messages and in `describe`.
    pub fn name(self) -> &'static str {
        match self {
            Default::Now => "Default::Now",
            Default::GenRandomUuid => "Default::GenRandomUuid",
        }
    }
}
