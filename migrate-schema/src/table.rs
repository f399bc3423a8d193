//! A table: columns in order, keys, constraints, indexes and comment.

use crate::{Check, Column, ForeignKey, Index, PrimaryKey, Rules, UniqueConstraint};
use migrate_sql::QualifiedName;

/// A table as the database has it.
///
/// ```
/// use migrate_schema::{Column, Rules, Table};
/// use migrate_sql::{Dialect, Type};
/// let mut t = Table::new("users");
/// t.columns.push(Column::new("Email", Type::Text));
/// assert!(t.column("email", &Rules::new(Dialect::Mysql)).is_some());
/// assert!(t.column("email", &Rules::new(Dialect::Postgres)).is_none());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Table name, as written.
    pub name: QualifiedName,
    /// Columns, in order.
    pub columns: Vec<Column>,
    /// The primary key.
    pub primary_key: Option<PrimaryKey>,
    /// UNIQUE constraints (a column's `unique` is an unnamed one).
    pub uniques: Vec<UniqueConstraint>,
    /// Indexes.
    pub indexes: Vec<Index>,
    /// Foreign keys (a column's `references` is an unnamed one over that column).
    pub foreign_keys: Vec<ForeignKey>,
    /// CHECK constraints.
    pub checks: Vec<Check>,
    /// Table comment.
    pub comment: Option<String>,
}

impl Table {
    /// An empty table.
    pub fn new(name: impl Into<QualifiedName>) -> Table {
        Table {
            name: name.into(),
            columns: Vec::new(),
            primary_key: None,
            uniques: Vec::new(),
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
            checks: Vec::new(),
            comment: None,
        }
    }

    /// The model's table for a DSL `create_table`: key columns become NOT NULL (every
    /// dialect's `create_table` writes them so), a column's `unique` becomes an unnamed
    /// unique constraint and its `references` an unnamed foreign key.
    pub fn from_definition(t: &migrate_sql::Table) -> Table {
        let pk: Vec<String> = t
            .primary_key_columns()
            .into_iter()
            .map(str::to_owned)
            .collect();
        let columns = t
            .columns
            .iter()
            .map(|c| {
                let mut col = Column::from_definition(c);
                if pk.contains(&c.name) {
                    col.nullable = false;
                }
                col
            })
            .collect();
        let primary_key = (!pk.is_empty()).then(|| PrimaryKey {
            name: t.primary_key.as_ref().and_then(|p| p.name.clone()),
            columns: pk,
        });
        let mut uniques = t.uniques.clone();
        uniques.extend(
            t.columns
                .iter()
                .filter(|c| c.unique)
                .map(|c| UniqueConstraint {
                    name: None,
                    columns: vec![c.name.clone()],
                }),
        );
        Table {
            name: t.name.clone(),
            columns,
            primary_key,
            uniques,
            indexes: Vec::new(),
            foreign_keys: t.all_foreign_keys().cloned().collect(),
            checks: t.checks.clone(),
            comment: t.comment.clone(),
        }
    }

    /// The column called `name` (compared per the dialect's rules).
    pub fn column(&self, name: &str, rules: &Rules) -> Option<&Column> {
        self.columns.iter().find(|c| rules.same_name(&c.name, name))
    }

    /// The column called `name`, mutable.
    pub fn column_mut(&mut self, name: &str, rules: &Rules) -> Option<&mut Column> {
        self.columns
            .iter_mut()
            .find(|c| rules.same_name(&c.name, name))
    }

    /// The index called `name`.
    pub fn index(&self, name: &str, rules: &Rules) -> Option<&Index> {
        self.indexes.iter().find(|i| rules.same_name(&i.name, name))
    }

    /// The primary key's columns (empty without a key).
    pub fn primary_key_columns(&self) -> &[String] {
        self.primary_key.as_ref().map_or(&[], |p| &p.columns)
    }
}
