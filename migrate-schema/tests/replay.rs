//! Replay of every operation kind, on each dialect.

use migrate_schema::{ErrorKind, IndexColumn, Schema};
use migrate_sql::{Action, CheckConstraint, ColumnDefault, Dialect, Operations, Sql, Type, Value};

use crate::{lines, replay, ALL};

pub(crate) fn users(op: &mut Operations) {
    op.create_table("users", |t| {
        t.column("id", Type::BigInt).primary_key().autoincrement();
        t.column("email", Type::String(255)).not_null().unique();
        t.column("name", Type::Text).comment("shown");
        t.check(Sql("length(name) > 0"));
        t.comment("people");
    })
    .unwrap();
}

pub(crate) fn posts(op: &mut Operations) {
    op.create_table("posts", |t| {
        t.column("id", Type::BigInt).primary_key();
        t.column("user_id", Type::BigInt)
            .not_null()
            .references("users", "id")
            .on_delete(Action::Cascade);
        t.column("title", Type::Text);
    })
    .unwrap();
}

pub(crate) fn err(d: Dialect, build: impl FnOnce(&mut Operations)) -> migrate_schema::Error {
    let mut op = Operations::default();
    build(&mut op);
    Schema::replay(d, op.as_slice()).expect_err("the replay must refuse")
}

#[test]
fn create_table_records_columns_keys_constraints_and_comment() {
    for d in ALL {
        let s = replay(d, |op| {
            users(op);
            posts(op);
        });
        let u = s.table(&"users".into()).unwrap();
        let names: Vec<&str> = u.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["id", "email", "name"]);
        assert_eq!(u.primary_key_columns(), ["id"]);
        assert!(!u.columns[0].nullable && u.columns[0].autoincrement);
        assert_eq!(u.uniques.len(), 1);
        assert_eq!(u.uniques[0].columns, ["email"]);
        assert_eq!(u.checks.len(), 1);
        assert_eq!(u.comment.as_deref(), Some("people"));
        assert_eq!(u.columns[2].comment.as_deref(), Some("shown"));
        let p = s.table(&"posts".into()).unwrap();
        assert_eq!(p.foreign_keys.len(), 1);
        assert_eq!(p.foreign_keys[0].on_delete, Some(Action::Cascade));
        assert_eq!(s.tables().count(), 2);
    }
}

#[test]
fn create_existing_table_is_an_error_unless_if_not_exists() {
    for d in ALL {
        let e = err(d, |op| {
            users(op);
            users(op);
        });
        assert_eq!(e.kind, ErrorKind::TableExists("users".into()));
        assert_eq!(
            e.to_string(),
            "create_table users: table users already exists"
        );
        let s = replay(d, |op| {
            users(op);
            op.create_table("users", |t| {
                t.column("other", Type::Text);
                t.if_not_exists();
            })
            .unwrap();
        });
        assert_eq!(s.table(&"users".into()).unwrap().columns.len(), 3);
    }
}

#[test]
fn drop_and_rename_table() {
    for d in ALL {
        let s = replay(d, |op| {
            users(op);
            posts(op);
            op.rename_table("users", "accounts").unwrap();
        });
        assert!(s.table(&"users".into()).is_none());
        let a = s.table(&"accounts".into()).unwrap();
        assert_eq!(a.name.name, "accounts");
        // The foreign key follows the rename.
        let fk = &s.table(&"posts".into()).unwrap().foreign_keys[0];
        assert_eq!(fk.ref_table.name, "accounts");

        let s = replay(d, |op| {
            users(op);
            op.drop_table("users").unwrap();
            op.drop_table("ghost").unwrap().if_exists();
        });
        assert_eq!(s.tables().count(), 0);
        let e = err(d, |op| {
            op.drop_table("ghost").unwrap();
        });
        assert_eq!(e.kind, ErrorKind::NoTable("ghost".into()));
        let e = err(d, |op| {
            users(op);
            posts(op);
            op.rename_table("users", "posts").unwrap();
        });
        assert_eq!(e.kind, ErrorKind::TableExists("posts".into()));
    }
}

