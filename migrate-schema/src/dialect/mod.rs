//! What the schema model does differently per dialect, behind one trait whose default methods
//! are the common case, one implementation per file (`sqlite.rs`, `postgres.rs`, `mysql.rs`):
//! how names compare, how SQL text is read, the canonical spelling of types and expressions,
//! the names a database gives unnamed constraints, what an operation does to the model there,
//! and how diesel_cli prints the schema. Alembic keeps the comparison side of this seam in its
//! `DefaultImpl` and per-dialect subclasses (`alembic/ddl/impl.py`: `compare_type`,
//! `compare_server_default`, `correct_for_autogen_constraints`).
//!
//! [`of`] is the one place a [`Dialect`] picks its implementation; nothing else in the crate
//! matches on the dialect.

mod mysql;
mod postgres;
mod sqlite;

use migrate_sql::{Dialect, Type};
use sqlparser::ast::Statement;
use sqlparser::parser::ParserError;

use crate::diesel_schema::names::string_literal;
use crate::diesel_schema::types::SqlType;
use crate::normalize::tokens::Tok;
use crate::normalize::types::{standard_rendered, Parsed};
use crate::{Rules, Schema};

/// The implementation for `dialect`.
pub(crate) fn of(dialect: Dialect) -> &'static dyn SchemaDialect {
    match dialect {
        Dialect::Sqlite => &sqlite::Sqlite,
        Dialect::Postgres => &postgres::Postgres,
        Dialect::Mysql => &mysql::Mysql,
    }
}

/// How diesel_cli loads foreign keys, per backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FkRowsPer {
    /// One per constraint (MySQL).
    Constraint,
    /// One per pair of tables, all columns of all keys between them (PostgreSQL).
    TablePair,
    /// One per column (SQLite's `PRAGMA foreign_key_list` rows).
    Column,
}

/// One dialect's rules for the schema model. Not public: users pass a [`Dialect`] (in
/// [`Rules`]).
pub(crate) trait SchemaDialect: Sync {
    // --- names ---------------------------------------------------------------------------

