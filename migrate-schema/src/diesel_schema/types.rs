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

    const PG: &[&str] = &[
        "Cidr",
        "Citext",
        "Inet",
        "Jsonb",
        "MacAddr",
        "MacAddr8",
        "Money",
        "Oid",
        "Range",
        "Timestamptz",
        "Uuid",
        "Json",
        "PgLsn",
        "Record",
        "Interval",
        "Int4range",
        "Int8range",
        "Daterange",
        "Numrange",
        "Tsrange",
        "Tstzrange",
        "Int4multirange",
        "Int8multirange",
        "Datemultirange",
        "Nummultirange",
        "Tsmultirange",
        "Tstzmultirange",
        "SmallSerial",
        "BigSerial",
        "Serial",
        "Bytea",
        "Bpchar",
        "Macaddr",
        "Macaddr8",
    ];
    const MYSQL: &[&str] = &["TinyInt", "Tinyint", "Datetime", "Json"];
    COMMON.contains(&rust_name)
        || match dialect {
            Dialect::Postgres => PG.contains(&rust_name),
            Dialect::Mysql => MYSQL.contains(&rust_name),
            Dialect::Sqlite => false,
        }
}

/// The Diesel type of `column` (nullable per the column), or the SQLite type name Diesel
/// cannot map.
pub(crate) fn column_type(column: &Column, schema: &Schema) -> Result<SqlType, String> {
    let canonical = normalize::column_type(&column.ty, column.autoincrement, schema.rules());
    let mut ty = match schema.dialect() {
        Dialect::Postgres => postgres(&canonical, schema),
        Dialect::Mysql => mysql(&canonical),
        Dialect::Sqlite => sqlite(&canonical)?,
    };
    ty.is_nullable = column.nullable;
    Ok(ty)
}

