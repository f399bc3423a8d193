//! Diff lines, their order, and schemas that must compare equal.

use migrate_schema::{diff, Column, Difference, EnumType, Index, Schema, Table};
use migrate_sql::{
    Action, CheckConstraint, ColumnDefault, Dialect, ForeignKey, Operations, PrimaryKey,
    QualifiedName, Sql, Type, UniqueConstraint,
};

use crate::{lines, replay, ALL};

fn app(op: &mut Operations) {
    op.create_table("users", |t| {
        t.column("id", Type::BigInt).primary_key().autoincrement();
        t.column("email", Type::String(255)).not_null().unique();
        t.column("active", Type::Boolean).not_null().default(true);
        t.column("created_at", Type::Timestamp)
            .server_default(Sql("CURRENT_TIMESTAMP"));
    })
    .unwrap();
    op.create_table("documents", |t| {
        t.column("id", Type::BigInt).primary_key();
        t.column("owner", Type::BigInt)
            .references("users", "id")
            .on_delete(Action::Cascade);
        t.column("tags", Type::Text);
        t.check(Sql("id > 0"));
    })
    .unwrap();
    op.create_index("ix_users_email", "users", &["email"])
        .unwrap()
        .unique();
}

#[test]
fn a_replay_equals_itself_on_every_dialect() {
    for d in ALL {
        let s = replay(d, app);
        assert_eq!(diff(&s, &s), [], "{}", d.name());
    }
}

#[test]
fn the_lines_read_as_the_issue_says() {
    let expected = replay(Dialect::Postgres, app);
    let mut actual = expected.clone();
    actual.remove_table(&"documents".into());
    let u = actual.table_mut(&"users".into()).unwrap();
    u.columns[1].ty = Type::Custom("text".into());
    u.indexes[0].unique = false;
    assert_eq!(
        lines(&expected, &actual),
        [
            "table documents: missing in the database",
            "table users: column email: type VARCHAR(255) in migrations, TEXT in the database",
            "index ix_users_email: unique in migrations, not unique in the database",
        ]
    );
    let mut actual = expected.clone();
    actual
        .table_mut(&"documents".into())
        .unwrap()
        .columns
        .retain(|c| c.name != "tags");
    assert_eq!(
        lines(&expected, &actual),
        ["table documents: column tags missing in the database"]
    );
}

#[test]
fn every_kind_of_difference_has_its_line() {
    let expected = replay(Dialect::Postgres, |op| {
        app(op);
        op.create_enum("mood", &["sad", "ok"]).unwrap();
        op.set_table_comment("users", Some("people"), None).unwrap();
    });
    let mut a = expected.clone();
    a.insert_table(Table::new("extra"));
    a.insert_enum(EnumType {
        name: "mood".into(),
        values: vec!["ok".into(), "sad".into()],
    });
    let u = a.table_mut(&"users".into()).unwrap();
    u.columns[2].nullable = true;
    u.columns[2].default = None;
    u.columns[0].autoincrement = false;
    u.columns[3].comment = Some("when".into());
    u.columns.push(Column::new("nick", Type::Text));
    u.comment = None;
    u.uniques.clear();
    u.indexes.push(Index::new("ix_new", &["nick"]));
    u.primary_key = Some(PrimaryKey {
        name: None,
        columns: vec!["id".into(), "email".into()],
    });
    let doc = a.table_mut(&"documents".into()).unwrap();
    doc.foreign_keys[0].on_delete = None;
    doc.checks[0].expr = "id >= 0".into();
    let got = lines(&expected, &a);
    let want = [
        "enum mood: values ('sad', 'ok') in migrations, ('ok', 'sad') in the database",
        "table documents: foreign key (owner) -> users (id): ON DELETE CASCADE in migrations, NO ACTION in the database",
        "table documents: check (id > 0) missing in the database",
        "table documents: check (id >= 0) in the database, not in migrations",
        "table extra: in the database, not in migrations",
        "table users: column id: autoincrement in migrations, not autoincrement in the database",
        "table users: column active: NOT NULL in migrations, nullable in the database",
        "table users: column active: default TRUE in migrations, no default in the database",
        "table users: column created_at: no comment in migrations, comment 'when' in the database",
        "table users: column nick in the database, not in migrations",
        "table users: primary key (id) in migrations, (id, email) in the database",
        "table users: unique constraint (email) missing in the database",
        "index ix_new on users: in the database, not in migrations",
        "table users: comment 'people' in migrations, no comment in the database",
    ];
    assert_eq!(got, want);
    // Deterministic: the same inputs give the same lines, whatever the insertion order.
    let mut b = a.clone();
    let doc = b.table_mut(&"documents".into()).unwrap();
    doc.checks.reverse();
    assert_eq!(lines(&expected, &b), want);
}

