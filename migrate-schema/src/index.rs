//! An index of a [`Table`](crate::Table).

pub use migrate_sql::IndexColumn;

/// An index (not one that backs a constraint: those are the constraint).
///
/// ```
/// use migrate_schema::{Index, IndexColumn};
/// let ix = Index::new("ix_users_email", &["email"]);
/// assert_eq!(ix.columns, [IndexColumn::Name("email".into())]);
/// assert!(!ix.unique);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Index {
    /// Index name.
    pub name: String,
    /// What is indexed, in order: columns and raw SQL expressions.
    pub columns: Vec<IndexColumn>,
    /// `UNIQUE`.
    pub unique: bool,
    /// The partial-index predicate, raw SQL.
    pub predicate: Option<String>,
    /// The access method when not the default (`gin`, `gist`, `hash`, ...), lower case.
    pub method: Option<String>,
    /// Columns carried in the index but not keyed (PostgreSQL `INCLUDE`).
    pub include: Vec<String>,
}

impl Index {
    /// A plain index over `columns`.
    pub fn new<S: AsRef<str>>(name: impl Into<String>, columns: &[S]) -> Index {
        Index {
            name: name.into(),
            columns: columns
                .iter()
                .map(|c| IndexColumn::Name(c.as_ref().to_owned()))
                .collect(),
            unique: false,
            predicate: None,
            method: None,
            include: Vec::new(),
        }
    }

    /// The model's index for a DSL `create_index`.
    pub fn from_definition(i: &migrate_sql::Index) -> Index {
        Index {
            name: i.name.clone(),
            columns: i.columns.clone(),
            unique: i.unique,
            predicate: i.where_clause.clone(),
            method: i.method.map(|m| m.name().to_owned()),
            include: Vec::new(),
        }
    }

    /// The indexed plain columns.
    pub fn column_names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().filter_map(|c| match c {
            IndexColumn::Name(n) => Some(n.as_str()),
            IndexColumn::Expr(_) => None,
        })
    }

    /// Whether every element is a plain column (no expression).
    pub fn is_plain(&self) -> bool {
        self.columns
            .iter()
            .all(|c| matches!(c, IndexColumn::Name(_)))
    }
}
