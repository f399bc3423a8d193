//! Canonical column types per dialect: what the DSL's [`Type`] becomes, and every spelling
//! a database reports for it, map to one string.

use super::expr::quote;
use super::number::canonical_number;
use super::tokens::{tokenize, Tok};
use crate::{Rules, SqliteTypes};
use migrate_sql::{Dialect, Type};

/// The type a column of DSL type `ty` has in the database, as the dialect renders it
/// (mirrors migrate-sql's type table; a test holds the two together).
pub(crate) fn rendered(ty: &Type, autoincrement: bool, rules: &Rules) -> String {
    let d = rules.dialect;
    match (d, ty) {
        // Only the exact spelling INTEGER makes the column SQLite's rowid alias.
        (Dialect::Sqlite, _) if autoincrement => "INTEGER".into(),
        (_, Type::Custom(s)) => s.clone(),
        (_, Type::Integer) if d == Dialect::Mysql => "INT".into(),
        (_, Type::Integer) => "INTEGER".into(),
        (_, Type::BigInt) => "BIGINT".into(),
        (_, Type::SmallInt) => "SMALLINT".into(),
        (Dialect::Mysql, Type::Boolean) => "BOOL".into(),
        (_, Type::Boolean) => "BOOLEAN".into(),
        (_, Type::String(n)) => format!("VARCHAR({n})"),
        (Dialect::Mysql, Type::Text) => "LONGTEXT".into(),
        (_, Type::Text) => "TEXT".into(),
        (Dialect::Mysql, Type::Float) => "FLOAT".into(),
        (_, Type::Float) => "REAL".into(),
        (Dialect::Postgres, Type::Double) => "DOUBLE PRECISION".into(),
        (_, Type::Double) => "DOUBLE".into(),
        (_, Type::Numeric(p, s)) => format!("NUMERIC({p}, {s})"),
        (_, Type::Date) => "DATE".into(),
        (Dialect::Mysql, Type::Time) => "TIME(6)".into(),
        (_, Type::Time) => "TIME".into(),
        (Dialect::Mysql, Type::Timestamp | Type::TimestampTz) => "DATETIME(6)".into(),
        (_, Type::Timestamp) => "TIMESTAMP".into(),
        (Dialect::Postgres, Type::TimestampTz) => "TIMESTAMPTZ".into(),
        (Dialect::Postgres, Type::Uuid) => "UUID".into(),
        (Dialect::Mysql, Type::Uuid) => "CHAR(36)".into(),
        (Dialect::Sqlite, Type::TimestampTz | Type::Uuid | Type::Json | Type::Jsonb) => {
            "TEXT".into()
        }
        (Dialect::Postgres, Type::Jsonb) => "JSONB".into(),
        (_, Type::Json | Type::Jsonb) => "JSON".into(),
        (Dialect::Postgres, Type::Binary) => "BYTEA".into(),
        (Dialect::Mysql, Type::Binary) => "LONGBLOB".into(),
        (_, Type::Binary) => "BLOB".into(),
        (Dialect::Postgres, Type::Enum { name, .. }) => {
            format!("\"{}\"", name.replace('"', "\"\""))
        }
        (Dialect::Mysql, Type::Enum { values, .. }) => {
            let v: Vec<String> = values.iter().map(|v| quote(v)).collect();
            format!("ENUM({})", v.join(", "))
        }
        (_, Type::Enum { .. }) => "TEXT".into(),
        // PostgreSQL alone has arrays (the others refuse to render them), one `[]` whatever
        // the nesting, since PostgreSQL does not enforce dimensions.
        (_, Type::Array(elem)) => match elem.as_ref() {
            Type::Array(_) => rendered(elem, false, rules),
            other => format!("{}[]", rendered(other, false, rules)),
        },
        // Type is non-exhaustive: a variant added later compares by its debug name until
        // it gets a row here.
        (_, other) => format!("{other:?}").to_uppercase(),
    }
}

/// The canonical type of a column: [`rendered`], then [`canonical_type_text`].
pub(crate) fn canonical_type(ty: &Type, autoincrement: bool, rules: &Rules) -> String {
    canonical_type_text(&rendered(ty, autoincrement, rules), rules)
}

/// A parsed type name: words, arguments, words after the arguments, array dimensions.
struct Parsed {
    base: String,
    args: Vec<String>,
    after: String,
    arrays: usize,
    user: Option<String>,
}

