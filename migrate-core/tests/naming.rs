//! migrate.toml's `naming_convention` (SQLAlchemy's `MetaData.naming_convention`): unnamed
//! constraints get the names the templates give, in the database and in the model alike, so
//! drift stays clean and a later migration can drop them by those names. On all three
//! backends.

#![allow(clippy::unwrap_used, clippy::expect_used, unreachable_pub)]

mod common;

use std::path::Path;

use common::TestDb;
use diesel::sql_types::Text;
use diesel::{QueryableByName, RunQueryDsl};
use migrate_core::schema::diff;
use migrate_core::sql::{Constraint, ConstraintType, Sql, Type, UniqueConstraint};
use migrate_core::{Backend, Config, Migration, Migrator, Op, Registry, Result};

on_each_backend!(unnamed_constraints_get_the_convention_s_names);

const TOML: &str = r#"[migrate]
naming_convention = { pk = "pk_%(table_name)s", uq = "uq_%(table_name)s_%(column_0_N_name)s", fk = "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", ck = "ck_%(table_name)s_%(constraint_name)s" }
"#;

/// A table name long enough that PostgreSQL's 63-byte limit cuts the foreign key's name.
const LONG: &str = "comments_on_posts_by_people_who_write_long_table_names";

fn n1(op: &mut Op) -> Result<()> {
    op.create_table("users", |t| {
        t.column("id", Type::Integer).primary_key();
        t.column("email", Type::String(100)).not_null().unique();
    })?;
    op.create_table("posts", |t| {
        t.column("id", Type::Integer).primary_key();
        t.column("author_id", Type::Integer)
            .not_null()
            .references("users", "id");
        t.column("title", Type::String(50)).not_null();
        t.unique(&["title", "author_id"]);
        t.check(Sql("length(title) > 0")).name("title_len");
    })?;
    op.create_table(LONG, |t| {
        t.column("id", Type::Integer).primary_key();
        t.column("post_id", Type::Integer).references("posts", "id");
    })?;
    Ok(())
}

/// A named check under a template with `%(constraint_name)s`: converted, and the derived
/// downgrade drops it by the converted name.
fn n2(op: &mut Op) -> Result<()> {
    op.create_check_constraint("positive", "posts", Sql("id > 0"))?;
    Ok(())
}

/// Drops a constraint n1 left unnamed, by the name the convention gave it.
fn n3(op: &mut Op) -> Result<()> {
    op.drop_constraint("uq_posts_title_author_id", "posts", ConstraintType::Unique)?
        .definition(Constraint::Unique(UniqueConstraint {
            name: None,
            columns: vec!["title".into(), "author_id".into()],
        }));
    Ok(())
}

macro_rules! m {
    ($rev:literal, [$($down:literal),*], $f:ident) => {
        Migration::__new($rev, &[$($down),*], &[], &[], stringify!($f), concat!("sum-", $rev),
            concat!("tests/versions/", $rev, ".rs"), 1, $f, None, true)
    };
}

static NAMED: [Migration; 3] = [m!("n1", [], n1), m!("n2", ["n1"], n2), m!("n3", ["n2"], n3)];

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

fn names(db: &TestDb) -> Vec<String> {
    let sql = match db.backend {
        Backend::Postgres => "SELECT conname::text AS line FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype <> 'n' ORDER BY 1",
        Backend::Mysql => "SELECT CONSTRAINT_NAME AS line FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND CONSTRAINT_TYPE <> 'PRIMARY KEY' ORDER BY 1",
        // Named unique constraints are unique indexes on SQLite; the other names live in the
        // table's SQL.
        _ => "SELECT name AS line FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL UNION ALL SELECT sql AS line FROM sqlite_master WHERE type = 'table' ORDER BY 1",
    };
    let rows: Vec<Line> = diesel::sql_query(sql).load(&mut db.conn()).unwrap();
    // Not the version and history tables' own keys.
    rows.into_iter()
        .map(|l| l.line)
        .filter(|l| !l.starts_with("migrate_"))
        .collect()
}

