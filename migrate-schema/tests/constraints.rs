//! Replay of index and constraint operations, and drops by generated names.

use migrate_schema::ErrorKind;
use migrate_sql::{Constraint, ConstraintType, Dialect, ForeignKey, QualifiedName, Sql, Type};

use crate::replay::{err, posts, users};
use crate::{replay, ALL};

#[test]
fn create_and_drop_index() {
    for d in ALL {
        let s = replay(d, |op| {
            users(op);
            op.create_index("ix_a", "users", &["email"])
                .unwrap()
                .unique();
            op.create_index("ix_b", "users", &["name"]).unwrap();
            op.drop_index("ix_b", "users").unwrap();
            op.drop_index("ix_gone", "users").unwrap().if_exists();
            op.create_index("ix_a", "users", &["email"])
                .unwrap()
                .if_not_exists();
        });
        let u = s.table(&"users".into()).unwrap();
        assert_eq!(u.indexes.len(), 1);
        assert!(u.indexes[0].unique);
        let e = err(d, |op| {
            users(op);
            op.drop_index("ix_gone", "users").unwrap();
        });
        assert!(matches!(e.kind, ErrorKind::NoIndex { .. }), "{e}");
        let e = err(d, |op| {
            users(op);
            op.create_index("ix_a", "users", &["email"]).unwrap();
            op.create_index("ix_a", "users", &["name"]).unwrap();
        });
        assert!(matches!(e.kind, ErrorKind::IndexExists { .. }), "{e}");
        let e = err(d, |op| {
            users(op);
            op.create_index("ix_a", "users", &["ghost"]).unwrap();
        });
        assert!(matches!(e.kind, ErrorKind::NoColumn { .. }), "{e}");
    }
    // PostgreSQL finds an index by name in the schema, whatever table the drop names.
    let s = replay(Dialect::Postgres, |op| {
        users(op);
        posts(op);
        op.create_index("ix_t", "posts", &["title"]).unwrap();
        op.drop_index("ix_t", "users").unwrap();
    });
    assert!(s.table(&"posts".into()).unwrap().indexes.is_empty());
    let e = err(Dialect::Mysql, |op| {
        users(op);
        posts(op);
        op.create_index("ix_t", "posts", &["title"]).unwrap();
        op.drop_index("ix_t", "users").unwrap();
    });
    assert!(matches!(e.kind, ErrorKind::NoIndex { .. }), "{e}");
}

#[test]
fn add_and_drop_each_constraint_kind() {
    for d in ALL {
        let s = replay(d, |op| {
            op.create_table("t", |t| {
                t.column("a", Type::Integer);
                t.column("b", Type::Integer);
            })
            .unwrap();
            op.create_primary_key("pk_t", "t", &["a"]).unwrap();
            op.create_unique_constraint("uq_t_b", "t", &["b"]).unwrap();
            op.create_check_constraint("ck_t_b", "t", Sql("b > 0"))
                .unwrap();
            op.create_foreign_key("fk_t_b", "t", "t", &["b"], &["a"])
                .unwrap();
        });
        let t = s.table(&"t".into()).unwrap();
        assert_eq!(t.primary_key_columns(), ["a"]);
        assert!(!t.columns[0].nullable, "a key column is NOT NULL");
        assert_eq!(t.uniques.len(), 1);
        assert_eq!(t.checks.len(), 1);
        assert_eq!(t.foreign_keys.len(), 1);
        let s = replay(d, |op| {
            op.create_table("t", |t| {
                t.column("a", Type::Integer);
                t.column("b", Type::Integer);
            })
            .unwrap();
            op.create_primary_key("pk_t", "t", &["a"]).unwrap();
            op.create_unique_constraint("uq_t_b", "t", &["b"]).unwrap();
            op.create_check_constraint("ck_t_b", "t", Sql("b > 0"))
                .unwrap();
            op.create_foreign_key("fk_t_b", "t", "t", &["b"], &["a"])
                .unwrap();
            op.drop_constraint("uq_t_b", "t", ConstraintType::Unique)
                .unwrap();
            op.drop_constraint("ck_t_b", "t", ConstraintType::Check)
                .unwrap();
            op.drop_constraint("fk_t_b", "t", ConstraintType::ForeignKey)
                .unwrap();
            op.drop_constraint("pk_t", "t", ConstraintType::PrimaryKey)
                .unwrap();
        });
        let t = s.table(&"t".into()).unwrap();
        assert!(t.primary_key.is_none() && t.uniques.is_empty());
        assert!(
            t.checks.is_empty() && t.foreign_keys.is_empty(),
            "{}",
            d.name()
        );
        let e = err(d, |op| {
            op.create_table("t", |t| {
                t.column("a", Type::Integer);
            })
            .unwrap();
            op.drop_constraint("nope", "t", ConstraintType::Check)
                .unwrap();
        });
        assert!(matches!(e.kind, ErrorKind::NoConstraint { .. }), "{e}");
        let e = err(d, |op| {
            op.create_table("t", |t| {
                t.column("a", Type::Integer);
            })
            .unwrap();
            op.create_unique_constraint("uq", "t", &["ghost"]).unwrap();
        });
        assert!(matches!(e.kind, ErrorKind::NoColumn { .. }), "{e}");
    }
}

#[test]
fn unnamed_constraints_drop_by_the_name_the_database_gave_them() {
    let s = replay(Dialect::Postgres, |op| {
        users(op);
        posts(op);
        op.drop_constraint("users_email_key", "users", ConstraintType::Unique)
            .unwrap();
        op.drop_constraint("users_name_check", "users", ConstraintType::Check)
            .unwrap();
        op.drop_constraint("posts_user_id_fkey", "posts", ConstraintType::ForeignKey)
            .unwrap();
        op.drop_constraint("users_pkey", "users", ConstraintType::PrimaryKey)
            .unwrap();
    });
    let u = s.table(&"users".into()).unwrap();
    assert!(u.uniques.is_empty() && u.checks.is_empty() && u.primary_key.is_none());
    assert!(s.table(&"posts".into()).unwrap().foreign_keys.is_empty());
    let s = replay(Dialect::Mysql, |op| {
        users(op);
        posts(op);
        op.drop_constraint("email", "users", ConstraintType::Unique)
            .unwrap();
        op.drop_constraint("users_chk_1", "users", ConstraintType::Check)
            .unwrap();
        op.drop_constraint("posts_ibfk_1", "posts", ConstraintType::ForeignKey)
            .unwrap();
    });
    let u = s.table(&"users".into()).unwrap();
    assert!(u.uniques.is_empty() && u.checks.is_empty());
    assert!(s.table(&"posts".into()).unwrap().foreign_keys.is_empty());
    // SQLite keeps no foreign key names: the drop's definition finds it.
    let s = replay(Dialect::Sqlite, |op| {
        users(op);
        posts(op);
        let fk = ForeignKey {
            name: None,
            columns: vec!["user_id".into()],
            ref_table: QualifiedName::from("users"),
            ref_columns: vec!["id".into()],
            on_delete: None,
            on_update: None,
        };
        op.drop_constraint("fk_whatever", "posts", ConstraintType::ForeignKey)
            .unwrap()
            .definition(Constraint::ForeignKey(fk));
    });
    assert!(s.table(&"posts".into()).unwrap().foreign_keys.is_empty());
    let e = err(Dialect::Postgres, |op| {
        users(op);
        op.drop_constraint("users_email_key2", "users", ConstraintType::Unique)
            .unwrap();
    });
    assert!(matches!(e.kind, ErrorKind::NoConstraint { .. }), "{e}");
}