#[test]
fn add_column_with_its_key_unique_and_reference() {
    for d in ALL {
        let s = replay(d, |op| {
            users(op);
            op.create_table("tags", |t| {
                t.column("label", Type::Text);
            })
            .unwrap();
            op.add_column("tags", "id", Type::Integer)
                .unwrap()
                .primary_key();
            op.add_column("tags", "slug", Type::String(40))
                .unwrap()
                .unique()
                .not_null()
                .default("x");
            op.add_column("tags", "owner", Type::BigInt)
                .unwrap()
                .references("users", "id");
        });
        let t = s.table(&"tags".into()).unwrap();
        assert_eq!(t.columns.len(), 4);
        assert_eq!(t.primary_key_columns(), ["id"]);
        assert!(!t.columns[1].nullable);
        assert_eq!(t.uniques[0].columns, ["slug"]);
        assert_eq!(
            t.columns[2].default,
            Some(ColumnDefault::Value(Value::Text("x".into())))
        );
        assert_eq!(t.foreign_keys[0].ref_table.name, "users");
        let e = err(d, |op| {
            users(op);
            op.add_column("users", "email", Type::Text).unwrap();
        });
        assert!(matches!(e.kind, ErrorKind::ColumnExists { .. }), "{e}");
        let e = err(d, |op| {
            users(op);
            op.add_column("users", "id2", Type::Integer)
                .unwrap()
                .primary_key();
        });
        assert_eq!(e.kind, ErrorKind::PrimaryKeyExists("users".into()));
    }
}

#[test]
fn drop_column_takes_what_uses_it_per_dialect() {
    let build = |op: &mut Operations| {
        users(op);
        posts(op);
        op.create_index("ix_pair", "users", &["email", "name"])
            .unwrap();
        op.create_index("ix_lower", "users", &[] as &[&str])
            .unwrap()
            .expression(Sql("lower(name)"));
        op.drop_column("users", "name").unwrap();
        op.drop_column("posts", "user_id").unwrap();
    };
    for d in ALL {
        let s = replay(d, build);
        let u = s.table(&"users".into()).unwrap();
        assert!(u.column("name", s.rules()).is_none());
        assert!(
            u.checks.is_empty(),
            "the check used the column ({})",
            d.name()
        );
        assert!(u.index("ix_lower", s.rules()).is_none(), "{}", d.name());
        match d {
            // MySQL takes the column out of the index.
            Dialect::Mysql => assert_eq!(
                u.index("ix_pair", s.rules()).unwrap().columns,
                [IndexColumn::Name("email".into())]
            ),
            _ => assert!(u.index("ix_pair", s.rules()).is_none(), "{}", d.name()),
        }
        assert!(s.table(&"posts".into()).unwrap().foreign_keys.is_empty());
    }
    let e = err(Dialect::Sqlite, |op| {
        users(op);
        op.drop_column("users", "id").unwrap();
    });
    assert!(matches!(e.kind, ErrorKind::KeyColumn { .. }), "{e}");
    let s = replay(Dialect::Postgres, |op| {
        users(op);
        op.drop_column("users", "id").unwrap();
    });
    assert!(s.table(&"users".into()).unwrap().primary_key.is_none());
    let e = err(Dialect::Postgres, |op| {
        users(op);
        op.drop_column("users", "ghost").unwrap();
    });
    assert_eq!(
        e.to_string(),
        "drop_column users.ghost: table users has no column ghost"
    );
}

