//! The dialect trait: the common SQL as default methods, each dialect overriding what it says
//! differently (Alembic's `DefaultImpl` and its per-dialect subclasses, alembic/ddl/impl.py).
//!
//! A dialect is a unit struct in its own file (`sqlite.rs`, `postgres.rs`, `mysql.rs`);
//! [`Dialect::imp`](super::Dialect) is the one place that picks it. Operations with one
//! spelling in two or more dialects are default methods here; the rest are required.

use super::common;
use super::Dialect;
use crate::error::{invalid, Error, Result};
use crate::ops::{
    AddColumn, AddConstraint, AddEnumValue, AlterColumn, Column, CreateEnum, DropColumn,
    DropConstraint, DropEnum, DropIndex, ForeignKey, Index, Operation, QualifiedName, RenameTable,
    SetTableComment, Table,
};
use crate::types::Type;
use crate::value::{ColumnDefault, Value};

/// How one dialect writes SQL. Not public: users pass a [`Dialect`].
pub(crate) trait SqlDialect: Sync {
    /// The public value naming this dialect.
    fn dialect(&self) -> Dialect;

    /// Lowercase name (`sqlite`, `postgresql`, `mysql`), as errors show it.
    fn name(&self) -> &'static str;

    /// Whether DDL is transactional (a migration and its version row commit together).
    fn transactional_ddl(&self) -> bool {
        true
    }

    /// Bind parameter `n` (1-based).
    fn placeholder(&self, _n: usize) -> String {
        "?".to_owned()
    }

    // --- identifiers -------------------------------------------------------------------

    /// The character that opens and closes a quoted identifier (doubled inside).
    fn quote_char(&self) -> char {
        '"'
    }

    /// What this dialect refuses in a name beyond the empty string and NUL bytes (every
    /// dialect's rule, checked first).
    fn check_ident(&self, _name: &str) -> Result<()> {
        Ok(())
    }

    /// The longest name a naming convention may generate (SQLAlchemy's
    /// `max_identifier_length`); `None`: no limit.
    fn max_identifier_length(&self) -> Option<usize> {
        None
    }

    /// Quote an identifier, after the checks.
    fn quote_ident(&self, name: &str) -> Result<String> {
        crate::ops::check_name("identifier", name)?;
        self.check_ident(name)?;
        let q = self.quote_char();
        Ok(format!("{q}{}{q}", name.replace(q, &format!("{q}{q}"))))
    }

    /// Quote a possibly schema-qualified name.
    fn quote_name(&self, name: &QualifiedName) -> Result<String> {
        let base = self.quote_ident(&name.name)?;
        Ok(match &name.schema {
            Some(s) => format!("{}.{base}", self.quote_ident(s)?),
            None => base,
        })
    }

    /// Quoted names joined by `, `.
    fn ident_list(&self, names: &[String]) -> Result<String> {
        Ok(names
            .iter()
            .map(|n| self.quote_ident(n))
            .collect::<Result<Vec<_>>>()?
            .join(", "))
    }

    // --- literals ------------------------------------------------------------------------

