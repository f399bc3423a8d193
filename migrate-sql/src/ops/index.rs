//! Indexes: `create_index` (unique, partial, expression, concurrently) and `drop_index`.

use super::{check_name, check_sql, push_op, Operations, QualifiedName};
use crate::error::{invalid, Result};
use crate::value::Sql;

/// One indexed element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexColumn {
    /// A column, quoted.
    Name(String),
    /// A raw SQL expression, e.g. `lower(email)`.
    Expr(String),
}

/// An index access method (PostgreSQL `CREATE INDEX .. USING method`; see PostgreSQL's
/// "Index Types" chapter). `Btree` is every dialect's default; the others are PostgreSQL's
/// alone, and MySQL/MariaDB and SQLite refuse them when rendering (InnoDB would silently
/// build a B-tree for `USING HASH`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IndexMethod {
    /// B-tree, the default.
    Btree,
    /// Hash (equality only).
    Hash,
    /// GIN: arrays, `jsonb`, full-text search.
    Gin,
    /// GiST: geometry, ranges, nearest-neighbour.
    Gist,
    /// SP-GiST: space-partitioned trees.
    SpGist,
    /// BRIN: block ranges of large, naturally ordered tables.
    Brin,
}

impl IndexMethod {
    /// The method's name as PostgreSQL's `pg_am.amname` has it (`btree`, `gin`, ...).
    pub fn name(self) -> &'static str {
        match self {
            IndexMethod::Btree => "btree",
            IndexMethod::Hash => "hash",
            IndexMethod::Gin => "gin",
            IndexMethod::Gist => "gist",
            IndexMethod::SpGist => "spgist",
            IndexMethod::Brin => "brin",
        }
    }
}

/// `CREATE INDEX`.
#[derive(Debug, Clone, PartialEq)]
pub struct Index {
    /// Index name (lives in the table's schema).
    pub name: String,
    /// The table.
    pub table: QualifiedName,
    /// What is indexed, in order.
    pub columns: Vec<IndexColumn>,
    /// `UNIQUE`.
    pub unique: bool,
    /// Partial index predicate, raw SQL (PostgreSQL, SQLite; MySQL has none).
    pub where_clause: Option<String>,
    /// PostgreSQL `CONCURRENTLY` (the migration must be `transactional = false`).
    pub concurrently: bool,
    /// `IF NOT EXISTS` (PostgreSQL, SQLite).
    pub if_not_exists: bool,
    /// The access method (`USING ..`); `None` is the dialect's default (a B-tree).
    pub method: Option<IndexMethod>,
}

impl Index {
    fn new<S: AsRef<str>>(name: &str, table: QualifiedName, columns: &[S]) -> Index {
        Index {
            name: name.to_owned(),
            table,
            columns: columns
                .iter()
                .map(|c| IndexColumn::Name(c.as_ref().to_owned()))
                .collect(),
            unique: false,
            where_clause: None,
            concurrently: false,
            if_not_exists: false,
            method: None,
        }
    }

    /// The access method, e.g. `.using(IndexMethod::Gin)` for an array or `jsonb` column
    /// (PostgreSQL; MySQL/MariaDB and SQLite accept only `Btree`).
    ///
    /// ```
    /// # use migrate_sql::{Dialect, IndexMethod, Operations};
    /// let mut op = Operations::default();
    /// op.create_index("ix_posts_tags", "posts", &["tags"])?.using(IndexMethod::Gin);
    /// assert_eq!(
    ///     op.as_slice()[0].render(Dialect::Postgres)?,
    ///     [r#"CREATE INDEX "ix_posts_tags" ON "posts" USING gin ("tags")"#]
    /// );
    /// assert!(op.as_slice()[0].render(Dialect::Mysql).is_err());
    /// # Ok::<(), migrate_sql::Error>(())
    /// ```
    pub fn using(&mut self, method: IndexMethod) -> &mut Self {
        self.method = Some(method);
        self
    }

    /// A UNIQUE index.
    pub fn unique(&mut self) -> &mut Self {
        self.unique = true;
        self
    }

