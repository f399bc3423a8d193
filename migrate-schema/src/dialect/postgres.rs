//! PostgreSQL: exact names (unquoted ones fold to lower case), `public` as the default schema,
//! `E'..'` strings, enum types, serials, the names it gives unnamed constraints
//! (`<table>_pkey`, `_key`, `_fkey`, `_check`), and diesel_cli's `udt_name` types.

use migrate_sql::Type;
use sqlparser::ast::Statement;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};

use super::{FkRowsPer, SchemaDialect};
use crate::diesel_schema::types::{first_number, plain, split, SqlType};
use crate::normalize::tokens::{tokenize, Tok};
use crate::normalize::types::{arg, precision, standard_rendered, with_args, Parsed};
use crate::{Rules, Schema};

/// PostgreSQL.
pub(super) struct Postgres;

impl SchemaDialect for Postgres {
    fn default_schema(&self) -> Option<&'static str> {
        Some("public")
    }

    /// An unquoted PostgreSQL identifier folds to lower case; a quoted one is exact.
    fn word_is(&self, text: &str, quoted: bool, name: &str) -> bool {
        if quoted {
            text == name
        } else {
            text.to_lowercase() == name
        }
    }

    fn quoted_names_are_exact(&self) -> bool {
        true
    }

    fn e_strings(&self) -> bool {
        true
    }

    fn parse_sql(&self, sql: &str) -> Result<Vec<Statement>, ParserError> {
        Parser::parse_sql(&PostgreSqlDialect {}, sql)
    }

    fn rendered_type(&self, ty: &Type, _autoincrement: bool, rules: &Rules) -> String {
        match ty {
            Type::Double => "DOUBLE PRECISION".into(),
            Type::TimestampTz => "TIMESTAMPTZ".into(),
            Type::Uuid => "UUID".into(),
            Type::Jsonb => "JSONB".into(),
            Type::Binary => "BYTEA".into(),
            Type::Enum { name, .. } => format!("\"{}\"", name.replace('"', "\"\"")),
            other => standard_rendered(other, rules),
        }
    }

    fn canonical_type(&self, p: &mut Parsed, _rules: &Rules) -> String {
        canonical_type(p)
    }

    fn timestamp_alias(&self, word: &str) -> Option<&'static str> {
        match word {
            "now" | "transaction_timestamp" => Some("current_timestamp"),
            _ => None,
        }
    }

    fn serial_is_autoincrement(&self) -> bool {
        true
    }

    fn has_enum_types(&self) -> bool {
        true
    }

    fn generated_pk_name(&self, table: &str) -> Option<String> {
        Some(format!("{table}_pkey"))
    }

    fn generated_unique_names(&self, table: &str, cols: &[String]) -> Vec<String> {
        vec![format!("{table}_{}_key", cols.join("_"))]
    }

    fn generated_fk_names(&self, table: &str, cols: &[String], _n: usize) -> Vec<String> {
        vec![format!("{table}_{}_fkey", cols.join("_"))]
    }

    /// `<table>_<first column named>_check` (or `<table>_check`).
    fn generated_check_names(
        &self,
        table: &str,
        expr: &str,
        columns: &[String],
        _n: usize,
    ) -> Vec<String> {
        let first = tokenize(expr, migrate_sql::Dialect::Postgres).and_then(|toks| {
            toks.into_iter().find_map(|t| match t {
                Tok::Word { text, quoted } => {
                    let text = if quoted { text } else { text.to_lowercase() };
                    columns.contains(&text).then_some(text)
                }
                _ => None,
            })
        });
        match first {
            Some(c) => vec![format!("{table}_{c}_check")],
            None => vec![format!("{table}_check")],
        }
    }

    fn check_name_candidates(&self, table: &str, columns: &[String]) -> Vec<String> {
        std::iter::once(format!("{table}_check"))
            .chain(columns.iter().map(|c| format!("{table}_{c}_check")))
            .collect()
    }

    fn diesel_type(&self, canonical: &str, schema: &Schema) -> Result<SqlType, String> {
        Ok(diesel_type(canonical, schema))
    }

    fn diesel_types(&self) -> &'static [&'static str] {
        DIESEL_TYPES
    }

    fn diesel_fk_rows(&self) -> FkRowsPer {
        FkRowsPer::TablePair
    }
}