    /// The schema an unqualified name lives in, when it has a name.
    fn default_schema(&self) -> Option<&'static str> {
        None
    }

    /// A table or schema name as compared (MySQL's `lower_case_table_names` given).
    fn fold_table(&self, name: &str, _lower_case_table_names: u8) -> String {
        name.to_owned()
    }

    /// A column, index or constraint name as compared.
    fn fold_name(&self, name: &str) -> String {
        name.to_owned()
    }

    /// Whether two column, index or constraint names are the same name.
    fn same_name(&self, a: &str, b: &str) -> bool {
        a == b
    }

    /// Whether a word of SQL text (`quoted` or not) names `name` (folded).
    fn word_is(&self, text: &str, _quoted: bool, name: &str) -> bool {
        text.to_lowercase() == name.to_lowercase()
    }

    /// Whether a quoted name keeps its case while an unquoted one folds to lower case
    /// (PostgreSQL); elsewhere names compare without case, quoted or not.
    fn quoted_names_are_exact(&self) -> bool {
        false
    }

    /// Whether index names are per table (MySQL) rather than per schema.
    fn index_names_per_table(&self) -> bool {
        false
    }

    /// Whether a foreign key's unqualified target is in the referencing table's own schema
    /// (SQLite) rather than the default one.
    fn references_own_schema(&self) -> bool {
        false
    }

    // --- reading SQL text ------------------------------------------------------------

    /// `E'..'` strings with backslash escapes (PostgreSQL).
    fn e_strings(&self) -> bool {
        false
    }

    /// Backslash escapes in every `'..'` string (MySQL).
    fn backslash_escapes(&self) -> bool {
        false
    }

    /// `".."` is a string, not a name (MySQL).
    fn double_quoted_strings(&self) -> bool {
        false
    }

    /// Charset introducers (`_utf8mb4'x'` is the string `'x'`, MySQL).
    fn charset_introducers(&self) -> bool {
        false
    }

    /// Parse `sql` with sqlparser's dialect of this database.
    fn parse_sql(&self, sql: &str) -> Result<Vec<Statement>, ParserError>;

    /// Whether `sql` (trimmed, without its `;`) changes no table although sqlparser cannot
    /// read it (SQLite's lone `PRAGMA x = value`).
    fn changes_no_table(&self, _sql: &str) -> bool {
        false
    }

    // --- canonical types and expressions -----------------------------------------------

    /// The type a column of DSL type `ty` has in the database, as the dialect renders it
    /// (mirrors migrate-sql's type table; a test holds the two together).
    fn rendered_type(&self, ty: &Type, _autoincrement: bool, rules: &Rules) -> String {
        standard_rendered(ty, rules)
    }

    /// The canonical spelling of a parsed built-in type name.
    fn canonical_type(&self, p: &mut Parsed, rules: &Rules) -> String;

    /// The canonical name of a function or keyword that is another's alias
    /// (`now` → `current_timestamp`).
    fn timestamp_alias(&self, _word: &str) -> Option<&'static str> {
        None
    }

    /// Rewrites function aliases the database stores under another name.
    fn function_aliases(&self, _t: &mut [Tok]) {}

    /// Whether `CURRENT_TIMESTAMP` on a column with a fractional-seconds precision is stored
    /// with that precision (MariaDB).
    fn now_takes_column_precision(&self) -> bool {
        false
    }

    // --- what the database keeps -------------------------------------------------------

    /// Whether `RESTRICT` is `NO ACTION` (MySQL: the same thing there).
    fn restrict_is_no_action(&self) -> bool {
        false
    }

    /// Whether a `nextval(..)` default makes the column autoincrement (PostgreSQL serials).
    fn serial_is_autoincrement(&self) -> bool {
        false
    }

    /// Whether an enum column is text with a CHECK of its values (SQLite).
    fn enum_is_check(&self) -> bool {
        false
    }

    /// Whether the database has enum types of its own (PostgreSQL).
    fn has_enum_types(&self) -> bool {
        false
    }

    /// A table or column comment as the database keeps it.
    fn comment(&self, c: &Option<String>) -> Option<String> {
        c.clone()
    }

    /// Whether the JSON type is text with a `json_valid` CHECK (MariaDB).
    fn json_is_checked_text(&self, _rules: &Rules) -> bool {
        false
    }

    /// Whether a unique constraint (named or not) is kept as a unique index.
    fn unique_is_index(&self, _named: bool) -> bool {
        false
    }

    /// Whether adding a foreign key creates an index for it when none has its columns
    /// (MySQL).
    fn fk_creates_index(&self) -> bool {
        false
    }

    // --- names the database gives unnamed constraints ----------------------------------

    /// The primary key's generated name; `None`: a primary key has no name of its own.
    fn generated_pk_name(&self, _table: &str) -> Option<String> {
        None
    }

    /// The names an unnamed unique constraint on `cols` may have.
    fn generated_unique_names(&self, _table: &str, _cols: &[String]) -> Vec<String> {
        Vec::new()
    }

    /// The names the `n`th unnamed foreign key on `cols` may have.
    fn generated_fk_names(&self, _table: &str, _cols: &[String], _n: usize) -> Vec<String> {
        Vec::new()
    }

    /// The names the `n`th unnamed check `expr` may have (`columns`: the table's).
    fn generated_check_names(
        &self,
        _table: &str,
        _expr: &str,
        _columns: &[String],
        _n: usize,
    ) -> Vec<String> {
        Vec::new()
    }

    /// Every name the database may give an unnamed check on a table with `columns`,
    /// whatever its expression.
    fn check_name_candidates(&self, _table: &str, _columns: &[String]) -> Vec<String> {
        Vec::new()
    }

    /// Whether foreign keys keep their names (SQLite's do not).
    fn keeps_fk_names(&self) -> bool {
        true
    }

    /// Whether a foreign key or check name is one the database numbered for an unnamed
    /// constraint (`t_ibfk_1`), so compares as unnamed.
    fn numbered_name(&self, _name: &Option<String>, _table: &str, _infix: &str) -> bool {
        false
    }

    // --- what operations do to the model ---------------------------------------------

    /// Whether adding or dropping the primary key drops AUTOINCREMENT (SQLite's rebuild).
    fn pk_change_drops_autoincrement(&self) -> bool {
        false
    }

    /// Whether dropping a key column is refused (migrate-sql's SQLite rebuild).
    fn refuses_dropping_key_column(&self) -> bool {
        false
    }

    /// Whether dropping a column takes it out of each index and key (MySQL).
    fn drop_column_shrinks_indexes(&self) -> bool {
        false
    }

    /// Whether changing a column restates the whole definition (MySQL's MODIFY/CHANGE).
    fn alter_restates_column(&self) -> bool {
        false
    }

    // --- diesel_cli's schema.rs ----------------------------------------------------------

    /// The Diesel type of a column whose canonical type is `canonical`, or the type name
    /// Diesel cannot map.
    fn diesel_type(&self, canonical: &str, schema: &Schema) -> Result<SqlType, String>;

    /// Diesel's own SQL types for this backend beyond the common ones.
    fn diesel_types(&self) -> &'static [&'static str] {
        &[]
    }

    /// Whether diesel_cli reads the default schema only (SQLite's `main`).
    fn diesel_default_schema_only(&self) -> bool {
        false
    }

    /// Whether diesel_cli skips the table as the database's own.
    fn diesel_internal_table(&self, _name: &str) -> bool {
        false
    }

    /// Whether diesel_cli lists the primary key in column order and keys a table without one
    /// by its rowid (SQLite).
    fn diesel_rowid_keys(&self) -> bool {
        false
    }

    /// How diesel_cli loads foreign keys.
    fn diesel_fk_rows(&self) -> FkRowsPer {
        FkRowsPer::Constraint
    }

    /// Whether a custom SQL type is per column (MySQL's ENUM, SET) rather than one per type.
    fn diesel_custom_type_per_column(&self) -> bool {
        false
    }

    /// Whether custom SQL types are printed (a `sql_types` module and `use` lines).
    fn diesel_custom_types(&self) -> bool {
        true
    }

    /// The `#[diesel(..)]` attribute of a custom SQL type (PostgreSQL's by default: the
    /// others have none or say it their own way).
    fn diesel_type_attribute(&self, t: &SqlType) -> String {
        match &t.schema {
            Some(schema) => format!(
                "#[diesel(postgres_type(name = {}, schema = {}))]",
                string_literal(&t.sql_name),
                string_literal(schema)
            ),
            None => format!(
                "#[diesel(postgres_type(name = {}))]",
                string_literal(&t.sql_name)
            ),
        }
    }
}
