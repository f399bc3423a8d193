//! Spellings that must compare equal, and near misses that must not.

use migrate_schema::{normalize, Rules, SqliteTypes};
use migrate_sql::{ColumnDefault, Dialect, Type, Value};

fn ty(text: &str, rules: &Rules) -> String {
    normalize::type_text(text, rules)
}

fn dsl(t: &Type, rules: &Rules) -> String {
    normalize::column_type(t, false, rules)
}

#[test]
fn postgres_type_aliases() {
    let r = Rules::new(Dialect::Postgres);
    let same: &[(&[&str], Type)] = &[
        (
            &["int4", "int", "integer", "INTEGER", "serial"],
            Type::Integer,
        ),
        (&["int8", "bigint", "bigserial"], Type::BigInt),
        (&["int2", "smallint"], Type::SmallInt),
        (&["bool", "boolean"], Type::Boolean),
        (
            &["varchar(255)", "character varying(255)", "VARCHAR (255)"],
            Type::String(255),
        ),
        (&["text"], Type::Text),
        (&["float4", "real", "float(10)"], Type::Float),
        (
            &["float8", "double precision", "float", "float(53)"],
            Type::Double,
        ),
        (
            &["numeric(10,2)", "decimal(10, 2)", "NUMERIC(10,2)"],
            Type::Numeric(10, 2),
        ),
        (
            &[
                "timestamp",
                "timestamp without time zone",
                "timestamp(6) without time zone",
            ],
            Type::Timestamp,
        ),
        (
            &["timestamptz", "timestamp with time zone"],
            Type::TimestampTz,
        ),
        (&["time without time zone", "time"], Type::Time),
        (&["uuid"], Type::Uuid),
        (&["jsonb"], Type::Jsonb),
        (&["bytea"], Type::Binary),
        (
            &["mood", "\"mood\"", "MOOD"],
            Type::enumeration("mood", &["a"]),
        ),
    ];
    for (spellings, t) in same {
        for s in *spellings {
            assert_eq!(ty(s, &r), dsl(t, &r), "{s} vs {t:?}");
        }
    }
    assert_eq!(ty("integer[]", &r), ty("_int4", &r));
    assert_eq!(ty("numeric(10)", &r), ty("numeric(10, 0)", &r));
    assert_eq!(ty("char", &r), ty("character(1)", &r));
    assert_eq!(ty("bpchar(3)", &r), "CHAR(3)");
    let differ = [
        ("varchar(255)", "varchar(256)"),
        ("varchar(255)", "text"),
        ("varchar", "text"),
        ("int4", "int8"),
        ("timestamp", "timestamptz"),
        ("timestamp(3)", "timestamp"),
        ("numeric(10, 2)", "numeric(10, 3)"),
        ("json", "jsonb"),
        ("\"Mood\"", "mood"),
        ("integer[]", "integer"),
        ("real", "double precision"),
    ];
    for (a, b) in differ {
        assert_ne!(ty(a, &r), ty(b, &r), "{a} vs {b}");
    }
}

#[test]
fn mysql_type_aliases_and_what_the_dialect_makes_of_the_dsl() {
    let r = Rules::new(Dialect::Mysql);
    let same: &[(&[&str], Type)] = &[
        (&["int", "int(11)", "INTEGER", "integer(11)"], Type::Integer),
        (&["bigint(20)", "bigint"], Type::BigInt),
        (&["smallint(6)"], Type::SmallInt),
        (&["tinyint(1)", "bool", "boolean"], Type::Boolean),
        (&["varchar(255)"], Type::String(255)),
        (&["longtext"], Type::Text),
        (&["char(36)"], Type::Uuid),
        (&["datetime(6)"], Type::Timestamp),
        (&["datetime(6)"], Type::TimestampTz),
        (&["time(6)"], Type::Time),
        (&["decimal(10,2)", "numeric(10, 2)"], Type::Numeric(10, 2)),
        (&["double", "double precision", "real"], Type::Double),
        (&["float"], Type::Float),
        (&["json"], Type::Json),
        (&["json"], Type::Jsonb),
        (&["longblob"], Type::Binary),
        (
            &["enum('sad','ok')", "ENUM('sad', 'ok')"],
            Type::enumeration("mood", &["sad", "ok"]),
        ),
    ];
    for (spellings, t) in same {
        for s in *spellings {
            assert_eq!(ty(s, &r), dsl(t, &r), "{s} vs {t:?}");
        }
    }
    assert_eq!(ty("int(10) unsigned", &r), ty("int unsigned", &r));
    assert_eq!(ty("decimal", &r), ty("decimal(10,0)", &r));
    assert_eq!(ty("datetime(0)", &r), ty("datetime", &r));
    let differ = [
        ("text", "longtext"),
        ("tinyint(1)", "tinyint(4)"),
        ("int", "int unsigned"),
        ("datetime(6)", "datetime"),
        ("datetime", "timestamp"),
        ("enum('a','b')", "enum('b','a')"),
        ("char(36)", "varchar(36)"),
        ("json", "longtext"),
    ];
    for (a, b) in differ {
        assert_ne!(ty(a, &r), ty(b, &r), "{a} vs {b}");
    }
    let mut maria = r.clone();
    maria.mariadb = true;
    assert_eq!(ty("longtext", &maria), dsl(&Type::Json, &maria));
}

