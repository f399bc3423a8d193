//! From a Diesel type in `schema.rs` to the DSL's [`Type`] that the database, once migrated,
//! reports back as that same Diesel type.
//!
//! The rule is a round trip: a candidate DSL type is accepted only if `diesel print-schema`
//! would print it as what `schema.rs` says (the model's forward inference,
//! [`diesel_schema::types`](crate::diesel_schema)), so that after `upgrade` the file and the
//! database agree. Diesel's own aliases (`Integer` and `Int4`, `BigInt` and `Int8`, ...) count
//! as the same type.

use std::collections::BTreeMap;

use migrate_sql::Type;

use crate::diesel_schema::types::{column_type, SqlType};
use crate::diesel_schema::{DieselSchema, DieselType};
use crate::{Column, Schema};

/// Makes the DSL type tried first for a name.
type Make = fn() -> Type;

/// Diesel's names for one SQL type, and the DSL type tried first for them.
const CLASSES: &[(&[&str], Make)] = &[
    (&["Integer", "Int4"], || Type::Integer),
    (&["BigInt", "Bigint", "Int8"], || Type::BigInt),
    (&["SmallInt", "Smallint", "Int2"], || Type::SmallInt),
    (&["Bool", "Boolean"], || Type::Boolean),
    (&["Float", "Float4"], || Type::Float),
    (&["Double", "Float8"], || Type::Double),
    (&["Binary", "Bytea"], || Type::Binary),
    (&["Text"], || Type::Text),
    (&["Date"], || Type::Date),
    (&["Time"], || Type::Time),
    (&["Timestamp"], || Type::Timestamp),
    (&["Timestamptz"], || Type::TimestampTz),
    (&["Uuid"], || Type::Uuid),
    (&["Json"], || Type::Json),
    (&["Jsonb"], || Type::Jsonb),
    (&["Numeric", "Decimal"], || Type::Custom("numeric".into())),
];

/// Names that are no alias but that a DSL type prints as on some dialect (MySQL's
/// `LONGTEXT` and `DATETIME(6)`).
const HINTS: &[(&str, Make)] = &[
    ("Longtext", || Type::Text),
    ("Datetime", || Type::Timestamp),
];

fn class_of(name: &str) -> Option<&'static [&'static str]> {
    CLASSES
        .iter()
        .find(|(names, _)| names.contains(&name))
        .map(|(names, _)| *names)
}

/// Whether two Diesel type names mean the same SQL type.
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    a == b || class_of(a).is_some_and(|c| c.contains(&b))
}

/// Why a Diesel type has no DSL type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unmapped {
    /// No SQL type of the dialect prints as it.
    Unknown,
    /// A `sql_types` enum the database does not have: its values are not in `schema.rs`.
    NewEnum {
        /// The type's SQL name.
        name: String,
        /// Its schema, when given.
        schema: Option<String>,
    },
}

/// How to turn `schema.rs` types into DSL types for one database.
pub(crate) struct TypeMap<'a> {
    /// The database (or replay) being compared: its dialect, rules and enum types.
    pub(crate) actual: &'a Schema,
    /// `schema.rs`'s own `sql_types`.
    pub(crate) file: &'a DieselSchema,
    /// `[types]` from migrate.toml: Diesel name → SQL type written as is.
    pub(crate) overrides: &'a BTreeMap<String, String>,
}

