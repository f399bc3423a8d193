//! Double precision, portable defaults, arrays, index methods, enum values and extensions:
//! each spelled the way its database reports it compares equal to the DSL's, and replay
//! follows the new operations.

use migrate_schema::{normalize, Rules, Schema, SqliteTypes};
use migrate_sql::{ColumnDefault, Default, Dialect, IndexMethod, Operations, Type, Value};

use crate::{lines, replay, ALL};

fn def(d: ColumnDefault, t: &Type, rules: &Rules) -> Option<String> {
    normalize::default(Some(&d), t, false, rules)
}

fn sql(s: &str) -> ColumnDefault {
    ColumnDefault::Sql(s.into())
}

#[test]
fn double_is_double_precision_everywhere_and_not_real() {
    let pg = Rules::new(Dialect::Postgres);
    let dbl = normalize::column_type(&Type::Double, false, &pg);
    for spelling in [
        "float8",
        "double precision",
        "DOUBLE PRECISION",
        "float(53)",
    ] {
        assert_eq!(normalize::type_text(spelling, &pg), dbl, "{spelling}");
    }
    assert_ne!(normalize::type_text("real", &pg), dbl);
    let my = Rules::new(Dialect::Mysql);
    assert_eq!(
        normalize::type_text("double", &my),
        normalize::column_type(&Type::Double, false, &my)
    );
    assert_ne!(
        normalize::type_text("float", &my),
        normalize::column_type(&Type::Double, false, &my)
    );
    let mut lite = Rules::new(Dialect::Sqlite);
    assert_eq!(
        normalize::column_type(&Type::Double, false, &lite),
        "DOUBLE"
    );
    lite.sqlite_types = SqliteTypes::Affinity;
    assert_eq!(normalize::column_type(&Type::Double, false, &lite), "REAL");
}

#[test]
fn portable_defaults_equal_what_each_database_reports() {
    let pg = Rules::new(Dialect::Postgres);
    let now = ColumnDefault::Portable(Default::Now);
    let uuid = ColumnDefault::Portable(Default::GenRandomUuid);
    for reported in ["now()", "CURRENT_TIMESTAMP", "transaction_timestamp()"] {
        assert_eq!(
            def(now.clone(), &Type::TimestampTz, &pg),
            def(sql(reported), &Type::TimestampTz, &pg),
            "{reported}"
        );
    }
    assert_eq!(
        def(uuid.clone(), &Type::Uuid, &pg),
        def(sql("gen_random_uuid()"), &Type::Uuid, &pg)
    );
    assert_ne!(
        def(uuid.clone(), &Type::Uuid, &pg),
        def(sql("uuid_generate_v4()"), &Type::Uuid, &pg)
    );
    // MariaDB reports the precision of a DATETIME(6) column's CURRENT_TIMESTAMP, and UUID()
    // without the parentheses the DSL writes.
    let mut my = Rules::new(Dialect::Mysql);
    my.mariadb = true;
    assert_eq!(
        def(now.clone(), &Type::Timestamp, &my),
        def(sql("current_timestamp(6)"), &Type::Timestamp, &my)
    );
    assert_eq!(
        def(uuid.clone(), &Type::Uuid, &my),
        def(sql("uuid()"), &Type::Uuid, &my)
    );
    // SQLite's PRAGMA shows the expression without the parentheses of the DEFAULT clause.
    let lite = Rules::new(Dialect::Sqlite);
    assert_eq!(
        def(now, &Type::Timestamp, &lite),
        def(sql("CURRENT_TIMESTAMP"), &Type::Timestamp, &lite)
    );
    let written = Default::GenRandomUuid.sql(Dialect::Sqlite, &Type::Uuid);
    let shown = written
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .unwrap();
    assert_eq!(
        def(uuid, &Type::Uuid, &lite),
        def(sql(shown), &Type::Uuid, &lite)
    );
}