#[test]
fn the_database_spelling_of_a_replay_compares_equal() {
    // What PostgreSQL's catalogs report for `app`.
    let expected = replay(Dialect::Postgres, app);
    let mut a = Schema::new(Dialect::Postgres);
    let mut users = Table::new(("public", "users"));
    let col = |n: &str, t: &str, nullable: bool, d: Option<&str>| Column {
        name: n.into(),
        ty: Type::Custom(t.into()),
        nullable,
        default: d.map(|d| ColumnDefault::Sql(d.into())),
        autoincrement: false,
        comment: None,
    };
    users.columns = vec![
        Column {
            autoincrement: true,
            ..col("id", "bigint", false, None)
        },
        col("email", "character varying(255)", false, None),
        col("active", "boolean", false, Some("true")),
        col(
            "created_at",
            "timestamp without time zone",
            true,
            Some("CURRENT_TIMESTAMP"),
        ),
    ];
    users.primary_key = Some(PrimaryKey {
        name: Some("users_pkey".into()),
        columns: vec!["id".into()],
    });
    users.uniques = vec![UniqueConstraint {
        name: Some("users_email_key".into()),
        columns: vec!["email".into()],
    }];
    users.indexes = vec![Index {
        unique: true,
        method: Some("btree".into()),
        ..Index::new("ix_users_email", &["email"])
    }];
    let mut docs = Table::new(("public", "documents"));
    docs.columns = vec![
        col("id", "int8", false, None),
        col("owner", "int8", true, None),
        col("tags", "text", true, None),
    ];
    docs.primary_key = Some(PrimaryKey {
        name: Some("documents_pkey".into()),
        columns: vec!["id".into()],
    });
    docs.foreign_keys = vec![ForeignKey {
        name: Some("documents_owner_fkey".into()),
        columns: vec!["owner".into()],
        ref_table: QualifiedName::from(("public", "users")),
        ref_columns: vec!["id".into()],
        on_delete: Some(Action::Cascade),
        on_update: Some(Action::NoAction),
    }];
    docs.checks = vec![CheckConstraint {
        name: Some("documents_id_check".into()),
        expr: "((id > 0))".into(),
    }];
    a.insert_table(users);
    a.insert_table(docs);
    assert_eq!(lines(&expected, &a), Vec::<String>::new());
    assert_eq!(lines(&a, &expected), Vec::<String>::new());
    // A name the migrations chose does compare.
    let named = replay(Dialect::Postgres, |op| {
        app(op);
        op.create_check_constraint("ck_docs", "documents", Sql("id > 0"))
            .unwrap();
    });
    let l = lines(&named, &a);
    assert_eq!(
        l,
        ["table documents: check (id > 0) missing in the database"],
        "{l:?}"
    );
}

#[test]
fn mysql_spelling_compares_equal() {
    let expected = replay(Dialect::Mysql, app);
    let mut a = expected.clone();
    let u = a.table_mut(&"users".into()).unwrap();
    u.columns[0].ty = Type::Custom("bigint(20)".into());
    u.columns[1].ty = Type::Custom("varchar(255)".into());
    u.columns[2].ty = Type::Custom("tinyint(1)".into());
    u.columns[2].default = Some(ColumnDefault::Sql("'1'".into()));
    u.columns[3].ty = Type::Custom("datetime(6)".into());
    u.columns[3].default = Some(ColumnDefault::Sql("current_timestamp()".into()));
    // MySQL reports the unnamed unique constraint as a unique index named after the column.
    u.uniques.clear();
    u.indexes.push(Index {
        unique: true,
        ..Index::new("EMAIL", &["email"])
    });
    let doc = a.table_mut(&"documents".into()).unwrap();
    doc.foreign_keys[0].name = Some("documents_ibfk_1".into());
    doc.checks[0].name = Some("documents_chk_1".into());
    // ... and the index it made for the foreign key.
    doc.indexes.push(Index::new("documents_ibfk_1", &["owner"]));
    assert_eq!(lines(&expected, &a), Vec::<String>::new());
    // Either way round: generated names are no one's choice.
    assert_eq!(lines(&a, &expected), Vec::<String>::new());
    let doc = a.table_mut(&"documents".into()).unwrap();
    doc.indexes.push(Index::new("ix_other", &["tags"]));
    assert_eq!(
        lines(&expected, &a),
        ["index ix_other on documents: in the database, not in migrations"]
    );
}