#[test]
fn alter_column_type_nullability_default_comment_and_rename() {
    for d in ALL {
        let s = replay(d, |op| {
            users(op);
            posts(op);
            op.create_index("ix_email", "users", &["email"]).unwrap();
            op.alter_column("users", "name")
                .unwrap()
                .set_type(Type::String(80))
                .existing_type(Type::Text)
                .set_nullable(false)
                .existing_nullable(true)
                .set_server_default(Sql("'anon'"))
                .set_comment(Some("the name"));
            op.alter_column("users", "email").unwrap().rename_to("mail");
            op.alter_column("users", "id").unwrap().rename_to("uid");
        });
        let u = s.table(&"users".into()).unwrap();
        let name = u.column("name", s.rules()).unwrap();
        assert_eq!(name.ty, Type::String(80));
        assert!(!name.nullable);
        assert_eq!(name.default, Some(ColumnDefault::Sql("'anon'".into())));
        assert_eq!(name.comment.as_deref(), Some("the name"));
        assert!(u.column("mail", s.rules()).is_some());
        assert_eq!(u.uniques[0].columns, ["mail"]);
        assert_eq!(
            u.index("ix_email", s.rules()).unwrap().columns,
            [IndexColumn::Name("mail".into())]
        );
        assert_eq!(u.primary_key_columns(), ["uid"]);
        let fk = &s.table(&"posts".into()).unwrap().foreign_keys[0];
        assert_eq!(fk.ref_columns, ["uid"], "{}", d.name());
        let e = err(d, |op| {
            users(op);
            op.alter_column("users", "email").unwrap().rename_to("name");
        });
        assert!(matches!(e.kind, ErrorKind::ColumnExists { .. }), "{e}");
    }
}

