//! Internal to `migrate` (semver exempt): the schema model, its replay from recorded
//! operations, normalisation per dialect, and a pure diff.
//!
//! A migration records [`Operation`](migrate_sql::Operation)s; replaying them on an empty
//! [`Schema`] gives the schema the migrations build, without a database. Introspection (in
//! migrate-core, per backend) fills the same model from a live database. [`diff`] compares
//! two models after the normalisation rules below, so that equal schemas compare equal;
//! drift checks and autogenerate build on it.
//!
//! # Example
//!
//! ```
//! use migrate_schema::{diff, Schema};
//! use migrate_sql::{Dialect, Operations, Sql, Type};
//!
//! let mut op = Operations::default();
//! op.create_table("users", |t| {
//!     t.column("id", Type::BigInt).primary_key().autoincrement();
//!     t.column("email", Type::String(255)).not_null();
//!     t.column("created_at", Type::Timestamp).server_default(Sql("CURRENT_TIMESTAMP"));
//! })?;
//! op.create_index("ix_users_email", "users", &["email"])?.unique();
//! let expected = Schema::replay(Dialect::Postgres, op.as_slice())?;
//!
//! // The database spells the same schema its own way: equal after normalisation.
//! let mut actual = expected.clone();
//! let users = actual.table_mut(&("public", "users").into()).unwrap();
//! users.columns[1].ty = Type::Custom("character varying(255)".into());
//! users.columns[2].default = Some(migrate_sql::ColumnDefault::Sql("now()".into()));
//! assert!(diff(&expected, &actual).is_empty());
//!
//! users_index_not_unique(&mut actual);
//! let lines: Vec<String> = diff(&expected, &actual).iter().map(ToString::to_string).collect();
//! assert_eq!(lines, ["index ix_users_email: unique in migrations, not unique in the database"]);
//! # fn users_index_not_unique(s: &mut Schema) {
//! #     s.table_mut(&"users".into()).unwrap().indexes[0].unique = false;
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Details
//!
//! The model is pure data: no Diesel, no I/O. [`Schema`] holds [`Table`]s keyed by schema
//! and name ([`Key`]) and PostgreSQL [`EnumType`]s; a table has [`Column`]s in order, a
//! primary key, [`UniqueConstraint`]s, [`Index`]es, [`ForeignKey`]s, [`Check`]s and a
//! comment. Column types are the DSL's [`migrate_sql::Type`] (introspection gives
//! [`Type::Custom`](migrate_sql::Type::Custom) with the database's spelling).
//!
//! Replay ([`Schema::apply`], [`Schema::replay`]) follows every operation as its dialect
//! applies it: MySQL's `MODIFY` loses the default, comment and `AUTO_INCREMENT` the
//! operation does not restate; dropping a column drops what uses it (PostgreSQL, SQLite)
//! or takes it out of indexes (MySQL); enum types exist on PostgreSQL only; renames carry to
//! keys, indexes, checks and other tables' foreign keys. An operation on a table the model
//! does not have is an [`Error`] naming the operation and the table. Raw SQL (`execute`) is
//! parsed with the [`sqlparser`](https://docs.rs/sqlparser) crate, the maintained SQL parser
//! of the Rust ecosystem (DataFusion's), with the dialect's grammar: the tables and enum
//! types its DDL names become *opaque* (with the reason; a table raw SQL made stays opaque
//! under the new name when the DSL renames it); SQL that cannot be parsed, or a
//! Rust step without offline SQL, makes the whole schema *uncertain*. The diff reports
//! opaque tables as not checked and an uncertain schema as one "not checked" line, never as
//! equal.
//!
//! ## Normalisation rules
//!
//! Names:
//! - PostgreSQL: names compare exactly (case-sensitive), because the DSL quotes every name;
//!   raw SQL's unquoted names fold to lower case as PostgreSQL folds them.
//! - MySQL: table (and schema) names compare exactly with `lower_case_table_names = 0`,
//!   case-insensitively with 1 or 2 ([`Rules::lower_case_table_names`]); column, index and
//!   constraint names always case-insensitively.
//! - SQLite: every name compares ASCII-case-insensitively.
//! - The default schema (`public`, `main`; [`Rules::default_schema`]) is the same as none.
//!
//! Types (each side's type is first rendered as the dialect writes it, then spelled
//! canonically):
//! - What each dialect does with the DSL's type, as migrate-sql renders it: MySQL `Uuid` is
//!   `CHAR(36)`, `Text` is `LONGTEXT`, `Boolean` is `TINYINT(1)`, `Timestamp`/`TimestampTz`
//!   are `DATETIME(6)`, `Time` is `TIME(6)`, `Json`/`Jsonb` are `JSON`, `Binary` is
//!   `LONGBLOB`, `Enum` is `ENUM('a', ..)`; SQLite `TimestampTz`/`Uuid`/`Json`/`Jsonb`/`Enum`
//!   are `TEXT` and an autoincrement column (even `BigInt`) is `INTEGER`; PostgreSQL `Enum` is
//!   its named type.
//! - Case and spacing: type names compare in upper case (PostgreSQL user types in lower case,
//!   a quoted mixed-case name as written), arguments as canonical numbers, `(10,2)` =
//!   `(10, 2)`; [`Type::Custom`](migrate_sql::Type::Custom) goes through the same spelling.
//! - PostgreSQL aliases: `int`/`int4`/`integer`/`serial`; `int8`/`bigint`/`bigserial`;
//!   `int2`/`smallint`/`smallserial`; `bool`/`boolean`; `varchar(n)`/`character varying(n)`;
//!   `char(n)`/`character(n)`/`bpchar(n)` (no length: 1); `float4`/`real`/`float(1..24)`;
//!   `float8`/`double precision`/`float`/`float(25..53)`; `decimal`/`numeric`, `numeric(p)` =
//!   `numeric(p, 0)`; `timestamptz`/`timestamp with time zone`, `timestamp`/`timestamp
//!   without time zone`, `timetz`/`time with time zone`, with precision 6 the same as none;
//!   `integer[]`/`_int4` (arrays, any element type; the DSL's `Type::Array` is one `[]`
//!   whatever its nesting, as PostgreSQL does not enforce dimensions).
//! - MySQL aliases: display widths go (`int(11)` = `int` = `integer`, `bigint(20)`), except
//!   `tinyint(1)`, which is `bool`/`boolean`; `UNSIGNED`/`ZEROFILL` stay;
//!   `double`/`double precision`/`real`/`float(25..53)`; `decimal`/`numeric`/`dec`/`fixed`, no
//!   arguments = `(10, 0)`, one = `(p, 0)`; `time(0)`/`datetime(0)`/`timestamp(0)` = no
//!   precision; `character varying` = `varchar`; `char`/`character` without a length =
//!   `char(1)`; MariaDB ([`Rules::mariadb`]): `JSON` is
//!   `LONGTEXT`.
//! - SQLite: the declared type compares (spelling normalised), since it is what Diesel reads
//!   (`BIGINT` ≠ `INTEGER`); with [`SqliteTypes::Affinity`] only the type affinity compares
//!   (`VARCHAR(255)` = `TEXT` = `CLOB`).
//!
//! Defaults (read by the column's canonical type):
//! - `NULL` (literal or expression) is no default.
//! - PostgreSQL casts of literals and single items go: `'x'::text`, `'x'::character
//!   varying`, `(0)::numeric`, `'{}'::jsonb` are the bare literal.
//! - Parentheses around the whole (SQLite's and MySQL 8's `(expr)`), around one item, doubled,
//!   or redundant around AND/OR operands go.
//! - String literals compare by value: `''` doubling, PostgreSQL `E'..'` and MySQL backslash
//!   escapes, MySQL `"..."` strings, charset introducers (`_utf8mb4'x'`) and `N'..'`.
//! - Numbers compare by value: `1.50` = `1.5` = `+1.5` = `15e-1`, `007` = `7`, `-0` = `0`; on
//!   a number column `'1.5'` = `1.5`; on a text column `1` = `'1'`.
//! - Booleans: on a boolean column (`BOOLEAN`, MySQL `TINYINT(1)`) `TRUE`, `true`, `1`,
//!   `'t'`, `'true'`, `'yes'`, `'on'`, `'1'` are `TRUE` (and likewise `FALSE`); on a number
//!   column `TRUE` is `1`.
//! - The current time: `CURRENT_TIMESTAMP` = `now()` on PostgreSQL (also
//!   `transaction_timestamp()`) and MySQL (also `current_timestamp()`, `localtimestamp`,
//!   `localtime`, MariaDB's spelling); MySQL `curdate()`/`current_date()` = `CURRENT_DATE`,
//!   `curtime()`/`current_time()` = `CURRENT_TIME`; a precision stays (`now(6)` =
//!   `CURRENT_TIMESTAMP(6)` ≠ `CURRENT_TIMESTAMP`), except that on a MySQL `DATETIME(p)` or
//!   `TIMESTAMP(p)` column a bare `CURRENT_TIMESTAMP` is `CURRENT_TIMESTAMP(p)` (MariaDB
//!   stores it so; MySQL accepts no other precision there).
//! - Blob literals (`X'AB'`, [`Value::Bytes`](migrate_sql::Value::Bytes)) compare as
//!   lower-case hex.
//! - Words: keywords and function names are case-insensitive, unquoted identifiers fold per
//!   dialect, whitespace is insignificant.
//! - PostgreSQL `nextval('..'::regclass)` (a serial column) is autoincrement with no default.
//! - Portable defaults ([`Default`](enum@migrate_sql::Default)) are what their dialect writes:
//!   `Now` is `CURRENT_TIMESTAMP` (`CURRENT_TIMESTAMP(6)` on MySQL's `DATETIME(6)`),
//!   `GenRandomUuid` is PostgreSQL's `gen_random_uuid()`, MySQL's `uuid()` and SQLite's
//!   `randomblob()` expression.
//! - PostgreSQL array defaults compare in PostgreSQL's array output syntax:
//!   `Value::array(["a", "b c"])` is `'{a,"b c"}'::text[]`.
//!
//! Expressions (CHECK conditions, partial-index predicates, index expressions): the same
//! spelling rules as defaults, and PostgreSQL's `c = ANY (ARRAY['a', 'b'])` is `c IN ('a',
//! 'b')`; a PostgreSQL cast of a single column goes as well (`lower(name::text)` =
//! `lower(name)`, how PostgreSQL writes an index expression on a `varchar` column); MySQL
//! `length(..)` is `octet_length(..)` (MariaDB stores it so).
//!
//! Keys, constraints and indexes:
//! - Primary-key columns are NOT NULL on every dialect.
//! - Constraint names compare only when the migrations name them and the name is not the one
//!   the database would generate anyway (PostgreSQL `t_pkey`, `t_a_b_key`, `t_a_fkey`,
//!   `t_a_check`, `t_check`; MySQL `t_ibfk_N`, `t_chk_N`); MySQL primary keys and SQLite
//!   foreign keys keep no name, so theirs never compare. Unnamed constraints match by content.
//! - Unique constraints match as column sets; indexes and primary keys by column order.
//! - MySQL: unique constraints are unique indexes (an unnamed one is named after its first
//!   column); an index MySQL made for a foreign key (non-unique, exactly the key's columns)
//!   is not reported, on either side. SQLite: a named unique constraint is a unique index (the dialect
//!   creates it so, to keep its name).
//! - Foreign keys: no action is `NO ACTION`; on MySQL `RESTRICT` is `NO ACTION` too; no
//!   referenced columns means the referenced table's primary key; an unqualified referenced
//!   table is in the default schema (PostgreSQL's search path, MySQL's database), on SQLite
//!   in the referencing table's schema.
//! - Index method `btree` is the default (none); on MariaDB so is `hash` on a unique index
//!   (its "long unique" over TEXT/BLOB columns, which InnoDB picks itself).
//! - SQLite: an `Enum` column carries a `CHECK ("c" IN ('a', ..))`. MariaDB: a
//!   `json_valid(..)` CHECK is part of the JSON type and not compared.
//! - Comments: SQLite keeps none, so they never compare there; on MySQL an empty comment is
//!   none.
//! - Column order is not compared; enum types compare on PostgreSQL only, values in order.
//!
//! ## What introspection gives the model
//!
//! So that both sides mean the same thing, an introspected [`Table`] lists: indexes that
//! back no constraint (not PostgreSQL's constraint indexes, not MySQL's `PRIMARY`), each
//! CHECK's condition without the `CHECK` keyword, column types as the database spells them
//! (a [`Type::Custom`](migrate_sql::Type::Custom) is fine), defaults as expression text
//! ([`ColumnDefault::Sql`](migrate_sql::ColumnDefault::Sql)) and MySQL's literal defaults,
//! which it reports unquoted, as [`ColumnDefault::Value`](migrate_sql::ColumnDefault::Value);
//! user enum types by their unqualified name when they are on the search path; and, with
//! [`Schema::mark_not_modelled`], each object the model cannot represent (a view, a trigger,
//! an exclusion constraint, a generated column), which the diff reports as not modelled
//! ([`Difference::NotModelled`]), never as equal. Both schemas
//! of a diff should use the same [`Rules`]: each side's names are keyed by its own.
//!
//! ## What the model does not cover
//!
//! Views, triggers, sequences, functions, partitions, collations and character sets,
//! storage options (tablespaces, engines), generated (computed) columns, identity `ALWAYS`
//! versus `BY DEFAULT`, deferrable constraints, exclusion constraints, index sort order and
//! operator classes, PostgreSQL extensions (`create_extension` changes no table or enum
//! type of the model, and what an extension brings is not read), and
//! MySQL before 8.0.16 (which ignores CHECK), MySQL `ON UPDATE CURRENT_TIMESTAMP`. Operations
//! the database would refuse for a reason other than a missing or duplicate object (a MySQL
//! column drop under a foreign key, dropping a table others reference) replay without
//! error. Expression equality is textual after the rules
//! above, not semantic: `a > 0` and `0 < a` differ.

#![warn(missing_docs, unreachable_pub)]

pub mod autogen;
mod check;
mod column;
mod dialect;
pub mod diesel_schema;
mod diff;
mod difference;
mod error;
mod foreign_key;
mod index;
pub mod normalize;
mod raw;
mod replay;
mod rules;
mod schema;
mod table;

pub use check::{Check, PrimaryKey, UniqueConstraint};
pub use column::Column;
pub use diff::diff;
pub use difference::Difference;
pub use error::{Error, ErrorKind};
pub use foreign_key::{action_sql, effective_action, Action, ForeignKey};
pub use index::{Index, IndexColumn};
pub use rules::{Key, Rules, SqliteTypes};
pub use schema::{EnumType, Schema};
pub use table::Table;
