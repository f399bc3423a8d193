//! Raw SQL and Rust steps: what the model cannot follow is reported, never guessed.

use migrate_schema::{Key, Schema};
use migrate_sql::{Dialect, Operation, Operations, Type};

use crate::{lines, replay, ALL};

fn base(op: &mut Operations) {
    for name in ["users", "posts"] {
        op.create_table(name, |t| {
            t.column("id", Type::BigInt).primary_key();
        })
        .unwrap();
    }
}

fn key(name: &str) -> Key {
    Key {
        schema: None,
        name: name.into(),
    }
}

#[test]
fn ddl_in_raw_sql_makes_the_tables_it_names_opaque() {
    for d in ALL {
        let s = replay(d, |op| {
            base(op);
            op.execute("ALTER TABLE users ADD COLUMN bio TEXT").unwrap();
        });
        let why = &s.opaque_tables()[&key("users")];
        assert!(why[0].starts_with("changed by raw SQL: execute"), "{why:?}");
        assert!(!s.is_opaque(&key("posts")));
        assert!(s.uncertain().is_empty());
        // The diff does not call it equal, and still checks the rest.
        let clean = replay(d, base);
        let l = lines(&s, &clean);
        assert_eq!(l.len(), 1, "{l:?}");
        assert!(
            l[0].starts_with("table users: not checked (changed by raw SQL"),
            "{l:?}"
        );
        let mut other = clean.clone();
        other.remove_table(&"posts".into());
        let l = lines(&s, &other);
        assert_eq!(l.len(), 2, "{l:?}");
        assert_eq!(l[0], "table posts: missing in the database", "{l:?}");
    }
}

#[test]
fn data_statements_change_nothing() {
    for d in ALL {
        let s = replay(d, |op| {
            base(op);
            op.execute("UPDATE users SET id = id + 1; DELETE FROM posts WHERE id < 0")
                .unwrap();
            op.execute("INSERT INTO users (id) SELECT id FROM posts")
                .unwrap();
        });
        assert!(s.is_certain(), "{:?}", s.opaque_tables());
    }
    let s = replay(Dialect::Sqlite, |op| {
        op.execute("PRAGMA foreign_keys = ON").unwrap();
    });
    assert!(s.is_certain(), "{:?}", s.uncertain());
}