#[test]
fn sqlite_declared_types_and_affinity() {
    let r = Rules::new(Dialect::Sqlite);
    assert_eq!(ty("varchar(255)", &r), dsl(&Type::String(255), &r));
    assert_eq!(ty("NUMERIC(10,2)", &r), dsl(&Type::Numeric(10, 2), &r));
    for t in [
        Type::Uuid,
        Type::Json,
        Type::Jsonb,
        Type::TimestampTz,
        Type::enumeration("m", &["a"]),
    ] {
        assert_eq!(dsl(&t, &r), "TEXT", "{t:?}");
    }
    assert_eq!(normalize::column_type(&Type::BigInt, true, &r), "INTEGER");
    assert_eq!(normalize::column_type(&Type::BigInt, false, &r), "BIGINT");
    assert_ne!(ty("BIGINT", &r), ty("INTEGER", &r), "declared types differ");
    assert_ne!(ty("VARCHAR(255)", &r), ty("TEXT", &r));
    let mut aff = r.clone();
    aff.sqlite_types = SqliteTypes::Affinity;
    assert_eq!(ty("BIGINT", &aff), ty("INTEGER", &aff));
    assert_eq!(ty("VARCHAR(255)", &aff), ty("CLOB", &aff));
    assert_ne!(ty("REAL", &aff), ty("INTEGER", &aff));
    assert_ne!(ty("BLOB", &aff), ty("TEXT", &aff));
}

fn def(d: Option<ColumnDefault>, t: &Type, rules: &Rules) -> Option<String> {
    normalize::default(d.as_ref(), t, false, rules)
}

fn sql(s: &str) -> Option<ColumnDefault> {
    Some(ColumnDefault::Sql(s.into()))
}

fn val(v: impl Into<Value>) -> Option<ColumnDefault> {
    Some(ColumnDefault::Value(v.into()))
}

