//! Scenarios shared by the golden snapshots and the real-database tests: each has a setup
//! (operations run first) and the operations under test.

pub(crate) mod db;
mod pg_types;

use migrate_sql::{
    rebuild, Action, ColumnDefault, Constraint, ConstraintType, Dialect, ForeignKey, Operation,
    Operations, QualifiedName, Sql, TableDef, Type, Value,
};

pub(crate) const DIALECTS: [Dialect; 3] = [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite];

pub(crate) struct Scenario {
    pub(crate) name: &'static str,
    pub(crate) setup: Operations,
    pub(crate) op: Operations,
    /// Dialects that must refuse the operation (rendering fails with a clear error).
    pub(crate) unsupported: &'static [Dialect],
    /// Whether the derived downgrade exists (and must restore the setup's schema).
    pub(crate) reversible: bool,
}

type Build = fn(&mut Operations) -> migrate_sql::Result<()>;

fn sc(name: &'static str, setup: Build, op: Build) -> Scenario {
    let mut s = Operations::default();
    let mut o = Operations::default();
    let built = setup(&mut s).and_then(|_| op(&mut o));
    if let Err(e) = built {
        panic!("scenario {name} does not build: {e}");
    }
    let reversible = migrate_sql::reverse_all(o.as_slice()).is_ok();
    Scenario {
        name,
        setup: s,
        op: o,
        unsupported: &[],
        reversible,
    }
}

fn users(op: &mut Operations) -> migrate_sql::Result<()> {
    op.create_table("users", |t| {
        t.column("id", Type::BigInt).primary_key().autoincrement();
        t.column("email", Type::String(255)).not_null();
        t.column("name", Type::String(40));
    })
}

fn users_posts(op: &mut Operations) -> migrate_sql::Result<()> {
    users(op)?;
    op.create_table("posts", |t| {
        t.column("id", Type::BigInt).primary_key().autoincrement();
        t.column("user_id", Type::BigInt).not_null();
        t.column("title", Type::String(100)).not_null();
    })
}

fn none(_: &mut Operations) -> migrate_sql::Result<()> {
    Ok(())
}