#[test]
fn sqlite_spelling_compares_equal() {
    let expected = replay(Dialect::Sqlite, |op| {
        app(op);
        op.create_table("moods", |t| {
            t.column("m", Type::enumeration("mood", &["sad", "ok"]));
            t.unique(&["m"]).name("uq_moods_m");
        })
        .unwrap();
    });
    let mut a = expected.clone();
    let u = a.table_mut(&"users".into()).unwrap();
    u.columns[0].ty = Type::Custom("INTEGER".into());
    u.columns[2].ty = Type::Custom("BOOLEAN".into());
    u.columns[2].default = Some(ColumnDefault::Sql("1".into()));
    u.columns[3].default = Some(ColumnDefault::Sql("CURRENT_TIMESTAMP".into()));
    let m = a.table_mut(&"moods".into()).unwrap();
    m.columns[0].ty = Type::Custom("TEXT".into());
    m.checks.push(CheckConstraint {
        name: None,
        expr: r#""m" IN ('sad', 'ok')"#.into(),
    });
    m.uniques.clear();
    m.indexes.push(Index {
        unique: true,
        ..Index::new("uq_moods_m", &["m"])
    });
    assert_eq!(lines(&expected, &a), Vec::<String>::new());
    assert_eq!(lines(&a, &expected), Vec::<String>::new());
    let m = a.table_mut(&"moods".into()).unwrap();
    m.checks.clear();
    assert_eq!(
        lines(&expected, &a),
        ["table moods: check (m IN ('sad', 'ok')) missing in the database"]
    );
}

#[test]
fn different_dialects_are_one_line() {
    let l = lines(
        &Schema::new(Dialect::Postgres),
        &Schema::new(Dialect::Mysql),
    );
    assert_eq!(
        l,
        ["schema: dialect postgresql in migrations, mysql in the database"]
    );
    assert!(matches!(
        diff(&Schema::new(Dialect::Sqlite), &Schema::new(Dialect::Mysql))[0],
        Difference::Dialect { .. }
    ));
}

#[test]
fn foreign_key_without_columns_means_the_primary_key() {
    let expected = replay(Dialect::Postgres, |op| {
        app(op);
        op.create_table("likes", |t| {
            t.column("user_id", Type::BigInt);
            t.foreign_key(&["user_id"], "users", &[] as &[&str]);
        })
        .unwrap();
    });
    let mut a = expected.clone();
    a.table_mut(&"likes".into()).unwrap().foreign_keys[0].ref_columns = vec!["id".into()];
    assert_eq!(lines(&expected, &a), Vec::<String>::new());
    a.table_mut(&"likes".into()).unwrap().foreign_keys[0].ref_columns = vec!["email".into()];
    assert_eq!(
        lines(&expected, &a),
        [
            // Each group is sorted by its line.
            "table likes: foreign key (user_id) -> users (email) in the database, not in migrations",
            "table likes: foreign key (user_id) -> users (id) missing in the database",
        ]
    );
}

#[test]
fn mysql_restrict_is_no_action_but_not_on_postgres() {
    for (d, same) in [(Dialect::Mysql, true), (Dialect::Postgres, false)] {
        let expected = replay(d, app);
        let mut a = expected.clone();
        a.table_mut(&"documents".into()).unwrap().foreign_keys[0].on_delete = None;
        let mut e = expected.clone();
        e.table_mut(&"documents".into()).unwrap().foreign_keys[0].on_delete =
            Some(Action::Restrict);
        assert_eq!(lines(&e, &a).is_empty(), same, "{}", d.name());
    }
}

#[test]
fn constraint_names_compare_only_when_the_migrations_choose_them() {
    let named = replay(Dialect::Postgres, |op| {
        op.create_table("t", |t| {
            t.column("a", Type::Integer);
            t.check(Sql("a > 0")).name("ck_a");
            t.unique(&["a"]).name("uq_a");
        })
        .unwrap();
    });
    let mut a = named.clone();
    let t = a.table_mut(&"t".into()).unwrap();
    t.checks[0].name = Some("t_a_check".into());
    t.uniques[0].name = Some("t_a_key".into());
    assert_eq!(
        lines(&named, &a),
        [
            "table t: unique constraint (a): name uq_a in migrations, generated in the database",
            "table t: check (a > 0): name ck_a in migrations, generated in the database",
        ]
    );
    let unnamed = replay(Dialect::Postgres, |op| {
        op.create_table("t", |t| {
            t.column("a", Type::Integer);
            t.check(Sql("a > 0"));
            t.unique(&["a"]);
        })
        .unwrap();
    });
    let mut a = unnamed.clone();
    let t = a.table_mut(&"t".into()).unwrap();
    t.checks[0].name = Some("anything".into());
    t.uniques[0].name = Some("t_a_key".into());
    assert_eq!(lines(&unnamed, &a), Vec::<String>::new());
}

