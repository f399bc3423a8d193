//! The model's idea of what each dialect creates agrees with what migrate-sql renders.

use migrate_schema::{normalize, Rules};
use migrate_sql::{Operation, Operations, Type};

use crate::ALL;

fn types() -> Vec<Type> {
    vec![
        Type::Integer,
        Type::BigInt,
        Type::SmallInt,
        Type::Boolean,
        Type::String(255),
        Type::Text,
        Type::Float,
        Type::Double,
        Type::Numeric(10, 2),
        Type::Date,
        Type::Time,
        Type::Timestamp,
        Type::TimestampTz,
        Type::Uuid,
        Type::Json,
        Type::Jsonb,
        Type::Binary,
        Type::enumeration("mood", &["sad", "it's ok"]),
        Type::Custom("inet".into()),
        Type::array(Type::Text),
        Type::array(Type::String(20)),
        Type::array(Type::array(Type::Double)),
        Type::array(Type::enumeration("mood", &["sad"])),
        Type::array(Type::TimestampTz),
    ]
}

/// The type text of column `c` in a rendered CREATE TABLE.
fn rendered_type(sql: &str, quote: char) -> String {
    let start = sql
        .find(&format!("{quote}c{quote} "))
        .expect("column c in the CREATE TABLE")
        + 4;
    let rest = &sql[start..];
    // The type ends at a constraint keyword or at a comma outside its parentheses.
    let mut depth = 0usize;
    let mut comma = rest.len();
    for (i, ch) in rest.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' | '\n' if depth == 0 => {
                comma = i;
                break;
            }
            _ => {}
        }
    }
    let end = [
        " NOT NULL",
        " PRIMARY KEY",
        " CHECK",
        " GENERATED",
        " AUTO_INCREMENT",
    ]
    .iter()
    .filter_map(|m| rest.find(m))
    .chain([comma])
    .min()
    .unwrap_or(rest.len());
    rest[..end].to_owned()
}

#[test]
fn every_type_on_every_dialect_is_what_migrate_sql_renders() {
    for d in ALL {
        let rules = Rules::new(d);
        for auto in [false, true] {
            for ty in types() {
                if auto && !matches!(ty, Type::Integer | Type::BigInt) {
                    continue;
                }
                // Only PostgreSQL has arrays; the others refuse to render them.
                if matches!(ty, Type::Array(_)) && d != migrate_sql::Dialect::Postgres {
                    let mut op = Operations::default();
                    op.add_column("t", "c", ty.clone()).unwrap();
                    assert!(op.as_slice()[0].render(d).is_err(), "{d:?} {ty:?}");
                    continue;
                }
                let mut op = Operations::default();
                op.create_table("t", |t| {
                    let c = t.column("c", ty.clone()).primary_key();
                    if auto {
                        c.autoincrement();
                    }
                })
                .unwrap();
                let sql = op.as_slice()[0].render(d).unwrap().join("\n");
                let quote = if d == migrate_sql::Dialect::Mysql {
                    '`'
                } else {
                    '"'
                };
                let text = rendered_type(&sql, quote);
                assert_eq!(
                    normalize::type_text(&text, &rules),
                    normalize::column_type(&ty, auto, &rules),
                    "{} {ty:?} (autoincrement {auto}) renders {text:?}",
                    d.name()
                );
            }
        }
    }
}

#[test]
fn the_rendered_type_text_is_taken_from_the_right_place() {
    // Guards the helper above: a wrong cut would make the agreement test vacuous.
    let mut op = Operations::default();
    op.create_table("t", |t| {
        t.column("c", Type::Numeric(10, 2)).not_null();
    })
    .unwrap();
    let sql = op.as_slice()[0]
        .render(migrate_sql::Dialect::Mysql)
        .unwrap();
    assert_eq!(rendered_type(&sql[0], '`'), "NUMERIC(10, 2)");
    assert!(matches!(op.as_slice()[0], Operation::CreateTable(_)));
}
