//! Enumerated types: PostgreSQL `CREATE TYPE ... AS ENUM`; MySQL and SQLite keep the values on
//! the column instead (inline `ENUM(..)` / `CHECK (col IN (..))`), so these render nothing there.

use super::{check_name, push_op, Operations, QualifiedName};
use crate::error::{invalid, Result};

/// `CREATE TYPE name AS ENUM (...)` (PostgreSQL only).
#[derive(Debug, Clone, PartialEq)]
pub struct CreateEnum {
    /// Type name.
    pub name: QualifiedName,
    /// Values, in order.
    pub values: Vec<String>,
}

/// `DROP TYPE name` (PostgreSQL only); reversible only with the values.
#[derive(Debug, Clone, PartialEq)]
pub struct DropEnum {
    /// Type name.
    pub name: QualifiedName,
    /// The values, which make the drop reversible.
    pub values: Option<Vec<String>>,
}

impl DropEnum {
    /// Record the dropped type's values (makes the drop reversible).
    pub fn values<S: AsRef<str>>(&mut self, values: &[S]) -> &mut Self {
        self.values = Some(super::strings(values));
        self
    }
}

impl Operations {
    /// Create an enum type (PostgreSQL); a no-op elsewhere. Columns use it as
    /// `Type::Enum { name, values }` with the same name and values.
    pub fn create_enum<S: AsRef<str>>(
        &mut self,
        name: impl Into<QualifiedName>,
        values: &[S],
    ) -> Result<()> {
        let name = name.into();
        name.validate("enum type")?;
        if values.is_empty() {
            return Err(invalid(format!(
                "enum type {name} has no values; list at least one"
            )));
        }
        self.push(super::Operation::CreateEnum(CreateEnum {
            name,
            values: super::strings(values),
        }));
        Ok(())
    }

    /// Drop an enum type (PostgreSQL); a no-op elsewhere.
    pub fn drop_enum(&mut self, name: impl Into<QualifiedName>) -> Result<&mut DropEnum> {
        let name = name.into();
        check_name("enum type", &name.name)?;
        Ok(push_op!(
            self.ops_mut(),
            DropEnum,
            DropEnum { name, values: None }
        ))
    }
}

/// Where [`AddEnumValue`] puts the new value among the existing ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnumPosition {
    /// `BEFORE 'value'`.
    Before(String),
    /// `AFTER 'value'`.
    After(String),
}

/// `ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'value' [BEFORE | AFTER 'other']`
/// (PostgreSQL only; see PostgreSQL's `ALTER TYPE` reference).
///
/// Irreversible: PostgreSQL cannot remove a value from an enum type, so a derived downgrade
/// fails before anything runs; give the migration a `downgrade = fn` that, for instance,
/// creates a new type without the value and moves the columns to it.
///
/// Since PostgreSQL 12 it runs inside a transaction block (this machine's PostgreSQL 15
/// does), but the new value cannot be *used* until that transaction commits: PostgreSQL
/// fails with `unsafe use of new value` otherwise. Use the value in a later migration
/// (with `transaction_per_migration`, the default, each migration commits on its own), or
/// mark the migration `transactional = false`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddEnumValue {
    /// The enum type.
    pub name: QualifiedName,
    /// The new value.
    pub value: String,
    /// Where it goes; at the end when `None`.
    pub position: Option<EnumPosition>,
    /// `IF NOT EXISTS`: no error when the type has the value already.
    pub if_not_exists: bool,
}

impl AddEnumValue {
    /// Put the new value before `other`.
    pub fn before(&mut self, other: impl Into<String>) -> &mut Self {
        self.position = Some(EnumPosition::Before(other.into()));
        self
    }

    /// Put the new value after `other`.
    pub fn after(&mut self, other: impl Into<String>) -> &mut Self {
        self.position = Some(EnumPosition::After(other.into()));
        self
    }

    /// `IF NOT EXISTS`.
    pub fn if_not_exists(&mut self) -> &mut Self {
        self.if_not_exists = true;
        self
    }
}

impl Operations {
    /// Add a value to a PostgreSQL enum type (`ALTER TYPE .. ADD VALUE`); chain
    /// `before(..)` / `after(..)` / `if_not_exists()`. Irreversible (see [`AddEnumValue`]).
    /// MySQL/MariaDB and SQLite keep the values on each column: there, change the columns'
    /// types with `alter_column(..).set_type(Type::enumeration(..))` instead.
    ///
    /// ```
    /// # use migrate_sql::{Dialect, Operations};
    /// let mut op = Operations::default();
    /// op.add_enum_value("mood", "meh")?.after("ok");
    /// assert_eq!(
    ///     op.as_slice()[0].render(Dialect::Postgres)?,
    ///     [r#"ALTER TYPE "mood" ADD VALUE 'meh' AFTER 'ok'"#]
    /// );
    /// assert!(op.as_slice()[0].reverse().is_err(), "PostgreSQL cannot drop an enum value");
    /// # Ok::<(), migrate_sql::Error>(())
    /// ```
    pub fn add_enum_value(
        &mut self,
        name: impl Into<QualifiedName>,
        value: impl Into<String>,
    ) -> Result<&mut AddEnumValue> {
        let name = name.into();
        name.validate("enum type")?;
        let value = value.into();
        if value.is_empty() {
            return Err(invalid(format!(
                "add_enum_value to {name}: the value is empty; give the new value"
            )));
        }
        Ok(push_op!(
            self.ops_mut(),
            AddEnumValue,
            AddEnumValue {
                name,
                value,
                position: None,
                if_not_exists: false,
            }
        ))
    }
}