#[test]
fn rename_rewrites_checks_and_index_expressions() {
    let s = replay(Dialect::Postgres, |op| {
        users(op);
        op.create_index("ix_lower", "users", &[] as &[&str])
            .unwrap()
            .expression(Sql("lower(name)"))
            .where_sql(Sql("name IS NOT NULL"));
        op.alter_column("users", "name").unwrap().rename_to("Full");
    });
    let u = s.table(&"users".into()).unwrap();
    assert_eq!(u.checks[0].expr, r#"length("Full") > 0"#);
    let ix = u.index("ix_lower", s.rules()).unwrap();
    assert_eq!(ix.columns, [IndexColumn::Expr(r#"lower("Full")"#.into())]);
    assert_eq!(ix.predicate.as_deref(), Some(r#""Full" IS NOT NULL"#));
}

#[test]
fn mysql_modify_loses_what_it_does_not_restate() {
    let s = replay(Dialect::Mysql, |op| {
        op.create_table("t", |t| {
            t.column("id", Type::BigInt).primary_key().autoincrement();
            t.column("n", Type::Integer).default(3).comment("count");
        })
        .unwrap();
        op.alter_column("t", "n")
            .unwrap()
            .set_nullable(false)
            .existing_type(Type::Integer);
        op.alter_column("t", "id")
            .unwrap()
            .set_type(Type::Integer)
            .existing_nullable(false);
    });
    let t = s.table(&"t".into()).unwrap();
    let n = t.column("n", s.rules()).unwrap();
    assert!(!n.nullable);
    assert_eq!(
        n.default, None,
        "MODIFY without existing_default drops the default"
    );
    assert_eq!(n.comment, None);
    assert!(!t.columns[0].autoincrement, "MODIFY drops AUTO_INCREMENT");
    // The other dialects keep them.
    for d in [Dialect::Postgres, Dialect::Sqlite] {
        let s = replay(d, |op| {
            op.create_table("t", |t| {
                t.column("n", Type::Integer).default(3);
            })
            .unwrap();
            op.alter_column("t", "n").unwrap().set_nullable(false);
        });
        let n = &s.table(&"t".into()).unwrap().columns[0];
        assert_eq!(n.default, Some(ColumnDefault::Value(Value::Int(3))));
    }
}

#[test]
fn enums_exist_on_postgres_only() {
    let s = replay(Dialect::Postgres, |op| {
        op.create_enum("mood", &["sad", "ok"]).unwrap();
        op.create_enum(("audit", "level"), &["low"]).unwrap();
        op.drop_enum(("audit", "level")).unwrap();
    });
    assert_eq!(s.enum_type(&"mood".into()).unwrap().values, ["sad", "ok"]);
    assert_eq!(s.enums().count(), 1);
    let e = err(Dialect::Postgres, |op| {
        op.create_enum("mood", &["a"]).unwrap();
        op.create_enum("mood", &["b"]).unwrap();
    });
    assert_eq!(e.kind, ErrorKind::EnumExists("mood".into()));
    let e = err(Dialect::Postgres, |op| {
        op.drop_enum("mood").unwrap();
    });
    assert_eq!(e.kind, ErrorKind::NoEnum("mood".into()));
    for d in [Dialect::Mysql, Dialect::Sqlite] {
        let s = replay(d, |op| {
            op.create_enum("mood", &["a"]).unwrap();
            op.drop_enum("other").unwrap();
        });
        assert_eq!(s.enums().count(), 0, "{}", d.name());
    }
}

#[test]
fn table_comment_and_bulk_insert() {
    for d in ALL {
        let s = replay(d, |op| {
            users(op);
            op.set_table_comment("users", Some("everyone"), None)
                .unwrap();
            op.bulk_insert("users", &["email"], vec![vec!["a@b".into()]])
                .unwrap();
        });
        let before = replay(d, users);
        let u = s.table(&"users".into()).unwrap();
        assert_eq!(u.comment.as_deref(), Some("everyone"));
        // Data changes no schema: only the comment differs.
        assert_eq!(lines(&before, &s).len(), usize::from(d != Dialect::Sqlite));
        let s = replay(d, |op| {
            users(op);
            op.set_table_comment("users", None, None).unwrap();
        });
        assert_eq!(s.table(&"users".into()).unwrap().comment, None);
        let e = err(d, |op| {
            op.bulk_insert("ghost", &["a"], vec![vec![Value::Int(1)]])
                .unwrap();
        });
        assert_eq!(
            e.to_string(),
            "bulk_insert into ghost: table ghost does not exist"
        );
        let e = err(d, |op| {
            users(op);
            op.bulk_insert("users", &["nope"], vec![vec![Value::Int(1)]])
                .unwrap();
        });
        assert!(matches!(e.kind, ErrorKind::NoColumn { .. }), "{e}");
    }
}

#[test]
fn schemas_qualify_tables_and_the_default_one_is_none() {
    let s = replay(Dialect::Postgres, |op| {
        op.create_table(("audit", "users"), |t| {
            t.column("id", Type::Integer);
        })
        .unwrap();
        op.create_table(("public", "users"), |t| {
            t.column("id", Type::Integer);
        })
        .unwrap();
        op.add_column("users", "x", Type::Text).unwrap();
    });
    assert_eq!(s.tables().count(), 2);
    assert_eq!(
        s.table(&("public", "users").into()).unwrap().columns.len(),
        2
    );
    assert_eq!(
        s.table(&("audit", "users").into()).unwrap().columns.len(),
        1
    );
}

#[test]
fn check_constraints_keep_their_condition() {
    let s = replay(Dialect::Postgres, |op| {
        op.create_table("t", |t| {
            t.column("a", Type::Integer);
            t.check(Sql("a > 0")).name("ck_a");
        })
        .unwrap();
    });
    assert_eq!(
        s.table(&"t".into()).unwrap().checks,
        [CheckConstraint {
            name: Some("ck_a".into()),
            expr: "a > 0".into()
        }]
    );
}

#[test]
fn unqualified_references_resolve_as_each_dialect_does() {
    // SQLite looks in the referencing table's schema; PostgreSQL and MySQL in the default.
    for (d, target) in [(Dialect::Sqlite, "audit"), (Dialect::Postgres, "public")] {
        let s = replay(d, |op| {
            for schema in ["audit", "public"] {
                op.create_table((schema, "users"), |t| {
                    t.column("id", Type::BigInt).primary_key();
                })
                .unwrap();
            }
            op.create_table(("audit", "log"), |t| {
                t.column("uid", Type::BigInt).references("users", "id");
            })
            .unwrap();
            op.rename_table((target, "users"), "people").unwrap();
        });
        let fk = &s.table(&("audit", "log").into()).unwrap().foreign_keys[0];
        assert_eq!(fk.ref_table.name, "people", "{}", d.name());
    }
}