pub(crate) fn all() -> Vec<Scenario> {
    let mut v = vec![
        sc("create_table_design_example", none, |op| {
            op.create_table("users", |t| {
                t.column("id", Type::BigInt).primary_key().autoincrement();
                t.column("email", Type::String(255)).not_null().unique();
                t.column("created_at", Type::TimestampTz)
                    .not_null()
                    .server_default(Sql("CURRENT_TIMESTAMP"));
            })?;
            op.create_index("ix_users_email", "users", &["email"])?;
            Ok(())
        }),
        sc("create_table_all_types", none, |op| {
            op.create_table("everything", |t| {
                t.column("i", Type::Integer).not_null().default(7);
                t.column("b", Type::BigInt)
                    .default(Value::Int(-9_000_000_000));
                t.column("s", Type::SmallInt);
                t.column("flag", Type::Boolean).not_null().default(true);
                t.column("name", Type::String(40)).default("it's");
                t.column("body", Type::Text);
                t.column("f", Type::Float);
                t.column("d", Type::Double).default(Value::Float(2.5));
                t.column("n", Type::Numeric(10, 2))
                    .default(Value::Float(1.25));
                t.column("day", Type::Date);
                t.column("tod", Type::Time);
                t.column("ts", Type::Timestamp);
                t.column("tstz", Type::TimestampTz)
                    .server_default(Sql("CURRENT_TIMESTAMP"));
                t.column("u", Type::Uuid);
                t.column("j", Type::Json);
                t.column("jb", Type::Jsonb);
                t.column("bin", Type::Binary);
            })
        }),
        sc("create_table_constraints", none, |op| {
            op.create_table("memberships", |t| {
                t.column("org_id", Type::Integer);
                t.column("user_id", Type::Integer);
                t.column("role", Type::String(20))
                    .not_null()
                    .comment("what they may do");
                t.column("rank", Type::Integer).not_null().default(0);
                t.primary_key(&["org_id", "user_id"]).name("pk_memberships");
                t.unique(&["org_id", "role"])
                    .name("uq_memberships_org_role");
                t.check(Sql("rank >= 0")).name("ck_memberships_rank");
                t.comment("who belongs where");
            })
        }),
        sc("create_table_foreign_keys", users, |op| {
            op.create_table("posts", |t| {
                t.column("id", Type::BigInt).primary_key().autoincrement();
                t.column("author_id", Type::BigInt)
                    .not_null()
                    .references("users", "id")
                    .on_delete(Action::Cascade);
                t.column("editor_id", Type::BigInt);
                t.foreign_key(&["editor_id"], "users", &["id"])
                    .name("fk_posts_editor")
                    .on_delete(Action::SetNull)
                    .on_update(Action::Restrict);
            })
        }),
        sc("create_enum_and_table", none, |op| {
            op.create_enum("mood", &["sad", "ok", "it's great"])?;
            op.create_table("people", |t| {
                t.column("id", Type::Integer).primary_key();
                t.column(
                    "mood",
                    Type::enumeration("mood", &["sad", "ok", "it's great"]),
                )
                .not_null()
                .default("ok");
            })
        }),
        sc("drop_table", users, |op| {
            op.drop_table("users")?.definition(|t| {
                t.column("id", Type::BigInt).primary_key().autoincrement();
                t.column("email", Type::String(255)).not_null();
                t.column("name", Type::String(40));
            })?;
            Ok(())
        }),
        sc("drop_table_irreversible", users, |op| {
            op.drop_table("users")?.if_exists();
            Ok(())
        }),
        sc("rename_table", users, |op| {
            op.rename_table("users", "accounts")
        }),
        sc("add_column", users, |op| {
            op.add_column("users", "nickname", Type::String(30))?
                .default("anon");
            Ok(())
        }),
        sc("add_column_not_null_default", users, |op| {
            op.add_column("users", "score", Type::Integer)?
                .not_null()
                .default(0)
                .comment("points");
            Ok(())
        }),
        sc("add_column_foreign_key", users_posts, |op| {
            op.add_column("posts", "reviewer_id", Type::BigInt)?
                .references("users", "id")
                .name("fk_posts_reviewer")
                .on_delete(Action::SetNull);
            Ok(())
        }),
        sc("add_column_unique_rebuild", users, |op| {
            op.add_column("users", "handle", Type::String(30))?.unique();
            Ok(())
        }),
        sc("drop_column", users, |op| {
            op.drop_column("users", "name")?
                .definition(Type::String(40));
            Ok(())
        }),
        sc("alter_column_type", users, |op| {
            op.alter_column("users", "name")?
                .set_type(Type::Text)
                .existing_type(Type::String(40))
                .existing_nullable(true);
            Ok(())
        }),
        sc("alter_column_type_using", users, |op| {
            op.alter_column("users", "name")?
                .set_type(Type::Integer)
                .using(Sql("length(name)"))
                .existing_type(Type::String(40))
                .existing_nullable(true);
            Ok(())
        }),
        sc("alter_column_nullable", users, |op| {
            op.alter_column("users", "name")?
                .set_nullable(false)
                .existing_nullable(true)
                .existing_type(Type::String(40));
            Ok(())
        }),
        sc("alter_column_default", users, |op| {
            op.alter_column("users", "name")?
                .set_default("nobody")
                .existing_default(None)
                .existing_type(Type::String(40))
                .existing_nullable(true);
            Ok(())
        }),
        sc(
            "alter_column_drop_default",
            |op| {
                op.create_table("t", |t| {
                    t.column("id", Type::Integer).primary_key();
                    t.column("state", Type::String(10))
                        .not_null()
                        .default("new");
                })
            },
            |op| {
                op.alter_column("t", "state")?
                    .drop_default()
                    .existing_default(Some(ColumnDefault::Value("new".into())));
                Ok(())
            },
        ),
        sc("alter_column_rename", users, |op| {
            op.alter_column("users", "name")?.rename_to("full_name");
            Ok(())
        }),
        sc("alter_column_rename_and_type", users, |op| {
            op.alter_column("users", "name")?
                .rename_to("display_name")
                .set_type(Type::String(80))
                .existing_type(Type::String(40))
                .existing_nullable(true);
            Ok(())
        }),
        sc("alter_column_without_existing_type", users, |op| {
            op.alter_column("users", "name")?
                .set_nullable(false)
                .existing_nullable(true);
            Ok(())
        }),
        sc("alter_column_comment", users, |op| {
            op.alter_column("users", "name")?
                .set_comment(Some("shown to others"))
                .existing_comment(None)
                .existing_type(Type::String(40))
                .existing_nullable(true);
            Ok(())
        }),
        sc("create_index", users, |op| {
            op.create_index("ix_users_email_name", "users", &["email", "name"])?;
            Ok(())
        }),
        sc("create_index_unique", users, |op| {
            op.create_index("ux_users_email", "users", &["email"])?
                .unique();
            Ok(())
        }),
        sc("create_index_partial", users, |op| {
            op.create_index("ix_users_named", "users", &["email"])?
                .where_sql(Sql("name IS NOT NULL"));
            Ok(())
        }),
        sc("create_index_expression", users, |op| {
            op.create_index("ix_users_lower_email", "users", &[] as &[&str])?
                .expression(Sql("lower(email)"));
            Ok(())
        }),
        sc("create_index_concurrently", users, |op| {
            op.create_index("ix_users_name", "users", &["name"])?
                .concurrently();
            Ok(())
        }),
        sc(
            "drop_index",
            |op| {
                users(op)?;
                op.create_index("ix_users_name", "users", &["name"])?;
                Ok(())
            },
            |op| {
                op.drop_index("ix_users_name", "users")?
                    .definition(&["name"]);
                Ok(())
            },
        ),
        sc("create_unique_constraint", users, |op| {
            op.create_unique_constraint("uq_users_email", "users", &["email"])
        }),
        sc(
            "drop_unique_constraint",
            |op| {
                users(op)?;
                op.create_unique_constraint("uq_users_email", "users", &["email"])
            },
            |op| {
                op.drop_constraint("uq_users_email", "users", ConstraintType::Unique)?
                    .definition(Constraint::Unique(migrate_sql::UniqueConstraint {
                        name: None,
                        columns: vec!["email".into()],
                    }));
                Ok(())
            },
        ),
        sc("create_check_constraint", users, |op| {
            op.create_check_constraint("ck_users_email", "users", Sql("email <> ''"))
        }),
        sc(
            "drop_check_constraint",
            |op| {
                op.create_table("t", |t| {
                    t.column("id", Type::Integer).primary_key();
                    t.column("qty", Type::Integer).not_null();
                    t.check(Sql("qty > 0")).name("ck_t_qty");
                })
            },
            |op| {
                op.drop_constraint("ck_t_qty", "t", ConstraintType::Check)?
                    .definition(Constraint::Check(migrate_sql::CheckConstraint {
                        name: None,
                        expr: "qty > 0".into(),
                    }));
                Ok(())
            },
        ),
        sc("create_foreign_key", users_posts, |op| {
            op.create_foreign_key("fk_posts_user", "posts", "users", &["user_id"], &["id"])?
                .on_delete(Action::Cascade)
                .on_update(Action::NoAction);
            Ok(())
        }),
        sc(
            "drop_foreign_key",
            |op| {
                users_posts(op)?;
                op.create_foreign_key("fk_posts_user", "posts", "users", &["user_id"], &["id"])?;
                Ok(())
            },
            |op| {
                let fk = ForeignKey {
                    name: None,
                    columns: vec!["user_id".into()],
                    ref_table: QualifiedName::from("users"),
                    ref_columns: vec!["id".into()],
                    on_delete: None,
                    on_update: None,
                };
                op.drop_constraint("fk_posts_user", "posts", ConstraintType::ForeignKey)?
                    .definition(Constraint::ForeignKey(fk));
                Ok(())
            },
        ),
        sc(
            "create_primary_key",
            |op| {
                op.create_table("tags", |t| {
                    t.column("slug", Type::String(50)).not_null();
                    t.column("label", Type::Text);
                })
            },
            |op| op.create_primary_key("pk_tags", "tags", &["slug"]),
        ),
        sc(
            "drop_enum",
            |op| op.create_enum("color", &["red", "green"]),
            |op| {
                op.drop_enum("color")?.values(&["red", "green"]);
                Ok(())
            },
        ),
        sc("set_table_comment", users, |op| {
            op.set_table_comment("users", Some("people who log in"), Some(None))
        }),
        sc("execute_reversible", users, |op| {
            op.execute_reversible(
                "CREATE TABLE audit (id INTEGER PRIMARY KEY)",
                "DROP TABLE audit",
            )
        }),
        sc("bulk_insert", users, |op| {
            op.bulk_insert(
                "users",
                &["id", "email", "name"],
                vec![
                    vec![1.into(), "a@example.com".into(), "O'Brien".into()],
                    vec![2.into(), "b@example.com".into(), Value::Null],
                    vec![
                        3.into(),
                        r"back\slash@example.com".into(),
                        "'); DROP TABLE users; --".into(),
                    ],
                ],
            )
        }),
    ];
    for s in &mut v {
        s.unsupported = match s.name {
            "create_index_partial" => &[Dialect::Mysql],
            // MySQL's MODIFY restates the column: without its type it cannot be written.
            "alter_column_without_existing_type" => &[Dialect::Mysql],
            // MySQL 8 has functional indexes, MariaDB does not: the rendering is MySQL's,
            // which MariaDB refuses.
            "create_index_expression" => &[Dialect::Mysql],
            _ => &[],
        };
    }
    v.extend(pg_types::all());
    v
}

