//! MySQL / MariaDB: backtick quoting, `AUTO_INCREMENT`, inline `ENUM(..)` and `COMMENT`,
//! `MODIFY`/`CHANGE` that restate the whole column, a distinct `DROP` per constraint kind, and
//! multi-row `INSERT`s.

use super::base::SqlDialect;
use super::common::{column_def, constraint_sql, index_columns, literal_list, standard_type_sql};
use super::Dialect;
use crate::error::{invalid, Result};
use crate::ops::{
    AddColumn, AddEnumValue, AlterColumn, Column, Constraint, ConstraintType, DropColumn,
    DropConstraint, DropIndex, ForeignKey, Index, IndexMethod, RenameTable, SetTableComment, Table,
};
use crate::types::Type;

/// MySQL and MariaDB.
pub(super) struct Mysql;

/// Rows per multi-row `INSERT`, at most.
pub(crate) const BATCH_ROWS: usize = 1000;
/// Bytes per multi-row `INSERT`, at most (unless one row is longer): well under the smallest
/// `max_allowed_packet` default (1 MiB in MySQL 5.x; 16 MiB in MariaDB, 64 MiB in MySQL 8).
pub(crate) const BATCH_BYTES: usize = 512 * 1024;

/// The longest name MySQL and MariaDB take, in characters.
const MAX_NAME_CHARS: usize = 64;

impl SqlDialect for Mysql {
    fn dialect(&self) -> Dialect {
        Dialect::Mysql
    }

