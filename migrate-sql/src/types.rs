//! Portable column types; each dialect maps them to its own names (see `dialect`).

/// A column type.
///
/// The mapping per dialect (PostgreSQL / MySQL-MariaDB / SQLite):
///
/// | type | PostgreSQL | MySQL | SQLite |
/// |---|---|---|---|
/// | `Integer` | INTEGER | INT | INTEGER |
/// | `BigInt` | BIGINT | BIGINT | BIGINT (INTEGER when autoincrement) |
/// | `SmallInt` | SMALLINT | SMALLINT | SMALLINT |
/// | `Boolean` | BOOLEAN | BOOL | BOOLEAN |
/// | `String(n)` | VARCHAR(n) | VARCHAR(n) | VARCHAR(n) |
/// | `Text` | TEXT | LONGTEXT | TEXT |
/// | `Float` | REAL | FLOAT | REAL |
/// | `Double` | DOUBLE PRECISION | DOUBLE | DOUBLE |
/// | `Numeric(p, s)` | NUMERIC(p, s) | NUMERIC(p, s) | NUMERIC(p, s) |
/// | `Date` | DATE | DATE | DATE |
/// | `Time` | TIME | TIME(6) | TIME |
/// | `Timestamp` | TIMESTAMP | DATETIME(6) | TIMESTAMP |
/// | `TimestampTz` | TIMESTAMPTZ | DATETIME(6) | TEXT |
/// | `Uuid` | UUID | CHAR(36) | TEXT |
/// | `Json` | JSON | JSON | TEXT |
/// | `Jsonb` | JSONB | JSON | TEXT |
/// | `Binary` | BYTEA | LONGBLOB | BLOB |
/// | `Enum` | the named type (see `Operations::create_enum`) | ENUM('a', ...) | TEXT + CHECK (col IN ('a', ...)) |
/// | `Array(t)` | `t[]` (e.g. `TEXT[]`) | refused: use `Json` | refused: use `Json` |
/// | `Custom(s)` | `s` as written | `s` | `s` |
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Type {
    /// 32-bit integer.
    Integer,
    /// 64-bit integer.
    BigInt,
    /// 16-bit integer.
    SmallInt,
    /// Boolean.
    Boolean,
    /// Variable-length string of at most `n` characters.
    String(u32),
    /// Unbounded text.
    Text,
    /// Single-precision float (`REAL`, 4 bytes); a Rust `f64` wants [`Type::Double`].
    Float,
    /// Double-precision float (`DOUBLE PRECISION`, 8 bytes; Diesel `Float8`).
    Double,
    /// Exact decimal with precision and scale.
    Numeric(u8, u8),
    /// Calendar date.
    Date,
    /// Time of day.
    Time,
    /// Date and time without time zone.
    Timestamp,
    /// Date and time with time zone.
    TimestampTz,
    /// UUID.
    Uuid,
    /// JSON document.
    Json,
    /// Binary JSON (PostgreSQL JSONB; JSON elsewhere).
    Jsonb,
    /// Binary data.
    Binary,
    /// An enumeration. On PostgreSQL it names a type created with `create_enum`.
    Enum {
        /// Type name (PostgreSQL).
        name: String,
        /// Allowed values, in order.
        values: Vec<String>,
    },
    /// A PostgreSQL array of the element type, e.g. `Type::array(Type::Text)` is `TEXT[]`
    /// (an array of arrays is still one array type there: PostgreSQL does not enforce
    /// dimensions). MySQL/MariaDB and SQLite have none: rendering it there is an error that
    /// suggests `Type::Json`. Values for it are [`Value::Array`](crate::Value::Array).
    Array(Box<Type>),
    /// A type name written as is (raw SQL), e.g. `Type::Custom("INET".into())`; also what
    /// SQLite introspection yields for existing columns.
    Custom(String),
}

impl Type {
    /// Shorthand for [`Type::Enum`].
    ///
    /// ```
    /// use migrate_sql::Type;
    /// let t = Type::enumeration("mood", &["sad", "ok"]);
    /// assert!(matches!(t, Type::Enum { .. }));
    /// ```
    pub fn enumeration(name: &str, values: &[&str]) -> Type {
        Type::Enum {
            name: name.to_owned(),
            values: values.iter().map(|v| (*v).to_owned()).collect(),
        }
    }

    /// Shorthand for [`Type::Array`].
    ///
    /// ```
    /// use migrate_sql::Type;
    /// assert_eq!(Type::array(Type::Integer), Type::Array(Box::new(Type::Integer)));
    /// ```
    pub fn array(element: Type) -> Type {
        Type::Array(Box::new(element))
    }

    pub(crate) fn is_integer(&self) -> bool {
        match self {
            Type::Integer | Type::BigInt | Type::SmallInt => true,
            // Introspected SQLite columns: integer affinity is any declared type with "INT".
            Type::Custom(s) => s.to_ascii_uppercase().contains("INT"),
            _ => false,
        }
    }
}
