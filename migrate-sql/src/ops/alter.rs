//! `alter_column`: type, nullability, default, name and comment of an existing column.

use super::{check_name, push_op, Operations, QualifiedName};
use crate::error::{invalid, Result};
use crate::types::Type;
use crate::value::{ColumnDefault, Sql, Value};

/// Changes to one column. Each `Option` left `None` means "unchanged"; defaults and comments
/// use `Some(None)` for "remove".
///
/// The `existing_*` fields describe the column before the change. They make the change
/// reversible, and MySQL needs them: its `MODIFY` restates the whole column, so a type or
/// nullability change there requires the type and nullability the column keeps (and loses a
/// default, comment or AUTO_INCREMENT not restated: give `existing_default`/`existing_comment`
/// to keep them). SQLite renders type, nullability and default changes as a
/// table rebuild (see [`rebuild`](crate::rebuild)).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AlterColumn {
    /// The table.
    pub table: QualifiedName,
    /// The column, by its current name.
    pub column: String,
    /// Rename to.
    pub new_name: Option<String>,
    /// New type.
    pub ty: Option<Type>,
    /// PostgreSQL `USING` expression for the type change.
    pub using: Option<String>,
    /// New nullability.
    pub nullable: Option<bool>,
    /// New default (`Some(None)`: drop it).
    pub default: Option<Option<ColumnDefault>>,
    /// New comment (`Some(None)`: remove it).
    pub comment: Option<Option<String>>,
    /// The type before.
    pub existing_type: Option<Type>,
    /// The nullability before.
    pub existing_nullable: Option<bool>,
    /// The default before (`Some(None)`: it had none).
    pub existing_default: Option<Option<ColumnDefault>>,
    /// The comment before (`Some(None)`: it had none).
    pub existing_comment: Option<Option<String>>,
}

impl AlterColumn {
    /// Change the type.
    pub fn set_type(&mut self, ty: Type) -> &mut Self {
        self.ty = Some(ty);
        self
    }

    /// PostgreSQL: how to convert existing values, e.g. `Sql("amount::numeric(10,2)")`.
    pub fn using<S: AsRef<str>>(&mut self, expr: Sql<S>) -> &mut Self {
        self.using = Some(expr.into_string());
        self
    }

    /// Allow or forbid NULL.
    pub fn set_nullable(&mut self, nullable: bool) -> &mut Self {
        self.nullable = Some(nullable);
        self
    }

    /// A new literal default.
    pub fn set_default(&mut self, value: impl Into<Value>) -> &mut Self {
        self.default = Some(Some(ColumnDefault::Value(value.into())));
        self
    }

    /// A new server default: raw SQL (`Sql("..")`) or a portable [`Default`](enum@crate::Default)
    /// (`Default::Now`), which each dialect writes its own way.
    pub fn set_server_default(&mut self, expr: impl Into<ColumnDefault>) -> &mut Self {
        self.default = Some(Some(expr.into()));
        self
    }

    /// The column's type after the change, as far as known (the new type, else the
    /// existing one); a portable default is written for it.
    pub(crate) fn column_type(&self) -> Type {
        self.ty
            .clone()
            .or_else(|| self.existing_type.clone())
            .unwrap_or_else(|| Type::Custom(String::new()))
    }

    /// Remove the default.
    pub fn drop_default(&mut self) -> &mut Self {
        self.default = Some(None);
        self
    }

    /// Rename the column.
    pub fn rename_to(&mut self, new_name: impl Into<String>) -> &mut Self {
        self.new_name = Some(new_name.into());
        self
    }

    /// Set (`Some`) or remove (`None`) the comment.
    pub fn set_comment(&mut self, comment: Option<&str>) -> &mut Self {
        self.comment = Some(comment.map(str::to_owned));
        self
    }

    /// The type before the change.
    pub fn existing_type(&mut self, ty: Type) -> &mut Self {
        self.existing_type = Some(ty);
        self
    }

    /// The nullability before the change.
    pub fn existing_nullable(&mut self, nullable: bool) -> &mut Self {
        self.existing_nullable = Some(nullable);
        self
    }

    /// The default before the change (`None`: it had none).
    pub fn existing_default(&mut self, default: Option<ColumnDefault>) -> &mut Self {
        self.existing_default = Some(default);
        self
    }

    /// The comment before the change (`None`: it had none).
    pub fn existing_comment(&mut self, comment: Option<&str>) -> &mut Self {
        self.existing_comment = Some(comment.map(str::to_owned));
        self
    }

    /// The column's name after the change.
    pub fn final_name(&self) -> &str {
        self.new_name.as_deref().unwrap_or(&self.column)
    }

    /// Whether anything changes.
    pub fn changes_something(&self) -> bool {
        self.new_name.is_some()
            || self.ty.is_some()
            || self.nullable.is_some()
            || self.default.is_some()
            || self.comment.is_some()
    }

    pub(crate) fn validate(&self) -> Result<()> {
        self.table.validate("table")?;
        check_name("column", &self.column)?;
        if let Some(n) = &self.new_name {
            check_name("new column", n)?;
        }
        if !self.changes_something() {
            return Err(invalid(format!(
                "alter_column {}.{} changes nothing; set a type, nullability, default, name or comment",
                self.table, self.column
            )));
        }
        if self.using.is_some() && self.ty.is_none() {
            return Err(invalid(format!(
                "alter_column {}.{} has a USING expression but no new type; add .set_type(..)",
                self.table, self.column
            )));
        }
        for d in [&self.default, &self.existing_default]
            .into_iter()
            .flatten()
        {
            if let Some(ColumnDefault::Sql(s)) = d {
                super::check_sql("server default", s)?;
            }
        }
        Ok(())
    }
}

impl Operations {
    /// Alter a column; chain the changes (and what the column was, for reversal and MySQL).
    ///
    /// ```
    /// # use migrate_sql::{Operations, Type};
    /// let mut op = Operations::default();
    /// op.alter_column("users", "email")?
    ///     .set_type(Type::Text)
    ///     .existing_type(Type::String(255))
    ///     .set_nullable(true)
    ///     .existing_nullable(false);
    /// # Ok::<(), migrate_sql::Error>(())
    /// ```
    pub fn alter_column(
        &mut self,
        table: impl Into<QualifiedName>,
        column: impl Into<String>,
    ) -> Result<&mut AlterColumn> {
        let table = table.into();
        table.validate("table")?;
        let column = column.into();
        check_name("column", &column)?;
        Ok(push_op!(
            self.ops_mut(),
            AlterColumn,
            AlterColumn {
                table,
                column,
                ..AlterColumn::default()
            }
        ))
    }
}
