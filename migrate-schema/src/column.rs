//! A column of a [`Table`](crate::Table).

use migrate_sql::{ColumnDefault, Type};

/// A column as the database has it.
///
/// ```
/// use migrate_schema::Column;
/// use migrate_sql::Type;
/// let c = Column::new("email", Type::String(255));
/// assert!(c.nullable && c.default.is_none());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Column name, as written.
    pub name: String,
    /// Its type: the DSL's type from a replay; what the database reports (often
    /// [`Type::Custom`]) from introspection. Compared after [normalisation](crate#types).
    pub ty: Type,
    /// Whether NULL is allowed.
    pub nullable: bool,
    /// The server default, if any (`NULL` counts as none).
    pub default: Option<ColumnDefault>,
    /// Database-generated values: PostgreSQL identity (or serial), MySQL `AUTO_INCREMENT`,
    /// SQLite `AUTOINCREMENT`.
    pub autoincrement: bool,
    /// Column comment.
    pub comment: Option<String>,
}

impl Column {
    /// A nullable column with no default.
    pub fn new(name: impl Into<String>, ty: Type) -> Column {
        Column {
            name: name.into(),
            ty,
            nullable: true,
            default: None,
            autoincrement: false,
            comment: None,
        }
    }

    /// The model's column for a DSL column definition (its key, unique and reference
    /// options belong to the table).
    pub fn from_definition(c: &migrate_sql::Column) -> Column {
        Column {
            name: c.name.clone(),
            ty: c.ty.clone(),
            nullable: c.nullable && !c.primary_key,
            default: c.default.clone(),
            autoincrement: c.autoincrement,
            comment: c.comment.clone(),
        }
    }
}