fn parse(text: &str, rules: &Rules) -> Option<Parsed> {
    let d = rules.dialect;
    let toks = tokenize(text, d)?;
    let mut p = Parsed {
        base: String::new(),
        args: Vec::new(),
        after: String::new(),
        arrays: 0,
        user: None,
    };
    let mut i = 0;
    let mut words = Vec::new();
    let mut quoted_name = None;
    while let Some(t) = toks.get(i) {
        match t {
            Tok::Word { text, quoted: true } => quoted_name = Some(text.clone()),
            Tok::Word { text, .. } => words.push(text.to_uppercase()),
            Tok::Punct(".") => words.clear(),
            _ => break,
        }
        i += 1;
    }
    if toks.get(i).is_some_and(|t| t.is("(")) {
        i += 1;
        let mut cur = String::new();
        while let Some(t) = toks.get(i) {
            i += 1;
            match t {
                Tok::Punct(")") => break,
                Tok::Punct(",") => p.args.push(std::mem::take(&mut cur)),
                Tok::Num(n) => cur.push_str(&canonical_number(n).unwrap_or_else(|| n.clone())),
                Tok::Str(s) => cur.push_str(&quote(s)),
                Tok::Word { text, .. } => cur.push_str(&text.to_uppercase()),
                _ => return None,
            }
        }
        p.args.push(cur);
    }
    let mut after = Vec::new();
    while let Some(t) = toks.get(i) {
        i += 1;
        match t {
            Tok::Word { text, .. } => after.push(text.to_uppercase()),
            Tok::Punct("[") => {}
            Tok::Punct("]") => p.arrays += 1,
            Tok::Num(_) => {}
            _ => return None,
        }
    }
    // `timestamp(3) with time zone`: the words after the precision name the type.
    if after.first().is_some_and(|w| w == "WITH" || w == "WITHOUT") {
        words.append(&mut after);
    }
    p.base = words.join(" ");
    p.after = after.join(" ");
    if p.base.is_empty() {
        p.user = quoted_name;
    }
    Some(p)
}

/// The canonical spelling of a type name as written or reported by the database (see the
/// crate docs, "Types").
pub(crate) fn canonical_type_text(text: &str, rules: &Rules) -> String {
    let Some(mut p) = parse(text, rules) else {
        return text.trim().to_uppercase();
    };
    if let Some(user) = p.user.take() {
        // A quoted (user-defined) type name keeps its case; the plain lower-case name is the
        // same as the unquoted one.
        let simple = user
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        let name = if simple || rules.dialect != Dialect::Postgres {
            user.to_lowercase()
        } else {
            format!("\"{user}\"")
        };
        return format!("{name}{}", "[]".repeat(p.arrays));
    }
    match rules.dialect {
        Dialect::Postgres => postgres(&mut p),
        Dialect::Mysql => mysql(&p, rules),
        Dialect::Sqlite => sqlite(&p, rules),
    }
}

fn arg(p: &Parsed, i: usize) -> Option<&str> {
    p.args.get(i).map(String::as_str)
}

fn postgres(p: &mut Parsed) -> String {
    // udt_name spells arrays with a leading underscore: _int4 is integer[].
    if let Some(elem) = p.base.strip_prefix('_') {
        p.base = elem.to_owned();
        p.arrays += 1;
    }
    let base = match p.base.as_str() {
        "INT" | "INTEGER" | "INT4" | "SERIAL" | "SERIAL4" => "INTEGER".to_owned(),
        "BIGINT" | "INT8" | "BIGSERIAL" | "SERIAL8" => "BIGINT".to_owned(),
        "SMALLINT" | "INT2" | "SMALLSERIAL" | "SERIAL2" => "SMALLINT".to_owned(),
        "BOOL" | "BOOLEAN" => "BOOLEAN".to_owned(),
        "VARCHAR" | "CHARACTER VARYING" => match arg(p, 0) {
            Some(n) => format!("VARCHAR({n})"),
            None => "VARCHAR".to_owned(),
        },
        "CHAR" | "CHARACTER" | "BPCHAR" => format!("CHAR({})", arg(p, 0).unwrap_or("1")),
        "FLOAT4" | "REAL" => "REAL".to_owned(),
        "FLOAT8" | "DOUBLE PRECISION" => "DOUBLE PRECISION".to_owned(),
        "FLOAT" => match arg(p, 0).and_then(|a| a.parse::<u32>().ok()) {
            Some(n) if n <= 24 => "REAL".to_owned(),
            _ => "DOUBLE PRECISION".to_owned(),
        },
        "NUMERIC" | "DECIMAL" => match (arg(p, 0), arg(p, 1)) {
            (Some(a), Some(b)) => format!("NUMERIC({a}, {b})"),
            (Some(a), None) => format!("NUMERIC({a}, 0)"),
            _ => "NUMERIC".to_owned(),
        },
        "TIME" | "TIME WITHOUT TIME ZONE" => precision("TIME", arg(p, 0)),
        "TIMETZ" | "TIME WITH TIME ZONE" => precision("TIMETZ", arg(p, 0)),
        "TIMESTAMP" | "TIMESTAMP WITHOUT TIME ZONE" => precision("TIMESTAMP", arg(p, 0)),
        "TIMESTAMPTZ" | "TIMESTAMP WITH TIME ZONE" => precision("TIMESTAMPTZ", arg(p, 0)),
        "BIT VARYING" | "VARBIT" => with_args("VARBIT", p),
        other if is_builtin_pg(other) => with_args(other, p),
        // Any other unquoted name is a user type: PostgreSQL folds it to lower case.
        other => with_args(&other.to_lowercase(), p),
    };
    format!("{base}{}", "[]".repeat(p.arrays))
}