pub(crate) fn get(name: &str) -> Scenario {
    match all().into_iter().find(|s| s.name == name) {
        Some(s) => s,
        None => panic!("no scenario {name}"),
    }
}

/// The table definitions the setup creates, as a rebuild sees them (golden rendering).
pub(crate) fn setup_table_def(setup: &Operations, table: &QualifiedName) -> Option<TableDef> {
    let mut def = None;
    for op in setup.as_slice() {
        match op {
            Operation::CreateTable(t) if &t.name == table => {
                def = Some(TableDef {
                    table: t.clone(),
                    indexes: Vec::new(),
                    triggers: Vec::new(),
                })
            }
            Operation::AddConstraint(c) if &c.table == table => {
                if let Some(d) = &mut def {
                    match &c.constraint {
                        Constraint::Unique(u) => d.indexes.push(migrate_sql::IndexDef {
                            name: c.constraint.name().to_owned(),
                            unique: true,
                            columns: u.columns.clone(),
                            sql: None,
                        }),
                        Constraint::ForeignKey(fk) => d.table.foreign_keys.push(fk.clone()),
                        Constraint::Check(ch) => d.table.checks.push(ch.clone()),
                        Constraint::PrimaryKey(pk) => d.table.primary_key = Some(pk.clone()),
                    }
                }
            }
            _ => {}
        }
    }
    def
}

/// Render one operation, as a rebuild when SQLite needs one (`def` gives the table).
pub(crate) fn render(
    d: Dialect,
    op: &Operation,
    def: impl FnOnce(&QualifiedName) -> Option<TableDef>,
) -> migrate_sql::Result<Vec<String>> {
    match op.requires_rebuild(d) {
        Some(table) => match def(table) {
            Some(def) => rebuild(&def, std::slice::from_ref(op)),
            None => panic!("no definition of {table} for the rebuild"),
        },
        None => op.render(d),
    }
}