    /// `TRUE`/`FALSE`.
    fn bool_literal(&self, b: bool) -> &'static str {
        if b {
            "TRUE"
        } else {
            "FALSE"
        }
    }

    /// A byte string, given as lowercase hex.
    fn bytes_literal(&self, hex: &str) -> String {
        format!("X'{hex}'")
    }

    /// An array value; only dialects with array columns have one.
    fn array_literal(&self, _items: &[Value]) -> Result<String> {
        Err(self.unsupported(
            "Value::Array: only PostgreSQL has arrays; store the list as JSON text (Value::Text) in a Type::Json column",
        ))
    }

    /// A string literal from the text with `'` already doubled (`raw` is the text as given).
    fn quote_string(&self, doubled: &str, _raw: &str) -> String {
        format!("'{doubled}'")
    }

    /// A string literal, escaped.
    fn string_literal(&self, s: &str) -> Result<String> {
        if s.contains('\0') {
            return Err(invalid(format!(
                "text value {s:?} contains a NUL byte, which SQL text cannot hold; use Value::Bytes"
            )));
        }
        Ok(self.quote_string(&s.replace('\'', "''"), s))
    }

    /// Any literal value, escaped.
    fn literal(&self, value: &Value) -> Result<String> {
        Ok(match value {
            Value::Null => "NULL".to_owned(),
            Value::Bool(b) => self.bool_literal(*b).to_owned(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => {
                if !f.is_finite() {
                    return Err(invalid(format!(
                        "float value {f} is not finite; only finite numbers can be written as SQL literals"
                    )));
                }
                format!("{f:?}")
            }
            Value::Text(s) => self.string_literal(s)?,
            Value::Bytes(b) => {
                let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
                self.bytes_literal(&hex)
            }
            Value::Array(items) => self.array_literal(items)?,
        })
    }

    // --- types and defaults --------------------------------------------------------------

    /// A column type; the default knows the standard SQL names
    /// ([`common::standard_type_sql`]).
    fn type_sql(&self, ty: &Type) -> Result<String> {
        common::standard_type_sql(self, ty)
    }

    /// [`Default::Now`](crate::Default::Now) on a column of type `ty`.
    fn now_sql(&self, _ty: &Type) -> String {
        "CURRENT_TIMESTAMP".to_owned()
    }

    /// [`Default::GenRandomUuid`](crate::Default::GenRandomUuid).
    fn random_uuid_sql(&self) -> String;

    /// A column default as written in the catalog (`DEFAULT` without the keyword's syntax).
    fn default_sql(&self, d: &ColumnDefault, ty: &Type) -> Result<String> {
        match d {
            ColumnDefault::Value(v) => self.literal(v),
            ColumnDefault::Sql(s) => Ok(s.clone()),
            ColumnDefault::Portable(p) => Ok(p.sql(self.dialect(), ty)),
        }
    }

    /// The expression after `DEFAULT` in a column definition.
    fn default_clause(&self, d: &ColumnDefault, ty: &Type) -> Result<String> {
        self.default_sql(d, ty)
    }

    // --- column definitions ----------------------------------------------------------

    /// For an autoincrement column: the whole type-and-key spelling that replaces the type,
    /// when the dialect has one (SQLite's rowid alias); the column is then its own key.
    fn autoincrement_type(&self) -> Option<&'static str> {
        None
    }

    /// For an autoincrement column: what follows the type.
    fn autoincrement_after_type(&self) -> &'static str {
        ""
    }

    /// For an autoincrement column: what follows the default.
    fn autoincrement_after_default(&self) -> &'static str {
        ""
    }

    /// What ends a column definition (an enum's CHECK, an inline comment).
    fn column_suffix(&self, _col: &Column) -> Result<String> {
        Ok(String::new())
    }

    /// Checks where an autoincrement column stands in its table; `true` when the column
    /// carries the primary key itself (no separate `PRIMARY KEY (..)` clause).
    fn check_autoincrement(&self, _table: &Table, _col: &Column, _pk: &[&str]) -> Result<bool> {
        Ok(false)
    }

    /// `REFERENCES` target.
    fn references_target(&self, fk: &ForeignKey) -> Result<String> {
        self.quote_name(&fk.ref_table)
    }

    /// Whether a named unique constraint of a new table is created as a unique index instead
    /// (so that its name survives introspection).
    fn named_unique_as_index(&self) -> bool {
        false
    }

    /// What follows `CREATE TABLE ... (..)` (table options, an inline comment).
    fn table_suffix(&self, _table: &Table) -> Result<String> {
        Ok(String::new())
    }

    /// Statements after `CREATE TABLE` (comments a dialect states on their own).
    fn after_create_table(&self, _table: &Table) -> Result<Vec<String>> {
        Ok(Vec::new())
    }

    /// Rows per multi-row `INSERT` and bytes per statement, at most; `None`: one row each.
    fn insert_batch(&self) -> Option<(usize, usize)> {
        None
    }

    // --- operations ------------------------------------------------------------------

    /// The table to rebuild to apply `op` online (SQLite's move and copy), if any.
    fn rebuild_target<'a>(&self, _op: &'a Operation) -> Option<&'a QualifiedName> {
        None
    }

    /// The table whose rebuild `op` needs even in an offline script (no statement of its own).
    fn needs_rebuild<'a>(&self, op: &'a Operation) -> Option<&'a QualifiedName> {
        self.rebuild_target(op)
    }

    /// Whether `op` cannot run inside a transaction block.
    fn must_run_outside_transaction(&self, _op: &Operation) -> bool {
        false
    }

    fn create_table(&self, t: &Table) -> Result<Vec<String>> {
        common::create_table(self, t)
    }

    fn rename_table(&self, r: &RenameTable) -> Result<Vec<String>> {
        Ok(vec![format!(
            "ALTER TABLE {} RENAME TO {}",
            self.quote_name(&r.table)?,
            self.quote_ident(&r.new_name)?
        )])
    }

    fn add_column(&self, a: &AddColumn) -> Result<Vec<String>> {
        let mut s = format!(
            "ALTER TABLE {} ADD COLUMN {}",
            self.quote_name(&a.table)?,
            common::column_def(self, &a.column, a.column.primary_key)?
        );
        if let Some(fk) = &a.column.references {
            s.push(' ');
            s.push_str(&common::inline_references(self, fk)?);
        }
        Ok(vec![s])
    }

    fn drop_column(&self, d: &DropColumn) -> Result<Vec<String>> {
        Ok(vec![format!(
            "ALTER TABLE {} DROP COLUMN {}",
            self.quote_name(&d.table)?,
            self.quote_ident(&d.column)?
        )])
    }

    fn alter_column(&self, a: &AlterColumn) -> Result<Vec<String>>;

    fn create_index(&self, i: &Index) -> Result<Vec<String>>;

    fn drop_index(&self, d: &DropIndex) -> Result<Vec<String>> {
        Ok(vec![format!(
            "DROP INDEX {}{}",
            if d.if_exists { "IF EXISTS " } else { "" },
            self.quote_name(&d.table.sibling(&d.name))?
        )])
    }

    fn add_constraint(&self, c: &AddConstraint) -> Result<Vec<String>> {
        Ok(vec![format!(
            "ALTER TABLE {} ADD {}",
            self.quote_name(&c.table)?,
            common::constraint_sql(self, &c.constraint)?
        )])
    }

    fn drop_constraint(&self, d: &DropConstraint) -> Result<Vec<String>> {
        Ok(vec![format!(
            "ALTER TABLE {} DROP CONSTRAINT {}",
            self.quote_name(&d.table)?,
            self.quote_ident(&d.name)?
        )])
    }

    /// Enum types: none of their own by default (the values live on the column).
    fn create_enum(&self, _e: &CreateEnum) -> Result<Vec<String>> {
        Ok(Vec::new())
    }

    fn drop_enum(&self, _e: &DropEnum) -> Result<Vec<String>> {
        Ok(Vec::new())
    }

    /// Table comments: none kept by default.
    fn set_table_comment(&self, _c: &SetTableComment) -> Result<Vec<String>> {
        Ok(Vec::new())
    }

    /// `CREATE`/`DROP EXTENSION` (`op`): only PostgreSQL has extensions.
    fn extension(&self, op: &Operation) -> Result<Vec<String>> {
        Err(self.unsupported(&format!(
            "{}: only PostgreSQL has extensions; record it only when op.dialect() is Dialect::Postgres",
            op.describe()
        )))
    }

    /// `ALTER TYPE .. ADD VALUE`; `what` describes the operation for errors.
    fn add_enum_value(&self, e: &AddEnumValue, what: &str) -> Result<Vec<String>>;

    /// An operation as SQL statements (raw SQL, bulk inserts and Rust steps are handled by
    /// [`Operation::render`] before this).
    fn render(&self, op: &Operation) -> Result<Vec<String>> {
        if let Some(table) = self.needs_rebuild(op) {
            return Err(Error::NeedsRebuild {
                table: table.to_string(),
                operation: op.describe(),
            });
        }
        match op {
            Operation::CreateTable(t) => self.create_table(t),
            Operation::DropTable(d) => Ok(vec![common::drop_table(self, d)?]),
            Operation::RenameTable(r) => self.rename_table(r),
            Operation::AddColumn(a) => self.add_column(a),
            Operation::DropColumn(d) => self.drop_column(d),
            Operation::AlterColumn(a) => self.alter_column(a),
            Operation::CreateIndex(i) => self.create_index(i),
            Operation::DropIndex(d) => self.drop_index(d),
            Operation::AddConstraint(c) => self.add_constraint(c),
            Operation::DropConstraint(d) => self.drop_constraint(d),
            Operation::CreateEnum(e) => self.create_enum(e),
            Operation::DropEnum(e) => self.drop_enum(e),
            Operation::SetTableComment(c) => self.set_table_comment(c),
            Operation::CreateExtension(_) | Operation::DropExtension(_) => self.extension(op),
            Operation::AddEnumValue(e) => self.add_enum_value(e, &op.describe()),
            Operation::Execute { .. }
            | Operation::BulkInsert { .. }
            | Operation::Callback { .. } => Ok(Vec::new()),
        }
    }

    /// An error saying this dialect cannot do what `message` says.
    fn unsupported(&self, message: &str) -> Error {
        Error::Unsupported {
            dialect: self.name(),
            message: message.to_owned(),
        }
    }
}