fn canonical_type(p: &mut Parsed) -> String {
    // udt_name spells arrays with a leading underscore: _int4 is integer[].
    if let Some(elem) = p.base.strip_prefix('_') {
        p.base = elem.to_owned();
        p.arrays += 1;
    }
    let base = match p.base.as_str() {
        "INT" | "INTEGER" | "INT4" | "SERIAL" | "SERIAL4" => "INTEGER".to_owned(),
        "BIGINT" | "INT8" | "BIGSERIAL" | "SERIAL8" => "BIGINT".to_owned(),
        "SMALLINT" | "INT2" | "SMALLSERIAL" | "SERIAL2" => "SMALLINT".to_owned(),
        "BOOL" | "BOOLEAN" => "BOOLEAN".to_owned(),
        "VARCHAR" | "CHARACTER VARYING" => match arg(p, 0) {
            Some(n) => format!("VARCHAR({n})"),
            None => "VARCHAR".to_owned(),
        },
        "CHAR" | "CHARACTER" | "BPCHAR" => format!("CHAR({})", arg(p, 0).unwrap_or("1")),
        "FLOAT4" | "REAL" => "REAL".to_owned(),
        "FLOAT8" | "DOUBLE PRECISION" => "DOUBLE PRECISION".to_owned(),
        "FLOAT" => match arg(p, 0).and_then(|a| a.parse::<u32>().ok()) {
            Some(n) if n <= 24 => "REAL".to_owned(),
            _ => "DOUBLE PRECISION".to_owned(),
        },
        "NUMERIC" | "DECIMAL" => match (arg(p, 0), arg(p, 1)) {
            (Some(a), Some(b)) => format!("NUMERIC({a}, {b})"),
            (Some(a), None) => format!("NUMERIC({a}, 0)"),
            _ => "NUMERIC".to_owned(),
        },
        "TIME" | "TIME WITHOUT TIME ZONE" => precision("TIME", arg(p, 0)),
        "TIMETZ" | "TIME WITH TIME ZONE" => precision("TIMETZ", arg(p, 0)),
        "TIMESTAMP" | "TIMESTAMP WITHOUT TIME ZONE" => precision("TIMESTAMP", arg(p, 0)),
        "TIMESTAMPTZ" | "TIMESTAMP WITH TIME ZONE" => precision("TIMESTAMPTZ", arg(p, 0)),
        "BIT VARYING" | "VARBIT" => with_args("VARBIT", p),
        other if is_builtin_pg(other) => with_args(other, p),
        // Any other unquoted name is a user type: PostgreSQL folds it to lower case.
        other => with_args(&other.to_lowercase(), p),
    };
    format!("{base}{}", "[]".repeat(p.arrays))
}

fn is_builtin_pg(name: &str) -> bool {
    const B: [&str; 22] = [
        "TEXT",
        "DATE",
        "UUID",
        "JSON",
        "JSONB",
        "BYTEA",
        "INET",
        "CIDR",
        "MACADDR",
        "MONEY",
        "XML",
        "INTERVAL",
        "BIT",
        "TSVECTOR",
        "TSQUERY",
        "POINT",
        "OID",
        "REGCLASS",
        "NAME",
        "CITEXT",
        "INT4RANGE",
        "TSTZRANGE",
    ];
    B.contains(&name)
}

/// Diesel's PostgreSQL SQL types beyond the common ones.
const DIESEL_TYPES: &[&str] = &[
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

/// PostgreSQL: Diesel names the type after `udt_name` (`int4`, `varchar`, `_text` for
/// `text[]`), in UpperCamelCase, with `character_maximum_length` as `#[max_length]`.
fn diesel_type(canonical: &str, schema: &Schema) -> SqlType {
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