    fn name(&self) -> &'static str {
        "mysql"
    }

    /// Each DDL statement commits.
    fn transactional_ddl(&self) -> bool {
        false
    }

    fn quote_char(&self) -> char {
        '`'
    }

    fn check_ident(&self, name: &str) -> Result<()> {
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(invalid(format!(
                "mysql: identifier {name:?} is longer than 64 characters; use a shorter name"
            )));
        }
        if name.ends_with(' ') {
            return Err(invalid(format!(
                "mysql: identifier {name:?} ends with a space, which MySQL does not allow"
            )));
        }
        if name.chars().any(|c| u32::from(c) > 0xFFFF) {
            return Err(invalid(format!(
                "mysql: identifier {name:?} has a character outside the Basic Multilingual Plane, which MySQL does not allow in names"
            )));
        }
        Ok(())
    }

    fn max_identifier_length(&self) -> Option<usize> {
        Some(MAX_NAME_CHARS)
    }

    /// '' is understood with and without NO_BACKSLASH_ESCAPES; backslashes must be doubled
    /// because that mode is off by default.
    fn quote_string(&self, doubled: &str, _raw: &str) -> String {
        format!("'{}'", doubled.replace('\\', "\\\\"))
    }

    fn type_sql(&self, ty: &Type) -> Result<String> {
        Ok(match ty {
            Type::Integer => "INT".into(),
            Type::Boolean => "BOOL".into(),
            // Plain TEXT holds 64 KB; `Type::Text` means text of any length, as on the others.
            Type::Text => "LONGTEXT".into(),
            Type::Float => "FLOAT".into(),
            Type::Double => "DOUBLE".into(),
            Type::Time => "TIME(6)".into(),
            Type::Timestamp | Type::TimestampTz => "DATETIME(6)".into(),
            Type::Uuid => "CHAR(36)".into(),
            Type::Json | Type::Jsonb => "JSON".into(),
            Type::Binary => "LONGBLOB".into(),
            Type::Enum { values, .. } => format!("ENUM({})", literal_list(self, values)?),
            Type::Array(_) => return Err(self.unsupported(
                "Type::Array: MySQL and MariaDB have no array columns; use Type::Json for a list",
            )),
            other => standard_type_sql(self, other)?,
        })
    }

    /// MySQL refuses a bare CURRENT_TIMESTAMP on DATETIME(6) ("Invalid default value"); the
    /// precision must match the column's (MariaDB stores it so too).
    fn now_sql(&self, ty: &Type) -> String {
        match ty {
            Type::Timestamp | Type::TimestampTz => "CURRENT_TIMESTAMP(6)".to_owned(),
            _ => "CURRENT_TIMESTAMP".to_owned(),
        }
    }

    /// MySQL 8 wants an expression default in parentheses; MariaDB accepts both.
    fn random_uuid_sql(&self) -> String {
        "(UUID())".to_owned()
    }

    fn autoincrement_after_default(&self) -> &'static str {
        " AUTO_INCREMENT"
    }

    fn column_suffix(&self, col: &Column) -> Result<String> {
        Ok(match &col.comment {
            Some(c) => format!(" COMMENT {}", self.string_literal(c)?),
            None => String::new(),
        })
    }

    fn check_autoincrement(&self, t: &Table, a: &Column, pk: &[&str]) -> Result<bool> {
        if !pk.contains(&a.name.as_str()) {
            return Err(self.unsupported(&format!(
                "AUTO_INCREMENT column {:?} of table {} must be in the primary key",
                a.name, t.name
            )));
        }
        Ok(false)
    }

    fn table_suffix(&self, t: &Table) -> Result<String> {
        Ok(match &t.comment {
            Some(c) => format!(" COMMENT={}", self.string_literal(c)?),
            None => String::new(),
        })
    }

    fn insert_batch(&self) -> Option<(usize, usize)> {
        Some((BATCH_ROWS, BATCH_BYTES))
    }

    fn rename_table(&self, r: &RenameTable) -> Result<Vec<String>> {
        Ok(vec![format!(
            "RENAME TABLE {} TO {}",
            self.quote_name(&r.table)?,
            self.quote_name(&r.table.sibling(&r.new_name))?
        )])
    }

    /// MySQL parses and ignores inline REFERENCES; the key must be its own clause.
    fn add_column(&self, a: &AddColumn) -> Result<Vec<String>> {
        let mut s = format!(
            "ALTER TABLE {} ADD COLUMN {}",
            self.quote_name(&a.table)?,
            column_def(self, &a.column, a.column.primary_key)?
        );
        if let Some(fk) = &a.column.references {
            s.push_str(", ADD ");
            s.push_str(&constraint_sql(self, &Constraint::ForeignKey(fk.clone()))?);
        }
        Ok(vec![s])
    }

    /// MySQL refuses to drop a column a foreign key uses; drop the key with it when the
    /// definition names it.
    fn drop_column(&self, d: &DropColumn) -> Result<Vec<String>> {
        let fk = match d.definition.as_ref().and_then(|c| c.references.as_ref()) {
            Some(ForeignKey { name: Some(n), .. }) => {
                format!("DROP FOREIGN KEY {}, ", self.quote_ident(n)?)
            }
            _ => String::new(),
        };
        Ok(vec![format!(
            "ALTER TABLE {} {fk}DROP COLUMN {}",
            self.quote_name(&d.table)?,
            self.quote_ident(&d.column)?
        )])
    }

    fn alter_column(&self, a: &AlterColumn) -> Result<Vec<String>> {
        alter_column(a)
    }

    fn create_index(&self, i: &Index) -> Result<Vec<String>> {
        if i.where_clause.is_some() {
            return Err(self.unsupported(&format!(
                "index {} is partial (WHERE ..), which MySQL and MariaDB do not have; drop the predicate for this dialect",
                i.name
            )));
        }
        let using = match i.method {
            None => "",
            Some(IndexMethod::Btree) => " USING BTREE",
            // InnoDB accepts USING HASH and silently builds a B-tree: refuse rather than write
            // SQL that does not do what it says.
            Some(m) => {
                return Err(self.unsupported(&format!(
                    "index {} uses {}, which InnoDB does not build (MySQL and MariaDB index with B-trees); drop .using(..) for this dialect{}",
                    i.name,
                    m.name(),
                    if m == IndexMethod::Gin { ", or use a FULLTEXT index through op.execute" } else { "" }
                )))
            }
        };
        Ok(vec![format!(
            "CREATE {}INDEX {}{} ON {} ({}){using}",
            if i.unique { "UNIQUE " } else { "" },
            if i.if_not_exists {
                "IF NOT EXISTS "
            } else {
                ""
            },
            self.quote_ident(&i.name)?,
            self.quote_name(&i.table)?,
            index_columns(self, i)?
        )])
    }

    fn drop_index(&self, d: &DropIndex) -> Result<Vec<String>> {
        Ok(vec![format!(
            "DROP INDEX {}{} ON {}",
            if d.if_exists { "IF EXISTS " } else { "" },
            self.quote_ident(&d.name)?,
            self.quote_name(&d.table)?
        )])
    }

    fn drop_constraint(&self, d: &DropConstraint) -> Result<Vec<String>> {
        let name = self.quote_ident(&d.name)?;
        let what = match d.kind {
            ConstraintType::ForeignKey => format!("DROP FOREIGN KEY {name}"),
            ConstraintType::Unique => format!("DROP INDEX {name}"),
            ConstraintType::Check => format!("DROP CONSTRAINT {name}"),
            ConstraintType::PrimaryKey => "DROP PRIMARY KEY".to_owned(),
        };
        Ok(vec![format!(
            "ALTER TABLE {} {what}",
            self.quote_name(&d.table)?
        )])
    }

    fn set_table_comment(&self, c: &SetTableComment) -> Result<Vec<String>> {
        Ok(vec![format!(
            "ALTER TABLE {} COMMENT = {}",
            self.quote_name(&c.table)?,
            self.string_literal(c.comment.as_deref().unwrap_or(""))?
        )])
    }

    fn add_enum_value(&self, _e: &AddEnumValue, what: &str) -> Result<Vec<String>> {
        Err(self.unsupported(&format!(
            "{what}: MySQL/MariaDB keep an enum's values on each column: change each column with alter_column(..).set_type(Type::enumeration(..)).existing_nullable(..)"
        )))
    }
}