#[test]
fn each_kind_of_ddl_names_its_table() {
    let cases: [(&str, &str); 7] = [
        ("CREATE TABLE docs (id INT)", "docs"),
        ("DROP TABLE posts", "posts"),
        ("CREATE INDEX ix ON posts (id)", "posts"),
        ("ALTER TABLE users RENAME TO people", "people"),
        ("COMMENT ON TABLE posts IS 'x'", "posts"),
        ("COMMENT ON COLUMN posts.id IS 'x'", "posts"),
        ("ALTER TABLE Users ADD COLUMN x INT", "users"),
    ];
    for (sql, table) in cases {
        let s = replay(Dialect::Postgres, |op| {
            base(op);
            op.execute(sql).unwrap();
        });
        assert!(s.is_opaque(&key(table)), "{sql}: {:?}", s.opaque_tables());
        assert!(s.uncertain().is_empty(), "{sql}: {:?}", s.uncertain());
    }
    // PostgreSQL folds unquoted names; a quoted name keeps its case.
    let s = replay(Dialect::Postgres, |op| {
        op.execute(r#"ALTER TABLE "Users" ADD COLUMN x INT"#)
            .unwrap();
    });
    assert!(s.is_opaque(&key("Users")));
    let s = replay(Dialect::Mysql, |op| {
        base(op);
        op.execute("RENAME TABLE users TO people").unwrap();
    });
    assert!(s.is_opaque(&key("users")) && s.is_opaque(&key("people")));
}

#[test]
fn a_raw_index_drop_finds_its_table() {
    let s = replay(Dialect::Postgres, |op| {
        base(op);
        op.create_index("ix_posts", "posts", &["id"]).unwrap();
        op.execute("DROP INDEX ix_posts").unwrap();
    });
    assert!(s.is_opaque(&key("posts")));
    let s = replay(Dialect::Postgres, |op| {
        base(op);
        op.execute("DROP INDEX ix_unknown").unwrap();
    });
    assert!(
        !s.uncertain().is_empty(),
        "an index the model lacks: anything may be touched"
    );
}

#[test]
fn unreadable_sql_makes_the_whole_schema_uncertain() {
    for d in ALL {
        let s = replay(d, |op| {
            base(op);
            op.execute("THIS IS NOT SQL ((").unwrap();
        });
        assert_eq!(s.uncertain().len(), 1);
        assert!(
            s.uncertain()[0].contains("could not be parsed"),
            "{:?}",
            s.uncertain()
        );
        let l = lines(&s, &replay(d, base));
        assert_eq!(l.len(), 1);
        assert!(l[0].starts_with("schema: not checked ("), "{l:?}");
        // An uncertain side makes the diff say so whichever side it is.
        let l = lines(&replay(d, base), &s);
        assert!(l[0].starts_with("schema: not checked ("), "{l:?}");
    }
}

#[test]
fn statements_the_model_cannot_follow_are_uncertain_not_ignored() {
    let s = replay(Dialect::Postgres, |op| {
        op.execute("CREATE EXTENSION postgis").unwrap();
    });
    assert!(!s.uncertain().is_empty());
    let s = replay(Dialect::Postgres, |op| {
        op.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
            .unwrap();
        op.execute("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql")
            .unwrap();
    });
    assert!(s.is_certain(), "{:?}", s.uncertain());
    let s = replay(Dialect::Postgres, |op| {
        op.execute("DROP SCHEMA audit CASCADE").unwrap();
    });
    assert!(!s.uncertain().is_empty());
}

#[test]
fn raw_enum_changes_make_the_type_opaque() {
    let s = replay(Dialect::Postgres, |op| {
        op.create_enum("mood", &["sad"]).unwrap();
        op.execute("ALTER TYPE mood ADD VALUE 'happy'").unwrap();
    });
    assert!(s.opaque_enums().contains_key(&key("mood")));
    let clean = replay(Dialect::Postgres, |op| {
        op.create_enum("mood", &["sad"]).unwrap()
    });
    let l = lines(&s, &clean);
    assert_eq!(l.len(), 1);
    assert!(l[0].starts_with("enum mood: not checked"), "{l:?}");
}

#[test]
fn rust_steps_use_their_offline_sql_or_make_the_schema_uncertain() {
    let mut s = Schema::new(Dialect::Sqlite);
    s.apply(&Operation::Callback {
        index: 0,
        offline_sql: Some(vec!["ALTER TABLE users ADD COLUMN x INT".into()]),
    })
    .unwrap();
    assert!(s.is_opaque(&key("users")));
    assert!(s.uncertain().is_empty());
    s.apply(&Operation::Callback {
        index: 1,
        offline_sql: None,
    })
    .unwrap();
    assert_eq!(
        s.uncertain(),
        ["Rust step #1 can do anything and has no offline SQL to read"]
    );
}

#[test]
fn operations_on_tables_raw_sql_made_are_not_errors() {
    for d in ALL {
        let s = replay(d, |op| {
            op.execute("CREATE TABLE docs (id INT)").unwrap();
            op.add_column("docs", "title", Type::Text).unwrap();
            op.create_index("ix_docs", "docs", &["title"]).unwrap();
        });
        assert!(s.is_opaque(&key("docs")));
        // Uncertain: a missing table becomes opaque instead of an error.
        let s = replay(d, |op| {
            op.execute("NOT SQL").unwrap();
            op.add_column("ghost", "c", Type::Text).unwrap();
        });
        assert!(s.is_opaque(&key("ghost")));
        // The model does not vouch for a table raw SQL touched, until it is dropped.
        let s = replay(d, |op| {
            base(op);
            op.execute("ALTER TABLE users ADD COLUMN x INT").unwrap();
            op.drop_table("users").unwrap();
        });
        assert!(s.is_certain());
    }
}

#[test]
fn a_table_raw_sql_made_stays_opaque_when_the_dsl_renames_it() {
    for d in ALL {
        let s = replay(d, |op| {
            op.execute("CREATE TABLE audit_log (id INT)").unwrap();
            op.rename_table("audit_log", "audit_entries").unwrap();
        });
        assert!(!s.is_opaque(&key("audit_log")), "{}", d.name());
        let why = &s.opaque_tables()[&key("audit_entries")];
        assert!(why[0].starts_with("changed by raw SQL: execute"), "{why:?}");
    }
}

#[test]
fn objects_not_modelled_are_reported_on_either_side_never_equal() {
    for d in ALL {
        let mut db = replay(d, base);
        db.mark_not_modelled("view active_users");
        db.mark_not_modelled("table users: trigger touch");
        let l = lines(&replay(d, base), &db);
        assert_eq!(
            l,
            [
                "table users: trigger touch: not modelled, not checked",
                "view active_users: not modelled, not checked",
            ]
        );
        assert_eq!(lines(&db, &replay(d, base)).len(), 2);
    }
}
