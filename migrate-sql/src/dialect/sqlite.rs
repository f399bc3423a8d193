//! SQLite: `INTEGER PRIMARY KEY AUTOINCREMENT`, enums as CHECK, no comments, and a table
//! rebuild for what its `ALTER TABLE` cannot do (see [`crate::rebuild`]).

use super::base::SqlDialect;
use super::common::{literal_list, standard_type_sql};
use super::Dialect;
use crate::error::Result;
use crate::ops::{
    AddConstraint, AddEnumValue, AlterColumn, Column, Constraint, ConstraintType, DropConstraint,
    ForeignKey, Index, Operation, QualifiedName, Table,
};
use crate::types::Type;
use crate::value::ColumnDefault;

/// SQLite 3.
pub(super) struct Sqlite;

/// SQLite: a random version-4 UUID in canonical text form (`xxxxxxxx-xxxx-4xxx-yxxx-...`,
/// lower case), from `randomblob()` and `random()`, which SQLite evaluates per row in a
/// DEFAULT clause.
const UUID_V4: &str = "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))";

impl SqlDialect for Sqlite {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn name(&self) -> &'static str {
        "sqlite"
    }

    fn bool_literal(&self, b: bool) -> &'static str {
        if b {
            "1"
        } else {
            "0"
        }
    }

    fn type_sql(&self, ty: &Type) -> Result<String> {
        Ok(match ty {
            Type::Text | Type::TimestampTz | Type::Uuid | Type::Json | Type::Jsonb => "TEXT".into(),
            Type::Enum { .. } => "TEXT".into(),
            Type::Double => "DOUBLE".into(),
            Type::Binary => "BLOB".into(),
            Type::Array(_) => {
                return Err(self.unsupported(
                    "Type::Array: SQLite has no array columns; use Type::Json for a list",
                ))
            }
            other => standard_type_sql(self, other)?,
        })
    }

    fn random_uuid_sql(&self) -> String {
        format!("({UUID_V4})")
    }

    /// SQLite's grammar wants an expression in parentheses, so a raw default that is not a
    /// lone keyword, number or literal is wrapped (as SQLAlchemy does).
    fn default_clause(&self, def: &ColumnDefault, ty: &Type) -> Result<String> {
        if let ColumnDefault::Sql(raw) = def {
            let t = raw.trim_start();
            let quoted = t.starts_with(['\'', '"', '(']);
            let simple = t
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '-');
            if !quoted && !simple {
                return Ok(format!("({raw})"));
            }
        }
        self.default_sql(def, ty)
    }

    /// Only the exact spelling INTEGER makes the column the rowid alias.
    fn autoincrement_type(&self) -> Option<&'static str> {
        Some("INTEGER PRIMARY KEY AUTOINCREMENT")
    }

    fn column_suffix(&self, col: &Column) -> Result<String> {
        Ok(match &col.ty {
            Type::Enum { values, .. } => format!(
                " CHECK ({} IN ({}))",
                self.quote_ident(&col.name)?,
                literal_list(self, values)?
            ),
            _ => String::new(),
        })
    }

    fn check_autoincrement(&self, t: &Table, a: &Column, pk: &[&str]) -> Result<bool> {
        if pk != [a.name.as_str()] {
            return Err(self.unsupported(&format!(
                "autoincrement column {:?} of table {} must be the whole primary key on SQLite",
                a.name, t.name
            )));
        }
        Ok(true)
    }

    /// SQLite resolves REFERENCES in the referencing table's own schema; it cannot qualify it.
    fn references_target(&self, fk: &ForeignKey) -> Result<String> {
        self.quote_ident(&fk.ref_table.name)
    }

    fn named_unique_as_index(&self) -> bool {
        true
    }

    fn rebuild_target<'a>(&self, op: &'a Operation) -> Option<&'a QualifiedName> {
        rebuild_target(op)
    }

    /// Online, the executor rebuilds for DROP COLUMN too. Offline there is no table to
    /// introspect, so the script gets SQLite's own DROP COLUMN, which works unless the column
    /// is indexed, unique, a key, or used by a foreign key or CHECK.
    fn needs_rebuild<'a>(&self, op: &'a Operation) -> Option<&'a QualifiedName> {
        rebuild_target(op).filter(|_| !matches!(op, Operation::DropColumn(_)))
    }

    /// Only a rename or a comment reach here (the rest is a rebuild); SQLite keeps no
    /// comments.
    fn alter_column(&self, a: &AlterColumn) -> Result<Vec<String>> {
        Ok(match &a.new_name {
            Some(n) => vec![format!(
                "ALTER TABLE {} RENAME COLUMN {} TO {}",
                self.quote_name(&a.table)?,
                self.quote_ident(&a.column)?,
                self.quote_ident(n)?
            )],
            None => Vec::new(),
        })
    }

    fn create_index(&self, i: &Index) -> Result<Vec<String>> {
        Ok(vec![index_sql(i)?])
    }

    /// A unique constraint is kept as a unique index, so its name survives PRAGMA
    /// introspection and it can be dropped by name (the other kinds are rebuilds).
    fn add_constraint(&self, c: &AddConstraint) -> Result<Vec<String>> {
        Ok(match &c.constraint {
            Constraint::Unique(u) => vec![format!(
                "CREATE UNIQUE INDEX {} ON {} ({})",
                self.quote_name(&c.table.sibling(c.constraint.name()))?,
                self.quote_ident(&c.table.name)?,
                self.ident_list(&u.columns)?
            )],
            _ => Vec::new(),
        })
    }

    fn drop_constraint(&self, d: &DropConstraint) -> Result<Vec<String>> {
        Ok(vec![format!(
            "DROP INDEX {}",
            self.quote_name(&d.table.sibling(&d.name))?
        )])
    }

    fn add_enum_value(&self, _e: &AddEnumValue, what: &str) -> Result<Vec<String>> {
        Err(self.unsupported(&format!(
            "{what}: SQLite keeps an enum's values in each column's CHECK: change each column with alter_column(..).set_type(Type::enumeration(..)) (a table rebuild)"
        )))
    }
}

