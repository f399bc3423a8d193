//! MySQL / MariaDB: names without case (tables per `lower_case_table_names`), index names per
//! table, backslash escapes and `".."` strings, function aliases, unique constraints as
//! indexes, numbered constraint names (`<table>_ibfk_<n>`, `_chk_<n>`), MODIFY restating the
//! column, and diesel_cli's `COLUMN_TYPE` types.

use migrate_sql::Type;
use sqlparser::ast::Statement;
use sqlparser::dialect::MySqlDialect;
use sqlparser::parser::{Parser, ParserError};

use super::SchemaDialect;
use crate::diesel_schema::types::{first_number, plain, split, SqlType};
use crate::normalize::expr::quote;
use crate::normalize::tokens::Tok;
use crate::normalize::types::{arg, standard_rendered, with_args, Parsed};
use crate::{Rules, Schema};

/// MySQL and MariaDB.
pub(super) struct Mysql;

impl SchemaDialect for Mysql {
    fn fold_table(&self, name: &str, lower_case_table_names: u8) -> String {
        if lower_case_table_names == 0 {
            name.to_owned()
        } else {
            name.to_lowercase()
        }
    }

    fn fold_name(&self, name: &str) -> String {
        name.to_lowercase()
    }

    fn same_name(&self, a: &str, b: &str) -> bool {
        a == b || a.to_lowercase() == b.to_lowercase()
    }

    fn index_names_per_table(&self) -> bool {
        true
    }

    fn backslash_escapes(&self) -> bool {
        true
    }

    fn double_quoted_strings(&self) -> bool {
        true
    }

    fn charset_introducers(&self) -> bool {
        true
    }

    fn parse_sql(&self, sql: &str) -> Result<Vec<Statement>, ParserError> {
        Parser::parse_sql(&MySqlDialect {}, sql)
    }

    fn rendered_type(&self, ty: &Type, _autoincrement: bool, rules: &Rules) -> String {
        match ty {
            Type::Integer => "INT".into(),
            Type::Boolean => "BOOL".into(),
            Type::Text => "LONGTEXT".into(),
            Type::Float => "FLOAT".into(),
            Type::Time => "TIME(6)".into(),
            Type::Timestamp | Type::TimestampTz => "DATETIME(6)".into(),
            Type::Uuid => "CHAR(36)".into(),
            Type::Binary => "LONGBLOB".into(),
            Type::Enum { values, .. } => {
                let v: Vec<String> = values.iter().map(|v| quote(v)).collect();
                format!("ENUM({})", v.join(", "))
            }
            other => standard_rendered(other, rules),
        }
    }

    fn canonical_type(&self, p: &mut Parsed, rules: &Rules) -> String {
        canonical_type(p, rules)
    }

    fn timestamp_alias(&self, word: &str) -> Option<&'static str> {
        match word {
            "now" | "current_timestamp" | "localtimestamp" | "localtime" => {
                Some("current_timestamp")
            }
            "curdate" | "current_date" => Some("current_date"),
            "curtime" | "current_time" => Some("current_time"),
            _ => None,
        }
    }

    /// `length(..)` is `octet_length(..)` (MariaDB stores it so).
    fn function_aliases(&self, t: &mut [Tok]) {
        for i in 0..t.len() {
            let call = t.get(i + 1).is_some_and(|x| x.is("("));
            if call && matches!(&t[i], Tok::Word { text, quoted: false } if text == "length") {
                t[i] = Tok::Word {
                    text: "octet_length".to_owned(),
                    quoted: false,
                };
            }
        }
    }

    fn now_takes_column_precision(&self) -> bool {
        true
    }

    fn restrict_is_no_action(&self) -> bool {
        true
    }

    /// Empty comments are no comment.
    fn comment(&self, c: &Option<String>) -> Option<String> {
        c.clone().filter(|s| !s.is_empty())
    }

    fn json_is_checked_text(&self, rules: &Rules) -> bool {
        rules.mariadb
    }

    fn unique_is_index(&self, _named: bool) -> bool {
        true
    }

    fn fk_creates_index(&self) -> bool {
        true
    }

    /// MySQL names an unnamed unique index after its first column.
    fn generated_unique_names(&self, _table: &str, cols: &[String]) -> Vec<String> {
        cols.first().cloned().into_iter().collect()
    }

    fn generated_fk_names(&self, table: &str, _cols: &[String], n: usize) -> Vec<String> {
        vec![format!("{table}_ibfk_{n}")]
    }

    fn generated_check_names(
        &self,
        table: &str,
        _expr: &str,
        _columns: &[String],
        n: usize,
    ) -> Vec<String> {
        vec![format!("{table}_chk_{n}")]
    }

    fn numbered_name(&self, name: &Option<String>, table: &str, infix: &str) -> bool {
        name.as_deref().is_some_and(|n| {
            n.strip_prefix(table)
                .and_then(|r| r.strip_prefix(infix))
                .is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_digit()))
        })
    }

    fn drop_column_shrinks_indexes(&self) -> bool {
        true
    }

    fn alter_restates_column(&self) -> bool {
        true
    }

    fn diesel_type(&self, canonical: &str, _schema: &Schema) -> Result<SqlType, String> {
        Ok(diesel_type(canonical))
    }

    fn diesel_types(&self) -> &'static [&'static str] {
        DIESEL_TYPES
    }

    fn diesel_custom_type_per_column(&self) -> bool {
        true
    }

    fn diesel_type_attribute(&self, t: &SqlType) -> String {
        let mut name = t.sql_name.chars();
        let upper: String = name
            .next()
            .map(|f| f.to_uppercase().chain(name).collect())
            .unwrap_or_default();
        format!("#[diesel(mysql_type(name = \"{upper}\"))]")
    }
}

