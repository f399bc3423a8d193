//! Autogenerate's plan from a replayed schema to a `schema.rs`: what it writes, what it leaves
//! alone, and the hazards it names.

use migrate_schema::autogen::{plan, Options, Plan, TableFilter};
use migrate_schema::diesel_schema::parse;
use migrate_schema::Schema;
use migrate_sql::{Dialect, Operations, Type};

fn database() -> Schema {
    let mut op = Operations::default();
    op.create_table("users", |t| {
        t.column("id", Type::Integer).primary_key().autoincrement();
        t.column("email", Type::String(255)).not_null();
        t.column("score", Type::BigInt);
    })
    .unwrap();
    op.create_table("legacy", |t| {
        t.column("id", Type::Integer).primary_key();
        t.column("note", Type::Text);
    })
    .unwrap();
    Schema::replay(Dialect::Postgres, op.as_slice()).unwrap()
}

const USERS: &str = "diesel::table! { users (id) { id -> Int4, #[max_length = 255] email -> Varchar, score -> Nullable<Int8>, } }\n";
const LEGACY: &str = "diesel::table! { legacy (id) { id -> Int4, note -> Nullable<Text>, } }\n";

fn planned(file: &str, options: &Options) -> Plan {
    plan(&parse(file).unwrap(), &database(), options).unwrap()
}

#[test]
fn the_same_schema_plans_nothing() {
    let p = planned(&format!("{USERS}{LEGACY}"), &Options::default());
    assert!(p.is_empty(), "{:?}", p.summary());
}

#[test]
fn a_table_schema_rs_lacks_is_kept_unless_asked() {
    let p = planned(USERS, &Options::default());
    assert!(p.is_empty());
    assert_eq!(
        p.notes,
        ["table legacy is in the database but not in schema.rs: kept (--drop-missing-tables drops it)"]
    );
    let p = planned(
        USERS,
        &Options {
            drop_missing_tables: true,
            ..Options::default()
        },
    );
    assert_eq!(p.summary(), ["table legacy: dropped"]);
    assert!(
        p.rust()
            .starts_with("// REVIEW: drops table legacy and every row in it"),
        "{}",
        p.rust()
    );
    // ... but never one diesel.toml's filter leaves out.
    let p = planned(
        USERS,
        &Options {
            drop_missing_tables: true,
            filter: TableFilter::new(&["^users$"], &[]).unwrap(),
            ..Options::default()
        },
    );
    assert!(p.is_empty(), "{:?}", p.summary());
}

#[test]
fn a_table_that_moves_is_a_rename_for_review() {
    let renamed = LEGACY.replace("legacy (id)", "archive (id)");
    let p = planned(&format!("{USERS}{renamed}"), &Options::default());
    assert_eq!(p.summary(), ["table archive: renamed from legacy"]);
    let rust = p.rust();
    assert!(
        rust.contains(
            "// REVIEW: rename or drop+add? table legacy is gone from schema.rs and archive is new"
        ),
        "{rust}"
    );
    assert!(
        rust.contains("op.rename_table(\"legacy\", \"archive\")?;"),
        "{rust}"
    );
}

#[test]
fn narrowing_and_not_null_are_hazards() {
    let file = USERS
        .replace("score -> Nullable<Int8>", "score -> Int4")
        .replace("#[max_length = 255]", "#[max_length = 100]");
    let p = planned(&format!("{file}{LEGACY}"), &Options::default());
    assert_eq!(
        p.summary(),
        [
            "table users: column email: type Varchar (max_length 255) to Varchar (max_length 100)",
            "table users: column score: type Int8 to Int4, NOT NULL",
        ]
    );
    let rust = p.rust();
    assert!(rust.contains("// REVIEW: narrows users.email from Varchar (max_length 255) to Varchar (max_length 100)"), "{rust}");
    assert!(
        rust.contains("narrows users.score from Int8 to Int4"),
        "{rust}"
    );
    assert!(
        rust.contains("sets users.score NOT NULL: the upgrade fails if a row holds NULL there"),
        "{rust}"
    );
    assert!(rust.contains(".set_type(Type::String(100))"), "{rust}");
    assert!(rust.contains(".existing_type(Type::String(255))"), "{rust}");
}

#[test]
fn widening_is_not_a_hazard_and_not_null_columns_need_a_default() {
    let file = USERS.replace(
        "score -> Nullable<Int8>,",
        "score -> Nullable<Int8>, active -> Bool,",
    );
    let file = file.replace("#[max_length = 255] email -> Varchar", "email -> Text");
    let p = planned(&format!("{file}{LEGACY}"), &Options::default());
    let rust = p.rust();
    assert!(!rust.contains("narrows"), "{rust}");
    assert!(rust.contains("// REVIEW: adds NOT NULL column active without a default: fails if table users has rows"), "{rust}");
    assert!(
        rust.contains("op.add_column(\"users\", \"active\", Type::Boolean)?.not_null();"),
        "{rust}"
    );
}

#[test]
fn the_plan_renders_as_sql_for_its_dialect() {
    let file = USERS.replace(
        "score -> Nullable<Int8>,",
        "score -> Nullable<Int8>, tz -> Nullable<Text>,",
    );
    let p = planned(&format!("{file}{LEGACY}"), &Options::default());
    let sql: Vec<String> = p
        .operations()
        .as_slice()
        .iter()
        .flat_map(|op| op.render(Dialect::Postgres).unwrap())
        .collect();
    assert_eq!(sql, [r#"ALTER TABLE "users" ADD COLUMN "tz" TEXT"#]);
}

#[test]
fn an_unknown_type_names_the_way_to_map_it() {
    // PostgreSQL takes any lower-case name for a type of its own (an extension's, PostGIS's
    // `geometry`); SQLite's Diesel types are a fixed list.
    let mut op = Operations::default();
    op.create_table("users", |t| {
        t.column("id", Type::Integer).primary_key();
    })
    .unwrap();
    let sqlite = Schema::replay(Dialect::Sqlite, op.as_slice()).unwrap();
    let file = "diesel::table! { users (id) { id -> Integer, shape -> Nullable<Geometry>, } }";
    let err = plan(&parse(file).unwrap(), &sqlite, &Options::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "schema.rs: column users.shape has the Diesel type `Nullable<Geometry>`, which migrate cannot map to a sqlite type; map it in migrate.toml: [migrate.types] Geometry = \"SQL TYPE\""
    );
    let pg = USERS.replace(
        "score -> Nullable<Int8>,",
        "score -> Nullable<Int8>, shape -> Nullable<Geometry>,",
    );
    let p = plan(&parse(&pg).unwrap(), &database(), &Options::default()).unwrap();
    assert!(
        p.rust().contains("Type::Custom(\"geometry\".into())"),
        "{}",
        p.rust()
    );
}

#[test]
fn parse_errors_point_at_the_line_and_column() {
    let err = parse("diesel::table! {\n    users (id) {\n        id -> ,\n    }\n}\n").unwrap_err();
    assert_eq!((err.line, err.column), (3, 15), "{err}");
    let err = parse("diesel::table! { users (nope) { id -> Int4, } }").unwrap_err();
    assert!(
        err.to_string()
            .contains("primary key column `nope` is not a column of table `users`"),
        "{err}"
    );
    let err = parse("diesel::joinable!(posts -> users (user_id));").unwrap_err();
    assert!(
        err.to_string()
            .contains("joinable! names `posts`, which no table! in this module declares"),
        "{err}"
    );
}
