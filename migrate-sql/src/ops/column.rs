//! Columns: their definition, `add_column` and `drop_column`.

use super::{check_name, push_op, ForeignKey, Operations, QualifiedName};
use crate::error::Result;
use crate::types::Type;
use crate::value::{ColumnDefault, Value};

/// A column definition. Built with [`Table::column`](super::Table::column) or
/// [`Operations::add_column`]; the setters chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Column name.
    pub name: String,
    /// Column type.
    pub ty: Type,
    /// Whether NULL is allowed (the default, as in SQL).
    pub nullable: bool,
    /// Default value.
    pub default: Option<ColumnDefault>,
    /// Part of the primary key.
    pub primary_key: bool,
    /// Database-generated values (identity / AUTO_INCREMENT / SQLite AUTOINCREMENT).
    pub autoincrement: bool,
    /// Single-column UNIQUE constraint.
    pub unique: bool,
    /// Column comment (ignored on SQLite, which has none).
    pub comment: Option<String>,
    /// A foreign key on this column alone.
    pub references: Option<ForeignKey>,
}

impl Column {
    /// A nullable column with no default.
    pub fn new(name: impl Into<String>, ty: Type) -> Column {
        Column {
            name: name.into(),
            ty,
            nullable: true,
            default: None,
            primary_key: false,
            autoincrement: false,
            unique: false,
            comment: None,
            references: None,
        }
    }

    /// `NOT NULL`.
    pub fn not_null(&mut self) -> &mut Self {
        self.nullable = false;
        self
    }

    /// Allow NULL (the default), or not.
    pub fn nullable(&mut self, nullable: bool) -> &mut Self {
        self.nullable = nullable;
        self
    }

    /// Make it (part of) the primary key; implies NOT NULL.
    pub fn primary_key(&mut self) -> &mut Self {
        self.primary_key = true;
        self.nullable = false;
        self
    }

    /// Database-generated values; for an integer primary key column.
    pub fn autoincrement(&mut self) -> &mut Self {
        self.autoincrement = true;
        self
    }

    /// A UNIQUE constraint on this column.
    pub fn unique(&mut self) -> &mut Self {
        self.unique = true;
        self
    }

    /// A literal default, escaped per dialect.
    pub fn default(&mut self, value: impl Into<Value>) -> &mut Self {
        self.default = Some(ColumnDefault::Value(value.into()));
        self
    }

    /// A server-side default: raw SQL, e.g. `Sql("CURRENT_TIMESTAMP")`, or a portable
    /// [`Default`](enum@crate::Default) each dialect writes its own way (`Default::Now`,
    /// `Default::GenRandomUuid`).
    ///
    /// ```
    /// # use migrate_sql::{Default, Dialect, Operations, Type};
    /// let mut op = Operations::default();
    /// op.add_column("users", "token", Type::Uuid)?.server_default(Default::GenRandomUuid);
    /// let sql = op.as_slice()[0].render(Dialect::Postgres)?;
    /// assert_eq!(sql, [r#"ALTER TABLE "users" ADD COLUMN "token" UUID DEFAULT gen_random_uuid()"#]);
    /// # Ok::<(), migrate_sql::Error>(())
    /// ```
    pub fn server_default(&mut self, expr: impl Into<ColumnDefault>) -> &mut Self {
        self.default = Some(expr.into());
        self
    }

    /// A column comment.
    pub fn comment(&mut self, comment: impl Into<String>) -> &mut Self {
        self.comment = Some(comment.into());
        self
    }

    /// A foreign key from this column to `table`.`column`; chain `on_delete` / `on_update` /
    /// `name` on the result.
    pub fn references(
        &mut self,
        table: impl Into<QualifiedName>,
        column: impl Into<String>,
    ) -> &mut ForeignKey {
        self.references.insert(ForeignKey::new(
            vec![self.name.clone()],
            table.into(),
            vec![column.into()],
        ))
    }

    pub(crate) fn validate(&self) -> Result<()> {
        check_name("column", &self.name)?;
        if let Type::Enum { name, values } = &self.ty {
            check_name("enum type", name)?;
            if values.is_empty() {
                return Err(crate::error::invalid(format!(
                    "enum {name:?} of column {:?} has no values; list at least one",
                    self.name
                )));
            }
        }
        if let Type::Custom(t) = &self.ty {
            super::check_sql("custom type", t)?;
        }
        if let Some(ColumnDefault::Sql(s)) = &self.default {
            super::check_sql("server default", s)?;
        }
        if self.autoincrement && !self.ty.is_integer() {
            return Err(crate::error::invalid(format!(
                "column {:?} is autoincrement but not an integer type; use Type::Integer or Type::BigInt",
                self.name
            )));
        }
        if let Some(fk) = &self.references {
            fk.validate()?;
        }
        Ok(())
    }
}

/// `ALTER TABLE ... ADD COLUMN`.
#[derive(Debug, Clone, PartialEq)]
pub struct AddColumn {
    /// The table.
    pub table: QualifiedName,
    /// The new column.
    pub column: Column,
}

/// `ALTER TABLE ... DROP COLUMN`; reversible only with the column's definition.
#[derive(Debug, Clone, PartialEq)]
pub struct DropColumn {
    /// The table.
    pub table: QualifiedName,
    /// The column.
    pub column: String,
    /// The dropped column's definition, which makes the drop reversible.
    pub definition: Option<Column>,
}

impl DropColumn {
    /// Record the dropped column's definition (makes the drop reversible); chain column
    /// options on the result.
    pub fn definition(&mut self, ty: Type) -> &mut Column {
        self.definition.insert(Column::new(self.column.clone(), ty))
    }
}

impl Operations {
    /// Add a column; chain column options on the result.
    ///
    /// ```
    /// # use migrate_sql::{Operations, Type};
    /// let mut op = Operations::default();
    /// op.add_column("users", "nickname", Type::String(40))?.not_null().default("anon");
    /// # Ok::<(), migrate_sql::Error>(())
    /// ```
    pub fn add_column(
        &mut self,
        table: impl Into<QualifiedName>,
        name: impl Into<String>,
        ty: Type,
    ) -> Result<&mut Column> {
        let table = table.into();
        table.validate("table")?;
        let column = Column::new(name, ty);
        column.validate()?;
        let op = push_op!(self.ops_mut(), AddColumn, AddColumn { table, column });
        Ok(&mut op.column)
    }

    /// Drop a column. Irreversible unless its definition is given:
    /// `op.drop_column("users", "nickname")?.definition(Type::Text);`
    pub fn drop_column(
        &mut self,
        table: impl Into<QualifiedName>,
        column: impl Into<String>,
    ) -> Result<&mut DropColumn> {
        let table = table.into();
        table.validate("table")?;
        let column = column.into();
        check_name("column", &column)?;
        Ok(push_op!(
            self.ops_mut(),
            DropColumn,
            DropColumn {
                table,
                column,
                definition: None
            }
        ))
    }
}
