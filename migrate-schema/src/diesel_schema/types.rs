//! Column types as Diesel's SQL type names, the way diesel_cli 2.3 infers them per backend
//! (`infer_schema_internals::{pg, mysql, sqlite}::determine_column_type`).
//!
//! Every column type first goes through the model's own canonical spelling
//! ([`normalize::column_type`](crate::normalize::column_type)), so a replayed column and the
//! same column read from the database give the same Diesel type.

use std::fmt;

use heck::ToUpperCamelCase as _;

use crate::{normalize, Column, Schema};
use migrate_sql::Dialect;

/// A column's SQL type as `table!` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SqlType {
    /// The Diesel type's name (`Int4`, `Varchar`, `Mood`).
    pub(crate) rust_name: String,
    /// The database's name of the type (`int4`, `varchar`, `mood`; MySQL `enum`).
    pub(crate) sql_name: String,
    /// The PostgreSQL schema of the type, when not `public`.
    pub(crate) schema: Option<String>,
    pub(crate) is_array: bool,
    pub(crate) is_nullable: bool,
    pub(crate) is_unsigned: bool,
    /// `#[max_length = N]`.
    pub(crate) max_length: Option<u64>,
}

impl fmt::Display for SqlType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Diesel 2.3 writes array elements as nullable: PostgreSQL arrays may hold NULLs.
        let mut close = String::new();
        if self.is_nullable {
            f.write_str("Nullable<")?;
            close.push('>');
        }
        if self.is_array {
            f.write_str("Array<Nullable<")?;
            close.insert_str(0, ">>");
        }
        if self.is_unsigned {
            f.write_str("Unsigned<")?;
            close.insert(0, '>');
        }
        f.write_str(&self.rust_name)?;
        f.write_str(&close)
    }
}

/// The SQL types Diesel itself provides, per backend (diesel_cli's lists of them in
/// `print_schema.rs`); any other type gets a definition in `pub mod sql_types`.
pub(crate) fn provided(dialect: Dialect, rust_name: &str) -> bool {
    const COMMON: &[&str] = &[
        "Bool",
        "Integer",
        "SmallInt",
        "BigInt",
        "Binary",
        "Text",
        "Double",
        "Float",
        "Numeric",
        "Timestamp",
        "Date",
        "Time",
        "Float4",
        "Smallint",
        "Int2",
        "Int4",
        "Int8",
        "Bigint",
        "Float8",
        "Decimal",
        "VarChar",
        "Varchar",
        "Char",
        "Tinytext",
        "Mediumtext",
        "Longtext",
        "Tinyblob",
        "Blob",
        "Mediumblob",
        "Longblob",
        "Varbinary",
        "Bit",
    ];

    COMMON.contains(&rust_name)
        || crate::dialect::of(dialect)
            .diesel_types()
            .contains(&rust_name)
}

/// The Diesel type of `column` (nullable per the column), or the SQLite type name Diesel
/// cannot map.
pub(crate) fn column_type(column: &Column, schema: &Schema) -> Result<SqlType, String> {
    let canonical = normalize::column_type(&column.ty, column.autoincrement, schema.rules());
    let mut ty = schema.rules().imp().diesel_type(&canonical, schema)?;
    ty.is_nullable = column.nullable;
    Ok(ty)
}

pub(crate) fn plain(sql_name: &str) -> SqlType {
    SqlType {
        rust_name: sql_name.to_upper_camel_case(),
        sql_name: sql_name.to_owned(),
        schema: None,
        is_array: false,
        is_nullable: false,
        is_unsigned: false,
        max_length: None,
    }
}

/// The name before any arguments, and the arguments' text (without the parentheses).
pub(crate) fn split(canonical: &str) -> (&str, Option<&str>) {
    match canonical.split_once('(') {
        Some((head, rest)) => (
            head.trim(),
            Some(rest.rsplit_once(')').map_or(rest, |(args, _)| args)),
        ),
        None => (canonical.trim(), None),
    }
}

pub(crate) fn first_number(args: Option<&str>) -> Option<u64> {
    args?.split(',').next()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use migrate_sql::Type;

    fn ty(d: Dialect, t: Type, nullable: bool) -> String {
        let schema = Schema::new(d);
        let mut c = Column::new("c", t);
        c.nullable = nullable;
        column_type(&c, &schema).map_or_else(
            |e| format!("error {e}"),
            |t| {
                format!(
                    "{t}{}",
                    t.max_length
                        .map(|n| format!(" max {n}"))
                        .unwrap_or_default()
                )
            },
        )
    }

    #[test]
    fn postgres_types_are_udt_names() {
        let pg = Dialect::Postgres;
        assert_eq!(ty(pg, Type::Integer, false), "Int4");
        assert_eq!(ty(pg, Type::BigInt, true), "Nullable<Int8>");
        assert_eq!(ty(pg, Type::String(255), false), "Varchar max 255");
        assert_eq!(ty(pg, Type::TimestampTz, false), "Timestamptz");
        assert_eq!(ty(pg, Type::Double, false), "Float8");
        assert_eq!(
            ty(pg, Type::Custom("character(3)".into()), false),
            "Bpchar max 3"
        );
        assert_eq!(
            ty(pg, Type::Custom("text[]".into()), true),
            "Nullable<Array<Nullable<Text>>>"
        );
        assert_eq!(
            ty(pg, Type::enumeration("post_status", &["a"]), false),
            "PostStatus"
        );
        assert_eq!(
            ty(pg, Type::Custom("time with time zone".into()), false),
            "Timetz"
        );
    }

    #[test]
    fn mysql_types_are_column_type_names() {
        let my = Dialect::Mysql;
        assert_eq!(ty(my, Type::Integer, false), "Integer");
        assert_eq!(ty(my, Type::BigInt, false), "Bigint");
        assert_eq!(ty(my, Type::Boolean, false), "Bool");
        assert_eq!(ty(my, Type::Uuid, false), "Char max 36");
        assert_eq!(
            ty(my, Type::Custom("int(10) unsigned".into()), false),
            "Unsigned<Integer>"
        );
        assert_eq!(
            ty(my, Type::enumeration("s", &["draft", "published"]), false),
            "Enum max 9"
        );
        assert_eq!(
            ty(my, Type::Custom("set('a','bc')".into()), false),
            "Set max 4"
        );
        assert_eq!(ty(my, Type::Numeric(10, 2), true), "Nullable<Decimal>");
    }

    #[test]
    fn sqlite_types_follow_diesels_substring_rules() {
        let lite = Dialect::Sqlite;
        assert_eq!(ty(lite, Type::BigInt, false), "BigInt");
        assert_eq!(ty(lite, Type::String(20), false), "Text");
        assert_eq!(ty(lite, Type::Numeric(10, 2), false), "Double");
        assert_eq!(ty(lite, Type::Boolean, false), "Bool");
        assert_eq!(ty(lite, Type::Custom("INET".into()), false), "error inet");
    }
}