#[test]
fn array_types_and_defaults_equal_what_postgres_reports() {
    let pg = Rules::new(Dialect::Postgres);
    for (reported, ty) in [
        ("text[]", Type::array(Type::Text)),
        ("_text", Type::array(Type::Text)),
        ("character varying(20)[]", Type::array(Type::String(20))),
        ("double precision[]", Type::array(Type::array(Type::Double))),
        ("mood[]", Type::array(Type::enumeration("mood", &["a"]))),
        ("timestamp with time zone[]", Type::array(Type::TimestampTz)),
    ] {
        assert_eq!(
            normalize::type_text(reported, &pg),
            normalize::column_type(&ty, false, &pg),
            "{reported}"
        );
    }
    assert_ne!(
        normalize::type_text("integer[]", &pg),
        normalize::column_type(&Type::array(Type::BigInt), false, &pg)
    );
    let tags = Type::array(Type::Text);
    let v = |x: Value| ColumnDefault::Value(x);
    for (value, reported) in [
        (Value::array(Vec::<&str>::new()), "'{}'::text[]"),
        (Value::array(["a", "b"]), "'{a,b}'::text[]"),
        (
            Value::array(["a b", "it's", "{x}", "", "null", r#"q"t"#]),
            r#"'{"a b",it''s,"{x}","","null","q\"t"}'::text[]"#,
        ),
        (Value::array([1, 2]), "'{1,2}'::integer[]"),
    ] {
        assert_eq!(
            def(v(value.clone()), &tags, &pg),
            def(sql(reported), &tags, &pg),
            "{value:?}"
        );
    }
    assert_ne!(
        def(v(Value::array(["a"])), &tags, &pg),
        def(sql("'{b}'::text[]"), &tags, &pg)
    );
}

#[test]
fn replay_follows_index_methods_enum_values_and_extensions() {
    let s = replay(Dialect::Postgres, |op| {
        op.create_extension("pg_trgm").unwrap().if_not_exists();
        op.create_enum("mood", &["sad", "ok"]).unwrap();
        op.add_enum_value("mood", "happy").unwrap();
        op.add_enum_value("mood", "meh").unwrap().after("sad");
        op.add_enum_value("mood", "awful").unwrap().before("sad");
        op.add_enum_value("mood", "ok").unwrap().if_not_exists();
        op.create_table("docs", |t| {
            t.column("id", Type::Integer).primary_key();
            t.column("tags", Type::array(Type::Text));
        })
        .unwrap();
        op.create_index("ix_docs_tags", "docs", &["tags"])
            .unwrap()
            .using(IndexMethod::Gin);
        op.drop_extension("pg_trgm").unwrap();
    });
    assert!(s.is_certain(), "extensions leave the model certain");
    assert_eq!(
        s.enum_type(&"mood".into()).unwrap().values,
        ["awful", "sad", "meh", "ok", "happy"]
    );
    let docs = s.table(&"docs".into()).unwrap();
    assert_eq!(docs.indexes[0].method.as_deref(), Some("gin"));

    // The database's index with another method is a difference; btree is the default.
    let mut actual = s.clone();
    actual.table_mut(&"docs".into()).unwrap().indexes[0].method = Some("gist".into());
    assert_eq!(
        lines(&s, &actual),
        ["index ix_docs_tags: method gin in migrations, gist in the database"]
    );
    for d in ALL {
        let expected = replay(d, |op| {
            op.create_table("t", |t| {
                t.column("a", Type::Integer);
            })
            .unwrap();
            op.create_index("ix_t_a", "t", &["a"])
                .unwrap()
                .using(IndexMethod::Btree);
        });
        let mut actual = expected.clone();
        actual.table_mut(&"t".into()).unwrap().indexes[0].method = Some("BTREE".into());
        assert_eq!(lines(&expected, &actual), Vec::<String>::new(), "{d:?}");
        actual.table_mut(&"t".into()).unwrap().indexes[0].method = None;
        assert_eq!(lines(&expected, &actual), Vec::<String>::new(), "{d:?}");
    }
}

#[test]
fn enum_value_errors_name_the_type_and_value() {
    let mut op = Operations::default();
    op.create_enum("mood", &["sad"]).unwrap();
    op.add_enum_value("mood", "sad").unwrap();
    let err = Schema::replay(Dialect::Postgres, op.as_slice()).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"add_enum_value "sad" to mood: enum type mood already has the value "sad""#
    );
    let mut op = Operations::default();
    op.create_enum("mood", &["sad"]).unwrap();
    op.add_enum_value("mood", "ok").unwrap().after("fine");
    let err = Schema::replay(Dialect::Postgres, op.as_slice()).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"add_enum_value "ok" to mood: enum type mood has no value "fine""#
    );
    let mut op = Operations::default();
    op.add_enum_value("nope", "x").unwrap();
    let err = Schema::replay(Dialect::Postgres, op.as_slice()).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"add_enum_value "x" to nope: enum type nope does not exist"#
    );
}