fn canonical_type(p: &Parsed, rules: &Rules) -> String {
    // Display widths (`int(11)`) mean nothing since MySQL 8.0.17; `tinyint(1)` alone stays,
    // as it is what BOOL/BOOLEAN become.
    let int = |name: &str| -> String {
        let mut s = name.to_owned();
        for w in p.after.split(' ').filter(|w| !w.is_empty()) {
            s.push(' ');
            s.push_str(w);
        }
        s
    };
    match p.base.as_str() {
        "INT" | "INTEGER" => int("INT"),
        "BIGINT" | "SMALLINT" | "MEDIUMINT" => int(&p.base),
        "TINYINT" if arg(p, 0) == Some("1") && p.after.is_empty() => "TINYINT(1)".to_owned(),
        "BOOL" | "BOOLEAN" => "TINYINT(1)".to_owned(),
        "TINYINT" => int("TINYINT"),
        "VARCHAR" | "CHARACTER VARYING" => with_args("VARCHAR", p),
        "CHAR" | "CHARACTER" => format!("CHAR({})", arg(p, 0).unwrap_or("1")),
        "DOUBLE" | "DOUBLE PRECISION" | "REAL" => "DOUBLE".to_owned(),
        "FLOAT" => match arg(p, 0).and_then(|a| a.parse::<u32>().ok()) {
            Some(n) if n > 24 => "DOUBLE".to_owned(),
            _ => "FLOAT".to_owned(),
        },
        "DECIMAL" | "NUMERIC" | "DEC" | "FIXED" => format!(
            "DECIMAL({}, {})",
            arg(p, 0).unwrap_or("10"),
            arg(p, 1).unwrap_or("0")
        ),
        "TIME" | "DATETIME" | "TIMESTAMP" => match arg(p, 0) {
            Some(n) if n != "0" => format!("{}({n})", p.base),
            _ => p.base.clone(),
        },
        "JSON" if rules.mariadb => "LONGTEXT".to_owned(),
        "ENUM" | "SET" => with_args(&p.base, p),
        other => with_args(other, p),
    }
}

/// Diesel's MySQL SQL types beyond the common ones.
const DIESEL_TYPES: &[&str] = &["TinyInt", "Tinyint", "Datetime", "Json"];

/// MySQL and MariaDB: Diesel reads `COLUMN_TYPE`: `tinyint(1)` is `Bool`, `int..` is
/// `Integer`, anything else is the name before its arguments (`Varchar`, `Bigint`,
/// `Datetime`, `Enum`), `unsigned` wraps it in `Unsigned<..>`, and a type written with
/// arguments keeps `CHARACTER_MAXIMUM_LENGTH` as `#[max_length]` (a string or binary type's
/// length; an enum's longest value; a set's values joined with commas).
fn diesel_type(canonical: &str) -> SqlType {
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