#[test]
fn database_quirks_that_compare_equal_and_their_near_misses() {
    // PostgreSQL serial: a sequence default instead of identity.
    let e = replay(Dialect::Postgres, app);
    let mut a = e.clone();
    let id = &mut a.table_mut(&"users".into()).unwrap().columns[0];
    id.autoincrement = false;
    id.default = Some(ColumnDefault::Sql(
        "nextval('users_id_seq'::regclass)".into(),
    ));
    assert_eq!(lines(&e, &a), Vec::<String>::new());
    // Index method: btree is the default, gin is not.
    a.table_mut(&"users".into()).unwrap().indexes[0].method = Some("BTREE".into());
    assert_eq!(lines(&e, &a), Vec::<String>::new());
    a.table_mut(&"users".into()).unwrap().indexes[0].method = Some("gin".into());
    assert_eq!(
        lines(&e, &a),
        ["index ix_users_email: method btree in migrations, gin in the database"]
    );

    // MariaDB: JSON is LONGTEXT plus a json_valid CHECK.
    let mut rules = migrate_schema::Rules::new(Dialect::Mysql);
    rules.mariadb = true;
    let mut op = Operations::default();
    op.create_table("d", |t| {
        t.column("j", Type::Json);
    })
    .unwrap();
    op.set_table_comment("d", None, None).unwrap();
    let e = Schema::replay_with(rules, op.as_slice()).unwrap();
    let mut a = e.clone();
    let d = a.table_mut(&"d".into()).unwrap();
    d.columns[0].ty = Type::Custom("longtext".into());
    d.checks.push(CheckConstraint {
        name: Some("j".into()),
        expr: "json_valid(`j`)".into(),
    });
    // MySQL reports "no comment" as an empty one.
    d.comment = Some(String::new());
    assert_eq!(lines(&e, &a), Vec::<String>::new());
    // MariaDB's unique index over a TEXT column is a HASH ("long unique") index it picks.
    let mut ue = e.clone();
    let mut ix = migrate_schema::Index::new("ux_d_j", &["j"]);
    ix.unique = true;
    ue.table_mut(&"d".into()).unwrap().indexes.push(ix.clone());
    let mut ua = a.clone();
    ix.method = Some("HASH".into());
    ua.table_mut(&"d".into()).unwrap().indexes.push(ix.clone());
    assert_eq!(lines(&ue, &ua), Vec::<String>::new());
    ix.unique = false;
    ua.table_mut(&"d".into()).unwrap().indexes[0] = ix;
    assert_eq!(lines(&ue, &ua).len(), 2, "{:?}", lines(&ue, &ua));
    a.table_mut(&"d".into()).unwrap().comment = Some("x".into());
    assert_eq!(
        lines(&e, &a),
        ["table d: no comment in migrations, comment 'x' in the database"]
    );

    // SQLite keeps no comments at all.
    let e = replay(Dialect::Sqlite, |op| {
        op.create_table("c", |t| {
            t.column("a", Type::Integer).comment("kept nowhere");
            t.comment("nor this");
        })
        .unwrap();
    });
    let mut a = e.clone();
    let c = a.table_mut(&"c".into()).unwrap();
    c.comment = None;
    c.columns[0].comment = None;
    assert_eq!(lines(&e, &a), Vec::<String>::new());
}

#[test]
fn mysql_index_lines_name_the_table() {
    let e = replay(Dialect::Mysql, app);
    let mut a = e.clone();
    a.table_mut(&"users".into()).unwrap().indexes[0].unique = false;
    assert_eq!(
        lines(&e, &a),
        ["index users.ix_users_email: unique in migrations, not unique in the database"]
    );
    a.table_mut(&"users".into()).unwrap().indexes.clear();
    assert_eq!(
        lines(&e, &a),
        ["index ix_users_email on users: missing in the database"]
    );
}