impl TypeMap<'_> {
    /// How `diesel print-schema` prints a column of DSL type `ty` (nullability left out).
    pub(crate) fn printed(&self, ty: &Type, autoincrement: bool) -> Option<SqlType> {
        let mut c = Column::new("c", ty.clone());
        c.nullable = false;
        c.autoincrement = autoincrement;
        column_type(&c, self.actual).ok()
    }

    /// Whether `printed` is what `want` says (name by Diesel's aliases, array, unsigned and
    /// length; nullability is compared apart).
    pub(crate) fn matches(&self, printed: &SqlType, want: &DieselType) -> bool {
        let name_ok = match self
            .file
            .sql_types
            .iter()
            .find(|t| t.rust_name == want.name)
        {
            // A type of `sql_types` matches by its SQL name (MySQL: `Enum`).
            Some(def) => printed.sql_name.eq_ignore_ascii_case(&def.sql_name),
            None => same_name(&printed.rust_name, &want.name),
        };
        name_ok
            && printed.is_array == want.array
            && printed.is_unsigned == want.unsigned
            && printed.max_length == want.max_length
    }

    /// The DSL type for `want`, nullability aside.
    pub(crate) fn dsl(&self, want: &DieselType) -> Result<Type, Unmapped> {
        let element = DieselType {
            array: false,
            nullable: false,
            ..want.clone()
        };
        let ty = self.scalar(&element)?;
        let ty = if want.array { Type::array(ty) } else { ty };
        if self.overrides.contains_key(&want.name) {
            // Mapped by hand: trusted as written.
            return Ok(ty);
        }
        match self.printed(&ty, false) {
            Some(p)
                if self.matches(
                    &p,
                    &DieselType {
                        nullable: false,
                        ..want.clone()
                    },
                ) =>
            {
                Ok(ty)
            }
            _ => Err(Unmapped::Unknown),
        }
    }

    fn scalar(&self, want: &DieselType) -> Result<Type, Unmapped> {
        if let Some(sql) = self.overrides.get(&want.name) {
            return Ok(Type::Custom(sql.clone()));
        }
        if let Some(def) = self
            .file
            .sql_types
            .iter()
            .find(|t| t.rust_name == want.name)
        {
            return self.user_type(&def.sql_name, def.schema.as_deref(), want);
        }
        let accepts = |ty: &Type| {
            self.printed(ty, false)
                .is_some_and(|p| self.matches(&p, want))
        };
        let mut candidates: Vec<Type> = Vec::new();
        if let Some((_, make)) = CLASSES
            .iter()
            .find(|(names, _)| names.contains(&want.name.as_str()))
        {
            candidates.push(make());
        }
        candidates.extend(
            HINTS
                .iter()
                .filter(|(n, _)| *n == want.name)
                .map(|(_, make)| make()),
        );
        if let Some(n) = want.max_length {
            if let Ok(n32) = u32::try_from(n) {
                candidates.push(Type::String(n32));
            }
        }
        // The type's own SQL name, written as is: `text` on MySQL, `inet`, `bpchar(10)`,
        // `int unsigned`.
        let mut raw = want.name.to_lowercase();
        if raw == "integer" && want.unsigned {
            raw = "int".to_owned();
        }
        if let Some(n) = want.max_length {
            raw = format!("{raw}({n})");
        }
        if want.unsigned {
            raw.push_str(" unsigned");
        }
        candidates.push(Type::Custom(raw));
        candidates
            .into_iter()
            .find(accepts)
            .ok_or(Unmapped::Unknown)
    }

    /// A type of `sql_types`: an enum the database has (PostgreSQL: by name; MySQL: the
    /// column's own `ENUM`, which only the database knows), else a new enum.
    fn user_type(
        &self,
        name: &str,
        schema: Option<&str>,
        want: &DieselType,
    ) -> Result<Type, Unmapped> {
        if let Some((_, e)) = self.actual.enums().find(|(_, e)| {
            e.name.name == name && (schema.is_none() || e.name.schema.as_deref() == schema)
        }) {
            // The default schema's types are named bare, as the DSL names them.
            let default = self.actual.rules().default_schema.as_deref();
            let qualified = e.name.schema.as_deref().is_some_and(|s| Some(s) != default);
            return Ok(Type::Enum {
                name: if qualified {
                    e.name.to_string()
                } else {
                    e.name.name.clone()
                },
                values: e.values.clone(),
            });
        }
        if self.overrides.contains_key(&want.name) {
            return Err(Unmapped::Unknown);
        }
        Err(Unmapped::NewEnum {
            name: name.to_owned(),
            schema: schema.map(str::to_owned),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use migrate_sql::Dialect;

    fn ty(name: &str) -> DieselType {
        DieselType {
            name: name.to_owned(),
            nullable: false,
            array: false,
            unsigned: false,
            max_length: None,
        }
    }

    fn map(d: Dialect, want: DieselType) -> Result<Type, Unmapped> {
        let actual = Schema::new(d);
        let file = DieselSchema::default();
        let overrides = BTreeMap::new();
        TypeMap {
            actual: &actual,
            file: &file,
            overrides: &overrides,
        }
        .dsl(&want)
    }

    #[test]
    fn aliases_and_round_trips() {
        let pg = Dialect::Postgres;
        assert_eq!(map(pg, ty("Int4")), Ok(Type::Integer));
        assert_eq!(map(pg, ty("Integer")), Ok(Type::Integer));
        assert_eq!(map(pg, ty("Timestamptz")), Ok(Type::TimestampTz));
        let varchar = DieselType {
            max_length: Some(40),
            ..ty("Varchar")
        };
        assert_eq!(map(pg, varchar.clone()), Ok(Type::String(40)));
        assert_eq!(map(pg, ty("Varchar")), Ok(Type::Custom("varchar".into())));
        assert_eq!(map(pg, ty("Inet")), Ok(Type::Custom("inet".into())));
        let tags = DieselType {
            array: true,
            ..ty("Text")
        };
        assert_eq!(map(pg, tags), Ok(Type::array(Type::Text)));
        // MySQL's TEXT is not the DSL's Text (LONGTEXT there).
        assert_eq!(
            map(Dialect::Mysql, ty("Text")),
            Ok(Type::Custom("text".into()))
        );
        assert_eq!(map(Dialect::Mysql, ty("Longtext")), Ok(Type::Text));
        assert_eq!(map(Dialect::Mysql, ty("Datetime")), Ok(Type::Timestamp));
        let unsigned = DieselType {
            unsigned: true,
            ..ty("Integer")
        };
        assert_eq!(
            map(Dialect::Mysql, unsigned),
            Ok(Type::Custom("int unsigned".into()))
        );
        assert_eq!(map(Dialect::Sqlite, ty("BigInt")), Ok(Type::BigInt));
        assert_eq!(map(Dialect::Sqlite, ty("Text")), Ok(Type::Text));
        assert_eq!(map(Dialect::Sqlite, ty("Wat")), Err(Unmapped::Unknown));
    }
}
