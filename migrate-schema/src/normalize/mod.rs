//! Normalisation per dialect: the canonical spelling of types, defaults and expressions, so
//! that equal schemas compare equal. The rules are listed in the [crate docs](crate).
//!
//! ```
//! use migrate_schema::{normalize, Rules};
//! use migrate_sql::{ColumnDefault, Dialect, Type};
//! let pg = Rules::new(Dialect::Postgres);
//! assert_eq!(normalize::column_type(&Type::Custom("int4".into()), false, &pg), "INTEGER");
//! assert_eq!(
//!     normalize::column_type(&Type::Custom("character varying(255)".into()), false, &pg),
//!     normalize::column_type(&Type::String(255), false, &pg),
//! );
//! let d = ColumnDefault::Sql("'x'::text".into());
//! assert_eq!(normalize::default(Some(&d), &Type::Text, false, &pg).as_deref(), Some("'x'"));
//! ```

pub(crate) mod expr;
mod number;
pub(crate) mod tokens;
pub(crate) mod types;

use crate::Rules;
use migrate_sql::{ColumnDefault, Dialect, Type, Value};
use tokens::{tokenize, Tok};
use types::Class;

pub(crate) use expr::rename_ident;
pub use types::affinity as sqlite_affinity;

/// The canonical type of a column of type `ty` (an `autoincrement` one is `INTEGER` on
/// SQLite), as the database reports it, e.g. `VARCHAR(255)`, `TINYINT(1)`, `TIMESTAMPTZ`.
pub fn column_type(ty: &Type, autoincrement: bool, rules: &Rules) -> String {
    types::canonical_type(ty, autoincrement, rules)
}

/// The canonical spelling of a type name written as text (a [`Type::Custom`], or what
/// introspection reads).
pub fn type_text(text: &str, rules: &Rules) -> String {
    types::canonical_type_text(text, rules)
}

/// The canonical spelling of a raw SQL expression (a CHECK condition, a partial-index
/// predicate, an index expression).
///
/// ```
/// use migrate_schema::normalize::expression;
/// use migrate_sql::Dialect;
/// assert_eq!(
///     expression("((price > (0)::numeric))", Dialect::Postgres),
///     expression("price > 0", Dialect::Postgres),
/// );
/// ```
pub fn expression(sql: &str, dialect: Dialect) -> String {
    expr::canonical_expr(sql, dialect)
}

/// The canonical default of a column of type `ty`; `None` for no default and for `NULL`.
///
/// Literals are read by the column's type: on a number column `'1.50'` is `1.5`, on a
/// boolean column `'t'`, `1` and `true` are `TRUE`, on a text column `1` is `'1'`.
pub fn default(
    default: Option<&ColumnDefault>,
    ty: &Type,
    autoincrement: bool,
    rules: &Rules,
) -> Option<String> {
    let canon_ty = column_type(ty, autoincrement, rules);
    let class = types::class(&canon_ty);
    let portable;
    let default = match default? {
        // A portable default is what its dialect writes for it.
        ColumnDefault::Portable(p) => {
            portable = ColumnDefault::Sql(p.sql(rules.dialect, ty));
            &portable
        }
        d => d,
    };
    match default {
        ColumnDefault::Value(v) => value(v, class),
        ColumnDefault::Portable(_) => None,
        ColumnDefault::Sql(s) => {
            let Some(toks) = tokenize(s, rules.dialect) else {
                return Some(s.trim().to_owned());
            };
            let toks = expr::canonical_tokens(toks, rules.dialect);
            let out = match toks.as_slice() {
                [] => None,
                [t] if t.is_literal() => literal(t, class),
                [Tok::Punct("-"), Tok::Num(n)] => literal(&Tok::Num(format!("-{n}")), class),
                [Tok::Punct("+"), Tok::Num(n)] => literal(&Tok::Num(n.clone()), class),
                _ => Some(expr::render(&toks)),
            };
            out.map(|d| now_at_column_precision(d, &canon_ty, rules))
        }
    }
}