fn plain(sql_name: &str) -> SqlType {
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
fn split(canonical: &str) -> (&str, Option<&str>) {
    match canonical.split_once('(') {
        Some((head, rest)) => (
            head.trim(),
            Some(rest.rsplit_once(')').map_or(rest, |(args, _)| args)),
        ),
        None => (canonical.trim(), None),
    }
}

fn first_number(args: Option<&str>) -> Option<u64> {
    args?.split(',').next()?.trim().parse().ok()
}

/// PostgreSQL: Diesel names the type after `udt_name` (`int4`, `varchar`, `_text` for
/// `text[]`), in UpperCamelCase, with `character_maximum_length` as `#[max_length]`.
fn postgres(canonical: &str, schema: &Schema) -> SqlType {
    let mut text = canonical.trim();
    let mut arrays = 0;
    while let Some(inner) = text.strip_suffix("[]") {
        text = inner.trim_end();
        arrays += 1;
    }
    let (udt, max_length, user) = if let Some(quoted) = text.strip_prefix('"') {
        let name = quoted
            .strip_suffix('"')
            .unwrap_or(quoted)
            .replace("\"\"", "\"");
        (name, None, true)
    } else {
        let (head, args) = split(text);
        let word = head.split(' ').next().unwrap_or(head);
        let length = || first_number(args);
        match head {
            "INTEGER" => ("int4".to_owned(), None, false),
            "BIGINT" => ("int8".to_owned(), None, false),
            "SMALLINT" => ("int2".to_owned(), None, false),
            "BOOLEAN" => ("bool".to_owned(), None, false),
            "REAL" => ("float4".to_owned(), None, false),
            "DOUBLE PRECISION" => ("float8".to_owned(), None, false),
            "VARCHAR" => ("varchar".to_owned(), length(), false),
            "CHAR" => ("bpchar".to_owned(), length(), false),
            "BIT" => ("bit".to_owned(), length().or(Some(1)), false),
            "VARBIT" => ("varbit".to_owned(), length(), false),
            _ if word.chars().any(|c| c.is_ascii_lowercase()) => (head.to_owned(), None, true),
            _ => (word.to_lowercase(), None, false),
        }
    };
    let type_schema = if user {
        // A user type (enum) lives where the model has it; `public` is the default.
        schema
            .enums()
            .find(|(_, e)| e.name.name == udt)
            .and_then(|(k, _)| k.schema.clone())
    } else {
        Some("pg_catalog".to_owned())
    };
    SqlType {
        schema: type_schema,
        is_array: arrays > 0,
        // information_schema reports no length for an array column.
        max_length: if arrays > 0 { None } else { max_length },
        ..plain(&udt)
    }
}

/// MySQL and MariaDB: Diesel reads `COLUMN_TYPE`: `tinyint(1)` is `Bool`, `int..` is
/// `Integer`, anything else is the name before its arguments (`Varchar`, `Bigint`,
/// `Datetime`, `Enum`), `unsigned` wraps it in `Unsigned<..>`, and a type written with
/// arguments keeps `CHARACTER_MAXIMUM_LENGTH` as `#[max_length]` (a string or binary type's
/// length; an enum's longest value; a set's values joined with commas).
fn mysql(canonical: &str) -> SqlType {
    let upper = canonical.to_uppercase();
    let is_unsigned = upper.contains("UNSIGNED");
    let (head, args) = split(canonical);
    let word = head.split(' ').next().unwrap_or(head).to_lowercase();
    let name = match word.as_str() {
        "tinyint" if canonical == "TINYINT(1)" => "bool".to_owned(),
        w if w.starts_with("int") => "integer".to_owned(),
        _ => word.clone(),
    };
    let max_length = match word.as_str() {
        "varchar" | "char" | "binary" | "varbinary" => first_number(args),
        "enum" => args.map(|a| {
            let values = quoted_values(a);
            values
                .iter()
                .map(|v| v.chars().count() as u64)
                .max()
                .unwrap_or(0)
        }),
        "set" => args.map(|a| {
            let values = quoted_values(a);
            let chars: u64 = values.iter().map(|v| v.chars().count() as u64).sum();
            chars + values.len().saturating_sub(1) as u64
        }),
        _ => None,
    };
    SqlType {
        is_unsigned,
        max_length,
        ..plain(&name)
    }
}

/// The values of an `ENUM(..)`/`SET(..)` argument list: `'a', 'it''s'`.
fn quoted_values(args: &str) -> Vec<String> {
    let mut values = Vec::new();
    let mut chars = args.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut value = String::new();
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    value.push('\'');
                } else {
                    break;
                }
            } else {
                value.push(c);
            }
        }
        values.push(value);
    }
    values
}

/// SQLite: Diesel maps the declared type by what its lower-case name contains, in this order,
/// and refuses any other (SQLite's own affinity rules are looser).
fn sqlite(canonical: &str) -> Result<SqlType, String> {
    let mut t = canonical.to_lowercase();
    if t == "generated always" {
        t.clear();
    }
    let has = |w: &str| t.contains(w);
    let name = if t == "boolean" || t == "bool" || (has("tiny") && has("int")) {
        "Bool"
    } else if t == "int2" || (has("small") && has("int")) {
        "SmallInt"
    } else if t == "int8" || (has("big") && has("int")) {
        "BigInt"
    } else if has("int") {
        // Diesel prints the rowid (a 64-bit integer) as Integer too, unless configured
        // otherwise (`sqlite_integer_primary_key_is_bigint`).
        "Integer"
    } else if has("char") || has("clob") || has("text") {
        "Text"
    } else if has("blob") || has("binary") || t.is_empty() {
        "Binary"
    } else if has("float") || has("real") {
        "Float"
    } else if has("double") || has("num") || has("dec") {
        "Double"
    } else if t == "datetime" || t == "timestamp" {
        "Timestamp"
    } else if t == "date" {
        "Date"
    } else if t == "time" {
        "Time"
    } else {
        return Err(t);
    };
    Ok(SqlType {
        rust_name: name.to_owned(),
        sql_name: name.to_owned(),
        ..plain(name)
    })
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