fn is_builtin_pg(name: &str) -> bool {
    const B: [&str; 22] = [
        "TEXT",
        "DATE",
        "UUID",
        "JSON",
        "JSONB",
        "BYTEA",
        "INET",
        "CIDR",
        "MACADDR",
        "MONEY",
        "XML",
        "INTERVAL",
        "BIT",
        "TSVECTOR",
        "TSQUERY",
        "POINT",
        "OID",
        "REGCLASS",
        "NAME",
        "CITEXT",
        "INT4RANGE",
        "TSTZRANGE",
    ];
    B.contains(&name)
}

/// Time types: precision 6 is the default (microseconds), so it is left out.
fn precision(name: &str, p: Option<&str>) -> String {
    match p {
        Some(n) if n != "6" => format!("{name}({n})"),
        _ => name.to_owned(),
    }
}

fn with_args(name: &str, p: &Parsed) -> String {
    let mut s = name.to_owned();
    if !p.args.is_empty() {
        s.push_str(&format!("({})", p.args.join(", ")));
    }
    if !p.after.is_empty() {
        s.push(' ');
        s.push_str(&p.after);
    }
    s
}

fn mysql(p: &Parsed, rules: &Rules) -> String {
    // Display widths (`int(11)`) mean nothing since MySQL 8.0.17; `tinyint(1)` alone stays,
    // as it is what BOOL/BOOLEAN become.
    let int = |name: &str| -> String {
        let mut s = name.to_owned();
        for w in p.after.split(' ').filter(|w| !w.is_empty()) {
            s.push(' ');
            s.push_str(w);
        }
        s
    };
    match p.base.as_str() {
        "INT" | "INTEGER" => int("INT"),
        "BIGINT" | "SMALLINT" | "MEDIUMINT" => int(&p.base),
        "TINYINT" if arg(p, 0) == Some("1") && p.after.is_empty() => "TINYINT(1)".to_owned(),
        "BOOL" | "BOOLEAN" => "TINYINT(1)".to_owned(),
        "TINYINT" => int("TINYINT"),
        "VARCHAR" | "CHARACTER VARYING" => with_args("VARCHAR", p),
        "CHAR" | "CHARACTER" => format!("CHAR({})", arg(p, 0).unwrap_or("1")),
        "DOUBLE" | "DOUBLE PRECISION" | "REAL" => "DOUBLE".to_owned(),
        "FLOAT" => match arg(p, 0).and_then(|a| a.parse::<u32>().ok()) {
            Some(n) if n > 24 => "DOUBLE".to_owned(),
            _ => "FLOAT".to_owned(),
        },
        "DECIMAL" | "NUMERIC" | "DEC" | "FIXED" => format!(
            "DECIMAL({}, {})",
            arg(p, 0).unwrap_or("10"),
            arg(p, 1).unwrap_or("0")
        ),
        "TIME" | "DATETIME" | "TIMESTAMP" => match arg(p, 0) {
            Some(n) if n != "0" => format!("{}({n})", p.base),
            _ => p.base.clone(),
        },
        "JSON" if rules.mariadb => "LONGTEXT".to_owned(),
        "ENUM" | "SET" => with_args(&p.base, p),
        other => with_args(other, p),
    }
}

fn sqlite(p: &Parsed, rules: &Rules) -> String {
    match rules.sqlite_types {
        SqliteTypes::Declared => with_args(&p.base, p),
        SqliteTypes::Affinity => affinity(&p.base).to_owned(),
    }
}

/// SQLite's type affinity of a declared type (its documented rules, in order).
///
/// ```
/// use migrate_schema::normalize::sqlite_affinity;
/// assert_eq!(sqlite_affinity("VARCHAR(255)"), "TEXT");
/// assert_eq!(sqlite_affinity("BIGINT"), "INTEGER");
/// assert_eq!(sqlite_affinity("DECIMAL(10, 2)"), "NUMERIC");
/// ```
pub fn affinity(declared: &str) -> &'static str {
    let t = declared.to_uppercase();
    if t.contains("INT") {
        "INTEGER"
    } else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") {
        "TEXT"
    } else if t.contains("BLOB") || t.trim().is_empty() {
        "BLOB"
    } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
        "REAL"
    } else {
        "NUMERIC"
    }
}

/// What kind of value a column holds, for reading its default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Bool,
    Number,
    Text,
    Other,
}

pub(crate) fn class(canonical: &str) -> Class {
    let head = canonical.split(['(', ' ']).next().unwrap_or("");
    match head {
        "BOOLEAN" | "BOOL" => Class::Bool,
        "TINYINT" if canonical == "TINYINT(1)" => Class::Bool,
        "INTEGER" | "INT" | "BIGINT" | "SMALLINT" | "TINYINT" | "MEDIUMINT" | "NUMERIC"
        | "DECIMAL" | "REAL" | "DOUBLE" | "FLOAT" => Class::Number,
        _ if canonical.contains("CHAR")
            || canonical.contains("TEXT")
            || canonical.contains("CLOB")
            || head == "ENUM" =>
        {
            Class::Text
        }
        _ => Class::Other,
    }
}