fn drift(m: &Migrator) -> Vec<String> {
    let actual = m.introspect().unwrap();
    let expected = m
        .replay(&m.current().unwrap(), actual.rules().clone())
        .unwrap();
    diff(&expected, &actual)
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn unnamed_constraints_get_the_convention_s_names(backend: Backend) {
    let db = TestDb::new(backend, "naming");
    let config = Config::parse(TOML, Path::new("migrate.toml")).unwrap();
    let m = config
        .apply(Migrator::from_registry(
            Registry::from_migrations(NAMED.iter().copied()).unwrap(),
        ))
        .unwrap()
        .url(&db.url)
        .unwrap();
    m.upgrade("n2").unwrap();
    assert_eq!(drift(&m), Vec::<String>::new(), "{backend:?} at n2");
    let got = names(&db);
    // fk_<LONG>_post_id_posts is 70 characters: cut to 55 + "_" + 4 hex digits of its MD5
    // on PostgreSQL (63) and MySQL (64); SQLite has no limit.
    let long_fk = format!("fk_{LONG}_post_id_posts");
    let cut_fk = match backend {
        Backend::Sqlite => long_fk.clone(),
        _ => {
            let limit = if backend == Backend::Postgres { 63 } else { 64 };
            let cut = got
                .iter()
                .find(|n| n.starts_with(&long_fk[..limit - 8]))
                .unwrap_or_else(|| panic!("{backend:?}: no cut foreign key name in {got:#?}"))
                .clone();
            assert_eq!(cut.len(), limit - 3, "{cut}");
            assert!(cut[limit - 8..].starts_with('_'), "{cut}");
            assert!(
                cut[limit - 7..].chars().all(|c| c.is_ascii_hexdigit()),
                "{cut}"
            );
            cut
        }
    };
    match backend {
        Backend::Postgres => {
            let mut expected = vec![
                "ck_posts_positive".to_string(),
                "ck_posts_title_len".into(),
                cut_fk,
                "fk_posts_author_id_users".into(),
                format!("pk_{}", &LONG),
                "pk_posts".into(),
                "pk_users".into(),
                "uq_posts_title_author_id".into(),
                "uq_users_email".into(),
            ];
            expected.sort();
            assert_eq!(got, expected);
        }
        Backend::Mysql => {
            let mut expected = vec![
                "ck_posts_positive".to_string(),
                "ck_posts_title_len".into(),
                cut_fk,
                "fk_posts_author_id_users".into(),
                "uq_posts_title_author_id".into(),
                "uq_users_email".into(),
            ];
            expected.sort();
            assert_eq!(got, expected);
        }
        _ => {
            let all = got.join("\n");
            for name in [
                "uq_posts_title_author_id",
                "uq_users_email",
                "CONSTRAINT \"ck_posts_title_len\" CHECK",
                "CONSTRAINT \"ck_posts_positive\" CHECK",
                "CONSTRAINT \"fk_posts_author_id_users\" FOREIGN KEY",
                &format!("CONSTRAINT \"{cut_fk}\" FOREIGN KEY"),
            ] {
                assert!(all.contains(name), "{name} in {all}");
            }
        }
    }
    // A later migration drops a constraint by the convention's name; all the way down again.
    m.upgrade("n3").unwrap();
    assert_eq!(drift(&m), Vec::<String>::new(), "{backend:?} at n3");
    assert!(!names(&db)
        .iter()
        .any(|n| n.contains("uq_posts_title_author_id")));
    for target in ["n2", "n1", "base"] {
        m.downgrade(target).unwrap();
        assert_eq!(
            drift(&m),
            Vec::<String>::new(),
            "{backend:?} down at {target}"
        );
    }
    assert!(!names(&db).iter().any(|n| n.contains("ck_posts_positive")));
}

fn unnamed_check(op: &mut Op) -> Result<()> {
    op.create_table("t", |t| {
        t.column("a", Type::Integer);
        t.check(Sql("a > 0"));
    })?;
    Ok(())
}

static UNNAMED_CHECK: [Migration; 1] = [m!("u1", [], unnamed_check)];

/// `%(constraint_name)s` needs a name: an unnamed check is refused before anything runs.
#[test]
fn a_template_with_constraint_name_refuses_an_unnamed_constraint() {
    let db = TestDb::new(Backend::Sqlite, "naming_unnamed");
    let config = Config::parse(TOML, Path::new("migrate.toml")).unwrap();
    let m = config
        .apply(Migrator::from_registry(
            Registry::from_migrations(UNNAMED_CHECK.iter().copied()).unwrap(),
        ))
        .unwrap()
        .url(&db.url)
        .unwrap();
    let err = m.upgrade("head").unwrap_err().to_string();
    assert!(
        err.contains("ck uses %(constraint_name)s, so each such constraint of table t needs a name; give it one with .name(..)"),
        "{err}"
    );
    assert!(!db.has_table("t"));
}