/// The table to rebuild when SQLite's ALTER TABLE cannot apply `op` in place.
fn rebuild_target(op: &Operation) -> Option<&QualifiedName> {
    match op {
        Operation::AlterColumn(a)
            if a.ty.is_some() || a.nullable.is_some() || a.default.is_some() =>
        {
            Some(&a.table)
        }
        // ADD COLUMN refuses PRIMARY KEY, UNIQUE, NOT NULL without a default and
        // non-constant defaults; a rebuild handles them all.
        Operation::AddColumn(a) => {
            let c = &a.column;
            let needs = c.primary_key
                || c.unique
                || c.autoincrement
                || (!c.nullable && c.default.is_none())
                || matches!(
                    c.default,
                    Some(ColumnDefault::Sql(_) | ColumnDefault::Portable(_))
                );
            needs.then_some(&a.table)
        }
        // Native DROP COLUMN refuses columns that are indexed, unique, keys, or used by a
        // foreign key or CHECK; the rebuild drops what depends on the column, as PostgreSQL
        // does.
        Operation::DropColumn(d) => Some(&d.table),
        Operation::AddConstraint(c) if c.constraint.kind() != ConstraintType::Unique => {
            Some(&c.table)
        }
        Operation::DropConstraint(d) if d.kind != ConstraintType::Unique => Some(&d.table),
        _ => None,
    }
}

/// `CREATE INDEX`; SQLite puts the schema on the index name, never on the table.
pub(crate) fn index_sql(i: &Index) -> Result<String> {
    let d = &Sqlite;
    match i.method {
        None | Some(crate::ops::IndexMethod::Btree) => {}
        Some(m) => {
            return Err(d.unsupported(&format!(
                "index {} uses {}, which SQLite does not have (every SQLite index is a B-tree); drop .using(..) for this dialect",
                i.name,
                m.name()
            )))
        }
    }
    Ok(format!(
        "CREATE {}INDEX {}{} ON {} ({}){}",
        if i.unique { "UNIQUE " } else { "" },
        if i.if_not_exists {
            "IF NOT EXISTS "
        } else {
            ""
        },
        d.quote_name(&i.table.sibling(&i.name))?,
        d.quote_ident(&i.table.name)?,
        super::common::index_columns(d, i)?,
        match &i.where_clause {
            Some(w) => format!(" WHERE {w}"),
            None => String::new(),
        }
    ))
}