/// MySQL: `CURRENT_TIMESTAMP` without a precision on a `DATETIME(p)` or `TIMESTAMP(p)`
/// column is `CURRENT_TIMESTAMP(p)`, as MariaDB stores (and shows) it.
fn now_at_column_precision(d: String, canon_ty: &str, rules: &Rules) -> String {
    if !rules.imp().now_takes_column_precision() || d != "CURRENT_TIMESTAMP" {
        return d;
    }
    ["DATETIME(", "TIMESTAMP("]
        .iter()
        .find_map(|p| canon_ty.strip_prefix(p))
        .and_then(|rest| rest.strip_suffix(')'))
        .filter(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()) && *p != "0")
        .map_or(d.clone(), |p| format!("CURRENT_TIMESTAMP({p})"))
}

fn value(v: &Value, class: Class) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Bool(b) => literal(&word(if *b { "true" } else { "false" }), class),
        Value::Int(i) => literal(&Tok::Num(i.to_string()), class),
        Value::Float(f) => literal(&Tok::Num(format!("{f:?}")), class),
        Value::Text(s) => literal(&Tok::Str(s.clone()), class),
        Value::Bytes(b) => Some(format!(
            "X'{}'",
            b.iter().map(|x| format!("{x:02x}")).collect::<String>()
        )),
        // Only PostgreSQL has arrays; it shows an array default in its output syntax.
        Value::Array(items) => Some(expr::quote(&array_output(items))),
    }
}

/// PostgreSQL's array output syntax (what `pg_get_expr` shows for an array default, before
/// its cast): an element is double-quoted only when it must be (empty, `NULL`, or holding
/// braces, quotes, commas, backslashes or spaces), as PostgreSQL's array output writes it.
fn array_output(items: &[Value]) -> String {
    let text = |s: &str| {
        let plain = !s.is_empty()
            && !s.eq_ignore_ascii_case("null")
            && !s
                .chars()
                .any(|c| matches!(c, '{' | '}' | ',' | '"' | '\\') || c.is_whitespace());
        if plain {
            s.to_owned()
        } else {
            format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
        }
    };
    let items: Vec<String> = items
        .iter()
        .map(|v| match v {
            Value::Null => "NULL".to_owned(),
            Value::Bool(b) => if *b { "t" } else { "f" }.to_owned(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => format!("{f:?}"),
            Value::Text(s) => text(s),
            Value::Bytes(b) => text(&format!(
                "\\x{}",
                b.iter().map(|x| format!("{x:02x}")).collect::<String>()
            )),
            Value::Array(inner) => array_output(inner),
        })
        .collect();
    format!("{{{}}}", items.join(","))
}

fn word(w: &str) -> Tok {
    Tok::Word {
        text: w.to_owned(),
        quoted: false,
    }
}

fn boolean(b: bool) -> Option<String> {
    Some(if b { "TRUE" } else { "FALSE" }.to_owned())
}

fn literal(t: &Tok, class: Class) -> Option<String> {
    let text_of_bool = |s: &str| match s.to_ascii_lowercase().as_str() {
        "t" | "true" | "y" | "yes" | "on" | "1" => Some(true),
        "f" | "false" | "n" | "no" | "off" | "0" => Some(false),
        _ => None,
    };
    match t {
        Tok::Word { text, .. } if text.eq_ignore_ascii_case("null") => None,
        Tok::Word { text, .. } => {
            let b = text.eq_ignore_ascii_case("true");
            match class {
                Class::Number => Some(if b { "1" } else { "0" }.to_owned()),
                _ => boolean(b),
            }
        }
        Tok::Num(n) => match class {
            Class::Bool => match number::canonical_number(n).as_deref() {
                Some("1") => boolean(true),
                Some("0") => boolean(false),
                _ => Some(n.clone()),
            },
            Class::Text => Some(expr::quote(n)),
            _ => Some(number::canonical_number(n).unwrap_or_else(|| n.clone())),
        },
        Tok::Str(s) => match class {
            Class::Number => match number::canonical_number(s) {
                Some(n) => Some(n),
                None => Some(expr::quote(s)),
            },
            Class::Bool => match text_of_bool(s.trim()) {
                Some(b) => boolean(b),
                None => Some(expr::quote(s)),
            },
            _ => Some(expr::quote(s)),
        },
        Tok::Bytes(h) => Some(format!("X'{h}'")),
        _ => None,
    }
}