    /// Index an expression (raw SQL) after the columns, e.g. `Sql("lower(email)")`.
    pub fn expression<S: AsRef<str>>(&mut self, expr: Sql<S>) -> &mut Self {
        self.columns.push(IndexColumn::Expr(expr.into_string()));
        self
    }

    /// A partial index: only rows matching the raw SQL predicate.
    pub fn where_sql<S: AsRef<str>>(&mut self, predicate: Sql<S>) -> &mut Self {
        self.where_clause = Some(predicate.into_string());
        self
    }

    /// PostgreSQL `CREATE INDEX CONCURRENTLY`; needs a `transactional = false` migration.
    pub fn concurrently(&mut self) -> &mut Self {
        self.concurrently = true;
        self
    }

    /// `IF NOT EXISTS`.
    pub fn if_not_exists(&mut self) -> &mut Self {
        self.if_not_exists = true;
        self
    }

    pub(crate) fn validate(&self) -> Result<()> {
        check_name("index", &self.name)?;
        self.table.validate("table")?;
        if self.columns.is_empty() {
            return Err(invalid(format!(
                "index {} has no columns; list a column or add .expression(Sql(..))",
                self.name
            )));
        }
        for c in &self.columns {
            match c {
                IndexColumn::Name(n) => check_name("column", n)?,
                IndexColumn::Expr(e) => check_sql("index expression", e)?,
            }
        }
        if let Some(w) = &self.where_clause {
            check_sql("partial index predicate", w)?;
        }
        Ok(())
    }
}

/// `DROP INDEX`; reversible only with the index's definition.
#[derive(Debug, Clone, PartialEq)]
pub struct DropIndex {
    /// Index name.
    pub name: String,
    /// Its table (MySQL needs it; the schema qualifies the index on PostgreSQL and SQLite).
    pub table: QualifiedName,
    /// PostgreSQL `DROP INDEX CONCURRENTLY`.
    pub concurrently: bool,
    /// `IF EXISTS`.
    pub if_exists: bool,
    /// The dropped index, which makes the drop reversible.
    pub definition: Option<Index>,
}

impl DropIndex {
    /// Record the dropped index's columns (makes the drop reversible); chain `unique` etc.
    pub fn definition<S: AsRef<str>>(&mut self, columns: &[S]) -> &mut Index {
        self.definition
            .insert(Index::new(&self.name, self.table.clone(), columns))
    }

    /// PostgreSQL `DROP INDEX CONCURRENTLY`.
    pub fn concurrently(&mut self) -> &mut Self {
        self.concurrently = true;
        self
    }

    /// `IF EXISTS`.
    pub fn if_exists(&mut self) -> &mut Self {
        self.if_exists = true;
        self
    }
}

impl Operations {
    /// Create an index; chain `unique`, `where_sql`, `expression`, `concurrently`.
    ///
    /// ```
    /// # use migrate_sql::{Operations, Sql};
    /// let mut op = Operations::default();
    /// op.create_index("ix_users_email", "users", &["email"])?.unique();
    /// op.create_index("ix_users_lower", "users", &[] as &[&str])?.expression(Sql("lower(email)"));
    /// # Ok::<(), migrate_sql::Error>(())
    /// ```
    pub fn create_index<S: AsRef<str>>(
        &mut self,
        name: &str,
        table: impl Into<QualifiedName>,
        columns: &[S],
    ) -> Result<&mut Index> {
        check_name("index", name)?;
        let table = table.into();
        table.validate("table")?;
        let index = Index::new(name, table, columns);
        for c in &index.columns {
            if let IndexColumn::Name(n) = c {
                check_name("column", n)?;
            }
        }
        Ok(push_op!(self.ops_mut(), CreateIndex, index))
    }

    /// Drop an index of `table`. Irreversible unless given its definition:
    /// `op.drop_index("ix_users_email", "users")?.definition(&["email"]);`
    pub fn drop_index(
        &mut self,
        name: &str,
        table: impl Into<QualifiedName>,
    ) -> Result<&mut DropIndex> {
        check_name("index", name)?;
        let table = table.into();
        table.validate("table")?;
        Ok(push_op!(
            self.ops_mut(),
            DropIndex,
            DropIndex {
                name: name.to_owned(),
                table,
                concurrently: false,
                if_exists: false,
                definition: None
            }
        ))
    }
}