/// MySQL's MODIFY/CHANGE replaces the whole column definition, so everything the column keeps
/// must be restated from the `existing_*` values.
fn alter_column(a: &AlterColumn) -> Result<Vec<String>> {
    let d = &Mysql;
    let table = d.quote_name(&a.table)?;
    let col = d.quote_ident(&a.column)?;
    let restate = a.ty.is_some() || a.nullable.is_some() || a.comment.is_some();
    let mut out = Vec::new();
    if restate {
        let what = format!("alter_column {}.{}", a.table, a.column);
        let ty =
            a.ty.clone()
                .or_else(|| a.existing_type.clone())
                .ok_or_else(|| {
                    d.unsupported(&format!(
                        "{what}: MySQL restates the whole column; give .existing_type(..)"
                    ))
                })?;
        let nullable = a.nullable.or(a.existing_nullable).ok_or_else(|| {
            d.unsupported(&format!(
                "{what}: MySQL restates the whole column; give .existing_nullable(..)"
            ))
        })?;
        let mut c = Column::new(a.final_name(), ty);
        c.nullable = nullable;
        c.default = a
            .default
            .clone()
            .or_else(|| a.existing_default.clone())
            .flatten();
        c.comment = a
            .comment
            .clone()
            .or_else(|| a.existing_comment.clone())
            .flatten();
        let def = column_def(d, &c, false)?;
        out.push(match &a.new_name {
            Some(_) => format!("ALTER TABLE {table} CHANGE COLUMN {col} {def}"),
            None => format!("ALTER TABLE {table} MODIFY COLUMN {def}"),
        });
    } else {
        match &a.default {
            Some(Some(def)) => out.push(format!(
                "ALTER TABLE {table} ALTER COLUMN {col} SET DEFAULT {}",
                d.default_clause(def, &a.column_type())?
            )),
            Some(None) => out.push(format!(
                "ALTER TABLE {table} ALTER COLUMN {col} DROP DEFAULT"
            )),
            None => {}
        }
        if let Some(n) = &a.new_name {
            out.push(format!(
                "ALTER TABLE {table} RENAME COLUMN {col} TO {}",
                d.quote_ident(n)?
            ));
        }
    }
    Ok(out)
}
