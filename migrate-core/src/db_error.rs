//! The database's own error, kept whole: its message, and where the database gives them the
//! detail, the hint and the names of the objects concerned (PostgreSQL's `DETAIL`/`HINT`).

use std::fmt;

/// What kind of failure the database reported, where it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DatabaseErrorKind {
    /// A unique constraint or index was violated.
    UniqueViolation,
    /// A foreign key was violated.
    ForeignKeyViolation,
    /// A NOT NULL column got a NULL.
    NotNullViolation,
    /// A CHECK constraint was violated.
    CheckViolation,
    /// A serializable transaction could not be serialized; retrying may succeed.
    SerializationFailure,
    /// The database is read-only.
    ReadOnly,
    /// The connection was closed.
    ClosedConnection,
    /// Anything else.
    Other,
}

/// A database error, as the database reported it.
///
/// `Display` is one line: the message, then `; DETAIL: ...` and `; HINT: ...` when the
/// database gave them (PostgreSQL's `Key (hash)=(h1) is duplicated.`), line breaks folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseError(Box<Info>);

/// Boxed: errors travel in `Result`s, which should stay small.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Info {
    kind: DatabaseErrorKind,
    message: String,
    detail: Option<String>,
    hint: Option<String>,
    table: Option<String>,
    column: Option<String>,
    constraint: Option<String>,
}

impl DatabaseError {
    /// What kind of failure it was.
    pub fn kind(&self) -> DatabaseErrorKind {
        self.0.kind
    }

    /// The database's primary message.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The database's detail line (PostgreSQL `DETAIL`), if any.
    pub fn detail(&self) -> Option<&str> {
        self.0.detail.as_deref()
    }

    /// The database's hint (PostgreSQL `HINT`), if any.
    pub fn hint(&self) -> Option<&str> {
        self.0.hint.as_deref()
    }

    /// The table concerned, where the database names it.
    pub fn table(&self) -> Option<&str> {
        self.0.table.as_deref()
    }

    /// The column concerned, where the database names it.
    pub fn column(&self) -> Option<&str> {
        self.0.column.as_deref()
    }

    /// The constraint concerned, where the database names it.
    pub fn constraint(&self) -> Option<&str> {
        self.0.constraint.as_deref()
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl fmt::Display for DatabaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&one_line(&self.0.message))?;
        if let Some(detail) = &self.0.detail {
            write!(f, "; DETAIL: {}", one_line(detail))?;
        }
        if let Some(hint) = &self.0.hint {
            write!(f, "; HINT: {}", one_line(hint))?;
        }
        Ok(())
    }
}

impl std::error::Error for DatabaseError {}

impl From<diesel::result::Error> for DatabaseError {
    fn from(e: diesel::result::Error) -> DatabaseError {
        use diesel::result::DatabaseErrorKind as D;
        match e {
            diesel::result::Error::DatabaseError(kind, info) => {
                let kind = match kind {
                    D::UniqueViolation => DatabaseErrorKind::UniqueViolation,
                    D::ForeignKeyViolation => DatabaseErrorKind::ForeignKeyViolation,
                    D::NotNullViolation => DatabaseErrorKind::NotNullViolation,
                    D::CheckViolation => DatabaseErrorKind::CheckViolation,
                    D::SerializationFailure => DatabaseErrorKind::SerializationFailure,
                    D::ReadOnlyTransaction => DatabaseErrorKind::ReadOnly,
                    D::ClosedConnection => DatabaseErrorKind::ClosedConnection,
                    _ => DatabaseErrorKind::Other,
                };
                let owned = |s: Option<&str>| s.map(str::to_owned).filter(|s| !s.is_empty());
                DatabaseError(Box::new(Info {
                    kind,
                    message: info.message().to_owned(),
                    detail: owned(info.details()),
                    hint: owned(info.hint()),
                    table: owned(info.table_name()),
                    column: owned(info.column_name()),
                    constraint: owned(info.constraint_name()),
                }))
            }
            other => DatabaseError(Box::new(Info {
                kind: DatabaseErrorKind::Other,
                message: other.to_string(),
                detail: None,
                hint: None,
                table: None,
                column: None,
                constraint: None,
            })),
        }
    }
}