#[test]
fn default_spellings_that_are_equal() {
    let pg = Rules::new(Dialect::Postgres);
    let my = Rules::new(Dialect::Mysql);
    let lite = Rules::new(Dialect::Sqlite);
    let cases: Vec<(&Rules, Type, Vec<Option<ColumnDefault>>)> = vec![
        (
            &pg,
            Type::Timestamp,
            vec![
                sql("CURRENT_TIMESTAMP"),
                sql("now()"),
                sql("NOW( )"),
                sql("transaction_timestamp()"),
            ],
        ),
        (
            &my,
            Type::Timestamp,
            vec![
                sql("CURRENT_TIMESTAMP"),
                sql("current_timestamp()"),
                sql("now()"),
                sql("localtimestamp"),
                sql("(now())"),
            ],
        ),
        (
            &my,
            Type::Timestamp,
            vec![
                sql("CURRENT_TIMESTAMP(6)"),
                sql("now(6)"),
                sql("current_timestamp(6)"),
                // On a DATETIME(6) column MariaDB stores CURRENT_TIMESTAMP as
                // current_timestamp(6) (MySQL accepts no other precision there).
                sql("CURRENT_TIMESTAMP"),
            ],
        ),
        (
            &my,
            Type::Date,
            vec![sql("curdate()"), sql("CURRENT_DATE"), sql("current_date()")],
        ),
        (
            &lite,
            Type::Timestamp,
            vec![
                sql("CURRENT_TIMESTAMP"),
                sql("current_timestamp"),
                sql("(CURRENT_TIMESTAMP)"),
            ],
        ),
        (
            &pg,
            Type::Text,
            vec![
                val("x"),
                sql("'x'"),
                sql("'x'::text"),
                sql("('x'::text)"),
                sql("E'x'"),
            ],
        ),
        (
            &pg,
            Type::String(10),
            vec![
                val("it's"),
                sql("'it''s'::character varying"),
                sql(r"E'it\'s'"),
            ],
        ),
        (
            &my,
            Type::String(10),
            vec![
                val(r"a\b"),
                sql(r"'a\\b'"),
                sql(r#""a\\b""#),
                sql(r"_utf8mb4'a\\b'"),
            ],
        ),
        (
            &pg,
            Type::Integer,
            vec![
                val(0),
                sql("0"),
                sql("'0'::integer"),
                sql("(0)"),
                sql("'0'"),
                sql("-0"),
                sql("00"),
            ],
        ),
        (
            &pg,
            Type::Integer,
            vec![val(-1), sql("'-1'::integer"), sql("(-1)"), sql("-1")],
        ),
        (
            &pg,
            Type::Numeric(10, 2),
            vec![
                val(1.5),
                sql("1.50"),
                sql("'1.5'::numeric"),
                sql("+1.5"),
                sql("15e-1"),
                sql("1.500"),
            ],
        ),
        (&my, Type::Integer, vec![val(1), sql("'1'"), sql("1")]),
        (
            &pg,
            Type::Boolean,
            vec![
                val(true),
                sql("true"),
                sql("TRUE"),
                sql("'t'::boolean"),
                sql("'true'"),
                sql("1"),
            ],
        ),
        (
            &my,
            Type::Boolean,
            vec![val(true), sql("1"), sql("'1'"), sql("TRUE")],
        ),
        (
            &lite,
            Type::Boolean,
            vec![val(false), sql("0"), sql("FALSE"), sql("'0'")],
        ),
        (
            &pg,
            Type::Text,
            vec![
                None,
                val(None::<i64>),
                sql("NULL"),
                sql("null::text"),
                sql("NULL::character varying"),
            ],
        ),
        (&pg, Type::Text, vec![val(1), sql("'1'::text")]),
        (&pg, Type::Jsonb, vec![sql("'{}'"), sql("'{}'::jsonb")]),
        (
            &pg,
            Type::Uuid,
            vec![sql("gen_random_uuid()"), sql("GEN_RANDOM_UUID()")],
        ),
        (&pg, Type::Binary, vec![val(vec![0xABu8]), sql("X'ab'")]),
    ];
    for (rules, t, spellings) in cases {
        let first = def(spellings[0].clone(), &t, rules);
        for s in &spellings {
            assert_eq!(
                def(s.clone(), &t, rules),
                first,
                "{} {t:?}: {s:?}",
                rules.dialect.name()
            );
        }
    }
}

#[test]
fn default_near_misses_differ() {
    let pg = Rules::new(Dialect::Postgres);
    let my = Rules::new(Dialect::Mysql);
    let pairs: Vec<(&Rules, Type, Option<ColumnDefault>, Option<ColumnDefault>)> = vec![
        (&pg, Type::Text, val("x"), val("X")),
        (&pg, Type::Text, val("x"), None),
        (&pg, Type::Text, sql("''"), None),
        (&pg, Type::Integer, val(1), val(2)),
        (&pg, Type::Numeric(5, 2), sql("1.5"), sql("1.05")),
        (&pg, Type::Boolean, val(true), val(false)),
        (
            &pg,
            Type::Timestamp,
            sql("CURRENT_TIMESTAMP"),
            sql("CURRENT_DATE"),
        ),
        (
            &pg,
            Type::Timestamp,
            sql("CURRENT_TIMESTAMP"),
            sql("localtimestamp"),
        ),
        (
            &my,
            Type::Custom("DATETIME".into()),
            sql("CURRENT_TIMESTAMP"),
            sql("CURRENT_TIMESTAMP(6)"),
        ),
        (
            &my,
            Type::Custom("DATETIME(3)".into()),
            sql("CURRENT_TIMESTAMP"),
            sql("CURRENT_TIMESTAMP(6)"),
        ),
        (&pg, Type::Text, sql("'a' || 'b'"), sql("'ab'")),
        (&pg, Type::Text, sql("lower(x)"), sql("upper(x)")),
        (&my, Type::Text, sql(r"'a\\b'"), sql(r"'a\b'")),
        (&pg, Type::Integer, sql("'1'"), sql("'x'")),
    ];
    for (rules, t, a, b) in pairs {
        assert_ne!(
            def(a.clone(), &t, rules),
            def(b.clone(), &t, rules),
            "{t:?}: {a:?} vs {b:?}"
        );
    }
}

#[test]
fn expressions() {
    let e = |s: &str| normalize::expression(s, Dialect::Postgres);
    assert_eq!(e("((price > (0)::numeric))"), e("price > 0"));
    assert_eq!(e("((a > 0) AND (b > 0))"), e("a > 0 AND b > 0"));
    assert_eq!(e("((a > 0) OR (b > 0))"), e("a > 0 or b > 0"));
    assert_eq!(
        e("((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))"),
        e("status IN ('a', 'b')")
    );
    assert_eq!(e("Lower(Email)"), e("lower(email)"));
    // A column cast to text inside a function, as PostgreSQL writes index expressions.
    assert_eq!(e("lower(name::text)"), e("lower(name)"));
    assert_ne!(e("lower(name || 'x')"), e("lower(name)"));
    // MariaDB stores length() as octet_length().
    let my = |s: &str| normalize::expression(s, Dialect::Mysql);
    assert_eq!(my("octet_length(`name`) > 0"), my("length(name) > 0"));
    assert_ne!(my("char_length(name) > 0"), my("length(name) > 0"));
    assert_eq!(e("lower(email)"), "lower(email)");
    assert_eq!(e("a  >=  -1"), "a >= -1");
    // Precedence is kept: these are not the same condition.
    assert_ne!(e("(a OR b) AND c"), e("a OR b AND c"));
    assert_ne!(e("a > 0"), e("a >= 0"));
    assert_ne!(
        e(r#""Email" IS NULL"#),
        e("email IS NULL"),
        "quoted PostgreSQL names keep case"
    );
    let m = |s: &str| normalize::expression(s, Dialect::Mysql);
    assert_eq!(
        m("`Email` IS NULL"),
        m("email is null"),
        "MySQL names are case-insensitive"
    );
    // Never a panic on what cannot be read.
    assert_eq!(e("'unterminated"), "'unterminated");
    assert_eq!(e(""), "");
}
