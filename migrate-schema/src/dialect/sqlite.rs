//! SQLite: names without case (ASCII), `main` as the default schema, enums as CHECKs,
//! named unique constraints as unique indexes, no foreign-key names, table rebuilds, declared
//! types or affinities, and diesel_cli's `PRAGMA` reading.

use migrate_sql::Type;
use sqlparser::ast::Statement;
use sqlparser::dialect::SQLiteDialect;
use sqlparser::parser::{Parser, ParserError};

use super::{FkRowsPer, SchemaDialect};
use crate::diesel_schema::types::{plain, SqlType};
use crate::normalize::types::{affinity, standard_rendered, with_args, Parsed};
use crate::{Rules, Schema, SqliteTypes};

/// SQLite 3.
pub(super) struct Sqlite;

impl SchemaDialect for Sqlite {
    fn default_schema(&self) -> Option<&'static str> {
        Some("main")
    }

    fn fold_table(&self, name: &str, _lower_case_table_names: u8) -> String {
        name.to_ascii_lowercase()
    }

    fn fold_name(&self, name: &str) -> String {
        name.to_ascii_lowercase()
    }

    fn same_name(&self, a: &str, b: &str) -> bool {
        a.eq_ignore_ascii_case(b)
    }

    fn word_is(&self, text: &str, _quoted: bool, name: &str) -> bool {
        text.eq_ignore_ascii_case(name)
    }

    /// SQLite resolves an unqualified REFERENCES in the referencing table's own schema.
    fn references_own_schema(&self) -> bool {
        true
    }

    fn parse_sql(&self, sql: &str) -> Result<Vec<Statement>, ParserError> {
        Parser::parse_sql(&SQLiteDialect {}, sql)
    }

    /// sqlparser reads `PRAGMA x = value` with a number or string value only; a lone PRAGMA
    /// (connection state such as foreign_keys = ON) changes no table.
    fn changes_no_table(&self, sql: &str) -> bool {
        let first = sql.split_whitespace().next().unwrap_or("");
        first.eq_ignore_ascii_case("pragma")
            && !sql.contains(';')
            && !sql.to_ascii_lowercase().contains("writable_schema")
    }

    fn rendered_type(&self, ty: &Type, autoincrement: bool, rules: &Rules) -> String {
        match ty {
            // Only the exact spelling INTEGER makes the column SQLite's rowid alias.
            _ if autoincrement => "INTEGER".into(),
            Type::TimestampTz | Type::Uuid | Type::Json | Type::Jsonb => "TEXT".into(),
            other => standard_rendered(other, rules),
        }
    }

    fn canonical_type(&self, p: &mut Parsed, rules: &Rules) -> String {
        match rules.sqlite_types {
            SqliteTypes::Declared => with_args(&p.base, p),
            SqliteTypes::Affinity => affinity(&p.base).to_owned(),
        }
    }

    fn enum_is_check(&self) -> bool {
        true
    }

    /// SQLite keeps no comments.
    fn comment(&self, _c: &Option<String>) -> Option<String> {
        None
    }

    /// A named unique constraint is a unique index (migrate-sql creates it so, to keep its
    /// name).
    fn unique_is_index(&self, named: bool) -> bool {
        named
    }

    fn keeps_fk_names(&self) -> bool {
        false
    }

    /// The rebuild drops AUTOINCREMENT with the old INTEGER PRIMARY KEY.
    fn pk_change_drops_autoincrement(&self) -> bool {
        true
    }

    fn refuses_dropping_key_column(&self) -> bool {
        true
    }

    fn diesel_type(&self, canonical: &str, _schema: &Schema) -> Result<SqlType, String> {
        diesel_type(canonical)
    }

    fn diesel_default_schema_only(&self) -> bool {
        true
    }

    /// diesel_cli skips the `sqlite_` tables (`NOT LIKE 'sqlite%'`, which ignores case
    /// there).
    fn diesel_internal_table(&self, name: &str) -> bool {
        name.to_ascii_lowercase().starts_with("sqlite")
    }

    fn diesel_rowid_keys(&self) -> bool {
        true
    }

    fn diesel_fk_rows(&self) -> FkRowsPer {
        FkRowsPer::Column
    }

    fn diesel_custom_types(&self) -> bool {
        false
    }
}

/// SQLite: Diesel maps the declared type by what its lower-case name contains, in this order,
/// and refuses any other (SQLite's own affinity rules are looser).
fn diesel_type(canonical: &str) -> Result<SqlType, String> {
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
